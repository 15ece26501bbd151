/**
 * What `check` runs (registered in check.ts): loaded by a check (and `scopes scan --check`, for
 * probe()) only, so `check --help` does not load the probes, the session and the renderers.
 */
import { positiveInt, sessionOptions, type AppFlags } from './app-options.js';
import * as advice from '../core/advice-steps.js';
import * as core from '../core/check.js';
import type { AppliedRequest, CheckSourceMode } from '../core/check-dws.js';
import { runChecks } from '../dingtalk/check-runner.js';
import { openSession, type Session } from '../dingtalk/session.js';
import { appKeyOf, type ResolvedApp } from '../config/types.js';
import type { RequiredWhere } from '../render/check.js';
import { requiredEntryLines } from './config-lines.js';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as render from '../render/check.js';
import { appliedJson, renderApplyText } from '../render/apply.js';
import { checkJunit } from '../render/junit.js';
import { errorText, message, uiError } from '../render/messages.js';
import type { Renderers } from '../render/output.js';
import { action, type Out } from './shared.js';
import { learnedCatalog } from './learned-catalog.js';
import { applyMissing, checkApplyFlags, mergeConsoles, startConsoles, type Consoles } from './check-dws.js';

interface CheckOptions extends AppFlags {
  scope?: string[];
  api?: string[];
  concurrency?: string;
  allowUnknownScope?: boolean;
  failOn?: core.FailOn;
  source?: CheckSourceMode;
  apply?: boolean;
  yes?: boolean;
}

interface CheckResult {
  apps: core.AppCheck[];
  summary: core.CheckSummary;
  /** `--apply`: what was requested through dws, per app. */
  apply?: AppliedRequest[];
  /** Where each scope is required in the config file (for --format github). */
  where: RequiredWhere;
}

const withApply = (text: string, r: CheckResult, o: Parameters<typeof renderApplyText>[1]) => (r.apply ? `${text}\n\n${renderApplyText(r.apply, o)}` : text);

const renderers: Renderers<CheckResult> = {
  text: (r, o) => withApply(render.renderCheckText(r.apps, r.summary, o), r, o),
  json: (r, o) => ({ ...render.checkJson(r.apps, r.summary, o.lang), ...(r.apply ? { apply: r.apply.map(appliedJson) } : {}) }),
  markdown: (r, o) => render.renderCheckMarkdown(r.apps, r.summary, o),
  github: (r, o) => render.renderCheckGithub(r.apps, r.summary, o, r.where),
  junit: (r, o) => checkJunit(r.apps, o.lang),
  jobSummary: (r, o) => render.renderCheckMarkdown(r.apps, r.summary, o),
};

/** A typo in `required` must not pass as "unverifiable" with exit 0: exit 2 before any network. */
function unknownScopeError(unknown: ReturnType<typeof core.unknownScopes>) {
  const [first] = unknown;
  const list = unknown.map((u) => `"${u.scope}" (app "${u.app}")`).join(', ');
  const hint = first!.suggestions.length ? { id: 'err.check.unknown-scope-near-hint', params: { near: first!.suggestions.join(', ') } } : 'err.check.unknown-scope-hint';
  return uiError('err.check.unknown-scope', { list }, hint);
}

/** The action of `check` (registered in check.ts). */
export const runCheckAction = action(renderers, async (out, opts: CheckOptions) => runCheck(out, opts));

async function runCheck(out: Out, opts: CheckOptions) {
  const concurrency = positiveInt(opts.concurrency, '--concurrency', 8);
  checkApplyFlags(opts, { stdin: Boolean(process.stdin.isTTY), stderr: Boolean(process.stderr.isTTY) });
  const session = await openSession(sessionOptions(opts, { deadlineMs: 60_000 }), { cwd: process.cwd(), env: process.env, warn: (t) => out.info(t, true) });
  let consoles: Consoles | null = null;
  let apps: core.AppCheck[];
  let where: RequiredWhere = new Map();
  try {
    const extra = [...(opts.scope ?? []), ...(opts.api ?? [])];
    // A learned scope code (observed, or listed by dws) counts as known.
    const catalog = learnedCatalog(out);
    const plans = session.apps.map((app) => ({ app, plan: core.planChecks([...app.required, ...extra], catalog) }));
    const unknown = opts.allowUnknownScope ? [] : core.unknownScopes(plans);
    if (unknown.length) throw unknownScopeError(unknown);
    if (plans.every(({ plan }) => plan.scopes.length === 0 && plan.unmappedApis.length === 0)) {
      // A green check that checked nothing would mislead CI.
      const apps = session.apps.map((a) => `"${a.name}"`).join(', ');
      const hint = session.config.source === 'environment'
        ? 'err.check.nothing-env-hint'
        : { id: 'err.check.nothing-hint', params: { fields: session.apps.map((a) => `apps.${a.name}.required`).join(', '), source: session.config.source } };
      throw uiError('err.check.nothing', { apps }, hint);
    }
    where = requiredWhere(session, plans);
    consoles = await startConsoles(out, opts, session);
    apps = await probe(out, plans, session, concurrency, consoles);
  } finally {
    await session.close();
  }
  if (consoles) await mergeConsoles(out, apps, consoles);
  apps = withUnresolved(apps, session);
  core.attachAdvice(apps);
  consoles?.attachSteps(apps);
  const apply = opts.apply && consoles ? await applyMissing(out, apps, consoles, { yes: Boolean(opts.yes) }) : undefined;
  return { result: { apps, summary: core.summarize(apps), where, ...(apply ? { apply } : {}) }, exit: core.checkExitCode(apps, opts.failOn ?? 'missing') };
}

