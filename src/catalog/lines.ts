/**
 * Generated tables are written one row per line — `{…header…,"fields":[…],"rows":[\n[row],\n[row]\n]}` —
 * and sorted by their key (scripts/build-catalog.mjs). Read as bytes, a table can then answer a
 * lookup by binary search, decoding a dozen rows instead of the whole file: the error table and the
 * scope table are consulted by nearly every `diagnose` run, and cold start matters.
 */
export interface TableHeader {
  fields: string[];
  urls?: string[];
  [key: string]: unknown;
}

/** The row on the line [start, end) of a table written one row per line, without its `,\n`. */
export function rowOfLine(bytes: Buffer, start: number, end: number): unknown[] {
  let last = end;
  if (bytes[last - 1] === 0x0a /* \n */) last--;
  if (bytes[last - 1] === 0x2c /* , */) last--;
  return JSON.parse(bytes.toString('utf8', start, last)) as unknown[];
}

/** The end of the line that starts at `start` (past its newline), or the end of the bytes. */
export function lineEnd(bytes: Buffer, start: number): number {
  const newline = bytes.indexOf(10, start);
  return newline === -1 ? bytes.length : newline + 1;
}

/**
 * In sorted lines from `from` (a line start) on, the start of the first line that is not `below`
 * what is looked for (the end of the bytes when none). Binary search over byte offsets: no index
 * of line starts is built (that alone was a full scan).
 */
export function firstLineNotBelow(bytes: Buffer, from: number, below: (start: number, end: number) => boolean): number {
  // invariant: lo and hi are line starts; every line before lo is below, none from hi on
  let lo = from;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const start = mid === 0 ? 0 : bytes.lastIndexOf(10, mid - 1) + 1; // ≥ lo: the byte before lo is a newline
    const end = lineEnd(bytes, start);
    if (below(start, end)) lo = end;
    else hi = start;
  }
  return lo;
}

/** A row's key: computed from the parsed row, or 'first' for its first value (a string), read without parsing the row. */
export type KeyOf = ((row: unknown[]) => string) | 'first';

export class LineTable {
  readonly header: TableHeader;
  /** Byte offset of the first row's line. */
  private readonly bodyStart: number;

  constructor(private readonly bytes: Buffer) {
    const firstNewline = bytes.indexOf(10);
    this.bodyStart = firstNewline + 1;
    this.header = JSON.parse(`${bytes.toString('utf8', 0, firstNewline)}]}`) as TableHeader;
  }

  /** The row on the line starting at `start`, or null for the closing `]}` line. */
  private parseLine(start: number, end: number): unknown[] | null {
    return this.bytes[start] === 0x5b /* [ */ ? rowOfLine(this.bytes, start, end) : null;
  }

  /** The row's first value when it is a string, read alone (null for the closing line or another value). */
  private firstString(start: number): string | null {
    if (this.bytes[start] !== 0x5b /* [ */ || this.bytes[start + 1] !== 0x22 /* " */) return null;
    let at = start + 2;
    for (; at < this.bytes.length && this.bytes[at] !== 0x22; at++) if (this.bytes[at] === 0x5c /* \ */) at++;
    return JSON.parse(this.bytes.toString('utf8', start + 1, at + 1)) as string;
  }

  /** The key of the row on a line: `keyOf` of the parsed row, or with 'first' its first value read alone. */
  private keyAt(start: number, end: number, keyOf: KeyOf): string | null {
    if (keyOf === 'first') return this.firstString(start);
    const row = this.parseLine(start, end);
    return row && keyOf(row);
  }


  /**
   * The rows whose key equals `key`, in a table sorted by `keyOf` (JS string order). Binary
   * search over byte offsets: no index of line starts is built (that alone was a full scan).
   */
  equalRange(key: string, keyOf: KeyOf): unknown[][] {
    const lo = firstLineNotBelow(this.bytes, this.bodyStart, (start, end) => {
      const k = this.keyAt(start, end, keyOf);
      return k !== null && k < key;
    });
    const found: unknown[][] = [];
    for (let start = lo; start < this.bytes.length; ) {
      const end = lineEnd(this.bytes, start);
      const row = this.parseLine(start, end);
      if (!row || (keyOf === 'first' ? row[0] : keyOf(row)) !== key) break;
      found.push(row);
      start = end;
    }
    return found;
  }
}
