import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCatalog, parseTarget, type ApiInfo } from '../src/catalog/index.js';
import { PathIndex } from '../src/catalog/paths.js';
import { parseForQuery, resolveFor, listScopes } from '../src/catalog/resolve.js';
import { learnedPath, loadLearned, recordLearned } from '../src/config/learned.js';
import { DoctorError } from '../src/errors.js';

const catalog = getCatalog();
const first = (method: string | null, target: string) => {
  const a = catalog.matchApi(method, target)[0];
  return a ? `${a.method} ${a.host} ${a.path}` : null;
};

describe('parseTarget', () => {
  it('splits URLs into host and path, dropping query, fragment and trailing slash', () => {
    expect(parseTarget('https://api.dingtalk.com/v1.0/contact/users/me/?a=1#x')).toEqual({ host: 'api.dingtalk.com', path: '/v1.0/contact/users/me' });
    expect(parseTarget('oapi.dingtalk.com/topapi/v2/user/get?access_token=t')).toEqual({ host: 'oapi.dingtalk.com', path: '/topapi/v2/user/get' });
    expect(parseTarget('v1.0//contact/users')).toEqual({ host: null, path: '/v1.0/contact/users' });
    expect(parseTarget('https://example.com/v1.0/x')).toEqual({ host: null, path: '/v1.0/x' });
  });
});

describe('matchApi (template-aware)', () => {
  it("a legacy path's summary is its own API page's title, not a guide that mentions the path", () => {
    expect(catalog.matchApi(null, 'oapi.dingtalk.com/user/get')[0]?.summary).toBe('查询用户详情 (archived doc)');
    expect(catalog.matchApi(null, 'oapi.dingtalk.com/topapi/attendance/approve/duration/calculate')[0]?.summary).toBe('预计算时长 (archived doc)');
  });

  it('matches real ids against path templates', () => {
    expect(first('GET', '/v1.0/contact/users/0123')).toBe('GET api.dingtalk.com /v1.0/contact/users/{unionId}');
    expect(catalog.matchApi('GET', '/v1.0/contact/users/0123')[0]?.scopes).toEqual(['Contact.User.Read']);
  });

  it('ignores trailing slashes, query strings and the method case', () => {
    expect(first('get', '/v1.0/contact/users/0123/')).toBe('GET api.dingtalk.com /v1.0/contact/users/{unionId}');
    expect(first('GET', '/v1.0/contact/users/0123?fields=a&b=2')).toBe('GET api.dingtalk.com /v1.0/contact/users/{unionId}');
  });

  it('accepts full URLs, with or without a method', () => {
    expect(first(null, 'https://api.dingtalk.com/v1.0/contact/users/0123?x=1')).toBe('GET api.dingtalk.com /v1.0/contact/users/{unionId}');
  });

  it('keeps v1.0 and v2.0 apart', () => {
    const v1 = catalog.matchApi('GET', '/v1.0/storage/spaces/123/dentries/456');
    const v2 = catalog.matchApi('GET', '/v2.0/storage/spaces/dentries/456/permissions/inheritances');
    for (const a of v1) expect(a.path.startsWith('/v1.0/')).toBe(true);
    expect(v2[0]?.path).toBe('/v2.0/storage/spaces/dentries/{dentryUuid}/permissions/inheritances');
    expect(v2[0]?.scopes).toEqual(['Storage.Permission.Read']);
  });

  it('prefers a literal segment over a placeholder', () => {
    // The bundled data has no such overlap today; the index must still rank it right.
    const api = (id: string, path: string): ApiInfo => ({ id, method: 'GET', host: 'api.dingtalk.com', path, product: null, action: null, sdkMethod: null, summary: null, scopes: [], appTypes: [], sources: [] });
    const index = PathIndex.of([api('param', '/v1.0/x/users/{unionId}'), api('literal', '/v1.0/x/users/me')]);
    expect(index.match('GET', '/v1.0/x/users/me').map((a) => a.id)).toEqual(['literal', 'param']);
    expect(index.match('GET', '/v1.0/x/users/42').map((a) => a.id)).toEqual(['param']);
    expect(index.match('POST', '/v1.0/x/users/42').map((a) => a.id)).toEqual(['param']); // other method only when nothing fits
  });

  it('finds legacy oapi APIs from a URL with access_token', () => {
    const hits = catalog.matchApi(null, 'https://oapi.dingtalk.com/topapi/v2/user/get?access_token=abc');
    expect(hits[0]?.host).toBe('oapi.dingtalk.com');
    expect(hits[0]?.path).toBe('/topapi/v2/user/get');
    expect(hits[0]?.scopes).toEqual(['qyapi_get_member']);
    expect(first('POST', '/topapi/v2/department/listsub')).toBe('POST oapi.dingtalk.com /topapi/v2/department/listsub');
  });

  it('accepts new-API paths printed without /v1.0 (as some docs do)', () => {
    expect(first('POST', '/oauth2/corpAccessToken')).toBe('POST api.dingtalk.com /v1.0/oauth2/corpAccessToken');
  });

  it('returns nothing for paths DingTalk does not have', () => {
    expect(catalog.matchApi('GET', '/v1.0/nope/nothing/here')).toEqual([]);
    expect(catalog.matchApi(null, 'https://api.dingtalk.com/')).toEqual([]);
  });
});