/** --all-apps: an app whose config could not be resolved is reported as its error, in config order, beside the checked ones. */
function withUnresolved(apps: core.AppCheck[], session: Session): core.AppCheck[] {
  if (session.unresolved.length === 0) return apps;
  const failed = session.unresolved.map(({ name, error }): core.AppCheck => {
    const app = session.config.apps[name]!;
    const key = appKeyOf(app);
    const message = `${error.message}${error.hint ? ` — ${error.hint}` : ''}`;
    const text = error.text && { id: 'err.with-hint', params: { message: { id: error.text.id, params: error.text.params }, hint: error.text.hint ? { id: 'err.hint', params: { hint: error.text.hint } } : '' } };
    return { name, type: app.type, appKey: key && !key.includes('${') ? key : null, results: [], unmappedApis: [], error: { cause: 'config', code: null, message, ...(text ? { text } : {}), steps: [] } };
  });
  const order = Object.keys(session.config.apps);
  return [...apps, ...failed].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}

/** Runs the probes of `plans` (a spinner on a TTY). Shared by `check` and `scopes scan --check`. */
export async function probe(out: Out, plans: Parameters<typeof runChecks>[0], session: Session, concurrency: number, consoles: Consoles | null) {
  // With --source dws, an app is probed only when dws could not read its console.
  const probes = consoles?.mode === 'dws' ? await consoles.probeWhen() : undefined;
  // A TTY of 0 columns (a pty nobody sized, e.g. `script` in CI) sends ora into an endless clear loop.
  // discardStdin: false keeps the terminal cooked, so Ctrl-C is a SIGINT (cli.ts exits 130 on it).
  const spinner = out.opts.spinner && (process.stderr.columns ?? 0) > 0 ? (await import('ora')).default({ stream: process.stderr, text: message('note.check.probing', {}, out.opts.lang), discardStdin: false }).start() : null;
  try {
    return await runChecks(plans, {
      http: session.http,
      tokens: session.tokens,
      bases: session.bases,
      concurrency,
      deadlineAt: session.deadlineAt,
      ...(probes ? { probes } : {}),
      fixFor: (error, app, record) =>
        error.cause === 'token-failed' || error.cause === 'network' || error.cause === 'config'
          ? []
          : advice.fixFor(error.cause, { appType: app.type, appKey: null, callerIp: record?.callerIp ?? null }),
      onProgress: (done, total) => {
        if (spinner) spinner.text = message('note.check.progress', { done, total }, out.opts.lang);
      },
      onPause: (app, ms) => {
        const text = errorText('note.check.paused', { app, s: ms / 1000 });
        if (spinner) spinner.text = message(text.id, text.params, out.opts.lang);
        else out.info(text);
      },
    });
  } finally {
    spinner?.stop();
  }
}


/** Where each checked scope is required: the config file and the line of its `required` entry. */
function requiredWhere(session: Session, plans: Array<{ app: ResolvedApp; plan: core.CheckPlan }>): RequiredWhere {
  const where: RequiredWhere = new Map();
  const file = session.config.source;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return where; // DINGTALK_* variables: no file to point at
  }
  const shown = relative(process.cwd(), file) || file;
  for (const { app, plan } of plans) {
    const lines = requiredEntryLines(text, app.name, plan.scopes.flatMap((s) => s.from));
    const scopes = new Map<string, { file: string; line: number }>();
    for (const s of plan.scopes) {
      const line = s.from.map((f) => lines.get(f)).find((l) => l !== undefined);
      if (line !== undefined) scopes.set(s.scope, { file: shown, line });
    }
    where.set(app.name, scopes);
  }
  return where;
}
