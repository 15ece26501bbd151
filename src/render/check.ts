/**
 * `check` output: text (a table per app, then the steps for every missing scope), JSON,
 * GitHub Actions workflow commands (+ a job-summary table) and a markdown table.
 * Pure: returns strings, the command writes them.
 */
import { annotation } from './github.js';
import type { AppCheck, CheckStatus, CheckSummary, ScopeResult } from '../core/check.js';
import { mdCell, mdCode } from './markdown.js';
import { message, nameIn, onceTexts, stepJson, stepTexts } from './messages.js';
import { SCHEMA_VERSION, type Lang, type OutputOptions } from './output.js';
import { styler } from './style.js';

const nameOf = (r: { name: { zh: string | null; en: string | null } }, lang: Lang) => nameIn(r.name, lang) ?? '';

/** The app type as the app's heading says it (`internal` in English, 企业内部应用 in Chinese). */
const typeOf = (app: AppCheck, lang: Lang) => message(`ui.check.type.${app.type}`, {}, lang);

const kindLabel = (kind: string, lang: Lang) => message(`ui.kind.${kind}`, {}, lang);
const kindOf = (r: ScopeResult, lang: Lang = 'en') => (r.base ? message('ui.kind.base', { kind: kindLabel(r.kind, lang) }, lang) : kindLabel(r.kind, lang));

/** The status, with where it came from when dws had a say ("missing (dws)", "granted (probe+dws)"). */
const statusOf = (r: ScopeResult, lang: Lang = 'en') => {
  const status = message(`ui.status.${r.status}`, {}, lang);
  return r.source === 'dws' ? message('ui.dws.status-dws', { status }, lang) : r.source === 'both' ? message('ui.dws.status-both', { status }, lang) : status;
};

/** The app's dws line: its unifiedAppId, or why dws could not read it. */
const dwsLineOf = (app: AppCheck, lang: Lang) => (!app.dws ? null : 'unifiedAppId' in app.dws ? `unifiedAppId ${app.dws.unifiedAppId}` : message('ui.dws.failed-probes-decided', { failure: app.dws.failureText ?? app.dws.failure }, lang));

/** The probe's and dws's disagreement in `lang`. */
const disagreementOf = (r: ScopeResult, lang: Lang) => (r.disagreementText ? message(r.disagreementText.id, r.disagreementText.params, lang) : r.disagreement);

/** Terminal width of a string: CJK and full-width characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - width(text)));
const clip = (text: string, max: number) => {
  if (width(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (width(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
};

const detailOf = (r: Pick<ScopeResult, 'detail' | 'detailId' | 'detailText'>, lang: Lang) =>
  r.detailText ? message(r.detailText.id, r.detailText.params, lang) : r.detailId ? message(r.detailId, {}, lang) : r.detail;

/** An unmapped API's detail in `lang`: check-runner's one text (ui.check.unmapped-api) in that language, any other as given. */
const unmappedDetail = (u: { detail: string }, lang: Lang) => (u.detail === message('ui.check.unmapped-api', {}, 'en') ? message('ui.check.unmapped-api', {}, lang) : u.detail);

/** A not-verified entry of the summary in `lang`: its scope's detail, or the unmapped API's. */
function unverifiedDetail(apps: readonly AppCheck[], u: CheckSummary['unverified'][number], lang: Lang): string {
  const app = apps.find((a) => a.name === u.app);
  const result = app?.results.find((r) => r.scope === u.scope);
  if (result) return detailOf(result, lang);
  const unmapped = app?.unmappedApis.find((a) => a.api === u.scope);
  return unmapped ? unmappedDetail(unmapped, lang) : u.detail;
}

/** The app error's message in `lang` (its text when it has one). */
const appErrorMessage = (error: NonNullable<AppCheck['error']>, lang: Lang) => (error.text ? message(error.text.id, error.text.params, lang) : error.message);

function whatToDo(r: ScopeResult, lang: Lang): string {
  switch (r.status) {
    case 'missing':
      return message('ui.check.todo.missing', {}, lang);
    case 'granted':
      return message(r.base ? 'ui.check.todo.base' : 'ui.check.todo.nothing', {}, lang);
    case 'unverifiable':
      return detailOf(r, lang);
    case 'error':
      return detailOf(r, lang);
  }
}

/** "2 missing, 5 granted, 0 unverifiable, 1 error": the one summary line of every format. */
export { appErrorMessage, detailOf, unmappedDetail };

export const summaryCounts = (s: CheckSummary, lang: Lang = 'en') =>
  message('ui.check.summary-counts', { missing: s.missing.length, granted: s.granted, unverifiable: s.unverifiable, errors: s.errors }, lang).replace('error(s)', s.errors === 1 ? 'error' : 'errors');

