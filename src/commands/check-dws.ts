/**
 * `check --source dws|both` and `--apply`: the command side. Which source is used (dws when it is
 * on PATH and logged in), one line when dws cannot be used or fails for an app (the probes then
 * decide), the learned kinds, and the confirmation before a request (a terminal, or --yes).
 */
import { loadLearnedFile, recordLearnedKinds, type LearnedKind } from '../config/learned.js';
import type { ResolvedApp } from '../config/types.js';
import type { AppCheck } from '../core/check.js';
import { attachDwsSteps, learnedKindsOf, mergeConsoleView, type CheckSourceMode } from '../core/check-dws.js';
import { applyApp, dwsUnusable, openDws, said, readConsoles, secretsOfConfig, type AppConsole, type AppliedRequest } from '../dingtalk/dws-check.js';
import { DwsFailure, type Dws } from '../dingtalk/dws.js';
import type { Session } from '../dingtalk/session.js';
import type { ErrorText } from '../errors.js';
import { errorText, message, uiError } from '../render/messages.js';
import type { Lang } from '../render/output.js';
import type { Out } from './shared.js';

export interface Consoles {
  mode: Exclude<CheckSourceMode, 'probe'>;
  dws: Dws;
  /** Every app's console (or why dws could not read it), read beside the probes. */
  reads: Promise<Map<string, AppConsole | DwsFailure>>;
  /** `--source dws`: probe only the apps dws failed for. */
  probeWhen(): Promise<(app: ResolvedApp) => boolean>;
  attachSteps(apps: readonly AppCheck[]): void;
}

/** The flag combinations that cannot work, refused before anything runs (exit 2). */
export function checkApplyFlags(opts: { source?: CheckSourceMode; apply?: boolean; yes?: boolean }, tty: { stdin: boolean; stderr: boolean }): void {
  if (opts.yes && !opts.apply) throw uiError('err.apply.yes-alone', {}, 'err.apply.yes-alone-hint');
  if (!opts.apply) return;
  if (opts.source === 'probe') throw uiError('err.apply.source-probe', {}, 'err.apply.source-probe-hint');
  if (!opts.yes && !(tty.stdin && tty.stderr)) {
    throw uiError('err.apply.no-terminal', {}, 'err.apply.no-terminal-hint');
  }
}

export function learnedKinds(): LearnedKind[] {
  return loadLearnedFile().scopeKinds;
}

/** dws's part of the run, or null when only probes are used (dws absent or not logged in, and not asked for). */
export async function startConsoles(out: Out, opts: { source?: CheckSourceMode; apply?: boolean }, session: Session): Promise<Consoles | null> {
  if (opts.source === 'probe') return null;
  const opening = await openDws(process.env, secretsOfConfig(session.config, session.apps));
  if ('unusable' in opening) {
    // Without dws nothing changes, unless dws was asked for.
    if (opts.source === 'dws' || opts.apply) throw dwsUnusable(opts.source === 'dws' ? '--source dws' : '--apply', opening);
    return null;
  }
  const mode = opts.source ?? 'both';
  out.info(errorText(mode === 'both' ? 'note.dws.reading-both' : 'note.dws.reading', { who: opening.who }));
  const reads = readConsoles(opening.dws, session.apps);
  return {
    mode,
    dws: opening.dws,
    reads,
    probeWhen: async () => {
      const read = await reads;
      return (app) => read.get(app.name) instanceof DwsFailure;
    },
    attachSteps: (apps) => attachDwsSteps(apps),
  };
}

/** dws's answers into the results; its failures said in one line each; the kinds it read kept in the learned file. */
export async function mergeConsoles(out: Out, apps: AppCheck[], consoles: Consoles): Promise<void> {
  const read = await consoles.reads;
  const kinds: LearnedKind[] = [];
  const seenAt = new Date().toISOString();
  for (const app of apps) {
    const answer = read.get(app.name);
    if (!answer) continue;
    if (answer instanceof DwsFailure) {
      app.dws = { failure: answer.line(), failureText: answer.lineText() };
      out.info(errorText('note.dws.app-failed', { app: app.name, line: answer.lineText() }), true);
      continue;
    }
    mergeConsoleView(app, answer.view, consoles.mode);
    kinds.push(...learnedKindsOf(answer.permissions, seenAt));
  }
  if (!kinds.length) return;
  try {
    recordLearnedKinds(kinds);
  } catch (error) {
    out.info(errorText('note.dws.kinds-not-saved', { reason: (error as Error).message }), true);
  }
}

/** Asks on the terminal (stdin and stderr are TTYs: checkApplyFlags made sure), in `lang`; only y / yes is a yes. */
export const askOn = (lang: Lang) => (question: ErrorText) => askOnTerminal(message(question.id, question.params, lang));

function askOnTerminal(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    // readline loads only for the prompt (every start would pay for it otherwise)
    const rl = process.getBuiltinModule('node:readline').createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let answered = false;
    rl.on('close', () => {
      if (!answered) resolve(false);
    });
    rl.question(`${question} [y/N]: `, (answer) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(answer));
    });
  });
}

/**
 * `--apply`: per app, the missing scopes the console lists as not granted go through applyApp
 * (dry-run, yes, request). A scope dws does not list, or lists as granted, is not requested.
 */
export async function applyMissing(out: Out, apps: readonly AppCheck[], consoles: Consoles, flags: { yes: boolean }): Promise<AppliedRequest[]> {
  const done: AppliedRequest[] = [];
  for (const app of apps) {
    const missing = app.results.filter((r) => r.status === 'missing');
    if (!missing.length) continue;
    if (!app.dws || !('unifiedAppId' in app.dws)) {
      done.push({ app: app.name, unifiedAppId: null, scopes: missing.map((r) => r.scope), needApproval: [], outcome: 'failed', ...said(errorText(app.dws ? 'note.apply.unread-because' : 'note.apply.unread', { why: app.dws?.failureText ?? app.dws?.failure ?? '' })) });
      continue;
    }
    const requestable = missing.filter((r) => r.dws?.granted === false);
    const left = missing.filter((r) => r.dws?.granted !== false).map((r) => r.scope);
    if (left.length) out.info(errorText('note.apply.not-requested-app', { app: app.name, list: left.join(', ') }), true);
    if (!requestable.length) continue;
    const request = {
      app: app.name,
      unifiedAppId: app.dws.unifiedAppId,
      scopes: requestable.map((r) => r.scope),
      needApproval: requestable.filter((r) => r.dws?.requiredApproval).map((r) => r.scope),
    };
    done.push(await applyApp(consoles.dws, request, { say: (t) => out.info(t, true), confirm: flags.yes ? async () => true : askOn(out.opts.lang) }));
  }
  return done;
}
