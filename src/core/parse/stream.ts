/**
 * Streaming parse of inputs of any size in constant memory. Chunks are scanned as raw
 * bytes for the trigger words (Buffer.indexOf passes, and one regular expression over the
 * bytes read as latin1 for the `code` keys: hits.ts; nothing is decoded as UTF-8); a hit line
 * without evidence of an error (`"errcode":0`, `statusCode`, `node=`: hits.ts) is dropped from its
 * bytes, and only the lines around the rest are decoded and cut into their block (blocks.ts), so
 * a 200 MB log costs little more than reading it. Lines are counted with indexOf('\n').
 * A whole input that starts like a JSON document (HAR, pretty-printed body) and is not
 * huge is read whole and walked as JSON instead.
 * No I/O here: the caller hands in the chunks (src/io opens files and stdin). Chunks are
 * copied as soon as they arrive, so a source may reuse one buffer for every chunk.
 */
import { isUtf8 } from 'node:buffer';
import { DoctorError } from '../../errors.js';
import type { ErrorRecord } from '../types.js';
import { blockAround } from './blocks.js';
import { evidenceLines } from './hits.js';
import { mergeRecords, parseBlock, parseText, sameError } from './index.js';

/** Unreadable input: binary, not UTF-8, empty, truncated beyond recovery. Maps to exit 2. */
export class InputError extends DoctorError {
  override readonly name = 'InputError';
  /** `id`: the message id of the text (src/messages), printed in the user's language. */
  constructor(message: string, id?: string, params: Record<string, string | number> = {}) {
    super(message, 'DOCTOR_ERR_INPUT', id ? { text: { id, params } } : undefined);
  }
}

export interface StreamOptions {
  /** Largest JSON-looking input read whole (HAR files, pretty-printed bodies). */
  wholeJsonLimit?: number;
}

const BACK_BYTES = 64 * 1024;
const FWD_BYTES = 256 * 1024;
const WHOLE_JSON_LIMIT = 16 * 1024 * 1024;
const NL = 10;

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let p = buf.indexOf(NL, from); p !== -1 && p < to; p = buf.indexOf(NL, p + 1)) n++;
  return n;
}

function looksBinary(head: Buffer): boolean {
  const sample = head.subarray(0, 8192);
  if (sample.length >= 2 && ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff))) return true;
  return sample.indexOf(0) !== -1;
}

const firstNonSpace = (buf: Buffer) => {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
};

/** Merges consecutive records of one error (same request id) before yielding. */
class Merger {
  private last: ErrorRecord | null = null;
  push(r: ErrorRecord): ErrorRecord | null {
    if (this.last && sameError(this.last, r)) {
      this.last = mergeRecords(this.last, r);
      return null;
    }
    const out = this.last;
    this.last = r;
    return out;
  }
  flush(): ErrorRecord | null {
    const out = this.last;
    this.last = null;
    return out;
  }
}

type Next = () => Promise<Buffer | null>;

/**
 * Every DingTalk error in a stream of chunks, in input order.
 * Throws InputError for binary, non-UTF-8 or empty input.
 */
export async function* parseStream(
  source: AsyncIterable<Uint8Array | string>,
  input: string,
  options: StreamOptions = {},
): AsyncGenerator<ErrorRecord> {
  const iterator = source[Symbol.asyncIterator]();
  const next: Next = async () => {
    const r = await iterator.next();
    if (r.done) return null;
    return typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
  };
  const head = await readHead(next, input, options.wholeJsonLimit ?? WHOLE_JSON_LIMIT);
  if ('records' in head) yield* head.records;
  else yield* scanLog(head.work, next, input);
}

/**
 * The head of the input: empty? binary? One JSON document (HAR, pretty body; not NDJSON, whose
 * lines start at column 0) small enough to read whole: its records. Otherwise the work buffer
 * holding what was read, to be scanned as a log.
 */
