/**
 * src/terminal.ts writes a pipe or a file with fs.writeSync on its descriptor (no stream, so none of
 * Node's stream modules load). What a stream did for us must still hold: the whole output, in order,
 * when the descriptor is a file, a pipe nobody reads yet, or a non-blocking pipe that fills up
 * (EAGAIN: the rest goes through the stream); and a reader that went away ends the run quietly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, TEST_CACHE_DIR } from './helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dd-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', DINGTALK_DOCTOR_CACHE_DIR: TEST_CACHE_DIR };
// ≈ 100 KB, more than a pipe holds (64 KiB on Linux)
const ARGS = ['scopes', 'list', '--json'];

const hasPython = spawnSync('python3', ['-c', 'import fcntl'], { stdio: 'ignore' }).status === 0;

describe('stdout written by its descriptor', () => {
  it('to a file: the same bytes as through a pipe', async () => {
    const piped = await runCli(ARGS);
    expect(piped.code).toBe(0);
    expect(piped.stdout.length).toBeGreaterThan(70_000);
    const file = join(dir, 'out.json');
    const fd = openSync(file, 'w');
    const r = spawnSync(process.execPath, [BIN, ...ARGS], { cwd: ROOT, env, stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    expect(r.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
    expect(JSON.parse(piped.stdout).schemaVersion).toBe(1);
  });

  it('to /dev/null (only the exit code wanted): no stream modules are loaded, as for a pipe', () => {
    // a preload that says, at exit, which of Node's modules the run loaded
    const probe = join(dir, 'modules-probe.cjs');
    writeFileSync(probe, "process.on('exit', () => require('fs').writeSync(2, '\\n__modules=' + process.moduleLoadList.join(',') + '\\n'));\n");
    const loaded = (stdout: number | 'pipe') => {
      const r = spawnSync(process.execPath, ['-r', probe, BIN, 'diagnose', join(ROOT, 'examples', '403-missing-scope.json')], { cwd: ROOT, env, stdio: ['ignore', stdout, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(1);
      return /__modules=(.*)/.exec(r.stderr)![1]!.split(',');
    };
    expect(loaded('pipe')).not.toContain('NativeModule tty');
    const devNull = openSync('/dev/null', 'w');
    try {
      const modules = loaded(devNull);
      expect(modules).toContain('NativeModule fs');
      for (const stream of ['NativeModule tty', 'NativeModule net', 'NativeModule stream']) expect(modules).not.toContain(stream);
    } finally {
      closeSync(devNull);
    }
  });

  it('a reader gone before the first byte: the run ends with its own exit code, nothing on stderr', async () => {
    const child = spawn(process.execPath, [BIN, ...ARGS], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it.skipIf(!hasPython)('a non-blocking pipe that fills up before it is read: the whole document, in order', async () => {
    const piped = await runCli(ARGS);
    // python3 hands the CLI the write end of a pipe set O_NONBLOCK, and reads only after a pause: the
    // CLI's writes meet EAGAIN once 64 KiB wait unread.
    const script = [
      'import fcntl, os, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)',
      'p = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.DEVNULL)',
      'os.close(w)',
      'time.sleep(1.0)',
      'data = b""',
      'while True:',
      '    chunk = os.read(r, 65536)',
      '    if not chunk: break',
      '    data += chunk',
      'sys.stdout.buffer.write(data)',
      'sys.exit(p.wait())',
    ].join('\n');
    const r = spawnSync('python3', ['-c', script, process.execPath, BIN, ...ARGS], { cwd: ROOT, env, maxBuffer: 1 << 24 });
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toBe(piped.stdout);
  });
});
