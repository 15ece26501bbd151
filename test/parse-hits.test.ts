/**
 * hits.ts decides from raw bytes which log lines are decoded at all, with a regular expression for
 * the `code` keys (sparse regions line by line, dense ones a piece at a time). Its answer must be
 * exactly the rule written out byte by byte below, line by line, whatever the region, the density,
 * the piece boundaries and the line lengths: a line it drops is a finding lost.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceLines } from '../src/core/parse/hits.js';

// ------------------------------------------------ the rule, one line at a time, byte by byte

const isWordByte = (c: number | undefined) =>
  c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46);
const isQuote = (c: number | undefined) => c === 92 || c === 34 || c === 39;
const isSpace = (c: number | undefined) => c === 32 || c === 9;
const lower = (c: number | undefined) => (c !== undefined && c >= 65 && c <= 90 ? c + 32 : c);
const wordBefore = (line: Buffer, at: number, word: string) =>
  at >= 3 && [...word].every((ch, i) => lower(line[at - 3 + i]) === ch.charCodeAt(0));

/** `code`/`Code` at `c` is a key with a value that is not a clean zero (`sub_code` always counts). */
function codeKeyAt(line: Buffer, c: number): boolean {
  const k = line[c - 1] === 95 ? c - 1 : c; // err_code, sub_code
  if (wordBefore(line, k, 'sub')) return true;
  if (!wordBefore(line, k, 'err') && isWordByte(line[c - 1])) return false;
  let p = c + 4;
  while (isQuote(line[p])) p++;
  while (isSpace(line[p])) p++;
  if (line[p] !== 58 && line[p] !== 61) return true; // no `:` / `=`: not a clean zero
  p++;
  while (isSpace(line[p]) || isQuote(line[p])) p++;
  if (line[p] !== 48) return true;
  const next = line[p + 1];
  return (next !== undefined && next >= 48 && next <= 57) || next === 46 || next === 120;
}

const TRIGGERS = ['ode', '应用尚未开通', '没有调用该接口的权限', '访问ip不在白名单', 'Forbidden.AccessDenied', 'Scopes'];
function lineIsEvidence(line: Buffer): boolean {
  const has = (s: string) => line.includes(Buffer.from(s));
  if (TRIGGERS.slice(1).some(has)) return true;
  for (let c = line.indexOf('ode') - 1; c >= -1; c = line.indexOf('ode', c + 2) - 1) {
    if (c >= 0 && (line[c] === 99 || line[c] === 67) && codeKeyAt(line, c)) return true;
  }
  return (has('\\u') || has('Forbidden.')) && TRIGGERS.some(has); // a marker counts on a trigger's line
}

function expected(data: Buffer, from: number, end: number): number[] {
  const starts: number[] = [];
  for (let s = from; s < end; ) {
    const nl = data.indexOf(10, s);
    const stop = nl === -1 || nl >= end ? end : nl;
    if (lineIsEvidence(data.subarray(s, stop))) starts.push(s);
    s = stop + 1;
  }
  return starts;
}

// ------------------------------------------------ inputs

const FRAGMENTS = [
  'code', 'Code', 'CODE', 'errcode', 'ErrCode', 'err_code', 'Err_Code', 'sub_code', 'subCode', 'SUBCODE', 'statusCode',
  'status_code', 'x.code', 'encode', 'node', 'mode', '"', "'", '\\', '\\"', ':', '=', ' ', '\t', '0', '00', '01', '0.5',
  '0x1', '1', '60011', '-1', ',', '}', '{', '\n', '\n', '\r\n', 'abc', 'é', '应用尚未开通', '没有调用该接口的权限',
  '访问ip不在白名单', '问ip不在白名单', '访问ip', 'Forbidden.AccessDenied', 'Forbidden.X', 'Forbid', 'Scopes', '\\u5e94',
  '_', '.', 'r', 'err', 'sub', 'o', 'de', 'od', 'c', 'x',
];

/** Line starts of `data`, for regions that start and end where the stream's do. */
function lineStarts(data: Buffer): number[] {
  const starts = [0];
  for (let p = data.indexOf(10); p !== -1; p = data.indexOf(10, p + 1)) starts.push(p + 1);
  return starts;
}

describe('evidenceLines = the byte rule, line by line', () => {
  it('random lines of key fragments, in random regions, sparse and dense', () => {
    const text = fc
      .tuple(fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 30 }), fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 60 })))
      .map(([frags, times]) => frags.join('').repeat(times)); // repeated: dense, past the line count where a region switches
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (s, fromPick, endPick) => {
        const data = Buffer.from(s);
        const starts = lineStarts(data);
        const from = starts[fromPick % starts.length]!;
        const ends = [...starts.filter((x) => x > from), data.length];
        const end = ends[endPick % ends.length]!;
        expect(evidenceLines(data, from, end)).toEqual(expected(data, from, end));
      }),
      { numRuns: 4000, seed: 12 },
    );
  });

  it('busy traffic with a denial now and then, lines longer than a decoded piece, keys at piece edges', () => {
    const line = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 140_000 }), fc.constantFrom('"code":60011', '"errcode":0')).map(([n, key]) => `${'z'.repeat(n)} ${key}`),
      fc.constantFrom(88, 0, 0, 0).map((c) => `{"errcode":${c},"errmsg":"ok"} statusCode=200 node=web-1 mode=cluster`),
      fc.tuple(fc.integer({ min: 65_530, max: 65_542 }), fc.constantFrom('code=1', ' code')).map(([n, key]) => `${'y'.repeat(n)}${key}`),
      fc.constant('plain line encode=gzip'),
    );
    for (const [lines, skip] of fc.sample(fc.tuple(fc.array(line, { minLength: 200, maxLength: 800 }), fc.nat(9)), { numRuns: 8, seed: 7 })) {
      const data = Buffer.from(`${lines.join('\n')}\n`);
      const from = lineStarts(data)[skip]!;
      expect(evidenceLines(data, from, data.length)).toEqual(expected(data, from, data.length));
    }
  });

  it('success answers are not evidence, errors are', () => {
    const lines = [
      '{"errcode":0,"errmsg":"ok"}', '{"errcode": 0}', "{'errcode': '0'}", 'errcode=0', '{\\"errcode\\":0}', 'statusCode":403',
      'status_code=500', 'encode=gzip', 'x.code=5', '{"errcode":60011}', '{"errcode":0.5}', 'errcode=01', '{"sub_code":"0"}',
      '{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied"}', 'Request failed with status code 403', 'Code: 403',
    ];
    const data = Buffer.from(`${lines.join('\n')}\n`);
    const hit = new Set(evidenceLines(data, 0, data.length).map((s) => data.toString('utf8', s, data.indexOf(10, s))));
    expect(lines.filter((l) => hit.has(l))).toEqual([
      '{"errcode":60011}', '{"errcode":0.5}', 'errcode=01', '{"sub_code":"0"}',
      '{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied"}', 'Request failed with status code 403', 'Code: 403',
    ]);
  });
});
