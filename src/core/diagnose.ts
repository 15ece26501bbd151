/**
 * Records → deduplicated findings and a summary. Incremental (`createDiagnosis().add()`)
 * so that a streamed log of any length holds only its distinct findings in memory.
 * Identical findings (same cause, code, scopes, API template, caller IP, app key) are
 * one finding with a count and the source of the first occurrence.
 */
import { adviceFor, type AdviceCatalog, type AdviceContext } from './advise.js';
import { classifyDenial } from './classify.js';
import { isDingTalk, platformOf } from './platform.js';
import type { DiagnoseSummary, PlatformNote } from './json.js';
import type { Cause, ErrorRecord, Evidence, Finding } from './types.js';

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
