/**
 * Faults test/check-faults.test.ts does not cover: a fault on ONE probe among several
 * (the other scopes must still be judged and reported), faults at the token endpoint,
 * a timeout before the headers, and `diagnose --replay` under every fault. Each run ends
 * with a clear reason and the right exit code (1 when a scope is missing, else 3 for a
 * transport failure), and never prints the secret.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type Fault, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 'faults-secret-8e41b2c7';
const USER_PROBE = /^\/v1\.0\/contact\/users\/0$/;
const GRANTED = 'Agoal.Indicator.Read';
const MISSING = 'Calendar.Event.Write';
const FAULTED = 'Contact.User.Read';

let fake: FakeDingTalk;
let other: FakeDingTalk;
let ws: Workspace;
let faultsInjected = 0;

type Result = { scope: string; status: string; detail: string };
type Doc = { apps: Array<{ name: string; error?: { cause: string; code: string | null; message: string }; results: Result[] }> };

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: { crm: { type: 'internal', appKey: 'dingfaults2', appSecret: SECRET, grants: [FAULTED, GRANTED] } } });
  other = await startFakeDingTalk({ apps: {} });
  ws = workspace();
  ws.write('.dingtalkrc.json', JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'dingfaults2', appSecret: '${S}', required: [FAULTED, GRANTED] } } }));
});
afterAll(async () => {
  await fake.close();
  await other.close();
  ws.remove();
  console.log(`faults: ${faultsInjected} fault scenarios injected`);
});
beforeEach(() => {
  fake.requests.length = 0;
  other.requests.length = 0;
  fake.setFaults([]);
});

const inject = (faults: Fault[]) => {
  faultsInjected++;
  fake.setFaults(faults);
};
const run = (args: string[]) => runCli(args, { cwd: ws.dir, env: ws.env({ S: SECRET }), timeoutMs: 40_000 });
const check = (args: string[] = []) => run(['check', '--json', '--base-url', fake.url, '--timeout', '400', ...args]);
const byScope = (doc: Doc) => Object.fromEntries(doc.apps[0]!.results.map((r) => [r.scope, r]));
const noSecret = (r: { stdout: string; stderr: string }) => expect(leaked({ code: 0, ...r }, [SECRET, ...fake.issuedTokens])).toEqual([]);

/** One probe faulted, persistently; the reason its result must give. */
const PROBE_FAULTS: Array<[string, Fault, RegExp]> = [
  ['timeout before the headers', { kind: 'latency', ms: 3000, match: USER_PROBE }, /^timeout: /],
  ['HTTP 500 every time', { kind: 'status500', match: USER_PROBE }, /HTTP 500/],
  ['connection reset every time', { kind: 'reset', match: USER_PROBE }, /reset|socket|closed|network/i],
  ['a body slower than the timeout', { kind: 'slowBody', ms: 3000, match: USER_PROBE }, /^timeout: /],
  ['a non-JSON body', { kind: 'nonJson', match: USER_PROBE }, /not JSON/],
  ['a redirect to another host', { kind: 'redirect', location: 'http://127.0.0.1:9/v1.0/contact/users/0', match: USER_PROBE }, /redirected/],
];

describe('check: one faulted probe among several, every other scope still judged', () => {
  for (const [name, fault, reason] of PROBE_FAULTS) {
    it(`${name}: that scope is an error with the reason; granted and missing still reported; exit 1 (a scope is missing)`, async () => {
      inject([fault]);
      const r = await check(['--scope', MISSING]);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.apps[0]!.error).toBeUndefined();
      const s = byScope(doc);
      expect(Object.keys(s).sort()).toEqual([GRANTED, MISSING, FAULTED].sort());
      expect(s[FAULTED]!.status).toBe('error');
      expect(s[FAULTED]!.detail).toMatch(reason);
      expect(s[GRANTED]!.status).toBe('granted');
      expect(s[MISSING]!.status).toBe('missing');
      noSecret(r);
    });
  }

  it('with nothing missing, a probe that failed at the transport makes it exit 3; the text output names the reason', async () => {
    inject([{ kind: 'status500', match: USER_PROBE }]);
    const r = await run(['check', '--base-url', fake.url]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(FAULTED);
    expect(r.stdout).toMatch(/HTTP 500/);
    expect(r.stdout).toContain(GRANTED);
  });

  it('429 with Retry-After on every attempt: bounded, reported as the app being throttled, every scope listed', async () => {
    inject([{ kind: 'status429', retryAfter: '1', match: USER_PROBE }]);
    const r = await check(['--scope', MISSING]);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(Object.keys(byScope(doc)).sort()).toEqual([GRANTED, MISSING, FAULTED].sort());
    expect(doc.apps[0]!.error?.cause ?? byScope(doc)[FAULTED]!.detail).toMatch(/throttl|429/);
    expect([1, 3]).toContain(r.code);
    expect(fake.requests.filter((q) => USER_PROBE.test(q.path)).length).toBeLessThanOrEqual(4);
  });
});