export function renderCheckText(apps: readonly AppCheck[], summary: CheckSummary, opts: OutputOptions): string {
  const c = styler(opts.color);
  const paint: Record<CheckStatus, (s: string) => string> = { granted: c.green, missing: c.red, unverifiable: c.yellow, error: c.magenta };
  const lines: string[] = [];
  const texts = onceTexts(opts.lang);
  for (const app of apps) {
    const key = app.appKey ? message('ui.check.app-key', { appKey: app.appKey }, opts.lang) : '';
    lines.push(c.bold(message('ui.check.app', { name: app.name, type: typeOf(app, opts.lang), key }, opts.lang)));
    if (app.error) {
      lines.push(`  ${c.red(message('ui.check.error', {}, opts.lang))}: ${app.error.cause}${app.error.code ? ` (${app.error.code})` : ''}: ${appErrorMessage(app.error, opts.lang)}`);
      for (const step of stepTexts(app.error.steps, opts.lang)) lines.push(`    - ${step}`);
    }
    const dwsLine = dwsLineOf(app, opts.lang);
    if (dwsLine) lines.push(`  dws: ${dwsLine}`);
    const rows = app.results.map((r) => [r.scope, clip(nameOf(r, opts.lang), 24), kindOf(r, opts.lang), statusOf(r, opts.lang), clip(whatToDo(r, opts.lang), 90)]);
    const statuses: CheckStatus[] = app.results.map((r) => r.status);
    for (const u of app.unmappedApis) {
      rows.push([u.api, '', kindLabel('unknown', opts.lang), message('ui.status.unverifiable', {}, opts.lang), clip(unmappedDetail(u, opts.lang), 90)]);
      statuses.push('unverifiable');
    }
    if (rows.length === 0) lines.push(message('ui.check.nothing', {}, opts.lang));
    else {
      const header = message('ui.check.header', {}, opts.lang).split('|');
      const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
      lines.push(`  ${c.dim(header.map((h, i) => (i < 4 ? pad(h, widths[i]!) : h)).join('  '))}`);
      rows.forEach((row, n) => {
        const status = statuses[n]!;
        lines.push(`  ${row.map((cell, i) => (i === 3 ? paint[status](pad(cell, widths[i]!)) : i < 4 ? pad(cell, widths[i]!) : cell)).join('  ')}`);
      });
    }
    for (const r of app.results.filter((x) => x.disagreement)) lines.push(`  ${c.yellow('!')} ${r.scope}: ${disagreementOf(r, opts.lang)}`);
    for (const r of app.results.filter((x) => x.status === 'missing')) {
      // The action first (gh style), the details after.
      const name = nameOf(r, opts.lang) ? ` (${nameOf(r, opts.lang)})` : '';
      const link = r.consoleUrl ? message('action.request', { url: r.consoleUrl }, opts.lang) : '';
      lines.push('', `  ${c.red('✖')} ${c.bold(message('diag.headline.app-lacks', { app: app.name, scopes: r.scope }, opts.lang))}${name}${link}`);
      texts(r.steps ?? []).forEach((step, i) => lines.push(`    ${i + 1}. ${step}`));
    }
    lines.push('');
  }
  if (summary.unverified.length) {
    const hint = opts.quiet ? '' : message('ui.check.fail-on-hint', {}, opts.lang);
    lines.push(c.yellow(message('ui.check.not-verified', { n: summary.unverified.length, hint }, opts.lang)));
    for (const u of summary.unverified) {
      lines.push(`  ${u.app}  ${u.scope} — ${unverifiedDetail(apps, u, opts.lang)}`);
    }
    lines.push('');
  }
  lines.push(message('ui.check.summary', { counts: summaryCounts(summary, opts.lang) }, opts.lang));
  return lines.join('\n');
}

/** The app error as --json carries it: its message in English, not its message ids. */
const withoutText = ({ text: _, ...error }: NonNullable<AppCheck['error']>) => error;

/** `lang` is the requested language of the texts (`--lang`; English by default, never the locale). */
export function checkJson(apps: readonly AppCheck[], summary: CheckSummary, lang: Lang = 'en') {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'check' as const,
    apps: apps.map((app) => ({
      name: app.name,
      type: app.type,
      appKey: app.appKey,
      results: [
        ...app.results.map((r) => ({
          scope: r.scope,
          name: r.name,
          status: r.status,
          kind: r.kind,
          base: r.base,
          probe: r.probe,
          detail: r.detail,
          source: r.source,
          ...(r.dws ? { dws: r.dws } : {}),
          ...(r.disagreement ? { disagreement: r.disagreement } : {}),
          ...(r.consoleUrl ? { consoleUrl: r.consoleUrl } : {}),
          ...(r.steps ? { steps: stepTexts(r.steps, lang), advice: r.steps.map((s) => stepJson(s, lang)) } : {}),
        })),
      ],
      unmappedApis: app.unmappedApis,
      ...(app.error ? { error: { ...withoutText(app.error), steps: stepTexts(app.error.steps, lang), advice: app.error.steps.map((s) => stepJson(s, lang)) } } : {}),
      ...(app.dws ? { dws: 'failure' in app.dws ? { failure: app.dws.failure } : app.dws } : {}),
    })),
    summary,
  };
}


/** Per app, per scope: the config file and line of the `required` entry it came from. */
export type RequiredWhere = Map<string, Map<string, { file: string; line: number }>>;

