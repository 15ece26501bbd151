/**
 * The module each message table becomes in the build (scripts/messages-module.mjs): a binary search
 * over sorted `id<TAB>value` lines. Written to a file and imported as the build's CLI runs it, it must
 * read as the JSON table itself does: every id, unknown ids, `in`, the key list, odd ids.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script (plain ESM, no types)
import { messagesModule } from '../scripts/messages-module.mjs';
import { ROOT } from './helpers/run-cli.js';
import { tempDirs } from './helpers/temp-dirs.js';

const newDir = tempDirs('dd-messages-module-');
let n = 0;
async function asModule(table: Record<string, string>): Promise<Record<string, string | undefined>> {
  const file = join(newDir(), `table-${n++}.mjs`);
  writeFileSync(file, (messagesModule as (t: object, name: string) => string)(table, 'test'));
  return ((await import(pathToFileURL(file).href)) as { default: Record<string, string | undefined> }).default;
}

describe('the built message table', () => {
  for (const lang of ['en', 'zh']) {
    it(`${lang}.json: every id gives its text, unknown ids nothing, \`in\` and the keys as the table's`, async () => {
      const table = JSON.parse(readFileSync(join(ROOT, `src/messages/${lang}.json`), 'utf8')) as Record<string, string>;
      const built = await asModule(table);
      // looked up in an order that is not the sorted one, before anything parses the table whole
      for (const id of Object.keys(table).reverse()) expect(built[id], id).toBe(table[id]);
      for (const id of ['', 'ui', 'ui.', 'zzz', '\u0000', 'ui.cmd.see-help ', ' ui.cmd.see-help']) expect(built[id], JSON.stringify(id)).toBeUndefined();
      expect('ui.cmd.see-help' in built).toBe(true);
      expect('no.such.id' in built).toBe(false);
      expect(Object.keys(built).sort()).toEqual(Object.keys(table).sort());
    });
  }

  it('any table of ids without tabs or newlines: found as a plain object finds them', async () => {
    const id = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\t\n\r]/.test(s));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(id, fc.string({ maxLength: 20 }), { maxKeys: 40 }), fc.array(id, { maxLength: 10 }), async (table, probes) => {
        const built = await asModule(table);
        for (const key of [...Object.keys(table), ...probes]) expect(built[key]).toBe(Object.hasOwn(table, key) ? table[key] : undefined);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses an id that cannot be a line', () => {
    expect(() => (messagesModule as (t: object, name: string) => string)({ 'a\tb': 'x' }, 'test')).toThrow(/cannot be stored as a line/);
  });
});
