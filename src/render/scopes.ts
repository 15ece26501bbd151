/**
 * Output of the `scopes` subcommands: text tables, markdown tables and the --json documents.
 * Pure: takes catalog answers, returns strings / plain objects.
 */
import { mdCell } from './markdown.js';
import type { ApiInfo, Catalog, Coverage, LearnedEntry, ScopeInfo, SearchHit } from '../catalog/index.js';
import type { ForAnswer } from '../catalog/resolve.js';
import { consoleUrl, DOC_ADD_PERMISSION, DOC_SENSITIVE, requestSteps } from '../core/advice-steps.js';
import type { Step, StepParam } from '../core/types.js';
import { message, nameIn, sep, stepJson, stepTexts } from './messages.js';
import type { AppType } from '../core/types.js';
import { SCHEMA_VERSION, type Lang, type OutputOptions } from './output.js';
import { styler } from './style.js';

type Ctx = Pick<OutputOptions, 'format' | 'color' | 'lang'> & { quiet?: boolean };

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
/** Terminal columns of a string (CJK counts 2). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/** A table as aligned text or as a markdown table. */
export function table(headers: string[], rows: string[][], markdown: boolean): string {
  if (markdown) {
    return [
      `| ${headers.map(mdCell).join(' | ')} |`,
      `| ${headers.map(() => '---').join(' | ')} |`,
      ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
    ].join('\n');
  }
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - displayWidth(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export const nameOf = (scope: ScopeInfo, lang: Lang) => nameIn(scope.name, lang) ?? '';

const flagsOf = (s: ScopeInfo, lang: Lang) => [s.base ? message('ui.flag.base', {}, lang) : '', s.sensitive ? message('ui.flag.sensitive', {}, lang) : ''].filter(Boolean).join(',');
const kindLabel = (kind: string, lang: Lang) => message(`ui.kind.${kind}`, {}, lang);
/** Column headers, in the output's language. */
const cols = (names: string[], lang: Lang) => names.map((n) => (n === '#' ? n : message(`ui.col.${n}`, {}, lang)));
const apiLabel = (a: ApiInfo) => `${a.method ?? '*'} ${a.host === 'oapi.dingtalk.com' ? 'oapi ' : ''}${a.path}`;
const appTypeLabel = (t: AppType, lang: Lang) => message(`ui.app-type.${t}`, {}, lang);

export function scopeJson(s: ScopeInfo) {
  return {
    code: s.code,
    name: s.name,
    kind: s.kind,
    base: s.base,
    sensitive: s.sensitive,
    apis: s.apis.length,
    probe: s.probe,
  };
}

function apiJson(a: ApiInfo) {
  return {
    id: a.id,
    method: a.method,
    host: a.host,
    path: a.path,
    product: a.product,
    action: a.action,
    sdkMethod: a.sdkMethod,
    summary: a.summary,
    scopes: a.scopes,
    ...(a.observed ? { observed: a.observed } : {}),
    appTypes: a.appTypes,
    sources: a.sources,
  };
}

// ---------------------------------------------------------------- list

export function listDoc(scopes: ScopeInfo[], filter: { kind?: string | null; product?: string | null }) {
  return { schemaVersion: SCHEMA_VERSION, command: 'scopes list', filter, count: scopes.length, scopes: scopes.map(scopeJson) };
}

export function renderList(scopes: ScopeInfo[], ctx: Ctx): string {
  const rows = scopes.map((s) => [s.code, kindLabel(s.kind, ctx.lang), flagsOf(s, ctx.lang), String(s.apis.length), s.probe ? message('ui.yes', {}, ctx.lang) : '', nameOf(s, ctx.lang)]);
  const body = table(cols(['scope', 'kind', 'flags', 'apis', 'probe', 'name'], ctx.lang), rows, ctx.format === 'markdown');
  return ctx.format === 'markdown' ? body : `${body}\n\n${message('ui.list.count', { n: scopes.length }, ctx.lang)}`;
}

// ---------------------------------------------------------------- search

export function searchDoc(query: string, hits: SearchHit[]) {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'scopes search',
    query,
    results: hits.map((h, i) => ({ rank: i + 1, score: h.score, why: h.why, ...scopeJson(h.scope) })),
  };
}

/** The search's field labels ("code: contact; API path: user (as users)"), by message id. */
const WHY_FIELDS: Record<string, string> = { code: 'code', name: 'name', 'API path': 'api-path', 'API summary': 'api-summary', phrase: 'phrase' };

/** A hit's `why` in `lang`: the search writes its field labels in English (as --json keeps them). */
function whyText(why: string, lang: Lang): string {
  if (lang === 'en') return why;
  return why
    .split('; ')
    .map((part) => {
      const m = /^(code|name|API path|API summary|phrase)(?: \(as ([^)]*)\))?: (.*)$/.exec(part);
      if (!m) return part;
      const field = message(`ui.search.field.${WHY_FIELDS[m[1]!]!}`, {}, lang);
      return message('ui.search.why', { field: m[2] ? message('ui.search.as', { field, alt: m[2] }, lang) : field, terms: m[3]! }, lang);
    })
    .join(message('ui.search.separator', {}, lang));
}

