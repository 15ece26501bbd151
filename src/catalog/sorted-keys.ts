/**
 * Keys in JS string order, each with a row (a position in the API table); a key may repeat.
 * Stored as two plain arrays, `[keys, rows]`: JSON.parse reads arrays of strings and numbers
 * 5–8× faster than an object with thousands of distinct keys (measured on the bundled index),
 * and a lookup is a binary search.
 */
export type KeyRows = [keys: string[], rows: number[]];

export class SortedKeys {
  constructor(private readonly stored: KeyRows) {}

  /** Sorted by key, then row. */
  static of(entries: ReadonlyArray<readonly [string, number]>): SortedKeys {
    const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    return new SortedKeys([sorted.map((e) => e[0]), sorted.map((e) => e[1])]);
  }

  toJSON(): KeyRows {
    return this.stored;
  }

  /** The first position whose key is not below `key`. */
  private lowerBound(key: string): number {
    const keys = this.stored[0];
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The rows of every entry whose key is `key`. */
  rowsOf(key: string): number[] {
    const [keys, rows] = this.stored;
    const out: number[] = [];
    for (let i = this.lowerBound(key); keys[i] === key; i++) out.push(rows[i] as number);
    return out;
  }

  /** Whether some key starts with `prefix`. */
  hasPrefix(prefix: string): boolean {
    return this.stored[0][this.lowerBound(prefix)]?.startsWith(prefix) ?? false;
  }
}
