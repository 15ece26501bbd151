/** The built CLI in a real pseudo-terminal (test/helpers/pty-answers.py), typing `answers` at its questions. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BIN, TEST_CACHE_DIR } from './run-cli.js';

const PTY_ANSWERS = fileURLToPath(new URL('./pty-answers.py', import.meta.url));

/** What the terminal showed (prompts, echo, output) and the exit code. `env` over an English locale without colour. */
export function cliOnTerminal(args: string[], answers: string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<{ code: number | null; shown: string }> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH, LANG: 'en_US.UTF-8', NO_COLOR: '1', DINGTALK_DOCTOR_CACHE_DIR: TEST_CACHE_DIR, ...options.env };
    const child = spawn('python3', [PTY_ANSWERS, JSON.stringify(answers), process.execPath, BIN, ...args], {
      cwd: options.cwd,
      env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>,
    });
    let shown = '';
    child.stdout.on('data', (d: Buffer) => (shown += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (shown += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, shown }));
  });
}