export function renderSearch(hits: SearchHit[], ctx: Ctx): string {
  const rows = hits.map((h, i) => [String(i + 1), h.scope.code, kindLabel(h.scope.kind, ctx.lang), nameOf(h.scope, ctx.lang), whyText(h.why, ctx.lang)]);
  return table(cols(['#', 'scope', 'kind', 'name', 'matched'], ctx.lang), rows, ctx.format === 'markdown');
}

// ---------------------------------------------------------------- show

export interface ShowOptions {
  appType?: AppType | null;
  appKey?: string | null;
}

function appTypesFor(scope: ScopeInfo, catalog: Catalog, opts: ShowOptions): AppType[] {
  if (opts.appType) return [opts.appType];
  const types = new Set<AppType>();
  for (const id of scope.apis) for (const t of catalog.api(id)?.appTypes ?? []) types.add(t);
  // No doc says which app types call it: show the two common procedures.
  return types.size ? (['internal', 'third-party-enterprise', 'third-party-personal'] as AppType[]).filter((t) => types.has(t)) : ['internal', 'third-party-enterprise'];
}

function docLinks(scope: ScopeInfo, catalog: Catalog): string[] {
  const links = new Set<string>();
  for (const id of scope.apis) {
    for (const s of catalog.api(id)?.sources ?? []) {
      const m = s.match(/^docs: (\S+)/);
      if (m?.[1] && !s.endsWith('(archived)')) links.add(m[1]);
    }
  }
  return [...links].sort().slice(0, 5);
}

function showFacts(scope: ScopeInfo, catalog: Catalog, opts: ShowOptions, lang: 'zh' | 'en') {
  const apis = scope.apis.map((id) => catalog.api(id)).filter((a): a is ApiInfo => Boolean(a));
  // One block per distinct procedure: app types whose steps are the same share it.
  const steps: Array<{ appTypes: AppType[]; steps: string[]; advice: Step[] }> = [];
  for (const appType of appTypesFor(scope, catalog, opts)) {
    const advice = requestSteps(scope, { appType, appKey: opts.appKey ?? null });
    const these = stepTexts(advice, lang);
    const same = steps.find((g) => g.steps.join('\n') === these.join('\n'));
    if (same) same.appTypes.push(appType);
    else steps.push({ appTypes: [appType], steps: these, advice });
  }
  const docs = [...(scope.sensitive ? [DOC_SENSITIVE] : []), DOC_ADD_PERMISSION, ...docLinks(scope, catalog)];
  const console = consoleUrl({ appKey: opts.appKey ?? null, scope: scope.code, appType: opts.appType ?? null });
  return { apis, steps, docs, console };
}

export function showDoc(scope: ScopeInfo, catalog: Catalog, opts: ShowOptions, lang: 'zh' | 'en') {
  const f = showFacts(scope, catalog, opts, lang);
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'scopes show',
    scope: { ...scopeJson(scope), sources: scope.sources, ...(scope.kindFrom ? { kindFrom: scope.kindFrom } : {}) },
    steps: f.steps.map((g) => ({ appTypes: g.appTypes, steps: g.steps, advice: g.advice.map((a) => stepJson(a, lang)) })),
    apis: f.apis.map(apiJson),
    links: { console: f.console, docs: f.docs },
  };
}

