/**
 * Records → deduplicated findings and a summary. Incremental (`createDiagnosis().add()`)
 * so that a streamed log of any length holds only its distinct findings in memory.
 * Identical findings (same cause, code, scopes, API template, caller IP, app key) are
 * one finding with a count and the source of the first occurrence.
 */
import { adviceFor, type AdviceCatalog, type AdviceContext } from './advise.js';
import { classifyDenial } from './classify.js';
import type { Cause, ErrorRecord, Finding } from './types.js';

export interface DiagnoseSummary {
  /** Scope codes of missing-scope findings, sorted, unique. */
  missingScopes: string[];
  /** Distinct findings. */
  findings: number;
  /** Records seen (sum of counts). */
  occurrences: number;
  byCause: Partial<Record<Cause, number>>;
}

export interface DiagnoseResult {
  findings: Finding[];
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

export function createDiagnosis(catalog: AdviceCatalog, ctx: AdviceContext) {
  const byRecord = new Map<string, string>();
  const findings = new Map<string, Finding>();
  return {
    add(record: ErrorRecord): void {
      const rk = recordKey(record);
      let fk = byRecord.get(rk);
      if (fk === undefined || !findings.has(fk)) {
        const finding = adviceFor(record, catalog, ctx);
        fk = findingKey(finding);
        if (byRecord.size < MEMO_LIMIT) byRecord.set(rk, fk);
        const known = findings.get(fk);
        if (known) known.count++;
        else findings.set(fk, finding);
        return;
      }
      findings.get(fk)!.count++;
    },
    result(): DiagnoseResult {
      const list = [...findings.values()];
      return { findings: list, summary: summarize(list) };
    },
  };
}

export function summarize(findings: Finding[]): DiagnoseSummary {
  const byCause: Partial<Record<Cause, number>> = {};
  const missing = new Set<string>();
  let occurrences = 0;
  for (const f of findings) {
    byCause[f.cause] = (byCause[f.cause] ?? 0) + 1;
    occurrences += f.count;
    if (f.cause === 'missing-scope') for (const s of f.scopes) missing.add(s.code);
  }
  return { missingScopes: [...missing].sort(), findings: findings.length, occurrences, byCause };
}

/** All records at once (pure): findings in order of first appearance, deduplicated. */
export function diagnose(records: Iterable<ErrorRecord>, catalog: AdviceCatalog, ctx: AdviceContext): DiagnoseResult {
  const d = createDiagnosis(catalog, ctx);
  for (const r of records) d.add(r);
  return d.result();
}
