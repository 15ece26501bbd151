/**
 * The scan of a log of any size in constant memory: bytes in, blocks of lines out. Chunks are
 * scanned as raw bytes for the trigger words (Buffer.indexOf passes, and one regular expression
 * over the bytes read as latin1 for the `code` keys: hits.ts; nothing is decoded as UTF-8); a hit
 * line without evidence of an error (`"errcode":0`, `statusCode`, `node=`: hits.ts) is dropped
 * from its bytes, and only the lines around the rest are decoded and cut into their block
 * (blocks.ts), so a 200 MB log costs little more than reading it. Lines are counted with
 * indexOf('\n'). What a block says is not read here: index.ts turns each block into its records.
 * No I/O here: the caller hands in the chunks (src/io opens files and stdin). Chunks are
 * copied as soon as they arrive, so a source may reuse one buffer for every chunk.
 */
import { isUtf8 } from 'node:buffer';
import { InputError } from '../../errors.js';
import { blockAround } from './blocks.js';
import { evidenceLines } from './hits.js';

/** A block of a log: lines[start..end] hold one error (the lines around it are its context); lines[0] is line `firstLine` of the input. */
export interface LogBlock {
  lines: string[];
  start: number;
  end: number;
  firstLine: number;
}

/** The next chunk of the input (a Buffer the source may reuse), null at its end. */
export type NextChunk = () => Promise<Buffer | null>;

const BACK_BYTES = 64 * 1024;
const FWD_BYTES = 256 * 1024;
const NL = 10;

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let p = buf.indexOf(NL, from); p !== -1 && p < to; p = buf.indexOf(NL, p + 1)) n++;
  return n;
}

const isSpaceByte = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Where the log scan stands: work.data[0, procStart) is processed context kept for looking back. */
interface ScanState {
  work: WorkBuffer;
  procStart: number;
  /** Line number at procStart. */
  line: number;
  eof: boolean;
}

/**
 * The blocks of a log, in input order: whole lines at a time, only the lines with evidence
 * (hits.ts) decoded. `head` is what was read of the input already (its first bytes, the BOM gone).
 * Throws InputError for text that is not UTF-8 and for an input with no text at all.
 */
export async function* scanLog(head: readonly Buffer[], next: NextChunk, input: string): AsyncGenerator<LogBlock> {
  const headBytes = head.reduce((n, b) => n + b.length, 0);
  const work = new WorkBuffer(Math.max(headBytes, 1 << 20) * 2 + BACK_BYTES);
  for (const b of head) work.append(b, 0);
  const st: ScanState = { work, procStart: 0, line: 1, eof: false };
  let sawText = false;

  /** Reads the next chunk, dropping context older than BACK_BYTES; false at end of input. */
  const readMore = async (): Promise<boolean> => {
    const b = await next();
    if (!b) return false;
    let keepFrom = Math.max(0, st.procStart - BACK_BYTES);
    if (keepFrom > 0) keepFrom = st.work.data.indexOf(NL, keepFrom - 1) + 1;
    st.work.append(b, keepFrom);
    st.procStart -= keepFrom;
    return true;
  };

  while (true) {
    const data = st.work.data;
    let end: number; // process [procStart, end): whole lines only, unless at the end of input
    if (st.eof) end = data.length;
    else {
      const nl = data.lastIndexOf(NL);
      if (nl < st.procStart) {
        st.eof = !(await readMore());
        continue;
      }
      end = nl + 1;
    }
    const region = data.subarray(st.procStart, end);
    if (!isUtf8(region)) {
      const line = st.line + countNewlines(region, 0, firstInvalid(region));
      throw new InputError(`${input}: is not valid UTF-8 text (near line ${line})`, 'ui.err.input-not-utf8-near', { input, line });
    }
    if (!sawText && region.some((c) => !isSpaceByte(c))) sawText = true;

    const scan: RegionScan = { counted: st.procStart, deferAt: -1 };
    yield* blocksIn(data, st, end, scan);
    if (scan.deferAt === st.procStart) {
      // An open block starts right at the unprocessed edge: read on before going further.
      st.line -= countNewlines(data, st.procStart, scan.counted);
      st.eof = !(await readMore());
      continue;
    }
    const doneUpTo = scan.deferAt !== -1 ? scan.deferAt : end;
    st.line += countNewlines(data, scan.counted, doneUpTo);
    st.procStart = doneUpTo;
    if (st.eof && doneUpTo >= data.length) break;
    if (!(await readMore())) st.eof = true;
  }
  if (!sawText) throw new InputError(`${input}: is empty`, 'ui.err.input-empty', { input });
}

