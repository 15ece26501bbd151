/**
 * The hand-written scans of src/core/text-scan.ts answer exactly what the patterns they replaced did,
 * on generated strings and on every token of the real inputs (examples/, test/fixtures/) and the
 * catalog's codes and scopes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseSpaces, hasDingTalkCodeShape, hasEscapes, hasJsonLineStart, isCodeName, isInteger, isSpaceCode, leftmostOf, listItems, splitLines, unescapeQuotes, unlinkRelative } from '../src/core/text-scan.js';
import { threeDigitNumbers } from '../src/values.js';
import { ROOT } from './helpers/run-cli.js';

/** The patterns as they were. */
const OLD = {
  integer: /^-?\d+$/,
  codeName: /^[A-Za-z][\w.\-]*$/,
  scopeCode: /^[A-Za-z][\w.\-]{1,99}$/,
  dingtalkCode:
    /^(?:Forbidden|InvalidAuthentication|AuthenticationFailed|Unauthorized|unauthorized\.|invalid[A-Z]|orgAuthLevel|systemBusy|system\.busy|no\.priviledge|permission\.|forbidden\.|acrossOrg|authFailed|Throttling|paramError|param\.|MissingParameter|InvalidParameter|InvalidAction\.)/,
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The text of every real input (examples/, test/fixtures/), and of the catalog. */
const realTexts = [...filesUnder(join(ROOT, 'examples')), ...filesUnder(join(ROOT, 'test', 'fixtures')), join(ROOT, 'src', 'data', 'errors.json'), join(ROOT, 'src', 'data', 'scopes.json')]
  .map((path) => readFileSync(path, 'utf8'));
/** Their tokens (what a `code` or a scope list item can be), with and without the quotes around them. */
const realTokens = [...new Set(realTexts.flatMap((t) => t.split(/[\s,:=(){}[\]<>]+/)).flatMap((t) => [t, t.replace(/^["']+|["']+$/g, '')]))];

const piece = fc.constantFrom('Forbidden', 'forbidden.', 'invalid', 'Invalid', 'A', 'z', 'Z', '0', '9', '-', '.', '_', ' ', '\n', '中', 'param.', 'InvalidAction', 'é', '\u00a0', '"', "'", '\\', ',', '，');
const generated = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

describe('text-scan: each scan answers what its pattern did', () => {
  it('has real tokens to try', () => {
    expect(realTokens.length).toBeGreaterThan(1000);
    expect(realTokens).toContain('Forbidden.AccessDenied.AccessTokenPermissionDenied');
  });

  it('isInteger, isCodeName, hasDingTalkCodeShape (real tokens, generated strings, long names)', () => {
    const check = (s: string) => {
      expect(isInteger(s), s).toBe(OLD.integer.test(s));
      expect(isCodeName(s), s).toBe(OLD.codeName.test(s));
      expect(isCodeName(s, 2, 100), s).toBe(OLD.scopeCode.test(s));
      expect(hasDingTalkCodeShape(s), s).toBe(OLD.dingtalkCode.test(s));
    };
    for (const s of realTokens) check(s);
    for (const s of ['', '-', '-0', '--1', '1-', 'a'.repeat(99), 'a'.repeat(100), 'a'.repeat(101), 'invalidA', 'invalida', 'invalid', 'invalid[A]']) check(s);
    fc.assert(fc.property(generated, check), { numRuns: 5000 });
  });
});

describe('text-scan: the scans of a scope list, a message, a body', () => {
  it('isSpaceCode is \\s on every UTF-16 code unit', () => {
    for (let c = 0; c < 0x10000; c++) expect(isSpaceCode(c), c.toString(16)).toBe(/\s/.test(String.fromCharCode(c)));
  });

  const oldItems = (list: string) => list.split(/[,，\s]+/).map((s) => s.replace(/^[\\"']+|[\\"']+$/g, ''));
  const oldUnescape = (s: string) => s.replace(/\\(["'])/g, '$1');
  const check = (s: string) => {
    expect(listItems(s), s).toEqual(oldItems(s));
    expect(unescapeQuotes(s), s).toBe(oldUnescape(s));
    expect(hasJsonLineStart(s), s).toBe(/\n[{[]/.test(s));
    expect(hasEscapes(s), s).toBe(/\\["']|\\u/.test(s));
    expect(splitLines(s), s).toEqual(s.split(/\r?\n/));
  };

  it('listItems, unescapeQuotes, hasJsonLineStart, hasEscapes, splitLines on the real inputs, their lines and bracketed lists', () => {
    for (const text of realTexts) {
      check(text);
      for (const line of text.split('\n')) check(line);
      for (const m of text.matchAll(/\[([^[\]]{0,2000})\]/g)) check(m[1]!);
    }
  });

  it('… and on generated strings', () => {
    const part = fc.constantFrom('a', 'B.c', ',', '，', ' ', '\t', '\n', '\r', '\r\n', '\u3000', '\u00a0', '"', "'", '\\', '\\"', "\\'", '\\u', '{', '[', '中');
    fc.assert(fc.property(fc.array(part, { maxLength: 16 }).map((p) => p.join('')), check), { numRuns: 5000 });
  });
});

describe('text-scan: the scans of the advice (the catalog\'s explanations, statuses and wordings)', () => {
  const oldUnlink = (t: string) => t.replace(/\[([^\]]+)\]\((?!https?:)[^)]*\)/g, '$1');
  const WORDINGS = ['应用尚未开通所需的权限', '没有调用该接口的权限', '访问ip不在白名单之中'];
  const oldWording = (t: string) => /应用尚未开通所需的权限|没有调用该接口的权限|访问ip不在白名单之中/.exec(t)?.[0] ?? null;
  const check = (s: string) => {
    expect(unlinkRelative(s), s).toBe(oldUnlink(s));
    expect(collapseSpaces(s), s).toBe(s.replace(/\s+/g, ' '));
    expect(threeDigitNumbers(s), s).toEqual((s.match(/\d{3}/g) ?? []).map(Number));
    expect(leftmostOf(s, WORDINGS), s).toBe(oldWording(s));
  };

  it('on every string of the catalog and the real inputs, and their lines', () => {
    const strings: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
    };
    for (const name of ['errors.json', 'scopes.json']) walk(JSON.parse(readFileSync(join(ROOT, 'src', 'data', name), 'utf8')));
    expect(strings.filter((s) => s.includes('](')).length).toBeGreaterThan(10);
    for (const s of strings) check(s);
    for (const text of realTexts) for (const line of text.split('\n')) check(line);
  });

  it('… and on generated strings', () => {
    const part = fc.constantFrom('[', ']', '(', ')', '](', 'a', 'http:', 'https:', 'http', '/x', ' ', '  ', '\n', '\t', '\u3000', '1', '23', '456', '**',
      '应用尚未开通所需的权限', '没有调用该接口的权限', '访问ip不在白名单之中', '应用', '访问');
    fc.assert(fc.property(fc.array(part, { maxLength: 16 }).map((p) => p.join('')), check), { numRuns: 5000 });
  });
});
