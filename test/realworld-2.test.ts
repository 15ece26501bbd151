/**
 * Real-world DingTalk error shapes, second round (values changed, no real tokens or personal data).
 * Same contract as realworld.test.ts: each fixture goes through the CLI's path (parseStream → diagnose
 * with the real catalog), must equal parseText whatever the chunk size, and gives the exact findings.
 * Sources are named per case; "constructed" means built faithfully from the SDK's source, not pasted.
 */
import { describe, expect, it } from 'vitest';
import { classifyDenial } from '../src/core/classify.js';
import { diagnose } from '../src/core/diagnose.js';
import type { ErrorRecord } from '../src/core/types.js';
import { runCli } from './helpers/run-cli.js';
import { checkFinding, findingsOf, type Expect } from './helpers/realworld.js';

const FIXTURES = new URL('./fixtures/diagnose/realworld/', import.meta.url);

const CASES: Array<[string, Expect[]]> = [
  // cryozerolabs/n8n-nodes-dingtalk#10: an n8n node's output, an array holding one legacy body (robot markdown without title).
  ['n8n-errcode-array.json', [{ cause: 'other-error', scopes: [], code: '400402', subCode: null, httpStatus: null, api: null, message: /^错误描述:参数 markdown --》 title 缺失/ }]],
  // 007gzs/dingtalk-django-example#8: Django's error page, the exception name on its own line above
  // `Error code: N, message: …` (the 403 in the text is the callback URL's, not DingTalk's status).
  ['django-dingtalkclientexception.txt', [{ cause: 'other-error', scopes: [], code: '71012', subCode: null, httpStatus: null, api: null, line: 2, message: 'url地址访问异常,错误原因为:http statusCode is:403', explanation: /^url地址访问异常/ }]],
  // nongfenqi/dingtalk-incoming-webhoot-plugin#1: a custom robot's webhook token that does not exist.
  ['robot-token-not-exist.log', [{ cause: 'invalid-token', scopes: [], code: '300001', subCode: null, httpStatus: null, api: null, message: 'token is not exist', explanation: /Webhook/ }]],
  // aliyun/dingtalk-sdk#3: the Go SDK's error with an empty `Code: ` line (the code is not the next line's `Message`).
  ['go-sdkerror-empty-code.txt', [{ cause: 'throttled', scopes: [], code: '15', subCode: 'isp.-1', httpStatus: null, api: null, requestId: 'gwq1z2x3c4v5', message: 'system busy' }]],
  // zhaoyunxing92/dingtalk#99: `log.Errorf("ding fail status code %d,res:%s", …)` with the new-API body.
  ['go-ding-fail-status.log', [{ cause: 'missing-scope', scopes: ['Contact.User.Read'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: 403, api: null, requestId: '6A7B8C9D-0E1F-7203-9142-53647586A7B8' }]],
  // A DingTalk bridge's troubleshooting doc (§ card permission): the code, then `requiredScopes: [X]` on the next line —
  // neither line has `code`: one finding with both.
  ['code-then-scopes.txt', [{ cause: 'missing-scope', scopes: ['Card.Instance.Write'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: null, api: null, line: 1, count: 1 }]],
  // An SSO setup guide: `code=… 没有调用该接口的权限` — the words after the code are the message.
  ['code-eq-old-message.log', [{ cause: 'missing-scope', scopes: [], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: null, api: null, message: '没有调用该接口的权限' }]],
  // A Go connector's test: a tab-indented body in a raw string, orgAuthLevelNotEnough with its English message.
  ['go-test-tab-orgauth.txt', [{ cause: 'org-auth-level', scopes: [], code: 'orgAuthLevelNotEnough', subCode: null, httpStatus: null, api: null, requestId: '019F4176-0000-7924-A7F6-52E3A0BFAAD8', message: 'auth level of org is not enough', explanation: /企业认证等级过低/ }]],
  // A channel plugin's docs: `code=orgAuthLevelNotEnough` ⏎ `message=…` (the message line is not read; the code is enough).
  ['kv-orgauth.txt', [{ cause: 'org-auth-level', scopes: [], code: 'orgAuthLevelNotEnough', subCode: null, httpStatus: null, api: null }]],
  // Java `log.error("获取文件下载信息失败", err)` of a TeaException: the message has no code, only
  // orgAuthLevelNotEnough's words; the API from the SDK frame (dingtalkstorage_1_0 getFileDownloadInfoWithOptions).
  ['java-tea-orgauth.log', [{ cause: 'org-auth-level', scopes: [], code: null, subCode: null, httpStatus: 403, api: 'POST /v1.0/storage/spaces/{spaceId}/dentries/{dentryId}/downloadInfos/query', requestId: '4E5F6A7B-8C9D-70E1-F2A3-B4C5D6E7F809', line: 3 }]],
  // Java `Exception in thread "main" com.aliyun.tea.TeaException: code: 403, … request id: …` (the format of
  // Alibaba Cloud's Tea SDK docs), apply link in the message: scope, app key, API from the frame.
  ['java-tea-main.txt', [{ cause: 'missing-scope', scopes: ['Contact.User.Read'], code: null, subCode: null, httpStatus: 403, api: 'GET /v1.0/contact/users/{unionId}', appKey: 'dingjavaexample42', requestId: '1F2E3D4C-5B6A-7980-8172-63544536271A' }]],
  // Constructed from aliyun/tea-python Tea/exceptions.py (`Error: {code} {message} Response: {data}`) in a traceback
  // through alibabacloud_dingtalk/contact_1_0.
  ['python-teaexception-str.txt', [{ cause: 'missing-scope', scopes: ['Contact.User.Read'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: 403, api: 'GET /v1.0/contact/users/{unionId}', requestId: '3C4D5E6F-7A8B-79C0-D1E2-F3A4B5C6D7E8', message: '应用尚未开通所需的权限：[Contact.User.Read]' }]],
  // Constructed: DingTalk's API-explorer sample code prints `err.code, err.message` on one line.
  ['sample-print-code-message.log', [{ cause: 'ip-not-allowed', scopes: [], code: 'Forbidden.AccessDenied.IpNotInWhiteList', subCode: null, httpStatus: 403, api: null, callerIp: '198.51.100.77', appKey: 'dingsampleprint01', requestId: '2B3C4D5E-6F70-7182-93A4-B5C6D7E8F901' }]],
  // A Spring log line that names only the code (no `code` key: the code itself triggers).
  ['spring-bare-ip-code.log', [{ cause: 'ip-not-allowed', scopes: [], code: 'Forbidden.AccessDenied.IpNotInWhiteList', subCode: null, httpStatus: null, api: null, callerIp: '192.0.2.201', appKey: 'dingspringexample7' }]],
  // open-dingtalk/openapi-demo-java#1: 50004, the department is outside the app's contacts range — a refusal.
  ['contacts-range-50004.md', [{ cause: 'unknown-denial', scopes: [], code: '50004', subCode: null, httpStatus: null, api: null, line: 7, message: '请求的部门id不在授权范围内', explanation: /^企业部门不在授权范围/ }]],
  // Custom robot 310000s (RayWangQvQ/BiliBiliTool#566, zhuifengshen/DingtalkChatbot#44, a blog on an IPv6 egress
  // refused by the robot's IP range) and 500100: sign and keywords are one finding (same fix), the IP range another.
  ['robot-310000.log', [
    { cause: 'other-error', scopes: [], code: '310000', subCode: null, httpStatus: null, api: null, line: 1, count: 2, explanation: /自定义机器人的安全设置/ },
    { cause: 'ip-not-allowed', scopes: [], code: '310000', subCode: null, httpStatus: null, api: null, line: 3, message: /^错误描述:ip 不在白名单中/ },
    { cause: 'other-error', scopes: [], code: '500100', subCode: null, httpStatus: null, api: null, line: 4 },
  ]],
  // Not DingTalk: a Feishu SDK dump (modelzen/feishu-codex-bridge#9; "应用尚未开通所需的应用身份权限", scopes like
  // im:chat) and OpenClaw's own gateway scope (DingTalk-Real-AI/dingtalk-openclaw-connector#405).
  ['feishu-not-dingtalk.txt', []],
  ['openclaw-gateway-scope.log', []],
];

describe('real-world shapes, round 2 → exact findings', () => {
  for (const [file, expected] of CASES) {
    it(file, async () => {
      const findings = await findingsOf(file);
      expect(findings).toHaveLength(expected.length);
      expected.forEach((e, i) => checkFinding(findings[i]!, e));
    });
  }
});

describe('inputs that are not DingTalk errors are not unreadable', () => {
  it('a log opening with `[error]: [` (not JSON) exits 0 with no finding, not 2', async () => {
    const r = await runCli(['diagnose', '--json', new URL('feishu-not-dingtalk.txt', FIXTURES).pathname]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });

  it('a truncated JSON body is still unreadable (exit 2)', async () => {
    const r = await runCli(['diagnose', '-'], { input: '[\n  {"errmsg": "x", "note": \n' });
    expect(r.code).toBe(2);
  });
});

/** A minimal record with just a code (and status), as a bare body gives. */
const rec = (code: string, httpStatus: number | null = null, message: string | null = null): ErrorRecord => ({
  httpStatus, code, subCode: null, message, requestId: null, requiredScopes: [], api: null, sdk: null, callerIp: null, appKey: null,
  source: { input: 'x', line: 1 },
});

describe('codes from DingTalk\'s error table', () => {
  it.each([
    ['authFailed', 400, 'invalid-token'],
    ['43007', null, 'invalid-token'],
    ['50002', null, 'unknown-denial'],
    ['50004', null, 'unknown-denial'],
    ['300001', null, 'invalid-token'],
    // Listed under 401/403 in the table, but bad parameters or server errors, not token/permission problems.
    ['paramIllegal', 401, 'other-error'],
    ['illegal.argument', 401, 'other-error'],
    ['businessError', 401, 'other-error'],
    ['sys.error', 401, 'other-error'],
    ['systenError', 403, 'other-error'],
    ['thumbnailNotExist', 403, 'other-error'],
    ['forbidden.document.sizeOverLimit', 403, 'other-error'],
  ] as const)('%s (%s) → %s', (code, status, cause) => {
    expect(classifyDenial(rec(code, status))).toBe(cause);
  });

  it('a bare paramIllegal body (no status) is not taken for a token problem via its 401 row', async () => {
    const r = await runCli(['diagnose', '--json', '-'], { input: '{"requestid":"R1","code":"paramIllegal","message":"param illegal. userId"}\n' });
    expect(JSON.parse(r.stdout).findings[0].cause).toBe('other-error');
  });

  it('orgAuthLevelNotEnough\'s message alone is org-auth-level', () => {
    expect(classifyDenial({ ...rec('x'), code: null, httpStatus: 403, message: 'auth level of org is not enough' })).toBe('org-auth-level');
  });
});
