/**
 * Advice for the app the user means (issue 14 §2), on the built CLI and the built library with
 * real config files: --app/--config give the AppKey and the type; one configured app is used
 * without --app; the steps and console page differ per app type; the type is inferred from what
 * the error shows; contradictions stay out. Bodies are DingTalk's own shapes (dingtalk-facts.md
 * §2, §4; invalidSuiteKey and invalidParameter rows from DingTalk's error table, errors.tsv).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dd-diagnose-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MISSING = JSON.stringify({ requestid: 'A1B2C3D4-0000-4000-8000-00000000000A', code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '没有调用该接口的权限', accessdenieddetail: { requiredScopes: ['Calendar.Event.Write'] } });
const TWO_APPS = `apps:
  crm:
    type: internal
    appKey: dingcrmkey0001
    appSecret: \${CRM_SECRET}
    required: []
  me:
    type: third-party-personal
    clientId: dingpersonal01
    clientSecret: \${ME_SECRET}
    refreshToken: \${ME_REFRESH}
    required: []
`;
const ONE_APP = `apps:\n  isv:\n    type: third-party-enterprise\n    suiteKey: suiteisvkey01\n    suiteSecret: \${S}\n    authCorpId: dingcustomer01\n    suiteTicket: \${T}\n    required: []\n`;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
type Finding = { appKey: string | null; consoleUrl: string; appType: null | { type: string; via: string; app?: string; source?: string; evidence?: string }; advice: Array<{ id: string }>; steps: string[]; explanation: string | null };
async function diagnose(args: string[], cwd = dir): Promise<{ code: number | null; doc: { findings: Finding[]; summary: { missingScopes: string[] } } }> {
  const r = await runCli(['diagnose', ...args, '--json'], { cwd, env: { HOME: dir, XDG_CONFIG_HOME: dir } });
  expect(r.stderr).toBe('');
  return { code: r.code, doc: JSON.parse(r.stdout) };
}
const ids = (f: Finding) => f.advice.map((a) => a.id);

describe('diagnose --app / --config', () => {
  it('--config --app crm: the AppKey (per-app apply link) and the type come from the config', async () => {
    const config = file('two.yml', TWO_APPS);
    const { doc } = await diagnose([file('missing.json', MISSING), '--config', config, '--app', 'crm']);
    const [f] = doc.findings;
    expect(f!.appKey).toBe('dingcrmkey0001');
    expect(f!.consoleUrl).toBe('https://open-dev.dingtalk.com/appscope/apply?content=dingcrmkey0001%23Calendar.Event.Write');
    expect(f!.appType).toEqual({ type: 'internal', via: 'config', app: 'crm', source: config });
  });

  it('a third-party personal app: its own console page, no organization admin, the re-consent step', async () => {
    const { doc } = await diagnose([file('missing.json', MISSING), '--config', file('two.yml', TWO_APPS), '--app', 'me']);
    const [f] = doc.findings;
    expect(f!.appType).toMatchObject({ type: 'third-party-personal', via: 'config' });
    expect(ids(f!)).toEqual(['step.sign-in-personal', 'step.request-scope', 'step.kind-unknown', 'step.personal-reconsent', 'step.per-app']);
    expect(f!.steps.join('\n')).not.toMatch(/as an Admin of the organization|isv\/app/);
    const special = await diagnose([file('special.json', MISSING.replace('Calendar.Event.Write', 'Document.AIAssistant.Read')), '--app-type', 'third-party-personal']);
    expect(ids(special.doc.findings[0]!)[0]).toBe('step.sign-in-personal');
    expect(special.doc.findings[0]!.consoleUrl).toBe('https://open-dev.dingtalk.com/');
  });

  it('one configured app is used without --app; several are not guessed between', async () => {
    const one = join(dir, 'one');
    const several = join(dir, 'several');
    for (const [d, text] of [[one, ONE_APP], [several, TWO_APPS]] as const) {
      rmSync(d, { recursive: true, force: true });
      await import('node:fs').then((fs) => fs.mkdirSync(d));
      writeFileSync(join(d, '.dingtalkrc.yml'), text);
    }
    const body = file('missing.json', MISSING);
    const used = (await diagnose([body], one)).doc.findings[0]!;
    expect(used.appType).toMatchObject({ type: 'third-party-enterprise', via: 'config', app: 'isv' });
    expect(used.appKey).toBe('suiteisvkey01');
    expect(ids(used)).toContain('step.isv-reauthorize');
    const none = (await diagnose([body], several)).doc.findings[0]!;
    expect([none.appType, none.appKey]).toEqual([null, null]);
  });

  it('--app-type and --app-key win over the config; an unknown --app is exit 2', async () => {
    const config = file('two.yml', TWO_APPS);
    const { doc } = await diagnose([file('missing.json', MISSING), '--config', config, '--app', 'crm', '--app-type', 'third-party-enterprise', '--app-key', 'dingOTHER']);
    expect(doc.findings[0]).toMatchObject({ appKey: 'dingOTHER', appType: { type: 'third-party-enterprise', via: 'flag' } });
    const bad = await runCli(['diagnose', file('missing.json', MISSING), '--config', config, '--app', 'nope'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown app "nope" in .*two\.yml; configured apps: crm, me/);
  });

  it('explainError takes the same options (a config file or object, and app)', async () => {
    const lib = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as typeof import('../src/index.js');
    const byFile = lib.explainError(MISSING, { config: file('two.yml', TWO_APPS), app: 'crm' }).findings[0]!;
    expect(byFile.consoleUrl).toBe('https://open-dev.dingtalk.com/appscope/apply?content=dingcrmkey0001%23Calendar.Event.Write');
    const byObject = lib.explainError(MISSING, { config: { apps: { me: { type: 'third-party-personal', clientId: 'dingpersonal01', accessToken: '${TOKEN}', required: [] } } } }).findings[0]!;
    expect(byObject.appType).toMatchObject({ type: 'third-party-personal', via: 'config', app: 'me' });
  });
});

describe('the app type inferred from the error', () => {
  it('invalidSuiteKey: a third-party enterprise app (ISV steps and console) without --app-type', async () => {
    const { doc } = await diagnose([file('suite.json', JSON.stringify({ code: 'invalidSuiteKey', message: '无效的suiteKey', requestid: 'R-SUITE-1' }))]);
    const [f] = doc.findings;
    expect(f!.appType).toEqual({ type: 'third-party-enterprise', via: 'evidence', evidence: 'invalidSuiteKey' });
    expect(ids(f!)).toEqual(['step.app-not-authorized', 'step.app-not-authorized-isv']);
  });

  it('an ISV throttle code and a user-token endpoint in a curl -i dump', async () => {
    const throttled = await diagnose([file('qps.json', JSON.stringify({ code: 'Forbidden.AccessDenied.QpsLimitForSuitekeyAndOrgAndApi', message: '您的ISV应用调用钉钉开放平台当前接口的所有请求都被暂时禁用了', requestid: 'R-QPS' }))]);
    expect(throttled.doc.findings[0]!.appType).toMatchObject({ type: 'third-party-enterprise', via: 'evidence' });
    const curl = [
      '$ curl -i -X POST https://api.dingtalk.com/v1.0/oauth2/userAccessToken',
      'HTTP/2 400',
      'content-type: application/json',
      '',
      '{"requestid":"R-USER-1","code":"InvalidAuthentication","message":"不合法的access_token"}',
    ].join('\n');
    const personal = await diagnose([file('curl-user.txt', curl)]);
    expect(personal.doc.findings[0]!.appType).toEqual({ type: 'third-party-personal', via: 'evidence', evidence: '/v1.0/oauth2/userAccessToken' });
  });
});

describe('contradictions out', () => {
  it('a base scope is never a scope to request; its step says what else a refusal naming it means', async () => {
    const { doc } = await diagnose([file('base.json', MISSING.replace('Calendar.Event.Write', 'qyapi_base'))]);
    expect(doc.summary.missingScopes).toEqual([]);
    expect(ids(doc.findings[0]!)).toEqual(['step.base-scope']);
    expect(doc.findings[0]!.steps[0]).toMatch(/the access token is not this app's/);
    const text = await runCli(['diagnose', join(dir, 'base.json')], { cwd: dir, env: { HOME: dir } });
    expect(text.stdout).not.toMatch(/Scopes to request/);
    expect(text.stdout).not.toMatch(/→ request it/);
  });

  it('invalidParameter (60 unrelated rows): the row whose message matches, else no explanation', async () => {
    const matching = await diagnose([file('p1.json', JSON.stringify({ code: 'invalidParameter', message: 'Event end time not set.', requestid: 'R-P1' })), '--api', 'POST /v1.0/calendar/users/u/calendars/c/events']);
    expect(matching.doc.findings[0]!.explanation).toBe('日程结束时间未设置');
    const other = await diagnose([file('p2.json', JSON.stringify({ code: 'invalidParameter', message: 'userId is invalid', requestid: 'R-P2' }))]);
    expect(other.doc.findings[0]!.explanation).toBeNull();
  });

  it('a non-permission error: DingTalk\'s line is not step 1 and no console line is printed', async () => {
    const body = file('bad.json', JSON.stringify({ errcode: 40035, errmsg: '不合法的参数' }));
    const text = await runCli(['diagnose', body], { cwd: dir, env: { HOME: dir } });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/DingTalk +不合法的参数/);
    // the action is on the first line; the step saying the same is not repeated below it
    expect(text.stdout.split('\n')[0]).toBe('! DingTalk error (not a permission problem) → check the request against the API document');
    expect(text.stdout).not.toMatch(/1\. Not a permission problem/);
    expect(text.stdout).not.toMatch(/console +https/);
  });

  it('an IP allow-list refusal leads with the action: the IP to add and where', async () => {
    // examples/legacy-60020.json: DingTalk's 60020 body with the caller IP and AppKey in errmsg (dingtalk-facts.md §4)
    const text = await runCli(['diagnose', join(ROOT, 'examples', 'legacy-60020.json')], { cwd: dir, env: { HOME: dir } });
    expect(text.stdout.split('\n')[0]).toBe("✖ Caller IP not in the app's allow-list → add 198.51.100.23 to the app's IP allow-list: https://open-dev.dingtalk.com/fe/app#/corp/app");
    expect(text.stdout).not.toMatch(/console +https/);
  });

  it('the kind-unknown hedge and "per app" once per output; the action on the first line', async () => {
    const two = file('two-findings.log', [MISSING, MISSING.replace('Calendar.Event.Write', 'Calendar.Acl.Write').replace('0000000A', '0000000B')].join('\n'));
    const text = await runCli(['diagnose', two], { cwd: dir, env: { HOME: dir } });
    expect(text.stdout.match(/Kind unknown/g)).toHaveLength(1);
    expect(text.stdout.match(/Permissions are per app/g)).toHaveLength(1);
    expect(text.stdout).toMatch(/^✖ Missing permission · Calendar\.Event\.Write → request it: https:\/\/open-dev\.dingtalk\.com\//m);
    // JSON keeps every step of every finding (data, not prose)
    const { doc } = await diagnose([two]);
    expect(doc.findings.map((f) => ids(f).filter((id) => id === 'step.kind-unknown').length)).toEqual([1, 1]);
  });
});
