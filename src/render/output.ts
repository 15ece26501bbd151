/**
 * How a command's outcome reaches the terminal. How a run prints (format, colour, language,
 * spinner) is resolved once from flags and environment by a pure function so that every rule
 * ("colour only on a TTY", "no spinner in CI or JSON mode") lives in one place and is testable.
 * The one presenter, present(), picks the renderer of that format and writes through the sink,
 * the one way out, which redacts and escapes whatever any format prints.
 */
import { appendFileSync } from 'node:fs';
import { addSecretsFromEnv, redactor } from '../redact.js';
import { message, uiError, type Lang } from './messages.js';
// (not re-exported: the library's .d.ts must not reach chalk's types through this file)
import { codeHex, escapeControls, restoreStyles } from './style.js';
import { writeText } from '../terminal.js';

export type Format = 'text' | 'json' | 'github' | 'markdown' | 'sarif' | 'junit';
export type { Lang } from './messages.js';

export interface OutputOptions {
  format: Format;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  lang: Lang;
  /** Running under CI (env CI): no spinner, no prompts. */
  ci: boolean;
  /** Show an ora spinner (TTY stderr, text format, not CI, not quiet). */
  spinner: boolean;
}

export interface GlobalFlags {
  json?: boolean;
  format?: string;
  color?: boolean; // commander's --no-color sets false
  quiet?: boolean;
  verbose?: boolean;
  lang?: string;
}

export interface Terminal {
  env: Record<string, string | undefined>;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

const truthy = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

export function langFromEnv(env: Record<string, string | undefined>): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  // zh, zh_CN.UTF-8, zh-Hans …, any case (a pattern here would be the run's first to compile)
  const lang = locale.slice(0, 3).toLowerCase();
  return lang === 'zh' || lang === 'zh_' || lang === 'zh-' ? 'zh' : 'en';
}

export function resolveOutput(flags: GlobalFlags, term: Terminal): OutputOptions {
  const format: Format = flags.json ? 'json' : ((flags.format as Format | undefined) ?? 'text');
  const ci = truthy(term.env.CI);
  // --json is locale-independent: its texts are English unless --lang asks for another language.
  const lang: Lang = flags.lang === 'zh' || flags.lang === 'en' ? flags.lang : format === 'json' ? 'en' : langFromEnv(term.env);
  // supports-color's conventions: TERM=dumb has no colour, FORCE_COLOR=1 forces it, FORCE_COLOR=0 forbids it.
  let color = term.stdoutIsTTY && !ci && term.env.TERM !== 'dumb';
  const force = term.env.FORCE_COLOR;
  if (force !== undefined) color = force === '' || truthy(force);
  if ('NO_COLOR' in term.env && term.env.NO_COLOR !== undefined && term.env.NO_COLOR !== '') color = false;
  if (flags.color === false) color = false;
  if (format === 'json' || format === 'sarif' || format === 'junit') color = false;
  const quiet = Boolean(flags.quiet);
  return {
    format,
    color,
    quiet,
    verbose: Boolean(flags.verbose),
    lang,
    ci,
    spinner: term.stderrIsTTY && !ci && format === 'text' && !quiet,
  };
}

let envSecretsRead = false;
function runRedactor() {
  if (!envSecretsRead) {
    // Secret-named environment variables are known before any config is read (a config error cannot echo one).
    addSecretsFromEnv(redactor, process.env);
    envSecretsRead = true;
  }
  return redactor;
}

/** Text as it may be shown: the run's secrets and credential-shaped values masked, controls escaped, our colours kept. */
export function printable(text: string): string {
  return restoreStyles(escapeControls(runRedactor().redact(text)));
}

/** Not escaped by JSON.stringify, but not to be sent raw to a terminal either. */
const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A JSON document as it may be shown: every string (and key) redacted; C1 and bidi controls as \u escapes. */
export function printableJson(doc: unknown): string {
  return runRedactor().redactJson(doc, 2).replace(JSON_UNSAFE, (c) => `\\u${codeHex(c, 4)}`);
}

/**
 * The same bytes as `${printableJson(doc)}\n`, written in pieces: each value of a top-level key,
 * and each element of a top-level array, is redacted and stringified on its own. A `--json`
 * document of 10,000 findings is never one string (nor redacted as one copy) in memory.
 */
export function writeJsonPieces(doc: unknown, write: (piece: string) => void): void {
  const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
  if (!isPlain(doc)) return write(`${printableJson(doc)}\n`);
  const indent = (json: string, by: string) => json.replace(/\n/g, `\n${by}`);
  const entries = Object.entries(doc).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) return write('{}\n');
  write('{\n');
  entries.forEach(([key, value], i) => {
    const name = `  ${printableJson(key)}: `;
    const comma = i < entries.length - 1 ? ',' : '';
    if (!Array.isArray(value) || value.length === 0) return write(`${name}${indent(printableJson(value), '  ')}${comma}\n`);
    write(`${name}[\n`);
    value.forEach((item, k) => write(`    ${indent(printableJson(item ?? null), '    ')}${k < value.length - 1 ? ',' : ''}\n`));
    write(`  ]${comma}\n`);
  });
  write('}\n');
}

