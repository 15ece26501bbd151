import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResponse, parseText } from '../src/core/parse/index.js';
import type { ErrorRecord } from '../src/core/types.js';

const ex = (name: string) => readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8');
const fx = (name: string) => readFileSync(new URL(`./fixtures/diagnose/${name}`, import.meta.url), 'utf8');
const one = (text: string, input = 'x'): ErrorRecord => {
  const records = parseText(text, input);
  expect(records).toHaveLength(1);
  return records[0]!;
};

describe('new-API error bodies', () => {
  it('reads the main example: code, request id, scope, line 1', () => {
    const r = one(ex('403-missing-scope.json'), 'examples/403-missing-scope.json');
    expect(r.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
    expect(r.requestId).toBe('6F0E1A2B-3C4D-5E6F-7A8B-9C0D1E2F3A4B');
    expect(r.requiredScopes).toEqual(['Contact.User.Read']);
    expect(r.source).toEqual({ input: 'examples/403-missing-scope.json', line: 1 });
  });

  it.each([
    ['casing-upper.json', '11111111-AAAA-4BBB-8CCC-000000000001', ['Contact.User.Read']],
    ['casing-camel.json', '11111111-AAAA-4BBB-8CCC-000000000002', ['qyapi_get_member']],
  ])('matches keys in any casing (%s)', (file, requestId, scopes) => {
    const r = one(fx(file));
    expect(r.requestId).toBe(requestId);
    expect(r.requiredScopes).toEqual(scopes);
    expect(r.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
  });

  it('takes two scopes from one body (detail and message agree: no duplicates)', () => {
    expect(one(fx('two-scopes.json')).requiredScopes).toEqual(['Calendar.Event.Read', 'Calendar.Event.Write']);
  });

  it('takes the scope from the message when there is no detail', () => {
    const r = one(fx('scope-in-message.json'));
    expect(r.requiredScopes).toEqual(['Document.AIAssistant.Read']);
  });

  it('takes the app key from the apply link in the message', () => {
    const r = one(ex('sdk-json.json'));
    expect(r.requiredScopes).toEqual(['Calendar.Event.Write']);
    expect(r.appKey).toBe('dingc9aa7hnd3kbxyzqe');
    expect(r.httpStatus).toBe(403);
  });

  it('recovers the scope from a truncated body', () => {
    const r = one(fx('truncated.json'));
    expect(r.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
    expect(r.requiredScopes).toEqual(['Calendar.Event.Write']);
  });

  it('reads each body of a pretty-printed JSON array with its own line', () => {
    const records = parseText(fx('pretty-array.json'), 'a.json');
    expect(records.map((r) => [r.code, r.requiredScopes, r.source.line])).toEqual([
      ['Forbidden.AccessDenied.AccessTokenPermissionDenied', ['Contact.User.Read'], 2],
      ['Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', [], 8],
    ]);
  });

  it('reads a JSON body escaped inside a JSON log line, with \\u escapes', () => {
    const r = one(fx('python-dict-escaped.log'));
    expect(r.requestId).toBe('11111111-AAAA-4BBB-8CCC-000000000007');
    expect(r.requiredScopes).toEqual(['qyapi_robot_sendmsg']);
  });
});

describe('SDK errors as users paste them', () => {
  it('Node console.error(err): inspect format, [Array] placeholder ignored, stack frame → SDK method', () => {
    const r = one(ex('sdk-inspect.txt'));
    expect(r.requiredScopes).toEqual(['Contact.User.Read']);
    expect(r.httpStatus).toBe(403);
    expect(r.requestId).toBe('6F0E1A2B-3C4D-5E6F-7A8B-9C0D1E2F3A4B');
    expect(r.sdk).toEqual({ module: 'contact_1_0', method: 'getUserWithOptions' });
    expect(r.source.line).toBe(1);
  });

  it('bare err.message', () => {
    const r = one(ex('sdk-message.txt'));
    expect(r.httpStatus).toBe(403);
    expect(r.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
    expect(r.requiredScopes).toEqual(['Document.AIAssistant.Read']);
    expect(r.requestId).toBe('9D8C7B6A-1E2F-4A3B-8C7D-6E5F4A3B2C1D');
  });

  it('bare Tea message without the code prefix', () => {
    const r = one('code: 403, 应用尚未开通所需的权限：[Contact.User.Read] request id: ABCD-1234');
    expect(r.httpStatus).toBe(403);
    expect(r.requiredScopes).toEqual(['Contact.User.Read']);
    expect(r.requestId).toBe('ABCD-1234');
  });

  it('Java: log line with the data map and the TeaException with its stack are one record', () => {
    const r = one(ex('java-exception.txt'));
    expect(r.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
    expect(r.requiredScopes).toEqual(['Contact.User.Read']);
    expect(r.httpStatus).toBe(403);
    expect(r.sdk).toEqual({ module: 'contact_1_0', method: 'getUserWithOptions' });
    expect(r.message).toBe('应用尚未开通所需的权限：[Contact.User.Read]');
  });

  it('Python: traceback + TeaException dict', () => {
    const r = one(ex('python-exception.txt'));
    expect(r.requiredScopes).toEqual(['qyapi_robot_sendmsg']);
    expect(r.sdk).toEqual({ module: 'robot_1_0', method: 'batch_send_otowith_options' });
    expect(r.source.line).toBe(1);
  });

  it('Go: SDKError block', () => {
    const r = one(ex('go-sdkerror.txt'));
    expect(r.code).toBe('InvalidAuthentication');
    expect(r.httpStatus).toBe(400);
    expect(r.message).toBe('不合法的access_token');
  });
});

describe('raw HTTP and HAR', () => {
  it('curl -i: status line + body; the IP allow-list 403 carries IP and app key', () => {
    const r = one(fx('ip-403.txt'));
    expect(r.httpStatus).toBe(403);
    expect(r.code).toBe('Forbidden.AccessDenied.IpNotInWhiteList');
    expect(r.callerIp).toBe('198.51.100.77');
    expect(r.appKey).toBe('dingsuite0001abc');
    expect(r.requiredScopes).toEqual([]);
  });

  it('curl -v: the request line names the API', () => {
    const r = one(ex('curl-v.txt'));
    expect(r.api).toEqual({ method: 'GET', path: '/v1.0/contact/users/manager4220', host: 'api.dingtalk.com', via: 'exchange' });
    expect(r.httpStatus).toBe(403);
    expect(r.requiredScopes).toEqual(['Contact.User.Read']);
  });

  it('HAR: entry method + URL, base64 bodies, legacy errcode in a 200, successes skipped', () => {
    const records = parseText(ex('browser.har'), 'b.har');
    expect(records.map((r) => [r.api?.method, r.api?.path, r.httpStatus, r.code, r.requiredScopes])).toEqual([
      ['POST', '/topapi/v2/user/get', 200, '60011', []],
      ['GET', '/v1.0/calendar/users/union8a7b/calendars/primary/events', 403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', ['Calendar.Event.Read']],
    ]);
    expect(records.map((r) => r.source.line)).toEqual([55, 99]);
  });

  it('parseResponse: the real status wins; a bodiless 403 is still a record; a 200 without errcode is none', () => {
    const [r] = parseResponse({ status: 403, body: '{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","requestid":"R1","message":"m","accessdenieddetail":{"requiredScopes":["Contact.User.Read"]}}', api: { method: 'GET', path: '/v1.0/contact/users/1' } });
    expect(r).toMatchObject({ httpStatus: 403, requiredScopes: ['Contact.User.Read'], api: { method: 'GET', path: '/v1.0/contact/users/1' } });
    expect(parseResponse({ status: 403, body: '' })).toMatchObject([{ httpStatus: 403, code: null }]);
    expect(parseResponse({ status: 200, body: '{"result":{"userid":"1"}}' })).toEqual([]);
    expect(parseResponse({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' })).toEqual([]);
  });
});

describe('legacy oapi', () => {
  it('60011 without a scope', () => {
    const r = one(ex('legacy-60011.json'));
    expect(r).toMatchObject({ code: '60011', subCode: null, requiredScopes: [], requestId: '16fa2c3b9d7e' });
  });

  it('errcode 88 wrapper with sub_code 60011 and the Java-map scopes', () => {
    const r = one(ex('legacy-88-wrapper.json'));
    expect(r).toMatchObject({ code: '88', subCode: '60011', requiredScopes: ['qyapi_get_department_list'], appKey: 'dingc9aa7hnd3kbxyzqe' });
  });

  it('ding talk error[…] in Java map notation alone', () => {
    const r = one(
      'com.taobao.api.ApiException: ding talk error[subcode=60011,submsg=应用尚未开通所需的权限：[qyapi_get_member]，点击链接申请并开通即可：https://open-dev.dingtalk.com/appscope/apply?content=dingabc123%23qyapi_get_member, {requiredScopes=[qyapi_get_member]}]',
    );
    expect(r).toMatchObject({ subCode: '60011', requiredScopes: ['qyapi_get_member'], appKey: 'dingabc123' });
  });

  it('60020: caller IP and app key from the message', () => {
    const r = one(ex('legacy-60020.json'));
    expect(r).toMatchObject({ code: '60020', callerIp: '198.51.100.23', appKey: 'dingc9aa7hnd3kbxyzqe' });
  });

  it('88/40014 token error', () => {
    expect(one(ex('legacy-token.json'))).toMatchObject({ code: '88', subCode: '40014', message: '不合法的access_token' });
  });

  it('errcode 403 wrapper with the new-style code in errmsg', () => {
    const r = one('{"errcode": 403, "errmsg": "Forbidden.AccessDenied.AccessTokenPermissionDenied: 应用尚未开通所需的权限：[qyapi_robot_sendmsg]"}');
    expect(r).toMatchObject({ code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', httpStatus: 403, requiredScopes: ['qyapi_robot_sendmsg'] });
  });
});

describe('logs', () => {
  it('finds every error of a mixed log, with lines; a multi-line pretty body counts from its head line', () => {
    const records = parseText(ex('app.log'), 'app.log');
    expect(records.map((r) => [r.source.line, r.code, r.requiredScopes.join(',')])).toEqual([
      [3, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', 'Contact.User.Read'],
      [5, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', 'qyapi_robot_sendmsg'],
      [6, 'Forbidden.AccessDenied.IpNotInWhiteList', ''],
      [7, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', 'Contact.User.Read'],
      [8, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', ''],
      [10, 'orgAuthLevelNotEnough', ''],
    ]);
    expect(records[0]!.api).toEqual({ method: 'GET', path: '/v1.0/contact/users/union7f3a', host: 'api.dingtalk.com', via: 'line' });
  });

  it('ignores what is not a DingTalk error: ENOENT, errcode 0, code 200 in a JSON log', () => {
    expect(parseText(fx('not-dingtalk.log'), 'n.log')).toEqual([]);
  });

  it('counts lines from firstLine', () => {
    expect(parseText('x\n{"errcode":60011,"errmsg":"没有调用该接口的权限"}', 'x', 100)[0]!.source.line).toBe(101);
  });
});

describe('audit: logs as real apps write them', () => {
  const BODY = {
    requestid: 'W1',
    code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied',
    message: '应用尚未开通所需的权限：[Contact.User.Read]',
    accessdenieddetail: { requiredScopes: ['Contact.User.Read'] },
  };

  it("winston JSON line: the body's message, not the log's own `message` key", () => {
    const line = JSON.stringify({ level: 'error', message: `dingtalk failed ${JSON.stringify(BODY)}`, timestamp: '2026-01-01T00:00:00Z' });
    const r = one(line);
    expect([r.code, r.requestId, r.requiredScopes, r.message]).toEqual([BODY.code, 'W1', ['Contact.User.Read'], '应用尚未开通所需的权限：[Contact.User.Read]']);
  });

  it('pino line with the body as an escaped string in msg; the URL elsewhere in the line still names the API', () => {
    const line = JSON.stringify({ level: 50, msg: JSON.stringify({ ...BODY, message: 'denied' }), url: 'https://api.dingtalk.com/v1.0/contact/users/u1', method: 'get' });
    const r = one(line);
    expect([r.message, r.requiredScopes, r.api]).toEqual(['denied', ['Contact.User.Read'], { method: 'GET', path: '/v1.0/contact/users/u1', host: 'api.dingtalk.com', via: 'exchange' }]);
  });

  it('a body JSON-encoded twice with ASCII escapes (Python json.dumps of json.dumps): clean Chinese message', () => {
    const inner = JSON.stringify({ errcode: 40014, errmsg: '不合法的access_token' }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const line = JSON.stringify({ level: 'ERROR', message: 'oapi failed', response: inner });
    expect(line).toContain('\\\\u4e0d');
    const r = one(line);
    expect([r.code, r.message]).toEqual(['40014', '不合法的access_token']);
  });

  it('the same body (same request id) logged 1,000 lines apart is two occurrences, not one', () => {
    const lines = Array.from({ length: 2002 }, (_, i) => (i === 0 || i === 1000 ? `ERROR ${JSON.stringify(BODY)}` : `INFO ok ${i}`));
    expect(parseText(lines.join('\n'), 'x').map((r) => r.source.line)).toEqual([1, 1001]);
  });
});

// fields.ts reads a key pattern's later matches only when the rest of the text still names the key
// (keyMatches): every key of a kind must still be read, whatever its case or place.
describe('a text with several keys of a kind', () => {
  it('reads them all: the DingTalk code after a client code, sub_msg after message, both scope lists', () => {
    const text = [
      "AxiosError: Request failed with status code 403 { code: 'ERR_BAD_REQUEST', message: 'Request failed with status code 403',",
      "  response: { data: { CODE: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', Sub_Msg: 'no permission here',",
      "  requiredScopes: ['Contact.User.Read'], accessdenieddetail: { RequiredScopes: ['Contact.Dept.Read'] } } } }",
    ].join('\n');
    const [r] = parseText(text, 'x.log');
    expect(r?.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
    expect(r?.message).toBe('no permission here');
    expect(r?.requiredScopes).toEqual(['Contact.User.Read', 'Contact.Dept.Read']);
  });
});
