/**
 * `diagnose [inputs...]`: read error bodies, SDK errors, HTTP dumps, HAR files or whole
 * logs (files, `-`, or piped stdin), and say for each DingTalk error its cause, the scope
 * to request and how. Offline; the pipeline lives in src/core (parse → classify → advise).
 */
import type { Command } from 'commander';
import { learnedCatalog } from './learned-catalog.js';
import { isDenial } from '../core/classify.js';
import { createDiagnosis, emptyDiagnosis } from '../core/diagnose.js';
import { pathOf } from '../core/parse/fields.js';
import { isForeign } from '../core/parse/platform.js';
import { parseStream } from '../core/parse/index.js';
import type { ApiRef, AppType, Cause, ErrorRecord } from '../core/types.js';
import { openInput } from '../io/inputs.js';
import { diagnoseOutcomeJson, renderDiagnoseGithub, renderDiagnoseMarkdown, renderDiagnoseOutcomeText, type DiagnoseOutcome } from '../render/diagnose.js';
import { diagnoseJunit } from '../render/junit.js';
import type { ErrorText } from '../errors.js';
import { uiError } from '../render/messages.js';
import type { Outcome, Renderers } from '../render/output.js';
import { learnFrom } from './diagnose-learn.js';
import { addReplayOptions } from './diagnose-replay-options.js';
import type { DiagnoseOptions } from './diagnose-types.js';
import { action, runPlainCommand, withExamples, type Out } from './shared.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { addArguments, addOptions, plainCall, type PlainCommand } from './plain-args.js';
// (imported, not import()ed: every run looks for the config, a missing scope is the common case,
// and in the build an import() is a file of its own to load)
import { loadConfig, loadConfigIfAny, selectApps } from '../config/load.js';
import { appKeyOf } from '../config/types.js';
import { findDws } from '../dingtalk/dws.js';
import { attachDwsFindingSteps } from '../core/check-dws.js';

const renderers: Renderers<DiagnoseOutcome> = {
  text: renderDiagnoseOutcomeText,
  json: diagnoseOutcomeJson,
  github: (r, o) => renderDiagnoseGithub(r.diagnosis, o.lang),
  markdown: (r, o) => renderDiagnoseMarkdown(r.diagnosis, o.lang),
  junit: (r, o) => diagnoseJunit(r.diagnosis, o.lang),
  // A replay's summary stays in the log: the job summary is for the files a workflow diagnoses.
  jobSummary: (r, o) => (r.replay ? '' : renderDiagnoseMarkdown(r.diagnosis, o.lang)),
};

/** `--api "POST /topapi/v2/user/get"`, a URL, or a bare path. */
export function parseApiFlag(value: string): ApiRef {
  const m = /^\s*(GET|POST|PUT|DELETE|PATCH|HEAD)\s+(\S+)\s*$/i.exec(value);
  const target = m ? m[2]! : value.trim();
  if (!target || /\s/.test(target) || !/^(?:https?:\/\/|\/)/i.test(target)) {
    throw uiError('err.api-flag.not-api', { value }, 'err.api-flag.not-api-hint');
  }
  const { path, host } = pathOf(target);
  return { method: m ? m[1]!.toUpperCase() : null, path, host };
}

async function run(out: Out, opts: DiagnoseOptions, inputs: string[]): Promise<Outcome<DiagnoseOutcome>> {
  // dws (and its module) only for --apply: diagnose stays offline otherwise.
  const dwsApply = opts.apply || opts.yes ? await import('./diagnose-apply.js') : null;
  dwsApply?.checkDiagnoseApply(opts, { stdin: Boolean(process.stdin.isTTY), stderr: Boolean(process.stderr.isTTY) });
  // the replay's code (HTTP, tokens, request parsers) only for --replay
  if (opts.replay) return (await import('./diagnose-replay.js')).runReplay(out, opts, inputs);
  let names = inputs;
  if (names.length === 0) {
    if (process.stdin.isTTY) {
      throw uiError('ui.err.no-input', {}, { id: 'ui.err.no-input-hint', params: {} });
    }
    names = ['-'];
  }
  // stdin can be read once: `diagnose - app.log -` reads it at the first `-`.
  names = names.filter((n, i) => n !== '-' || names.indexOf('-') === i);
  const api = typeof opts.api === 'string' ? parseApiFlag(opts.api) : null;
  const app = await configuredApp(out, opts);
  // --app-key / --app-type win over the config's values.
  const ctx = {
    appKey: opts.appKey ?? app?.appKey ?? null,
    appType: opts.appType ?? app?.appType ?? null,
    appTypeFrom: !opts.appType && app ? app.from : null,
    api,
  };

  // The catalog (≈1 MB of JSON) loads only when there is something to explain.
  let diagnosis: ReturnType<typeof createDiagnosis> | null = null;
  const observed: ErrorRecord[] = [];
  for (const name of names) {
    const input = openInput(name, out.opts);
    for await (const record of parseStream(input.chunks, input.name)) {
      diagnosis ??= createDiagnosis(learnedCatalog(out), ctx);
      diagnosis.add(record);
      // Only DingTalk's own errors teach a scope (another platform's record is a note, not an observation).
      if (opts.learn && record.requiredScopes.length && (record.api || record.sdk) && !record.evidence?.some(isForeign) && observed.length < 1000) observed.push(record);
    }
  }
  const result = diagnosis ? diagnosis.result() : emptyDiagnosis();

  if (opts.learn && diagnosis) learnFrom(out, observed);
  // With DingTalk's CLI installed, the fix is also a dws command (nothing is run: diagnose stays offline).
  if (result.findings.some((f) => f.cause === 'missing-scope')) {
    if (findDws(process.env)) attachDwsFindingSteps(result.findings, ctx.appKey);
  }

  const apply = dwsApply && opts.apply ? await dwsApply.applyFindings(out, result.findings, { appKey: opts.appKey!, yes: Boolean(opts.yes) }) : undefined;

  // Exit 1 only for a denial: an error that is not about permissions (a bad parameter…) is explained, not failed on.
  // (byCause counts the findings past the shown limit too)
  const denied = (Object.keys(result.summary.byCause) as Cause[]).some(isDenial);
  return { result: { diagnosis: result, inputs: names, ...(apply ? { apply } : {}) }, exit: denied ? 1 : 0 };
}

