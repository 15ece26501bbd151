/**
 * Terminal manners on a real pseudo-terminal (test/helpers/pty-run.py: python3's pty, the
 * terminal as the process's controlling tty, so Ctrl-C is a real SIGINT or, with stdin in raw
 * mode, a real 0x03 byte), on the built CLI (`npm run build` first) against the fake DingTalk.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDingTalk } from './fake-dingtalk/server.js';
import type { Workspace } from './fake-dingtalk/workspace.js';
import { startCrmApp, stopCrmApp } from './helpers/crm-app.js';
import { BIN, ROOT, TEST_CACHE_DIR } from './helpers/run-cli.js';

const PTY = join(ROOT, 'test/helpers/pty-run.py');
const SECRET = 'crm-secret-tty-7373';
let fake: FakeDingTalk;
let ws: Workspace;

interface PtyResult { status: number | null; signal: number | null; output: string; sawMarker: boolean }

function onPty(args: string[], waitFor: string, send: string, env: Record<string, string | undefined> = {}): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [PTY, waitFor, send, '--', process.execPath, BIN, ...args], {
      cwd: ws.dir,
      env: { ...ws.env({ CRM_SECRET: SECRET, DINGTALK_DOCTOR_CACHE_DIR: TEST_CACHE_DIR, TERM: 'xterm-256color', LANG: 'en_US.UTF-8', CI: undefined, ...env }), PATH: process.env.PATH } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as PtyResult);
      } catch (error) {
        reject(new Error(`pty-run.py printed: ${out}`, { cause: error }));
      }
    });
  });
}

beforeAll(async () => {
  // No probe is answered for 10 minutes: without Ctrl-C, check would wait for its deadline.
  ({ fake, ws } = await startCrmApp({ appKey: 'dingcrmtty', secret: SECRET, grants: ['Contact.User.Read'], required: ['Contact.User.Read', 'Calendar.Event.Write'], faults: [{ kind: 'latency', ms: 600_000 }] }));
});

afterAll(() => stopCrmApp({ fake, ws }));

describe('Ctrl-C during check', () => {
  it("exits 130 on the first Ctrl-C while the spinner runs, and shows the cursor again", async () => {
    const r = await onPty(['check', '--base-url', fake.url, '--timeout', '600000', '--deadline', '600000'], 'probing', '03');
    expect(r.sawMarker, r.output.slice(-500)).toBe(true);
    expect({ status: r.status, signal: r.signal }, r.output.slice(-500)).toEqual({ status: 130, signal: null });
    const hidden = r.output.lastIndexOf('\u001b[?25l');
    expect(hidden, 'the spinner hid the cursor').toBeGreaterThan(-1);
    expect(r.output.indexOf('\u001b[?25h', hidden), 'the cursor is shown again after it was hidden').toBeGreaterThan(hidden);
  }, 90_000);
});

describe('progress of a long diagnose', () => {
  const body = JSON.stringify({ code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', requestid: 'R1', message: 'x', accessdenieddetail: { requiredScopes: ['Contact.User.Read'] } });
  beforeAll(() => {
    // 20 MiB of unrelated log lines, then one DingTalk 403
    const line = `${'2026-01-01T00:00:00Z INFO request handled in 3 ms '.padEnd(99, '.')}\n`;
    ws.write('big.log', `${line.repeat(Math.ceil((20 << 20) / line.length))}${body}\n`);
  });

  it('on a terminal: bytes read / total on stderr, the line cleared at the end', async () => {
    const r = await onPty(['diagnose', 'big.log'], '', '');
    expect(r.status, r.output.slice(-500)).toBe(1);
    expect(r.output).toMatch(/big\.log: \d+ \/ 20 MB read/);
    // the workspace configures one app (crm), so the finding names it, gh style
    expect(r.output).toContain('App crm lacks Contact.User.Read');
  }, 90_000);

  it('never in CI, with --json, or with -q', async () => {
    for (const [args, env] of [[['diagnose', 'big.log'], { CI: 'true' }], [['diagnose', 'big.log', '--json'], {}], [['diagnose', 'big.log', '-q'], {}]] as const) {
      const r = await onPty([...args], '', '', env);
      expect(r.status).toBe(1);
      expect(r.output).not.toMatch(/ MB read/);
    }
  }, 180_000);
});
