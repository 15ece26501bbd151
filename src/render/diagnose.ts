/**
 * Renderers of a diagnosis: text (for people), JSON (one document), GitHub workflow
 * commands (annotations) and Markdown (PR comment / step summary), and of a `diagnose` run's
 * outcome (with what --apply requested or --replay sent). Pure: strings in, strings out;
 * present() decides where they go.
 */
import { annotation } from './github.js';
import { appliedJson, renderApplyText } from './apply.js';
import type { ErrorText } from '../errors.js';
import type { AppliedRequest } from '../core/check-dws.js';
import type { DiagnoseResult } from '../core/diagnose.js';
import type { DiagnoseJson, FindingJson, PlatformNote } from '../core/json.js';
import { CONSOLE_HOME } from '../core/advice-steps.js';
import type { Cause, Evidence, Finding, ScopeRef, Step, StepParam } from '../core/types.js';
import { mdCell, mdCode } from './markdown.js';
import { message, namesFor, onceTexts, outputNotes, sep, stepJson, stepTexts } from './messages.js';
import { SCHEMA_VERSION, type Lang, type OutputOptions } from './output.js';
import { styler } from './style.js';

export const causeLabel = (cause: Cause, lang: Lang) => message(`cause.${cause}`, {}, lang);

const evidenceText = (evidence: Evidence[], lang: Lang) => evidence.slice(0, 2).map((e) => message(`evidence.${e.kind}`, { value: e.value }, lang)).join(message('evidence.separator', {}, lang));

function platformText(f: Finding, lang: Lang): string | null {
  if (!f.platform) return null;
  return f.platform === 'assumed' ? message('platform.assumed', {}, lang) : message('platform.dingtalk', { evidence: evidenceText(f.evidence ?? [], lang) }, lang);
}

/** `note: …` lines for other platforms' errors (never findings, never a failure). */
function noteLines(notes: PlatformNote[], lang: Lang): string[] {
  return notes.map((n) =>
    message('note.other-platform', {
      where: `${n.source.input}:${n.source.line}`,
      times: n.count > 1 ? ` ×${n.count}` : '',
      platform: message(`platform.${n.platform}`, {}, lang),
      what: [n.code, evidenceText(n.evidence, lang)].filter(Boolean).join(message('evidence.separator', {}, lang)),
    }, lang),
  );
}

const kindLabel = (s: ScopeRef, lang: Lang) => message(`diag.kind.${s.kind}`, {}, lang);

const scopeName = (s: ScopeRef, lang: Lang) => namesFor(s.name, lang).join(' / ');

export const apiText = (f: Finding) => (f.api ? `${f.api.method ? `${f.api.method} ` : ''}${f.api.template ?? f.api.path}` : null);
const where = (f: Finding) => `${f.source.input}:${f.source.line}`;
export const errorText = (f: Finding) => [f.httpStatus, f.code, f.subCode ? `sub_code ${f.subCode}` : null].filter((x) => x !== null).join(' ');

export function headline(f: Finding, lang: Lang): string {
  // an inferred scope (name-match) is not put forward as the missing one: the scope line says what it is
  const scopes = f.scopes.filter((s) => s.via !== 'name-match').map((s) => s.code).join(', ');
  return `${causeLabel(f.cause, lang)}${scopes ? ` · ${scopes}` : ''}`;
}

const appTypeText = (t: NonNullable<Finding['appType']>, lang: Lang) =>
  message(`app-type.${t.via}`, { type: message(`ui.app-type.${t.type}`, {}, lang), app: t.app ?? '', source: t.source ?? '', evidence: t.evidence ?? '' }, lang);

/** Scopes the finding asks to request (a base scope is granted by default: nothing to request; a name-match is an inference). */
const toRequest = (f: Finding) => (f.cause === 'missing-scope' ? f.scopes.filter((s) => !s.base && s.via !== 'name-match') : []);

