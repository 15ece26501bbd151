// The binary search over the generated one-row-per-line tables must find exactly the rows a
// full decode finds, for every key, for keys between and beyond them, and in odd tables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineTable } from '../src/catalog/lines.js';
import { ROOT } from './helpers/run-cli.js';

type Table = { fields: string[]; rows: unknown[][] };

/** `first`: the rows are keyed by their first value, so the table's own reading of it ('first') must agree too. */
function check(bytes: Buffer, keyOf: (row: unknown[]) => string, keys: Iterable<string>, first = false): void {
  const all = (JSON.parse(bytes.toString('utf8')) as Table).rows;
  const table = new LineTable(bytes);
  for (const key of keys) {
    const expected = all.filter((row) => keyOf(row) === key);
    expect(table.equalRange(key, keyOf), key).toEqual(expected);
    if (first) expect(table.equalRange(key, 'first'), key).toEqual(expected);
  }
}

/** A table written the way scripts/build-catalog.mjs writes one. */
const write = (rows: unknown[][]) => Buffer.from(`{"fields":["k","v"],"rows":[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`);

describe('LineTable', () => {
  for (const [file, keyOf] of [
    ['errors.json', (r: unknown[]) => String(r[1]).toLowerCase()],
    ['scopes.json', (r: unknown[]) => String(r[0])],
  ] as const) {
    it(`${file}: every key, and keys that are absent, match a full decode`, () => {
      const bytes = readFileSync(join(ROOT, 'src', 'data', file));
      const keys = new Set((JSON.parse(bytes.toString('utf8')) as Table).rows.map(keyOf));
      const absent = [...keys].flatMap((k) => [`${k}~`, k.slice(0, -1)]);
      check(bytes, keyOf, [...keys, ...absent, '', '\u{10ffff}', '!'], file === 'scopes.json');
    });
  }

  it('random sorted tables with duplicate keys, multi-byte text, quotes and backslashes in keys, and an empty body', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 4, unit: 'grapheme' }), fc.string({ maxLength: 30, unit: 'grapheme' })), { maxLength: 60 }), fc.array(fc.string({ maxLength: 4 }), { maxLength: 10 }), (pairs, extra) => {
        const rows = pairs.map(([k, v]) => [k, v]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
        check(write(rows), (r) => String(r[0]), [...rows.map((r) => r[0]!), ...extra], true);
      }),
      { numRuns: 300 },
    );
  });
});
