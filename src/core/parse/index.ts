/**
 * The parser's one door: bytes or text → ErrorRecord[], every DingTalk error in an input,
 * anywhere, several per input. `parseStream` (an input of any size, in chunks), `parseText`,
 * `parseResponse` (one HTTP answer).
 * Only lines that mention a trigger (TRIGGERS) are looked at; around each, the block of
 * lines the error occupies is cut out (blocks.ts) and its fields extracted (fields.ts).
 * Whole JSON documents (HAR files, arrays of bodies, pretty-printed bodies) are walked
 * as JSON (json-documents.ts answers what they hold) so that each error object becomes its
 * own record with its own line; a log is scanned in constant memory (log-scan.ts hands back
 * its blocks, read here).
 */
import { isUtf8 } from 'node:buffer';
import { InputError } from '../../errors.js';
import type { ApiRef, ErrorRecord, Evidence } from '../types.js';
import { blockAround, contextAbove, hasTrigger, MAX_BLOCK_LINES } from './blocks.js';
import { extractFields, type Fields } from './fields.js';
import { maskCredentials } from '../../redact.js';
import { evidenceIn } from './platform.js';
import { requestAbove } from './request.js';
import { scanLog, type NextChunk } from './log-scan.js';
import { hasJsonLineStart, splitLines } from '../text-scan.js';
import { embeddedBody, jsonBlock, jsonDocument, jsonValue, type JsonContents } from './json-documents.js';

export { extractFields, pathOf, topApiPath } from './fields.js';
export { blockAround, contextAbove, isContinuation, TRIGGERS, MAX_BLOCK_LINES } from './blocks.js';
export { FIRST_WINDOW } from './log-scan.js';
export { InputError };

const withSource = (f: Fields, input: string, line: number): ErrorRecord => ({ ...f, source: { input, line } });

/** The records of what a JSON document holds; null when the text is no such document. */
function recordsIn(contents: JsonContents | null, input: string): ErrorRecord[] | null {
  if (!contents) return null;
  if ('bodies' in contents) return contents.bodies.map((b) => withSource(b.fields, input, b.line));
  const records: ErrorRecord[] = [];
  for (const x of contents.exchanges) {
    for (const r of parseResponse({ status: x.status, body: x.body, api: x.api, input, line: x.line, trusted: x.dingtalk })) {
      // A bodiless 4xx from some other site in a browser HAR is not a DingTalk error.
      if (r.code === null && r.requiredScopes.length === 0 && !x.dingtalk) continue;
      records.push(r);
    }
  }
  return records;
}

/** `inner`'s fields, with what only `outer` says filled in (an embedded body and its log line; two records of one error). */
function fillFrom(inner: Fields, outer: Fields): Fields {
  return {
    httpStatus: inner.httpStatus ?? outer.httpStatus,
    code: inner.code ?? outer.code,
    subCode: inner.subCode ?? outer.subCode,
    message: inner.message ?? outer.message,
    requestId: inner.requestId ?? outer.requestId,
    requiredScopes: [...new Set([...inner.requiredScopes, ...outer.requiredScopes])],
    api: inner.api ?? outer.api,
    sdk: inner.sdk ?? outer.sdk,
    callerIp: inner.callerIp ?? outer.callerIp,
    appKey: inner.appKey ?? outer.appKey,
    evidence: uniqEvidence([...(inner.evidence ?? []), ...(outer.evidence ?? [])]),
  };
}

