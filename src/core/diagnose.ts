/**
 * Records → deduplicated findings and a summary. Incremental (`createDiagnosis().add()`)
 * so that a streamed log of any length holds only its distinct findings in memory.
 * Identical findings (same cause, code, scopes, API template, caller IP, app key) are
 * one finding with a count and the source of the first occurrence.
 */
import { adviceFor, type AdviceCatalog, type AdviceContext } from './advise.js';
import { classifyDenial } from './classify.js';
import { isDingTalk, platformOf } from './platform.js';
import type { Cause, ErrorRecord, Evidence, Finding, Platform, SourceRef } from './types.js';

export interface DiagnoseSummary {
  /** Scope codes of missing-scope findings, sorted, unique. */
  missingScopes: string[];
  /** Distinct findings. */
  findings: number;
  /** Records seen (sum of counts). */
  occurrences: number;
  byCause: Partial<Record<Cause, number>>;
  /** Records of another platform (WeCom, QQ bot, Feishu…) seen and left out: not DingTalk findings. */
  otherPlatform: number;
}

/** Another platform's error seen in the input: a note, never a finding, never a denial. */
export interface PlatformNote {
  platform: Exclude<Platform, 'dingtalk' | 'assumed'>;
  evidence: Evidence[];
  code: string | null;
  message: string | null;
  source: SourceRef;
  count: number;
}

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

/** Distinct notes kept (another platform's errors); the rest are still counted in `summary.otherPlatform`. */
const NOTE_LIMIT = 100;

export function createDiagnosis(catalog: AdviceCatalog, ctx: AdviceContext) {
  const byRecord = new Map<string, string>();
  const findings = new Map<string, Finding>();
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
      if (byRecord.size < MEMO_LIMIT) byRecord.set(rk, fk);
      const known = findings.get(fk);
      if (!known) findings.set(fk, finding);
      else {
        known.count++;
        // One occurrence that shows DingTalk is enough for the finding.
        if (known.platform === 'assumed' && platform === 'dingtalk') Object.assign(known, { platform, evidence });
      }
    },
    result(): DiagnoseResult {
      const list = [...findings.values()];
      return { findings: list, notes: [...notes.values()], summary: { ...summarize(list), otherPlatform } };
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
    // a base scope is granted by default: it is never a scope to request, whatever the error says
    if (f.cause === 'missing-scope') for (const s of f.scopes) if (!s.base) missing.add(s.code);
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