/** How far the scan of a region got: `st.line` is the line starting at `counted`; `deferAt` is where a block may go on in the next chunk (-1: none). */
interface RegionScan {
  counted: number;
  deferAt: number;
}

/**
 * The blocks of the lines with evidence in [procStart, end), each handed on before the next is
 * cut (its lines are let go once read). Advances `st.line` and `scan` as it goes.
 */
function* blocksIn(data: Buffer, st: ScanState, end: number, scan: RegionScan): Generator<LogBlock> {
  let covered = st.procStart; // bytes before this are inside an already cut block
  for (const lineStart of evidenceLines(data, st.procStart, end)) {
    if (lineStart < covered) continue;
    st.line += countNewlines(data, scan.counted, lineStart);
    scan.counted = lineStart;

    // Fast path: a line that neither continues a block nor is continued is its own block.
    const nlAt = data.indexOf(NL, lineStart);
    const lineEnd = nlAt === -1 || nlAt >= end ? end : nlAt;
    if (isSingleLine(data, lineStart, lineEnd, end, st.eof)) {
      const single = singleLine(data, lineStart, lineEnd, st.line);
      if (single) yield single;
      covered = Math.min(end, lineEnd + 1);
      continue;
    }
    const block = windowBlock(data, lineStart, end, st.eof);
    if (block.open) {
      scan.deferAt = lineStart; // the block may go on in the next chunk
      return;
    }
    yield { lines: block.w.lines, start: block.start, end: block.end, firstLine: st.line - block.w.hitIdx };
    // Bytes up to the end of the block's last line are done.
    let pos = lineStart;
    for (let k = block.w.hitIdx; k <= block.end && pos < block.w.end; k++) {
      const nl = data.indexOf(NL, pos);
      pos = nl === -1 || nl >= block.w.end ? block.w.end : nl + 1;
    }
    covered = Math.max(covered, pos);
  }
}

/** A line that is its own block: decoded alone, and none unless it has a key-like `code`/errcode/…. */
function singleLine(data: Buffer, lineStart: number, lineEnd: number, line: number): LogBlock | null {
  let text = data.toString('utf8', lineStart, lineEnd);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (!QUICK.test(text)) return null;
  // The line above goes along as context (a `curl …` line, Django's `DingTalkClientException at …`), as parseText sees it.
  const prevStart = lineStart === 0 ? -1 : data.lastIndexOf(NL, lineStart - 2) + 1;
  const prev = prevStart === -1 ? null : data.toString('utf8', prevStart, lineStart - 1).replace(/\r$/, '');
  const lines = prev === null ? [text] : [prev, text];
  return { lines, start: lines.length - 1, end: lines.length - 1, firstLine: line - lines.length + 1 };
}

/** The block around the line at `lineStart`: a small window of whole lines, a large one if the block reaches its edge. */
function windowBlock(data: Buffer, lineStart: number, end: number, eof: boolean) {
  const more = !eof; // bytes after `end` may still come
  let w = windowAround(data, lineStart, end, SMALL_BACK, SMALL_FWD);
  let block = blockAround(w.lines, w.hitIdx, !(more && w.end === end));
  // (near the edge counts: a Go panic's frames come after the SDKError and two blank lines)
  if ((block.start === 0 && w.start > 0) || (block.end + 3 >= w.lines.length - 1 && w.end < end)) {
    w = windowAround(data, lineStart, end, BACK_BYTES, FWD_BYTES);
    block = blockAround(w.lines, w.hitIdx, !(more && w.end === end));
  }
  return { ...block, w };
}

