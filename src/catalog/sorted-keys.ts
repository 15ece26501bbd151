/**
 * Keys in JS string order, each with a row (a position in the API table); a key may repeat.
 * In memory as two plain arrays, `[keys, rows]`; stored (dist/data/index.json) as text, one
 * `key<TAB>row` per line, searched where it lies (SortedLines). A lookup is a binary search.
 */
import { firstLineNotBelow, lineEnd } from './lines.js';
import type { KeyLookup } from './types.js';

export type { KeyLookup };
export type KeyRows = [keys: string[], rows: number[]];

export class SortedKeys implements KeyLookup {
  constructor(private readonly stored: KeyRows) {}

  /** Sorted by key, then row. */
  static of(entries: ReadonlyArray<readonly [string, number]>): SortedKeys {
    const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    return new SortedKeys([sorted.map((e) => e[0]), sorted.map((e) => e[1])]);
  }

  toJSON(): KeyRows {
    return this.stored;
  }

  /** The stored form SortedLines reads: `key<TAB>row` per line, in this order. */
  toLines(): string {
    const [keys, rows] = this.stored;
    return keys
      .map((key, i) => {
        if (/[\t\n]/.test(key)) throw new Error(`dingtalk-doctor: a key with a tab or a newline cannot be stored as a line: ${JSON.stringify(key)}`);
        return `${key}\t${rows[i]}\n`;
      })
      .join('');
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

  rowsOf(key: string): number[] {
    const [keys, rows] = this.stored;
    const out: number[] = [];
    for (let i = this.lowerBound(key); keys[i] === key; i++) out.push(rows[i] as number);
    return out;
  }

  hasPrefix(prefix: string): boolean {
    return this.stored[0][this.lowerBound(prefix)]?.startsWith(prefix) ?? false;
  }
}

const TAB = 9;

/**
 * Sorted keys as stored (SortedKeys.toLines), searched in their bytes: a lookup reads a dozen
 * lines and parses nothing up front. (The SDK keys are 1.6 MB: JSON.parse of them took 9 ms, the
 * API ids with their map 2 ms, for one lookup.)
 */
export class SortedLines implements KeyLookup {
  constructor(private readonly bytes: Buffer) {}

  private keyAt(start: number): string {
    return this.bytes.toString('utf8', start, this.bytes.indexOf(TAB, start));
  }

  /** The start of the first line whose key is not below `key` (the end when there is none). */
  private lowerBound(key: string): number {
    return firstLineNotBelow(this.bytes, 0, (start) => this.keyAt(start) < key);
  }

  rowsOf(key: string): number[] {
    const rows: number[] = [];
    for (let start = this.lowerBound(key); start < this.bytes.length; ) {
      const tab = this.bytes.indexOf(TAB, start);
      const end = lineEnd(this.bytes, start);
      if (this.bytes.toString('utf8', start, tab) !== key) break;
      rows.push(Number.parseInt(this.bytes.toString('latin1', tab + 1, end), 10));
      start = end;
    }
    return rows;
  }

  hasPrefix(prefix: string): boolean {
    const start = this.lowerBound(prefix);
    return start < this.bytes.length && this.keyAt(start).startsWith(prefix);
  }
}
