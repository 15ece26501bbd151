/**
 * `check` with DingTalk's CLI dws: the built CLI with the fake dws (test/fake-dws/dws, speaking
 * the JSON of dws-permissions.md) first on PATH and the fake DingTalk on 127.0.0.1 for the probes.
 * Internal and ISV apps over several pages of permissions, both / dws / probe, disagreements,
 * dws's failures in one line with the probes deciding, the learned kinds in `scopes show`,
 * `--apply --yes`, and no secret ever reaching dws. The permission lists use the catalog's real
 * scope codes (src/data/scopes.json) as filler: 160 items, as "150+ per app is normal" (permission.md:9).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { fakeDws, type FakeDws, type FakeDwsState, type FakePermission } from './fake-dws/setup.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const SECRETS = { crm: 'crm-secret-9f8e7d', suite: 'suite-secret-4d5e6f', ticket: 'suite-ticket-777888' };

const CONFIG = `
apps:
  crm:
    type: internal
    appKey: dingcrmkey
    appSecret: \${CRM_SECRET}
    required: [Contact.User.Read, Calendar.Event.Write, qyapi_base, Contact.User.mobile]
  isv:
    type: third-party-enterprise
    suiteKey: suiteisvkey
    suiteSecret: \${SUITE_SECRET}
    authCorpId: dingcustomer01
    suiteTicket: \${SUITE_TICKET}
    required: [Contact.User.Read, Calendar.Event.Write]
`;

const CHECKED = new Set(['contact.user.read', 'calendar.event.write', 'contact.user.mobile', 'qyapi_base']);
const filler = getCatalog()
  .allScopes()
  .filter((s) => !CHECKED.has(s.code.toLowerCase()))
  .map((s, i): FakePermission => ({ scopeValue: s.code, scopeName: s.name.zh ?? s.code, authStatus: 'UNAUTHED', requiredApproval: i % 3 === 0, allowedActions: ['view', 'detail', 'apply'] }));

/** 160 items, the checked scopes on pages 3 (page size 50): all pages must be read to find them. */
function crmPermissions(): FakePermission[] {
  const checked: FakePermission[] = [
    { scopeValue: 'Contact.User.Read', scopeName: '通讯录个人信息读权限', authStatus: 'AUTHED', requiredApproval: false, allowedActions: ['view', 'detail', 'remove'] },
    { scopeValue: 'Calendar.Event.Write', scopeName: '日程写权限', authStatus: 'UNAUTHED', requiredApproval: true, allowedActions: ['view', 'detail', 'apply'], displayMessage: '需审批' },
    { scopeValue: 'Contact.User.mobile', scopeName: '个人手机号信息', authStatus: 'UNAUTHED', requiredApproval: false, allowedActions: ['view', 'detail', 'apply'] },
  ];
  return [...filler.slice(0, 110), ...checked, ...filler.slice(110, 157)];
}

/** The ISV app's items use the skill's `authed` boolean instead of `authStatus` (dws-permissions.md §7). */
const isvPermissions = (): FakePermission[] => [
  ...filler.slice(0, 60).map(({ authStatus: _, ...p }) => ({ ...p, authed: false })),
  { scopeValue: 'Contact.User.Read', scopeName: '通讯录个人信息读权限', authed: true, requiredApproval: false },
  { scopeValue: 'Calendar.Event.Write', scopeName: '日程写权限', authed: false, requiredApproval: true, allowedActions: ['view', 'apply'] },
];

const STATE = (): FakeDwsState => ({
  loggedIn: true,
  user: '张三',
  corp: '示例科技',
  apps: { dingcrmkey: { unifiedAppId: 'u-crm-123', permissions: crmPermissions() }, suiteisvkey: { unifiedAppId: 'u-isv-456', permissions: isvPermissions() } },
});

let fake: FakeDingTalk;
let ws: Workspace;
let dws: FakeDws;

const envOf = (extra: Record<string, string | undefined> = {}) =>
  ws.env({ CRM_SECRET: SECRETS.crm, SUITE_SECRET: SECRETS.suite, SUITE_TICKET: SECRETS.ticket, ...dws.env(), ...extra });
