/**
 * The options `diagnose` and `diagnose --replay` share (the outcome they return is what
 * render/diagnose.ts prints: DiagnoseOutcome). Apart from both commands so that neither imports
 * the other's types.
 */
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
