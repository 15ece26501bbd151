/**
 * Streaming parse of inputs of any size in constant memory. Chunks are scanned as raw
 * bytes for the trigger words (one Buffer.indexOf pass per trigger, no decoding); only a
 * window of lines around each hit is decoded and cut into its block (blocks.ts), so a
 * 200 MB log costs little more than reading it. Lines are counted with indexOf('\n').
 * A whole input that starts like a JSON document (HAR, pretty-printed body) and is not
 * huge is read whole and walked as JSON instead.
 * No I/O here: the caller hands in the chunks (src/io opens files and stdin).
 */
import { isUtf8 } from 'node:buffer';
import type { ErrorRecord } from '../types.js';
import { blockAround, TRIGGERS } from './blocks.js';
import { mergeRecords, parseBlock, parseText, sameError } from './index.js';

/** Unreadable input: binary, not UTF-8, empty, truncated beyond recovery. Maps to exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface StreamOptions {
  /** Largest JSON-looking input read whole (HAR files, pretty-printed bodies). */
  wholeJsonLimit?: number;
}

const NEEDLES = TRIGGERS.map((t) => Buffer.from(t, 'utf8'));
const BACK_BYTES = 64 * 1024;
const FWD_BYTES = 256 * 1024;
const WHOLE_JSON_LIMIT = 32 * 1024 * 1024;
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
  const next = async (): Promise<Buffer | null> => {
    const r = await iterator.next();
    if (r.done) return null;
    return typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
  };

  // --- the head: empty? binary? a JSON document to read whole?
  let first = await next();
  while (first && first.length === 0) first = await next();
  if (!first) throw new InputError(`${input}: is empty`);
  if (looksBinary(first)) throw new InputError(`${input}: looks like a binary file, not text (give a log, an error body, curl output or a HAR file)`);
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) first = first.subarray(3);

  const lead = firstNonSpace(first);
  if (lead === 0x7b /* { */ || lead === 0x5b /* [ */) {
    const limit = options.wholeJsonLimit ?? WHOLE_JSON_LIMIT;
    const parts = [first];
    let size = first.length;
    let done = false;
    while (size <= limit) {
      const b = await next();
      if (!b) {
        done = true;
        break;
      }
      parts.push(b);
      size += b.length;
    }
    const whole = Buffer.concat(parts);
    if (done) {
      if (!isUtf8(whole)) throw new InputError(`${input}: is not valid UTF-8 text`);
      const text = whole.toString('utf8');
      if (text.trim() === '') throw new InputError(`${input}: is empty`);
      const records = parseText(text, input);
      // One JSON document (not NDJSON: lines starting at column 0) that does not parse: truncated.
      if (records.length === 0 && !/\n[{[]/.test(text) && !parsesAsJson(text)) {
        throw new InputError(`${input}: truncated or invalid JSON, and no DingTalk error could be recovered from it`);
      }
      yield* records;
      return;
    }
    first = whole; // too big to hold: stream it like a log
  }

  // --- the log path
  const merger = new Merger();
  let data = first; // [0, procStart) = processed context kept for looking back
  let procStart = 0;
  let line = 1; // line number at procStart
  let eof = false;
  let sawText = firstNonSpace(first) !== -1;

  while (true) {
    let end: number; // process [procStart, end)
    if (eof) end = data.length;
    else {
      const nl = data.lastIndexOf(NL);
      if (nl < procStart) {
        const b = await next();
        if (b) data = Buffer.concat([data, b]);
        else eof = true;
        continue;
      }
      end = nl + 1;
    }
    const region = data.subarray(procStart, end);
    if (!isUtf8(region)) {
      throw new InputError(`${input}: is not valid UTF-8 text (near line ${line + countNewlines(region, 0, firstInvalid(region))})`);
    }
    if (!sawText && firstNonSpace(region) !== -1) sawText = true;

    // Hits: one indexOf pass per trigger over the raw bytes.
    const hits: number[] = [];
    for (const needle of NEEDLES) {
      for (let p = data.indexOf(needle, procStart); p !== -1 && p < end; p = data.indexOf(needle, p + needle.length)) hits.push(p);
    }
    hits.sort((a, b) => a - b);

    let covered = procStart; // bytes before this are inside an already parsed block
    let counted = procStart; // line number bookkeeping: `line` is the number of the line at `counted`
    let deferAt = -1;
    for (const hit of hits) {
      if (hit < covered) continue;
      const lineStart = hit === 0 ? 0 : data.lastIndexOf(NL, hit - 1) + 1;
      line += countNewlines(data, counted, lineStart);
      counted = lineStart;

      // A window of whole lines around the hit.
      let wStart = Math.max(0, lineStart - BACK_BYTES);
      if (wStart > 0) wStart = data.indexOf(NL, wStart - 1) + 1;
      let wEnd = Math.min(end, lineStart + FWD_BYTES);
      if (wEnd < end) wEnd = data.lastIndexOf(NL, wEnd - 1) + 1 || end;
      if (wEnd <= lineStart) wEnd = end;
      const text = data.toString('utf8', wStart, wEnd);
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      for (let k = 0; k < lines.length; k++) if (lines[k]!.endsWith('\r')) lines[k] = lines[k]!.slice(0, -1);
      const hitIdx = countNewlines(data, wStart, lineStart);
      const atDataEnd = wEnd === end;
      const block = blockAround(lines, hitIdx, !(atDataEnd && !eof) || wEnd < end);
      if (block.open) {
        deferAt = lineStart; // the block may go on in the next chunk
        break;
      }
      const firstLine = line - hitIdx;
      for (const r of parseBlock(lines, block.start, block.end, input, firstLine)) {
        const out = merger.push(r);
        if (out) yield out;
      }
      // Bytes up to the end of the block's last line are done.
      let pos = lineStart;
      for (let k = hitIdx; k <= block.end && pos < wEnd; k++) {
        const nl = data.indexOf(NL, pos);
        pos = nl === -1 || nl >= wEnd ? wEnd : nl + 1;
      }
      covered = Math.max(covered, pos);
    }

    const doneUpTo = deferAt !== -1 && deferAt > procStart ? deferAt : end;
    if (deferAt !== -1 && deferAt === procStart && !eof) {
      // The open block starts right at the unprocessed edge: need more input before anything else.
      const b = await next();
      if (b) data = Buffer.concat([data, b]);
      else eof = true;
      line -= countNewlines(data, procStart, counted); // undo counting past procStart
      continue;
    }
    line += countNewlines(data, counted, doneUpTo);
    if (eof && doneUpTo >= data.length) break;

    // Keep up to BACK_BYTES of processed lines as context, drop the rest, read on.
    let keepFrom = Math.max(0, doneUpTo - BACK_BYTES);
    if (keepFrom > 0) keepFrom = data.indexOf(NL, keepFrom - 1) + 1;
    const b = eof ? null : await next();
    if (!b) eof = true;
    data = b ? Buffer.concat([data.subarray(keepFrom), b]) : data.subarray(keepFrom);
    procStart = doneUpTo - keepFrom;
  }
  if (!sawText) throw new InputError(`${input}: is empty`);
  const last = merger.flush();
  if (last) yield last;
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