describe('apiBySdk', () => {
  it('accepts module names with _ or . and method names in any SDK form', () => {
    for (const [mod, method] of [
      ['contact_1_0', 'getUserWithOptions'],
      ['contact_1.0', 'getUser'],
      ['contact_1_0', 'GetUser'],
    ] as const) {
      const hits = catalog.apiBySdk(mod, method);
      expect(hits.map((a) => a.id)).toEqual(['contact_1.0/GetUser']);
    }
    expect(catalog.apiBySdk(null, 'GetUser').length).toBeGreaterThan(1);
    expect(catalog.apiBySdk('contact_1_0', 'noSuchMethod')).toEqual([]);
  });
});

describe('scope lookups', () => {
  it('finds codes exactly, then case-insensitively', () => {
    expect(catalog.scope('Contact.User.Read')?.name.zh).toBe('通讯录个人信息读权限');
    expect(catalog.scope('contact.user.read')?.code).toBe('Contact.User.Read');
    expect(catalog.scope('Nope.Nope')).toBeUndefined();
  });

  it('marks base and sensitive scopes from the sources', () => {
    expect(catalog.scope('qyapi_base')).toMatchObject({ base: true, kind: 'standard' });
    expect(catalog.scope('qyapi_manage_addresslist')).toMatchObject({ sensitive: true, kind: 'special', base: false });
    expect(catalog.scope('Notable.Base.Read')).toMatchObject({ sensitive: true, kind: 'special' });
    expect(catalog.scope('Contact.User.Read')).toMatchObject({ sensitive: false, base: false, kind: 'unknown' });
    expect(catalog.allScopes().filter((s) => s.sensitive).map((s) => s.code).sort()).toEqual(['AIPaaS.Model.Read', 'Notable.Base.Read', 'Notable.Base.Write', 'qyapi_addresslist_edu_read', 'qyapi_manage_addresslist']);
  });

  it('derives English names from self-explaining codes and keeps the Chinese one; an official English name wins', () => {
    expect(catalog.scope('Contact.User.Read')?.name).toEqual({ zh: '通讯录个人信息读权限', en: 'Read permission for contact profiles' });
    expect(catalog.scope('Calendar.Event.Write')?.name.en).toBe('Write permission for events in the Calendar app');
    expect(catalog.scope('Calendar.Acl.Write')?.name.en).toBe('Calendar: acl write');
    // Acronyms and the brand keep their spelling whatever the code's case.
    expect(catalog.scope('Crm.CustomerGroup.Write')?.name.en).toBe('CRM: customer group write');
    expect(catalog.scope('Okr.Common.ReadWrite')?.name.en).toBe('OKR: common read write');
    expect(catalog.scope('qyapi_crm_maindata_read')?.name.en).toBe('Org API: CRM maindata read');
    expect(catalog.scope('qyapi_dingtalk_attendance_manage')?.name.en).toBe('Org API: DingTalk attendance manage');
  });

  it('gives probes that are read-only requests needing the scope', () => {
    for (const scope of catalog.allScopes()) {
      if (!scope.probe) continue;
      const api = catalog.api(scope.probe.api);
      expect(api?.scopes).toContain(scope.code);
      expect(['GET', 'POST']).toContain(scope.probe.method);
      expect(scope.probe.path).not.toMatch(/[{}]/);
    }
    expect(catalog.scope('Contact.User.Read')?.probe).toMatchObject({ method: 'GET', path: '/v1.0/contact/users/0', host: 'api.dingtalk.com' });
  });

  it('looks error codes up case-insensitively', () => {
    const rows = catalog.errors('forbidden.accessdenied.ipnotinwhitelist');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]?.code).toBe('Forbidden.AccessDenied.IpNotInWhiteList');
    expect(rows[0]?.url).toMatch(/^https:\/\/open\.dingtalk\.com\//);
    expect(catalog.errors('no-such-code')).toEqual([]);
  });
});

