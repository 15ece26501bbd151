/**
 * Against a hostile or broken server (issue 13 §4, §5), with the built CLI and the fake
 * DingTalk on 127.0.0.1:
 * - an answer without end (chunked, never finished) is abandoned at 1 MiB (API) or 64 KiB
 *   (token endpoint): exit 3 "answer larger than …", and the server sees the client go away;
 * - a gzip bomb is bounded after decompression;
 * - a 429 (Retry-After of hours) or 503 from the token endpoint, an `expireIn` of 0, of years or
 *   of words: each says what happened, never "check the credentials";
 * - control characters a server or an input sends (ESC sequences, OSC 8 links, `\r` overwrites,
 *   C1) are shown escaped in text, GitHub and Markdown output and on stderr, with and without colour.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDingTalk, TOKEN_PATH, type FakeApp, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli, type CliResult } from './helpers/run-cli.js';

const SECRET = 'hostile-secret-8d41c07b2e';
const APPS: Record<string, FakeApp> = { crm: { type: 'internal', appKey: 'dinghostilekey', appSecret: SECRET, grants: ['Contact.User.Read'] } };
const USER = '/v1.0/contact/users/0';

let fake: FakeDingTalk;
let ws: Workspace;

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: APPS });
  ws = workspace();
  ws.write('.dingtalkrc.json', JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'dinghostilekey', appSecret: '${S}', required: ['Contact.User.Read'] } } }));
});
afterAll(async () => {
  await fake.close();
  ws.remove();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.endlessBytes.length = 0;
  fake.setFaults([]);
});

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: ws.dir, env: ws.env({ S: SECRET, ...env }), timeoutMs: 60_000 });
const check = (...extra: string[]) => run(['check', '--app', 'crm', '--base-url', fake.url, '--scope', 'Contact.User.Read', ...extra]);
const replay = (...extra: string[]) => run(['diagnose', '--replay', 'GET', `${fake.url}${USER}`, '--app', 'crm', '--base-url', fake.url, ...extra]);
const noLeak = (r: CliResult) => expect(leaked(r, [SECRET, ...fake.issuedTokens])).toEqual([]);

/** The app error or the probe detail of a `check --json` run. */
function checkDoc(r: CliResult): { error?: { code: string; message: string; steps: unknown[] }; detail: string } {
  const doc = JSON.parse(r.stdout) as { apps: Array<{ error?: { code: string; message: string; steps: unknown[] }; results: Array<{ detail: string }> }> };
  return { error: doc.apps[0]!.error, detail: doc.apps[0]!.results[0]!.detail };
}

describe('answers are read up to a limit', () => {
  it('an API answer without end: check abandons it at 1 MiB, exit 3, the server sees the client leave', async () => {
    fake.setFaults([{ kind: 'endlessBody', match: /^\/v1\.0\/contact/ }]);
    const r = await check('--json');
    expect(r.code).toBe(3);
    expect(checkDoc(r).detail).toMatch(/^too-large: answer larger than 1 MiB/);
    // One attempt (not retried), and what was written before the client left is bounded (socket buffers aside).
    expect(fake.requests.filter((q) => q.path === USER)).toHaveLength(1);
    // (the client read more than the limit before it left, so the count is there when the CLI has exited)
    expect(fake.endlessBytes[0]).toBeGreaterThan(1024 * 1024);
    expect(fake.endlessBytes[0]).toBeLessThan(32 * 1024 * 1024);
    noLeak(r);
  });

  it('replay of an endless answer: exit 3 with "answer larger than 1 MiB" on stderr', async () => {
    fake.setFaults([{ kind: 'endlessBody', match: /^\/v1\.0\/contact/ }]);
    const r = await replay();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/answer larger than 1 MiB/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(2); // the replay line, the failure
    noLeak(r);
  });

  it('a token answer without end: abandoned at 64 KiB, the reason is not "check the credentials"', async () => {
    fake.setFaults([{ kind: 'endlessBody', match: TOKEN_PATH }]);
    const r = await check('--json');
    expect(r.code).toBe(3);
    const { error } = checkDoc(r);
    expect(error?.message).toMatch(/answer larger than 64 KiB/);
    expect(JSON.stringify(error?.steps)).not.toMatch(/check the (AppKey|credentials)/i);
    noLeak(r);
  });

  it('a gzip bomb (64 MiB of text in ~64 KiB): bounded after decompression', async () => {
    fake.setFaults([{ kind: 'gzipBomb', mib: 64, match: /^\/v1\.0\/contact/ }]);
    const r = await check('--json');
    expect(r.code).toBe(3);
    expect(checkDoc(r).detail).toMatch(/^too-large: answer larger than 1 MiB \(decompressed\)/);
    const rr = await replay('--format', 'github');
    expect(rr.code).toBe(3);
    expect(rr.stderr).toMatch(/answer larger than 1 MiB \(decompressed\)/);
  });

  it('a small gzip answer is read as the JSON it holds (the control case)', async () => {
    fake.setFaults([{ kind: 'gzipBomb', mib: 0, match: /^\/v1\.0\/contact/ }]);
    const r = await replay('--json');
    expect(r.stderr).not.toMatch(/larger than/);
    expect(JSON.parse(r.stdout).findings[0].code).toBe('InvalidParameter');
  });
});

