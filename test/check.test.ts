/**
 * `check` end to end: the built CLI against the fake DingTalk on 127.0.0.1, for every
 * app type. Asserts exact statuses, exit codes, one token request per app, and that no
 * secret or token ever reaches stdout/stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRETS = {
  crm: 'crm-secret-9f8e7d',
  org: 'org-secret-1a2b3c',
  suite: 'suite-secret-4d5e6f',
  ticket: 'suite-ticket-777888',
  personalSecret: 'personal-secret-abcabc',
  refresh: 'refresh-token-xyzxyz',
  userToken: 'user-access-token-000111',
};

let fake: FakeDingTalk;
let ws: Workspace;

const CONFIG = `
defaultApp: crm
apps:
  crm:
    type: internal
    appKey: dingcrmkey
    appSecret: \${CRM_SECRET}
    required:
      - Contact.User.Read
      - Calendar.Event.Write
      - qyapi_base
      - Contact.User.mobile
  org:
    type: internal
    clientId: dingorgkey
    clientSecret: \${ORG_SECRET}
    corpId: dingcorp001
    required: [Contact.User.Read]
  isv:
    type: third-party-enterprise
    suiteKey: suiteisvkey
    suiteSecret: \${SUITE_SECRET}
    authCorpId: dingcustomer01
    suiteTicket: \${SUITE_TICKET}
    required: [Contact.User.Read]
  personal:
    type: third-party-personal
    clientId: dingpersonal
    clientSecret: \${PERSONAL_SECRET}
    refreshToken: \${REFRESH_TOKEN}
    required: [Contact.User.Read]
  user:
    type: third-party-personal
    accessToken: \${USER_TOKEN}
    required: [Contact.User.Read]
`;

const env = () =>
  ws.env({
    CRM_SECRET: SECRETS.crm,
    ORG_SECRET: SECRETS.org,
    SUITE_SECRET: SECRETS.suite,
    SUITE_TICKET: SECRETS.ticket,
    PERSONAL_SECRET: SECRETS.personalSecret,
    REFRESH_TOKEN: SECRETS.refresh,
    USER_TOKEN: SECRETS.userToken,
  });

const check = (args: string[], extraEnv: Record<string, string> = {}) =>
  runCli(['check', '--base-url', fake.url, ...args], { cwd: ws.dir, env: { ...env(), ...extraEnv } });

const allSecrets = () => [...Object.values(SECRETS), ...fake.issuedTokens];

type CheckDoc = {
  schemaVersion: number;
  command: string;
  apps: Array<{ name: string; type: string; error?: { cause: string; code: string | null; message: string }; results: Array<{ scope: string; status: string; kind: string; probe: { method: string; path: string } | null; detail: string; consoleUrl?: string }> }>;
  summary: { missing: Array<{ app: string; scope: string }>; granted: number; unverifiable: number; errors: number; unverified: Array<{ app: string; scope: string; detail: string }> };
};

beforeAll(async () => {
  fake = await startFakeDingTalk({
    apps: {
      crm: { type: 'internal', appKey: 'dingcrmkey', appSecret: SECRETS.crm, grants: ['Contact.User.Read'] },
      org: { type: 'internal', appKey: 'dingorgkey', appSecret: SECRETS.org, corpId: 'dingcorp001', grants: ['Contact.User.Read'] },
      isv: { type: 'third-party-enterprise', suiteKey: 'suiteisvkey', suiteSecret: SECRETS.suite, authCorpId: 'dingcustomer01', suiteTicket: SECRETS.ticket, grants: [] },
      personal: { type: 'third-party-personal', clientId: 'dingpersonal', clientSecret: SECRETS.personalSecret, refreshToken: SECRETS.refresh, grants: ['Contact.User.Read'] },
      user: { type: 'third-party-personal', accessToken: SECRETS.userToken, grants: [] },
    },
  });
  ws = workspace();
  ws.write('.dingtalkrc.yml', CONFIG);
});

afterAll(async () => {
  await fake.close();
  ws.remove();
});

describe('check: internal app', () => {
  it('reports the missing scope with its apply link, base scope granted unprobed, no-probe scope unverifiable; exit 1', async () => {
    fake.requests.length = 0;
    const r = await check(['--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as CheckDoc;
    expect(doc.schemaVersion).toBe(1);
    expect(doc.command).toBe('check');
    expect(doc.apps).toHaveLength(1);
    const statuses = Object.fromEntries(doc.apps[0]!.results.map((x) => [x.scope, x.status]));
    expect(statuses).toEqual({
      'Contact.User.Read': 'granted',
      'Calendar.Event.Write': 'missing',
      qyapi_base: 'granted',
      'Contact.User.mobile': 'unverifiable',
    });
    const missing = doc.apps[0]!.results.find((x) => x.scope === 'Calendar.Event.Write')!;
    expect(missing.consoleUrl).toBe('https://open-dev.dingtalk.com/appscope/apply?content=dingcrmkey%23Calendar.Event.Write');
    expect(missing.probe).toEqual({ method: 'GET', path: '/v1.0/calendar/users/0/calendars/0/events/0/signInLinks' });
    expect(doc.apps[0]!.results.find((x) => x.scope === 'qyapi_base')!.probe).toBeNull();
    expect(doc.summary).toEqual({
      missing: [{ app: 'crm', scope: 'Calendar.Event.Write' }],
      granted: 2,
      unverifiable: 1,
      errors: 0,
      unverified: [{ app: 'crm', scope: 'Contact.User.mobile', detail: expect.stringMatching(/^no safe read-only probe/) }],
    });

    // One token request, then two probes carrying that token in the header; nothing for qyapi_base or the unprobeable scope.
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(JSON.parse(fake.tokenRequests()[0]!.body)).toEqual({ appKey: 'dingcrmkey', appSecret: SECRETS.crm });
    const probes = fake.requests.filter((q) => q.kind !== 'token');
    expect(probes.map((q) => q.path).sort()).toEqual(['/v1.0/calendar/users/0/calendars/0/events/0/signInLinks', '/v1.0/contact/users/0']);
    expect(probes.every((q) => q.app === 'crm' && q.headers['x-acs-dingtalk-access-token'] === q.token && !q.query.access_token)).toBe(true);
    expect(leaked(r, allSecrets())).toEqual([]);
  });

  it('text output: a table, the steps and the per-app apply link for the missing scope', async () => {
    const r = await check(['--app', 'crm']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Calendar\.Event\.Write\s+.*missing/);
    expect(r.stdout).toMatch(/qyapi_base\s+.*granted\s+nothing \(base scope, not probed\)/);
    expect(r.stdout).toMatch(/Contact\.User\.mobile\s+.*unverifiable\s+no safe read-only probe/);
    expect(r.stdout).toContain('https://open-dev.dingtalk.com/appscope/apply?content=dingcrmkey%23Calendar.Event.Write');
    expect(r.stdout).toContain('Manage permissions');
    expect(r.stdout).toContain('Summary: 1 missing, 2 granted, 1 unverifiable, 0 errors');
    expect(leaked(r, allSecrets())).toEqual([]);
  });

  it('--scope and --api add to the required list; an API the catalog cannot map is reported, not skipped', async () => {
    const r = await check(['--json', '--scope', 'qyapi_get_department_list', '--api', 'GET /v1.0/contact/users/{userId}', '--api', 'GET /v1.0/nothing/here/at/all']);
    const doc = JSON.parse(r.stdout) as CheckDoc & { apps: Array<{ unmappedApis: Array<{ api: string }> }> };
    const results = doc.apps[0]!.results;
    // The API maps to Contact.User.Read, already required: not duplicated.
    expect(results.filter((x) => x.scope === 'Contact.User.Read')).toHaveLength(1);
    const legacy = results.find((x) => x.scope === 'qyapi_get_department_list')!;
    expect(legacy.status).toBe('missing');
    expect(legacy.probe).toEqual({ method: 'POST', path: '/topapi/role/getrolegroup' });
    expect(doc.apps[0]!.unmappedApis.map((u) => u.api)).toEqual(['GET /v1.0/nothing/here/at/all']);
    // Legacy oapi got the token in ?access_token=, not in the header.
    const oapi = fake.requests.filter((q) => q.path === '/topapi/role/getrolegroup').at(-1)!;
    expect(oapi.query.access_token).toBe(oapi.token);
    expect(oapi.headers['x-acs-dingtalk-access-token']).toBeUndefined();
    expect(r.code).toBe(1);
  });

  it('exit 0 when every scope is granted', async () => {
    const r = await check(['--app', 'org', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as CheckDoc;
    expect(doc.apps[0]!.results.map((x) => [x.scope, x.status])).toEqual([['Contact.User.Read', 'granted']]);
  });
});

describe('check: every app type', () => {
  it('--all-apps: one token request per app with the right flow, each app judged on its own grants', async () => {
    fake.requests.length = 0;
    const r = await check(['--all-apps', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as CheckDoc;
    const byApp = Object.fromEntries(doc.apps.map((a) => [a.name, { type: a.type, user: a.results.find((x) => x.scope === 'Contact.User.Read')?.status }]));
    expect(byApp).toEqual({
      crm: { type: 'internal', user: 'granted' },
      org: { type: 'internal', user: 'granted' },
      isv: { type: 'third-party-enterprise', user: 'missing' },
      personal: { type: 'third-party-personal', user: 'granted' },
      user: { type: 'third-party-personal', user: 'missing' },
    });
    const tokenPaths = fake.tokenRequests().map((q) => q.path).sort();
    expect(tokenPaths).toEqual(['/v1.0/oauth2/accessToken', '/v1.0/oauth2/corpAccessToken', '/v1.0/oauth2/dingcorp001/token', '/v1.0/oauth2/userAccessToken']);
    const bodies = Object.fromEntries(fake.tokenRequests().map((q) => [q.path, JSON.parse(q.body) as Record<string, string>]));
    expect(bodies['/v1.0/oauth2/dingcorp001/token']).toEqual({ client_id: 'dingorgkey', client_secret: SECRETS.org, grant_type: 'client_credentials' });
    expect(bodies['/v1.0/oauth2/corpAccessToken']).toEqual({ suiteKey: 'suiteisvkey', suiteSecret: SECRETS.suite, authCorpId: 'dingcustomer01', suiteTicket: SECRETS.ticket });
    expect(bodies['/v1.0/oauth2/userAccessToken']).toEqual({ clientId: 'dingpersonal', clientSecret: SECRETS.personalSecret, refreshToken: SECRETS.refresh, grantType: 'refresh_token' });
    // The "user" app used its configured token directly.
    expect(fake.requests.some((q) => q.app === 'user' && q.token === SECRETS.userToken)).toBe(true);
    expect(doc.summary.missing).toEqual(
      expect.arrayContaining([
        { app: 'crm', scope: 'Calendar.Event.Write' },
        { app: 'isv', scope: 'Contact.User.Read' },
        { app: 'user', scope: 'Contact.User.Read' },
      ]),
    );
    expect(doc.summary.missing).toHaveLength(3);
    expect(leaked(r, allSecrets())).toEqual([]);
  });

  it('a refused token is reported for that app with the reason, exit 3, never the secret', async () => {
    const r = await check(['--all-apps', '--json'], { SUITE_TICKET: 'stale-ticket-123', CRM_SECRET: 'wrong-secret-456' });
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as CheckDoc;
    const errors = Object.fromEntries(doc.apps.filter((a) => a.error).map((a) => [a.name, [a.error!.cause, a.error!.code]]));
    expect(errors).toEqual({ crm: ['token-failed', 'invalidClientIdOrSecret'], isv: ['token-failed', 'invalidSuiteTicket'] });
    expect(doc.apps.find((a) => a.name === 'org')!.error).toBeUndefined();
    expect(leaked(r, [...allSecrets(), 'stale-ticket-123', 'wrong-secret-456'])).toEqual([]);

    const text = await check(['--app', 'isv'], { SUITE_TICKET: 'stale-ticket-123' });
    expect(text.code).toBe(3);
    expect(text.stdout).toContain('invalidSuiteTicket');
    expect(text.stdout).toContain('suiteTicket');
    expect(leaked(text, ['stale-ticket-123', SECRETS.suite])).toEqual([]);
  });
});

describe('check: a configured user access token that DingTalk refuses', () => {
  it('is a token failure of that app (exit 3) that says to refresh the token, not a missing scope', async () => {
    const r = await check(['--app', 'user', '--json'], { USER_TOKEN: 'expired-user-token-555' });
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as CheckDoc & { apps: Array<{ error?: { steps: string[] } }> };
    const app = doc.apps[0]!;
    expect(app.error).toMatchObject({ cause: 'token-failed', code: 'InvalidAuthentication' });
    expect(app.error!.steps.join(' ')).toContain('refreshToken');
    expect(app.error!.steps.join(' ')).not.toContain('AppSecret');
    expect(doc.summary.missing).toEqual([]);
    expect(leaked(r, ['expired-user-token-555', ...allSecrets()])).toEqual([]);
  });

  it('a refused refresh token: exit 3, the fix names the refresh token', async () => {
    const r = await check(['--app', 'personal', '--json'], { REFRESH_TOKEN: 'stale-refresh-666' });
    expect(r.code).toBe(3);
    const app = (JSON.parse(r.stdout) as { apps: Array<{ error?: { cause: string; steps: string[] } }> }).apps[0]!;
    expect(app.error!.cause).toBe('token-failed');
    expect(app.error!.steps.join(' ')).toContain('refreshToken');
    expect(leaked(r, ['stale-refresh-666', ...allSecrets()])).toEqual([]);
  });
});

describe('check: output formats', () => {
  it('github: ::error per missing scope, ::warning per unverifiable, summary appended to $GITHUB_STEP_SUMMARY', async () => {
    const summaryFile = ws.write('step-summary.md', '# before\n');
    const r = await check(['--app', 'crm', '--format', 'github'], { GITHUB_STEP_SUMMARY: summaryFile });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    // file= and line= point at the `required` entry in the config file the scope came from
    const line = CONFIG.split('\n').findIndex((l) => l.includes('Calendar.Event.Write')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(lines.filter((l) => l.startsWith('::error '))).toEqual([
      expect.stringMatching(new RegExp(`^::error file=\\.dingtalkrc\\.yml,line=${line},title=Missing DingTalk scope Calendar\\.Event\\.Write \\(app crm\\)::App crm lacks Calendar\\.Event\\.Write .*content=dingcrmkey%2523Calendar\\.Event\\.Write$`)),
    ]);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('::warning '))).toContain('Contact.User.mobile');
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(summaryFile, 'utf8');
    expect(md.startsWith('# before\n')).toBe(true);
    expect(md).toContain('| `Calendar.Event.Write` |');
    expect(md).toContain('❌ missing');
  });

  it('markdown: a table fit for a PR comment', async () => {
    const r = await check(['--app', 'crm', '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('| Scope | Name | Kind | Status | What to do |');
    expect(r.stdout).toContain('[Request permission](https://open-dev.dingtalk.com/appscope/apply?content=dingcrmkey%23Calendar.Event.Write)');
    expect(r.stdout).toMatch(/\| `qyapi_base` \| .* \| standard \(base\) \| ✅ granted \| nothing \(base scope\) \|/);
  });
});
