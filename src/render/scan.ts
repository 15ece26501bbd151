/**
 * Printing a `scopes scan` result: text, JSON, markdown, GitHub annotations. Pure: strings in, strings out.
 */
import { annotation } from './github.js';
import { mdCell, mdCode } from './markdown.js';
import { message, namesFor, sep } from './messages.js';
import { displayWidth } from './scopes.js';
import type { StepParam } from '../core/types.js';
import type { ScanCheck, ScanFinding } from '../scan/check.js';
import type { ScanApi, ScanLocation, ScanResult, ScanScope } from '../scan/index.js';
import { SCHEMA_VERSION, type OutputOptions } from './output.js';
import { styler } from './style.js';

export interface ScanJson {
  schemaVersion: number;
  command: 'scan';
  apis: Array<{
    method: string | null;
    host: string;
    path: string;
    summary: string | null;
    sdkMethod: string | null;
    /** The first scope, or null when the catalog knows none. */
    scope: string | null;
    scopes: Array<{ code: string; kind: string; name: { zh: string | null; en: string | null }; base?: true; sensitive?: true }>;
    kind: string;
    locations: Array<{ file: string; line: number; comment?: true; ambiguous?: true }>;
  }>;
  unknownApis?: Array<{ method: string | null; host: string; path: string; locations: Array<{ file: string; line: number; comment?: true }> }>;
  summary: {
    files: number;
    apis: number;
    apisWithoutScope: number;
    unknownApis: number;
    scopes: string[];
    /** Files not read: .gitignore'd, binary, over 1 MiB, symlinks (never followed), unreadable. */
    skipped: { ignored: number; binary: number; large: number; symlinks: number; unreadable: number };
  };
}

const loc = (l: ScanLocation) => {
  const out: { file: string; line: number; comment?: true; ambiguous?: true } = { file: l.file, line: l.line };
  if (l.comment) out.comment = true;
  if (l.ambiguous) out.ambiguous = true;
  return out;
};

export function scanJson(result: ScanResult): ScanJson {
  const doc: ScanJson = {
    schemaVersion: SCHEMA_VERSION,
    command: 'scan',
    apis: result.apis.map((a) => ({
      method: a.method,
      host: a.host,
      path: a.path,
      summary: a.summary,
      sdkMethod: a.sdkMethod,
      scope: a.scopes[0]?.code ?? null,
      scopes: a.scopes,
      kind: a.scopes[0]?.kind ?? 'unknown',
      locations: a.locations.map(loc),
    })),
    summary: {
      files: result.stats.files,
      apis: result.apis.length,
      apisWithoutScope: result.apis.filter((a) => a.scopes.length === 0).length,
      unknownApis: result.unknownApis.length,
      scopes: result.scopes.map((s) => s.code),
      skipped: { ...result.stats.skipped },
    },
  };
  if (result.unknownApis.length > 0) {
    doc.unknownApis = result.unknownApis.map((u) => ({ method: u.method, host: u.host, path: u.path, locations: u.locations.map(loc) }));
  }
  return doc;
}

function scopeName(s: ScanScope, lang: OutputOptions['lang']): string {
  return namesFor(s.name, lang).join(' / ');
}

function scopeNote(s: ScanScope, lang: OutputOptions['lang'] = 'en'): string {
  const notes: string[] = [message(`ui.kind.${s.kind}`, {}, lang)];
  if (s.base) notes.push(message('ui.scan.granted-by-default', {}, lang));
  if (s.sensitive) notes.push(message('ui.flag.sensitive', {}, lang));
  return notes.join(sep('list', lang));
}

/** Scopes to request vs base scopes, which every app of its type has (nothing to request). */
export function splitBase(scopes: ScanScope[]): { toRequest: ScanScope[]; granted: ScanScope[] } {
  return { toRequest: scopes.filter((s) => !s.base), granted: scopes.filter((s) => s.base) };
}

/** "3 files" / "1 file" / "3 个文件": a count as a message parameter. */
const count = (what: string, n: number) => ({ id: `ui.count.${what}.${n === 1 ? 'one' : 'other'}`, params: { n } });

const where = (l: ScanLocation, lang: OutputOptions['lang'] = 'en') =>
  `${l.file}:${l.line}${l.comment ? message('ui.scan.comment', {}, lang) : ''}${l.ambiguous ? message('ui.scan.method-not-visible', {}, lang) : ''}`;