const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);

/**
 * The one way out. Everything the program prints (stdout, stderr, any format, --verbose) or
 * writes for the user to read (the job summary) passes through these: presenters call them,
 * never process.stdout / process.stderr directly.
 */
export const sink = {
  stdout(text: string): void {
    writeText(1, line(printable(text)));
  },
  /** Exactly one JSON document on stdout. */
  json(doc: unknown): void {
    writeJsonPieces(doc, (piece) => writeText(1, piece));
  },
  stderr(text: string): void {
    writeText(2, line(printable(text)));
  },
  /** Appends to a file the user reads (GitHub's job summary). Throws what appendFileSync throws. */
  appendFile(file: string, text: string): void {
    appendFileSync(file, line(printable(text)));
  },
};

/*
 * The one presenter: a command's run returns `{ result, exit }` and names its renderers, one per
 * format it supports; `present()` picks the renderer of the chosen format and writes through the
 * command's output sink (so whatever that sink does — redaction — applies to every format).
 * A format a command has no renderer for is a usage error, raised before the command runs.
 */

export interface Renderers<R> {
  text(result: R, opts: OutputOptions): string;
  /** The `--json` document (starts with schemaVersion). Every command has one but `completion` (a script is text). */
  json?(result: R, opts: OutputOptions): unknown;
  github?(result: R, opts: OutputOptions): string;
  markdown?(result: R, opts: OutputOptions): string;
  /** A SARIF 2.1.0 log (a JSON document). */
  sarif?(result: R, opts: OutputOptions): unknown;
  /** A JUnit XML report. */
  junit?(result: R, opts: OutputOptions): string;
  /** Markdown appended to $GITHUB_STEP_SUMMARY with --format github. */
  jobSummary?(result: R, opts: OutputOptions): string;
}

export interface Outcome<R> {
  result: R;
  /** 0 all good, 1 something needs fixing, 3 the question stayed open (network). */
  exit: number;
}

/** Where a command's output goes: stdout for results, the job summary file in GitHub Actions. */
export interface Sink {
  opts: OutputOptions;
  print(text: string): void;
  json(doc: unknown): void;
  summary(markdown: string): void;
}

const FORMATS: readonly Format[] = ['text', 'json', 'github', 'markdown', 'sarif', 'junit'];

export function formatsOf(renderers: Renderers<never>): Format[] {
  return FORMATS.filter((f) => typeof (renderers as Partial<Record<Format, unknown>>)[f] === 'function');
}

/** Throws the usage error for a format `renderers` lack; `name` is the command as typed ("scopes show"). */
export function assertFormat(renderers: Renderers<never>, format: Format, name: string): void {
  const formats = formatsOf(renderers);
  if (!formats.includes(format)) throw uiError('ui.err.no-format', { command: name, format }, { id: 'ui.err.no-format-hint', params: { formats: formats.join(', ') } });
}

export function present<R>(out: Sink, renderers: Renderers<R>, outcome: Outcome<R>): void {
  const { opts } = out;
  const { result } = outcome;
  switch (opts.format) {
    case 'json':
      out.json(renderers.json!(result, opts));
      return;
    case 'sarif':
      out.json(renderers.sarif!(result, opts));
      return;
    case 'text':
      out.print(renderers.text(result, opts));
      return;
    case 'github':
      out.print(renderers.github!(result, opts));
      if (renderers.jobSummary) {
        const markdown = renderers.jobSummary(result, opts);
        if (markdown) out.summary(markdown);
      }
      return;
    default:
      out.print(renderers[opts.format]!(result, opts));
  }
}

/** A run's Sink: results to stdout through the one way out, markdown to the job summary. */
export function sinkFor(opts: OutputOptions): Sink {
  return {
    opts,
    print: (text) => sink.stdout(text),
    json: (doc) => sink.json(doc),
    summary: (markdown) => appendJobSummary(markdown, opts.lang),
  };
}

/**
 * Appends to GitHub's job summary when $GITHUB_STEP_SUMMARY is set. The summary is extra: a path
 * we cannot write warns in one line (also with --quiet) and leaves the exit code to the findings.
 */
function appendJobSummary(markdown: string, lang: Lang): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    sink.appendFile(file, markdown);
  } catch (error) {
    sink.stderr(message('note.summary-not-written', { reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message }, lang));
  }
}

/** Every `--json` document starts with these two keys. */
export const SCHEMA_VERSION = 1;
