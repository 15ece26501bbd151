/**
 * Pure extractors for `scopes scan`: text of one source file → candidate DingTalk API uses.
 * No catalog, no I/O: the resolver (resolve.ts) decides which candidates are real DingTalk
 * APIs. Everything works on the whole text with global regexes and maps offsets to lines,
 * which is much faster than splitting into lines first.
 */
import { escapeRegExp } from '../values.js';

export type SourceLang = 'js' | 'java' | 'python' | 'go' | 'csharp' | 'php' | 'other';
type CommentStyle = 'c' | 'hash' | 'php' | 'none';

/** A URL or path literal that looks like a DingTalk API (new API or legacy oapi). */
export interface PathHit {
  kind: 'path';
  line: number;
  /** Normalised path: no query, placeholders as `{}`, e.g. `/v1.0/contact/users/{}`. */
  path: string;
  /** Lower-case host when the literal is a full URL, else null. */
  host: string | null;
  /** HTTP method seen on the same line, when exactly one is seen. */
  method: string | null;
  comment: boolean;
  /** A bare string literal such as `'/chat/get'` (legacy oapi path without host or /topapi/). */
  bareLegacy: boolean;
}

/** A method call on something that may be an official SDK client. */
export interface SdkHit {
  kind: 'sdk';
  line: number;
  /** SDK modules (`contact_1_0`) the call may belong to: those the file imports, or the one its receiver is bound to. */
  modules: string[];
  /** Method name as the JS SDK spells it (`GetUserAsync` → `getUser`); Python's as written (`get_user_with_options`). */
  method: string;
  /** The expression before the dot (`client`, `this.contact` → `contact`). */
  receiver: string;
  /** The receiver was seen bound to a module's client (`x = new Client(…)`, `x, err := pkg.NewClient(…)`). */
  bound: boolean;
  comment: boolean;
}

export type Hit = PathHit | SdkHit;

/**
 * What the caller will keep (resolve.ts: a DingTalk API host, an SDK method a module has): a hit
 * it would drop is not built, so its line, method and comment are never worked out. In a real
 * tree most calls in a file that imports an SDK module are `arr.push(…)`, most URLs not DingTalk's.
 */
export interface ExtractFilter {
  host(host: string): boolean;
  sdkCall(call: Pick<SdkHit, 'modules' | 'method' | 'receiver' | 'bound'>): boolean;
}

export interface FileExtract {
  lang: SourceLang;
  /** The file mentions DingTalk (`dingtalk` in any case, or 钉钉): used by the false-positive rule. */
  dingtalkContext: boolean;
  /** SDK modules the file imports. */
  sdkModules: string[];
  hits: Hit[];
}

const LANG_BY_EXT: Record<string, SourceLang> = {
  js: 'js', jsx: 'js', mjs: 'js', cjs: 'js', ts: 'js', tsx: 'js', mts: 'js', cts: 'js', vue: 'js', svelte: 'js',
  java: 'java', kt: 'java', kts: 'java', scala: 'java', groovy: 'java',
  py: 'python', pyi: 'python',
  go: 'go',
  cs: 'csharp',
  php: 'php',
};

const COMMENTS_BY_EXT: Record<string, CommentStyle> = {
  js: 'c', jsx: 'c', mjs: 'c', cjs: 'c', ts: 'c', tsx: 'c', mts: 'c', cts: 'c', vue: 'c', svelte: 'c',
  java: 'c', kt: 'c', kts: 'c', scala: 'c', groovy: 'c', go: 'c', cs: 'c', c: 'c', h: 'c', cc: 'c', cpp: 'c',
  hpp: 'c', rs: 'c', swift: 'c', dart: 'c', m: 'c',
  php: 'php',
  py: 'hash', pyi: 'hash', rb: 'hash', sh: 'hash', bash: 'hash', zsh: 'hash', yaml: 'hash', yml: 'hash',
  toml: 'hash', pl: 'hash', r: 'hash', properties: 'hash', env: 'hash', ex: 'hash', exs: 'hash',
};