export function renderScanText(result: ScanResult, opts: OutputOptions): string {
  const c = styler(opts.color);
  const t = (id: string, params: Record<string, StepParam> = {}) => message(`ui.scan.${id}`, params, opts.lang);
  const withScope = result.apis.filter((a) => a.scopes.length > 0);
  const withoutScope = result.apis.filter((a) => a.scopes.length === 0);
  const lines: string[] = [];
  const apiLine = (a: ScanApi) => `  ${c.bold((a.method ?? '*').padEnd(6))} ${a.host === 'oapi.dingtalk.com' ? 'oapi ' : ''}${a.path}${a.summary ? c.dim(`  ${a.summary}`) : ''}`;
  const locLines = (ls: ScanLocation[]) => {
    const out: string[] = [];
    for (let i = 0; i < ls.length; i += 3) out.push(`         ${ls.slice(i, i + 3).map((l) => where(l, opts.lang)).join('   ')}`);
    return out;
  };
  lines.push(t('scanned', { files: count('file', result.stats.files), apis: count('api', result.apis.length), scopes: count('scope', result.scopes.length) }));
  const sk = result.stats.skipped;
  const skipped = [
    sk.large && t('skip-large', { n: sk.large }),
    sk.binary && t('skip-binary', { n: sk.binary }),
    sk.symlinks && t('skip-symlinks', { n: sk.symlinks }),
    sk.unreadable && t('skip-unreadable', { n: sk.unreadable }),
  ].filter(Boolean);
  if (skipped.length > 0) lines.push(c.dim(t('skipped', { list: skipped.join(sep('list', opts.lang)) })));
  if (result.apis.length === 0 && result.unknownApis.length === 0) {
    lines.push(t('none'));
    return lines.join('\n');
  }
  if (withScope.length > 0) {
    lines.push('', c.bold(t('with-scope')));
    for (const a of withScope) {
      lines.push(apiLine(a));
      for (const s of a.scopes) lines.push(`         ${t('scope-line', { code: c.cyan(s.code), note: scopeNote(s, opts.lang) })}${scopeName(s, opts.lang) ? `  ${scopeName(s, opts.lang)}` : ''}`);
      lines.push(...locLines(a.locations));
    }
  }
  if (withoutScope.length > 0) {
    lines.push('', c.bold(t('without-scope')), c.dim(`  ${t('without-scope-hint')}`));
    for (const a of withoutScope) lines.push(apiLine(a), ...locLines(a.locations));
  }
  if (result.unknownApis.length > 0) {
    lines.push('', c.bold(t('unknown-urls')));
    for (const u of result.unknownApis) lines.push(`  ${(u.method ?? '*').padEnd(6)} https://${u.host}${u.path}`, ...locLines(u.locations));
  }
  const { toRequest, granted } = splitBase(result.scopes);
  if (toRequest.length > 0) {
    lines.push('', c.bold(t('to-request', { n: toRequest.length })));
    const width = Math.max(...toRequest.map((s) => s.code.length));
    const noteWidth = Math.max(...toRequest.map((s) => displayWidth(scopeNote(s, opts.lang))));
    for (const s of toRequest) {
      const note = scopeNote(s, opts.lang);
      lines.push(`  ${c.cyan(s.code.padEnd(width))}  ${note}${' '.repeat(noteWidth - displayWidth(note))}  ${scopeName(s, opts.lang)}`);
    }
  }
  if (granted.length > 0) lines.push('', t('granted', { list: granted.map((s) => s.code).join(', ') }));
  if (toRequest.length > 0 && !opts.quiet) lines.push('', c.dim(t('next')));
  return lines.join('\n');
}

