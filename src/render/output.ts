/**
 * How a run prints: format, colour, language, spinner. Resolved once from flags and
 * environment by a pure function so that every rule ("colour only on a TTY", "no
 * spinner in CI or JSON mode") lives in one place and is testable.
 */
import { appendFileSync } from 'node:fs';
import { addSecretsFromEnv, redactor } from '../redact.js';
// (not re-exported: the library's .d.ts must not reach chalk's types through this file)
import { codeHex, escapeControls, restoreStyles } from './style.js';

export type Format = 'text' | 'json' | 'github' | 'markdown' | 'sarif' | 'junit';
export type Lang = 'zh' | 'en';

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
  return /^zh([_-]|$)/i.test(locale) ? 'zh' : 'en';
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
    process.stdout.write(line(printable(text)));
  },
  /** Exactly one JSON document on stdout. */
  json(doc: unknown): void {
    writeJsonPieces(doc, (piece) => process.stdout.write(piece));
  },
  stderr(text: string): void {
    process.stderr.write(line(printable(text)));
  },
  /** Appends to a file the user reads (GitHub's job summary). Throws what appendFileSync throws. */
  appendFile(file: string, text: string): void {
    appendFileSync(file, line(printable(text)));
  },
};

/** Every `--json` document starts with these two keys. */
export const SCHEMA_VERSION = 1;