/** The console link helps where the fix is in the console: not for a bad request, a rate limit or the organization's authentication (the admin console's). */
const consoleHelps = (f: Finding) => f.cause !== 'other-error' && f.cause !== 'throttled' && f.cause !== 'org-auth-level';

/** The first line's action: a message id with its parameters, and the steps it already says (text output leaves them out). */
interface Action {
  id: string;
  params: Record<string, StepParam>;
  says: readonly string[];
  /** The fix is not in the Developer Console (DingTalk support, a closed API): no console link. */
  noConsole?: true;
}

const SIGN_IN_STEPS = ['step.sign-in', 'step.special-sign-in', 'step.sign-in-personal'];

/** Per cause without a scope to request: the action, and the steps it says (cause-fixes.json's ids). */
const CAUSE_ACTIONS: Partial<Record<Cause, { id: string; says: readonly string[] }>> = {
  throttled: { id: 'action.throttled', says: ['step.throttled'] },
  'invalid-token': { id: 'action.invalid-token', says: [] },
  'org-auth-level': { id: 'action.org-auth-level', says: [] },
  'app-not-authorized': { id: 'action.app-not-authorized', says: [] },
  'unknown-denial': { id: 'action.unknown-denial', says: ['step.check-app-settings'] },
  'other-error': { id: 'action.other-error', says: ['step.check-request'] },
};

const stepOf = (f: Finding, id: string) => f.steps.find((s) => s.id === id);

/** The action of a missing-scope finding: by what the steps say (an API's permission note, a sensitive or special scope, the app type). */
function scopeAction(f: Finding): Action | null {
  const url = f.consoleUrl;
  const search = stepOf(f, 'step.search-permission-name');
  if (search) return { id: 'action.search-name', params: { name: search.params.name!, url: search.params.consoleUrl! }, says: ['step.search-permission-name', 'step.scope-by-name-match'] };
  if (stepOf(f, 'step.api-closed')) return { id: 'action.api-closed', params: {}, says: ['step.api-closed'], noConsole: true };
  if (stepOf(f, 'step.api-no-request')) return { id: 'action.api-no-request', params: {}, says: ['step.api-no-request'] };
  const docs = stepOf(f, 'step.sensitive-docs');
  if (docs) return { id: 'action.request-sensitive', params: { url: docs.params.url! }, says: ['step.sensitive-intro', 'step.sensitive-docs', 'step.scope-from-source'], noConsole: true };
  if (toRequest(f).length) {
    const special = toRequest(f).some((s) => s.kind === 'special');
    const id = f.appType?.type === 'third-party-personal' ? 'action.request-personal' : special ? 'action.request-admin' : 'action.request';
    return { id, params: { url }, says: [...SIGN_IN_STEPS, 'step.scope-from-source'] };
  }
  if (f.scopes.length) return { id: 'action.base-scope', params: {}, says: ['step.scope-from-source'] };
  if (stepOf(f, 'step.find-scope-with-api')) return { id: 'action.name-api', params: {}, says: ['step.scope-not-named'] };
  if (stepOf(f, 'step.find-scope-in-docs')) return { id: 'action.find-in-docs', params: {}, says: ['step.scope-not-named'] };
  return null;
}

/** The action, gh style, for the first line: `→ request it: <apply link>`. */
function actionOf(f: Finding): Action | null {
  if (f.cause === 'missing-scope') return scopeAction(f);
  if (f.cause === 'ip-not-allowed') {
    return { id: f.callerIp ? 'action.allow-ip' : 'action.allow-egress-ip', params: { ip: f.callerIp ?? '', url: f.consoleUrl }, says: ['step.ip-not-listed', 'step.ip-not-listed-unknown'] };
  }
  const per = CAUSE_ACTIONS[f.cause];
  return per ? { ...per, params: { url: f.consoleUrl } } : null;
}

