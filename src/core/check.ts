/**
 * `check`, the pure part: which scopes to probe for an app (its `required` list and the
 * flags, APIs mapped through the catalog), what a probe's answer means, and the summary
 * and exit code. No I/O: the HTTP side lives in src/dingtalk/check-runner.ts.
 */
import type { Catalog, ScopeNotes, ScopeProbe } from '../catalog/index.js';
import type { ApiRef, AppType, Cause, ErrorRecord, ScopeKind, Step } from './types.js';
import { consoleUrl, requestSteps } from './advice-steps.js';
import { classifyDenial } from './classify.js';
import { parseResponse } from './parse/index.js';

export type CheckStatus = 'granted' | 'missing' | 'unverifiable' | 'error';

export interface PlannedScope {
  scope: string;
  name: { zh: string | null; en: string | null };
  kind: ScopeKind;
  base: boolean;
  sensitive: boolean;
  /** Edition gate, closed applications, access type (the catalog's supplement facts). */
  notes?: ScopeNotes | null;
  probe: ScopeProbe | null;
  /** The entries of `required` / --scope / --api that led to this scope. */
  from: string[];
  /** Not in the catalog: close matches, if any. */
  unknown: boolean;
  suggestions: string[];
}

export interface CheckPlan {
  scopes: PlannedScope[];
  /** APIs the catalog cannot map to a scope. */
  unmappedApis: string[];
}

const API_ENTRY = /^(GET|POST|PUT|PATCH|DELETE|HEAD)\s+(\S+)$/i;

/** Turns scope codes and "METHOD /path" entries into the unique scopes to check, in the order given. */
export function planChecks(required: readonly string[], catalog: Pick<Catalog, 'scope' | 'matchApi' | 'suggest'>): CheckPlan {
  const byCode = new Map<string, PlannedScope>();
  const unmappedApis: string[] = [];
  const add = (code: string, from: string) => {
    const info = catalog.scope(code);
    const key = (info?.code ?? code).toLowerCase();
    const known = byCode.get(key);
    if (known) {
      if (!known.from.includes(from)) known.from.push(from);
      return;
    }
    byCode.set(key, {
      scope: info?.code ?? code,
      name: info?.name ?? { zh: null, en: null },
      kind: info?.kind ?? 'unknown',
      base: info?.base ?? false,
      sensitive: info?.sensitive ?? false,
      notes: info?.notes ?? null,
      probe: info?.probe ?? null,
      from: [from],
      unknown: !info,
      suggestions: info ? [] : catalog.suggest(code, 3),
    });
  };
  for (const raw of required) {
    const entry = raw.trim();
    if (!entry) continue;
    const api = API_ENTRY.exec(entry);
    if (!api) {
      add(entry, entry);
      continue;
    }
    const [match] = catalog.matchApi(api[1]!.toUpperCase(), api[2]!);
    if (!match || match.scopes.length === 0) {
      if (!unmappedApis.includes(entry)) unmappedApis.push(entry);
      continue;
    }
    for (const code of match.scopes) add(code, entry);
  }
  return { scopes: [...byCode.values()], unmappedApis };
}

/** A probe's HTTP answer, as the runner saw it. */
export interface ProbeAnswer {
  status: number;
  /** The body as received. */
  text: string;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  json: unknown;
  contentType: string | null;
  location: string | null;
  attempts: number;
}

export interface ProbeVerdict {
  status: CheckStatus;
  detail: string;
  /** `detail` as a message (src/messages: the same text in English), for people's formats in their language. */
  detailText?: Step;
  /** A refusal that is about the app, not this scope: report once, stop probing the app. */
  appDenial?: { cause: Cause; record: ErrorRecord };
  /** The scopes a 403 named (when not the probed one). */
  named?: string[];
}

/** Causes that stop the probing of an app: every further probe would be refused the same way. */
const APP_WIDE: ReadonlySet<Cause> = new Set<Cause>(['ip-not-allowed', 'throttled', 'org-auth-level', 'app-not-authorized', 'invalid-token', 'unknown-denial']);

/** A detail in English (--json) and as message `id` (its English text is `detail`), for people's formats. */
const said = (id: string, params: Record<string, string | number>, detail: string) => ({ detail, detailText: { id, params } });

const describeCode = (r: ErrorRecord) => [r.code, r.subCode && r.subCode !== r.code ? `sub_code ${r.subCode}` : null].filter(Boolean).join(' ');

