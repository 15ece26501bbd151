/**
 * From error records to a diagnosis. Each record + the catalog → its Finding (`adviceFor`): the
 * cause, the scopes (named by the error, else by the catalog from the failing API), DingTalk's
 * explanation of the code, the steps and the Developer Console link. Then the findings
 * deduplicated and a summary: incremental (`createDiagnosis().add()`) so that a streamed log of
 * any length holds only its distinct findings in memory. Identical findings (same cause, code,
 * scopes, API template, caller IP, app key) are one finding with a count and the source of the
 * first occurrence. Pure: the catalog is passed in.
 */
import type { ApiInfo, Catalog, ErrorInfo, ScopeInfo } from '../catalog/index.js';
import { consoleUrl, fixFor, permissionNoteSteps, requestSteps, step } from './advice-steps.js';
import { classifyDenial } from './classify.js';
import { isDingTalk, platformOf } from './platform.js';
import type { DiagnoseSummary, PlatformNote } from './json.js';
import type { ApiRef, AppType, AppTypeRef, Cause, ErrorRecord, Evidence, Finding, ScopeRef, Step } from './types.js';
import { hasAnyOf, once, type GuardedPattern } from '../values.js';
import { collapseSpaces, unlinkRelative } from './text-scan.js';

/** The part of the catalog advice needs (the real Catalog fits; tests may pass a smaller one). */
export type AdviceCatalog = Pick<Catalog, 'scope' | 'matchApi' | 'apiBySdk' | 'errors'>;

export interface AdviceContext {
  appKey?: string | null;
  appType?: AppType | null;
  /** Where appType came from (default: the --app-type flag). */
  appTypeFrom?: Omit<AppTypeRef, 'type'> | null;
  /** The failing API when the input does not say (`--api "POST /topapi/v2/user/get"`). */
  api?: ApiRef | null;
}

/** The catalog's API for a record: its URL/path first, else its SDK stack frame. */
export function resolveApi(record: ErrorRecord, catalog: AdviceCatalog, fallback: ApiRef | null = null): {
  api: (ApiRef & { template?: string | null }) | null;
  info: ApiInfo | null;
} {
  const ref = record.api ?? (fallback ? { ...fallback, via: 'option' as const } : null);
  if (ref) {
    const target = ref.host && !/^https?:/i.test(ref.path) ? `https://${ref.host}${ref.path}` : ref.path;
    const info = catalog.matchApi(ref.method, target)[0] ?? null;
    if (!info && ref.apiName && ref.path.startsWith('/topapi/')) {
      // A TOP name maps to /topapi/… for most legacy APIs, but older ones keep their path without
      // the prefix (`dingtalk.oapi.user.get` is /user/get): take the twin the catalog knows.
      const twin = ref.path.slice('/topapi'.length);
      const other = catalog.matchApi(ref.method, `https://${ref.host ?? 'oapi.dingtalk.com'}${twin}`)[0] ?? null;
      if (other) return { api: { ...ref, path: twin, template: other.path }, info: other };
    }
    return { api: { ...ref, template: info?.path ?? null }, info };
  }
  if (record.sdk) {
    const info = catalog.apiBySdk(record.sdk.module, record.sdk.method)[0] ?? null;
    if (info) return { api: { method: info.method, path: info.path, host: info.host, template: info.path, via: 'stack' }, info };
  }
  return { api: null, info: null };
}

function scopeRef(code: string, info: ScopeInfo | undefined, via: ScopeRef['via']): ScopeRef {
  return {
    code: info?.code ?? code,
    kind: info?.kind ?? 'unknown',
    name: { zh: info?.name.zh ?? null, en: info?.name.en ?? null },
    via,
    ...(info?.base ? { base: true } : {}),
  };
}

/**
 * The table's explanation, without the doc site's relative markdown links and emphasis (hand-written
 * scans: the two patterns, each run twice, cost ≈ 0.35 M instructions to compile, measured).
 */
function cleanExplanation(text: string): string {
  return collapseSpaces((text.includes('](') ? unlinkRelative(text) : text).replaceAll('**', '')).trim();
}

/**
 * Legacy codes DingTalk's error table lacks but public material documents (dingtalk-facts.md §4).
 * Worded like the table (Chinese), since the table's rows are what `explanation` usually carries.
 */
