/**
 * hits.ts decides from raw bytes which log lines are decoded at all, with a regular expression for
 * the `code` keys (sparse regions line by line, dense ones a piece at a time). Its answer must be
 * exactly the rule written out byte by byte below, line by line, whatever the region, the density,
 * the piece boundaries and the line lengths: a line it drops is a finding lost.
 */
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

/** Deterministic pseudo-random numbers (mulberry32): the same inputs every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
    const r = rng(12);
    for (let i = 0; i < 4000; i++) {
      let s = Array.from({ length: 1 + Math.floor(r() * 30) }, () => FRAGMENTS[Math.floor(r() * FRAGMENTS.length)]).join('');
      if (r() < 0.15) s = s.repeat(2 + Math.floor(r() * 60)); // dense: past the per-region line count where it switches
      const data = Buffer.from(s);
      const starts = lineStarts(data);
      const from = starts[Math.floor(r() * starts.length)]!;
      const ends = [...starts.filter((x) => x > from), data.length];
      const end = ends[Math.floor(r() * ends.length)]!;
      expect(evidenceLines(data, from, end), JSON.stringify({ s, from, end })).toEqual(expected(data, from, end));
    }
  });

  it('busy traffic with a denial now and then, lines longer than a decoded piece, keys at piece edges', () => {
    const r = rng(7);
    for (let i = 0; i < 8; i++) {
      const lines: string[] = [];
      for (let k = 0; k < 800; k++) {
        const t = Math.floor(r() * 8);
        if (t === 0) lines.push(`${'z'.repeat(Math.floor(r() * 140_000))} ${r() < 0.5 ? '"code":60011' : '"errcode":0'}`);
        else if (t === 1) lines.push(`{"errcode":${r() < 0.02 ? 88 : 0},"errmsg":"ok"} statusCode=200 node=web-1 mode=cluster`);
        else if (t === 2) lines.push(`${'y'.repeat(65_530 + Math.floor(r() * 12))}${r() < 0.5 ? 'code=1' : ' code'}`);
        else lines.push(`plain line ${k} encode=gzip`);
      }
      const data = Buffer.from(`${lines.join('\n')}\n`);
      const starts = lineStarts(data);
      const from = starts[Math.floor(r() * 10)]!;
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
