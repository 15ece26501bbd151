/**
 * `check`, the network part: every app's token requested at once, then every probe through one
 * pool of `concurrency` workers. A refusal about the whole app (IP allow-list, org
 * authentication, app not authorized) stops that app's remaining probes. A rate limit
 * pauses the app instead and resumes: DingTalk lifts QPS limits within seconds, so only
 * a limit that outlasts the pauses stops the app.
 */
import type { ResolvedApp } from '../config/types.js';
import { appKeyOf } from '../config/types.js';
import { redactor } from '../redact.js';
import {
  evaluateProbe,
  offlineResult,
  type AppCheck,
  type AppError,
  type CheckPlan,
  type PlannedScope,
  type ScopeResult,
} from '../core/check.js';
import type { ScopeProbe } from '../catalog/index.js';
import type { ErrorRecord, Step } from '../core/types.js';
import type { ErrorText } from '../errors.js';
import { englishOf, errorText } from '../render/messages.js';
import { isNewApiPath, mayCarryToken, urlOn, type Bases } from './hosts.js';
import { DEFAULT_POLICY, HttpFailure, retryAfterMs, sleep, type Http, type HttpAnswer, type HttpRequest } from './http.js';
import { invalidTokenFix, TokenFailure, type TokenStore } from './tokens.js';

export interface RunnerDeps {
  http: Http;
  tokens: TokenStore;
  bases: Bases;
  concurrency: number;
  /** Turns an app-wide denial into the steps to fix it (advice texts). */
  fixFor(error: Omit<AppError, 'steps'>, app: ResolvedApp, record?: ErrorRecord): Step[];
  onProgress?(done: number, total: number): void;
  /** An app's probes pause after a rate limit (to say so: the run seems stuck otherwise). */
  onPause?(app: string, pauseMs: number): void;
  /** The total deadline (ms since epoch): a pause that would pass it is not taken. */
  deadlineAt?: number;
  /** An app's pauses after rate limits, in order (default 1 s, then 2 s); one more limit stops it. */
  throttlePausesMs?: readonly number[];
  /** Whether to probe this app (default yes; `--source dws` asks dws instead, unless dws failed for it). */
  probes?(app: ResolvedApp): boolean;
}

const THROTTLE_PAUSES_MS = [1000, 2000];

/** The detail of a scope left to dws (`--source dws`); dws's answer replaces it. */
export const NOT_PROBED = 'not probed (--source dws)';

/** The request for a probe: token in the header for new APIs, in ?access_token= for legacy oapi. */
export function probeRequest(probe: ScopeProbe, token: string, bases: Bases): HttpRequest {
  const legacy = probe.host === 'oapi.dingtalk.com' || !isNewApiPath(probe.path);
  const query = new URLSearchParams(probe.query ?? {});
  if (legacy) query.set('access_token', token);
  const qs = query.toString();
  const url = urlOn(legacy ? bases.oapi : bases.api, `${probe.path}${qs ? `?${qs}` : ''}`);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (!legacy) headers['x-acs-dingtalk-access-token'] = token;
  const hasBody = probe.method !== 'GET' && probe.method !== 'HEAD';
  if (hasBody) headers['content-type'] = 'application/json';
  return { method: probe.method, url, headers, ...(hasBody ? { body: JSON.stringify(probe.body ?? {}) } : {}) };
}

interface Task {
  app: ResolvedApp;
  planned: PlannedScope;
  result: ScopeResult;
  /** How often this probe was rate-limited so far. */
  throttled: number;
}

/** An app's rate-limit state: pauses taken, when the last began, when it ends. */
interface Throttle {
  pauses: number;
  startedAt: number;
  until: number;
}

/** What one run shares between its probes. */
interface Run {
  deps: RunnerDeps;
  byName: Map<string, AppCheck>;
  pauses: readonly number[];
  throttles: Map<string, Throttle>;
}

type TaskOutcome = 'done' | 'again';

