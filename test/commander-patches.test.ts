/**
 * commander's patterns are written out as string code in the build (scripts/commander-patches.mjs):
 * each function must answer as the pattern it replaces, on generated strings and on every flag and
 * command name the CLI defines. The build checks the patterns are still in commander's sources.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script (plain ESM, no types)
import * as patches from '../scripts/commander-patches.mjs';
import { ROOT } from './helpers/run-cli.js';

type Fn = (s: unknown, ...rest: string[]) => unknown;
const p = patches as unknown as Record<string, Fn> & { patchCommander: (file: string, source: string) => string };

// strings made of the characters these patterns care about, and some others
const alphabet = fc.constantFrom('-', '-', ' ', ' ', '|', ',', '.', '<', '>', '[', ']', '=', 'a', 'Z', '0', '_', 'é', '\n', '\r', '\u2028', '\t', '…');
const text = fc.array(alphabet, { maxLength: 14 }).map((cs) => cs.join(''));
const all = fc.oneof(text, fc.string({ maxLength: 12 }));

/** The CLI's own flags and command names, as src/ writes them. */
function cliFlags(): string[] {
  const src = ['src/program.ts', 'src/commands/global-options.ts', 'src/commands/diagnose.ts', 'src/commands/check.ts', 'src/commands/scopes.ts', 'src/commands/app-options.ts', 'src/commands/diagnose-replay-options.ts']
    .map((f) => readFileSync(join(ROOT, f), 'utf8'))
    .join('\n');
  // .option('…'), createOption('…'), and the option specs as data ({ flags: '…' })
  return [...src.matchAll(/\.(?:option|requiredOption|command|argument|createOption)\(\s*'([^']+)'/g), ...src.matchAll(/\bflags: '([^']+)'/g)].map((m) => m[1]!);
}

describe('commander patterns as string code', () => {
  const cases: Array<[string, (s: string) => unknown, (s: string) => unknown]> = [
    ['isShortFlag', (s) => p.isShortFlag!(s), (s) => /^-[^-]$/.test(s)],
    ['isLongFlag', (s) => p.isLongFlag!(s), (s) => /^--[^-]/.test(s)],
    ['isVariadic', (s) => p.isVariadic!(s), (s) => /\w\.\.\.[>\]]$/.test(s)],
    ['splitFlags', (s) => p.splitFlags!(s), (s) => s.split(/[ |,]+/)],
    ['splitNameAndArgs', (s) => p.splitNameAndArgs!(s), (s) => { const m = s.match(/([^ ]+) *(.*)/); return m && [...m]; }],
    ['isLongWithValue', (s) => p.isLongWithValue!(s), (s) => /^--[^=]+=/.test(s)],
    ['withoutPrefix --', (s) => p.withoutPrefix!(s, '--'), (s) => s.replace(/^--/, '')],
    ['withoutPrefix -', (s) => p.withoutPrefix!(s, '-'), (s) => s.replace(/^-/, '')],
    ['withoutPrefix no-', (s) => p.withoutPrefix!(s, 'no-'), (s) => s.replace(/^no-/, '')],
  ];
  const flags = cliFlags();

  it('finds the CLI flags to check', () => {
    expect(flags).toContain('--json');
    expect(flags.length).toBeGreaterThan(20);
  });

  for (const [name, ours, pattern] of cases) {
    it(`${name} answers as its pattern`, () => {
      const words = flags.flatMap((f) => [f, ...f.split(/[ |,]+/)]);
      for (const s of [...words, '', ' ', '-', '--', '---', '-x', '--x', '--no-color', 'a...>', '_...]', '-...>', 'x', ' scopes [q...]', '  ', '--a=', '--=x', '--a=b=c']) {
        expect(ours(s), `${name}(${JSON.stringify(s)})`).toEqual(pattern(s));
      }
      fc.assert(fc.property(all, (s) => { expect(ours(s), JSON.stringify(s)).toEqual(pattern(s)); }), { numRuns: 3000 });
    });
  }

  it('the patterns are in commander as expected, and each is replaced', () => {
    for (const file of ['option.js', 'command.js']) {
      const source = readFileSync(join(ROOT, 'node_modules/commander/lib', file), 'utf8');
      const patched = p.patchCommander(file, source);
      for (const [from] of (patches as unknown as { PATCHES: Record<string, string[][]> }).PATCHES[file]!) expect(patched.includes(from!), from).toBe(false);
    }
    expect(() => p.patchCommander('option.js', 'nothing here')).toThrow(/expected 1/);
  });
});
