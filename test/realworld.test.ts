/**
 * Real-world DingTalk error shapes (from public projects; values changed, no real tokens):
 * each fixture goes through the CLI's path (parseStream → diagnose with the real catalog) and
 * must give the exact cause, scopes, codes, status, API, caller IP and app key. parseText must
 * agree with the stream whatever the chunk size, and no finding may carry a token.
 * Sources (shapes, not text): casdoor/casdoor#4469 (curl HTTP/2, tab-indented body),
 * aircodelabs/aircode#46 (axios dump, IpNotInWhiteList, wrapped message), 007gzs/dingtalk-sdk#52
 * (DingTalkClientException `Error code: 88, message: …`), chzealot/dingtalk-dify-connector#5
 * (Python requests `400 Client Error … response.text={…}`), MAyang38/dify-on-dingding-go#3
 * (Go SDKError system.error), /work/notes/realworld.md (Java map 60011, OapiError 90002 with
 * apiPath(…), errcode 22 ApiName, JS literal 40014, 60020 wrapper, oapi curl with the token in the URL).
 */
import { describe, expect, it } from 'vitest';
import { parseResponse, parseText } from '../src/core/parse/index.js';
import { getCatalog } from '../src/catalog/index.js';
import { checkFinding, findingsOf, fixtureBytes, type Expect } from './helpers/realworld.js';

const catalog = getCatalog();

