/**
 * Reading one config file: JSON or YAML as data (never code), bounded in size, a UTF-8 BOM
 * accepted. A syntax error names the file, the line, the column and what is wrong — never the
 * text of the line, which may hold a secret. JavaScript configs load here only when the caller
 * says the user named the file (see load.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { errorText, uiError } from '../render/messages.js';
import type { DoctorError, ErrorParam } from '../errors.js';
import { commonjsExports } from '../interop.js';
import { SECRET_FIELDS } from './types.js';

/** A config is a few kilobytes; anything past this is not one (and is not read into memory). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export const JS_EXTENSIONS = new Set(['.js', '.cjs', '.mjs']);
export const isJsConfig = (file: string) => JS_EXTENSIONS.has(extname(file));

/**
 * extname(file) for the common names (`x.json`, `x.yaml`, `x.yml`), without path.extname: its
 * first call of a run costs ≈ 0.2 M instructions (measured). A name the quick look is not sure of
 * (`.json`, `a/.yml`, `C:.json`) is asked to extname.
 */
export function dataExtname(file: string): string {
  for (const ext of ['.json', '.yaml', '.yml']) {
    if (!file.endsWith(ext)) continue;
    const before = file.charAt(file.length - ext.length - 1);
    if (before !== '' && !'./\\:'.includes(before)) return ext;
  }
  return extname(file);
}

export interface ConfigFile {
  /** The parsed value (`undefined` for an empty file). */
  value: unknown;
  /** The file's text, for the literal-secret check. */
  text: string;
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n') };
}

/** "<file>: not valid YAML at line 3, column 1: <what the parser says>" (the parser's words stay its own). */
const syntaxError = (file: string, kind: string, at: { line: number; column: number }, problem: ErrorParam) =>
  uiError('err.config.syntax', { file, kind: kind === 'YAML or JSON' ? errorText('err.config.kind-yaml-or-json') : kind, ...at, problem });

const sentence = (what: string) => what.charAt(0).toLowerCase() + what.slice(1);

/**
 * A parser's message without what it quotes of the input: yaml appends the offending text after
 * ": " ("Not a YAML token: <text>", "Aliased anchor not found: <name>"), V8 quotes it ("Unexpected token 'x', "…" is not valid JSON").
 */
const withoutQuotes = (message: string) => sentence(message.split(/\n|: /)[0]!.replace(/"[^"]*"?|'[^']*'?/g, '…').trim());
/** V8's JSON messages that carry a position quote only JSON's own characters ("Expected ',' or '}' after property value"). */
const v8Description = (message: string) => sentence(message.replace(/ in JSON at position.*$/s, ''));

async function parseYaml(text: string, file: string, kind: string): Promise<unknown> {
  const { parseDocument, visit, isAlias, isPair, isScalar } = commonjsExports(await import('yaml'), 'parseDocument');
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  // An alias, anchor or tag where a secret belongs: the "value" was likely the secret itself
  // (`appSecret: *Ab3…` is an alias to an anchor named by it) — say so without echoing it.
  let hidden: DoctorError | null = null;
  visit(doc, {
    Pair(_, pair, path) {
      if (hidden || !isPair(pair) || !isScalar(pair.key) || !(SECRET_FIELDS as readonly unknown[]).includes(pair.key.value)) return;
      const node = pair.value as { tag?: string; anchor?: string } | null;
      if (!node || !(isAlias(node) || node.tag || node.anchor)) return;
      const keys = path.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : '?'));
      hidden = uiError('err.config.yaml-alias-secret', { file, key: [...keys, String(pair.key.value)].join('.'), ...lineColumn(text, pair.key.range?.[0] ?? 0), ref: '${ENV_VAR}' });
    },
  });
  if (hidden) throw hidden as DoctorError;
  const error = doc.errors[0];
  if (error) throw syntaxError(file, kind, lineColumn(text, error.pos[0]), withoutQuotes(error.message));
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (thrown) {
    // An alias to a missing anchor, or an alias bomb: only found when the aliases are resolved.
    let at = 0;
    visit(doc, { Alias: (_, node) => ((at = node.range?.[0] ?? 0), visit.BREAK) });
    throw syntaxError(file, kind, lineColumn(text, at), withoutQuotes((thrown as Error).message));
  }
}

async function parseJson(text: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(text) as unknown;
  } catch (thrown) {
    const message = (thrown as Error).message;
    const position = /at position (\d+)/.exec(message);
    if (position) throw syntaxError(file, 'JSON', lineColumn(text, Number(position[1])), v8Description(message));
    if (/end of JSON input/.test(message)) throw syntaxError(file, 'JSON', lineColumn(text, text.length), errorText('err.config.unexpected-end'));
    // V8 names no position for an unexpected character ("Unexpected token"); yaml's JSON schema finds it.
    const { parseDocument } = commonjsExports(await import('yaml'), 'parseDocument');
    const offset = parseDocument(text, { schema: 'json', prettyErrors: false }).errors[0]?.pos[0];
    if (offset === undefined) throw uiError('err.config.json-unexpected-character', { file });
    throw syntaxError(file, 'JSON', lineColumn(text, offset), errorText('err.config.unexpected-character'));
  }
}

/** A config file's text (sync: at most 1 MiB, read once per run, and fs/promises stays unloaded). */
function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw uiError('err.config.unreadable', { file, reason: (error as NodeJS.ErrnoException).code ?? 'EIO' });
  }
}

/** Reads a config file as data: `.json` as JSON, anything else as YAML (which JSON is a subset of). `size`: the caller's stat of it, when it has one. */
export async function readDataConfig(file: string, size?: number): Promise<ConfigFile> {
  return parseDataConfig(file, readDataText(file, size));
}

/** The text of a data config (refused past MAX_CONFIG_BYTES, unread), without its BOM. */
export function readDataText(file: string, size = statSync(file, { throwIfNoEntry: false })?.size ?? 0): string {
  if (size > MAX_CONFIG_BYTES) {
    throw uiError('err.config.too-large', { file, mib: (size / 1024 / 1024).toFixed(1) }, 'err.config.too-large-hint');
  }
  const raw = readText(file);
  return raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw; // a BOM
}

/** A data config's text parsed as its name says (see readDataConfig); an empty one is `value: undefined`. */
export async function parseDataConfig(file: string, text: string): Promise<ConfigFile> {
  if (text.trim() === '') return { value: undefined, text };
  const ext = dataExtname(file);
  const value = ext === '.json' ? await parseJson(text, file) : await parseYaml(text, file, ext === '.yaml' || ext === '.yml' ? 'YAML' : 'YAML or JSON');
  return { value, text };
}

/** Runs a JavaScript config the user named (cosmiconfig's loader: ESM or CommonJS, `export default` or `module.exports`). */
export async function readJsConfig(file: string): Promise<ConfigFile> {
  const text = readText(file);
  const { defaultLoaders } = commonjsExports(await import('cosmiconfig'), 'defaultLoaders');
  try {
    return { value: await defaultLoaders['.mjs']!(file, text), text };
  } catch (error) {
    throw uiError('err.config.js-failed', { file, reason: (error as Error).message.split('\n')[0]! });
  }
}