export function extOf(file: string): string {
  const slash = file.lastIndexOf('/');
  const dot = file.lastIndexOf('.');
  return dot > slash ? file.slice(dot + 1).toLowerCase() : '';
}

export function langOf(file: string): SourceLang {
  return LANG_BY_EXT[extOf(file)] ?? 'other';
}

// ---------------------------------------------------------------- comments

/** The characters that can open a string or a comment, by comment style (searched, not walked). */
const OPENERS: Record<Exclude<CommentStyle, 'none'>, RegExp> = { c: /["'`/]/g, hash: /["'`#]/g, php: /["'`/#]/g };
/** What ends (or escapes inside) a string opened by each quote: only backtick strings span lines. */
const STRING_STOPS: Record<string, RegExp> = { '"': /[\\"\n]/g, "'": /[\\'\n]/g, '`': /[\\`]/g };

/** Where in `text`, from `from` on, `re` (global, one character) next matches, or -1: test() builds no match array. */
function nextMatch(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  return re.test(text) ? re.lastIndex - 1 : -1;
}

/** Where the string opened at `open` ends: the index of its closing quote (or of the newline that ends it, or ≥ n). */
function stringEnd(text: string, open: number, quote: string): number {
  const stops = STRING_STOPS[quote]!;
  for (let at = nextMatch(stops, text, open + 1); at !== -1; at = nextMatch(stops, text, at + 2)) {
    if (text.charCodeAt(at) !== 92 /* \ */) return at; // else an escaped character
  }
  return text.length;
}

/**
 * Offsets [start, end) of comments in the text. A small lexer that knows strings (so that
 * `https://` inside a string is not a `//` comment) and the comment syntax of the file type.
 * Approximate on purpose (regex literals, heredocs, nested interpolation are not modelled).
 * It jumps from one quote or comment opener to the next (a native search), not character by character.
 */
export function commentRanges(text: string, style: CommentStyle): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (style === 'none') return ranges;
  const openers = OPENERS[style];
  const n = text.length;
  const lineEnd = (from: number) => {
    const end = text.indexOf('\n', from);
    return end < 0 ? n : end;
  };
  for (let i = nextMatch(openers, text, 0), next = 0; i !== -1; i = nextMatch(openers, text, next)) {
    const ch = text[i]!;
    next = i + 1;
    if (ch === '"' || ch === "'" || ch === '`') {
      const triple = ch.repeat(3);
      if (style === 'hash' && text.startsWith(triple, i)) {
        const end = text.indexOf(triple, i + 3);
        next = end < 0 ? n : end + 3;
      } else {
        next = stringEnd(text, i, ch) + 1;
      }
    } else if (ch === '/') {
      const after = text.charCodeAt(i + 1);
      if (after === 47 /* / */) {
        next = lineEnd(i);
        ranges.push([i, next]);
      } else if (after === 42 /* * */) {
        const end = text.indexOf('*/', i + 2);
        next = end < 0 ? n : end + 2;
        ranges.push([i, next]);
      }
    } else if (!(style === 'php' && text.charCodeAt(i + 1) === 91 /* [ */)) {
      // `#`: Ruby-style `#{...}` only occurs inside strings, which are skipped above.
      next = lineEnd(i);
      ranges.push([i, next]);
    }
    if (next >= n) break;
  }
  return ranges;
}

function inRanges(ranges: Array<[number, number]>, offset: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (offset < r[0]) hi = mid - 1;
    else if (offset >= r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Offsets of line starts, for offset → 1-based line by binary search. */
function lineStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i >= 0) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

function lineAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

// ---------------------------------------------------------------- paths

// One path character, or a whole interpolation (`${…}`, `#{…}`, `{…}`) which may hold quotes.
const PATH_CHAR = String.raw`(?:\$\{[^}\n]*\}|#\{[^}\n]*\}|\{[^}\n]*\}|[^\s'"\x60<>\\()\[\],;|^{}])`;
const URL_OR_PATH = new RegExp(
  String.raw`https?://([A-Za-z0-9.-]+)(?::\d+)?((?:/${PATH_CHAR}*)?)|(?<![\w.-])(/(?:v1\.0|v2\.0|topapi)/${PATH_CHAR}*)`,
  'g',
);
// A whole string literal that is only a path ('/chat/get'): candidate legacy oapi path.
const BARE_LITERAL = /(['"`])(\/[a-z][\w]*(?:\/[\w]+)+)(?:\?[^'"`\n]*)?\1/y;
const BARE_LITERAL_STARTS = ["'/", '"/', '`/'];

/** Where the first of `starts` occurs in `text` from `from` on (-1: none); `next` caches each one's next occurrence. */
function firstStart(text: string, starts: readonly string[], next: number[], from: number): number {
  let first = -1;
  for (let k = 0; k < starts.length; k++) {
    if (next[k]! !== -1 && next[k]! < from) next[k] = text.indexOf(starts[k]!, from);
    if (next[k]! !== -1 && (first === -1 || next[k]! < first)) first = next[k]!;
  }
  return first;
}

/**
 * What the global form of the sticky `re` matches in `text`, for a `re` whose every match begins
 * with one of `starts`: tried only where one occurs (indexOf, a native search), not at every
 * character as a global regular expression is. No match of `re` may be empty.
 */
function anchoredMatches(text: string, re: RegExp, starts: readonly string[]): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  const next = starts.map(() => -2); // -2: not searched yet (below any `from`)
  for (let at = firstStart(text, starts, next, 0); at !== -1; ) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m) found.push(m);
    at = firstStart(text, starts, next, m ? at + m[0].length : at + 1);
  }
  return found;
}

/** Each string literal that is a path alone (group 2). */
export const bareLiteralMatches = (text: string) => anchoredMatches(text, BARE_LITERAL, BARE_LITERAL_STARTS);
// `'…/' + expr` or `'…/' + expr + '/rest'` right after a literal ends.
const CONCAT_AFTER = /^['"\x60]\s*\+\s*[\w$.()[\]]+\s*(?:\+\s*(['"\x60])([^'"\x60\n]*)\1)?/;

