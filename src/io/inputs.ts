/**
 * Opening the inputs of `diagnose`: files or `-` (stdin), as streams of large chunks so
 * that a log of any size is read in constant memory. Failures are one-line usage errors
 * (exit 2): missing file, directory, permission denied.
 */
import { open, stat } from 'node:fs/promises';
import { usageError } from '../errors.js';

/** Big reads: the byte scanner's cost per chunk is fixed, so fewer chunks is faster. */
export const CHUNK_BYTES = 1 << 20;

export interface Input {
  /** As the user named it (`-` for stdin). */
  name: string;
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

/** Opens a file (checked now, so a bad name fails before any output) or stdin for `-`. */
export async function openInput(name: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<Input> {
  if (name === '-') return { name: '-', chunks: stdin as AsyncIterable<Buffer> };
  try {
    const info = await stat(name);
    if (info.isDirectory()) throw usageError(`${name}: is a directory, not a file`, 'give a file, or - for stdin');
    const handle = await open(name, 'r');
    const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES, autoClose: true });
    return { name, chunks: stream as AsyncIterable<Buffer> };
  } catch (error) {
    if (error instanceof Error && error.name === 'DoctorError') throw error;
    throw usageError(`${name}: ${reason(error as NodeJS.ErrnoException)}`);
  }
}