async function readHead(next: Next, input: string, wholeJsonLimit: number): Promise<{ records: ErrorRecord[] } | { work: WorkBuffer }> {
  let first = await next();
  while (first && first.length === 0) first = await next();
  if (!first) throw new InputError(`${input}: is empty`, 'ui.err.input-empty', { input });
  if (looksBinary(first)) throw new InputError(`${input}: looks like a binary file, not text (give a log, an error body, curl output or a HAR file)`, 'ui.err.input-binary', { input });
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) first = first.subarray(3);

  const work = new WorkBuffer(Math.max(first.length, 1 << 20) * 2 + BACK_BYTES);
  work.append(first, 0);
  const lead = firstNonSpace(first);
  if ((lead !== 0x7b /* { */ && lead !== 0x5b /* [ */) || /\n[{[]/.test(first.toString('latin1', 0, Math.min(first.length, 65536)))) return { work };
  while (work.data.length <= wholeJsonLimit) {
    const b = await next();
    if (!b) return { records: wholeJson(work.data, input) };
    work.append(b, 0);
  }
  return { work }; // too big to hold: scan it like a log (the work buffer already holds the head)
}

/** The records of a whole input that looks like one JSON document. */
function wholeJson(whole: Buffer, input: string): ErrorRecord[] {
  if (!isUtf8(whole)) throw new InputError(`${input}: is not valid UTF-8 text`, 'ui.err.input-not-utf8', { input });
  const text = whole.toString('utf8');
  if (text.trim() === '') throw new InputError(`${input}: is empty`, 'ui.err.input-empty', { input });
  const records = parseText(text, input);
  // Only what was meant as JSON is "truncated JSON": a log that opens with `[error]: …` / `[ERROR] …` is just a log.
  const meantAsJson = /^\s*(?:\{|\[\s*(?:[{["\]]|$))/.test(text.slice(0, 256));
  if (records.length === 0 && meantAsJson && !/\n[{[]/.test(text) && !parsesAsJson(text)) {
    throw new InputError(`${input}: truncated or invalid JSON, and no DingTalk error could be recovered from it`, 'ui.err.input-bad-json', { input });
  }
  return records;
}

/** Where the log scan stands: work.data[0, procStart) is processed context kept for looking back. */
interface ScanState {
  work: WorkBuffer;
  procStart: number;
  /** Line number at procStart. */
  line: number;
  eof: boolean;
}

/** The log path: whole lines at a time, only the lines with evidence (hits.ts) decoded. */
async function* scanLog(work: WorkBuffer, next: Next, input: string): AsyncGenerator<ErrorRecord> {
  const merger = new Merger();
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
    if (!sawText && firstNonSpace(region) !== -1) sawText = true;

    const scan = scanRegion(data, st, end, input);
    for (const r of scan.records) {
      const out = merger.push(r);
      if (out) yield out;
    }
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
  const last = merger.flush();
  if (last) yield last;
}

/**
 * The records of the lines with evidence in [procStart, end). Advances `st.line` to the line
 * starting at `counted`; `deferAt` is where a block may go on in the next chunk (-1: none).
 */
function scanRegion(data: Buffer, st: ScanState, end: number, input: string): { records: ErrorRecord[]; counted: number; deferAt: number } {
  const records: ErrorRecord[] = [];
  let covered = st.procStart; // bytes before this are inside an already parsed block
  let counted = st.procStart; // `st.line` is the number of the line starting at `counted`
  for (const lineStart of evidenceLines(data, st.procStart, end)) {
    if (lineStart < covered) continue;
    st.line += countNewlines(data, counted, lineStart);
    counted = lineStart;

    // Fast path: a line that neither continues a block nor is continued is its own block.
    const nlAt = data.indexOf(NL, lineStart);
    const lineEnd = nlAt === -1 || nlAt >= end ? end : nlAt;
    if (isSingleLine(data, lineStart, lineEnd, end, st.eof)) {
      records.push(...singleLine(data, lineStart, lineEnd, input, st.line));
      covered = Math.min(end, lineEnd + 1);
      continue;
    }
    const block = windowBlock(data, lineStart, end, st.eof);
    if (block.open) return { records, counted, deferAt: lineStart }; // the block may go on in the next chunk
    records.push(...parseBlock(block.w.lines, block.start, block.end, input, st.line - block.w.hitIdx));
    // Bytes up to the end of the block's last line are done.
    let pos = lineStart;
    for (let k = block.w.hitIdx; k <= block.end && pos < block.w.end; k++) {
      const nl = data.indexOf(NL, pos);
      pos = nl === -1 || nl >= block.w.end ? block.w.end : nl + 1;
    }
    covered = Math.max(covered, pos);
  }
  return { records, counted, deferAt: -1 };
}

/** A line that is its own block: decoded alone, parsed unless it lacks a key-like `code`/errcode/…. */
function singleLine(data: Buffer, lineStart: number, lineEnd: number, input: string, line: number): ErrorRecord[] {
  let text = data.toString('utf8', lineStart, lineEnd);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (!QUICK.test(text)) return [];
  // The line above goes along as context (a `curl …` line, Django's `DingTalkClientException at …`), as parseText sees it.
  const prevStart = lineStart === 0 ? -1 : data.lastIndexOf(NL, lineStart - 2) + 1;
  const prev = prevStart === -1 ? null : data.toString('utf8', prevStart, lineStart - 1).replace(/\r$/, '');
  const lines = prev === null ? [text] : [prev, text];
  return parseBlock(lines, lines.length - 1, lines.length - 1, input, line - lines.length + 1);
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

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
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