/** One piece of evidence per kind and value, first seen first. */
function uniqEvidence(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.platform} ${e.kind} ${e.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Records in lines[start..end] (one block); `firstLine` is the input line number of lines[0]. */
export function parseBlock(lines: string[], start: number, end: number, input: string, firstLine: number): ErrorRecord[] {
  const text = lines.slice(start, end + 1).join('\n');
  const line = firstLine + start;
  const json = recordsIn(jsonBlock(text, line), input);
  if (json) return json;
  let outer = extractFields(text);
  if (!outer) {
    // A framework's error page names the exception on its own line above the message (Django:
    // `DingTalkClientException at /api/…` then `Error code: 71012, message: …`): that line is the context.
    const above = start > 0 ? lines[start - 1]! : '';
    if (!/\bDingTalk\w*(?:Exception|Error)\b/.test(above)) return [];
    outer = extractFields(`${above}\n${text}`);
    if (!outer) return [];
  }
  const inner = embeddedBody(text);
  const fields = inner ? fillFrom(inner, outer) : outer;
  if (!fields.api || fields.httpStatus === null) {
    // The request may be named just above: `curl -X POST https://oapi…` then the body it printed —
    // taken only when it is the same request (request.ts), never an unrelated neighbouring line.
    const context = contextAbove(lines, start);
    const above = context ? requestAbove(context, lines[start]!, fields) : null;
    if (above) {
      fields.api ??= above.api;
      fields.httpStatus ??= above.httpStatus;
      fields.evidence = uniqEvidence([...(fields.evidence ?? []), ...evidenceIn(context!)]);
    }
  }
  return [withSource(fields, input, line)];
}

/**
 * Every DingTalk error in `text`. `input` names the source (file name or `-`);
 * `firstLine` is the line number of the text's first line (when parsing a piece of a log).
 */
export function parseText(text: string, input: string, firstLine = 1): ErrorRecord[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const whole = recordsIn(jsonDocument(text, firstLine), input);
  if (whole) return whole;
  const lines = splitLines(text); // (not split(/\r?\n/): its two compiles cost ≈ 0.08 M instructions, measured)
  const records: ErrorRecord[] = [];
  let covered = -1;
  for (let i = 0; i < lines.length; i++) {
    if (i <= covered || !hasTrigger(lines[i]!)) continue;
    const block = blockAround(lines, i);
    for (const r of parseBlock(lines, block.start, block.end, input, firstLine)) pushMerged(records, r);
    covered = block.end;
  }
  return records;
}

/**
 * One error logged twice in a row (a log line with the body, then the exception with the
 * stack — same request id) is one record: the later one fills the gaps of the first.
 */
export function sameError(a: ErrorRecord, b: ErrorRecord): boolean {
  if (a.source.input !== b.source.input) return false;
  // A log that prints the code, then the scope list on the next line (`Forbidden.AccessDenied.AccessTokenPermissionDenied`
  // ⏎ `requiredScopes: [Card.Instance.Write]`): one error.
  if (
    b.source.line - a.source.line === 1 && a.code !== null && a.requiredScopes.length === 0 &&
    b.code === null && b.subCode === null && b.requestId === null && b.requiredScopes.length > 0
  ) return true;
  // Same request id far apart is the same body logged again (a replayed fixture, a repeated paste): another occurrence.
  if (a.requestId !== null) return a.requestId === b.requestId && b.source.line - a.source.line <= MAX_BLOCK_LINES;
  // `HTTPError: Response code 403 (Forbidden) POST https://…` then the body on the next line(s):
  // the first names the request, the second the error; one error.
  return (
    a.code === null && a.subCode === null && a.requiredScopes.length === 0 && a.api !== null &&
    b.code !== null && b.source.line > a.source.line && b.source.line - a.source.line <= 3 &&
    (b.api === null || (b.api.path === a.api.path && (b.api.method ?? a.api.method) === (a.api.method ?? b.api.method))) &&
    (a.httpStatus === null || b.httpStatus === null || a.httpStatus === b.httpStatus)
  );
}

export function mergeRecords(a: ErrorRecord, b: ErrorRecord): ErrorRecord {
  const merged = fillFrom(a, b);
  // The API of the other record of the same error: the same request id, or the client's line naming the request above its body.
  if (a.api === null && b.api !== null && a.requestId !== null && a.requestId === b.requestId) merged.api = { ...b.api, via: 'request-id' };
  else if (a.api !== null && a.code === null && b.code !== null) merged.api = { ...a.api, via: 'exchange' };
  return {
    ...merged,
    // A code-less record (a client's status line) has the client's words; the body's message is DingTalk's.
    message: (a.code === null ? b.message : a.message) ?? a.message ?? b.message,
    source: a.source,
  };
}

function pushMerged(records: ErrorRecord[], r: ErrorRecord): void {
  const last = records[records.length - 1];
  if (last && sameError(last, r)) records[records.length - 1] = mergeRecords(last, r);
  else records.push(r);
}


export interface HttpAnswer {
  status: number;
  headers?: Record<string, string | string[] | undefined> | null;
  body: string;
  api?: ApiRef | null;
  input?: string;
  line?: number;
  /** The answer came from DingTalk (default): any `code` in its body is DingTalk's. False for other hosts in a HAR. */
  trusted?: boolean;
}

/**
 * One HTTP answer (from `check`, replay or a HAR entry) → its error records.
 * The real status wins over anything the body says; a ≥400 answer whose body names no
 * error still gives one record (status only), a 2xx without an error code gives none.
 */
export function parseResponse(answer: HttpAnswer): ErrorRecord[] {
  const input = answer.input ?? 'response';
  const line = answer.line ?? 1;
  // The body is DingTalk's answer: any `code` in it is DingTalk's (`{"code":"InvalidAction.NotFound",…}` has no request id).
  const fields = answer.body.trim() ? extractFields(answer.body, { trusted: answer.trusted ?? true }) : null;
  // The answer's own request is the same HTTP exchange; its host is evidence of the platform.
  const api = answer.api ? { ...answer.api, via: answer.api.via ?? ('exchange' as const) } : null;
  const hostEvidence = answer.api?.host ? evidenceIn(answer.api.host) : [];
  if (fields) {
    const evidence = uniqEvidence([...(fields.evidence ?? []), ...hostEvidence]);
    return [withSource({ ...fields, httpStatus: answer.status || fields.httpStatus, api: api ?? fields.api, evidence }, input, line)];
  }
  if (answer.status >= 400) {
    const snippet = maskCredentials(answer.body.trim().replace(/\s+/g, ' ')).slice(0, 200);
    return [
      withSource(
        {
          httpStatus: answer.status,
          code: null,
          subCode: null,
          message: snippet || null,
          requestId: null,
          requiredScopes: [],
          api,
          sdk: null,
          callerIp: null,
          appKey: null,
          evidence: hostEvidence,
        },
        input,
        line,
      ),
    ];
  }
  return [];
}

// ---------------------------------------------------------------- bytes: an input of any size

export interface StreamOptions {
  /** Largest JSON-looking input read whole (HAR files, pretty-printed bodies). */
  wholeJsonLimit?: number;
}

const WHOLE_JSON_LIMIT = 16 * 1024 * 1024;

/**
 * Every DingTalk error in a stream of chunks, in input order, in constant memory: an input that
 * starts like one JSON document (HAR, pretty-printed body) and is not huge is read whole and
 * walked as JSON (`parseText`), anything else is scanned as a log (log-scan.ts) and its blocks
 * read here. Throws InputError for binary, non-UTF-8 or empty input.
 */
export async function* parseStream(
  source: AsyncIterable<Uint8Array | string>,
  input: string,
  options: StreamOptions = {},
): AsyncGenerator<ErrorRecord> {
  const iterator = source[Symbol.asyncIterator]();
  const next: NextChunk = async () => {
    const r = await iterator.next();
    if (r.done) return null;
    if (typeof r.value === 'string') return Buffer.from(r.value, 'utf8');
    // (our inputs give Buffers: no view to make, and Buffer.from(arrayBuffer) is not compiled for nothing)
    return Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
  };
  const head = await readHead(next, input, options.wholeJsonLimit ?? WHOLE_JSON_LIMIT);
  if ('records' in head) {
    yield* head.records;
    return;
  }
  // A log prints one error twice in a row (the body, then the exception): one record (sameError).
  let last: ErrorRecord | null = null;
  for await (const block of scanLog(head.log, next, input)) {
    for (const r of parseBlock(block.lines, block.start, block.end, input, block.firstLine)) {
      if (last && sameError(last, r)) last = mergeRecords(last, r);
      else {
        if (last) yield last;
        last = r;
      }
    }
  }
  if (last) yield last;
}

function looksBinary(head: Buffer): boolean {
  const sample = head.subarray(0, 8192);
  if (sample.length >= 2 && ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff))) return true;
  return sample.indexOf(0) !== -1;
}