const cli = (args: string[], extra: Record<string, string | undefined> = {}) => runCli(args, { cwd: ws.dir, env: envOf(extra) });
const check = (args: string[], extra: Record<string, string | undefined> = {}) => cli(['check', '--base-url', fake.url, ...args], extra);
const allSecrets = () => [...Object.values(SECRETS), ...fake.issuedTokens];

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validateCheck = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'check.json'), 'utf8')) as object);

interface Result {
  scope: string;
  status: string;
  source: string;
  kind: string;
  detail: string;
  dws?: { granted: boolean | null; requiredApproval: boolean | null };
  disagreement?: string;
  steps?: string[];
}
interface Doc {
  apps: Array<{ name: string; dws?: { unifiedAppId?: string; failure?: string }; results: Result[] }>;
  apply?: Array<{ app: string; unifiedAppId: string | null; scopes: string[]; needApproval: string[]; outcome: string; message?: string; result?: Record<string, unknown> }>;
}
const docOf = (stdout: string) => {
  const doc = JSON.parse(stdout) as Doc;
  expect(validateCheck(doc), ajv.errorsText(validateCheck.errors)).toBe(true);
  return doc;
};
const byScope = (doc: Doc, app: string) => Object.fromEntries(doc.apps.find((a) => a.name === app)!.results.map((r) => [r.scope, r]));
const verdicts = (doc: Doc, app: string) => Object.fromEntries(doc.apps.find((a) => a.name === app)!.results.map((r) => [r.scope, `${r.status} ${r.source}`]));

beforeAll(async () => {
  fake = await startFakeDingTalk({
    apps: {
      crm: { type: 'internal', appKey: 'dingcrmkey', appSecret: SECRETS.crm, grants: ['Contact.User.Read'] },
      isv: { type: 'third-party-enterprise', suiteKey: 'suiteisvkey', suiteSecret: SECRETS.suite, authCorpId: 'dingcustomer01', suiteTicket: SECRETS.ticket, grants: ['Contact.User.Read'] },
    },
  });
  ws = workspace();
  ws.write('.dingtalkrc.yml', CONFIG);
  dws = fakeDws(STATE());
});

afterAll(async () => {
  await fake.close();
  ws.remove();
  dws.remove();
});

beforeEach(() => {
  dws.setState(STATE());
  dws.clearCalls();
  fake.requests.length = 0;
  fake.setGrants('crm', ['Contact.User.Read']);
});

/** Every call dws received: the environment holds no secret value and none of the variables that carry them. */
function expectNoSecretReachedDws(): void {
  const calls = dws.calls();
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    const text = JSON.stringify(call);
    expect(allSecrets().filter((s) => text.includes(s))).toEqual([]);
    expect(Object.keys(call.env).filter((k) => ['CRM_SECRET', 'SUITE_SECRET', 'SUITE_TICKET'].includes(k) || /^DINGTALK_(APP|CLIENT|SUITE)_SECRET$|^DINGTALK_SUITE_TICKET$/.test(k))).toEqual([]);
  }
}