const PLACEHOLDER = '\u0000';

/**
 * Turns a path as written into a comparable template: interpolations (`${id}`, `{id}`, `#{id}`,
 * `$id`, `%s`, `%d`, `%v`) and `:param` segments become `{}`; query and fragment are dropped.
 */
export function normalizePath(raw: string): string {
  let p = raw
    .replace(/\$\{[^}]*\}|#\{[^}]*\}|\{[^}]*\}/g, PLACEHOLDER)
    .replace(/%[-+0-9.]*[sdvqxf]/g, PLACEHOLDER);
  const cut = p.search(/[?#]/);
  if (cut >= 0) p = p.slice(0, cut);
  p = p.replace(/[.]+$/, ''); // sentence end in a comment
  // `:id` (routers), `$id` (Kotlin, Groovy, PHP, shell interpolation) are parameters too.
  const segments = p.split('/').map((s, i) => (i > 0 && (s.includes(PLACEHOLDER) || s.startsWith(':') || s.startsWith('$')) ? '{}' : s));
  return segments.join('/');
}

/** `cache`'s value for `key`, made once; the cache is emptied past `limit` entries, so what a large tree holds cannot grow it. */
function remembered<T>(cache: Map<string, T>, limit: number, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= limit) cache.clear();
    cache.set(key, (value = make()));
  }
  return value;
}

/** normalizePath of the paths found, kept: a tree repeats its few URLs in many files. */
const normalizedPaths = new Map<string, string>();
const normalizedPath = (raw: string) => remembered(normalizedPaths, 1024, raw, () => normalizePath(raw));