function actionText(action: Action, lang: Lang): string {
  // the personal app's console link is the console's home: say so, not as if it were the app's page
  const home = action.params.url === CONSOLE_HOME ? message('diag.console-home', {}, lang) : '';
  return `${message(action.id, action.params, lang)}${home}`;
}

/** Facts about one scope that its detail line says (the token kind it needs), instead of a numbered step. */
const SCOPE_NOTES: Readonly<Record<string, string>> = {
  'step.needs-user-token': 'diag.scope-note.needs-user-token',
  'step.needs-app-token': 'diag.scope-note.needs-app-token',
};

/** Steps one text line says together: the review follows the request it reviews. */
const JOINS_PREVIOUS: ReadonlySet<string> = new Set(['step.special-review']);

/**
 * The numbered steps of a finding's text: without what the first line or the detail lines already
 * say (the action, the scope's source), consecutive requests of several scopes on one line
 * ("search A, B"), and a review joined to its request. `--json` keeps every step as it is.
 */
function textSteps(f: Finding, action: Action | null, stepsOf: (steps: readonly Step[]) => string[], lang: Lang): string[] {
  const says = new Set([...(action?.says ?? []), ...Object.keys(SCOPE_NOTES)]);
  // a sign-in step with another link (the apply link of a second scope) is not said by the action
  const kept = f.steps.filter((s) => !says.has(s.id) || (SIGN_IN_STEPS.includes(s.id) && s.params.consoleUrl !== f.consoleUrl));
  const merged: Step[] = [];
  for (const s of kept) {
    const last = merged[merged.length - 1];
    if (last && s.id === 'step.request-scope' && last.id === s.id && JSON.stringify(last.params.app) === JSON.stringify(s.params.app)) {
      merged[merged.length - 1] = { id: s.id, params: { ...s.params, scope: `${last.params.scope}, ${s.params.scope}` } };
    } else merged.push(s);
  }
  const texts: string[] = [];
  for (const s of merged) {
    const [text] = stepsOf([s]); // none for a step said once per output, after the findings
    if (text === undefined) continue;
    if (JOINS_PREVIOUS.has(s.id) && texts.length) texts[texts.length - 1] += `${sep('sentence', lang)}${text}`;
    else texts.push(text);
  }
  return texts;
}

/** Terminal columns of a label: CJK characters take two (`调用方 IP` is 9 columns, not 6 or 12). */
const displayWidth = (s: string) => [...s].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);

export interface TextOptions {
  color: boolean;
  lang: Lang;
  /** Names of the inputs, for the "nothing found" line. */
  inputs: string[];
}

const LABELS = ['error', 'seen', 'scope', 'says', 'console'] as const;
type Label = (typeof LABELS)[number];

/** A scope on the detail line: code, name, kind, and where it came from when not from the error. */
function scopeText(s: ScopeRef, f: Finding, lang: Lang, bold: (t: string) => string): string {
  const name = scopeName(s, lang);
  const noteName = s.via === 'name-match' ? String(stepOf(f, 'step.scope-by-name-match')?.params.name ?? s.name.zh ?? '') : '';
  const via = s.via === 'error' ? '' : ` · ${message(`diag.scope-via.${s.via}`, { name: noteName }, lang)}`;
  const notes = f.steps.filter((step) => SCOPE_NOTES[step.id] && step.params.scope === s.code).map((step) => ` · ${message(SCOPE_NOTES[step.id]!, {}, lang)}`);
  return `${bold(s.code)}${name ? ` — ${name}` : ''} · ${kindLabel(s, lang)}${via}${notes.join('')}`;
}

