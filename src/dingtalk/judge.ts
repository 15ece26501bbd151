/**
 * The diagnose pipeline's parseResponse/classifyDenial, as `check` and replay use them.
 * INTERIM: a minimal stand-in until helper "diagnose" lands src/core's versions; then
 * this file only re-exports theirs.
 */
import type { Judge } from '../core/check.js';
import type { ApiRef, Cause, ErrorRecord } from '../core/types.js';

const get = (o: Record<string, unknown>, key: string): unknown => {
  const hit = Object.keys(o).find((k) => k.toLowerCase() === key.toLowerCase());
  return hit === undefined ? undefined : o[hit];
};
const str = (v: unknown) => (v === undefined || v === null ? null : String(v));

function parseResponse(input: { status: number; body: unknown; api: ApiRef | null }): ErrorRecord[] {
  if (!input.body || typeof input.body !== 'object') return [];
  const body = input.body as Record<string, unknown>;
  const errcode = get(body, 'errcode');
  const code = str(get(body, 'code')) ?? (errcode !== undefined && errcode !== 0 && errcode !== '0' ? str(errcode) : null);
  if (!code && input.status < 400) return [];
  const message = str(get(body, 'message')) ?? str(get(body, 'sub_msg')) ?? str(get(body, 'errmsg'));
  const detail = get(body, 'accessdenieddetail') as Record<string, unknown> | undefined;
  const named = (detail && Array.isArray(get(detail, 'requiredScopes')) ? (get(detail, 'requiredScopes') as unknown[]).map(String) : []).concat(
    [...(message ?? '').matchAll(/(?:权限：|requiredScopes=)\[([^\]]+)\]/g)].flatMap((m) => m[1]!.split(/[,\s]+/).filter(Boolean)),
  );
  const ip = /request ip=([\d.:a-f]+)/i.exec(message ?? '');
  return [
    {
      httpStatus: input.status,
      code,
      subCode: str(get(body, 'sub_code')),
      message,
      requestId: str(get(body, 'requestid')) ?? str(get(body, 'request_id')),
      requiredScopes: [...new Set(named)],
      api: input.api,
      sdk: null,
      callerIp: ip?.[1] ?? null,
      appKey: null,
      source: { input: 'response', line: 1 },
    },
  ];
}

function classifyDenial(record: ErrorRecord): Cause {
  const code = `${record.subCode ?? ''} ${record.code ?? ''}`;
  if (/AccessTokenPermissionDenied|\b60011\b/.test(code)) return 'missing-scope';
  if (/IpNotInWhiteList|\b60020\b/.test(code)) return 'ip-not-allowed';
  if (/Qp[sm]Limit|Throttling|systemBusy|system\.busy|\b9000\d\b/i.test(code)) return 'throttled';
  if (/orgAuthLevelNotEnough|no\.priviledge/.test(code)) return 'org-auth-level';
  if (/unauthorized\.client|invalidAuthInfo/.test(code)) return 'app-not-authorized';
  if (/InvalidAuthentication|\b4001[4]\b|\b42001\b|\b40000\b|MissingParameter/.test(code)) return 'invalid-token';
  if (record.httpStatus === 403) return 'unknown-denial';
  return 'other-error';
}

export const judge: Judge = { parseResponse, classifyDenial };