export function renderCheckGithub(apps: readonly AppCheck[], summary: CheckSummary, opts: OutputOptions, where: RequiredWhere = new Map()): string {
  const t = (id: string, params: Record<string, string | number>) => message(id, params, opts.lang);
  const lines: string[] = [];
  for (const app of apps) {
    if (app.error) {
      const steps = app.error.steps.length ? ` — ${stepTexts(app.error.steps, opts.lang).join(' ')}` : '';
      lines.push(annotation('error', { title: t('ui.ci.app-error', { app: app.name, cause: app.error.cause }) }, `${appErrorMessage(app.error, opts.lang)}${steps}`));
    }
    const at = (scope: string) => where.get(app.name)?.get(scope) ?? {};
    for (const r of app.results) {
      const name = nameOf(r, opts.lang);
      if (r.status === 'missing') {
        const body = t(name ? 'ui.ci.check-lacks-named' : 'ui.ci.check-lacks', { app: app.name, scope: r.scope, name, url: r.consoleUrl ?? '' });
        lines.push(annotation('error', { ...at(r.scope), title: t('ui.ci.check-missing', { scope: r.scope, app: app.name }) }, body));
      } else if (r.status === 'unverifiable') {
        lines.push(annotation('warning', { ...at(r.scope), title: t('ui.ci.check-unverified', { scope: r.scope, app: app.name }) }, detailOf(r, opts.lang)));
      }
      if (r.disagreement) {
        lines.push(annotation('warning', { ...at(r.scope), title: t('ui.ci.check-disagree', { scope: r.scope, app: app.name }) }, disagreementOf(r, opts.lang) ?? ''));
      } else if (r.status === 'error' && !app.error) {
        lines.push(annotation('warning', { ...at(r.scope), title: t('ui.ci.check-not-checked', { scope: r.scope, app: app.name }) }, detailOf(r, opts.lang)));
      }
    }
    for (const u of app.unmappedApis) lines.push(annotation('warning', { title: t('ui.ci.check-unverified-api', { api: u.api, app: app.name }) }, unmappedDetail(u, opts.lang)));
  }
  if (summary.unverified.length) {
    const list = summary.unverified.map((u) => t('ui.ci.scope-of-app', { scope: u.scope, app: u.app })).join(', ');
    lines.push(`dingtalk-doctor check: ${t('ui.ci.not-verified', { n: summary.unverified.length, list })}`);
  }
  lines.push(`dingtalk-doctor check: ${summaryCounts(summary, opts.lang)}`);
  return lines.join('\n');
}

const cell = mdCell;
const ICON: Record<CheckStatus, string> = { granted: '✅', missing: '❌', unverifiable: '⚠️', error: '⛔' };
const statusCell = (status: CheckStatus, lang: Lang) => `${ICON[status]} ${message(`ui.status.${status}`, {}, lang)}`;

export function renderCheckMarkdown(apps: readonly AppCheck[], summary: CheckSummary, opts: OutputOptions): string {
  const lines: string[] = ['## dingtalk-doctor check', ''];
  for (const app of apps) {
    lines.push(`### ${message('ui.md.app', { name: mdCode(app.name), type: typeOf(app, opts.lang) }, opts.lang)}`, '');
    if (app.error) lines.push(`> **${app.error.cause}**${app.error.code ? ` (\`${app.error.code}\`)` : ''}: ${cell(appErrorMessage(app.error, opts.lang))}`, ...stepTexts(app.error.steps, opts.lang).map((s) => `> - ${cell(s)}`), '');
    const rows = app.results.map((r) => {
      const request = message('ui.md.request', {}, opts.lang);
      const todo = r.status === 'missing' ? (r.consoleUrl ? `[${request}](${r.consoleUrl})` : request) : r.status === 'granted' ? (r.base ? message('ui.md.nothing-base', {}, opts.lang) : '—') : detailOf(r, opts.lang);
      return `| ${mdCode(r.scope)} | ${cell(nameOf(r, opts.lang))} | ${kindOf(r, opts.lang)} | ${statusCell(r.status, opts.lang)} | ${cell(todo)} |`;
    });
    for (const u of app.unmappedApis) rows.push(`| ${mdCode(u.api)} |  | ${kindLabel('unknown', opts.lang)} | ${statusCell('unverifiable', opts.lang)} | ${cell(unmappedDetail(u, opts.lang))} |`);
    if (rows.length) lines.push(message('ui.md.header', {}, opts.lang), '|---|---|---|---|---|', ...rows, '');
    else lines.push(`_${message('ui.md.nothing', {}, opts.lang)}_`, '');
  }
  if (summary.unverified.length) {
    lines.push(`### ${message('ui.md.not-verified', { n: summary.unverified.length }, opts.lang)}`, '', `_${message('ui.md.not-verified-note', {}, opts.lang)}_`, '');
    for (const u of summary.unverified) lines.push(`- ${message('ui.ci.scope-of-app', { scope: mdCode(u.scope), app: mdCode(u.app) }, opts.lang)}: ${cell(unverifiedDetail(apps, u, opts.lang))}`);
    lines.push('');
  }
  lines.push(`**${message('ui.md.summary', {}, opts.lang)}** ${summaryCounts(summary, opts.lang)}`);
  return lines.join('\n');
}