/** What a probe's answer says about the probed scope. */
export function evaluateProbe(scope: string, probe: ScopeProbe, answer: ProbeAnswer): ProbeVerdict {
  if (answer.status >= 300 && answer.status < 400) {
    const to = answer.location ?? 'an unknown place';
    return { status: 'error', ...said('ui.probe.redirected', { status: answer.status, to }, `the probe was redirected (HTTP ${answer.status}) to ${to}; not followed, the token is never sent elsewhere`) };
  }
  if (answer.json === undefined) {
    return { status: 'error', detail: `not a DingTalk answer: HTTP ${answer.status}${answer.contentType ? `, ${answer.contentType.split(';')[0]}` : ''}, body is not JSON` };
  }
  const api: ApiRef = { method: probe.method, path: probe.path, host: probe.host };
  const records = parseResponse({ status: answer.status, body: answer.text, api });
  const record = records[0];
  if (!record) {
    if (answer.status >= 200 && answer.status < 300) return { status: 'granted', ...said('ui.probe.succeeded', { status: answer.status }, `the probe succeeded (HTTP ${answer.status})`) };
    if (answer.status === 429) return { status: 'error', ...said('ui.probe.throttled', { attempts: answer.attempts }, `rate-limited (HTTP 429) after ${answer.attempts} attempt(s)`) };
    if (answer.status >= 500) return { status: 'error', ...said('ui.probe.server-error', { status: answer.status, attempts: answer.attempts }, `DingTalk answered HTTP ${answer.status} after ${answer.attempts} attempt(s)`) };
    return { status: 'granted', ...said('ui.probe.no-denial', { status: answer.status }, `HTTP ${answer.status} without a permission error`) };
  }
  const cause = classifyDenial(record);
  const code = describeCode(record) || `HTTP ${answer.status}`;
  if (cause === 'missing-scope') {
    const named = record.requiredScopes;
    if (named.length === 0 || named.some((s) => s.toLowerCase() === scope.toLowerCase())) {
      if (named.length) return { status: 'missing', ...said('ui.probe.refused-naming', { code, named: named.join(', ') }, `refused with ${code} naming ${named.join(', ')}`) };
      return { status: 'missing', ...said('ui.probe.refused', { code }, `refused with ${code}`) };
    }
    return { status: 'unverifiable', ...said('ui.probe.needs-other', { named: named.join(', '), scope }, `the probe API also needs ${named.join(', ')}, which the app lacks, so ${scope} could not be tested`), named };
  }
  if (cause === 'other-error') {
    // "No such API" says nothing about the scope (new API InvalidAction.NotFound, legacy errcode 22).
    const bodyCode = record.code ?? '';
    // A gateway 404 ({"errcode":404}) is "no such path", not "no such user".
    if (/^InvalidAction/i.test(bodyCode) || (bodyCode === '22' && !record.subCode) || (answer.status === 404 && bodyCode === '404')) {
      return { status: 'unverifiable', ...said('ui.probe.not-found', { code: bodyCode }, `the probe API was not found (${bodyCode}): the catalog's probe may be outdated`) };
    }
    if (answer.status >= 500 || answer.status === 429) {
      return { status: 'error', ...said('ui.probe.server-error-code', { status: answer.status, code, attempts: answer.attempts }, `DingTalk answered HTTP ${answer.status} ${code} after ${answer.attempts} attempt(s)`) };
    }
    return { status: 'granted', ...said('ui.probe.passed', { code }, `passed the permission check (answered ${code} for the probe's dummy id)`) };
  }
  if (APP_WIDE.has(cause)) return { status: 'error', ...said('ui.probe.app-wide', { code }, `refused for the whole app: ${code}`), appDenial: { cause, record } };
  return { status: 'error', ...said('ui.probe.refused', { code }, `refused with ${code}`) };
}

/** Who decided a result: a probe, dws (the Developer Console's list), both agreeing or not, or the catalog alone (base scope, no probe, unknown code). */
export type CheckSource = 'probe' | 'dws' | 'both' | 'catalog';

export interface ScopeResult {
  scope: string;
  name: { zh: string | null; en: string | null };
  status: CheckStatus;
  kind: ScopeKind;
  base: boolean;
  sensitive: boolean;
  notes?: ScopeNotes | null;
  probe: { method: string; path: string } | null;
  detail: string;
  /** The message id of `detail` when it is a fixed text (people's formats show it in their language). */
  detailId?: string;
  /** `detail` as a message with parameters (people's formats show it in their language; not in --json). */
  detailText?: Step;
  source: CheckSource;
  /** What dws listed for the scope (absent when dws was not used or does not list it). */
  dws?: { granted: boolean | null; requiredApproval: boolean | null };
  /** The probe and dws disagree: what each said and what it may mean. */
  disagreement?: string;
  /** `disagreement` as a message, for people's formats in their language (not in --json). */
  disagreementText?: Step;
  /** Set for missing scopes: the per-app apply link (or the app list). */
  consoleUrl?: string;
  steps?: Step[];
}

/** An API the catalog cannot map: reported so that it is not silently skipped. */
export interface UnmappedApi {
  api: string;
  detail: string;
}

export interface AppError {
  /** A denial cause, or why the app could not be checked at all ('config': its config could not be resolved). */
  cause: Cause | 'token-failed' | 'network' | 'config';
  code: string | null;
  message: string;
  /** `message` as a message with parameters, for people's formats in their language (not in --json). */
  text?: Step;
  steps: Step[];
}