describe('search ranking on real queries', () => {
  const top = (q: string, n = 1) => catalog.search(q, n).map((h) => h.scope.code);
  it.each([
    ['contact user read', 'Contact.User.Read'],
    ['Contact.User.Read', 'Contact.User.Read'],
    ['contact_user_read', 'Contact.User.Read'],
    ['contac use read', 'Contact.User.Read'],
    ['robot send', 'qyapi_robot_sendmsg'],
    ['sendmsg', 'qyapi_robot_sendmsg'],
    ['calendar event write', 'Calendar.Event.Write'],
    ['QYAPI GET MEMBER', 'qyapi_get_member'],
    ['department list', 'qyapi_get_department_list'],
    ['user mobile', 'Contact.User.mobile'],
  ])('%s ranks %s first', (query, expected) => {
    expect(top(query)[0]).toBe(expected);
  });

  it.each([
    ['通讯录', 'Contact.User.Read'],
    ['多维表', 'Notable.Base.Read'],
    ['日程', 'Calendar.Event.Read'],
    ['workflow instance', 'Workflow.Instance.Read'],
    ['todo write', 'Todo.Todo.Write'],
    // The .All scopes are the ones the docs name for the notable APIs (Notable.Base.Write is the sensitive one).
    ['notable base', 'Notable.Base.Write.All'],
  ])('%s has %s in the top 3', (query, expected) => {
    expect(top(query, 3)).toContain(expected);
  });

  // What a DingTalk developer means by these words (audit of issue 4): the scope of the product
  // named, not a niche product that happens to share a word.
  it.each([
    ['process instance', ['Workflow.Instance.Read', 'Workflow.Instance.Write']],
    ['approval', ['Workflow.Instance.Read', 'Workflow.Instance.Write', 'qyapi_aflow', 'Premium.Workflow.ReadWrite.All']],
    ['send message', ['qyapi_robot_sendmsg']],
    ['attendance', ['qyapi_attendance_group_read', 'qyapi_get_attendance_data']],
    ['考勤', ['qyapi_get_attendance_data', 'qyapi_attendance_group_read']],
    ['审批', ['qyapi_aflow', 'Premium.Workflow.ReadWrite.All']],
    ['todo', ['Todo.Todo.Read', 'Todo.Todo.Write']],
    ['日历', ['Calendar.Event.Read', 'Calendar.Event.Write', 'Calendar.Calendar.Read']],
  ])('%s ranks one of %j first', (query, expected) => {
    expect(expected).toContain(top(query)[0]);
  });

  it('the words typed as a phrase outrank the same words in another order', () => {
    const hits = catalog.search('send message', 5);
    expect(hits[0]?.why).toMatch(/phrase/);
  });

  it('says why a scope matched and finds nothing for nonsense', () => {
    expect(catalog.search('contact user read', 1)[0]?.why).toBe('code: contact, user, read; phrase: contact user read');
    expect(catalog.search('xyzzyqq')).toEqual([]);
  });

  it('suggests close codes for typos', () => {
    expect(catalog.suggest('Contact.User.Reed')[0]).toBe('Contact.User.Read');
    expect(catalog.suggest('qyapi_get_membr')[0]).toBe('qyapi_get_member');
  });
});

describe('scopes for: reading targets', () => {
  it('reads METHOD /path, URLs and SDK names', () => {
    expect(parseForQuery(['GET', '/v1.0/contact/users/0123'])).toEqual({ type: 'http', method: 'GET', path: '/v1.0/contact/users/0123', host: null });
    expect(parseForQuery(['GET /v1.0/contact/users/0123'])).toMatchObject({ type: 'http', method: 'GET' });
    expect(parseForQuery(['https://oapi.dingtalk.com/user/get?userid=1'])).toEqual({ type: 'http', method: null, path: '/user/get', host: 'oapi.dingtalk.com' });
    expect(parseForQuery(['contact_1_0', 'getUser'])).toEqual({ type: 'sdk', module: 'contact_1_0', method: 'getUser' });
    expect(parseForQuery(['contact_1_0.getUser'])).toEqual({ type: 'sdk', module: 'contact_1_0', method: 'getUser' });
    expect(parseForQuery(['GetUser'])).toEqual({ type: 'sdk', module: null, method: 'GetUser' });
    expect(parseForQuery(['GET', 'nothing here'])).toBeNull();
    expect(parseForQuery([])).toBeNull();
  });

  it('lists candidates when a bare SDK method exists in several modules', () => {
    const answer = resolveFor(catalog, { type: 'sdk', module: null, method: 'GetUser' });
    expect(answer.matches.length).toBeGreaterThan(1);
    expect(answer.matches.map((a) => a.id)).toContain('contact_1.0/GetUser');
  });

  it('is unambiguous for a method + real path', () => {
    const answer = resolveFor(catalog, { type: 'http', method: 'GET', path: '/v1.0/contact/users/0123', host: null });
    expect(answer.ambiguous).toBe(false);
    expect(answer.matches.map((a) => a.id)).toEqual(['contact_1.0/GetUser']);
  });

  it('filters list by kind and product', () => {
    expect(listScopes(catalog, { kind: 'special' }).map((s) => s.code)).toEqual(['Document.AIAssistant.Read', 'Notable.Base.Read', 'Notable.Base.Write', 'qyapi_manage_addresslist', 'qyapi_recruitment_plugin']);
    const contact = listScopes(catalog, { product: 'contact' }).map((s) => s.code);
    expect(contact).toContain('Contact.User.Read');
    expect(contact).not.toContain('Calendar.Event.Write');
  });
});

