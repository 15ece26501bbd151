import { describe, expect, it } from 'vitest';
import { classifyDenial } from '../src/core/classify.js';
import type { ErrorRecord } from '../src/core/types.js';

const rec = (over: Partial<ErrorRecord>): ErrorRecord => ({
  httpStatus: null,
  code: null,
  subCode: null,
  message: null,
  requestId: null,
  requiredScopes: [],
  api: null,
  sdk: null,
  callerIp: null,
  appKey: null,
  source: { input: 'x', line: 1 },
  ...over,
});

describe('classifyDenial', () => {
  it.each([
    [{ code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', httpStatus: 403 }, 'missing-scope'],
    [{ code: '88', subCode: '60011' }, 'missing-scope'],
    [{ code: '60011' }, 'missing-scope'],
    [{ requiredScopes: ['Contact.User.Read'] }, 'missing-scope'],
    [{ httpStatus: 403, message: '应用尚未开通所需的权限：[X]' }, 'missing-scope'],
    [{ code: 'Forbidden.AccessDenied.IpNotInWhiteList', httpStatus: 403 }, 'ip-not-allowed'],
    [{ code: '60020', callerIp: '203.0.113.7' }, 'ip-not-allowed'],
    [{ code: 'orgAuthLevelNotEnough', httpStatus: 403 }, 'org-auth-level'],
    [{ code: 'no.priviledge', httpStatus: 403 }, 'org-auth-level'],
    [{ code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', httpStatus: 403 }, 'throttled'],
    [{ code: 'Forbidden.AccessDenied.QpmLimitForSuitekeyAndOrgAndApi', httpStatus: 403 }, 'throttled'],
    [{ code: 'systemBusy', httpStatus: 429 }, 'throttled'],
    [{ httpStatus: 429 }, 'throttled'],
    [{ code: 'InvalidAuthentication', httpStatus: 400 }, 'invalid-token'],
    [{ code: 'AuthenticationFailed.MissingParameter', httpStatus: 400 }, 'invalid-token'],
    [{ code: '88', subCode: '40014' }, 'invalid-token'],
    [{ code: '88', subCode: '40000', message: 'access_token is blank' }, 'invalid-token'],
    [{ code: 'Unauthorized', httpStatus: 401 }, 'invalid-token'],
    [{ code: 'unauthorized.client', httpStatus: 401 }, 'app-not-authorized'],
    [{ code: 'invalidAuthInfo', message: '授权关系不存在' }, 'app-not-authorized'],
    [{ code: 'forbidden.user.notInOrg', httpStatus: 403 }, 'unknown-denial'],
    [{ code: 'Forbidden.Something.New', httpStatus: 403 }, 'unknown-denial'],
    [{ httpStatus: 403 }, 'unknown-denial'],
    [{ code: 'paramError', httpStatus: 400, message: '参数错误' }, 'other-error'],
    [{ code: '40003', message: '不合法的UserID' }, 'other-error'],
  ] as Array<[Partial<ErrorRecord>, string]>)('%j → %s', (over, cause) => {
    expect(classifyDenial(rec(over))).toBe(cause);
  });
});