const isSpaceByte = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** How far into the head a line that opens a JSON value (`\n{`) makes it a log of several. */
const HEAD_BYTES = 65536;
const BOM = [0xef, 0xbb, 0xbf];
/** Whether a chunk that starts at `offset` of the input holds a byte that is neither white space nor the BOM. */
const holdsText = (chunk: Buffer, offset: number) => chunk.some((c, i) => !isSpaceByte(c) && !(offset + i < 3 && c === BOM[offset + i]));

/**
 * The head of the input: empty? binary? One JSON document (HAR, pretty body; not NDJSON, whose
 * lines start at column 0) small enough to read whole: its records. Otherwise the chunks read
 * so far (copied), for the log scan to go on from.
 */
async function readHead(next: NextChunk, input: string, wholeJsonLimit: number): Promise<{ records: ErrorRecord[] } | { log: Buffer[] }> {
  let first = await next();
  while (first && first.length === 0) first = await next();
  if (!first) throw new InputError(`${input}: is empty`, 'ui.err.input-empty', { input });
  // The first byte that is not white space decides JSON or log: chunks of white space alone (or of
  // a BOM's bytes) read on, up to what would be read whole anyway, so the chunking never changes the answer.
  const head = [first];
  let size = first.length;
  for (let chunk: Buffer | null = first; !holdsText(chunk, size - chunk.length) && size <= wholeJsonLimit; ) {
    chunk = await next();
    if (!chunk) break;
    head.push(chunk);
    size += chunk.length;
  }
  if (head.length > 1) first = Buffer.concat(head, size);
  if (looksBinary(first)) throw new InputError(`${input}: looks like a binary file, not text (give a log, an error body, curl output or a HAR file)`, 'ui.err.input-binary', { input });
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) first = first.subarray(3);

  const lead = first.find((c) => !isSpaceByte(c));
  if ((lead !== 0x7b /* { */ && lead !== 0x5b /* [ */) || hasJsonLineStart(first.toString('latin1', 0, Math.min(first.length, HEAD_BYTES)))) return { log: [first] };
  const chunks = [Buffer.from(first)]; // copied: the source may reuse its buffer
  let bytes = first.length;
  while (bytes <= wholeJsonLimit) {
    const b = await next();
    // (one chunk, a body's usual case, needs no concat: Buffer.concat is compiled at its first call, ≈ 0.1 M)
    if (!b) return { records: wholeJson(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes), input) };
    chunks.push(Buffer.from(b));
    bytes += b.length;
  }
  return { log: chunks }; // too big to hold: scan it like a log, from what was read
}

/** The records of a whole input that looks like one JSON document. */
function wholeJson(whole: Buffer, input: string): ErrorRecord[] {
  if (!isUtf8(whole)) throw new InputError(`${input}: is not valid UTF-8 text`, 'ui.err.input-not-utf8', { input });
  const text = whole.toString('utf8');
  if (text.trim() === '') throw new InputError(`${input}: is empty`, 'ui.err.input-empty', { input });
  const records = parseText(text, input);
  // Only what was meant as JSON is "truncated JSON": a log that opens with `[error]: …` / `[ERROR] …` is just a log.
  const meantAsJson = () => /^\s*(?:\{|\[\s*(?:[{["\]]|$))/.test(text.slice(0, 256));
  if (records.length === 0 && meantAsJson() && !hasJsonLineStart(text) && !jsonValue(text)) {
    throw new InputError(`${input}: truncated or invalid JSON, and no DingTalk error could be recovered from it`, 'ui.err.input-bad-json', { input });
  }
  return records;
}
