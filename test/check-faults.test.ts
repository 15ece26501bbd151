/**
 * `check` under faults of the fake DingTalk: 429 with Retry-After, 500, connection
 * reset, slow body, non-JSON body, IP allow-list 403, rate-limit 403, redirect to
 * another host, latency past the deadline.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 'crm-secret-faults-42';
const USER_PROBE = /^\/v1\.0\/contact\/users\/0$/;
let fake: FakeDingTalk;
let other: FakeDingTalk;
let ws: Workspace;

type Doc = {
  apps: Array<{ name: string; error?: { cause: string; code: string | null; message: string; steps: string[] }; results: Array<{ scope: string; status: string; detail: string }> }>;
  summary: { missing: unknown[]; granted: number; unverifiable: number; errors: number; unverified: unknown[] };
};

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: { crm: { type: 'internal', appKey: 'dingfaultkey', appSecret: SECRET, grants: ['Contact.User.Read'] } } });
  other = await startFakeDingTalk({ apps: {} });
  ws = workspace();
  ws.write(
    '.dingtalkrc.json',
    JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'dingfaultkey', appSecret: '${CRM_SECRET}', required: ['Contact.User.Read'] } } }),
  );
});
afterAll(async () => {
  await fake.close();
  await other.close();
  ws.remove();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.setFaults([]);
});

const check = (args: string[] = []) =>
  runCli(['check', '--json', '--base-url', fake.url, ...args], { cwd: ws.dir, env: ws.env({ CRM_SECRET: SECRET }), timeoutMs: 40_000 });
const probes = () => fake.requests.filter((r) => USER_PROBE.test(r.path));
const statusOf = (doc: Doc, scope = 'Contact.User.Read') => doc.apps[0]!.results.find((r) => r.scope === scope)!;

describe('check retries', () => {
  it('429 with Retry-After once: waits, retries, then judges the real answer (exit 0)', async () => {
    fake.setFaults([{ kind: 'status429', retryAfter: '1', match: USER_PROBE, times: 1 }]);
    const r = await check();
    expect(r.code).toBe(0);
    expect(statusOf(JSON.parse(r.stdout) as Doc).status).toBe('granted');
    expect(probes()).toHaveLength(2);
  });

  it('a connection reset once is retried', async () => {
    fake.setFaults([{ kind: 'reset', match: USER_PROBE, times: 1 }]);
    const r = await check();
    expect(r.code).toBe(0);
    expect(probes()).toHaveLength(2);
  });

  it('500 every time: bounded retries (4 attempts), status error, exit 3', async () => {
    fake.setFaults([{ kind: 'status500', match: USER_PROBE }]);
    const r = await check();
    expect(r.code).toBe(3);
    const result = statusOf(JSON.parse(r.stdout) as Doc);
    expect(result.status).toBe('error');
    expect(result.detail).toMatch(/HTTP 500/);
    expect(probes()).toHaveLength(4);
  });

  it('a Retry-After longer than we wait for is not slept on: one attempt, error', async () => {
    fake.setFaults([{ kind: 'status429', retryAfter: '3600', match: USER_PROBE }]);
    const r = await check();
    expect(probes()).toHaveLength(1);
    const doc = JSON.parse(r.stdout) as Doc;
    // A 429 is a rate limit of the whole app: reported once as such, exit 1 (a denial, not a tool failure).
    expect(doc.apps[0]!.error?.cause).toBe('throttled');
    expect(r.code).toBe(1);
  });
});

describe('check transport faults', () => {
  it('a body slower than --timeout: error (timeout), exit 3', async () => {
    fake.setFaults([{ kind: 'slowBody', ms: 3000, match: USER_PROBE }]);
    const r = await check(['--timeout', '300']);
    expect(r.code).toBe(3);
    const result = statusOf(JSON.parse(r.stdout) as Doc);
    expect(result.status).toBe('error');
    expect(result.detail).toMatch(/^timeout: /);
  });

  it('a non-JSON body (HTML from a proxy): error, never granted', async () => {
    fake.setFaults([{ kind: 'nonJson', match: USER_PROBE }]);
    const r = await check();
    const result = statusOf(JSON.parse(r.stdout) as Doc);
    expect(result.status).toBe('error');
    expect(result.detail).toMatch(/not JSON/);
    expect(r.code).toBe(3);
  });

  it('latency past the total --deadline: the probe errors out, exit 3', async () => {
    fake.setFaults([{ kind: 'latency', ms: 2500, match: USER_PROBE }]);
    const r = await check(['--deadline', '800']);
    expect(r.code).toBe(3);
    const result = statusOf(JSON.parse(r.stdout) as Doc);
    expect(result.status).toBe('error');
    // Cut short by the total deadline, not by the per-request --timeout: say so.
    expect(result.detail).toMatch(/^deadline: the total deadline \(800 ms\) passed/);
  });

  it('a redirect to another host is not followed: the token never reaches it', async () => {
    fake.setFaults([{ kind: 'redirect', location: `${other.url}/v1.0/contact/users/0`, match: USER_PROBE }]);
    const r = await check();
    const result = statusOf(JSON.parse(r.stdout) as Doc);
    expect(result.status).toBe('error');
    expect(result.detail).toContain('redirected');
    expect(other.requests).toHaveLength(0);
    expect(r.code).toBe(3);
  });

  it('a redirect at the token endpoint is a token failure; the credentials never reach the other host', async () => {
    fake.setFaults([{ kind: 'redirect', location: `${other.url}/v1.0/oauth2/accessToken`, match: /oauth2/ }]);
    const r = await check();
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.apps[0]!.error).toMatchObject({ cause: 'token-failed', code: 'redirect' });
    expect(other.requests).toHaveLength(0);
    expect(leaked(r, [SECRET])).toEqual([]);
  });
});

describe('check: app-wide refusals are reported once', () => {
  const many = ['Contact.User.Read', 'Calendar.Event.Write', 'Agoal.Indicator.Read', 'Agoal.Objective.Read', 'Agoal.ObjectiveProgress.Read'];

  it('IP allow-list 403: one app error with its fix, the other scopes not probed (concurrency 1: exactly one probe), exit 1', async () => {
    fake.setFaults([{ kind: 'ipNotAllowed' }]);
    const r = await check(['--concurrency', '1', ...many.flatMap((s) => ['--scope', s])]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.apps[0]!.error).toMatchObject({ cause: 'ip-not-allowed', code: 'Forbidden.AccessDenied.IpNotInWhiteList' });
    expect(doc.apps[0]!.error!.steps.join(' ')).toContain('203.0.113.7');
    expect(doc.apps[0]!.results.map((x) => x.status)).toEqual(['error', 'error', 'error', 'error', 'error']);
    // The counts are the rows: five error rows are five errors (the app error is their cause, not a sixth).
    expect(doc.summary).toEqual({ missing: [], granted: 0, unverifiable: 0, errors: 5, unverified: [] });
    expect(fake.requests.filter((q) => q.kind !== 'token')).toHaveLength(1);
  });

  it('a rate limit that outlasts the pauses (1 s, 2 s): named once in the text, not "every scope missing"', async () => {
    fake.setFaults([{ kind: 'qpsLimit' }]);
    const r = await runCli(['check', '--base-url', fake.url, '--concurrency', '2', ...many.flatMap((s) => ['--scope', s])], { cwd: ws.dir, env: ws.env({ CRM_SECRET: SECRET }) });
    expect(r.code).toBe(1);
    expect(r.stdout.match(/error: throttled/g)).toHaveLength(1);
    expect(r.stdout).not.toMatch(/\bmissing\s{2,}/);
    // two probes in flight, each sent three times (first try + two pauses); the rest never sent
    const probes = fake.requests.filter((q) => q.kind !== 'token');
    expect(probes.length).toBeGreaterThanOrEqual(3);
    expect(probes.length).toBeLessThanOrEqual(6);
    // the default pauses, 1 s then 2 s, as announced (no clock in the test: the pause lengths are the app's)
    expect(r.stderr.match(/pausing [\d.]+ s/g)).toEqual(['pausing 1 s', 'pausing 2 s']);
  });

  it('a Retry-After on the rate limit sets how long a pause lasts, not how many: still two pauses', async () => {
    fake.setFaults([{ kind: 'qpsLimit', retryAfter: '0.3' }]);
    const r = await check(['--concurrency', '1', ...many.flatMap((s) => ['--scope', s])]);
    expect((JSON.parse(r.stdout) as Doc).apps[0]!.error?.cause).toBe('throttled');
    const probes = fake.requests.filter((q) => q.kind !== 'token');
    expect(probes).toHaveLength(3);
    // the pauses are the server's 0.3 s, not our default 1 s and 2 s: as announced, and at least that long
    // (no upper bound on the gaps: a loaded machine may take longer)
    expect(r.stderr.match(/pausing [\d.]+ s/g)).toEqual(['pausing 0.3 s', 'pausing 0.3 s']);
    for (const [a, b] of [[0, 1], [1, 2]] as const) expect(probes[b]!.at - probes[a]!.at).toBeGreaterThanOrEqual(290);
  });

  it('a passing rate limit pauses the app and resumes: every scope gets its real answer, no app error', async () => {
    fake.setFaults([{ kind: 'qpsLimit', times: 3 }]);
    const r = await check(['--concurrency', '2', ...many.flatMap((s) => ['--scope', s])]);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.apps[0]!.error).toBeUndefined();
    const byScope = Object.fromEntries(doc.apps[0]!.results.map((x) => [x.scope, x]));
    expect(byScope['Contact.User.Read']!.status).toBe('granted');
    for (const scope of many.slice(1)) expect(byScope[scope]!.status).toBe('missing');
    expect(r.code).toBe(1);
    expect(doc.apps[0]!.results.filter((x) => /rate-limit pause/.test(x.detail)).length).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toMatch(/^app "crm" is rate-limited by DingTalk: pausing 1 s, then resuming$/m);
    // the three refused probes were sent again; every scope was probed
    expect(fake.requests.filter((q) => q.kind !== 'token')).toHaveLength(many.length + 3);
  });

  it('legacy oapi: HTTP 200 with errcode 90002 (API calls disabled for a while) pauses and resumes too', async () => {
    fake.setFaults([{ kind: 'qpsLimit', times: 1, match: /^\/topapi\// }]);
    const r = await check(['--scope', 'qyapi_get_department_list', '--scope', 'Contact.User.Read']);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.apps[0]!.error).toBeUndefined();
    const legacy = doc.apps[0]!.results.find((x) => x.scope === 'qyapi_get_department_list')!;
    expect(legacy.status).toBe('missing');
    expect(legacy.detail).toMatch(/after 1 rate-limit pause/);
    expect(fake.requests.filter((q) => q.kind === 'legacy')).toHaveLength(2);
  });
});
