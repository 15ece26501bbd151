/**
 * Progress of a long read on stderr ("app.log: 48 / 200 MB"), for `diagnose` of big logs. Only
 * where a person watches: the same rule as the spinner (stderr a TTY, text format, not CI, not
 * --quiet). It appears once 16 MiB have been read, so small inputs print nothing, redraws at
 * most every 100 ms, and clears its line when the input ends.
 */
import { statSync } from 'node:fs';
import { message } from '../render/messages.js';
import type { Out } from './shared.js';

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

export async function* withProgress(chunks: AsyncIterable<Buffer>, name: string, out: Out): AsyncGenerator<Buffer> {
  if (!out.opts.spinner) {
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
        const text = total !== null && read <= total ? message('note.progress.of', { label, mb, total: Math.round(total / MB) }, out.opts.lang) : message('note.progress', { label, mb }, out.opts.lang);
        process.stderr.write(`\r\u001b[2K${text}`);
      }
      yield chunk;
    }
  } finally {
    if (shown) process.stderr.write('\r\u001b[2K');
  }
}