const UNLISTED_EXPLANATIONS: Record<string, string> = {
  '22': '不合法的ApiName：请求的接口名（ApiName，如 dingtalk.oapi.xxx）不是钉钉开放平台的接口。检查接口名/路径的拼写，或该接口是否已下线。',
  '90018': '调用频率超过限制，请求被暂时禁用了。降低调用频率，稍后重试。',
  // Custom robot webhook (oapi.dingtalk.com/robot/send) errors, as the robot answers them in public issues.
  '300001': '自定义机器人的 access_token 不存在（token is not exist）：Webhook 地址中的 access_token 有误，或该机器人已被移除。到群设置 › 智能群助手 › 机器人 重新复制 Webhook 地址。',
  '310000': '自定义机器人的安全设置未通过：消息不含设置的关键词（keywords not in content）、加签不匹配（sign not match，timestamp/sign 需按机器人的 SEC 密钥计算），或调用方 IP 不在机器人的安全 IP 地址段内（ip 不在白名单中）。按机器人安全设置修正。',
};

/** The rows say the same thing: every explanation is part of the longest one (`参数错误` and `参数错误，请检查入参`). */
function rowsAgree(rows: readonly ErrorInfo[]): boolean {
  const texts = rows.map((r) => cleanExplanation(r.explanation || r.message));
  const longest = texts.reduce((a, b) => (b.length > a.length ? b : a), '');
  return texts.every((t) => longest.includes(t));
}

/** The row's message is the record's (a `%s` template or a message of a few letters matches nothing). */
const messageMatches = (record: ErrorRecord, row: ErrorInfo) => {
  const mine = record.message?.toLowerCase() ?? '';
  const theirs = row.message.replace(/%s/g, '').trim().toLowerCase();
  return mine !== '' && theirs.length >= 4 && (mine.includes(theirs) || theirs.includes(mine));
};

/**
 * The error-table row for a record: the code's rows, best matching status and message. When the
 * rows of a code disagree (InvalidParameter has 60 rows about unrelated parameters), only a row
 * whose message is the record's is taken, else none: a wrong explanation is worse than none.
 */
export function explain(record: ErrorRecord, catalog: AdviceCatalog): ErrorInfo | null {
  for (const code of [record.subCode, record.code]) {
    if (!code) continue;
    const rows = catalog.errors(code);
    if (!rows.length) continue;
    const score = (r: ErrorInfo) => (record.httpStatus !== null && r.httpStatuses.includes(record.httpStatus) ? 2 : 0) + (messageMatches(record, r) ? 1 : 0);
    const candidates = rowsAgree(rows) ? rows : rows.filter((r) => messageMatches(record, r));
    return [...candidates].sort((a, b) => score(b) - score(a))[0] ?? null;
  }
  return null;
}

const stepKey = (s: Step) => JSON.stringify(s);
const dedupeSteps = (steps: Step[]) => [...new Map(steps.map((s) => [stepKey(s), s])).values()];

function commonTail(lists: Step[][]): Step[] {
  const [first, ...rest] = lists;
  if (!first || rest.length === 0) return [];
  const same = (a: Step | undefined, b: Step | undefined) => a !== undefined && b !== undefined && stepKey(a) === stepKey(b);
  let n = 0;
  while (n < first.length && rest.every((l) => l.length > n && same(l[l.length - 1 - n], first[first.length - 1 - n]))) n++;
  return first.slice(first.length - n);
}

/**
 * The cause; a bare body (no HTTP status in the input) whose code DingTalk's table lists only
 * under 401/403/429 is classified with that status (`noPermission`, `accessDenied` are refusals).
 */
function causeOf(record: ErrorRecord, catalog: AdviceCatalog): ReturnType<typeof classifyDenial> {
  const cause = classifyDenial(record);
  if (cause !== 'other-error' || record.httpStatus !== null) return cause;
  const code = [record.subCode, record.code].find((c) => c && catalog.errors(c).length);
  if (!code) return cause;
  const statuses = [...new Set(catalog.errors(code).flatMap((r) => r.httpStatuses))];
  const only = statuses.length === 1 ? statuses[0]! : null;
  return only === 401 || only === 403 || only === 429 ? classifyDenial({ ...record, httpStatus: only }) : cause;
}

