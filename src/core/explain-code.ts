/**
 * `explain <code>`: one DingTalk error code, offline — its rows in DingTalk's error table, the cause
 * class, and the fix, as diagnose would give it for a bare body with that code. Pure: the catalog
 * is passed in.
 */
import type { ErrorInfo } from '../catalog/types.js';
import { adviceFor, type AdviceCatalog, type AdviceContext } from './diagnose.js';
import { causeOfCode, isDenial } from './classify.js';
import type { Cause, ErrorRecord, Finding } from './types.js';

export interface CodeExplanation {
  /** The code as the table spells it (the input's spelling when the table lacks it). */
  code: string;
  /** Every row of DingTalk's error table for the code (a code may have dozens: InvalidParameter). */
  rows: ErrorInfo[];
  cause: Cause;
  /** A refusal (diagnose exits 1 for it), not a bad request or a server error. */
  denial: boolean;
  /** The advice for a body with only this code. */
  finding: Finding;
}

/** A bare body with the code: what diagnose sees when a log line holds only `errcode=40035`. */
function bareRecord(code: string): ErrorRecord {
  return {
    httpStatus: null,
    code,
    subCode: null,
    message: null,
    requestId: null,
    requiredScopes: [],
    api: null,
    sdk: null,
    callerIp: null,
    appKey: null,
    source: { input: 'explain', line: 0 },
  };
}

/** Null when nothing is known of the code: no table row, no documented explanation, no cause class. */
export function explainCode(input: string, catalog: AdviceCatalog, ctx: AdviceContext = {}): CodeExplanation | null {
  const wanted = input.trim();
  const rows = catalog.errors(wanted);
  const code = rows.find((r) => r.code === wanted)?.code ?? rows[0]?.code ?? wanted;
  const finding = adviceFor(bareRecord(code), catalog, ctx);
  // A typo that only a message keyword would classify (Forbiden.…IpNotInWhitelist) is not a known code.
  if (!rows.length && !finding.explanation && !causeOfCode(code)) return null;
  return { code, rows, cause: finding.cause, denial: isDenial(finding.cause), finding };
}
