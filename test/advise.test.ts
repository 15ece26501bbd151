import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { consoleUrl, fixFor, requestSteps } from '../src/core/advice-steps.js';
import type { Step } from '../src/core/types.js';
import { stepTexts } from '../src/render/messages.js';
import { adviceFor } from '../src/core/diagnose.js';
import { parseText } from '../src/core/parse/index.js';

const catalog = getCatalog();
const ex = (name: string) => readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8');
const ids = (steps: Step[]) => steps.map((s) => s.id);
const en = (steps: Step[]) => stepTexts(steps, 'en');
const advise = (text: string, ctx: Parameters<typeof adviceFor>[2] = {}) => {
  const [record] = parseText(text, 'x');
  return adviceFor(record!, catalog, ctx);
};

describe('adviceFor', () => {
  it('missing scope named by the error: name, kind, steps, explanation from the error table', () => {
    const f = advise(ex('403-missing-scope.json'));
    expect(f.cause).toBe('missing-scope');
    expect(f.scopes).toEqual([{ code: 'Contact.User.Read', kind: 'unknown', name: { zh: '通讯录个人信息读权限', en: catalog.scope('Contact.User.Read')!.name.en }, via: 'error' }]);
    expect(f.explanation).toBe('需要申请下接口权限，请参考添加接口调用权限。');
    expect(f.steps).toContainEqual({ id: 'step.request-scope', params: { app: { id: 'app.unnamed', params: {} }, scope: 'Contact.User.Read' } });
    expect(en(f.steps).some((s) => s.includes('Manage permissions') && s.includes('Contact.User.Read'))).toBe(true);
    expect(ids(f.steps).at(-1)).toBe('step.per-app');
    expect(f.consoleUrl).toBe('https://open-dev.dingtalk.com/fe/app#/corp/app');
  });

  it('a scope the catalog does not know is printed, kind unknown, never guessed', () => {
    const f = advise('{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","requestid":"R","message":"应用尚未开通所需的权限：[Made.Up.Scope]"}');
    expect(f.scopes).toEqual([{ code: 'Made.Up.Scope', kind: 'unknown', name: { zh: null, en: null }, via: 'error' }]);
  });

  it('special scope: admin, written description, review, Review Failed', () => {
    const f = advise(ex('sdk-message.txt'));
    expect(f.scopes[0]).toMatchObject({ code: 'Document.AIAssistant.Read', kind: 'special' });
    expect(ids(f.steps)).toEqual(['step.special-sign-in', 'step.special-request', 'step.special-review', 'step.special-declined', 'step.per-app']);
    const text = en(f.steps).join('\n');
    expect(text).toMatch(/as an Admin/);
    expect(text).toMatch(/description/);
    expect(text).toMatch(/one business day/);
    expect(text).toMatch(/Review Failed/);
  });

  it('bare 60011: says which flag names the scope; with --api the catalog names it', () => {
    const bare = advise(ex('legacy-60011.json'));
    expect(bare.cause).toBe('missing-scope');
    expect(bare.scopes).toEqual([]);
    expect(ids(bare.steps)).toContain('step.find-scope-with-api');
    expect(en(bare.steps).join('\n')).toMatch(/--api "METHOD \/path"/);
    const withApi = advise(ex('legacy-60011.json'), { api: { method: 'POST', path: '/topapi/v2/user/get' } });
    expect(withApi.scopes.map((s) => [s.code, s.via])).toEqual([['qyapi_get_member', 'catalog']]);
    expect(withApi.api).toMatchObject({ method: 'POST', path: '/topapi/v2/user/get', template: '/topapi/v2/user/get' });
  });

  it('bare 60011 in a log line with the URL: the catalog names the scope, the token in the query never shows', () => {
    const f = advise(
      'WARN dingtalk POST https://oapi.dingtalk.com/topapi/v2/user/get?access_token=abc123secret -> {"errcode":60011,"errmsg":"没有调用该接口的权限","request_id":"x1"}',
      { appType: 'third-party-enterprise' },
    );
    expect(f.scopes.map((s) => [s.code, s.via])).toEqual([['qyapi_get_member', 'catalog']]);
    expect(f.api).toEqual({ method: 'POST', path: '/topapi/v2/user/get', host: 'oapi.dingtalk.com', template: '/topapi/v2/user/get', via: 'line' });
    expect(JSON.stringify(f)).not.toContain('abc123secret');
    expect(ids(f.steps)).toContain('step.isv-reauthorize');
    expect(en(f.steps).join('\n')).toMatch(/re-authorize/);
    expect(f.consoleUrl).toBe('https://open-dev.dingtalk.com/fe/app#/isv/app');
  });

  it('SDK stack frame → API template', () => {
    const f = advise(ex('sdk-inspect.txt'));
    expect(f.api).toMatchObject({ method: 'GET', template: '/v1.0/contact/users/{unionId}' });
  });

  it('URL in a log line → API template', () => {
    const f = advise(ex('app.log'));
    expect(f.api).toMatchObject({ method: 'GET', path: '/v1.0/contact/users/union7f3a', template: '/v1.0/contact/users/{unionId}' });
  });

  it('app key from the error gives the per-app apply link', () => {
    const f = advise(ex('legacy-88-wrapper.json'));
    expect(f.consoleUrl).toBe('https://open-dev.dingtalk.com/appscope/apply?content=dingc9aa7hnd3kbxyzqe%23qyapi_get_department_list');
    const g = advise(ex('403-missing-scope.json'), { appKey: 'dingAPPKEY' });
    expect(g.consoleUrl).toBe('https://open-dev.dingtalk.com/appscope/apply?content=dingAPPKEY%23Contact.User.Read');
  });

  it('403 not about scopes: IP allow-list with the caller IP in the fix', () => {
    const f = advise(ex('curl-i.txt'));
    expect(f.cause).toBe('ip-not-allowed');
    expect(f.scopes).toEqual([]);
    expect(f.callerIp).toBe('203.0.113.7');
    expect(f.steps[1]).toEqual({ id: 'step.ip-add-internal', params: { ip: '203.0.113.7', consoleUrl: 'https://open-dev.dingtalk.com/fe/app#/corp/app' } });
    expect(en(f.steps)[1]).toMatch(/Add 203\.0\.113\.7/);
  });

  it('other errors get the table explanation', () => {
    const f = advise('{"requestid":"R","code":"InvalidAuthentication","message":"不合法的access_token"}');
    expect(f.cause).toBe('invalid-token');
    expect(f.explanation).toBe('access_token过期或者不存在，需要重新获取一下。');
  });

  it('the same steps in Chinese', () => {
    const f = advise(ex('403-missing-scope.json'));
    expect(stepTexts(f.steps, 'zh').join('\n')).toMatch(/权限管理 → 搜索 Contact\.User\.Read → 申请权限/);
    expect(stepTexts(f.steps, 'zh').at(-1)).toBe('权限按应用授予：同一组织的每个应用都要分别申请。');
  });
});