export function renderShow(scope: ScopeInfo, catalog: Catalog, opts: ShowOptions, ctx: Ctx): string {
  const c = styler(ctx.color);
  const md = ctx.format === 'markdown';
  const t = (id: string, params: Record<string, StepParam> = {}) => message(`ui.show.${id}`, params, ctx.lang);
  const f = showFacts(scope, catalog, opts, ctx.lang);
  const out: string[] = [];
  out.push(md ? `## ${scope.code}` : c.bold(scope.code));
  out.push(t('name', { names: `${scope.name.zh ?? '—'}${scope.name.en ? ` / ${scope.name.en}` : ''}` }));
  out.push(t('kind', { kind: kindLabel(scope.kind, ctx.lang), note: scope.kind === 'unknown' ? t('kind-unknown-note') : scope.kindFrom ? ` (${scope.kindFrom})` : '' }));
  if (scope.base) out.push(t('base'));
  if (scope.sensitive) out.push(t('sensitive', { url: DOC_SENSITIVE }));
  for (const { appTypes, steps } of f.steps) {
    const label = appTypes.map((type) => appTypeLabel(type, ctx.lang)).join(sep('enum', ctx.lang));
    out.push('', md ? `### ${t('how')} — ${label}` : c.bold(`${t('how')} — ${label}:`));
    steps.forEach((s, i) => out.push(`${i + 1}. ${s}`));
  }
  out.push('', md ? `### ${t('apis')}` : c.bold(`${t('apis')} (${f.apis.length}):`));
  if (f.apis.length) {
    const shown = md ? f.apis : f.apis.slice(0, 20);
    out.push(
      table(
        [message('ui.col.api', {}, ctx.lang), t('col.summary'), t('col.app-types')],
        // app types as codes in English (internal), as names in Chinese (企业内部应用)
        shown.map((a) => [apiLabel(a), a.summary ?? '', a.appTypes.map((type) => message(`ui.check.type.${type}`, {}, ctx.lang)).join(sep('enum', ctx.lang))]),
        md,
      ),
    );
    if (shown.length < f.apis.length) out.push(t('more', { n: f.apis.length - shown.length }));
  } else out.push(t('no-apis'));
  out.push('', md ? `### ${t('links')}` : c.bold(`${t('links')}:`));
  out.push(`${md ? '- ' : ''}${t('console')}: ${f.console}`);
  for (const d of f.docs) out.push(`${md ? '- ' : ''}${t('docs')}: ${d}`);
  return out.join('\n');
}

// ---------------------------------------------------------------- for

const scopeVia = (api: ApiInfo, code: string) => (api.observed?.includes(code) ? 'observed' : 'catalog');

export function forDoc(target: string, answer: ForAnswer, catalog: Catalog) {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'scopes for',
    target,
    query: answer.query,
    ambiguous: answer.ambiguous,
    matches: answer.matches.map((a) => ({
      ...apiJson(a),
      scopeInfo: a.scopes.map((code) => {
        const s = catalog.scope(code);
        return { code, kind: s?.kind ?? 'unknown', name: s?.name ?? { zh: null, en: null }, base: s?.base ?? false, sensitive: s?.sensitive ?? false, via: scopeVia(a, code) };
      }),
    })),
  };
}

export function renderFor(answer: ForAnswer, catalog: Catalog, ctx: Ctx): string {
  const c = styler(ctx.color);
  const t = (id: string, params: Record<string, StepParam> = {}) => message(`ui.for.${id}`, params, ctx.lang);
  const md = ctx.format === 'markdown';
  const out: string[] = [];
  if (answer.ambiguous) {
    const n = answer.matches.length;
    if (answer.query.type === 'sdk') {
      // The same method name in several SDK modules: the module decides, an HTTP method would not help.
      const withSdk = answer.matches.filter((a) => a.product && a.sdkMethod);
      const first = withSdk.find((a) => a.scopes.length > 0) ?? withSdk[0];
      const example = first ? `"${first.product!.replace('.', '_')} ${first.sdkMethod}"` : '"contact_1_0 getUser"';
      out.push(t('ambiguous-sdk', { n, example }));
    } else {
      out.push(t('ambiguous-http', { n }));
    }
  }
  for (const api of answer.matches) {
    const sdk = api.product ? `  (SDK ${api.product} ${api.sdkMethod ?? api.action ?? ''})` : '';
    out.push(md ? `### ${apiLabel(api)}` : c.bold(`${apiLabel(api)}${sdk}`));
    if (md && sdk) out.push(sdk.trim());
    if (api.summary) out.push(`  ${api.summary}`);
    const asked = answer.query.type === 'http' ? answer.query.method : null;
    if (asked && api.method && api.method !== asked) {
      out.push(t('other-method', { method: api.method, asked }));
    }
    if (api.appTypes.length) out.push(t('app-types', { list: api.appTypes.map((type) => appTypeLabel(type, ctx.lang)).join(', ') }));
    if (!api.scopes.length) out.push(t('no-scope'));
    for (const code of api.scopes) {
      const s = catalog.scope(code);
      const notes = [kindLabel(s?.kind ?? 'unknown', ctx.lang), s?.base ? t('base') : '', s?.sensitive ? message('ui.flag.sensitive', {}, ctx.lang) : '', scopeVia(api, code) === 'observed' ? 'observed' : '']
        .filter(Boolean)
        .join(', ');
      out.push(`  ${md ? '- ' : ''}${c.green(code)}  ${s ? nameOf(s, ctx.lang) : ''}  [${notes}]`);
    }
    out.push('');
  }
  if (!ctx.quiet && !answer.ambiguous && answer.matches.some((a) => a.scopes.length)) {
    out.push(t('next'));
  }
  return out.join('\n').trimEnd();
}

