/** Small value helpers shared by every layer (pure: no I/O). */

/** A JSON-like object (not null, not an array): what untrusted JSON must be before its keys are read. */
export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A memoised thunk: the value is made at the first call. The catalog's tables and indexes are built
 * on first use, so a command pays only for the lookups it makes; so are the parser's patterns: V8
 * parses a pattern literal when it is evaluated (≈ 300 instructions a character), and a text runs
 * a few of the ≈ 150 patterns of a diagnose's modules.
 */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

/** `s` as a literal inside a RegExp source. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `text` holds one of `words` (with `then`, one that `then` matches right after). A pattern
 * that cannot match without one of its words is run only where this holds (with the text
 * lower-cased: every word an `i` flag would find, and more).
 */
export function hasAnyOf(text: string, words: readonly string[], then?: RegExp): boolean {
  if (!then) return words.some((word) => text.includes(word));
  // `then` (sticky) must match right after an occurrence of a word: a key's `:` or `=`, not its mention in prose
  for (const word of words) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      then.lastIndex = at + word.length;
      if (then.test(text)) return true;
    }
  }
  return false;
}

/**
 * A pattern with the words it cannot match without and, optionally, what must follow one of them
 * (see hasAnyOf); test/pattern-words.test.ts holds each to them.
 */
export type GuardedPattern = readonly [RegExp, readonly string[], RegExp?];

/**
 * ASCII words in either case, spelt out (`code` → `[cC][oO][dD][eE]`): what the `i` flag matches on
 * them (without `u`, no other character folds to an ASCII letter), so a pattern needs no `i`. V8
 * compiles a case-insensitive pattern into a larger program (measured: 10–40 % more compile time),
 * and it compiles each pattern a run uses at every start.
 */
export function anyCase(names: string): string {
  let out = '';
  for (const c of names) {
    const lower = c.toLowerCase();
    const upper = c.toUpperCase();
    out += lower === upper ? c : `[${lower}${upper}]`;
  }
  return out;
}

/** ASCII character tests on a UTF-16 code: a digit, a letter, a character of the pattern `\w`. */
export const isDigitCode = (c: number) => c >= 48 && c <= 57;
export const isLetterCode = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
export const isWordCode = (c: number) => isLetterCode(c) || isDigitCode(c) || c === 95;

const isDigit = (text: string, i: number) => isDigitCode(text.charCodeAt(i));

/**
 * `(text.match(/\d{3}/g) ?? []).map(Number)`: each three digits in a row, left to right (the catalog's
 * statuses, `403` or `400/403`; the pattern, compiled twice, cost ≈ 0.1 M instructions, measured).
 */
export function threeDigitNumbers(text: string): number[] {
  const found: number[] = [];
  for (let i = 0; i + 3 <= text.length; ) {
    if (isDigit(text, i) && isDigit(text, i + 1) && isDigit(text, i + 2)) {
      found.push(Number(text.slice(i, i + 3)));
      i += 3;
    } else i++;
  }
  return found;
}
