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
 * The triggers are needles with a rare first byte, so that Buffer.indexOf skips fast; the `code`
 * keys, which no rare byte announces, are one native regular-expression pass (CODE_KEY).
 */
import { TRIGGERS } from './blocks.js';

const NL = 10;
const b = (s: string) => Buffer.from(s, 'utf8');
const TRIGGER_NEEDLES = TRIGGERS.map(b);
const bytesAt = (data: Buffer, at: number, what: Buffer) => at >= 0 && at + what.length <= data.length && data.compare(what, 0, what.length, at, at + what.length) === 0;

/**
 * A `code` / `Code` key that is evidence, as a regular expression over bytes read as latin1 (one
 * character per byte, so offsets are byte offsets): `code` after `sub`/`sub_` (any case), or after
 * `err`/`err_` or a non-word byte (`statusCode`, `encode`, `x.code`, `status_code` are not the key)
 * and not followed by a clean zero (`":0`, `\":0`, `': 0`, `=0`, `: "0"`; `01`, `0.5`, `0x…` are
 * not clean). V8 runs it natively, so only evidence comes back to JavaScript: testing the bytes
 * around each of the 630k `ode` of a 100 MB busy log from JavaScript was 40 % of diagnose's time.
 */
const CLEAN_ZERO_AHEAD = String.raw`(?![\\"']*[ \t]*[:=][ \t\\"']*0(?![0-9.x]))`;
const CODE_KEY = new RegExp(String.raw`[cC]ode(?:(?<=[sS][uU][bB]_?.ode)|(?<=(?:^|[^A-Za-z0-9_.]|[eE][rR][rR]_?).ode)${CLEAN_ZERO_AHEAD})`, 'g');
const ODE = b('ode');
/**
 * Past this many lines with a `code`/`Code` in one region, the rest of the region is tested whole:
 * in a busy log's success traffic most lines have one, and one regex pass beats a needle pass that
 * stops at each. Sparse regions (an app log with a denial now and then) only decode the lines hit.
 */
const DENSE_LINES = 32;

/** Adds the start of each line in [from, end) with a `code` key that is evidence (CODE_KEY). */
function codeKeyLines(data: Buffer, from: number, end: number, starts: number[]): void {
  let lines = 0;
  for (let p = data.indexOf(ODE, from); p !== -1 && p < end; ) {
    const c = data[p - 1];
    if (c !== 99 && c !== 67) {
      p = data.indexOf(ODE, p + ODE.length); // node=, mode=
      continue;
    }
    const start = lineStartOf(data, p);
    if (++lines > DENSE_LINES) return testCodeKeys(data, start, end, starts);
    const nl = data.indexOf(NL, p);
    const stop = nl === -1 || nl >= end ? end : nl;
    testCodeKeys(data, start, stop, starts);
    p = data.indexOf(ODE, stop);
  }
}

/**
 * Pieces of whole lines this long are decoded at a time: a short-lived string of 64 KB lives and
 * dies in V8's young generation, while one of 1 MB is allocated (and page-faulted) afresh each time.
 */
const PIECE_BYTES = 64 * 1024;

/** CODE_KEY over the whole lines [from, to), a piece at a time: adds each line's start once. */
function testCodeKeys(data: Buffer, from: number, to: number, starts: number[]): void {
  for (let at = from; at < to; ) {
    let stop = to;
    if (to - at > PIECE_BYTES) {
      const nl = data.lastIndexOf(NL, at + PIECE_BYTES);
      stop = nl >= at ? nl + 1 : Math.min(to, data.indexOf(NL, at) + 1 || to);
    }
    testPiece(data.toString('latin1', at, stop), at, starts);
    at = stop;
  }
}

function testPiece(text: string, offset: number, starts: number[]): void {
  CODE_KEY.lastIndex = 0;
  while (CODE_KEY.test(text)) {
    const at = CODE_KEY.lastIndex; // just past the key's `code`
    starts.push(text.lastIndexOf('\n', at - 1) + 1 + offset);
    const nl = text.indexOf('\n', at);
    if (nl === -1) return;
    CODE_KEY.lastIndex = nl + 1; // the line is in: skip its other keys
  }
}

const APPLY = b('应用尚'); // + 未开通 = 应用尚未开通
const VISIT = b('访'); // + 问ip + 不在白名单 = 访问ip不在白名单 (`问ip` alone is the faster needle: it is short)
const NOT_ALLOWED = b('不在白名单');
const DEN_ACCESS = b('den.AccessDenied');
const DEN_DOT = b('den.');

type Kind = 'evidence' | 'marker' | 'none';
/** Needles (rare first bytes) and what a hit at `p` is. */
const NEEDLES: Array<[Buffer, (data: Buffer, p: number) => Kind]> = [
  [b('未开通'), (d, p) => (bytesAt(d, p - APPLY.length, APPLY) ? 'evidence' : 'none')],
  [b('没有调用该接口的权限'), () => 'evidence'],
  [b('问ip'), (d, p) => (bytesAt(d, p - VISIT.length, VISIT) && bytesAt(d, p + 5, NOT_ALLOWED) ? 'evidence' : 'none')],
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
  codeKeyLines(data, from, end, starts);
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
