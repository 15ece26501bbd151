/**
 * Opening the inputs of `diagnose`: files or `-` (stdin), as streams of large chunks so
 * that a log of any size is read in constant memory. A gzip input (`app.log.gz`, `zcat`-less
 * stdin) is recognised by its magic bytes, whatever its name, and inflated as it streams.
 * Failures are one-line usage errors (exit 2): missing file, directory, permission denied,
 * a corrupt or truncated gzip. Where a person watches, a long read shows its progress.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { DoctorError } from '../errors.js';
import { message, uiError } from '../render/messages.js';
import type { OutputOptions } from '../render/output.js';

/** Big reads: the byte scanner's cost per chunk is fixed, so fewer chunks is faster. */
export const CHUNK_BYTES = 1 << 20;

export interface Input {
  /** As the user named it (`-` for stdin). */
  name: string;
  /** Chunks of the input. A file's chunks share one buffer: consumers copy what they keep (parseStream does). */
  chunks: AsyncIterable<Buffer>;
}

/** Whether a person watches the read (OutputOptions.spinner), and in which language its progress is said. */
type Watcher = Pick<OutputOptions, 'spinner' | 'lang'>;

/** Why a file cannot be read, as the usage error naming it. */
function unreadable(name: string, error: NodeJS.ErrnoException): DoctorError {
  switch (error.code) {
    case 'ENOENT':
      return uiError('err.input.no-such-file', { input: name });
    case 'EACCES':
    case 'EPERM':
      return uiError('err.input.permission', { input: name });
    case 'EISDIR':
      return uiError('err.input.directory', { input: name });
    default:
      return uiError('err.input.unreadable', { input: name, reason: error.code ?? error.message });
  }
}

/**
 * Reads a file with plain synchronous reads into one reused buffer: from the page cache
 * this is faster than a stream (no thread-pool round trips, no allocation per chunk), and
 * diagnose has nothing else to do meanwhile.
 */
async function* fileChunks(fd: number, name: string): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    while (true) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (error) {
        throw unreadable(name, error as NodeJS.ErrnoException);
      }
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/**
 * The chunks as they are, or inflated when the input starts with gzip's magic bytes. A source
 * that reuses one buffer (fileChunks) is copied on the way into zlib, which may hold a chunk
 * until it has room. Output chunks are large: the parser's cost per chunk is fixed.
 */
export async function* gunzipIfCompressed(chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  // The magic is two bytes; a source may hand them out one at a time.
  // (allocUnsafe: the file reader's, already compiled; Buffer.alloc would be compiled for this alone)
  let head: Buffer = Buffer.allocUnsafe(0);
  let r = await it.next();
  for (; !r.done && head.length + r.value.length < 2; r = await it.next()) head = Buffer.concat([head, r.value]);
  if (!r.done) head = head.length ? Buffer.concat([head, r.value]) : r.value;
  if (!isGzip(head)) {
    if (head.length) yield head;
    if (r.done) return;
    for (r = await it.next(); !r.done; r = await it.next()) yield r.value;
    return;
  }
  head = Buffer.from(head); // the source may reuse its buffer
  async function* compressed() {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield Buffer.from(r.value);
  }
  // zlib and streams load only for a gzip input (they cost every start otherwise)
  const gunzip = process.getBuiltinModule('node:zlib').createGunzip({ chunkSize: 256 * 1024 });
  const source = process.getBuiltinModule('node:stream').Readable.from(compressed(), { objectMode: false });
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  try {
    for await (const out of gunzip) yield out as Buffer;
  } catch (error) {
    // zlib's own failures (Z_DATA_ERROR: corrupt, Z_BUF_ERROR: truncated) are bad input; a read error stays as it is.
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof DoctorError || typeof code !== 'string' || !code.startsWith('Z_')) throw error;
    throw uiError('err.input.bad-gzip', { input: name, reason: (error as Error).message }, undefined, { cause: error });
  } finally {
    source.destroy();
  }
}

/**
 * Opens a file (checked now, so a bad name fails before any output) or stdin for `-`; its
 * chunks show their progress on stderr when `show.spinner` says a person watches.
 */
export function openInput(name: string, show: Watcher, stdin?: NodeJS.ReadableStream): Input {
  // process.stdin only for `-`: its getter builds a stream (tty, net or fs) that a file input never uses
  if (name === '-') return { name: '-', chunks: withProgress(gunzipIfCompressed((stdin ?? process.stdin) as AsyncIterable<Buffer>, '-'), '-', show) };
  let fd: number;
  try {
    fd = openSync(name, 'r');
  } catch (error) {
    throw unreadable(name, error as NodeJS.ErrnoException);
  }
  if (fstatSync(fd).isDirectory()) {
    closeSync(fd);
    throw uiError('err.input.directory', { input: name }, 'err.input.directory-hint');
  }
  return { name, chunks: withProgress(gunzipIfCompressed(fileChunks(fd, name), name), name, show) };
}

const SHOW_AFTER_BYTES = 16 << 20;
const MB = 1 << 20;

function sizeOf(name: string): number | null {
  if (name === '-') return null;
  try {
    return statSync(name).size;
  } catch {
    return null;
  }
}

/**
 * Progress of a long read on stderr ("app.log: 48 / 200 MB"), for `diagnose` of big logs. Only
 * where a person watches: the same rule as the spinner (stderr a TTY, text format, not CI, not
 * --quiet). It appears once 16 MiB have been read, so small inputs print nothing, redraws at
 * most every 100 ms, and clears its line when the input ends.
 */
async function* withProgress(chunks: AsyncIterable<Buffer>, name: string, show: Watcher): AsyncGenerator<Buffer> {
  if (!show.spinner) {
    yield* chunks;
    return;
  }
  const total = sizeOf(name);
  // eslint-disable-next-line no-control-regex
  const label = name === '-' ? 'stdin' : name.replace(/[\u0000-\u001f\u007f]/g, '?');
  let read = 0;
  let drawnAt = 0;
  let shown = false;
  try {
    for await (const chunk of chunks) {
      read += chunk.length;
      const now = Date.now();
      if (read >= SHOW_AFTER_BYTES && now - drawnAt >= 100) {
        drawnAt = now;
        shown = true;
        // A gzip input inflates beyond its file size: then only the bytes read are known.
        const mb = Math.round(read / MB);
        const text = total !== null && read <= total ? message('note.progress.of', { label, mb, total: Math.round(total / MB) }, show.lang) : message('note.progress', { label, mb }, show.lang);
        process.stderr.write(`\r\u001b[2K${text}`);
      }
      yield chunk;
    }
  } finally {
    if (shown) process.stderr.write('\r\u001b[2K');
  }
}
