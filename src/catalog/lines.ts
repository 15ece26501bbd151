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

export class LineTable {
  readonly header: TableHeader;
  private readonly starts: number[] = [];

  constructor(private readonly bytes: Buffer) {
    const firstNewline = bytes.indexOf(10);
    for (let at = firstNewline + 1; at > 0 && at < bytes.length; at = bytes.indexOf(10, at) + 1) {
      if (bytes[at] === 0x5b /* [ */) this.starts.push(at);
    }
    this.header = JSON.parse(`${bytes.toString('utf8', 0, firstNewline)}]}`) as TableHeader;
  }

  get count(): number {
    return this.starts.length;
  }

  row(i: number): unknown[] {
    const start = this.starts[i]!;
    const end = this.bytes.indexOf(10, start);
    return JSON.parse(this.bytes.toString('utf8', start, end === -1 ? this.bytes.length : end).replace(/,$/, '')) as unknown[];
  }

  /** The rows whose key equals `key`, in a table sorted by `keyOf` (JS string order). */
  equalRange(key: string, keyOf: (row: unknown[]) => string): unknown[][] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keyOf(this.row(mid)) < key) lo = mid + 1;
      else hi = mid;
    }
    const found: unknown[][] = [];
    for (let i = lo; i < this.count; i++) {
      const row = this.row(i);
      if (keyOf(row) !== key) break;
      found.push(row);
    }
    return found;
  }
}
