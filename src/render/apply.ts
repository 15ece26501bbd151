/**
 * `check --apply` / `diagnose --apply`: per app what was requested through dws, what dws answered,
 * and what follows. Pure: returns a string.
 */
import type { AppliedRequest } from '../core/check-dws.js';
import { message } from './messages.js';
import type { OutputOptions } from './output.js';


/** An --apply outcome as --json carries it: its message in English, not its message ids. */
export const appliedJson = ({ messageText: _, ...applied }: AppliedRequest) => applied;

/** `check --apply`: per app what was requested through dws, what dws answered, and what follows. */
export function renderApplyText(applied: readonly AppliedRequest[], opts: OutputOptions): string {
  const t = (id: string, params: Record<string, string> = {}) => message(id, params, opts.lang);
  const lines = ['dws --apply:'];
  if (!applied.length) lines.push(`  ${t('ui.apply.nothing')}`);
  for (const a of applied) {
    const app = a.unifiedAppId ? t('ui.apply.app-id', { app: a.app, unifiedAppId: a.unifiedAppId }) : t('ui.apply.app', { app: a.app });
    lines.push(`  ${app}: ${t(`ui.apply.outcome.${a.outcome}`)} ${a.scopes.join(', ')}${a.message ? ` — ${a.messageText ? message(a.messageText.id, a.messageText.params, opts.lang) : a.message}` : ''}`);
    const r = a.result;
    if (r) {
      for (const [label, list] of [['added', r.added], ['skipped', r.skipped], ['rejected', r.rejected]] as const) {
        if (list?.length) lines.push(`    ${t(`ui.apply.${label}`)}: ${list.join(', ')}`);
      }
      if (r.message) lines.push(`    dws: ${r.message}`);
      if (r.nextCommand) lines.push(`    ${t('ui.apply.next')}: ${r.nextCommand}`);
    }
    if ((a.outcome === 'requested' || a.outcome === 'pending') && a.unifiedAppId) {
      if (a.needApproval.length) lines.push(`    ${a.needApproval.join(', ')}: ${message('step.dws-approval', { unifiedAppId: a.unifiedAppId }, opts.lang)}`);
      const immediate = a.scopes.filter((s) => !a.needApproval.includes(s) && !r?.rejected?.includes(s));
      if (immediate.length) lines.push(`    ${immediate.join(', ')}: ${message('apply.in-effect', {}, opts.lang)}`);
    }
  }
  return lines.join('\n');
}