const CASES: Array<[string, Expect[]]> = [
  // casdoor#4469: `curl -i` of /v1.0/contact/users/me over HTTP/2, tab-indented body, old message without the scope.
  ['curl-http2-tabs.txt', [{ cause: 'missing-scope', scopes: ['Contact.User.Read'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: 403, api: 'GET /v1.0/contact/users/me', template: '/v1.0/contact/users/{unionId}', requestId: '5A1C2E3F-0B9D-7E6A-8C4B-1D2E3F4A5B6C', line: 2 }]],
  // The same as pasted in the PR: the URL in prose, status and body in separate Markdown fences.
  ['casdoor-markdown.md', [{ cause: 'missing-scope', scopes: ['Contact.User.Read'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: 403, api: '- /v1.0/contact/users/me', template: '/v1.0/contact/users/{unionId}', requestId: 'MASK' }]],
  // Java map notation: the scope only in `{requiredScopes=[…]}`, the message only "权限不足".
  ['java-map-60011.json', [{ cause: 'missing-scope', scopes: ['qyapi_get_member'], code: '88', subCode: '60011', httpStatus: null, api: null, message: '权限不足' }]],
  // OapiError { errcode=88, … } and a bare wrapper line, both 90002 with the TOP API name in apiPath(…).
  ['oapierror-90002.log', [
    { cause: 'throttled', scopes: [], code: '88', subCode: '90002', httpStatus: null, api: '- /topapi/process/listbyuserid', template: '/topapi/process/listbyuserid', message: /^您的服务器调用钉钉开放平台当前接口的所有请求都被暂时禁用了, apiPath\(dingtalk\.oapi\.process\.listbyuserid\)/, line: 1 },
    { cause: 'throttled', scopes: [], code: null, subCode: '90002', httpStatus: null, api: '- /topapi/v2/department/listsub', template: '/topapi/v2/department/listsub', line: 2 },
  ]],
  // errcode 22: an API name DingTalk does not know; explained although the error table lacks it.
  ['invalid-apiname-22.json', [{ cause: 'other-error', scopes: [], code: '22', subCode: null, httpStatus: null, api: '- /topapi/app/remove_auth', template: null, requestId: '3kq8xw1znb0de', message: '不合法ApiName，ApiName = dingtalk.oapi.app.remove_auth' }]],
  // JS object literal: unquoted keys, single quotes.
  ['js-literal-40014.log', [{ cause: 'invalid-token', scopes: [], code: '40014', subCode: '40014', httpStatus: null, api: null, message: '不合法的access token' }]],
  // 60020 in the 88 wrapper: caller IP and app key from the message.
  ['wrapper-60020.json', [{ cause: 'ip-not-allowed', scopes: [], code: '88', subCode: '60020', httpStatus: null, api: null, callerIp: '203.0.113.45', appKey: 'dingexampleapp0001', message: '访问ip不在白名单之中,request ip=203.0.113.45 appKey(dingexampleapp0001)' }]],
  // aircode#46: axios 1.x `console.log(err)` — method+url from config, status from response, body from response.data.
  ['axios-inspect-ip.txt', [{ cause: 'ip-not-allowed', scopes: [], code: 'Forbidden.AccessDenied.IpNotInWhiteList', subCode: null, httpStatus: 403, api: 'POST /v1.0/robot/oToMessages/batchSend', template: '/v1.0/robot/oToMessages/batchSend', callerIp: '198.51.100.23', appKey: 'dingexamplerobot02', requestId: '7B2C41E0-5D6F-7A88-9B01-C2D3E4F5A6B7', line: 1 }]],
  // axios 0.x dump: `accessdenieddetail: [Object]` (inspect depth) — the scope comes from the catalog via the URL.
  ['axios-legacy-scope.txt', [{ cause: 'missing-scope', scopes: ['Contact.User.Read'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: 403, api: 'GET /v1.0/contact/users/manager4321', template: '/v1.0/contact/users/{unionId}', requestId: '9E8D7C6B-5A49-7382-9100-AABBCCDDEEFF' }]],
  // axios `err.toJSON()` / JSON.stringify(err): no body at all; the client's ERR_BAD_REQUEST is not DingTalk's code.
  ['axios-tojson.json', [{ cause: 'unknown-denial', scopes: [], code: null, subCode: null, httpStatus: 403, api: 'POST /v1.0/robot/oToMessages/batchSend', template: '/v1.0/robot/oToMessages/batchSend', message: 'Request failed with status code 403' }]],
  // aircode#46, first post: only `data: {…}` with the message wrapped over two lines.
  ['aircode-data-wrapped.txt', [{ cause: 'ip-not-allowed', scopes: [], code: 'Forbidden.AccessDenied.IpNotInWhiteList', subCode: null, httpStatus: null, api: null, callerIp: '192.0.2.113', appKey: 'dingwrappedexample', message: /^访问ip不在白名单之中/ }]],
  // got: the HTTPError line names status and request, the next line the body: one finding.
  ['got-httperror.log', [{ cause: 'missing-scope', scopes: ['Contact.User.Read'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: 403, api: 'POST /v1.0/contact/users/search', template: '/v1.0/contact/users/search', appKey: 'dinggotexample001', requestId: '0D1E2F30-4152-7364-8596-A7B8C9D0E1F2', line: 1, count: 1 }]],
  // fetch: `console.log(method, url, res.status, await res.json())`.
  ['fetch-status-body.log', [{ cause: 'missing-scope', scopes: ['Calendar.Event.Write'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: 403, api: 'POST /v1.0/calendar/users/union0001/calendars/primary/events', template: '/v1.0/calendar/users/{userId}/calendars/{calendarId}/events' }]],
  // dingtalk-dify-connector#5: Python requests' HTTPError text with response.text.
  ['requests-python.log', [{ cause: 'other-error', scopes: [], code: 'systemError', subCode: null, httpStatus: 400, api: '- /v1.0/gateway/connections/open', requestId: 'AB12CD34-5E6F-7A8B-9C0D-1E2F3A4B5C6D', message: '系统错误', line: 2 }]],
  // dify-on-dingding-go#3: Go SDKError, a server-side error (not a denial).
  ['go-sdkerror-system.txt', [{ cause: 'other-error', scopes: [], code: 'system.error', subCode: null, httpStatus: 400, api: null, requestId: 'C5E5828E-0000-75AF-86D0-D1945398799A', message: '未知的系统错误' }]],
  // dingtalk-sdk#52: DingTalkClientException `Error code: 88, message: …` (Python traceback).
  ['dingtalk-sdk-python.log', [{ cause: 'invalid-token', scopes: [], code: '88', subCode: null, httpStatus: null, api: null, message: '不合法的access_token' }]],
  // International site: curl -v against api.dingtalk.io, and an oapi.dingtalk.io log line (scope from the catalog).
  ['intl-host-curl-v.txt', [{ cause: 'missing-scope', scopes: ['qyapi_robot_sendmsg'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: 403, api: 'POST /v1.0/robot/oToMessages/batchSend', template: '/v1.0/robot/oToMessages/batchSend' }]],
  ['intl-oapi-log.log', [{ cause: 'missing-scope', scopes: ['qyapi_get_member'], code: '60011', subCode: null, httpStatus: null, api: 'POST /topapi/v2/user/get', template: '/topapi/v2/user/get', requestId: '16abcde1xyz9q' }]],
  // oapi curl with the token in the URL (shell-escaped `\?`), body on the next line.
  ['oapi-curl-token.txt', [{ cause: 'invalid-token', scopes: [], code: '88', subCode: '40014', httpStatus: null, api: 'POST /topapi/v2/user/get', template: '/topapi/v2/user/get', requestId: '5fqmz1b2c3d4', message: '不合法的access_token', line: 2 }]],
  // A browser HAR: a foreign host's `{"code":"NotFound"}` is not DingTalk's; the .io entry's bare gateway body is.
  ['browser-mixed.har', [{ cause: 'other-error', scopes: [], code: 'InvalidAction.NotFound', subCode: null, httpStatus: 404, api: 'POST /v1.0/robot/oToMessage/batchSend', template: null, line: 3 }]],
  // capricornxl/ad-password-self-service#13: the Python SDK's text inside an app's own brackets.
  ['error-code-brackets.txt', [{ cause: 'missing-scope', scopes: [], code: '60011', subCode: null, httpStatus: null, api: null, line: 2, message: /^没有调用该接口的权限，接口权限申请参考：https:\/\/developers\.dingtalk\.com\/document\/app\/add-api-permission/ }]],
  // apache/ozhera#74: a Tea SDK message quoted in a log, English wording, no code.
  ['tea-message-english.log', [{ cause: 'invalid-token', scopes: [], code: null, subCode: null, httpStatus: 400, api: null, requestId: '5373616E-0000-750A-A30B-53495AC82560', message: 'Invalid access_token' }]],
  // DingTalk-Real-AI/dingtalk-workspace-cli#230: requiredScopes as objects (personal authorization of the
  // workspace CLI, not an app permission): recognised as an error, and no junk scope from the object keys.
  ['dws-object-scopes.txt', [{ cause: 'other-error', scopes: [], code: 'PAT_MEDIUM_RISK_NO_PERMISSION', subCode: null, httpStatus: null, api: null }]],
  // A new-API body with no request id (the gateway's own answer).
  ['bare-new-api-body.txt', [{ cause: 'other-error', scopes: [], code: 'InvalidAction.NotFound', subCode: null, httpStatus: 404, api: null, message: 'Specified api is not found, please check your url and method.' }]],
];

describe('real-world shapes → exact findings', () => {
  for (const [file, expected] of CASES) {
    it(file, async () => {
      const findings = await findingsOf(file);
      expect(findings).toHaveLength(expected.length);
      expected.forEach((e, i) => checkFinding(findings[i]!, e));
    });
  }
});

describe('tokens never reach a finding', () => {
  const TOKENS: Array<[string, string]> = [
    ['axios-inspect-ip.txt', '0f4a65deadbeef00aa11bb22cc33dd44'],
    ['axios-legacy-scope.txt', 'c0ffeec0ffeec0ffeec0ffeec0ffee99'],
    ['axios-tojson.json', 'ab12cd34ef56ab12cd34ef56ab12cd34'],
    ['curl-http2-tabs.txt', '7d3c0ffee15badc0de00000000000001'],
    ['intl-host-curl-v.txt', '11112222333344445555666677778888'],
    ['intl-oapi-log.log', '0123456789abcdef0123456789abcdef'],
    ['oapi-curl-token.txt', 'test0token0in0url'],
  ];
  for (const [file, token] of TOKENS) {
    it(file, async () => {
      expect(fixtureBytes(file).toString('utf8')).toContain(token); // the fixture does carry it
      const findings = await findingsOf(file);
      expect(findings.length).toBeGreaterThan(0);
      expect(JSON.stringify(findings)).not.toContain(token);
    });
  }

  it('a message that quotes a URL with access_token= is redacted', async () => {
    const text = '{"errcode":60011,"errmsg":"denied for https://oapi.dingtalk.com/topapi/v2/user/get?access_token=s3cr3tt0ken99 see docs"}';
    const [record] = parseText(text, 'x');
    expect(record!.message).toBe('denied for https://oapi.dingtalk.com/topapi/v2/user/get?access_token=*** see docs');
    const [bare] = parseResponse({ status: 502, body: '<html>bad gateway for /x?access_token=s3cr3tt0ken99</html>' });
    expect(JSON.stringify(bare)).not.toContain('s3cr3tt0ken99');
  });
});

describe('parseResponse: a DingTalk answer is trusted', () => {
  it.each([
    ['{"code":"InvalidAction.NotFound","message":"Specified api is not found, please check your url and method."}', 404, 'InvalidAction.NotFound'],
    ['{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"没有调用该接口的权限"}', 403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied'],
    ['{"code":"someNewCode","message":"something"}', 400, 'someNewCode'],
  ])('%s → code', (body, status, code) => {
    const [r] = parseResponse({ status, body, api: { method: 'GET', path: '/v1.0/x/y', host: 'api.dingtalk.com' } });
    expect(r!.code).toBe(code);
    expect(r!.httpStatus).toBe(status);
  });

  it('the same bare unknown code in free text is not taken for DingTalk (no context)', () => {
    expect(parseText('{"code":"someNewCode","message":"something"}', 'x')).toEqual([]);
  });
});

describe('TOP API names resolve against the catalog', () => {
  it('dingtalk.oapi.X.Y → /topapi/X/Y when the catalog knows it, with the name kept', async () => {
    const findings = await findingsOf('oapierror-90002.log');
    expect(findings[1]!.api).toEqual({ method: null, path: '/topapi/v2/department/listsub', host: 'oapi.dingtalk.com', apiName: 'dingtalk.oapi.v2.department.listsub', template: '/topapi/v2/department/listsub', via: 'line' });
  });

  it('an explanation for errcode 22, which the error table lacks', async () => {
    const [f] = await findingsOf('invalid-apiname-22.json');
    expect(f!.explanation).toMatch(/^不合法的ApiName/);
    // printed beside the steps, not repeated as step 1
    expect(f!.steps).toEqual([{ id: 'step.check-request', params: {} }]);
  });
});

describe('TOP API name twins', () => {
  it('dingtalk.oapi.attendance.list → /attendance/list (the catalog has no /topapi/attendance/list)', async () => {
    const { adviceFor } = await import('../src/core/diagnose.js');
    const [r] = parseText('WARN ding talk error[subcode=90018,submsg=调用太频繁, apiPath(dingtalk.oapi.attendance.list)]', 'x');
    expect(r!.api).toEqual({ method: null, path: '/topapi/attendance/list', host: 'oapi.dingtalk.com', apiName: 'dingtalk.oapi.attendance.list', via: 'line' });
    const f = adviceFor(r!, catalog, {});
    expect(f.cause).toBe('throttled');
    expect(f.api).toMatchObject({ path: '/attendance/list', template: '/attendance/list', apiName: 'dingtalk.oapi.attendance.list' });
    expect(f.explanation).toMatch(/调用频率超过限制/);
  });
});
