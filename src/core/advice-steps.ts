/**
 * What to tell the user, as message ids (src/messages/*.json): how to request a scope (by kind
 * and app type), the Developer Console link, and the fix for every Cause (cause-fixes.json).
 * Steps follow DingTalk's own procedures (../shared/docs/dingtalk-facts.md §1, §6).
 * Pure: no I/O, no language — src/render fills the texts in. Used by diagnose, `scopes show`, `check`.
 */
import CAUSE_FIXES from './cause-fixes.json' with { type: 'json' };
import type { ApiPermissionNote, ScopeNotes } from '../catalog/types.js';
import type { AppType, Cause, ScopeKind, Step, StepParam } from './types.js';

/** The facts about a scope the steps depend on (a catalog ScopeInfo fits). */
export interface ScopeFacts {
  code: string;
  kind: ScopeKind;
  /** Granted to every app of its type by default (qyapi_base, isvapi_base, …). */
  base?: boolean;
  /** DingTalk's sensitive scopes (qyapi_manage_addresslist, Notable.Base.*): support + unified authorization kit. */
  sensitive?: boolean;
  /** Edition gate, closed applications, access type, confidence (catalog ScopeNotes, from the supplement). */
  notes?: ScopeNotes | null;
}

/** Who the advice is for: the app (its key and type) when known. */
export interface AppContext {
  appType?: AppType | null;
  appKey?: string | null;
}

export const CONSOLE_APPS_INTERNAL = 'https://open-dev.dingtalk.com/fe/app#/corp/app';
export const CONSOLE_APPS_ISV = 'https://open-dev.dingtalk.com/fe/app#/isv/app';
/** The Developer Console's home: no sourced list page of third-party personal apps is known, so their advice starts here. */
export const CONSOLE_HOME = 'https://open-dev.dingtalk.com/';
export const DOC_ADD_PERMISSION = 'https://open.dingtalk.com/document/orgapp-server/add-api-permission';
export const DOC_SENSITIVE = 'https://open.dingtalk.com/document/development/use-sensitive-permissions';

/**
 * What DingTalk's sensitive-permission table (DOC_SENSITIVE) says per scope: who may grant it in
 * each organization, and whether new applications are accepted at all ("暂不支持新增申请").
 */
const SENSITIVE_GRANTERS: Record<string, string> = { qyapi_manage_addresslist: 'granter.contacts-admin' };

const isThirdParty = (t: AppType | null | undefined) => t === 'third-party-enterprise' || t === 'third-party-personal';

export const step = (id: string, params: Record<string, StepParam> = {}): Step => ({ id, params });

/** A text that has no message id yet (English only: the token endpoint's fixes); `--json` still gets `{ id, params }`. */
export const untranslated = (text: string): Step => step('text.untranslated', { text });

/**
 * Developer Console link: the per-app apply link for one scope when the app key is
 * known (the form DingTalk's own error messages carry), else the app list for the app type.
 */
export function consoleUrl(opts: { appKey?: string | null; scope?: string | null; appType?: AppType | null } = {}): string {
  if (opts.appKey && opts.scope) {
    return `https://open-dev.dingtalk.com/appscope/apply?content=${encodeURIComponent(opts.appKey)}%23${encodeURIComponent(opts.scope)}`;
  }
  if (opts.appType === 'third-party-personal') return CONSOLE_HOME;
  return opts.appType === 'third-party-enterprise' ? CONSOLE_APPS_ISV : CONSOLE_APPS_INTERNAL;
}

const appName = (ctx: AppContext): Step => (ctx.appKey ? step('app.with-key', { appKey: ctx.appKey }) : step('app.unnamed'));

function sensitiveSteps(scope: ScopeFacts, app: Step): Step[] {
  return [
    step('step.sensitive-intro', { scope: scope.code }),
    step(scope.notes?.closed ? 'step.sensitive-ask-support-closed' : 'step.sensitive-ask-support', { app }),
    step('step.sensitive-grant', { granter: step(SENSITIVE_GRANTERS[scope.code] ?? 'granter.named-role') }),
    step('step.sensitive-docs', { url: DOC_SENSITIVE }),
  ];
}

/** What must hold before any request can work (the supplement's facts), said first. */
function preconditions(scope: ScopeFacts, ctx: AppContext): Step[] {
  const notes = scope.notes ?? {};
  const steps: Step[] = [];
  if (notes.edition) steps.push(step('step.edition-required', { scope: scope.code, edition: notes.edition }));
  if (notes.closed && !scope.sensitive) steps.push(step('step.scope-closed', { scope: scope.code }));
  if (notes.registerFirst) steps.push(step('step.register-first', { scope: scope.code }));
  if (notes.confidence === 'low') steps.push(step('step.scope-low-confidence', { scope: scope.code }));
  // The other kind of token than the scope is granted to (DingTalk's developer wiki: 委托类型 / 应用类型).
  if (notes.access === 'delegated' && ctx.appType && ctx.appType !== 'third-party-personal') steps.push(step('step.needs-user-token', { scope: scope.code }));
  if (notes.access === 'application' && ctx.appType === 'third-party-personal') steps.push(step('step.needs-app-token', { scope: scope.code }));
  return steps;
}