const METHOD_WORD = /\b(GET|POST|PUT|DELETE|PATCH)\b|\.(get|post|put|delete|patch)\s*[(<]|\b(?:Method|Http)(Get|Post|Put|Delete|Patch)\b|\bmethod['"]?\s*[:=]\s*['"](get|post|put|delete|patch)['"]/gi;

/** The one HTTP method named on the line (outside the path itself), or null when none or several. */
export function methodOnLine(line: string): string | null {
  const seen = new Set<string>();
  for (const m of line.matchAll(METHOD_WORD)) {
    const word = m[1] ?? m[2] ?? m[3] ?? m[4];
    // Upper-case alternative only: `get` as a plain word (prose, identifiers) is not a method.
    if (m[1] && m[1] !== m[1].toUpperCase()) continue;
    if (word) seen.add(word.toUpperCase());
  }
  return seen.size === 1 ? [...seen][0]! : null;
}

const METHOD_PROP = /\bmethod['"]?\s*[:=]\s*['"](get|post|put|delete|patch)['"]/gi;

/**
 * `fetch(url, {\n  method: 'POST' })` and `axios({ method: 'post',\n url })`: when the URL's own line
 * names no method, an explicit `method:` within two lines before or three after counts, if it is
 * the only one there.
 */
function methodNearby(text: string, starts: number[], line: number): string | null {
  const from = starts[Math.max(0, line - 3)]!;
  const toLine = starts[Math.min(starts.length - 1, line + 3)];
  const window = text.slice(from, toLine === undefined || line + 3 >= starts.length ? text.length : toLine);
  const seen = new Set<string>();
  for (const m of window.matchAll(METHOD_PROP)) seen.add(m[1]!.toUpperCase());
  return seen.size === 1 ? [...seen][0]! : null;
}

const FETCH_BEFORE = /\bfetch\s*\(\s*(['"\x60])(?:\$\{[^}\n]*\})?$/;

/**
 * `fetch(url)` and `fetch(url, { headers })` are GETs (fetch's default method). Only when every
 * option is visible: an options variable or a spread may carry a method, and `method: verb` is
 * unknown, so those stay open (null). `offset` is where the URL or path starts inside the literal.
 */
function fetchDefaultMethod(text: string, lineStart: number, offset: number): string | null {
  const open = FETCH_BEFORE.exec(text.slice(lineStart, offset));
  if (!open) return null;
  let i = lineStart + open.index + open[0].indexOf('(') + 1;
  const end = Math.min(text.length, i + 4000);
  let depth = 0;
  let optionsAt = -1;
  for (; i < end; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || ch === '\x60') {
      for (i++; i < end && text[i] !== ch; i++) if (text[i] === '\\') i++;
    } else if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') {
      if (depth === 0) break; // the call's closing parenthesis
      depth--;
    } else if (ch === ',' && depth === 0 && optionsAt < 0) optionsAt = i + 1;
  }
  if (i >= end) return null; // unbalanced or too long to judge
  if (optionsAt < 0) return 'GET';
  const options = text.slice(optionsAt, i).trim();
  if (options === '') return 'GET'; // trailing comma
  if (!options.startsWith('{') || options.includes('...') || /\bmethod\b/.test(options)) return null;
  return 'GET';
}

function lineText(text: string, starts: number[], line: number): [string, number] {
  const start = starts[line - 1]!;
  const next = starts[line];
  return [text.slice(start, next === undefined ? text.length : next - 1), start];
}

function extractPaths(text: string, lines: () => number[], inComment: (offset: number) => boolean, context: boolean, filter?: ExtractFilter): PathHit[] {
  const hits: PathHit[] = [];
  for (const m of text.matchAll(URL_OR_PATH)) {
    const offset = m.index;
    const host = m[1] ? m[1].toLowerCase() : null;
    if (host !== null && filter && !filter.host(host)) continue;
    let raw = (m[1] ? m[2] : m[3]) ?? '';
    if (!raw || raw === '/') continue;
    // `'/v1.0/users/' + id + '/calendars/' + cid + '/events'`: each concatenated expression is a path parameter.
    let rest = text.slice(offset + m[0].length, offset + m[0].length + 300);
    while (raw.endsWith('/') && !raw.includes('?')) {
      const concat = CONCAT_AFTER.exec(rest);
      if (!concat) break;
      raw += '{}';
      if (concat[2] === undefined) break;
      raw += concat[2];
      rest = rest.slice(concat[0].length - 1); // from the closing quote of the literal just added
    }
    const path = normalizedPath(raw);
    if (path.length < 2) continue;
    const starts = lines();
    const line = lineAt(starts, offset);
    const [lt, ls] = lineText(text, starts, line);
    const rel = offset - ls;
    const method =
      methodOnLine(lt.slice(0, rel) + ' '.repeat(m[0].length) + lt.slice(rel + m[0].length)) ??
      methodNearby(text, starts, line) ??
      fetchDefaultMethod(text, ls, offset);
    hits.push({ kind: 'path', line, path, host, method, comment: inComment(offset), bareLegacy: false });
  }
  // Legacy oapi paths such as '/chat/get' are too generic to look at without DingTalk context.
  if (context) {
    for (const m of bareLiteralMatches(text)) {
      const path = m[2]!;
      if (/^\/(?:v1\.0|v2\.0|topapi)\//.test(path)) continue; // found above
      const starts = lines();
      const line = lineAt(starts, m.index);
      const [lt] = lineText(text, starts, line);
      hits.push({ kind: 'path', line, path, host: null, method: methodOnLine(lt.replace(m[0], '')), comment: inComment(m.index), bareLegacy: true });
    }
  }
  return hits;
}

// ---------------------------------------------------------------- SDK calls

const MODULE_NAME = String.raw`([a-z][a-z0-9_]*?_\d+_\d+)`;
const SDK_IMPORTS: Record<Exclude<SourceLang, 'other'>, RegExp> = {
  // import … from '@alicloud/dingtalk/contact_1_0' · require('@alicloud/dingtalk/contact_1_0')
  js: new RegExp(String.raw`@alicloud/dingtalk/${MODULE_NAME}\b`, 'g'),
  // com.aliyun.dingtalkcontact_1_0.Client · import com.aliyun.dingtalkcontact_1_0.models.*
  java: new RegExp(String.raw`\bcom\.aliyun\.dingtalk${MODULE_NAME}\b`, 'g'),
  // from alibabacloud_dingtalk.contact_1_0.client import Client
  python: new RegExp(String.raw`\balibabacloud_dingtalk\.${MODULE_NAME}\b`, 'g'),
  // import dingtalkcontact_1_0 "github.com/alibabacloud-go/dingtalk/contact_1_0"
  go: new RegExp(String.raw`github\.com/alibabacloud-go/dingtalk/${MODULE_NAME}\b`, 'g'),
  // using AlibabaCloud.SDK.Dingtalkcontact_1_0;
  csharp: new RegExp(String.raw`\bAlibabaCloud\.SDK\.Dingtalk${MODULE_NAME}\b`, 'g'),
  // use AlibabaCloud\SDK\Dingtalk\Vcontact_1_0\Dingtalk;
  php: new RegExp(String.raw`\bAlibabaCloud\\SDK\\Dingtalk\\V${MODULE_NAME}\\`, 'g'),
};
/** The text each SDK_IMPORTS match starts with: its search starts at the first one (most candidate files have none). */
const SDK_IMPORT_STARTS: Record<Exclude<SourceLang, 'other'>, string> = {
  js: '@alicloud/dingtalk/',
  java: 'com.aliyun.dingtalk',
  python: 'alibabacloud_dingtalk.',
  go: 'github.com/alibabacloud-go/dingtalk/',
  csharp: 'AlibabaCloud.SDK.Dingtalk',
  php: 'AlibabaCloud\\SDK\\Dingtalk\\V',
};
// The root JS entry re-exports every module as a namespace: `import { contact_1_0 } from '@alicloud/dingtalk'`.
const JS_ROOT_IMPORT = /['"]@alicloud\/dingtalk['"]/;
const MODULE_TOKEN = new RegExp(String.raw`\b${MODULE_NAME}\b`, 'g');
// PHP: $client->getUserWithOptions(…) · $this->contact->getUser(…) (receiver `contact`)
const PHP_CALL = /(\$?\w+)\s*(?:\?->|->)\s*([A-Za-z_]\w*)\s*\(/g;

/** A method call `receiver.name(`: where the receiver starts. */
export interface CallSite {
  index: number;
  receiver: string;
  name: string;
}

// after the dot: `  name  (`
const NAME_AFTER_DOT = /\s*([A-Za-z_]\w*)\s*\(/y;
const SPACE = /\s/;
const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 /* _ */ || c === 36 /* $ */;
/** `\s` of a regular expression, without one for the ASCII characters. */
const isSpaceAt = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && SPACE.test(text[i]!));
};

/**
 * Every `receiver.name(` and `receiver?.name(` (spaces allowed around the dot and before the
 * parenthesis): the matches of /([\w$]+)\s*\??\.\s*([A-Za-z_]\w*)\s*\(/g, found from each dot
 * (indexOf) with the name checked after it and the receiver read back before it. That regular
 * expression tried every word of a file as a receiver: the costliest pattern of a scan
 * (test/scan-extract.test.ts holds it as the reference).
 */
export function dotCalls(text: string): CallSite[] {
  const calls: CallSite[] = [];
  for (let dot = text.indexOf('.'); dot !== -1; dot = text.indexOf('.', dot + 1)) {
    NAME_AFTER_DOT.lastIndex = dot + 1;
    const after = NAME_AFTER_DOT.exec(text);
    if (!after) continue;
    let end = dot;
    if (text.charCodeAt(end - 1) === 63 /* ? */) end--;
    while (end > 0 && isSpaceAt(text, end - 1)) end--;
    let start = end;
    while (start > 0 && isWordCode(text.charCodeAt(start - 1))) start--;
    if (start < end) calls.push({ index: start, receiver: text.slice(start, end), name: after[1]! });
  }
  return calls;
}

function phpCalls(text: string): CallSite[] {
  return Array.from(text.matchAll(PHP_CALL), (m) => ({ index: m.index, receiver: m[1]!, name: m[2]! }));
}

/**
 * SDK method as the JS SDK spells it: C# *Async and Go PascalCase → camelCase. Python's snake case
 * stays as written: it cannot be undone by rule (`batch_send_otowith_options` is `batchSendOTOWithOptions`),
 * so the catalog knows each operation under the Python spelling too (catalog/sdk-names.ts).
 */
export function sdkMethodName(name: string, lang: SourceLang): string {
  if (lang === 'python') return name;
  let n = name;
  if (lang === 'csharp') n = n.replace(/Async$/, '');
  return n.charAt(0).toLowerCase() + n.slice(1);
}

/**
 * Where the run of characters that `allowed` accepts, ending at `end`, starts (not before `limit`).
 * A match made of such characters only, ending at `end`, starts inside it: a pattern need not be tried before.
 */
function runStart(text: string, end: number, allowed: (text: string, i: number) => boolean, limit = 0): number {
  let start = end;
  while (start > limit && allowed(text, start - 1)) start--;
  return start;
}
const isCharOf = (chars: string) => (text: string, i: number) => isWordCode(text.charCodeAt(i)) || isSpaceAt(text, i) || chars.includes(text[i]!);
/** Every character an ASSIGNED_BEFORE match can hold. */
const ASSIGNMENT_CHAR = isCharOf(',:=.');
/** Every character of a JS import pattern's match before its quoted module name (importPatterns). */
const JS_IMPORT_CHAR = isCharOf(',*=(');

// `x = new `, `x, err := pkg.`, right before the alias (anchored at the end of the text before it)
const ASSIGNED_BEFORE = /([\w$]+)\s*(?:,\s*\w+\s*)?(?::=|=)\s*(?:new\s+)?(?:[\w$]+\.)?$/;
// `.default(`, `(`, right after it
const CALLED_AFTER = /(?:\.(?:default|Client|NewClient))?\s*\(/y;

/**
 * The variables assigned a call of `alias`: `x = new Alias(…)`, `x = new Alias.default(…)`,
 * `x, err := alias.NewClient(…)`, `x = Alias(config)`. Found from each occurrence of the alias
 * (indexOf), then checked after and before it: one regular expression that began with the
 * variable was tried at every word of the file (a tenth of `scopes scan` on a large tree).
 */
function assignedFrom(text: string, alias: string): string[] {
  const found: string[] = [];
  for (let at = text.indexOf(alias); at !== -1; at = text.indexOf(alias, at + 1)) {
    CALLED_AFTER.lastIndex = at + alias.length;
    if (!CALLED_AFTER.test(text)) continue;
    const m = ASSIGNED_BEFORE.exec(text.slice(runStart(text, at, ASSIGNMENT_CHAR, Math.max(0, at - 200)), at));
    if (m) found.push(m[1]!);
  }
  return found;
}

/**
 * Patterns built from a module or alias name, kept for the next file (every SDK file of a tree
 * imports the same few modules).
 */
const namedPatterns = new Map<string, RegExp[]>();
const patternsOf = (key: string, make: () => RegExp[]) => remembered(namedPatterns, 256, key, make);

/** The import statements that name a module's client (global patterns; group 1, and 2 when present: the names). */
function importPatterns(lang: SourceLang, mod: string): RegExp[] {
  return patternsOf(`${lang} ${mod}`, () => {
    const esc = escapeRegExp(mod);
    const patterns: RegExp[] = [];
    if (lang === 'js') {
      patterns.push(new RegExp(String.raw`import\s+([\w$]+)(?:\s*,\s*\*\s*as\s+([\w$]+))?\s+from\s+['"]@alicloud/dingtalk/${esc}['"]`, 'g'));
      patterns.push(new RegExp(String.raw`import\s+\*\s*as\s+([\w$]+)\s+from\s+['"]@alicloud/dingtalk/${esc}['"]`, 'g'));
      patterns.push(new RegExp(String.raw`(?:const|let|var)\s+([\w$]+)\s*=\s*require\(\s*['"]@alicloud/dingtalk/${esc}['"]`, 'g'));
    } else if (lang === 'python') {
      patterns.push(new RegExp(String.raw`alibabacloud_dingtalk\.${esc}\.client\s+import\s+Client(?:\s+as\s+(\w+))?`, 'g'));
    } else if (lang === 'go') {
      patterns.push(new RegExp(String.raw`(\w+)\s+"github\.com/alibabacloud-go/dingtalk/${esc}"`, 'g'));
    } else if (lang === 'php') {
      // the class is `Dingtalk` in every module: aliased when a file uses several
      patterns.push(new RegExp(String.raw`use\s+\\?AlibabaCloud\\SDK\\Dingtalk\\V${esc}\\Dingtalk(?:\s+as\s+(\w+))?\s*;`, 'g'));
    }
    return patterns;
  });
}

/**
 * Where a module's import patterns can first match (-1: nowhere). A JS one ends at the quoted
 * `@alicloud/dingtalk/<module>` and holds before it only JS_IMPORT_CHAR characters, so none starts
 * before the run of those ending at the first occurrence (a file's imports sit anywhere, often far down).
 */
function importsFrom(text: string, lang: SourceLang, mod: string): number {
  if (lang !== 'js') return 0;
  const at = text.indexOf(`@alicloud/dingtalk/${mod}`);
  if (at === -1) return -1;
  return runStart(text, at > 0 && `'"`.includes(text[at - 1]!) ? at - 1 : at, JS_IMPORT_CHAR);
}

/** Aliases a module is known by in the file (import names, namespace names), then variables bound to `new Alias(…)`. */
function bindings(text: string, lang: SourceLang, modules: string[]): Map<string, string> {
  const bound = new Map<string, string>();
  const aliases = new Map<string, string>();
  for (const mod of modules) {
    const unaliased = lang === 'php' ? 'Dingtalk' : 'Client';
    const from = importsFrom(text, lang, mod);
    for (const re of from < 0 ? [] : importPatterns(lang, mod)) {
      re.lastIndex = from; // matchAll starts there
      for (const m of text.matchAll(re)) for (const name of [m[1] ?? unaliased, m[2]]) if (name) aliases.set(name, mod);
    }
    if (lang === 'go' && ![...aliases.values()].includes(mod)) aliases.set(mod, mod); // default package name
    if (lang === 'java') aliases.set(`com.aliyun.dingtalk${mod}.Client`, mod);
    if (lang === 'js') aliases.set(mod, mod); // root import: dingtalk.contact_1_0.default / { contact_1_0 }
  }
  // x = new Alias(…) · x = new Alias.default(…) · x, err := alias.NewClient(…) · x = Alias(config)
  // · com.aliyun.dingtalkcontact_1_0.Client x = …
  for (const [alias, mod] of aliases) {
    for (const variable of assignedFrom(text, alias)) bound.set(variable, mod);
    // on one line: an import ending in the alias must not bind the next line's variable
    const [typed] = patternsOf(`typed ${alias}`, () => [new RegExp(String.raw`${escapeRegExp(alias)}(?:\.Client)?[ \t]+([\w$]+)[ \t]*[=;]`, 'g')]);
    for (const m of text.matchAll(typed!)) bound.set(m[1]!, mod);
  }
  return bound;
}

function extractSdkCalls(text: string, lang: SourceLang, lines: () => number[], inComment: (offset: number) => boolean, modules: string[], filter?: ExtractFilter): SdkHit[] {
  if (modules.length === 0) return [];
  const bound = bindings(text, lang, modules);
  const hits: SdkHit[] = [];
  for (const { index, receiver, name } of lang === 'php' ? phpCalls(text) : dotCalls(text)) {
    if (lang === 'go' && !/^[A-Z]/.test(name)) continue; // Go exports are capitalised
    const mod = bound.get(receiver);
    const call = { modules: mod ? [mod] : modules, method: sdkMethodName(name, lang), receiver, bound: Boolean(mod) };
    if (filter && !filter.sdkCall(call)) continue;
    hits.push({ kind: 'sdk', line: lineAt(lines(), index), ...call, comment: inComment(index) });
  }
  return hits;
}

function sdkModulesOf(text: string, lang: SourceLang): string[] {
  if (lang === 'other') return [];
  const mods = new Set<string>();
  const first = text.indexOf(SDK_IMPORT_STARTS[lang]);
  if (first !== -1) {
    const imports = SDK_IMPORTS[lang];
    imports.lastIndex = first; // matchAll starts there
    for (const m of text.matchAll(imports)) mods.add(m[1]!);
  }
  if (lang === 'js' && text.includes('@alicloud/dingtalk') && JS_ROOT_IMPORT.test(text)) {
    for (const m of text.matchAll(MODULE_TOKEN)) mods.add(m[1]!);
  }
  return [...mods].sort();
}

// ---------------------------------------------------------------- entry points

const CONTEXT = /dingtalk|钉钉/i;
/**
 * Candidate API uses in one file (those `filter` keeps, when given). `file` is only used for its
 * extension; `context`, when known (prefilter.ts found it in the bytes), saves searching the text for it.
 */
export function extractFile(file: string, text: string, filter?: ExtractFilter, context?: boolean): FileExtract {
  const ext = extOf(file);
  const lang = langOf(file);
  const dingtalkContext = context ?? CONTEXT.test(text);
  // line starts and comments are worked out at the first hit only: most candidate files have none
  let starts: number[] | undefined;
  const lines = () => (starts ??= lineStarts(text));
  let comments: Array<[number, number]> | undefined;
  const inComment = (offset: number) => inRanges((comments ??= commentRanges(text, COMMENTS_BY_EXT[ext] ?? 'none')), offset);
  const sdkModules = sdkModulesOf(text, lang);
  const hits: Hit[] = [
    ...extractPaths(text, lines, inComment, dingtalkContext, filter),
    ...extractSdkCalls(text, lang, lines, inComment, sdkModules, filter),
  ];
  return { lang, dingtalkContext, sdkModules, hits };
}
