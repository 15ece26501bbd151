/**
 * Token host allow-list with two real loopback servers: "DingTalk" (the fake, given as
 * --base-url) and "elsewhere" (another fake on another port of 127.0.0.1 — another origin).
 * A replay of a URL on elsewhere, a redirect to elsewhere (replay and check, new API and
 * legacy), a HAR entry or curl line aimed at elsewhere: elsewhere never sees
 * `x-acs-dingtalk-access-token` nor `access_token`. Only when elsewhere is given explicitly
 * (--base-url, --oapi-base-url, DINGTALK_API_BASE) does it get a token — the positive
 * control that proves the assertions can fail.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type FakeApp, type FakeDingTalk, type RecordedRequest } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 'hosts-secret-5c1f0a93';
const OLD = 'hosts-old-token-77d2';
const APPS: Record<string, FakeApp> = { crm: { type: 'internal', appKey: 'dinghostskey', appSecret: SECRET, grants: ['Contact.User.Read'] } };
const USER = '/v1.0/contact/users/0';
const LEGACY = '/topapi/edu/dept/get'; // the legacy probe of qyapi_addresslist_edu_read

let dingtalk: FakeDingTalk;
let elsewhere: FakeDingTalk;
let ws: Workspace;

beforeAll(async () => {
  dingtalk = await startFakeDingTalk({ apps: APPS });
  elsewhere = await startFakeDingTalk({ apps: APPS });
  ws = workspace();
  ws.write('.dingtalkrc.json', JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'dinghostskey', appSecret: '${S}', required: ['Contact.User.Read'] } } }));
});
afterAll(async () => {
  await dingtalk.close();
  await elsewhere.close();
  ws.remove();
});
beforeEach(() => {
  for (const s of [dingtalk, elsewhere]) {
    s.requests.length = 0;
    s.setFaults([]);
  }
});

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: ws.dir, env: ws.env({ S: SECRET, ...env }) });
const replay = (args: string[], env: Record<string, string> = {}) => run(['diagnose', '--replay', '--app', 'crm', ...args], env);

/** Anything token-like elsewhere received: the header, a query parameter, or a token/secret in the body. */
function tokensSeen(requests: RecordedRequest[]): string[] {
  const seen: string[] = [];
  for (const q of requests) {
    if (q.headers['x-acs-dingtalk-access-token'] !== undefined) seen.push(`${q.method} ${q.path}: header x-acs-dingtalk-access-token`);
    if (Object.keys(q.query).some((k) => k.toLowerCase() === 'access_token')) seen.push(`${q.method} ${q.path}: query access_token`);
    if (q.headers.authorization !== undefined) seen.push(`${q.method} ${q.path}: authorization header`);
    for (const t of [SECRET, OLD, ...dingtalk.issuedTokens]) if (q.body.includes(t) || JSON.stringify(q.query).includes(t)) seen.push(`${q.method} ${q.path}: ${t === SECRET ? 'the secret' : 'a token'} in the request`);
  }
  return seen;
}

describe('replay never sends a token to another host', () => {
  it('METHOD URL on elsewhere (same 127.0.0.1, other port): refused, exit 2, elsewhere sees nothing', async () => {
    const r = await replay(['GET', `${elsewhere.url}${USER}`, '--base-url', dingtalk.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`will not send a DingTalk token to 127.0.0.1:${elsewhere.port}`);
    expect(elsewhere.requests).toEqual([]);
  });

  it('a legacy URL on elsewhere carrying an old ?access_token=: refused; neither server sees the old token', async () => {
    const r = await replay(['GET', `${elsewhere.url}${LEGACY}?access_token=${OLD}&dept_id=1`, '--base-url', dingtalk.url]);
    expect(r.code).toBe(2);
    expect(elsewhere.requests).toEqual([]);
    expect(tokensSeen(dingtalk.requests.filter((q) => q.kind !== 'token'))).toEqual([]);
    expect(leaked(r, [SECRET, OLD, ...dingtalk.issuedTokens])).toEqual([]);
  });

  it('a curl line with a Host header claiming DingTalk, aimed at elsewhere: refused', async () => {
    const r = await replay([`curl -H 'Host: api.dingtalk.com' -H 'x-acs-dingtalk-access-token: ${OLD}' '${elsewhere.url}${USER}'`, '--base-url', dingtalk.url]);
    expect(r.code).toBe(2);
    expect(elsewhere.requests).toEqual([]);
  });

  it('a HAR entry on elsewhere: refused', async () => {
    const har = ws.write('elsewhere.har', JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: `${elsewhere.url}${USER}`, headers: [{ name: 'x-acs-dingtalk-access-token', value: OLD }] }, response: { status: 403 } }] } }));
    const r = await replay([har, '--base-url', dingtalk.url]);
    expect(r.code).toBe(2);
    expect(elsewhere.requests).toEqual([]);
  });

  it('a https://api.dingtalk.com URL is re-aimed at the --base-url: DingTalk gets the fresh token, elsewhere nothing', async () => {
    const r = await replay(['GET', `https://api.dingtalk.com${USER}`, '--base-url', dingtalk.url]);
    expect(r.code).toBe(0); // granted: the fake answers 400 InvalidParameter for the dummy id
    const sent = dingtalk.requests.filter((q) => q.kind !== 'token');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.app).toBe('crm');
    expect(elsewhere.requests).toEqual([]);
  });

  it('a redirect from DingTalk to elsewhere (new API) is not followed: exit 3, elsewhere sees nothing', async () => {
    dingtalk.setFaults([{ kind: 'redirect', location: `${elsewhere.url}${USER}` }]);
    const r = await replay(['GET', `${dingtalk.url}${USER}`, '--base-url', dingtalk.url]);
    expect(r.code).toBe(3);
    expect(`${r.stdout}${r.stderr}`).toMatch(/redirect/i);
    expect(elsewhere.requests).toEqual([]);
  });

  it('a redirect of a legacy call (token in the query) is not followed either', async () => {
    dingtalk.setFaults([{ kind: 'redirect', location: `${elsewhere.url}${LEGACY}` }]);
    const r = await replay(['GET', `${dingtalk.url}${LEGACY}`, '--base-url', dingtalk.url]);
    expect(r.code).toBe(3);
    expect(elsewhere.requests).toEqual([]);
  });

  it('a redirect that carries the token in its Location (?access_token= echoed) still goes nowhere', async () => {
    dingtalk.setFaults([{ kind: 'redirect', location: `${elsewhere.url}${LEGACY}?access_token=${OLD}` }]);
    const r = await replay(['GET', `${dingtalk.url}${LEGACY}`, '--base-url', dingtalk.url]);
    expect(r.code).toBe(3);
    expect(elsewhere.requests).toEqual([]);
    expect(leaked(r, [SECRET, ...dingtalk.issuedTokens])).toEqual([]);
  });
});