/** One AppCheck per app with a result per planned scope; the scopes that need a probe become tasks. */
function planTasks(apps: Array<{ app: ResolvedApp; plan: CheckPlan }>, probes: (app: ResolvedApp) => boolean): { checks: AppCheck[]; tasks: Task[] } {
  const checks: AppCheck[] = [];
  const tasks: Task[] = [];
  for (const { app, plan } of apps) {
    const check: AppCheck = {
      name: app.name,
      type: app.type,
      appKey: appKeyOf(app),
      results: [],
      unmappedApis: plan.unmappedApis.map((api) => ({ api, detail: englishOf(errorText(UNMAPPED_API)).message })),
    };
    checks.push(check);
    for (const planned of plan.scopes) {
      const result: ScopeResult = {
        scope: planned.scope,
        name: planned.name,
        status: 'unverifiable',
        kind: planned.kind,
        base: planned.base,
        sensitive: planned.sensitive,
        notes: planned.notes ?? null,
        probe: planned.probe && !planned.base ? { method: planned.probe.method, path: planned.probe.path } : null,
        detail: '',
        source: 'catalog',
      };
      check.results.push(result);
      const offline = offlineResult(planned);
      if (offline) Object.assign(result, offline);
      else if (!probes(app)) result.detail = NOT_PROBED;
      else {
        result.source = 'probe';
        tasks.push({ app, planned, result, throttled: 0 });
      }
    }
  }
  return { checks, tasks };
}

/** The one detail of an API the catalog cannot map (people's formats say it in their language: render/check.ts). */
export const UNMAPPED_API = 'ui.check.unmapped-api';

/** A result's detail: English in `detail` (--json), the message for people's formats. */
function said(id: string, params: ErrorText['params'] = {}): { detail: string; detailText: ErrorText } {
  const text = errorText(id, params);
  return { detail: englishOf(text).message, detailText: text };
}

const redactedParams = (params: ErrorText['params']): ErrorText['params'] =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? redactor.redact(v) : v]));

/** Records the first app-wide error; the app's remaining probes see it and stop. */
function stopApp(run: Run, check: AppCheck, app: ResolvedApp, error: Omit<AppError, 'steps'>, steps?: Step[]): void {
  if (check.error) return;
  check.error = { ...error, steps: steps ?? run.deps.fixFor(error, app) };
}

const throttleOf = (run: Run, app: ResolvedApp): Throttle =>
  run.throttles.get(app.name) ?? run.throttles.set(app.name, { pauses: 0, startedAt: 0, until: 0 }).get(app.name)!;

/** 'again' when the probe was rate-limited and should be re-sent after the app's pause. */
async function runTask(run: Run, task: Task): Promise<TaskOutcome> {
  const check = run.byName.get(task.app.name)!;
  if (check.error) {
    Object.assign(task.result, { status: 'error', ...said('err.check.not-probed-app', { cause: check.error.cause }) });
    return 'done';
  }
  let token: string;
  try {
    token = await run.deps.tokens.get(task.app);
  } catch (error) {
    const failure = error instanceof TokenFailure ? error : new TokenFailure(task.app.name, 'network', errorText('text.untranslated', { text: String(error) }), null);
    const text = failure.text && { id: failure.text.id, params: failure.text.params };
    stopApp(run, check, task.app, { cause: 'token-failed', code: failure.reason, message: failure.message, ...(text ? { text } : {}) }, failure.fixText ? [failure.fixText] : []);
    Object.assign(task.result, { status: 'error', ...said('err.check.no-token') });
    return 'done';
  }
  const request = probeRequest(task.planned.probe!, token, run.deps.bases);
  if (!mayCarryToken(request.url, run.deps.bases)) {
    Object.assign(task.result, { status: 'error', ...said('err.check.foreign-host', { origin: request.url.origin }) });
    return 'done';
  }
  const throttle = throttleOf(run, task.app);
  if (throttle.until > Date.now()) await sleep(throttle.until - Date.now());
  const sentAt = Date.now();
  try {
    const answer = await run.deps.http.send(request);
    return judgeAnswer(run, task, check, answer, { sentAt });
  } catch (error) {
    const failure = error instanceof HttpFailure ? error : new HttpFailure('network', String(error));
    const why = failure.text ?? errorText('text.untranslated', { text: failure.message });
    Object.assign(task.result, { status: 'error', ...said(failure.attempts > 1 ? 'err.check.failed-after' : 'err.check.failed', { kind: failure.kind, why: { id: why.id, params: redactedParams(why.params) }, attempts: failure.attempts }) });
    return 'done';
  }
}