/** An AppKey as written in the config: a `${VAR}` reference is taken from the environment (null when unset). */
function keyFrom(value: string | null, env: Record<string, string | undefined>): string | null {
  if (!value) return null;
  const ref = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value.trim());
  return ref ? (env[ref[1]!]?.trim() || null) : value;
}

/**
 * The configured app the advice is for (its AppKey and type, no secret is read): the one --app or
 * --config names; without them the only configured app, quietly — no config, or several apps, is
 * simply no app (diagnose needs none).
 */
async function configuredApp(out: Out, opts: DiagnoseOptions): Promise<{ appKey: string | null; appType: AppType; from: { via: 'config'; app: string; source: string } } | null> {
  const explicit = Boolean(opts.app || opts.config);
  try {
    const options = { configPath: opts.config, cwd: process.cwd(), env: process.env };
    // Without them no config is the common case, and loadConfigIfAny builds no error to drop for it.
    const loaded = explicit ? await loadConfig({ ...options, warn: (t: ErrorText) => out.info(t, true) }) : await loadConfigIfAny(options);
    if (!loaded || (!explicit && Object.keys(loaded.config.apps).length !== 1)) return null;
    const { config } = loaded;
    const [name] = selectApps(config, { app: opts.app });
    const app = config.apps[name!]!;
    return { appKey: keyFrom(appKeyOf(app), process.env), appType: app.type, from: { via: 'config', app: name!, source: config.source } };
  } catch (error) {
    if (explicit) throw error;
    return null;
  }
}

/** diagnose's own options (the replay's are in diagnose-replay-options.ts) and operands: commander's, and a plain command line's. */
const DIAGNOSE: PlainCommand = {
  options: [
    { flags: '--api <"METHOD /path">', description: 'the API that failed, when the input does not say (names the scope of a bare 60011)' },
    { flags: '--app-key <key>', description: "the app's AppKey (Client ID), for the per-app apply link" },
    { flags: '--app-type <type>', description: 'app type, for the right steps and console page', choices: ['internal', 'third-party-enterprise', 'third-party-personal'] },
    { flags: '--learn', description: 'remember the API → scope pairs the errors show (learned file, see `scopes learned`)' },
    { flags: '--apply', description: "request the missing scopes through dws (DingTalk's CLI) for the app of --app-key: a dry-run, then the request after you confirm" },
    { flags: '--yes', description: 'with --apply: request without asking (CI)' },
  ],
  args: [{ name: '[inputs...]', description: 'files to read (error bodies, SDK errors, curl -i output, HAR files, logs), or - for stdin (default: stdin when piped)' }],
};

/** The words after `diagnose` read as a plain command line (commands/plain-args.ts), or undefined. */
export const plainDiagnoseArgs = (words: readonly string[]) => plainCall(words, DIAGNOSE, GLOBAL_OPTIONS);

/**
 * `diagnose <words>` run without commander when the words are plain (commands/plain-args.ts): the
 * exit code, or undefined for a command line commander is to read (--replay, --help, a typo…).
 */
export const runPlain = (words: readonly string[]) =>
  runPlainCommand(words, DIAGNOSE, 'diagnose', renderers, (out, opts: DiagnoseOptions, inputs: string[]) => run(out, opts, inputs));

export function registerDiagnose(program: Command): void {
  const command = program
    .command('diagnose')
    .description('explain DingTalk errors in files, stdin or logs: cause, scope to request, and how (offline)');
  addOptions(addArguments(command, DIAGNOSE.args), DIAGNOSE.options);
  addReplayOptions(command);
  command.action(action(renderers, async (out, opts: DiagnoseOptions, inputs: string[]) => run(out, opts, inputs)));
  withExamples(command, [
    ['dingtalk-doctor diagnose examples/403-missing-scope.json', 'explain a 403 body'],
    ['dingtalk-doctor diagnose app.log --json', 'every DingTalk error in a log, deduplicated, as JSON'],
    ['kubectl logs deploy/crm | dingtalk-doctor diagnose', 'read a log from stdin'],
    ['dingtalk-doctor diagnose error.json --api "POST /topapi/v2/user/get"', 'name the scope of a bare 60011'],
    ['dingtalk-doctor diagnose browser.har --format markdown', 'a HAR file, as a table for a PR comment'],
    ['dingtalk-doctor diagnose err.txt --lang zh', 'advice in Chinese'],
    ['dingtalk-doctor diagnose --replay "GET https://api.dingtalk.com/v1.0/contact/users/me"', 're-send a failed call with a fresh token (app from .dingtalkrc or env) and explain the answer'],
    ['dingtalk-doctor diagnose --replay browser.har --entry 3', 're-send entry 3 of a HAR file (GET/HEAD only unless --allow-write)'],
  ]);
}