describe('advice texts', () => {
  it('console links', () => {
    expect(consoleUrl({})).toBe('https://open-dev.dingtalk.com/fe/app#/corp/app');
    expect(consoleUrl({ appType: 'third-party-enterprise' })).toBe('https://open-dev.dingtalk.com/fe/app#/isv/app');
    expect(consoleUrl({ appKey: 'k', scope: 'A.B' })).toBe('https://open-dev.dingtalk.com/appscope/apply?content=k%23A.B');
  });
  it('sensitive, base and ISV re-authorization', () => {
    expect(en(requestSteps({ code: 'qyapi_manage_addresslist', kind: 'special', sensitive: true }, {})).join('\n')).toMatch(/DingTalk support[\s\S]*unified authorization kit[\s\S]*only a whole-organization contacts admin grants/);
    expect(en(requestSteps({ code: 'Notable.Base.Read', kind: 'special', sensitive: true, notes: catalog.scope('Notable.Base.Read')!.notes ?? null }, {})).join('\n')).toMatch(/accepts no new applications/);
    expect(requestSteps({ code: 'qyapi_base', kind: 'standard', base: true }, {})).toEqual([{ id: 'step.base-scope', params: { scope: 'qyapi_base' } }]);
    expect(en(requestSteps({ code: 'qyapi_base', kind: 'standard', base: true }, {}))).toEqual([expect.stringMatching(/nothing to request/)]);
    expect(ids(requestSteps({ code: 'X.Y', kind: 'standard' }, { appType: 'third-party-enterprise' }))).toEqual(['step.sign-in', 'step.request-scope', 'step.isv-reauthorize', 'step.per-app']);
  });
  it('a fix for every cause, in both languages', () => {
    for (const cause of ['missing-scope', 'ip-not-allowed', 'org-auth-level', 'throttled', 'invalid-token', 'app-not-authorized', 'unknown-denial', 'other-error'] as const) {
      const steps = fixFor(cause, {});
      expect(steps.length).toBeGreaterThan(0);
      for (const lang of ['en', 'zh'] as const) expect(stepTexts(steps, lang).every((t) => t.length > 0)).toBe(true);
    }
    expect(en(fixFor('ip-not-allowed', { appType: 'third-party-enterprise', callerIp: '1.2.3.4' })).join(' ')).toMatch(/suite's\) IP allow-list/);
  });
});

describe('audit: steps of a finding with several scopes', () => {
  it('"permissions are per app" comes once, as the last step, after every scope\'s steps', () => {
    const f = advise('{"requestid":"R","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","accessdenieddetail":{"requiredScopes":["Document.AIAssistant.Read","Made.Up.Scope"]}}');
    expect(f.scopes.map((s) => [s.code, s.kind])).toEqual([['Document.AIAssistant.Read', 'special'], ['Made.Up.Scope', 'unknown']]);
    expect(ids(f.steps).filter((id) => id === 'step.per-app')).toHaveLength(1);
    expect(en(f.steps).at(-1)).toBe('Permissions are per app: each app of the organization requests the scope separately.');
    expect(en(f.steps).findIndex((s) => s.includes('search Made.Up.Scope'))).toBeGreaterThan(ids(f.steps).indexOf('step.special-declined'));
  });

  it('ISV: the re-authorization and per-app lines close the list once', () => {
    const f = advise('{"requestid":"R","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","accessdenieddetail":{"requiredScopes":["Contact.User.Read","Calendar.Event.Read"]}}', { appType: 'third-party-enterprise' });
    expect(ids(f.steps).slice(-2)).toEqual(['step.isv-reauthorize', 'step.per-app']);
    expect(ids(f.steps).filter((id) => id === 'step.isv-reauthorize')).toHaveLength(1);
  });
});

describe('audit: a bare body whose code DingTalk lists only as a refusal', () => {
  it.each([
    ['accessDenied', 'unknown-denial'],
    ['workspaceNotAccessible', 'unknown-denial'],
    // listed under 400 and 403: not decided by the table
    ['noPermission', 'other-error'],
    ['paramError', 'other-error'],
  ])('%s without an HTTP status → %s (the error table\'s status decides)', (code, cause) => {
    expect(catalog.errors(code).length).toBeGreaterThan(0);
    const f = advise(`{"requestid":"T1","code":"${code}","message":"m"}`);
    expect([f.cause, f.httpStatus, f.scopes]).toEqual([cause, null, []]);
  });
});