describe('check: faults at the token endpoint', () => {
  const TOKEN = /oauth2/;
  for (const [name, fault, reason] of [
    ['HTTP 500', { kind: 'status500', match: TOKEN }, /500|InternalError/],
    ['connection reset', { kind: 'reset', match: TOKEN }, /reset|socket|closed|network/i],
    ['timeout', { kind: 'latency', ms: 3000, match: TOKEN }, /timeout|timed out/i],
    ['non-JSON body', { kind: 'nonJson', match: TOKEN }, /JSON|502/],
  ] as Array<[string, Fault, RegExp]>) {
    it(`${name}: the app's error says why, no scope is probed, exit 3, no secret`, async () => {
      inject([fault]);
      const r = await check();
      expect(r.code).toBe(3);
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.apps[0]!.error?.cause).toBe('token-failed');
      expect(`${doc.apps[0]!.error?.code} ${doc.apps[0]!.error?.message}`).toMatch(reason);
      expect(doc.apps[0]!.results.every((x) => x.status === 'error')).toBe(true);
      expect(fake.requests.filter((q) => q.kind !== 'token')).toHaveLength(0);
      noSecret(r);
    });
  }
});

describe('diagnose --replay under faults', () => {
  const replay = (extra: string[] = []) => run(['diagnose', '--replay', 'GET', `${fake.url}/v1.0/contact/users/0`, '--base-url', fake.url, '--timeout', '400', ...extra]);

  for (const [name, fault, reason] of [
    ['timeout', { kind: 'latency', ms: 3000, match: USER_PROBE }, /timeout/i],
    ['connection reset every time', { kind: 'reset', match: USER_PROBE }, /reset|socket|closed|network/i],
    ['a slow body', { kind: 'slowBody', ms: 3000, match: USER_PROBE }, /timeout/i],
  ] as Array<[string, Fault, RegExp]>) {
    it(`${name}: exit 3, one line on stderr with the reason, no stack, no secret`, async () => {
      inject([fault]);
      const r = await replay();
      expect(r.code).toBe(3);
      const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('replay: '));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(reason);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      noSecret(r);
    });
  }

  // A 5xx after the retries leaves the permission question open: exit 3, as `check` says for the same answer.
  it('HTTP 500 every time: retried (bounded), then the status and DingTalk\'s code are shown, exit 3 with the reason', async () => {
    inject([{ kind: 'status500', match: USER_PROBE }]);
    const r = await replay();
    expect(fake.requests.filter((q) => USER_PROBE.test(q.path))).toHaveLength(4);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('→ HTTP 500');
    expect(r.stdout).toContain('InternalError');
    expect(r.stdout).not.toMatch(/succeeded/i);
    expect(r.stderr).toContain('dingtalk-doctor: replay answered HTTP 500 (a server error, after the retries): the permission could not be checked');
    noSecret(r);
  });

  it('a non-JSON body (HTML from a gateway): the status and the body are shown, not taken for success; exit 3', async () => {
    inject([{ kind: 'nonJson', match: USER_PROBE }]);
    const r = await replay(['--json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('replay answered HTTP 502');
    const doc = JSON.parse(r.stdout) as { findings: Array<{ httpStatus: number; message: string }>; replay: { status: number } };
    expect(doc.replay.status).toBe(502);
    expect(doc.findings).toHaveLength(1);
    expect(doc.findings[0]).toMatchObject({ httpStatus: 502, message: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
  });

  it.each(['json', 'github', 'markdown'])('a redirect to another host, --format %s: not followed, exit 3, the reason on stderr', async (format) => {
    inject([{ kind: 'redirect', location: `${other.url}/v1.0/contact/users/0`, match: USER_PROBE }]);
    const r = await replay(['--format', format]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('dingtalk-doctor: replay answered HTTP 302 (a redirect, not followed): the permission could not be checked');
    expect(other.requests).toEqual([]);
    noSecret(r);
  });

  it('429 once with Retry-After: 1: waited for, retried, then the real answer (exit 0: granted)', async () => {
    inject([{ kind: 'status429', retryAfter: '1', match: USER_PROBE, times: 1 }]);
    const r = await replay();
    expect(r.code).toBe(0);
    expect(fake.requests.filter((q) => USER_PROBE.test(q.path))).toHaveLength(2);
  });

  it('the token endpoint down (500): exit 3, one line naming the app', async () => {
    inject([{ kind: 'status500', match: /oauth2/ }]);
    const r = await replay();
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('app "crm"');
    expect(fake.requests.filter((q) => q.kind !== 'token')).toHaveLength(0);
    noSecret(r);
  });
});
