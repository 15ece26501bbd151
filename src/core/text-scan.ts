/**
 * Hand-written scans for the small patterns every diagnosed body ran once or twice. V8 compiles a
 * pattern at its first exec and again at its second (tier-up, to machine code): ≈ 0.05–0.4 M
 * instructions each (measured), a sizeable part of a one-body diagnose, where the scan itself is a few
 * hundred. Each function names the pattern it stands for; test/text-scan.test.ts holds it to that pattern.
 */
import { isDigitCode, isLetterCode, isWordCode } from '../values.js';

/** A character of JavaScript's `\s` (WhiteSpace and LineTerminator, as RegExp reads them). */
export function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}


/** `/^-?\d+$/.test(s)`. */
export function isInteger(s: string): boolean {
  const start = s.charCodeAt(0) === 45 ? 1 : 0;
  if (s.length === start) return false;
  for (let i = start; i < s.length; i++) if (!isDigitCode(s.charCodeAt(i))) return false;
  return true;
}

/** `/^[A-Za-z][\w.\-]{min-1,max-1}$/.test(s)`: a code or scope name (a letter, then word characters, `.` and `-`). */
export function isCodeName(s: string, min = 1, max = Infinity): boolean {
  if (s.length < min || s.length > max || !isLetterCode(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isWordCode(c) && c !== 46 && c !== 45) return false;
  }
  return true;
}

const SHAPED_PREFIXES = [
  'Forbidden', 'InvalidAuthentication', 'AuthenticationFailed', 'Unauthorized', 'unauthorized.', 'orgAuthLevel',
  'systemBusy', 'system.busy', 'no.priviledge', 'permission.', 'forbidden.', 'acrossOrg', 'authFailed', 'Throttling',
  'paramError', 'param.', 'MissingParameter', 'InvalidParameter', 'InvalidAction.',
];

/**
 * A code of DingTalk's shape: `/^(?:Forbidden|InvalidAuthentication|…|invalid[A-Z]|…|InvalidAction\.)/.test(code)`
 * (the pattern, 278 characters, cost ≈ 0.4 M instructions to compile, measured).
 */
export function hasDingTalkCodeShape(code: string): boolean {
  if (code.startsWith('invalid')) {
    const c = code.charCodeAt(7);
    if (c >= 65 && c <= 90) return true;
  }
  return SHAPED_PREFIXES.some((p) => code.startsWith(p));
}

const isQuoteOrBackslash = (c: number) => c === 92 || c === 34 || c === 39;

/**
 * `list.split(/[,，\s]+/).map((s) => s.replace(/^[\\"']+|[\\"']+$/g, ''))`: the items of a scope list,
 * their quotes and escaping backslashes dropped from both ends.
 */
export function listItems(list: string): string[] {
  const items: string[] = [];
  let start = 0;
  for (let i = 0; i <= list.length; i++) {
    const c = i < list.length ? list.charCodeAt(i) : -1;
    if (c !== -1 && c !== 44 && c !== 0xff0c && !isSpaceCode(c)) continue;
    let a = start;
    let b = i;
    while (a < b && isQuoteOrBackslash(list.charCodeAt(a))) a++;
    while (b > a && isQuoteOrBackslash(list.charCodeAt(b - 1))) b--;
    items.push(list.slice(a, b));
    if (c === -1) break;
    // a run of separators is one
    while (i + 1 < list.length && (list.charCodeAt(i + 1) === 44 || list.charCodeAt(i + 1) === 0xff0c || isSpaceCode(list.charCodeAt(i + 1)))) i++;
    start = i + 1;
  }
  return items;
}

/** `s.replace(/\\(["'])/g, '$1')`: a quote's escaping backslash dropped. */
export const unescapeQuotes = (s: string): string => (s.includes('\\') ? s.replaceAll('\\"', '"').replaceAll("\\'", "'") : s);

/** `/\n[{[]/.test(s)`: a line that opens a JSON object or array. */
export const hasJsonLineStart = (s: string): boolean => s.includes('\n{') || s.includes('\n[');

/** `/\\["']|\\u/.test(s)`: an escaped quote or a `\u` escape (a JSON string inside JSON). */
export const hasEscapes = (s: string): boolean => s.includes('\\"') || s.includes("\\'") || s.includes('\\u');

/** `s.split(/\r?\n/)`. */
export function splitLines(s: string): string[] {
  const lines = s.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** `text.replace(/\[([^\]]+)\]\((?!https?:)[^)]*\)/g, '$1')`: markdown links to relative pages, their words kept. */
export function unlinkRelative(text: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('['); at !== -1; ) {
    const close = text.indexOf(']', at + 1);
    if (close === -1) break; // no `]` after: no later `[` opens a link either
    const target = close + 2;
    if (close > at + 1 && text.charCodeAt(close + 1) === 40 && !text.startsWith('http:', target) && !text.startsWith('https:', target)) {
      const end = text.indexOf(')', target);
      if (end !== -1) {
        out += text.slice(from, at) + text.slice(at + 1, close);
        from = end + 1;
        at = text.indexOf('[', from);
        continue;
      }
    }
    at = text.indexOf('[', at + 1);
  }
  return from === 0 ? text : out + text.slice(from);
}

/** `text.replace(/\s+/g, ' ')`: each run of white space one space. */
export function collapseSpaces(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isSpaceCode(text.charCodeAt(i))) continue;
    let end = i + 1;
    while (end < text.length && isSpaceCode(text.charCodeAt(end))) end++;
    // a lone space is already what it becomes
    if (end === i + 1 && text.charCodeAt(i) === 32) continue;
    out += text.slice(from, i) + ' ';
    from = end;
    i = end - 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** `new RegExp(words.join('|')).exec(text)?.[0] ?? null` for words that start with different characters: the leftmost. */
export function leftmostOf(text: string, words: readonly string[]): string | null {
  let best: string | null = null;
  let bestAt = Infinity;
  for (const word of words) {
    const at = text.indexOf(word);
    if (at !== -1 && at < bestAt) {
      best = word;
      bestAt = at;
    }
  }
  return best;
}
