/**
 * `check` with dws, the pure part: what the Developer Console's permission list (read by dws, see
 * src/dingtalk/dws.ts) says about each checked scope, merged with the probes' verdicts, the kinds it
 * teaches (`requiredApproval`), and the fix as a dws command. No I/O.
 */
import type { LearnedKind } from '../catalog/types.js';
import type { AppCheck, CheckSource, ScopeResult } from './check.js';
import type { Finding, Step, StepParam } from './types.js';
import { step } from './advice-steps.js';

/** One permission point as dws lists it (the fields dingtalk-doctor reads). */
export interface ConsolePermission {
  scope: string;
  name: string | null;
  /** true granted, false not granted, null when the item says neither way. */
  granted: boolean | null;
  requiredApproval: boolean | null;
}

/** An app as dws sees it: its unifiedAppId and its permission points by lower-cased scope code. */
export interface ConsoleView {
  unifiedAppId: string;
  permissions: ReadonlyMap<string, ConsolePermission>;
}

export type CheckSourceMode = 'dws' | 'probe' | 'both';

/**
 * What `permission add --yes` answered. The repo shows no reply of the server (§8 Unknowns): read
 * both plausible shapes — per-scope lists like `remove`'s (`…ScopeValues` arrays of strings or
 * `{scopeValue}` objects, §2.7) and a bare `{success, message}` — and an `outcome: "pending"`
 * (approval waiting) with dws's next command.
 */
export interface ConsoleAddResult {
  pending: boolean;
  /** Scopes the answer lists as requested / already granted and skipped / rejected (null: the answer has no such list). */
  added: string[] | null;
  skipped: string[] | null;
  rejected: string[] | null;
  message: string | null;
  nextCommand: string | null;
}

/** One app's `--apply`: what was asked, what the dry-run showed, and the outcome. */
export interface AppliedRequest {
  app: string;
  /** null when dws could not read the app (nothing was requested). */
  unifiedAppId: string | null;
  scopes: string[];
  /** Scopes among them that need approval (per dws): a version must be published. */
  needApproval: string[];
  outcome: 'requested' | 'pending' | 'declined' | 'failed';
  /** What dws answered (the add result), or why it failed. */
  result?: ConsoleAddResult;
  message?: string;
  /** `message` as a message, for people's formats in their language (not in --json). */
  messageText?: Step;
}

/**
 * The kind a `requiredApproval` stands for: true means the request goes through the version
 * channel and is approved before it takes effect (dws permission.md:25), the way the docs'
 * "special" scopes are reviewed; false means it takes effect on request, as a "standard" scope.
 */
export const kindOfApproval = (requiredApproval: boolean): 'special' | 'standard' => (requiredApproval ? 'special' : 'standard');

export function consoleView(unifiedAppId: string, permissions: readonly ConsolePermission[]): ConsoleView {
  return { unifiedAppId, permissions: new Map(permissions.map((p) => [p.scope.toLowerCase(), p])) };
}

const listed = (granted: boolean) => (granted ? 'granted' : 'not granted');
/** The same, as a message (people's formats say it in their language). */
const listedText = (granted: boolean): Step => ({ id: granted ? 'ui.dws.listed-granted' : 'ui.dws.listed-not-granted', params: {} });
/** A result's detail as a message parameter: its text when it has one. */
const detailParam = (r: ScopeResult): StepParam => r.detailText ?? (r.detailId ? { id: r.detailId, params: {} } : r.detail);

/** The probe decided the scope (a real answer), as opposed to no probe, an unknown code, or a failed probe. */
const probeDecided = (r: ScopeResult) => r.source === 'probe' && (r.status === 'granted' || r.status === 'missing');

function disagreementOf(dwsGranted: boolean): string {
  return dwsGranted
    ? 'the Developer Console (dws) lists it as granted, but the probe was refused: a change that needs approval takes effect only once its version is published (`dws dev app version status`); a third-party app also needs each organization\'s admin to re-authorize it'
    : 'the Developer Console (dws) lists it as not granted, but the probe passed (its API may accept another scope the app has): request it to be sure';
}

