/**
 * `check` with dws, the I/O part: whether dws can be used (on PATH, logged in), each app's view of
 * the Developer Console (unifiedAppId, every permission page), and `--apply` (dry-run, the user's
 * yes, then the request). The merge and the advice are pure: src/core/check-dws.ts.
 */
import { appKeyOf, appSecretsOf, type DoctorConfig, type ResolvedApp } from '../config/types.js';
import { consoleView, type AppliedRequest, type ConsoleView } from '../core/check-dws.js';
import type { DoctorError, ErrorParam, ErrorText } from '../errors.js';
import { errorText, message, uiError } from '../render/messages.js';
import { configEnvNames, Dws, dwsEnvironment, DwsFailure, findDws, type DwsPermission } from './dws.js';

export type { AppliedRequest } from '../core/check-dws.js';

export const DWS_REPO = 'https://github.com/DingTalk-Real-AI/dingtalk-workspace-cli';

/** dws ready to use, and who is logged in; or why not (one line and a hint, and both as messages). */
export type DwsOpening = { dws: Dws; who: string } | { unusable: string; hint: string; text: { unusable: ErrorParam; hint: ErrorParam } };

/** The usage error of a flag that needs dws when dws cannot be used. */
export const dwsUnusable = (flag: string, opening: Extract<DwsOpening, { unusable: string }>): DoctorError =>
  uiError('err.dws.unusable', { flag, why: opening.text.unusable }, { id: 'text.untranslated', params: { text: opening.text.hint } });

/** What dws's environment must not hold: the config's `${VAR}` names and its apps' secret values. */
export const secretsOfConfig = (config: DoctorConfig, apps: readonly ResolvedApp[]) => ({ names: configEnvNames(config.apps), values: apps.flatMap(appSecretsOf) });

function unusable(why: ErrorParam, hint: ErrorParam): Extract<DwsOpening, { unusable: string }> {
  const english = (p: ErrorParam) => (typeof p === 'object' ? message(p.id, p.params) : String(p));
  return { unusable: english(why), hint: english(hint), text: { unusable: why, hint } };
}

/** Finds dws and asks whether it is logged in. Its environment never holds our secrets. */
export async function openDws(env: Record<string, string | undefined>, secrets: { names: string[]; values: string[] }): Promise<DwsOpening> {
  const file = findDws(env);
  if (!file) return unusable(errorText('err.dws.not-on-path'), errorText('err.dws.install-hint', { repo: DWS_REPO }));
  const dws = new Dws({ file, env: dwsEnvironment(env, secrets.names, secrets.values) });
  try {
    const status = await dws.authStatus();
    if (!status.authenticated) return unusable(status.message ? errorText('err.dws.not-logged-in-said', { said: status.message }) : errorText('err.dws.not-logged-in'), status.hint ?? errorText('err.dws.login-hint'));
    const who = [status.user, status.corp].filter(Boolean).join(', ');
    return { dws, who: who || 'a DingTalk account' };
  } catch (error) {
    if (error instanceof DwsFailure) return unusable(error.text.message, error.text.hint ?? errorText('err.dws.status-hint'));
    throw error;
  }
}

export interface AppConsole {
  view: ConsoleView;
  permissions: DwsPermission[];
}

/** The app's unifiedAppId and all its permission points; a DwsFailure when dws cannot tell. */
export async function readAppConsole(dws: Dws, app: ResolvedApp): Promise<AppConsole> {
  const appKey = appKeyOf(app);
  if (!appKey) throw new DwsFailure('failed', errorText('err.dws.no-app-key', { app: app.name }), errorText('err.dws.no-app-key-hint'));
  // dws documents internal apps only (devapp.md:94); for other app types its answer decides.
  const unifiedAppId = await dws.unifiedAppId(appKey);
  const permissions = await dws.permissions(unifiedAppId);
  return { view: consoleView(unifiedAppId, permissions), permissions };
}

/** Every app's console, in parallel; a failure stays with its app (its probes then decide). */
export async function readConsoles(dws: Dws, apps: readonly ResolvedApp[]): Promise<Map<string, AppConsole | DwsFailure>> {
  const answers = await Promise.all(
    apps.map((app) =>
      readAppConsole(dws, app).catch((error: unknown) => {
        if (error instanceof DwsFailure) return error;
        throw error;
      }),
    ),
  );
  return new Map(apps.map((app, i) => [app.name, answers[i]!]));
}

/** An --apply outcome's message: English in `message` (--json), the ids for people's formats. */
export const said = (text: ErrorText) => ({ message: message(text.id, text.params), messageText: text });

export interface ApplyIo {
  /** Shows a line to the user (stderr), a message in the user's language. */
  say(text: ErrorText): void;
  /** Asks yes/no; true only for an explicit yes. `--yes` answers it without asking. */
  confirm(question: ErrorText): Promise<boolean>;
}

/**
 * Requests the scopes of one app: the dry-run first (what dws would send, checked against what was
 * asked), then the user's yes, then the call with --yes. Never the real call without both.
 */
export async function applyApp(dws: Dws, request: { app: string; unifiedAppId: string; scopes: string[]; needApproval: string[] }, io: ApplyIo): Promise<AppliedRequest> {
  const base = { ...request, scopes: [...request.scopes] };
  try {
    const preview = await dws.addDryRun(request.unifiedAppId, request.scopes);
    const same = preview.unifiedAppId === request.unifiedAppId && preview.scopeValues.join(',') === request.scopes.join(',');
    if (!same) {
      return { ...base, outcome: 'failed', ...said(errorText('note.apply.dry-run-differs', { unifiedAppId: preview.unifiedAppId ?? '?', scopes: preview.scopeValues.join(',') || '-' })) };
    }
    io.say(errorText('note.apply.dry-run', { app: request.app, scopes: request.scopes.join(', '), unifiedAppId: request.unifiedAppId }));
    if (!(await io.confirm(errorText(request.scopes.length === 1 ? 'note.apply.confirm-one' : 'note.apply.confirm', { n: request.scopes.length, app: request.app })))) {
      return { ...base, outcome: 'declined', ...said(errorText('note.apply.not-confirmed')) };
    }
    const result = await dws.add(request.unifiedAppId, request.scopes);
    return { ...base, outcome: result.pending ? 'pending' : 'requested', result };
  } catch (error) {
    if (error instanceof DwsFailure) return { ...base, outcome: 'failed', ...said(error.lineText()) };
    throw error;
  }
}