export function renderScanMarkdown(result: ScanResult, opts: OutputOptions): string {
  const lines = [
    message('ui.ci.scan-md-title', { files: result.stats.files, apis: result.apis.length, scopes: result.scopes.length }, opts.lang),
    '',
    message('ui.ci.scan-md-header', {}, opts.lang),
    '|---|---|---|---|---|',
  ];
  for (const a of result.apis) {
    const api = mdCode(`${a.method ?? '*'} ${a.path}`);
    const locs = a.locations.map((l) => mdCode(where(l, opts.lang))).join('<br>');
    const unknown = message('ui.kind.unknown', {}, opts.lang);
    if (a.scopes.length === 0) lines.push(`| ${api} | — | ${unknown} | | ${locs} |`);
    else for (const s of a.scopes) lines.push(`| ${api} | \`${s.code}\` | ${message(`ui.kind.${s.kind}`, {}, opts.lang)} | ${mdCell(scopeName(s, opts.lang))} | ${locs} |`);
  }
  for (const u of result.unknownApis) {
    const unknown = message('ui.kind.unknown', {}, opts.lang);
    lines.push(`| ${mdCode(`${u.method ?? '*'} https://${u.host}${u.path}`)} | ${message('ui.ci.scan-md-not-in-catalog', {}, opts.lang)} | ${unknown} | | ${u.locations.map((l) => mdCode(where(l, opts.lang))).join('<br>')} |`);
  }
  const { toRequest, granted } = splitBase(result.scopes);
  if (toRequest.length > 0) lines.push('', message('ui.ci.scan-to-request', { list: toRequest.map((s) => `\`${s.code}\``).join(', ') }, opts.lang));
  if (granted.length > 0) lines.push('', message('ui.scan.granted', { list: granted.map((s) => `\`${s.code}\``).join(', ') }, opts.lang));
  return lines.join('\n');
}

/** GitHub Actions annotations: one notice per location. */
export function renderScanGithub(result: ScanResult, opts: Pick<OutputOptions, 'lang'> = { lang: 'en' }): string {
  const t = (id: string, params: Record<string, StepParam> = {}) => message(id, params, opts.lang);
  const lines: string[] = [];
  for (const a of result.apis) {
    const api = `${a.method ?? '*'} ${a.path}`;
    const text = a.scopes.length ? t('ui.ci.scan-needs', { api, scopes: a.scopes.map((s) => s.code).join(', ') }) : t('ui.ci.scan-no-scope', { api });
    for (const l of a.locations) lines.push(annotation('notice', { file: l.file, line: l.line }, text));
  }
  const { toRequest, granted } = splitBase(result.scopes);
  const base = granted.length > 0 ? t('ui.ci.scan-granted-by-default', { list: granted.map((s) => s.code).join(', ') }) : '';
  lines.push(`${t('ui.ci.scan-to-request', { list: toRequest.map((s) => s.code).join(', ') || t('ui.ci.none') })}${base}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- --check

const findingText = (f: ScanFinding, app: string, lang: OutputOptions['lang'] = 'en') =>
  message('ui.scan-check.finding', { method: f.method ?? '*', path: f.path, app, scope: f.scope, link: f.consoleUrl ?? message('ui.scan-check.console', {}, lang) }, lang);

function checkSummary(check: ScanCheck, lang: OutputOptions['lang'] = 'en'): string {
  const t = (id: string, params: Record<string, StepParam>) => message(`ui.scan-check.${id}`, params, lang);
  if (check.error) return t('error', { app: check.app, message: check.error.text ?? check.error.message });
  const parts = [
    check.missing.length ? t('lacks', { app: check.app, scopes: check.missing.join(', '), sites: count('call-site', check.findings.length) }) : t('ok', { app: check.app }),
    ...(check.unverifiable.length ? [t('unverifiable', { list: check.unverifiable.join(', ') })] : []),
  ];
  return parts.join(sep('semi', lang));
}

/** "src/sync.ts:7 calls GET /v1.0/contact/users/{unionId}; app crm lacks Contact.User.Read → request it: <link>" */
export function renderScanCheckText(check: ScanCheck, opts: OutputOptions): string {
  const c = styler(opts.color);
  const lines = check.findings.map((f) => `${c.bold(`${f.file}:${f.line}`)} ${findingText(f, check.app, opts.lang)}`);
  if (lines.length) lines.push('');
  lines.push(checkSummary(check, opts.lang));
  if (check.missing.length && !opts.quiet) lines.push(c.dim(message('ui.scan-check.next', { app: check.app }, opts.lang)));
  return lines.join('\n');
}

export function renderScanCheckGithub(check: ScanCheck, opts: OutputOptions): string {
  const lines = check.findings.map((f) => {
    const name = scopeName({ code: f.scope, kind: 'unknown', name: f.name }, opts.lang);
    const title = message(name ? 'ui.ci.scan-lacks-named' : 'ui.ci.scan-lacks', { app: check.app, scope: f.scope, name }, opts.lang);
    return annotation('error', { file: f.file, line: f.line, title }, findingText(f, check.app, opts.lang));
  });
  if (check.error) {
    const text = check.error.text ? message(check.error.text.id, check.error.text.params, opts.lang) : check.error.message;
    lines.push(annotation('error', { title: message('ui.ci.app-error', { app: check.app, cause: check.error.cause }, opts.lang) }, text));
  }
  lines.push(`dingtalk-doctor scopes scan --check: ${checkSummary(check, opts.lang)}`);
  return lines.join('\n');
}

export function scanCheckJson(check: ScanCheck) {
  return {
    app: check.app,
    findings: check.findings,
    missing: check.missing,
    unverifiable: check.unverifiable,
    ...(check.error ? { error: { cause: check.error.cause, code: check.error.code, message: check.error.message } } : {}),
  };
}