describe('check never follows a token elsewhere', () => {
  it('a redirect of a legacy probe (token in ?access_token=) to elsewhere: error, elsewhere sees nothing, the other scope still judged', async () => {
    dingtalk.setFaults([{ kind: 'redirect', location: `${elsewhere.url}${LEGACY}`, match: /^\/topapi\// }]);
    const r = await run(['check', '--json', '--base-url', dingtalk.url, '--scope', 'qyapi_addresslist_edu_read']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { apps: Array<{ results: Array<{ scope: string; status: string; detail: string }> }> };
    const byScope = Object.fromEntries(doc.apps[0]!.results.map((x) => [x.scope, x]));
    expect(byScope['qyapi_addresslist_edu_read']).toMatchObject({ status: 'error' });
    expect(byScope['qyapi_addresslist_edu_read']!.detail).toContain('redirected');
    expect(byScope['Contact.User.Read']).toMatchObject({ status: 'granted' });
    expect(elsewhere.requests).toEqual([]);
  });

  it('a redirect of the token request itself sends the secret nowhere else', async () => {
    dingtalk.setFaults([{ kind: 'redirect', location: `${elsewhere.url}/v1.0/oauth2/accessToken`, match: /oauth2/ }]);
    const r = await run(['check', '--json', '--base-url', dingtalk.url]);
    expect(r.code).toBe(3);
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('given explicitly, elsewhere is allowed (positive control)', () => {
  it('--base-url elsewhere: the token request and the probe go there, with the token', async () => {
    const r = await run(['check', '--json', '--base-url', elsewhere.url]);
    expect(r.code).toBe(0);
    expect(elsewhere.tokenRequests()).toHaveLength(1);
    expect(tokensSeen(elsewhere.requests).some((s) => s.includes('x-acs-dingtalk-access-token'))).toBe(true);
    expect(dingtalk.requests).toEqual([]);
  });

  it('DINGTALK_API_BASE=elsewhere: same as --base-url', async () => {
    const r = await replay(['GET', `${elsewhere.url}${USER}`], { DINGTALK_API_BASE: elsewhere.url });
    expect(r.code).toBe(0);
    expect(elsewhere.requests.filter((q) => q.kind !== 'token').map((q) => q.app)).toEqual(['crm']);
  });

  it('--oapi-base-url elsewhere: legacy calls may carry the token there, new-API calls may not', async () => {
    const legacy = await replay(['GET', `${elsewhere.url}${LEGACY}`, '--base-url', dingtalk.url, '--oapi-base-url', elsewhere.url]);
    expect(legacy.code).not.toBe(2);
    const got = elsewhere.requests.filter((q) => q.kind !== 'token');
    expect(got).toHaveLength(1);
    expect(got[0]!.query.access_token).toBeDefined();
    expect(got[0]!.headers['x-acs-dingtalk-access-token']).toBeUndefined();
    // The token came from the api base (DingTalk), the legacy call went to the explicit oapi base.
    expect(dingtalk.tokenRequests()).toHaveLength(1);
  });
});
