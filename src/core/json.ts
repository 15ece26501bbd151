/**
 * The shapes `diagnose --json` (and the library's explainError) print, written once from the core
 * types (issue 17 §3): type-only, so the published .d.ts needs nothing but core/types. The renderer
 * (render/diagnose.ts) is typed against these, and schema/diagnose.json is tested against them
 * (test/schema-finding.test.ts).
 */
import type { ApiVia, Cause, Evidence, Finding, Platform, SourceRef, StepParam } from './types.js';

/** A step as `--json` carries it: the id and params to switch on, and the text in the requested language. */
export interface StepJson {
  id: string;
  params: Record<string, StepParam>;
  text: string;
}

/** A finding as printed: every key of the core Finding, the optional ones explicit (`null`, `[]`, `assumed`). */
export type FindingJson = Omit<Required<Finding>, 'api' | 'steps'> & {
  api: { method: string | null; path: string; host: string | null; template: string | null; via: ApiVia | null } | null;
  /** The steps' texts in the requested language. */
  steps: string[];
  /** The same steps as ids and params (locale-independent), with the text. */
  advice: StepJson[];
};

/** Another platform's error seen in the input: a note, never a finding, never a denial. */
export interface PlatformNote {
  platform: Exclude<Platform, 'dingtalk' | 'assumed'>;
  evidence: Evidence[];
  code: string | null;
  message: string | null;
  source: SourceRef;
  count: number;
}

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
  /**
   * Distinct findings past the limit (MAX_FINDINGS) and their occurrences: counted (and in
   * `findings`, `occurrences`, `byCause`), not kept. Absent when every finding is shown.
   */
  notShown?: { findings: number; occurrences: number; exact: boolean };
}

/** The `diagnose --json` document. */
export interface DiagnoseJson {
  schemaVersion: 1;
  command: 'diagnose';
  inputs: string[];
  findings: FindingJson[];
  notes: PlatformNote[];
  summary: DiagnoseSummary;
}