/** What in an error tells the app type (dingtalk-facts.md §5: each type has its own token endpoint and fields). */
const TYPE_EVIDENCE: ReadonlyArray<readonly [() => RegExp, readonly string[], AppType]> = [
  [once(() => /\/v1\.0\/oauth2\/userAccessToken/i), ['useraccesstoken'], 'third-party-personal'],
  [once(() => /\/v1\.0\/oauth2\/corpAccessToken|\/service\/get_corp_token|\/service\/get_suite_token/i), ['corpaccesstoken', '/service/get_'], 'third-party-enterprise'],
  // invalidSuiteKey, suiteTicket, suite_access_token, authCorpId, and the ISV throttles (…LimitForSuitekeyAndOrgAndApi)
  [once(() => /\binvalidSuite(?:Key|Ticket)\b|\bsuite_?(?:key|ticket|access_?token)\b|\bauth_?corp_?id\b|LimitForSuitekey/i), ['suite', 'authcorp', 'auth_corp'], 'third-party-enterprise'],
];

/** The app-type patterns with their words (a pattern runs only on a text that holds one), for test/pattern-words.test.ts. */
export const appTypePatterns = (): readonly GuardedPattern[] => TYPE_EVIDENCE.map(([re, words]) => [re(), words]);

/** The app type an error shows by itself, with the evidence; null when nothing tells. */
export function inferAppType(record: ErrorRecord): AppTypeRef | null {
  const texts = [record.api?.path, record.code, record.subCode, record.message].filter((t): t is string => Boolean(t));
  const lowers = texts.map((t) => t.toLowerCase());
  for (const [re, words, type] of TYPE_EVIDENCE) {
    for (const [i, text] of texts.entries()) {
      const m = hasAnyOf(lowers[i]!, words) ? re().exec(text) : null;
      if (m) return { type, via: 'evidence', evidence: m[0] };
    }
  }
  return null;
}

export function adviceFor(record: ErrorRecord, catalog: AdviceCatalog, ctx: AdviceContext): Finding {
  const cause = causeOf(record, catalog);
  const { api, info } = resolveApi(record, catalog, ctx.api ?? null);
  const row = explain(record, catalog);

  let scopes: ScopeRef[] = [];
  if (cause === 'missing-scope') {
    if (record.requiredScopes.length) scopes = record.requiredScopes.map((c) => scopeRef(c, catalog.scope(c), 'error'));
    else if (info?.scopes.length) {
      const observed = new Set(info.observed ?? []);
      scopes = info.scopes.map((c) => scopeRef(c, catalog.scope(c), observed.has(c) ? 'observed' : 'catalog'));
    }
  }

  const unlisted = UNLISTED_EXPLANATIONS[record.subCode ?? ''] ?? UNLISTED_EXPLANATIONS[record.code ?? ''] ?? null;
  const explanation = row ? cleanExplanation(row.explanation || row.message) || null : unlisted;
  const appKey = record.appKey ?? ctx.appKey ?? null;
  const appType: AppTypeRef | null = ctx.appType ? { type: ctx.appType, via: 'flag', ...ctx.appTypeFrom } : inferAppType(record);
  const adviceCtx = { appKey, appType: appType?.type ?? null };

  let steps: Step[];
  if (cause === 'missing-scope' && scopes.length) {
    steps = [];
    if (scopes[0]!.via !== 'error') {
      const where = api ? `${api.method ?? ''} ${api.template ?? api.path}`.trim() : '';
      const source = step(scopes[0]!.via === 'observed' ? 'source.observed' : 'source.catalog');
      const id = scopes.length > 1 ? 'step.scope-from-source-several' : 'step.scope-from-source';
      steps.push(step(id, { source, api: where, scopes: scopes.map((s) => s.code).join(', ') }));
    }
    const perScope = scopes.map((s) => {
      const facts = catalog.scope(s.code);
      return requestSteps({ code: s.code, kind: s.kind, base: facts?.base ?? false, sensitive: facts?.sensitive ?? false, notes: facts?.notes ?? null }, adviceCtx);
    });
    // Lines every scope ends with ("permissions are per app", ISV re-authorization) come once, last.
    const tail = commonTail(perScope);
    for (const lines of perScope) steps.push(...lines.slice(0, lines.length - tail.length));
    steps = dedupeSteps([...steps, ...tail]);
  } else {
    const where = api ? `${api.method ?? ''} ${api.template ?? api.path}`.trim() : '';
    const noted = cause === 'missing-scope' ? permissionNoteSteps(info?.permission, where, adviceCtx) : null;
    steps = noted ?? fixFor(cause, { ...adviceCtx, callerIp: record.callerIp, explanation, missingApi: api === null });
    // The only scope officially named like the API's permission: an inference, and the finding says so (via).
    const guess = noted ? info?.permission?.nameMatch : undefined;
    if (guess) scopes = [scopeRef(guess, catalog.scope(guess), 'name-match')];
  }

  return {
    cause,
    scopes,
    requestId: record.requestId,
    httpStatus: record.httpStatus,
    code: record.code,
    subCode: record.subCode,
    message: record.message,
    api,
    source: record.source,
    count: 1,
    // no apply link for an inferred scope: the steps search the permission's official name instead
    consoleUrl: consoleUrl({ appKey, scope: cause === 'missing-scope' && scopes[0]?.via !== 'name-match' ? (scopes[0]?.code ?? null) : null, appType: appType?.type ?? null }),
    explanation,
    steps,
    callerIp: record.callerIp,
    appKey,
    appType,
  };
}

