/**
 * Which lines of a log region are worth decoding, judged from the raw bytes alone.
 * In a busy integration's log almost every line hits the trigger `ode` (statusCode, node=,
 * mode=, encode=, `"errcode":0`), and decoding a window around each made diagnose 100× slower
 * than grep. A line is read when it has EVIDENCE of an error:
 *  - a trigger only errors carry (应用尚未开通, 没有调用该接口的权限, 访问ip不在白名单,
 *    Forbidden.AccessDenied, Scopes: blocks.ts TRIGGERS), or
 *  - a `code` / `errcode` / `sub_code` key (case as extractFields reads it) whose value is not a
 *    clean 0 (`"errcode":0` is success; `statusCode`, `encode=`, `node=` are not the key), or
 *  - a trigger hit of any kind plus a marker of what extractFields decodes or reads besides the
 *    keys: `\u` escapes (an escaped 权限 wording), a `Forbidden.*` token.
 * This is a superset of what extractFields needs to return a record (fields.ts), per line, so a
 * line without evidence gives none and dropping it changes no output. A line that belongs to a
 * larger block is reached from that block's evidence line (blocks.ts walks back to the head).
 * The byte scan looks for needles with a rare first byte, so that Buffer.indexOf skips fast.
 */
import { TRIGGERS } from './blocks.js';

const NL = 10;
const b = (s: string) => Buffer.from(s, 'utf8');
const TRIGGER_NEEDLES = TRIGGERS.map(b);

const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
const isWordByte = (c: number | undefined) =>
  c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46);
const isSpace = (c: number | undefined) => c === 32 || c === 9;
const isQuote = (c: number | undefined) => c === 92 || c === 34 || c === 39; // \ " '
const bytesAt = (data: Buffer, at: number, what: Buffer) => at >= 0 && at + what.length <= data.length && data.compare(what, 0, what.length, at, at + what.length) === 0;

/** `err` / `err_` / `sub` / `sub_` right before `code` at `c` (case-insensitive). */
function prefixBefore(data: Buffer, c: number): 'err' | 'sub' | null {
  let k = c - 1;
  if (data[k] === 95) k--; // err_code, sub_code
  if (k < 2) return null;
  const x = lower(data[k - 2]!);
  const y = lower(data[k - 1]!);
  const z = lower(data[k]!);
  if (x === 101 && y === 114 && z === 114) return 'err';
  if (x === 115 && y === 117 && z === 98) return 'sub';
  return null;
}

/** After a key ending at `at`: a clean zero value (`":0`, `\":0`, `': 0`, `=0`, `: "0"`). Anything odd is not clean. */
function cleanZeroAfter(data: Buffer, at: number): boolean {
  let p = at;
  while (isQuote(data[p])) p++;
  while (isSpace(data[p])) p++;
  if (data[p] !== 58 && data[p] !== 61) return false; // : =
  p++;
  while (isSpace(data[p]) || isQuote(data[p])) p++;
  if (data[p] !== 48) return false; // 0
  const next = data[p + 1];
  return !(next !== undefined && next >= 48 && next <= 57) && next !== 46 && next !== 120; // not 01, 0.5, 0x…
}

/** Whether `code` / `Code` at `c` is evidence: a code/errcode/subcode key whose value is not a clean 0. */
function codeIsEvidence(data: Buffer, c: number): boolean {
  const prefix = prefixBefore(data, c);
  if (prefix === 'sub') return true;
  if (prefix === null && isWordByte(data[c - 1])) return false; // statusCode, encode, unicode, x.code, status_code
  return !cleanZeroAfter(data, c + 4);
}

const APPLY = b('应用尚'); // + 未开通 = 应用尚未开通
const VISIT = b('访'); // + 问ip不在白名单 = 访问ip不在白名单
const DEN_ACCESS = b('den.AccessDenied');
const DEN_DOT = b('den.');

type Kind = 'evidence' | 'marker' | 'none';
/** Needles (rare first bytes) and what a hit at `p` is. */
const NEEDLES: Array<[Buffer, (data: Buffer, p: number) => Kind]> = [
  // one pass for code and Code (cheaper than two, though node=/mode= hit too)
  [b('ode'), (d, p) => ((d[p - 1] === 99 || d[p - 1] === 67) && codeIsEvidence(d, p - 1) ? 'evidence' : 'none')],
  [b('未开通'), (d, p) => (bytesAt(d, p - APPLY.length, APPLY) ? 'evidence' : 'none')],
  [b('没有调用该接口的权限'), () => 'evidence'],
  [b('问ip不在白名单'), (d, p) => (bytesAt(d, p - VISIT.length, VISIT) ? 'evidence' : 'none')],
  [b('Forbid'), (d, p) => (bytesAt(d, p + 6, DEN_ACCESS) ? 'evidence' : bytesAt(d, p + 6, DEN_DOT) ? 'marker' : 'none')],
  [b('Scopes'), () => 'evidence'],
  [b('\\u'), () => 'marker'],
];

/** A line [start, end) that hits any trigger (a marker counts only there). */
function hitsTrigger(data: Buffer, start: number, end: number): boolean {
  const line = data.subarray(start, end);
  return TRIGGER_NEEDLES.some((n) => line.indexOf(n) !== -1);
}

const lineStartOf = (data: Buffer, p: number) => (p === 0 ? 0 : data.lastIndexOf(NL, p - 1) + 1);

/** Sorted start offsets of the lines in [from, end) with evidence; each line once. */
export function evidenceLines(data: Buffer, from: number, end: number): number[] {
  const starts: number[] = [];
  for (const [needle, kind] of NEEDLES) {
    let lineEnd = -1; // the end of the last line recorded by this needle: skip its other hits
    for (let p = data.indexOf(needle, from); p !== -1 && p < end; p = data.indexOf(needle, p + needle.length)) {
      if (p < lineEnd) continue;
      const k = kind(data, p);
      if (k === 'none') continue;
      const start = lineStartOf(data, p);
      const nl = data.indexOf(NL, p);
      const stop = nl === -1 || nl >= end ? end : nl;
      if (k === 'marker' && !hitsTrigger(data, start, stop)) continue;
      starts.push(start);
      lineEnd = stop;
    }
  }
  if (starts.length > 1) {
    starts.sort((x, y) => x - y);
    let w = 1;
    for (let r = 1; r < starts.length; r++) if (starts[r] !== starts[w - 1]) starts[w++] = starts[r]!;
    starts.length = w;
  }
  return starts;
}
