/**
 * The module a message table (src/messages/*.json) becomes in the build (scripts/build.mjs): one
 * string of `id<TAB>value` lines, the value JSON-encoded in ASCII, sorted by id, and the offset of
 * each line. A text is found by a binary search over the ids (then JSON.parse of that one value),
 * without parsing the table: a 55 KB JSON.parse of a two-byte string cost ≈ 2.5 M instructions of
 * every run, and searching the string for `\n<id>\t` (the way before) ≈ 0.4 M for a diagnose's
 * 30-odd texts. The Proxy reads as the table itself does; `in` and the key list parse it whole.
 */

/** JSON with every non-ASCII character escaped: the build's output is ASCII (boot.cjs reads it as latin1). */
export const asciiJson = (value) => JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The module's source (ES module syntax) for `table`, an object of id → text; `name` is for error messages. */
export function messagesModule(table, name) {
  // sorted as the lookup compares (`<` on strings: UTF-16 code units)
  const ids = Object.keys(table).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const starts = [];
  let text = '';
  for (const id of ids) {
    const value = table[id];
    if (typeof value !== 'string' || /[\t\n\r]/.test(id)) throw new Error(`${name}: message "${id}" cannot be stored as a line`);
    starts.push(text.length);
    text += `${id}\t${asciiJson(value)}\n`;
  }
  starts.push(text.length);
  return [
    `const lines = ${JSON.stringify(text)};`,
    // (line i is lines.slice(starts[i], starts[i + 1] - 1))
    `const starts = ${JSON.stringify(starts)};`,
    'const found = new Map();',
    'let whole;',
    'function valueAt(i) {',
    "  const tab = lines.indexOf('\\t', starts[i]);",
    '  return JSON.parse(lines.slice(tab + 1, starts[i + 1] - 1));',
    '}',
    'function idAt(i) {',
    "  return lines.slice(starts[i], lines.indexOf('\\t', starts[i]));",
    '}',
    'const count = starts.length - 1;',
    'const parsed = () => (whole ??= Object.fromEntries(Array.from({ length: count }, (_, i) => [idAt(i), valueAt(i)])));',
    'function indexOf(id) {',
    '  let lo = 0;',
    '  let hi = count - 1;',
    '  while (lo <= hi) {',
    '    const mid = (lo + hi) >> 1;',
    '    const at = idAt(mid);',
    '    if (at === id) return mid;',
    '    if (at < id) lo = mid + 1;',
    '    else hi = mid - 1;',
    '  }',
    '  return -1;',
    '}',
    'function textOf(id) {',
    "  if (typeof id !== 'string') return undefined;",
    '  if (whole) return Object.hasOwn(whole, id) ? whole[id] : undefined;',
    '  let text = found.get(id);',
    '  if (text === undefined && !found.has(id)) {',
    '    const i = indexOf(id);',
    '    text = i === -1 ? undefined : valueAt(i);',
    '    found.set(id, text);',
    '  }',
    '  return text;',
    '}',
    'export default new Proxy({}, {',
    '  get: (_, key) => textOf(key),',
    '  has: (_, key) => key in parsed(),',
    '  ownKeys: () => Reflect.ownKeys(parsed()),',
    '  getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(parsed(), key),',
    '});',
  ].join('\n');
}
