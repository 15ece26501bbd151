/**
 * ErrorRecord → Cause. By code first (legacy sub_code before the generic 88 wrapper),
 * then message keywords, then HTTP status (dingtalk-facts.md §2, §4). What is not a
 * denial is `other-error`: still explained from the error table, never a scope.
 */
import type { Cause, ErrorRecord } from './types.js';

import CAUSE_CODES from './cause-codes.json' with { type: 'json' };
import { once } from '../values.js';

type CodeGroup = { cause: string; codes: string[]; source: string };
const byCodeTable = (groups: readonly CodeGroup[]): Record<string, Cause> => Object.fromEntries(groups.flatMap((g) => g.codes.map((c) => [c, g.cause as Cause])));

/** New-API codes (exact, case-sensitive as DingTalk sends them), from cause-codes.json with their sources. */
const BY_CODE = byCodeTable(CAUSE_CODES.newApi);

/** Legacy oapi errcodes / sub_codes (cause-codes.json). Less certain ones stay out (they get the table's explanation). */
const BY_LEGACY = byCodeTable(CAUSE_CODES.legacy);

/** (each pattern made at its first use: see once) */
const KEYWORDS: Array<[() => RegExp, Cause]> = [
  [once(() => /应用尚未开通所需的权限|没有调用该接口的权限|AccessTokenPermissionDenied/), 'missing-scope'],
  // Also a custom robot's 310000 `ip 不在白名单中` (its other 310000s, keywords and sign, are not refusals of the app).
  [once(() => /不在白名单|IpNotInWhiteList|request ip=/i), 'ip-not-allowed'],
  [once(() => /Forbidden\.AccessDenied\.Qp[sm]Limit|限流|请求太频繁|system ?busy|请求都被暂时禁用|调用该接口次数过多|最大qps/i), 'throttled'],
  [once(() => /access_?token\s*(?:is blank|无效|不合法|已过期|过期|invalid|expired)|(?:invalid|expired) access_?token|不合法的access_?token|缺少access_token|InvalidAuthentication|AuthenticationFailed/i), 'invalid-token'],
  [once(() => /授权关系不存在|应用未被授权|unauthorized\.client/i), 'app-not-authorized'],
  // `auth level of org is not enough` is orgAuthLevelNotEnough's message: a Java/Python TeaException message carries it without the code.
  [once(() => /认证等级|orgAuthLevel|auth level of org/i), 'org-auth-level'],
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
  for (const [pattern, cause] of KEYWORDS) {
    const re = pattern();
    if (re.test(message) || (record.code && re.test(record.code))) return cause;
  }
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
