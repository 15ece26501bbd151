/**
 * Writing to stdout and stderr. A pipe or a file (CI, `| jq`, `> out.txt`) is written with
 * `fs.writeSync` on its descriptor: `process.stdout` would build a stream first, and building one
 * loads Node's net and stream modules (≈ 1.5 ms of a 30 ms run). A terminal gets the stream, which
 * knows the terminal (on Windows it is what writes Unicode to a console).
 */
import { fstatSync, statSync, writeSync } from 'node:fs';

type Fd = 1 | 2;

/** A reader that went away (`dingtalk-doctor … | head`) is not an error: the run ends with its exit code. */
const endOnClosedStdout = () => process.exit(process.exitCode ?? 0);

let stdoutHooked = false;
let streamUsed = false;
/** The descriptor's stream, built on first use; a closed pipe on stdout then ends the run quietly. */
function streamOf(fd: Fd): NodeJS.WriteStream {
  streamUsed = true;
  if (fd === 2) return process.stderr;
  if (!stdoutHooked) {
    stdoutHooked = true;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') endOnClosedStdout();
    });
  }
  return process.stdout;
}

/**
 * Whether all output went out by writeSync: nothing of it can be waiting in a stream (a terminal's,
 * a descriptor that refused a direct write), so the process may end at once (src/cli.ts).
 */
export const allWritten = () => !streamUsed;

const terminals = new Map<Fd, boolean>();

/** Whether the descriptor is a terminal; a pipe or a file is told apart without loading node:tty. */
export function isTerminal(fd: Fd): boolean {
  let known = terminals.get(fd);
  if (known === undefined) {
    known = couldBeTerminal(fd) && process.getBuiltinModule('node:tty').isatty(fd);
    terminals.set(fd, known);
  }
  return known;
}

/**
 * Only a character device can be a terminal, and /dev/null is one too: told apart by its device
 * number, so `> /dev/null` (CI scripts that want the exit code only) does not load node:tty, which
 * loads net and the streams (≈ 13 M instructions, more than a third of a diagnose's own work).
 */
function couldBeTerminal(fd: Fd): boolean {
  if (process.platform === 'win32') return true;
  try {
    const st = fstatSync(fd);
    return st.isCharacterDevice() && st.rdev !== nullDevice();
  } catch {
    return false; // a closed descriptor
  }
}

function nullDevice(): number {
  try {
    return statSync('/dev/null').rdev;
  } catch {
    return -1; // no /dev/null (a chroot): node:tty decides
  }
}

/** Descriptors that refused a direct write (non-blocking and full): their stream queues instead. */
const streamed = new Set<Fd>();

/** Writes all of `text`; a closed pipe on stdout ends the run there, as the stream's EPIPE does. */
export function writeText(fd: Fd, text: string): void {
  if (isTerminal(fd) || streamed.has(fd)) return void streamOf(fd).write(text);
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') {
      // a descriptor another process made non-blocking: the stream waits for it to drain
      streamed.add(fd);
      streamOf(fd).write(bytes.subarray(done));
    } else if (code === 'EPIPE') {
      if (fd === 1) endOnClosedStdout();
    } else if (code !== 'EBADF') throw error; // EBADF: the descriptor was closed (`>&-`), nobody reads
  }
}

