/**
 * Which platform a record is from, decided from evidence, never from a number alone (issue 12 §1):
 * another platform's host, SDK or wording in the record or its block wins (not a DingTalk finding);
 * else DingTalk's hosts, SDKs, codes, fields or its error table's exact wording make it `dingtalk`;
 * else it is `assumed` DingTalk (the user asked a DingTalk doctor) and says so.
 */
import type { ErrorInfo } from '../catalog/index.js';
import type { ErrorRecord, Evidence, Platform } from './types.js';
import { leftmostOf } from './text-scan.js';

export interface PlatformVerdict {
  platform: Platform;
  evidence: Evidence[];
}

const CJK = /[\u3400-\u9fff]/;
/**
 * DingTalk's own wordings outside the error table's rows of the record's code (new-API bodies carry them
 * too). Looked up as strings (their first characters differ: the leftmost is the pattern's match); the
 * pattern cost ≈ 0.15 M instructions to compile, measured.
 */
const DINGTALK_WORDINGS = ['应用尚未开通所需的权限', '没有调用该接口的权限', '访问ip不在白名单之中'];

/** The error table's row message the record's message contains, or `foreign` for an English errmsg that is none of them. */
function wordingEvidence(record: ErrorRecord, errors: (code: string) => ErrorInfo[], positive: boolean): Evidence | null {
  const message = record.message?.trim();
  if (!message) return null;
  const known = leftmostOf(message, DINGTALK_WORDINGS);
  if (known) return { kind: 'wording', value: known, platform: 'dingtalk' };
  for (const code of [record.subCode, record.code]) {
    if (!code) continue;
    const rows = errors(code).filter((r) => r.message);
    if (!rows.length) continue;
    const same = rows.find((r) => message.includes(r.message!));
    if (same) return { kind: 'wording', value: same.message!, platform: 'dingtalk' };
    // DingTalk's legacy errmsgs for numbered codes are Chinese (the table has one English row, 999's
    // `error.unknownerror`): an English errmsg under a tabled number is another platform's (WeChat's
    // `invalid access_token` for 40014, WeCom's `api forbidden` for 48002).
    // With DingTalk's host or SDK in the record, an English message is DingTalk's own (`ding talk error[…]`).
    if (!positive && /^\d+$/.test(code) && !CJK.test(message) && /[A-Za-z]{3}/.test(message)) {
      return { kind: 'wording', value: message.slice(0, 120), platform: 'other' };
    }
  }
  return null;
}

export function platformOf(record: ErrorRecord, errors: (code: string) => ErrorInfo[]): PlatformVerdict {
  const found = [...(record.evidence ?? [])];
  const wording = wordingEvidence(record, errors, found.some((e) => e.platform === 'dingtalk'));
  if (wording && !found.some((e) => e.kind === 'wording' && e.platform === wording.platform)) found.push(wording);
  const foreign = found.filter((e) => e.platform !== 'dingtalk');
  if (foreign.length) return { platform: foreign[0]!.platform, evidence: foreign };
  if (found.length) return { platform: 'dingtalk', evidence: found };
  return { platform: 'assumed', evidence: [] };
}

export const isDingTalk = (p: Platform): p is 'dingtalk' | 'assumed' => p === 'dingtalk' || p === 'assumed';
