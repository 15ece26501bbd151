/**
 * `diagnose --apply`: the missing scopes the errors name, requested through dws for the app of
 * `--app-key` — the same dry-run, confirmation and request as `check --apply` (check-dws.ts).
 * Without --apply diagnose never runs dws.
 */
import type { AppliedRequest } from '../core/check-dws.js';
import type { Finding } from '../core/types.js';
import { applyApp, dwsUnusable, openDws, said } from '../dingtalk/dws-check.js';
import { DwsFailure } from '../dingtalk/dws.js';
import { errorText, uiError } from '../render/messages.js';
import { askOn, checkApplyFlags } from './check-dws.js';
import type { Out } from './shared.js';

/** Refused before any input is read: --yes alone, no --app-key, no terminal without --yes. */
export function checkDiagnoseApply(opts: { apply?: boolean; yes?: boolean; appKey?: string; replay?: boolean }, tty: { stdin: boolean; stderr: boolean }): void {
  checkApplyFlags(opts, tty);
  if (!opts.apply) return;
  if (opts.replay) throw uiError('err.apply.with-replay', {}, 'err.apply.with-replay-hint');
  if (!opts.appKey) throw uiError('err.apply.needs-app-key', {}, 'err.apply.needs-app-key-hint');
}

export async function applyFindings(out: Out, findings: readonly Finding[], opts: { appKey: string; yes: boolean }): Promise<AppliedRequest[]> {
  const scopes = [...new Set(findings.filter((f) => f.cause === 'missing-scope').flatMap((f) => f.scopes.map((s) => s.code)))];
  if (!scopes.length) return [];
  // No config here: only the DINGTALK_* secret variables are kept from dws.
  const opening = await openDws(process.env, { names: [], values: [] });
  if ('unusable' in opening) throw dwsUnusable('--apply', opening);
  const { dws } = opening;
  const app = opts.appKey;
  try {
    const unifiedAppId = await dws.unifiedAppId(app);
    const listed = new Map((await dws.permissions(unifiedAppId)).map((p) => [p.scope.toLowerCase(), p]));
    const requestable = scopes.filter((s) => listed.get(s.toLowerCase())?.granted === false);
    const left = scopes.filter((s) => !requestable.includes(s));
    if (left.length) out.info(errorText('note.apply.not-requested', { app, list: left.join(', ') }), true);
    if (!requestable.length) return [];
    const needApproval = requestable.filter((s) => listed.get(s.toLowerCase())?.requiredApproval === true);
    return [await applyApp(dws, { app, unifiedAppId, scopes: requestable, needApproval }, { say: (t) => out.info(t, true), confirm: opts.yes ? async () => true : askOn(out.opts.lang) })];
  } catch (error) {
    if (!(error instanceof DwsFailure)) throw error;
    return [{ app, unifiedAppId: null, scopes, needApproval: [], outcome: 'failed', ...said(error.lineText()) }];
  }
}