// ---------------------------------------------------------------- the diagnosis: findings deduplicated, the summary

export type { DiagnoseSummary, PlatformNote } from './json.js';

export interface DiagnoseResult {
  findings: Finding[];
  notes: PlatformNote[];
  summary: DiagnoseSummary;
}

const recordKey = (r: ErrorRecord) =>
  [
    classifyDenial(r),
    r.code,
    r.subCode,
    r.requiredScopes.join(','),
    r.api ? `${r.api.method ?? ''} ${r.api.host ?? ''}${r.api.path}` : '',
    r.sdk ? `${r.sdk.module}.${r.sdk.method}` : '',
    r.callerIp,
    r.appKey,
    r.httpStatus,
    (r.evidence ?? []).map((e) => `${e.platform}:${e.kind}:${e.value}`).join(','),
  ].join('\u0000');

const findingKey = (f: Finding) =>
  [
    f.cause,
    f.code,
    f.subCode,
    f.scopes.map((s) => s.code).join(','),
    f.api ? `${f.api.method ?? ''} ${f.api.template ?? f.api.path}` : '',
    f.callerIp,
    f.appKey,
  ].join('\u0000');

/** Most distinct record shapes remembered for reuse; beyond it advice is recomputed (same result). */
const MEMO_LIMIT = 10_000;
/** Most distinct findings kept: a log of a million distinct errors must not exhaust memory. */
export const MAX_FINDINGS = 10_000;

/** Distinct notes kept (another platform's errors); the rest are still counted in `summary.otherPlatform`. */
const NOTE_LIMIT = 100;

export function createDiagnosis(catalog: AdviceCatalog, ctx: AdviceContext, limit = MAX_FINDINGS) {
  const byRecord = new Map<string, string>();
  const findings = new Map<string, Finding>();
  const hidden = new KeySet();
  const notShown = { findings: 0, occurrences: 0, byCause: {} as Partial<Record<Cause, number>> };
  const notes = new Map<string, PlatformNote>();
  let otherPlatform = 0;
  const errors = (code: string) => catalog.errors(code);

  const note = (record: ErrorRecord, platform: PlatformNote['platform'], evidence: Evidence[]) => {
    otherPlatform++;
    const key = [platform, record.code, record.message].join('\u0000');
    const known = notes.get(key);
    if (known) known.count++;
    else if (notes.size < NOTE_LIMIT) notes.set(key, { platform, evidence, code: record.code, message: record.message, source: record.source, count: 1 });
  };

  return {
    add(record: ErrorRecord): void {
      const rk = recordKey(record);
      let fk = byRecord.get(rk);
      if (fk !== undefined && findings.has(fk)) {
        findings.get(fk)!.count++;
        return;
      }
      const { platform, evidence } = platformOf(record, errors);
      if (!isDingTalk(platform)) return note(record, platform, evidence);
      const finding: Finding = { ...adviceFor(record, catalog, ctx), platform, evidence };
      fk = findingKey(finding);
      const known = findings.get(fk);
      if (!known && findings.size >= limit) {
        // Past the limit: counted exactly (distinct by key hash), not kept.
        notShown.occurrences++;
        if (hidden.add(fk)) {
          notShown.findings++;
          notShown.byCause[finding.cause] = (notShown.byCause[finding.cause] ?? 0) + 1;
        }
        return;
      }
      if (byRecord.size < MEMO_LIMIT) byRecord.set(rk, fk);
      if (!known) findings.set(fk, finding);
      else {
        known.count++;
        // One occurrence that shows DingTalk is enough for the finding.
        if (known.platform === 'assumed' && platform === 'dingtalk') Object.assign(known, { platform, evidence });
      }
    },
    result(): DiagnoseResult {
      const list = [...findings.values()];
      const summary: DiagnoseSummary = { ...summarize(list), otherPlatform };
      if (notShown.findings > 0) {
        for (const [cause, n] of Object.entries(notShown.byCause) as Array<[Cause, number]>) summary.byCause[cause] = (summary.byCause[cause] ?? 0) + n;
        summary.findings += notShown.findings;
        summary.occurrences += notShown.occurrences;
        summary.notShown = { findings: notShown.findings, occurrences: notShown.occurrences, exact: !hidden.full };
      }
      return { findings: list, notes: [...notes.values()], summary };
    },
  };
}