describe('learned pairs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-learned-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { XDG_CONFIG_HOME: dir, HOME: '/nonexistent' };

  it('lives in the XDG config dir and round-trips', () => {
    expect(learnedPath({ env })).toBe(join(dir, 'dingtalk-doctor', 'learned.json'));
    expect(learnedPath({ env: { HOME: '/home/u' } })).toBe('/home/u/.config/dingtalk-doctor/learned.json');
    expect(loadLearned({ env })).toEqual([]);
    recordLearned({ method: 'get', path: '/v1.0/edu/schools/{id}/x?y=1', scopes: ['Edu.School.Read'], seenAt: '2026-01-02T00:00:00Z' }, { env });
    recordLearned({ method: 'GET', path: '/v1.0/edu/schools/{id}/x', scopes: ['Edu.Extra.Read', 'Edu.School.Read'], seenAt: '2026-01-03T00:00:00Z' }, { env });
    const entries = loadLearned({ env });
    expect(entries).toEqual([{ method: 'GET', path: '/v1.0/edu/schools/{id}/x', scopes: ['Edu.Extra.Read', 'Edu.School.Read'], seenAt: '2026-01-03T00:00:00Z' }]);
    expect(JSON.parse(readFileSync(learnedPath({ env }), 'utf8')).version).toBe(1);
  });

  it('a damaged file is a usage error naming the file', () => {
    const file = join(dir, 'broken', 'learned.json');
    mkdirSync(join(dir, 'broken'), { recursive: true });
    writeFileSync(file, '{oops');
    expect(() => loadLearned({ file })).toThrow(DoctorError);
    expect(() => loadLearned({ file })).toThrow(/not valid JSON/);
  });

  it('withLearned adds observed scopes to known APIs and new APIs, labelled observed', () => {
    const view = catalog.withLearned([
      { method: 'GET', path: '/v1.0/contact/users/{unionId}', scopes: ['Contact.User.Read', 'Contact.Extra.Read'], seenAt: '2026-01-01' },
      { method: 'POST', path: '/v1.0/madeup/things/query', scopes: ['Madeup.Thing.Read'], seenAt: '2026-01-01' },
    ]);
    const known = view.matchApi('GET', '/v1.0/contact/users/42')[0];
    expect(known?.scopes).toEqual(['Contact.User.Read', 'Contact.Extra.Read']);
    expect(known?.observed).toEqual(['Contact.Extra.Read']);
    const fresh = view.matchApi('POST', 'https://api.dingtalk.com/v1.0/madeup/things/query?x=1')[0];
    expect(fresh).toMatchObject({ id: 'observed:POST /v1.0/madeup/things/query', scopes: ['Madeup.Thing.Read'], observed: ['Madeup.Thing.Read'] });
    expect(view.scope('Madeup.Thing.Read')).toMatchObject({ kind: 'unknown', sources: ['observed (learned file)'] });
    // the bundled catalog is untouched
    expect(catalog.matchApi('GET', '/v1.0/contact/users/42')[0]?.observed).toBeUndefined();
    expect(catalog.matchApi('POST', '/v1.0/madeup/things/query')).toEqual([]);
  });
});

describe('error table lookups (binary search over the generated lines)', () => {
  it('finds every code of the table, case-insensitively, with all its rows', () => {
    const text = readFileSync(new URL('../src/data/errors.json', import.meta.url), 'utf8');
    const table = JSON.parse(text) as { fields: string[]; rows: unknown[][] };
    const at = table.fields.indexOf('code');
    const counts = new Map<string, number>();
    for (const row of table.rows) counts.set(String(row[at]).toLowerCase(), (counts.get(String(row[at]).toLowerCase()) ?? 0) + 1);
    const catalog = getCatalog();
    for (const [code, n] of counts) {
      const found = catalog.errors(code.toUpperCase());
      expect(found.length, code).toBe(n);
      expect(found.every((e) => e.code.toLowerCase() === code), code).toBe(true);
    }
    expect(catalog.errors('no-such-code-anywhere')).toEqual([]);
    expect(catalog.errors('60011')[0]?.message).toBe('没有调用该接口的权限');
  });
});