/** The detail line of where the error was seen: place, request id, API, platform evidence, the app. */
function seenText(f: Finding, action: Action | null, lang: Lang, dim: (t: string) => string): string {
  const api = apiText(f);
  const platform = platformText(f, lang);
  const parts = [
    `${where(f)}${f.count > 1 ? message('diag.times', { count: f.count }, lang) : ''}`,
    f.requestId ? message('diag.request-id', { id: f.requestId }, lang) : null,
    api ? message(f.api?.via ? 'diag.api-via' : 'diag.api', { api, via: f.api?.via ? message(`via.${f.api.via}`, {}, lang) : '' }, lang) : null,
    platform ? dim(platform) : null,
    f.appKey ? message('diag.app-key', { appKey: f.appKey }, lang) : null,
    f.appType ? appTypeText(f.appType, lang) : null,
    // the action line already names the caller IP of an IP refusal
    f.callerIp && !(f.cause === 'ip-not-allowed' && action) ? message('diag.caller-ip', { ip: f.callerIp }, lang) : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The first line: `✖ App crm lacks Contact.User.Read → request it: <link>` when the app is known, else the cause. */
function firstLine(f: Finding, action: Action | null, lang: Lang, c: ReturnType<typeof styler>): string {
  const mark = f.cause === 'other-error' ? c.yellow('!') : c.red('✖');
  const app = f.appType?.app ?? f.appKey;
  const scopes = toRequest(f);
  const head = app && scopes.length && action?.id.startsWith('action.request')
    ? message('diag.headline.app-lacks', { app, scopes: scopes.map((s) => s.code).join(', ') }, lang)
    : headline(f, lang);
  return `${mark} ${c.bold(head)}${action ? c.cyan(actionText(action, lang)) : ''}`;
}

/**
 * A finding in 3–6 lines, gh style: the action on the first line; the error and its message; where it
 * was seen with the platform evidence and the app; the scopes; DingTalk's explanation; then the steps.
 */
function findingLines(f: Finding, opts: TextOptions, notes: ReturnType<typeof outputNotes>, label: (l: Label) => string): string[] {
  const c = styler(opts.color);
  const lang = opts.lang;
  const action = actionOf(f);
  const out = [firstLine(f, action, lang, c)];
  const err = [errorText(f), f.message].filter(Boolean).join(' · ');
  if (err) out.push(`  ${label('error')}${err}`);
  out.push(`  ${label('seen')}${seenText(f, action, lang, c.dim)}`);
  if (f.scopes.length) out.push(`  ${label('scope')}${f.scopes.map((s) => scopeText(s, f, lang, c.bold)).join(message('diag.scope-sep', {}, lang))}`);
  // DingTalk's own explanation of a missing scope says only "request the permission": the steps do
  if (f.explanation && f.cause !== 'missing-scope') out.push(`  ${label('says')}${f.explanation}`);
  const steps = textSteps(f, action, notes.stepsOf, lang);
  steps.forEach((text, i) => out.push(`  ${i + 1}. ${text}`));
  // the console link once: not when the action or a step already gives it
  const inAction = action ? actionText(action, lang).includes(f.consoleUrl) : false;
  if (!inAction && !action?.noConsole && consoleHelps(f) && !steps.some((step) => step.includes(f.consoleUrl))) out.push(`  ${label('console')}${c.cyan(f.consoleUrl)}`);
  return out;
}

export function renderDiagnoseText(result: DiagnoseResult, opts: TextOptions): string {
  const c = styler(opts.color);
  const names = Object.fromEntries(LABELS.map((l) => [l, message(`diag.label.${l}`, {}, opts.lang)])) as Record<Label, string>;
  const width = Math.max(...Object.values(names).map(displayWidth)) + 1;
  const label = (l: Label) => c.dim(names[l] + ' '.repeat(width - displayWidth(names[l])));

  if (result.findings.length === 0) {
    const none = message('diag.none', { names: opts.inputs.join(', ') }, opts.lang);
    return `${[none, ...noteLines(result.notes ?? [], opts.lang)].join('\n')}\n`;
  }
  const notes = outputNotes(opts.lang);
  const out: string[] = [];
  for (const f of result.findings) out.push(...findingLines(f, opts, notes, label), '');
  for (const note of notes.said()) out.push(c.dim(message('ui.note', { text: note }, opts.lang)));
  out.push(...noteLines(result.notes ?? [], opts.lang));
  out.push(summaryLine(result, opts.lang));
  return `${out.join('\n')}\n`;
}

const counted = (what: 'finding' | 'occurrence', n: number, lang: Lang) => message(`diag.count.${what}.${n === 1 ? 'one' : 'other'}`, { n }, lang);

/** The findings past the shown limit: counted, not listed. */
function notShownText(summary: DiagnoseResult['summary'], lang: Lang): string {
  const hidden = summary.notShown;
  if (!hidden) return '';
  const n = hidden.exact ? String(hidden.findings) : message('diag.at-least', { n: hidden.findings }, lang);
  return message(`diag.not-shown.${hidden.findings === 1 ? 'one' : 'other'}`, { n, occurrences: counted('occurrence', hidden.occurrences, lang) }, lang);
}

export function summaryLine(result: DiagnoseResult, lang: Lang): string {
  const { summary } = result;
  const missing = summary.missingScopes.length ? message('diag.summary.to-request', { list: summary.missingScopes.join(', ') }, lang) : ''; // base scopes are never in it (core/diagnose.ts)
  return message('diag.summary', { findings: counted('finding', summary.findings, lang), occurrences: counted('occurrence', summary.occurrences, lang), missing, notShown: notShownText(summary, lang) }, lang);
}

export function findingJson(f: Finding, lang: Lang = 'en'): FindingJson {
  return {
    cause: f.cause,
    scopes: f.scopes.map((s) => ({ code: s.code, kind: s.kind, name: s.name, via: s.via })),
    requestId: f.requestId,
    httpStatus: f.httpStatus,
    code: f.code,
    subCode: f.subCode,
    message: f.message,
    api: f.api ? { method: f.api.method, path: f.api.path, host: f.api.host ?? null, template: f.api.template ?? null, via: f.api.via ?? null } : null,
    source: f.source,
    count: f.count,
    consoleUrl: f.consoleUrl,
    explanation: f.explanation,
    steps: stepTexts(f.steps, lang),
    advice: f.steps.map((step) => stepJson(step, lang)),
    callerIp: f.callerIp,
    appKey: f.appKey,
    platform: f.platform ?? 'assumed',
    evidence: f.evidence ?? [],
    appType: f.appType ?? null,
  };
}

/** `lang` is the requested language of the texts (`--lang`; English by default, never the locale). */
export function diagnoseJson(result: DiagnoseResult, inputs: string[], lang: Lang = 'en'): DiagnoseJson {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'diagnose',
    inputs,
    findings: result.findings.map((f) => findingJson(f, lang)),
    notes: result.notes ?? [],
    summary: result.summary,
  };
}

/** What a `diagnose` run prints: the diagnosis of its inputs, and what --replay sent or --apply requested. */
export interface DiagnoseOutcome {
  diagnosis: DiagnoseResult;
  /** The inputs read (file names, `-`), or what was replayed. */
  inputs: string[];
  /** Set by --replay: what was sent and what came back. */
  replay?: ReplayAnswer;
  /** Set by --apply: what was requested through dws. */
  apply?: AppliedRequest[];
}

export interface ReplayAnswer {
  app: string;
  method: string;
  url: string;
  status: number;
  removedTokens: string[];
  /** The text's first line, `GET https://… as app "crm" → HTTP 403`, as a message (said in the --lang language). */
  headline: ErrorText;
}

/** A run's text: its findings, then what --apply requested; under --replay, the request's headline first. */
export function renderDiagnoseOutcomeText(r: DiagnoseOutcome, o: OutputOptions): string {
  const findings = renderDiagnoseText(r.diagnosis, { color: o.color, lang: o.lang, inputs: r.inputs });
  if (r.apply) return `${findings}\n\n${renderApplyText(r.apply, o)}`;
  if (!r.replay) return findings;
  const answer = r.diagnosis.findings.length ? findings : message(r.replay.status < 300 ? 'note.replay.succeeded' : 'note.replay.no-error', {}, o.lang);
  return `${message(r.replay.headline.id, r.replay.headline.params, o.lang)}\n${answer}`;
}

/** A run's --json document: the diagnosis, with what --apply requested or --replay sent. */
export function diagnoseOutcomeJson(r: DiagnoseOutcome, o: OutputOptions) {
  const doc = diagnoseJson(r.diagnosis, r.inputs, o.lang);
  if (r.apply) return { ...doc, apply: r.apply.map(appliedJson) };
  if (!r.replay) return doc;
  const { app, method, url, status, removedTokens } = r.replay;
  return { ...doc, replay: { app, method, url, status, removedTokens } };
}


export function renderDiagnoseGithub(result: DiagnoseResult, lang: Lang): string {
  const texts = onceTexts(lang);
  const lines = result.findings.flatMap((f) => {
    const level = f.cause === 'other-error' ? 'warning' : 'error';
    const body = [
      [errorText(f), apiText(f), f.count > 1 ? `${f.count}×` : null].filter(Boolean).join(' · '),
      ...(f.explanation ? [f.explanation] : []),
      ...texts(f.steps).map((s, i) => `${i + 1}. ${s}`),
      ...(consoleHelps(f) ? [f.consoleUrl] : []),
    ];
    // One annotation per missing scope (a body naming two scopes is two things to request).
    const titles = f.cause === 'missing-scope' && f.scopes.length > 1
      ? f.scopes.map((s) => `${causeLabel(f.cause, lang)} · ${s.code}`)
      : [headline(f, lang)];
    const where = f.source.input !== '-' ? { file: f.source.input, line: f.source.line } : {};
    return titles.map((title) => annotation(level, { ...where, title: message('github.title', { title }, lang) }, body.join('\n')));
  });
  lines.push(summaryLine(result, lang));
  return `${lines.join('\n')}\n`;
}

const cell = mdCell;

export function renderDiagnoseMarkdown(result: DiagnoseResult, lang: Lang): string {
  const out: string[] = [message('diag.md.title', {}, lang), ''];
  // Other platforms' errors: one note line each (escaped like a cell: text from a log never opens HTML).
  const notes = noteLines(result.notes ?? [], lang).map((n) => `- ${cell(n)}`);
  if (result.findings.length === 0) {
    out.push(message('diag.md.none', {}, lang));
    if (notes.length) out.push('', ...notes);
    return `${out.join('\n')}\n`;
  }
  out.push(
    message('diag.md.header', {}, lang),
    '|---|---|---|---|---|---|',
  );
  for (const f of result.findings) {
    const scopes = f.scopes.map((s) => {
      const name = scopeName(s, lang);
      return `${mdCode(s.code)}${name ? ` ${cell(name)}` : ''} (${kindLabel(s, lang)})`;
    });
    const api = apiText(f);
    const cells = [cell(causeLabel(f.cause, lang)), scopes.join('<br>') || '—', api ? mdCode(api) : '—', cell(errorText(f)) || '—', mdCode(where(f)), String(f.count)];
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('');
  const texts = onceTexts(lang);
  for (const f of result.findings) {
    out.push(`<details><summary>${cell(headline(f, lang))} — ${cell(where(f))}</summary>`, '');
    if (f.explanation) out.push(`> ${f.explanation}`, '');
    texts(f.steps).forEach((s, i) => out.push(`${i + 1}. ${s}`));
    if (consoleHelps(f)) out.push('', message('diag.md.console', { url: f.consoleUrl }, lang));
    out.push('', '</details>', '');
  }
  if (notes.length) out.push(...notes, '');
  out.push(summaryLine(result, lang));
  return `${out.join('\n')}\n`;
}