// ---------------------------------------------------------------- stats

export function statsDoc(coverage: Coverage | null) {
  return { schemaVersion: SCHEMA_VERSION, command: 'scopes stats', coverage };
}

export function renderStats(cov: Coverage, ctx: Ctx): string {
  const pct = (a: number, b: number) => `${a}/${b} (${b ? Math.round((a / b) * 1000) / 10 : 0}%)`;
  const t = (id: string, params: Record<string, string | number> = {}) => message(`ui.stats.${id}`, params, ctx.lang);
  const s = cov.scopes;
  const rows = [
    [t('documented'), pct(cov.documentedApis.inCatalog, cov.documentedApis.total)],
    [t('sdk-ops'), pct(cov.sdkOperations.withScope, cov.sdkOperations.total)],
    [t('apis'), t('apis-detail', { pct: pct(cov.apis.withScope, cov.apis.total), legacy: cov.apis.legacy, docOnly: cov.apis.docOnly })],
    [t('kind'), pct(s.withKind, s.total)],
    [t('probe'), pct(s.withProbe, s.total)],
    [t('with-api'), t('with-api-detail', { pct: pct(s.withApis, s.total), base: s.base, sensitive: s.sensitive })],
    [t('errors'), String(cov.errors)],
  ];
  // shared/catalog/supplement's coverage (absent in data built without it)
  if (s.nameEn) rows.splice(4, 0, [t('name-en'), t('name-en-detail', { pct: pct(s.nameEn.sourced, s.total), derived: s.nameEn.derived })]);
  if (s.edition !== undefined) rows.push([t('edition'), String(s.edition)], [t('access'), String(s.access ?? 0)], [t('low'), String(s.lowConfidence ?? 0)]);
  if (cov.apis.nameOnly !== undefined) rows.push([t('name-only'), String(cov.apis.nameOnly)], [t('closed'), String(cov.apis.closed ?? 0)], [t('name-match'), String(cov.apis.nameMatch ?? 0)]);
  const body = table(cols(['measure', 'value'], ctx.lang), rows, ctx.format === 'markdown');
  return ctx.format === 'markdown' ? body : `${t('from', { sdk: cov.sdk, modules: cov.sdkModules })}\n${body}`;
}

// ---------------------------------------------------------------- learned

export function learnedDoc(file: string, entries: LearnedEntry[], catalog: Catalog) {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'scopes learned',
    file,
    entries: entries.map((e) => ({ ...e, inCatalog: learnedStatus(e, catalog) })),
  };
}

/** Whether the bundled catalog already knows the pair: 'same' | 'different' | 'no-scope' | 'unknown-api'. */
export function learnedStatus(entry: LearnedEntry, catalog: Catalog): 'same' | 'different' | 'no-scope' | 'unknown-api' {
  const api = catalog.matchApi(entry.method, entry.host ? `${entry.host}${entry.path}` : entry.path)[0];
  if (!api) return 'unknown-api';
  if (!api.scopes.length) return 'no-scope';
  return entry.scopes.every((s) => api.scopes.includes(s)) ? 'same' : 'different';
}

export function renderLearned(file: string, entries: LearnedEntry[], catalog: Catalog, ctx: Ctx): string {
  if (!entries.length) {
    return message('ui.learned.none', { file }, ctx.lang);
  }
  const rows = entries.map((e) => [`${e.method ?? '*'} ${e.host ? `${e.host}` : ''}${e.path}`, e.scopes.join(', '), message(`ui.learned.${learnedStatus(e, catalog)}`, {}, ctx.lang), e.seenAt]);
  const body = table(cols(['api', 'scopes', 'bundled', 'seen'], ctx.lang), rows, ctx.format === 'markdown');
  return ctx.format === 'markdown' ? body : `${body}\n\n${message('ui.learned.count', { n: entries.length, file }, ctx.lang)}`;
}
