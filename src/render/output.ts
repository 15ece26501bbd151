/**
 * How a run prints: format, colour, language, spinner. Resolved once from flags and
 * environment by a pure function so that every rule ("colour only on a TTY", "no
 * spinner in CI or JSON mode") lives in one place and is testable.
 */
import { Chalk, type ChalkInstance } from 'chalk';

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

/** A chalk instance that is a no-op when colour is off. */
export function styler(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** Every `--json` document starts with these two keys. */
export const SCHEMA_VERSION = 1;
