/**
 * The parser, the platform rules and the credential masker run a pattern only on a text that holds
 * one of the pattern's words (so that a one-body diagnose compiles a few patterns, not a hundred).
 * That is only right if no pattern can match a text without its words: a wrong word is a field, a
 * platform or a credential silently missed. Checked on every fixture and example we have (real
 * texts, with their public sources in their own tests), on those texts upper-cased, and on random
 * texts built from the patterns' own words and the characters around them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caselessKeyPatterns, fieldPatterns } from '../src/core/parse/fields.js';
import { caselessRulePatterns, platformPatterns } from '../src/core/parse/platform.js';
import { credentialPatterns } from '../src/redact.js';
import { appTypePatterns } from '../src/core/diagnose.js';
import { hasAnyOf, type GuardedPattern } from '../src/values.js';

const ROOT = join(import.meta.dirname, '..');
const GROUPS = { fields: fieldPatterns(), platform: platformPatterns(), credentials: credentialPatterns(), 'app type': appTypePatterns() };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The patterns of a group that match `text` although none of their words is in it. */
function unguardedMatches(patterns: readonly GuardedPattern[], text: string): string[] {
  const lower = text.toLowerCase();
  return patterns
    .filter(([re, words, then]) => new RegExp(re.source, re.flags.replace('g', '')).test(text) && !hasAnyOf(lower, words, then))
    .map(([re]) => re.source.slice(0, 80));
}

const texts = [...filesUnder(join(ROOT, 'examples')), ...filesUnder(join(ROOT, 'test', 'fixtures', 'diagnose'))]
  .filter((file) => statSync(file).size < 1 << 20 && !file.endsWith('.gz'))
  .map((file) => [file.slice(ROOT.length + 1), readFileSync(file, 'utf8')] as const);

describe('a pattern is skipped only on a text it cannot match', () => {
  it('the fixtures and examples are there to check against', () => {
    expect(texts.length).toBeGreaterThan(40);
  });

  for (const [group, patterns] of Object.entries(GROUPS)) {
    it(`${group}: every fixture, as it is and upper-cased`, () => {
      for (const [file, text] of texts) {
        expect({ file, misses: unguardedMatches(patterns, text) }).toEqual({ file, misses: [] });
        expect({ file, misses: unguardedMatches(patterns, text.toUpperCase()) }).toEqual({ file, misses: [] });
      }
    });

    it(`${group}: random texts made of the patterns' words and what surrounds them`, () => {
      const words = [...new Set(patterns.flatMap(([, w]) => w))];
      const piece = fc.oneof(
        fc.constantFrom(...words),
        fc.constantFrom(...words).map((w) => w.toUpperCase()),
        // pieces of words: a pattern that matches a spelling its words lack shows up here
        fc.tuple(fc.constantFrom(...words), fc.nat(), fc.nat()).map(([w, a, b]) => w.slice(Math.min(a, b) % w.length, Math.max(a, b) % (w.length + 1))),
        fc.constantFrom('"', "'", ':', '=', ' ', '\n', '\\', '[', ']', '{', '}', ',', '.', '/', '_', '-', '@', '%3D', '403', '60011', 'Bearer ', 'https://', 'x'),
        fc.string({ maxLength: 4 }),
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
          const text = pieces.join('');
          expect(unguardedMatches(patterns, text)).toEqual([]);
        }),
        { seed: 18, numRuns: 3000 },
      );
    });
  }
});

/** Every match of `re` in `text`, as [index, groups…]. */
const allMatches = (re: RegExp, text: string) => [...text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))].map((m) => [m.index, ...m]);
/** The text with its letters' case alternating: `Code` → `cOdE`, a spelling no fixture has. */
const alternatingCase = (text: string) => [...text].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');

describe('the patterns that spell their words in both cases instead of the i flag', () => {
  const caseless = [...caselessKeyPatterns(), ...caselessRulePatterns()];
  it('none of them has the flag', () => {
    expect(caseless.filter((re) => re.flags.includes('i'))).toEqual([]);
  });
  it('each matches exactly what it matches with the i flag, on every fixture in three casings', () => {
    for (const re of caseless) {
      const withI = new RegExp(re.source, `${re.flags}i`);
      for (const [file, text] of texts) {
        for (const variant of [text, text.toUpperCase(), alternatingCase(text)]) {
          expect({ file, pattern: re.source.slice(0, 60), matches: allMatches(re, variant) }).toEqual({ file, pattern: re.source.slice(0, 60), matches: allMatches(withI, variant) });
        }
      }
    }
  });
});
