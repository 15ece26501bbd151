/**
 * commander's small patterns, written out as string code in the build (scripts/build.mjs). Every
 * start builds the program: each option's flags go through four patterns and each command's name
 * through one, and V8 compiles a pattern to machine code at its second use (or at once for a
 * replace): ≈ 0.7 M instructions of every run, for tests a few string calls answer. Each function
 * here does what the pattern in its comment does; test/commander-patches.test.ts checks them
 * against the patterns on generated and real flags.
 */

/** `/^-[^-]$/.test(s)`: a short flag, `-q`. */
export function isShortFlag(s) {
  s = String(s);
  return s.length === 2 && s.charCodeAt(0) === 45 && s.charCodeAt(1) !== 45;
}

/** `/^--[^-]/.test(s)`: a long flag, `--json`. */
export function isLongFlag(s) {
  s = String(s);
  return s.length > 2 && s.charCodeAt(0) === 45 && s.charCodeAt(1) === 45 && s.charCodeAt(2) !== 45;
}

/** `/\w\.\.\.[>\]]$/.test(s)`: a variadic value, `<inputs...>`. */
export function isVariadic(s) {
  s = String(s);
  const n = s.length;
  if (n < 5 || (s[n - 1] !== '>' && s[n - 1] !== ']') || s.slice(n - 4, n - 1) !== '...') return false;
  const c = s.charCodeAt(n - 5);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `s.replace(/^<prefix>/, '')` for a prefix of plain characters. */
export function withoutPrefix(s, prefix) {
  s = String(s);
  return s.startsWith(prefix) ? s.slice(prefix.length) : s;
}

/** `s.split(/[ |,]+/)`: the words of an option's flags. */
export function splitFlags(s) {
  s = String(s);
  const words = [];
  let word = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== ' ' && c !== '|' && c !== ',') {
      word += c;
      continue;
    }
    words.push(word);
    word = '';
    while (i + 1 < s.length && (s[i + 1] === ' ' || s[i + 1] === '|' || s[i + 1] === ',')) i++;
  }
  words.push(word);
  return words;
}

/** `s.match(/([^ ]+) *(.*)/)`: a command's name and its arguments (`scopes [query...]`); null without a name. */
export function splitNameAndArgs(s) {
  s = String(s);
  let start = 0;
  while (start < s.length && s[start] === ' ') start++;
  if (start === s.length) return null;
  let end = start;
  while (end < s.length && s[end] !== ' ') end++;
  let rest = end;
  while (rest < s.length && s[rest] === ' ') rest++;
  let stop = rest;
  // `.` stops at a line terminator
  while (stop < s.length && !'\n\r\u2028\u2029'.includes(s[stop])) stop++;
  return [s.slice(start, stop), s.slice(start, end), s.slice(rest, stop)];
}

/** `/^--[^=]+=/.test(s)`: `--option=value`. */
export function isLongWithValue(s) {
  s = String(s);
  return s.startsWith('--') && s.indexOf('=', 2) > 2;
}

const HELPERS = [isShortFlag, isLongFlag, isVariadic, withoutPrefix, splitFlags, splitNameAndArgs, isLongWithValue];

/** Per file of commander/lib: each pattern's text as commander 14 writes it, and what replaces it. */
export const PATCHES = {
  'option.js': [
    ['/\\w\\.\\.\\.[>\\]]$/.test(flags)', 'isVariadic(flags)'],
    ["this.long.replace(/^--/, '')", "withoutPrefix(this.long, '--')"],
    ["this.short.replace(/^-/, '')", "withoutPrefix(this.short, '-')"],
    ["this.name().replace(/^no-/, '')", "withoutPrefix(this.name(), 'no-')"],
    ['const shortFlagExp = /^-[^-]$/;', 'const shortFlagExp = { test: isShortFlag };'],
    ['const longFlagExp = /^--[^-]/;', 'const longFlagExp = { test: isLongFlag };'],
    ['flags.split(/[ |,]+/)', 'splitFlags(flags)'],
  ],
  'command.js': [
    ['nameAndArgs.match(/([^ ]+) *(.*)/)', 'splitNameAndArgs(nameAndArgs)', 2],
    ['/^--[^=]+=/.test(arg)', 'isLongWithValue(arg)'],
    ["option.long.replace(/^--no-/, '--')", "'--' + withoutPrefix(option.long, '--no-')"],
  ],
};

/**
 * `source` (commander/lib/<file>) with its patterns replaced and the helpers put before it. Throws
 * when a pattern is not there as often as expected: a commander that changed gets looked at again.
 */
export function patchCommander(file, source) {
  let patched = source;
  for (const [from, to, times = 1] of PATCHES[file] ?? []) {
    const found = patched.split(from).length - 1;
    if (found !== times) throw new Error(`commander-patterns: ${file} has ${found} of ${from}, expected ${times}`);
    patched = patched.split(from).join(to);
  }
  const used = HELPERS.filter((helper) => PATCHES[file]?.some(([, to]) => to.includes(`${helper.name}(`) || to.includes(`test: ${helper.name} `)));
  return PATCHES[file] ? `${used.map(String).join('\n')}\n${patched}` : source;
}
