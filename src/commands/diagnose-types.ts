/**
 * The shapes `diagnose` and `diagnose --replay` share: its options and the outcome its presenter
 * renders. Apart from both commands so that neither imports the other's types.
 */
import type { ErrorText } from '../errors.js';
import type { AppliedRequest } from '../core/check-dws.js';
import type { DiagnoseResult } from '../core/diagnose.js';
import type { AppType } from '../core/types.js';
import type { AppFlags } from './app-options.js';

export interface DiagnoseOptions extends AppFlags {
  api?: string;
  appKey?: string;
  appType?: AppType;
  learn?: boolean;
  replay?: boolean;
  allowWrite?: boolean;
  data?: string;
  entry?: string;
  apply?: boolean;
  yes?: boolean;
}

export interface DiagnoseOutcome {
  diagnosis: DiagnoseResult;
  /** The inputs read (file names, `-`), or what was replayed. */
  inputs: string[];
  /** Set by --replay: what was sent and what came back. */
  replay?: ReplayAnswer;
  /** Set by --apply: what was requested through dws. */
  apply?: AppliedRequest[];
}

export interface ReplayAnswer {
  app: string;
  method: string;
  url: string;
  status: number;
  removedTokens: string[];
  /** `GET https://… as app "crm" → HTTP 403`. */
  /** The text's first line, as a message (said in the --lang language). */
  headline: ErrorText;
}