describe('check --source dws: the Developer Console decides, no probe is sent', () => {
  it('an internal and an ISV app, every page read, granted/missing from dws; exit 1', async () => {
    const r = await check(['--all-apps', '--source', 'dws', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const doc = docOf(r.stdout);
    expect(verdicts(doc, 'crm')).toEqual({
      'Contact.User.Read': 'granted dws',
      'Calendar.Event.Write': 'missing dws',
      qyapi_base: 'granted catalog',
      'Contact.User.mobile': 'missing dws',
    });
    expect(verdicts(doc, 'isv')).toEqual({ 'Contact.User.Read': 'granted dws', 'Calendar.Event.Write': 'missing dws' });
    expect(doc.apps.map((a) => a.dws)).toEqual([{ unifiedAppId: 'u-crm-123' }, { unifiedAppId: 'u-isv-456' }]);
    const crm = byScope(doc, 'crm');
    expect(crm['Calendar.Event.Write']!.dws).toEqual({ granted: false, requiredApproval: true });
    // The kind comes from requiredApproval where the docs leave it unknown.
    expect([crm['Calendar.Event.Write']!.kind, crm['Contact.User.mobile']!.kind]).toEqual(['special', 'standard']);
    expect(crm['Calendar.Event.Write']!.steps).toContain('Or request it with dws (a preview; then the same with --yes instead of --dry-run, or run dingtalk-doctor check --apply): dws dev app permission add --unified-app-id u-crm-123 --scope-values Calendar.Event.Write --dry-run');
    expect(crm['Calendar.Event.Write']!.steps!.some((s) => s.includes('dws dev app version create --unified-app-id u-crm-123'))).toBe(true);
    expect(crm['Contact.User.mobile']!.steps!.some((s) => s.includes('version create'))).toBe(false);

    // No token, no probe: dws answered for every app.
    expect(fake.requests).toEqual([]);
    const lists = dws.calls().filter((c) => c.argv.slice(0, 4).join(' ') === 'dev app permission list');
    const crmPages = lists.filter((c) => c.argv.includes('u-crm-123')).map((c) => c.argv.slice(4));
    expect(crmPages).toEqual([
      ['--unified-app-id', 'u-crm-123', '--page-size', '50', '--format', 'json'],
      ['--unified-app-id', 'u-crm-123', '--page-size', '50', '--cursor', 'cursor-50', '--format', 'json'],
      ['--unified-app-id', 'u-crm-123', '--page-size', '50', '--cursor', 'cursor-100', '--format', 'json'],
      ['--unified-app-id', 'u-crm-123', '--page-size', '50', '--cursor', 'cursor-150', '--format', 'json'],
    ]);
    expect(lists.filter((c) => c.argv.includes('u-isv-456'))).toHaveLength(2);
    expect(dws.calls().filter((c) => c.argv[0] === 'dev' && c.argv[2] === 'get').map((c) => c.argv.slice(3))).toEqual(
      expect.arrayContaining([
        ['--app-key', 'dingcrmkey', '--format', 'json'],
        ['--app-key', 'suiteisvkey', '--format', 'json'],
      ]),
    );
    expect(dws.commands().filter((c) => c === 'auth status')).toHaveLength(1);
    expect(r.stderr).toBe("dws: reading the Developer Console's permissions as 张三, 示例科技\n");
    expectNoSecretReachedDws();
    expect(leaked(r, allSecrets())).toEqual([]);
  });

  it('text output: the source beside each status and the unifiedAppId line', async () => {
    const r = await check(['--app', 'crm', '--source', 'dws']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  dws: unifiedAppId u-crm-123');
    expect(r.stdout).toMatch(/Calendar\.Event\.Write\s+.*special\s+missing \(dws\)/);
    expect(r.stdout).toMatch(/qyapi_base\s+.*granted\s+nothing \(base scope/);
  });

  it('env-only mode: the DINGTALK_* secrets are not passed to dws either', async () => {
    const r = await runCli(['check', '--source', 'dws', '--json'], {
      cwd: ROOT,
      env: { ...ws.env({ ...dws.env() }), DINGTALK_APP_KEY: 'dingcrmkey', DINGTALK_APP_SECRET: SECRETS.crm, DINGTALK_REQUIRED: 'Calendar.Event.Write' },
    });
    expect(r.code, r.stderr).toBe(1);
    expect(verdicts(docOf(r.stdout), 'default')).toEqual({ 'Calendar.Event.Write': 'missing dws' });
    for (const call of dws.calls()) expect(call.env.DINGTALK_APP_SECRET).toBeUndefined();
    expect(dws.calls().every((c) => c.env.DINGTALK_APP_KEY === 'dingcrmkey')).toBe(true);
    expectNoSecretReachedDws();
  });
});

describe('check with dws usable: both sources by default', () => {
  it('probes and dws agree: source "both"; a scope without a probe is decided by dws', async () => {
    const r = await check(['--app', 'crm', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const doc = docOf(r.stdout);
    expect(verdicts(doc, 'crm')).toEqual({
      'Contact.User.Read': 'granted both',
      'Calendar.Event.Write': 'missing both',
      qyapi_base: 'granted catalog',
      'Contact.User.mobile': 'missing dws',
    });
    expect(byScope(doc, 'crm')['Contact.User.Read']!.detail).toMatch(/; dws agrees \(the console lists it as granted\)$/);
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(doc.apps[0]!.results.some((x) => x.disagreement)).toBe(false);
    expect(leaked(r, allSecrets())).toEqual([]);
  });

  it('they disagree: the stricter verdict (missing), and why, in JSON, text and GitHub output', async () => {
    const state = STATE();
    // The console lists Contact.User.Read as not granted, the probe passes; Calendar.Event.Write the other way round.
    for (const p of state.apps.dingcrmkey!.permissions) {
      if (p.scopeValue === 'Contact.User.Read') p.authStatus = 'UNAUTHED';
      if (p.scopeValue === 'Calendar.Event.Write') p.authStatus = 'AUTHED';
    }
    dws.setState(state);
    const r = await check(['--app', 'crm', '--json']);
    const doc = docOf(r.stdout);
    const crm = byScope(doc, 'crm');
    expect([crm['Contact.User.Read']!.status, crm['Contact.User.Read']!.source]).toEqual(['missing', 'both']);
    expect(crm['Contact.User.Read']!.disagreement).toMatch(/lists it as not granted, but the probe passed/);
    expect(crm['Calendar.Event.Write']!.disagreement).toMatch(/lists it as granted, but the probe was refused: .*version is published/);
    expect(crm['Calendar.Event.Write']!.detail).toMatch(/^probe: refused with .*; dws: the console lists it as granted$/);

    const text = await check(['--app', 'crm']);
    expect(text.stdout).toMatch(/! Contact\.User\.Read: the Developer Console \(dws\) lists it as not granted/);
    const github = await check(['--app', 'crm', '--format', 'github']);
    expect(github.stdout).toMatch(/^::warning (?:file=[^,]*,line=\d+,)?title=DingTalk scope Calendar\.Event\.Write%3A probe and dws disagree \(app crm\)::/m);
  });

  it('--source probe leaves dws out: no dws call, results as without dws', async () => {
    const r = await check(['--app', 'crm', '--source', 'probe', '--json']);
    expect(verdicts(docOf(r.stdout), 'crm')).toEqual({
      'Contact.User.Read': 'granted probe',
      'Calendar.Event.Write': 'missing probe',
      qyapi_base: 'granted catalog',
      'Contact.User.mobile': 'unverifiable catalog',
    });
    expect(dws.calls()).toEqual([]);
  });
});

describe('without dws, or dws not logged in', () => {
  const noDwsPath = () => ({ PATH: process.env.PATH });

  it('not on PATH: check behaves as before (probes, no line about dws); --source dws is exit 2 with one line', async () => {
    const r = await check(['--app', 'crm', '--json'], noDwsPath());
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = docOf(r.stdout);
    expect(doc.apps[0]!.dws).toBeUndefined();
    expect(doc.apps[0]!.results.every((x) => x.dws === undefined && (x.source === 'probe' || x.source === 'catalog'))).toBe(true);
    expect(doc.apps[0]!.results.flatMap((x) => x.steps ?? []).some((s) => s.includes('dws'))).toBe(false);

    const asked = await check(['--app', 'crm', '--source', 'dws'], noDwsPath());
    expect(asked.code).toBe(2);
    expect(asked.stdout).toBe('');
    expect(asked.stderr).toBe("dingtalk-doctor: --source dws: dws (DingTalk's CLI) is not on PATH — install it (https://github.com/DingTalk-Real-AI/dingtalk-workspace-cli), then dws auth login\n");
    expect(dws.calls()).toEqual([]);
  });

  it('not logged in: the same document as without dws; --source dws and --apply say why (exit 2)', async () => {
    const without = await check(['--app', 'crm', '--json'], noDwsPath());
    dws.setState({ ...STATE(), loggedIn: false });
    const r = await check(['--app', 'crm', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(without.code);
    expect(r.stdout).toBe(without.stdout);
    expect(dws.commands()).toEqual(['auth status']);

    const asked = await check(['--app', 'crm', '--source', 'dws']);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toBe('dingtalk-doctor: --source dws: dws is not logged in (未登录) — run dws auth login\n');
    const apply = await check(['--app', 'crm', '--apply', '--yes']);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toBe('dingtalk-doctor: --apply: dws is not logged in (未登录) — run dws auth login\n');
  });
});

describe("dws's failures: one line with dws's own hint, the probes decide", () => {
  it('not a developer of the app (business error): one line, the app probed, the other app read from dws', async () => {
    dws.setState({ ...STATE(), fail: { get: 'not-developer' } });
    const r = await check(['--all-apps', '--source', 'dws', '--json']);
    expect(r.code).toBe(1);
    const doc = docOf(r.stdout);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      "dws: reading the Developer Console's permissions as 张三, 示例科技",
      'dws: app "crm": dws dev app get --app-key dingcrmkey: 当前用户没有开发者身份 — The API returned a business-level error. Check required parameters and values. (the probes decide for this app)',
      'dws: app "isv": dws dev app get --app-key suiteisvkey: 当前用户没有开发者身份 — The API returned a business-level error. Check required parameters and values. (the probes decide for this app)',
    ]);
    expect(verdicts(doc, 'crm')).toEqual({
      'Contact.User.Read': 'granted probe',
      'Calendar.Event.Write': 'missing probe',
      qyapi_base: 'granted catalog',
      'Contact.User.mobile': 'unverifiable catalog',
    });
    expect(doc.apps[0]!.dws!.failure).toMatch(/当前用户没有开发者身份/);
    expect(fake.requests.filter((q) => q.kind !== 'token').length).toBeGreaterThan(0);
  });

  it('a network failure, output that is not dws JSON, and an error on stderr (legacy): one line each, exit as the probes say', async () => {
    const cases: Array<[NonNullable<FakeDwsState['fail']>, RegExp]> = [
      [{ list: 'network' }, /^dws: app "crm": dws dev app permission list: request to <redacted endpoint> failed: dial tcp: connect: connection refused \(the probes decide for this app\)$/m],
      [{ list: 'garbage' }, /^dws: app "crm": dws dev app permission list: dws exited 5 without its JSON answer: panic: runtime error: invalid memory address — an older dws\? .*\(the probes decide for this app\)$/m],
      [{ get: 'legacy' }, /^dws: app "crm": dws dev app get --app-key dingcrmkey: unknown command "get" for "dws dev app" \(the probes decide for this app\)$/m],
      [{ list: 'loop' }, /^dws: app "crm": dws dev app permission list returned the cursor of an earlier page again \(page 2\): stopped \(the probes decide for this app\)$/m],
    ];
    for (const [fail, line] of cases) {
      dws.setState({ ...STATE(), fail });
      const r = await check(['--app', 'crm', '--json']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(line);
      expect(r.stderr.trim().split('\n')).toHaveLength(2);
      expect(verdicts(docOf(r.stdout), 'crm')['Calendar.Event.Write']).toBe('missing probe');
    }
  });
});

describe('the kinds dws read are learned', () => {
  it('scopes show and diagnose use requiredApproval after a check', async () => {
    const env = { XDG_CONFIG_HOME: join(ws.dir, 'xdg-kinds') };
    const before = await cli(['scopes', 'show', 'Calendar.Event.Write'], env);
    expect(before.stdout).toMatch(/^kind: unknown \(the docs do not say\)$/m);
    await check(['--app', 'crm', '--source', 'dws'], env);
    const learned = JSON.parse(readFileSync(join(ws.dir, 'xdg-kinds', 'dingtalk-doctor', 'learned.json'), 'utf8')) as { version: number; entries: unknown[]; scopeKinds: Array<{ scope: string; kind: string; requiredApproval: boolean; source: string }> };
    expect(learned.version).toBe(1);
    expect(learned.scopeKinds).toHaveLength(160);
    expect(learned.scopeKinds.find((k) => k.scope === 'Calendar.Event.Write')).toMatchObject({ kind: 'special', requiredApproval: true, source: 'dws', name: '日程写权限' });

    const show = await cli(['scopes', 'show', 'Calendar.Event.Write'], { ...env, PATH: process.env.PATH });
    expect(show.stdout).toMatch(/^kind: special \(dws requiredApproval=true, seen \d{4}-\d\d-\d\d\)$/m);
    const json = JSON.parse((await cli(['scopes', 'show', 'Contact.User.mobile', '--json'], env)).stdout) as { scope: { kind: string; kindFrom?: string; sources: string[] } };
    expect(json.scope.kind).toBe('standard');
    expect(json.scope.kindFrom).toMatch(/^dws requiredApproval=false, seen /);
    expect(json.scope.sources).toContain('dws permission list (learned file)');

    // Offline advice: a 403 naming the scope now gets the steps of a reviewed (special) scope.
    const body = JSON.stringify({ code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', requestid: 'x', message: '应用尚未开通所需的权限：[Calendar.Event.Write]', accessdenieddetail: { requiredScopes: ['Calendar.Event.Write'] } });
    const diag = await runCli(['diagnose', '--json'], { cwd: ws.dir, env: ws.env({ ...env, PATH: process.env.PATH }), input: body });
    expect(diag.stdout).toContain('as an Admin of the organization');
  });
});

describe('check --apply', () => {
  it('without a terminal and without --yes: exit 2 before anything runs, nothing requested', async () => {
    const r = await check(['--app', 'crm', '--apply']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dingtalk-doctor: --apply asks before it requests anything, and there is no terminal to ask on — in CI, pass --apply --yes to request without asking\n');
    expect(dws.calls()).toEqual([]);
    expect(fake.requests).toEqual([]);
    expect((await check(['--app', 'crm', '--yes'])).stderr).toMatch(/--yes only goes with --apply/);
    expect((await check(['--app', 'crm', '--apply', '--yes', '--source', 'probe'])).code).toBe(2);
  });

  it('--apply --yes (CI): the dry-run, then the request with --yes; what needs approval says what follows', async () => {
    const r = await check(['--app', 'crm', '--apply', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const doc = docOf(r.stdout);
    expect(doc.apply).toEqual([
      {
        app: 'crm',
        unifiedAppId: 'u-crm-123',
        scopes: ['Calendar.Event.Write', 'Contact.User.mobile'],
        needApproval: ['Calendar.Event.Write'],
        outcome: 'requested',
        result: { pending: false, added: ['Calendar.Event.Write', 'Contact.User.mobile'], skipped: [], rejected: [], message: '申请已提交', nextCommand: null },
      },
    ]);
    const adds = dws.calls().filter((c) => c.argv.slice(0, 4).join(' ') === 'dev app permission add').map((c) => c.argv.slice(4));
    expect(adds).toEqual([
      ['--unified-app-id', 'u-crm-123', '--scope-values', 'Calendar.Event.Write,Contact.User.mobile', '--dry-run', '--format', 'json'],
      ['--unified-app-id', 'u-crm-123', '--scope-values', 'Calendar.Event.Write,Contact.User.mobile', '--yes', '--format', 'json'],
    ]);
    expect(r.stderr).toContain('dws dry-run for app "crm": would request Calendar.Event.Write, Contact.User.mobile for unifiedAppId u-crm-123');
    // The fake grants what needs no approval; the other waits for a published version.
    const after = await check(['--app', 'crm', '--source', 'dws', '--json']);
    expect(verdicts(docOf(after.stdout), 'crm')).toMatchObject({ 'Contact.User.mobile': 'granted dws', 'Calendar.Event.Write': 'missing dws' });

    dws.setState(STATE());
    const text = await check(['--app', 'crm', '--apply', '--yes']);
    expect(text.stdout).toContain('dws --apply:\n  app crm (unifiedAppId u-crm-123): requested Calendar.Event.Write, Contact.User.mobile');
    expect(text.stdout).toContain('    Calendar.Event.Write: It needs approval: the request goes into a pending version, which must be created, approved and published before it takes effect: dws dev app version create --unified-app-id u-crm-123');
    expect(text.stdout).toContain('    Contact.User.mobile: no approval needed: in effect now; run check again to confirm.');
    expectNoSecretReachedDws();
  });

  it("both plausible shapes of dws's answer (it is not documented): a bare {success, message} and a pending outcome", async () => {
    dws.setState({ ...STATE(), addShape: 'bare' });
    const bare = docOf((await check(['--app', 'crm', '--apply', '--yes', '--json'])).stdout);
    expect(bare.apply![0]).toMatchObject({ outcome: 'requested', result: { pending: false, added: null, skipped: null, rejected: null, message: '申请成功' } });
    dws.setState({ ...STATE(), addShape: 'pending' });
    const pending = docOf((await check(['--app', 'crm', '--apply', '--yes', '--json'])).stdout);
    expect(pending.apply![0]).toMatchObject({ outcome: 'pending', result: { pending: true, nextCommand: 'dws dev app version status --unified-app-id u-crm-123 --version-id ver-1' } });
  });

  it('the request fails (not a developer): one line in the apply result, exit as the check says', async () => {
    dws.setState({ ...STATE(), fail: { add: 'not-developer' } });
    const r = await check(['--app', 'crm', '--apply', '--yes', '--json']);
    expect(r.code).toBe(1);
    expect(docOf(r.stdout).apply![0]).toMatchObject({ outcome: 'failed', message: 'dws dev app permission add: 当前用户没有开发者身份 — The API returned a business-level error. Check required parameters and values.' });
  });
});

describe('diagnose with dws on PATH', () => {
  const body = JSON.stringify({ code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', requestid: 'x', message: '应用尚未开通所需的权限：[Calendar.Event.Write]', accessdenieddetail: { requiredScopes: ['Calendar.Event.Write'] } });
  type DiagnoseDoc = { findings: Array<{ advice: Array<{ id: string; params: Record<string, unknown>; text: string }> }> };

  it('the fix as dws commands (the unifiedAppId lookup, then the request), without running dws', async () => {
    const r = await runCli(['diagnose', '--json', '--app-key', 'dingcrmkey'], { cwd: ws.dir, env: ws.env({ ...dws.env() }), input: body });
    expect(r.code).toBe(1);
    const step = (JSON.parse(r.stdout) as DiagnoseDoc).findings[0]!.advice.find((a) => a.id === 'step.dws-find-app')!;
    expect(step.params).toEqual({ appKey: 'dingcrmkey', command: 'dws dev app permission add --unified-app-id <unifiedAppId> --scope-values Calendar.Event.Write --dry-run' });
    expect(step.text).toContain('dws dev app get --app-key dingcrmkey --format json');
    expect(dws.calls()).toEqual([]);
  });

  it('without dws: no dws step', async () => {
    const r = await runCli(['diagnose', '--json'], { cwd: ws.dir, env: ws.env({ PATH: process.env.PATH }), input: body });
    expect((JSON.parse(r.stdout) as DiagnoseDoc).findings[0]!.advice.map((a) => a.id)).not.toContain('step.dws-find-app');
  });

  it('--apply --app-key K --yes: the named scope requested through dws after its dry-run; --apply without --app-key or a terminal: exit 2', async () => {
    const env = ws.env({ ...dws.env() });
    const r = await runCli(['diagnose', '--json', '--app-key', 'dingcrmkey', '--apply', '--yes'], { cwd: ws.dir, env, input: body });
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { apply: unknown };
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'diagnose.json'), 'utf8')) as object);
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    expect(doc.apply).toEqual([
      { app: 'dingcrmkey', unifiedAppId: 'u-crm-123', scopes: ['Calendar.Event.Write'], needApproval: ['Calendar.Event.Write'], outcome: 'requested', result: { pending: false, added: ['Calendar.Event.Write'], skipped: [], rejected: [], message: '申请已提交', nextCommand: null } },
    ]);
    expect(dws.calls().filter((c) => c.argv[3] === 'add').map((c) => c.argv.find((a) => a === '--dry-run' || a === '--yes'))).toEqual(['--dry-run', '--yes']);

    dws.clearCalls();
    const noKey = await runCli(['diagnose', '--apply', '--yes'], { cwd: ws.dir, env, input: body });
    expect([noKey.code, noKey.stderr]).toEqual([2, 'dingtalk-doctor: --apply needs the app: pass --app-key <AppKey> — dws finds the app by its AppKey (Client ID)\n']);
    const noTty = await runCli(['diagnose', '--apply', '--app-key', 'dingcrmkey'], { cwd: ws.dir, env, input: body });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/no terminal to ask on/);
    expect(dws.calls()).toEqual([]);
  });
});