/** A personal app's sign-in: the apply link, or the console's home — said plainly, as no personal-app page link is published. */
const personalSignIn = (link: string) => step('step.sign-in-personal', { consoleUrl: link, page: step(link === CONSOLE_HOME ? 'page.console-home' : 'page.apply') });

/** Steps to get `scope` granted to the app, in order. */
export function requestSteps(scope: ScopeFacts, ctx: AppContext): Step[] {
  if (scope.base) return [step('step.base-scope', { scope: scope.code })];
  const app = appName(ctx);
  const link = consoleUrl({ appKey: ctx.appKey, scope: scope.code, appType: ctx.appType });
  const steps: Step[] = preconditions(scope, ctx);
  if (scope.sensitive) steps.push(...sensitiveSteps(scope, app));
  else if (scope.kind === 'special') {
    steps.push(
      // a personal app has no organization, so no organization admin signs in for it
      ctx.appType === 'third-party-personal' ? personalSignIn(link) : step('step.special-sign-in', { consoleUrl: link }),
      step('step.special-request', { app, scope: scope.code }),
      step('step.special-review'),
      step('step.special-declined'),
    );
  } else {
    steps.push(ctx.appType === 'third-party-personal' ? personalSignIn(link) : step('step.sign-in', { consoleUrl: link }), step('step.request-scope', { app, scope: scope.code }));
    if (scope.kind === 'unknown') steps.push(step('step.kind-unknown'));
  }
  // Sensitive scopes: the per-organization grant through the authorization kit is step 3 already.
  if (ctx.appType === 'third-party-enterprise' && !scope.sensitive) steps.push(step('step.isv-reauthorize'));
  // A personal app's scopes reach a user's token only through that user's OAuth consent.
  if (ctx.appType === 'third-party-personal') steps.push(step('step.personal-reconsent'));
  steps.push(step('step.per-app'));
  return steps;
}

export interface FixContext extends AppContext {
  /** The caller's egress IP the error carried (60020 / IpNotInWhiteList). */
  callerIp?: string | null;
  /** DingTalk's explanation of the error code, when known. */
  explanation?: string | null;
  /** Which flag would let the tool name the scope (missing-scope without a scope). */
  missingApi?: boolean;
}

type Condition = 'third-party' | 'enterprise' | 'personal' | 'internal' | 'ip' | 'no-ip' | 'explanation' | 'no-explanation' | 'api-given' | 'no-api';
/** cause-fixes.json: per cause, the steps (message ids), when each applies, and which facts of the error it takes. */
export type CauseFixes = Record<Cause, { sources: string[]; steps: Array<{ id: string; if?: Condition[]; params?: string[] }> }>;
const { $comment: _about, ...fixesByCause } = CAUSE_FIXES;
export const CAUSE_FIX_TABLE = fixesByCause as unknown as CauseFixes;

/** Fix steps per cause, from cause-fixes.json (for missing-scope with scopes named, use requestSteps per scope). */
export function fixFor(cause: Cause, ctx: FixContext): Step[] {
  const holds: Record<Condition, boolean> = {
    'third-party': isThirdParty(ctx.appType),
    enterprise: ctx.appType === 'third-party-enterprise',
    personal: ctx.appType === 'third-party-personal',
    internal: !isThirdParty(ctx.appType),
    ip: Boolean(ctx.callerIp),
    'no-ip': !ctx.callerIp,
    explanation: Boolean(ctx.explanation),
    'no-explanation': !ctx.explanation,
    'api-given': ctx.missingApi === false,
    'no-api': ctx.missingApi !== false,
  };
  const facts: Record<string, string | null | undefined> = { consoleUrl: consoleUrl({ appType: ctx.appType }), ip: ctx.callerIp, text: ctx.explanation };
  return CAUSE_FIX_TABLE[cause].steps
    .filter((s) => (s.if ?? []).every((c) => holds[c]))
    .map((s) => step(s.id, Object.fromEntries((s.params ?? []).map((name) => [name, facts[name] ?? '']))));
}

/**
 * A missing-scope error on an API whose official page prints no scope code, only the permission's
 * Chinese name or a status (shared/catalog/supplement/api-scope-names-only.tsv). Null when the
 * catalog knows nothing of the kind.
 */
export function permissionNoteSteps(note: ApiPermissionNote | null | undefined, api: string, ctx: AppContext): Step[] | null {
  if (!note || !(note.closed || note.zh || note.noRequest)) return null;
  // Steps that cannot work are not given: say that no application is accepted.
  if (note.closed) return [step('step.api-closed', { api })];
  if (note.noRequest) return [step('step.api-no-request', { api })];
  const steps = [step('step.search-permission-name', { name: note.zh!, consoleUrl: consoleUrl({ appType: ctx.appType }) })];
  if (note.nameMatch) steps.push(step('step.scope-by-name-match', { name: note.zh!, scope: note.nameMatch }));
  steps.push(step('step.per-app'));
  return steps;
}