/**
 * A set of strings kept as 64-bit hashes (FNV-1a and a multiply-xorshift mix, 32 bits each) in
 * open-addressed typed arrays, for counting distinct findings past the limit: ≤ 18 bytes a key
 * instead of the key. Two keys collide with odds ~n²/2⁶⁵ (a million keys: 3 in 10⁸). Bounded:
 * past MAX_KEYS it stops growing (`full`) and new keys count as seen, so the count is a lower bound.
 */
const MAX_KEYS = 1 << 21;
class KeySet {
  full = false;
  private lo = new Uint32Array(1 << 12);
  private hi = new Uint32Array(1 << 12);
  private used = new Uint8Array(1 << 12);
  private size = 0;

  /** True when the key was not in the set. */
  add(key: string): boolean {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ key.length;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    if (this.full) return false;
    if (this.insert(a >>> 0, b >>> 0)) {
      if (++this.size >= MAX_KEYS) this.full = true;
      else if (this.size * 2 > this.used.length) this.grow();
      return true;
    }
    return false;
  }

  private insert(lo: number, hi: number): boolean {
    const mask = this.used.length - 1;
    for (let i = (lo ^ hi) & mask; ; i = (i + 1) & mask) {
      if (!this.used[i]) {
        this.used[i] = 1;
        this.lo[i] = lo;
        this.hi[i] = hi;
        return true;
      }
      if (this.lo[i] === lo && this.hi[i] === hi) return false;
    }
  }

  private grow(): void {
    const { lo, hi, used } = this;
    this.lo = new Uint32Array(used.length * 2);
    this.hi = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    for (let i = 0; i < used.length; i++) if (used[i]) this.insert(lo[i]!, hi[i]!);
  }
}

export function summarize(findings: Finding[]): DiagnoseSummary {
  const byCause: Partial<Record<Cause, number>> = {};
  const missing = new Set<string>();
  let occurrences = 0;
  for (const f of findings) {
    byCause[f.cause] = (byCause[f.cause] ?? 0) + 1;
    occurrences += f.count;
    // a base scope is granted by default: it is never a scope to request, whatever the error says;
    // nor is a name-match (an inference: the steps search the official name)
    if (f.cause === 'missing-scope') for (const s of f.scopes) if (!s.base && s.via !== 'name-match') missing.add(s.code);
  }
  return { missingScopes: [...missing].sort(), findings: findings.length, occurrences, byCause, otherPlatform: 0 };
}

/** The result of an input with no record at all (the catalog is not even loaded). */
export const emptyDiagnosis = (): DiagnoseResult => ({ findings: [], notes: [], summary: { ...summarize([]) } });

/** All records at once (pure): findings in order of first appearance, deduplicated. */
export function diagnose(records: Iterable<ErrorRecord>, catalog: AdviceCatalog, ctx: AdviceContext): DiagnoseResult {
  const d = createDiagnosis(catalog, ctx);
  for (const r of records) d.add(r);
  return d.result();
}