describe('the token endpoint: a clear reason for what is not about the credentials', () => {
  it('429 with a Retry-After of three hours: not waited for, said as such (one request)', async () => {
    fake.setFaults([{ kind: 'status429', retryAfter: '10800', match: TOKEN_PATH }]);
    const r = await check('--json');
    expect(r.code).toBe(3);
    const { error } = checkDoc(r);
    expect(error?.message).toMatch(/rate-limiting this app, asking to wait 3 h/);
    expect(JSON.stringify(error?.steps)).toMatch(/limits how often this app may ask for a token/);
    expect(JSON.stringify(error?.steps)).not.toMatch(/check the (AppKey|credentials)/i);
    expect(fake.tokenRequests()).toHaveLength(1);
    const text = await check();
    expect(text.stdout).toMatch(/rate-limiting/);
  });

  it('503 every time: retried, then "unavailable (after 4 attempts)", try again later', async () => {
    fake.setFaults([{ kind: 'status503', match: TOKEN_PATH }]);
    const r = await replay();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the token endpoint is unavailable \(after 4 attempts\)/);
    expect(r.stderr).toMatch(/try again later/);
    expect(r.stderr).not.toMatch(/check the (AppKey|credentials)/i);
  });

  it.each([
    [0, /already expired \(expires in 0\)/],
    [1e12, /far beyond DingTalk's 7200 s/],
    ['soon', /not a number \(expires in soon\)/],
  ])('expireIn %s: refused with its reason, exit 3', async (expireIn, reason) => {
    fake.setFaults([{ kind: 'tokenLifetime', expireIn, match: TOKEN_PATH }]);
    const r = await check('--json');
    expect(r.code).toBe(3);
    const { error } = checkDoc(r);
    expect(error?.message).toMatch(reason);
    expect(JSON.stringify(error?.steps)).toMatch(/not the answer of a DingTalk token endpoint/);
    noLeak(r);
  });
});

/** A 403 denial whose message carries terminal controls: ESC [2J (clear), an OSC 8 link, a \r overwrite, a C1 CSI. */
const HOSTILE_MESSAGE = 'denied\u001b[2J\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007\rALL GOOD\u009b31m';
const CONTROLS = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]|\u001b(?!\[(?:\d+)m)/;

describe('control characters from servers and inputs are shown escaped', () => {
  const body = JSON.stringify({ requestid: 'R1', code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: HOSTILE_MESSAGE, accessdenieddetail: { requiredScopes: ['Contact.User.Read'] } });

  it.each(['text', 'github', 'markdown'])('replay, --format %s: no raw control character, the escaped text is there', async (format) => {
    fake.setFaults([{ kind: 'body', status: 403, text: body, match: /^\/v1\.0\/contact/ }]);
    const r = await replay('--format', format);
    expect(r.code).toBe(1);
    for (const out of [r.stdout, r.stderr]) expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    if (format === 'text') expect(r.stdout).toContain('\\x1b[2J\\x1b]8;;https://evil.example/\\x07click');
  });

  it('with colour on (FORCE_COLOR=1): our colours are ESC sequences, the server\'s are not', async () => {
    fake.setFaults([{ kind: 'body', status: 403, text: body, match: /^\/v1\.0\/contact/ }]);
    const r = await replay('--lang', 'en');
    const coloured = await run(['diagnose', '--replay', 'GET', `${fake.url}${USER}`, '--app', 'crm', '--base-url', fake.url], { FORCE_COLOR: '1' });
    expect(r.stdout).not.toMatch(/\u001b/);
    expect(coloured.stdout).toMatch(/\u001b\[31m/); // ours
    expect(coloured.stdout).not.toMatch(CONTROLS); // only plain SGR colour codes are raw
    expect(coloured.stdout).toContain('\\x1b[2J');
  });

  it('check: an app-wide denial message with controls, in text and on a GitHub job log', async () => {
    const ip = JSON.stringify({ requestid: 'R2', code: 'Forbidden.AccessDenied.IpNotInWhiteList', message: `访问ip不在白名单之中 ${HOSTILE_MESSAGE}` });
    fake.setFaults([{ kind: 'body', status: 403, text: ip, match: /^\/v1\.0\/contact/ }]);
    for (const format of ['text', 'github', 'markdown']) {
      const r = await check('--format', format);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(r.stdout).toMatch(/ALL GOOD/);
    }
  });

  it('diagnose of an input with controls: text, markdown, github and the JSON stay inert', async () => {
    const input = `${body}\n`;
    for (const format of ['text', 'github', 'markdown']) {
      const r = await runCli(['diagnose', '-', '--format', format], { input });
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
    const json = await runCli(['diagnose', '-', '--json'], { input });
    expect(json.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(JSON.parse(json.stdout).findings[0].message).toContain('\u001b[2J');
  });

  it('a bad file name with controls is escaped on stderr', async () => {
    const r = await runCli(['diagnose', 'no-such-\u001b[2J-file.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\u001b/);
    expect(r.stderr).toContain('no-such-\\x1b[2J-file.json');
  });
});