export interface AppCheck {
  name: string;
  type: AppType;
  appKey: string | null;
  results: ScopeResult[];
  unmappedApis: UnmappedApi[];
  error?: AppError;
  /** dws was asked about this app: its unifiedAppId, or why it could not answer (the probes then decided). */
  dws?: { unifiedAppId: string } | { failure: string; /** `failure` as a message (not in --json). */ failureText?: Step };
}

/** A scope that needs no probe, or cannot have one: decided without the network. */
export function offlineResult(planned: PlannedScope): Pick<ScopeResult, 'status' | 'detail' | 'detailId' | 'detailText'> | null {
  if (planned.unknown) {
    const near = planned.suggestions.join(', ');
    if (near) return { status: 'unverifiable', ...said('ui.probe.unknown-code-near', { near }, `not a scope code the catalog knows; did you mean ${near}?`) };
    return { status: 'unverifiable', detail: 'not a scope code the catalog knows', detailId: 'ui.probe.unknown-code' };
  }
  if (planned.base) return { status: 'granted', detail: 'base scope: every app of its type has it by default (not probed)', detailId: 'ui.probe.base' };
  if (!planned.probe) return { status: 'unverifiable', detail: 'no safe read-only probe is known for this scope: it was not tested (look in the Developer Console → the app → Manage permissions)', detailId: 'ui.check.no-probe' };
  return null;
}

export interface CheckSummary {
  missing: Array<{ app: string; scope: string }>;
  granted: number;
  unverifiable: number;
  errors: number;
  /** The scopes (and unmapped APIs) that were not tested, listed apart: a green run did not check them. */
  unverified: Array<{ app: string; scope: string; detail: string }>;
}

/** The counts are the rows: one per scope result or unmapped API; an app error counts once when none of its rows is an error. */
export function summarize(apps: readonly AppCheck[]): CheckSummary {
  const summary: CheckSummary = { missing: [], granted: 0, unverifiable: 0, errors: 0, unverified: [] };
  for (const app of apps) {
    for (const r of app.results) {
      if (r.status === 'missing') summary.missing.push({ app: app.name, scope: r.scope });
      else if (r.status === 'granted') summary.granted++;
      else if (r.status === 'unverifiable') summary.unverified.push({ app: app.name, scope: r.scope, detail: r.detail });
      else summary.errors++;
    }
    // in the order of the table: scope rows, then the APIs the catalog cannot map
    for (const u of app.unmappedApis) summary.unverified.push({ app: app.name, scope: u.api, detail: u.detail });
    if (app.error && !app.results.some((r) => r.status === 'error')) summary.errors++;
  }
  summary.unverifiable = summary.unverified.length;
  return summary;
}

/** What fails the run besides a missing scope or a denial (`--fail-on`): by default an untested scope does not. */
export type FailOn = 'missing' | 'unverifiable';

/**
 * 3 when an app could not be checked (token/network), else 1 for any missing scope or denial (and,
 * with failOn 'unverifiable', any scope or API that could not be tested), else 3 for a scope-level
 * network error, else 0.
 */
export function checkExitCode(apps: readonly AppCheck[], failOn: FailOn = 'missing'): 0 | 1 | 3 {
  const transport = apps.some((a) => a.error?.cause === 'token-failed' || a.error?.cause === 'network');
  if (transport) return 3;
  if (apps.some((a) => a.error || a.results.some((r) => r.status === 'missing'))) return 1;
  if (failOn === 'unverifiable' && apps.some((a) => a.unmappedApis.length || a.results.some((r) => r.status === 'unverifiable'))) return 1;
  // Scope-level errors (5xx, timeouts after retries) are network failures too.
  if (apps.some((a) => a.results.some((r) => r.status === 'error'))) return 3;
  return 0;
}

/** Required codes the catalog (with the learned observations) does not know: a typo fails before any network. */
export function unknownScopes(plans: ReadonlyArray<{ app: { name: string }; plan: CheckPlan }>): Array<{ app: string; scope: string; suggestions: string[] }> {
  return plans.flatMap(({ app, plan }) => plan.scopes.filter((s) => s.unknown).map((s) => ({ app: app.name, scope: s.scope, suggestions: s.suggestions })));
}

/** Adds the request steps and the console link (per-app apply link when the key is known) to every missing scope. */
export function attachAdvice(apps: AppCheck[]): void {
  for (const app of apps) {
    for (const r of app.results) {
      if (r.status !== 'missing') continue;
      const ctx = { appType: app.type, appKey: app.appKey };
      r.steps = requestSteps({ code: r.scope, kind: r.kind, base: r.base, sensitive: r.sensitive, notes: r.notes ?? null }, ctx);
      r.consoleUrl = consoleUrl({ appKey: app.appKey, scope: r.scope, appType: app.type });
    }
  }
}