/** What dws's entry says about one result; `mode` 'dws' means nothing was probed. */
function mergeOne(r: ScopeResult, p: ConsolePermission | undefined, mode: CheckSourceMode): void {
  // A base scope is granted by default: the console's list says nothing more about it.
  if (r.base) return;
  if (!p || p.granted === null) {
    if (mode === 'dws' && r.source === 'catalog' && r.detail.startsWith('not probed')) {
      const detail = p ? 'dws lists it without saying whether it is granted' : 'dws does not list this scope for the app (a different code, or not for this app type)';
      Object.assign(r, { status: 'unverifiable', source: 'dws' satisfies CheckSource, detail, detailText: { id: p ? 'ui.dws.unknown-grant' : 'ui.dws.not-listed', params: {} } });
    }
    return;
  }
  r.dws = { granted: p.granted, requiredApproval: p.requiredApproval };
  if (r.kind === 'unknown' && p.requiredApproval !== null) r.kind = kindOfApproval(p.requiredApproval);
  if (!r.name.zh && !r.name.en && p.name) r.name = { zh: p.name, en: null };
  const status = p.granted ? 'granted' : 'missing';
  if (probeDecided(r)) {
    r.source = 'both';
    if (r.status === status) {
      r.detailText = { id: 'ui.dws.agrees', params: { detail: detailParam(r), listed: listedText(p.granted) } };
      r.detail = `${r.detail}; dws agrees (the console lists it as ${listed(p.granted)})`;
      return;
    }
    // The stricter verdict stands: a scope either source finds missing is reported missing.
    r.disagreement = disagreementOf(p.granted);
    r.disagreementText = { id: p.granted ? 'ui.dws.disagree-granted' : 'ui.dws.disagree-not-granted', params: {} };
    r.detailText = { id: 'ui.dws.probe-and-dws', params: { detail: detailParam(r), listed: listedText(p.granted) } };
    r.detail = `probe: ${r.detail}; dws: the console lists it as ${listed(p.granted)}`;
    r.status = 'missing';
    return;
  }
  const before = r.status === 'error' ? ` (the probe: ${r.detail})` : '';
  const detailText: Step = r.status === 'error' ? { id: 'ui.dws.lists-after-error', params: { listed: listedText(p.granted), detail: detailParam(r) } } : { id: 'ui.dws.lists', params: { listed: listedText(p.granted) } };
  Object.assign(r, { status, source: 'dws' satisfies CheckSource, detail: `dws: the Developer Console lists it as ${listed(p.granted)}${before}`, detailText });
}

/** Merges dws's view of the app into its results (in place). */
export function mergeConsoleView(app: AppCheck, view: ConsoleView, mode: CheckSourceMode): void {
  app.dws = { unifiedAppId: view.unifiedAppId };
  for (const r of app.results) mergeOne(r, view.permissions.get(r.scope.toLowerCase()), mode);
}

/** The kinds the console's list teaches, for the learned file (every listed scope with a requiredApproval). */
export function learnedKindsOf(permissions: readonly ConsolePermission[], seenAt: string): LearnedKind[] {
  return permissions
    .filter((p): p is ConsolePermission & { requiredApproval: boolean } => p.requiredApproval !== null)
    .map((p) => ({ scope: p.scope, kind: kindOfApproval(p.requiredApproval), requiredApproval: p.requiredApproval, name: p.name, source: 'dws' as const, seenAt }));
}

/** The dws command that requests scopes, as printed (--dry-run: it shows what would be sent). */
export const dwsAddCommand = (unifiedAppId: string, scopes: readonly string[], mode: '--dry-run' | '--yes' = '--dry-run') =>
  `dws dev app permission add --unified-app-id ${unifiedAppId} --scope-values ${scopes.join(',')} ${mode}`;

/** Adds the fix as a dws command (and, for a scope that needs approval, what follows: dws devapp.md:78-84, version.md:9-15) to every missing scope of an app dws knows. */
export function attachDwsSteps(apps: readonly AppCheck[]): void {
  for (const app of apps) {
    if (!app.dws || !('unifiedAppId' in app.dws)) continue;
    const unifiedAppId = app.dws.unifiedAppId;
    for (const r of app.results) {
      if (r.status !== 'missing') continue;
      const steps = [step('step.dws-request', { command: dwsAddCommand(unifiedAppId, [r.scope]) })];
      if (r.dws?.requiredApproval) steps.push(step('step.dws-approval', { unifiedAppId }));
      r.steps = [...(r.steps ?? []), ...steps];
    }
  }
}

/**
 * `diagnose` (offline, dws on PATH): the same fix for each missing-scope finding, with the lookup
 * of the unifiedAppId first (diagnose does not run dws: it may not be logged in, and it stays offline).
 */
export function attachDwsFindingSteps(findings: readonly Finding[], appKey: string | null): void {
  for (const f of findings) {
    const scopes = f.scopes.map((s) => s.code);
    if (f.cause !== 'missing-scope' || !scopes.length) continue;
    f.steps.push(step('step.dws-find-app', { appKey: f.appKey ?? appKey ?? '<AppKey>', command: dwsAddCommand('<unifiedAppId>', scopes) }));
  }
}
