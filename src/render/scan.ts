/**
 * Printing a `scopes scan` result: text, JSON, markdown, GitHub annotations. Pure: strings in, strings out.
 */
import { annotation } from './github.js';
import { mdCell, mdCode } from './markdown.js';
import type { ScanCheck, ScanFinding } from '../scan/check.js';
import type { ScanApi, ScanLocation, ScanResult, ScanScope } from '../scan/index.js';
import { SCHEMA_VERSION, styler, type OutputOptions } from './output.js';

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
  const names = lang === 'zh' ? [s.name.zh, s.name.en] : [s.name.en, s.name.zh];
  return names.filter(Boolean).join(' / ');
}

function scopeNote(s: ScanScope): string {
  const notes: string[] = [s.kind];
  if (s.base) notes.push('granted by default');
  if (s.sensitive) notes.push('sensitive');
  return notes.join(', ');
}

/** Scopes to request vs base scopes, which every app of its type has (nothing to request). */
export function splitBase(scopes: ScanScope[]): { toRequest: ScanScope[]; granted: ScanScope[] } {
  return { toRequest: scopes.filter((s) => !s.base), granted: scopes.filter((s) => s.base) };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const where = (l: ScanLocation) => `${l.file}:${l.line}${l.comment ? ' (comment)' : ''}${l.ambiguous ? ' (method not visible)' : ''}`;

export function renderScanText(result: ScanResult, opts: OutputOptions): string {
  const c = styler(opts.color);
  const withScope = result.apis.filter((a) => a.scopes.length > 0);
  const withoutScope = result.apis.filter((a) => a.scopes.length === 0);
  const lines: string[] = [];
  const apiLine = (a: ScanApi) => `  ${c.bold((a.method ?? '*').padEnd(6))} ${a.host === 'oapi.dingtalk.com' ? 'oapi ' : ''}${a.path}${a.summary ? c.dim(`  ${a.summary}`) : ''}`;
  const locLines = (ls: ScanLocation[]) => {
    const out: string[] = [];
    for (let i = 0; i < ls.length; i += 3) out.push(`         ${ls.slice(i, i + 3).map(where).join('   ')}`);
    return out;
  };
  lines.push(`Scanned ${plural(result.stats.files, 'file')}: ${plural(result.apis.length, 'DingTalk API')}, ${plural(result.scopes.length, 'scope')}.`);
  const sk = result.stats.skipped;
  const skipped = [
    sk.large && `${sk.large} over 1 MiB`,
    sk.binary && `${sk.binary} binary`,
    sk.symlinks && `${sk.symlinks} symlinks (not followed)`,
    sk.unreadable && `${sk.unreadable} unreadable`,
  ].filter(Boolean);
  if (skipped.length > 0) lines.push(c.dim(`Skipped: ${skipped.join(', ')}.`));
  if (result.apis.length === 0 && result.unknownApis.length === 0) {
    lines.push('No DingTalk API use found.');
    return lines.join('\n');
  }
  if (withScope.length > 0) {
    lines.push('', c.bold('APIs and the scopes they need'));
    for (const a of withScope) {
      lines.push(apiLine(a));
      for (const s of a.scopes) lines.push(`         scope ${c.cyan(s.code)} (${scopeNote(s)})${scopeName(s, opts.lang) ? `  ${scopeName(s, opts.lang)}` : ''}`);
      lines.push(...locLines(a.locations));
    }
  }
  if (withoutScope.length > 0) {
    lines.push('', c.bold('APIs with no known scope'), c.dim('  (the catalog has no scope for these; a 403 will name it: dingtalk-doctor diagnose)'));
    for (const a of withoutScope) lines.push(apiLine(a), ...locLines(a.locations));
  }
  if (result.unknownApis.length > 0) {
    lines.push('', c.bold('DingTalk API URLs the catalog does not know'));
    for (const u of result.unknownApis) lines.push(`  ${(u.method ?? '*').padEnd(6)} https://${u.host}${u.path}`, ...locLines(u.locations));
  }
  const { toRequest, granted } = splitBase(result.scopes);
  if (toRequest.length > 0) {
    lines.push('', c.bold(`Scopes to request (${toRequest.length})`));
    const width = Math.max(...toRequest.map((s) => s.code.length));
    const noteWidth = Math.max(...toRequest.map((s) => scopeNote(s).length));
    for (const s of toRequest) lines.push(`  ${c.cyan(s.code.padEnd(width))}  ${scopeNote(s).padEnd(noteWidth)}  ${scopeName(s, opts.lang)}`);
  }
  if (granted.length > 0) lines.push('', `Granted by default, nothing to request: ${granted.map((s) => s.code).join(', ')}`);
  if (toRequest.length > 0 && !opts.quiet) {
    lines.push('', c.dim('Next: dingtalk-doctor scopes scan --write-config --app <name>, then dingtalk-doctor check --app <name>'));
  }
  return lines.join('\n');
}

export function renderScanMarkdown(result: ScanResult, opts: OutputOptions): string {
  const lines = [
    `**DingTalk scope scan**: ${result.stats.files} files, ${result.apis.length} APIs, ${result.scopes.length} scopes.`,
    '',
    '| API | scope | kind | name | locations |',
    '|---|---|---|---|---|',
  ];
  for (const a of result.apis) {
    const api = mdCode(`${a.method ?? '*'} ${a.path}`);
    const locs = a.locations.map((l) => mdCode(where(l))).join('<br>');
    if (a.scopes.length === 0) lines.push(`| ${api} | — | unknown | | ${locs} |`);
    else for (const s of a.scopes) lines.push(`| ${api} | \`${s.code}\` | ${s.kind} | ${mdCell(scopeName(s, opts.lang))} | ${locs} |`);
  }
  for (const u of result.unknownApis) {
    lines.push(`| ${mdCode(`${u.method ?? '*'} https://${u.host}${u.path}`)} | not in catalog | unknown | | ${u.locations.map((l) => mdCode(where(l))).join('<br>')} |`);
  }
  const { toRequest, granted } = splitBase(result.scopes);
  if (toRequest.length > 0) lines.push('', `Scopes to request: ${toRequest.map((s) => `\`${s.code}\``).join(', ')}`);
  if (granted.length > 0) lines.push('', `Granted by default, nothing to request: ${granted.map((s) => `\`${s.code}\``).join(', ')}`);
  return lines.join('\n');
}

/** GitHub Actions annotations: one notice per location. */
export function renderScanGithub(result: ScanResult): string {
  const lines: string[] = [];
  for (const a of result.apis) {
    const scopes = a.scopes.length ? a.scopes.map((s) => s.code).join(', ') : 'no known scope';
    for (const l of a.locations) lines.push(annotation('notice', { file: l.file, line: l.line }, `DingTalk API ${a.method ?? '*'} ${a.path} needs ${scopes}`));
  }
  const { toRequest, granted } = splitBase(result.scopes);
  const base = granted.length > 0 ? ` (granted by default: ${granted.map((s) => s.code).join(', ')})` : '';
  lines.push(`Scopes to request: ${toRequest.map((s) => s.code).join(', ') || 'none'}${base}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- --check

const requestAt = (f: ScanFinding) => f.consoleUrl ?? 'the Developer Console → the app → Manage permissions';
const findingText = (f: ScanFinding, app: string) => `calls ${f.method ?? '*'} ${f.path}; app ${app} lacks ${f.scope} → request it: ${requestAt(f)}`;

function checkSummary(check: ScanCheck): string {
  if (check.error) return `app ${check.app} could not be checked: ${check.error.message}`;
  const parts = [
    check.missing.length ? `app ${check.app} lacks ${check.missing.join(', ')} (${plural(check.findings.length, 'call site')})` : `app ${check.app} has every scope the code needs that could be verified`,
    ...(check.unverifiable.length ? [`not verifiable: ${check.unverifiable.join(', ')}`] : []),
  ];
  return parts.join('; ');
}

/** "src/sync.ts:7 calls GET /v1.0/contact/users/{unionId}; app crm lacks Contact.User.Read → request it: <link>" */
export function renderScanCheckText(check: ScanCheck, opts: OutputOptions): string {
  const c = styler(opts.color);
  const lines = check.findings.map((f) => `${c.bold(`${f.file}:${f.line}`)} ${findingText(f, check.app)}`);
  if (lines.length) lines.push('');
  lines.push(checkSummary(check));
  if (check.missing.length && !opts.quiet) lines.push(c.dim(`Next: request the scopes, then dingtalk-doctor check --app ${check.app}`));
  return lines.join('\n');
}

export function renderScanCheckGithub(check: ScanCheck, opts: OutputOptions): string {
  const lines = check.findings.map((f) => {
    const name = scopeName({ code: f.scope, kind: 'unknown', name: f.name }, opts.lang);
    return annotation('error', { file: f.file, line: f.line, title: `App ${check.app} lacks DingTalk scope ${f.scope}${name ? ` (${name})` : ''}` }, findingText(f, check.app));
  });
  if (check.error) lines.push(annotation('error', { title: `DingTalk app ${check.app}: ${check.error.cause}` }, check.error.message));
  lines.push(`dingtalk-doctor scopes scan --check: ${checkSummary(check)}`);
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
