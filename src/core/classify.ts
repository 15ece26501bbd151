/**
 * ErrorRecord → Cause. By code first (legacy sub_code before the generic 88 wrapper),
 * then message keywords, then HTTP status (dingtalk-facts.md §2, §4). What is not a
 * denial is `other-error`: still explained from the error table, never a scope.
 */
import type { Cause, ErrorRecord } from './types.js';

/** New-API codes (exact, case-sensitive as DingTalk sends them). */
const BY_CODE: Record<string, Cause> = {
  'Forbidden.AccessDenied.AccessTokenPermissionDenied': 'missing-scope',
  'Forbidden.AccessDenied.IpNotInWhiteList': 'ip-not-allowed',
  orgAuthLevelNotEnough: 'org-auth-level',
  // "organization not DingTalk-certified, or not on an allowlist" (errors.tsv): the org, not the app.
  'no.priviledge': 'org-auth-level',
  systemBusy: 'throttled',
  'system.busy': 'throttled',
  InvalidAuthentication: 'invalid-token',
  Unauthorized: 'invalid-token',
  invalidClientIdOrSecret: 'invalid-token',
  'unauthorized.client': 'app-not-authorized',
  // ISV token errors: 授权关系不存在 — the organization has not installed/authorized the app.
  invalidSuiteKey: 'app-not-authorized',
  invalidSuiteTicket: 'app-not-authorized',
  invalidAuthInfo: 'app-not-authorized',
  // 鉴权失败 (dingtalk-facts.md §4): the credentials were refused.
  authFailed: 'invalid-token',
  // DingTalk's table lists these under 401 or 403 but they are not about the token or a refusal:
  // bad parameters, business rules, server errors, missing content (errors.tsv rows).
  paramIllegal: 'other-error',
  'illegal.argument': 'other-error',
  businessError: 'other-error',
  'sys.error': 'other-error',
  systenError: 'other-error',
  thumbnailNotExist: 'other-error',
  'forbidden.document.sizeOverLimit': 'other-error',
  'invalidRequest.document.typeIllegal': 'other-error',
  'permission.deny': 'unknown-denial',
  'forbidden.user.notInOrg': 'unknown-denial',
  acrossOrgAccessForbidden: 'unknown-denial',
};

/** Legacy oapi errcodes / sub_codes. Less certain ones stay out (they get the table's explanation). */
const BY_LEGACY: Record<string, Cause> = {
  '60011': 'missing-scope',
  '60020': 'ip-not-allowed',
  '40001': 'invalid-token',
  '40014': 'invalid-token',
  '41001': 'invalid-token',
  '42001': 'invalid-token',
  '40089': 'invalid-token',
  '40096': 'invalid-token',
  // 需要授权: the API needs an access_token (errors.tsv).
  '43007': 'invalid-token',
  // The user / department is outside the app's contacts range (errors.tsv: 通讯录权限 › 授权范围, 可使用范围).
  '50002': 'unknown-denial',
  '50004': 'unknown-denial',
  // Custom robot webhook: `token is not exist` (the webhook's access_token is wrong or the robot was removed).
  '300001': 'invalid-token',
  // 90001–90014 and 90018: calls temporarily disabled for calling too often (errors.tsv rows 90001–90014;
  // 90018 from dingtalk-facts.md §4, less certain). 90017 (too many corpIds from one IP) is left to the table.
  ...Object.fromEntries(['90001', '90002', '90003', '90004', '90005', '90006', '90007', '90008', '90009', '90010', '90011', '90012', '90013', '90014', '90018'].map((c) => [c, 'throttled' as const])),
};

const KEYWORDS: Array<[RegExp, Cause]> = [
  [/应用尚未开通所需的权限|没有调用该接口的权限|AccessTokenPermissionDenied/, 'missing-scope'],
  // Also a custom robot's 310000 `ip 不在白名单中` (its other 310000s, keywords and sign, are not refusals of the app).
  [/不在白名单|IpNotInWhiteList|request ip=/i, 'ip-not-allowed'],
  [/Forbidden\.AccessDenied\.Qp[sm]Limit|限流|请求太频繁|system ?busy|请求都被暂时禁用|调用该接口次数过多|最大qps/i, 'throttled'],
  [/access_?token\s*(?:is blank|无效|不合法|已过期|过期|invalid|expired)|(?:invalid|expired) access_?token|不合法的access_?token|缺少access_token|InvalidAuthentication|AuthenticationFailed/i, 'invalid-token'],
  [/授权关系不存在|应用未被授权|unauthorized\.client/i, 'app-not-authorized'],
  // `auth level of org is not enough` is orgAuthLevelNotEnough's message: a Java/Python TeaException message carries it without the code.
  [/认证等级|orgAuthLevel|auth level of org/i, 'org-auth-level'],
];

/** The cause a code has by itself (its exact spelling or a documented family), before any message or status. */
export function causeOfCode(code: string | null): Cause | null {
  return byCode(code);
}

function byCode(code: string | null): Cause | null {
  if (!code) return null;
  const exact = BY_CODE[code] ?? BY_LEGACY[code];
  if (exact) return exact;
  if (/^Forbidden\.AccessDenied\.Qp[sm]Limit/.test(code)) return 'throttled';
  if (/^AuthenticationFailed\b/.test(code)) return 'invalid-token';
  return null;
}

export function classifyDenial(record: ErrorRecord): Cause {
  if (record.requiredScopes.length > 0) return 'missing-scope';
  const fromCode = byCode(record.subCode) ?? byCode(record.code);
  if (fromCode) return fromCode;
  const message = record.message ?? '';
  for (const [re, cause] of KEYWORDS) if (re.test(message) || (record.code && re.test(record.code))) return cause;
  if (record.callerIp) return 'ip-not-allowed';
  if (record.code && /^Forbidden\b/i.test(record.code)) return 'unknown-denial';
  switch (record.httpStatus) {
    case 401:
      return 'invalid-token';
    case 403:
      return 'unknown-denial';
    case 429:
      return 'throttled';
  }
  return 'other-error';
}

/** Causes that mean the call was refused (as opposed to a bad request or a server error). */
export const isDenial = (cause: Cause) => cause !== 'other-error';
