/**
 * `check --apply` / `diagnose --apply`: per app what was requested through dws, what dws answered,
 * and what follows. Pure: returns a string.
 */
import type { AppliedRequest } from '../core/check-dws.js';
import { message } from './messages.js';
import type { OutputOptions } from './output.js';

const OUTCOME: Record<AppliedRequest['outcome'], string> = { requested: 'requested', pending: 'requested, waiting for approval', declined: 'not requested', failed: 'failed' };

/** `check --apply`: per app what was requested through dws, what dws answered, and what follows. */
export function renderApplyText(applied: readonly AppliedRequest[], opts: OutputOptions): string {
  const lines = ['dws --apply:'];
  if (!applied.length) lines.push('  nothing to request (no missing scope that dws lists as not granted)');
  for (const a of applied) {
    lines.push(`  app ${a.app}${a.unifiedAppId ? ` (unifiedAppId ${a.unifiedAppId})` : ''}: ${OUTCOME[a.outcome]} ${a.scopes.join(', ')}${a.message ? ` — ${a.message}` : ''}`);
    const r = a.result;
    if (r) {
      for (const [label, list] of [['added', r.added], ['already granted, skipped', r.skipped], ['rejected', r.rejected]] as const) {
        if (list?.length) lines.push(`    ${label}: ${list.join(', ')}`);
      }
      if (r.message) lines.push(`    dws: ${r.message}`);
      if (r.nextCommand) lines.push(`    next: ${r.nextCommand}`);
    }
    if ((a.outcome === 'requested' || a.outcome === 'pending') && a.unifiedAppId) {
      if (a.needApproval.length) lines.push(`    ${a.needApproval.join(', ')}: ${message('step.dws-approval', { unifiedAppId: a.unifiedAppId }, opts.lang)}`);
      const immediate = a.scopes.filter((s) => !a.needApproval.includes(s) && !r?.rejected?.includes(s));
      if (immediate.length) lines.push(`    ${immediate.join(', ')}: ${message('apply.in-effect', {}, opts.lang)}`);
    }
  }
  return lines.join('\n');
}