/** Worth parsing: a `code` key (JSON, inspect, Java map, Go; HTML-escaped in a saved page), a legacy errcode, a scope message, or `\u` escapes (extractFields decodes them). */
const QUICK = /(?<![a-z])code\\*["']?\s*[:=]|(?<![a-z])code(?:&quot;|&#34;|<\/span>)|errcode|subcode|forbidden|requiredscopes|应用尚未开通|没有调用该接口的权限|不在白名单|\\u[0-9a-f]{4}/i;

const DINGTALK_API = Buffer.from('api.dingtalk.', 'latin1'); // api. and oapi.
const isContinuationByte = (b: number | undefined) => b === 32 || b === 9 || b === 0x7d || b === 0x5d || b === 0x29;

/**
 * Whether the line [start, lineEnd) is a block on its own, judged from bytes: it is not
 * indented, the next line does not continue it, and it is not an HTTP body (blank line
 * above) or the exception line under an indented traceback. Unsure → false (window path).
 */
function isSingleLine(data: Buffer, start: number, lineEnd: number, end: number, eof: boolean): boolean {
  if (isContinuationByte(data[start])) return false;
  // The next line is not here yet (not even its first byte, which says whether it continues this one).
  if ((lineEnd >= end || lineEnd + 1 >= data.length) && !eof) return false;
  const next = lineEnd + 1 < data.length ? data[lineEnd + 1] : undefined;
  // C(aused by), ... (N more), S(tack trace:) and #(0 …) may continue it (blocks.ts isContinuation decides)
  if (next !== undefined && (isContinuationByte(next) || next === 0x43 || next === 0x2e || next === 0x53 || next === 0x23)) return false;
  if (start >= 1) {
    const prevStart = start >= 2 ? data.lastIndexOf(NL, start - 2) + 1 : 0;
    const prevLen = start - 1 - prevStart;
    const prevFirst = data[prevStart];
    if (prevLen === 0 || (prevLen === 1 && prevFirst === 13)) return false; // blank above: maybe an HTTP body
    if (isContinuationByte(prevFirst) || prevFirst === 0x3c /* < */) return false; // under a traceback / curl -v head
    // A line without the API's URL under one with it (a curl command, `HTTPError … POST https://api.dingtalk.com/…`)
    // or under a `\`-continued command: the block takes its request from there (contextAbove).
    const prev = data.subarray(prevStart, start - 1);
    if (prev[prev.length - 1] === 0x5c /* \ */) return false;
    if (prev.indexOf(DINGTALK_API) !== -1 && data.subarray(start, lineEnd).indexOf(DINGTALK_API) === -1) return false;
  }
  return true;
}

/**
 * The first window around a line with evidence: most blocks are a few lines, and decoding less is
 * what makes a log full of errors fast (2 KB forward read 2.5× faster than 32 KB, same output). A
 * block that reaches an edge is read again with the large window (BACK_BYTES, FWD_BYTES).
 */
export const FIRST_WINDOW = { back: 1024, fwd: 2048 } as const;
const SMALL_BACK = FIRST_WINDOW.back;
const SMALL_FWD = FIRST_WINDOW.fwd;

/** Whole lines around the line starting at `lineStart`, decoded. */
function windowAround(data: Buffer, lineStart: number, end: number, back: number, fwd: number) {
  let start = Math.max(0, lineStart - back);
  if (start > 0) start = data.indexOf(NL, start - 1) + 1;
  let wEnd = Math.min(end, lineStart + fwd);
  if (wEnd < end) {
    const nl = data.lastIndexOf(NL, wEnd - 1);
    wEnd = nl >= lineStart ? nl + 1 : end;
  }
  const lines = data.toString('utf8', start, wEnd).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let k = 0; k < lines.length; k++) if (lines[k]!.endsWith('\r')) lines[k] = lines[k]!.slice(0, -1);
  return { start, end: wEnd, lines, hitIdx: countNewlines(data, start, lineStart) };
}

/**
 * One reusable buffer for [context | unprocessed | new chunk]: appending moves the kept
 * tail to the front and copies the chunk in, so reading allocates nothing per chunk.
 */
class WorkBuffer {
  private buf: Buffer;
  private used = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  get data(): Buffer {
    return this.buf.subarray(0, this.used);
  }
  /** Drops bytes before `from`, then appends `chunk` (copied: the source may reuse it). */
  append(chunk: Buffer, from: number): void {
    if (from > 0) {
      this.buf.copyWithin(0, from, this.used);
      this.used -= from;
    }
    if (this.used + chunk.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + chunk.length));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    chunk.copy(this.buf, this.used);
    this.used += chunk.length;
  }
}

/** Offset of the first byte where UTF-8 decoding fails (for the error's line number). */
function firstInvalid(buf: Buffer): number {
  let lo = 0;
  let hi = buf.length;
  // Binary search on prefixes ending at line boundaries is overkill; a linear scan of lines is enough.
  for (let p = 0; p < hi; ) {
    const nl = buf.indexOf(NL, p);
    const e = nl === -1 ? hi : nl + 1;
    if (!isUtf8(buf.subarray(p, e))) return p;
    lo = p = e;
  }
  return lo;
}
