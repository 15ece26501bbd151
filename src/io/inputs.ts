/**
 * Opening the inputs of `diagnose`: files or `-` (stdin), as streams of large chunks so
 * that a log of any size is read in constant memory. Failures are one-line usage errors
 * (exit 2): missing file, directory, permission denied.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { usageError } from '../errors.js';

/** Big reads: the byte scanner's cost per chunk is fixed, so fewer chunks is faster. */
export const CHUNK_BYTES = 1 << 20;

export interface Input {
  /** As the user named it (`-` for stdin). */
  name: string;
  /** Chunks of the input. A file's chunks share one buffer: consumers copy what they keep (parseStream does). */
  chunks: AsyncIterable<Buffer>;
}

function reason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read it (permission denied)';
    case 'EISDIR':
      return 'is a directory, not a file';
    default:
      return `cannot read it (${error.code ?? error.message})`;
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
        throw usageError(`${name}: ${reason(error as NodeJS.ErrnoException)}`);
      }
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** Opens a file (checked now, so a bad name fails before any output) or stdin for `-`. */
export function openInput(name: string, stdin: NodeJS.ReadableStream = process.stdin): Input {
  if (name === '-') return { name: '-', chunks: stdin as AsyncIterable<Buffer> };
  let fd: number;
  try {
    fd = openSync(name, 'r');
  } catch (error) {
    throw usageError(`${name}: ${reason(error as NodeJS.ErrnoException)}`);
  }
  if (fstatSync(fd).isDirectory()) {
    closeSync(fd);
    throw usageError(`${name}: is a directory, not a file`, 'give a file, or - for stdin');
  }
  return { name, chunks: fileChunks(fd, name) };
}