/** What a probe's answer means for its scope, and for the app (an app-wide denial stops it, a rate limit pauses it). */
function judgeAnswer(run: Run, task: Task, check: AppCheck, answer: HttpAnswer, sent: { sentAt: number }): TaskOutcome {
  // Another probe of this app may have hit an app-wide denial meanwhile.
  const stopped = check.error as AppError | undefined;
  if (stopped) {
    Object.assign(task.result, { status: 'error', ...said('err.check.not-checked-app', { cause: stopped.cause }) });
    return 'done';
  }
  const verdict = evaluateProbe(task.planned.scope, task.planned.probe!, {
    status: answer.status,
    text: answer.text,
    json: answer.json,
    contentType: answer.headers['content-type'] ?? null,
    location: answer.headers.location ?? null,
    attempts: answer.attempts,
  });
  if (verdict.appDenial?.cause === 'invalid-token') {
    // A token we just fetched (or the user access token of the config) is refused: an auth failure of the app.
    const r = verdict.appDenial.record;
    const code = r.subCode ?? r.code ?? 'InvalidAuthentication';
    const text = errorText('err.token.access-refused', { said: redactor.redact(r.message ?? verdict.detail) });
    stopApp(run, check, task.app, { cause: 'token-failed', code, message: englishOf(text).message, text }, [invalidTokenFix(task.app)]);
    Object.assign(task.result, { status: 'error', ...said('err.check.token-refused') });
    return 'done';
  }
  // (a 429 was already retried with backoff by the HTTP layer)
  if (verdict.appDenial?.cause === 'throttled' && answer.status !== 429 && pauseForRateLimit(run, task, answer, sent.sentAt)) return 'again';
  if (verdict.appDenial) {
    const r = verdict.appDenial.record;
    const error = { cause: verdict.appDenial.cause, code: r.code, message: redactor.redact(r.message ?? verdict.detail) };
    stopApp(run, check, task.app, error, run.deps.fixFor(error, task.app, r));
    Object.assign(task.result, { status: 'error', ...said('err.check.not-checked-app', { cause: verdict.appDenial.cause }) });
    return 'done';
  }
  const paused = task.throttled > 0 ? ` (after ${task.throttled} rate-limit pause${task.throttled > 1 ? 's' : ''})` : '';
  const text = verdict.detailText && { id: verdict.detailText.id, params: redactedParams(verdict.detailText.params as ErrorText['params']) };
  const detailText = text && (task.throttled > 0 ? errorText('ui.probe.paused', { detail: text, n: task.throttled }) : text);
  Object.assign(task.result, { status: verdict.status, detail: `${redactor.redact(verdict.detail)}${paused}`, ...(detailText ? { detailText } : {}) });
  return 'done';
}

/** True when the rate-limited probe is to be re-sent after a pause of its app (one already running, or a new one). */
function pauseForRateLimit(run: Run, task: Task, answer: HttpAnswer, sentAt: number): boolean {
  const throttle = throttleOf(run, task.app);
  task.throttled++;
  // sent before the current pause began: that pause covers it, resend after it
  if (sentAt < throttle.startedAt) return true;
  // the number of pauses is fixed; a Retry-After only sets how long one lasts (up to the
  // longest the HTTP layer waits for one: longer, and the app is reported throttled)
  const planned = run.pauses[throttle.pauses];
  const pause = planned === undefined ? undefined : (retryAfterMs(answer.headers['retry-after']) ?? planned);
  const now = Date.now();
  if (pause === undefined || pause > DEFAULT_POLICY.maxRetryAfterMs) return false;
  if (run.deps.deadlineAt !== undefined && now + pause >= run.deps.deadlineAt) return false;
  Object.assign(throttle, { pauses: throttle.pauses + 1, startedAt: now, until: now + pause });
  run.deps.onPause?.(task.app.name, pause);
  return true;
}

/**
 * Asks for every probed app's token at once, before the first probe: fetched lazily, each app's
 * token was a round trip the whole pool waited for when it reached that app. The store keeps one
 * request per app, so the probes then await the same one (and a failure surfaces there).
 */
function prefetchTokens(tasks: readonly Task[], tokens: TokenStore): void {
  for (const app of new Set(tasks.map((task) => task.app))) tokens.get(app).catch(() => undefined);
}

export async function runChecks(apps: Array<{ app: ResolvedApp; plan: CheckPlan }>, deps: RunnerDeps): Promise<AppCheck[]> {
  const { checks, tasks } = planTasks(apps, deps.probes ?? (() => true));
  const run: Run = {
    deps,
    byName: new Map(checks.map((check) => [check.name, check])),
    pauses: deps.throttlePausesMs ?? THROTTLE_PAUSES_MS,
    throttles: new Map(),
  };
  prefetchTokens(tasks, deps.tokens);
  const total = tasks.length;
  let done = 0;
  deps.onProgress?.(0, total);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      // a rate-limited probe goes to the back of the queue, to be re-sent after the pause
      if ((await runTask(run, task)) === 'again') tasks.push(task);
      else deps.onProgress?.(++done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.concurrency, tasks.length)) }, worker));
  return checks;
}
