/**
 * dist/data/index.json: the catalog's indexes computed at build time (scripts/build-index.mjs
 * writes it with src/catalog/build-index.ts). A header line naming each section's byte range,
 * then the sections, each followed by a newline: `rows` one JSON value; the keyed ones (`ids`,
 * `paths`, `sdk`) sorted lines of `key<TAB>row`, searched in their bytes (sorted-keys.ts
 * SortedLines); `search` one document per line. A lookup reads the header and the section it needs by position,
 * and an API row straight from its byte range in apis.json: `scopes for` reads ~200 KB of the
 * 2 MB, parses none of its keys and decodes one API row, not the 3,000-row table.
 */
import { lineEnd, rowOfLine } from './lines.js';
import { SortedLines, type KeyLookup } from './sorted-keys.js';
import type { SearchDoc } from './types.js';

export const INDEX_SECTIONS = ['rows', 'ids', 'paths', 'sdk', 'search'] as const;
export type IndexSection = (typeof INDEX_SECTIONS)[number];
/** The sections stored as sorted `key<TAB>row` lines. */
export const SORTED_SECTIONS: ReadonlySet<IndexSection> = new Set(['ids', 'paths', 'sdk']);

export interface IndexHeader {
  generatedBy: string;
  /** sha256 of each table the index was computed from (the build checks they still match). */
  from: Record<string, string>;
  /** apis.json's fields, to decode a row read alone. */
  apiFields: string[];
  /** Byte range of each section, counted from the end of the header line. */
  sections: Record<IndexSection, [start: number, end: number]>;
}

/**
 * A search document as stored: word lists joined by spaces (words are [a-z0-9]+), path word
 * sequences and identifiers (segments of codes and paths) by `/`. Strings parse much faster than
 * thousands of small arrays.
 */
export type StoredDoc = [scope: string, uses: number, key: string, headKey: string, code: string, en: string, zh: string, pathWords: string, paths: string, summaries: string, identifiers: string];

const split = (text: string, by: string) => (text ? text.split(by) : []);

export function storedDoc(d: SearchDoc): StoredDoc {
  return [d.scope, d.uses, d.key, d.headKey, d.code.join(' '), d.en.join(' '), d.zh, d.pathWords.join(' '), d.paths.map((p) => p.join(' ')).join('/'), d.summaries, d.identifiers.join('/')];
}

export function docOf([scope, uses, key, headKey, code, en, zh, pathWords, paths, summaries, identifiers]: StoredDoc): SearchDoc {
  return {
    scope, uses, key, headKey, zh, summaries,
    code: split(code, ' '),
    en: split(en, ' '),
    pathWords: split(pathWords, ' '),
    paths: split(paths, '/').map((p) => split(p, ' ')),
    identifiers: split(identifiers, '/'),
  };
}

/** Reads bytes [start, end) of a file (fewer at its end). */
export type ReadRange = (start: number, end: number) => Buffer;

const stale = (what: string) => new Error(`dingtalk-doctor: the catalog index does not fit the data (${what}); rebuild it: node scripts/build-index.mjs`);

export class BundledIndex {
  readonly header: IndexHeader;
  private readonly bodyStart: number;
  private readonly parsed = new Map<IndexSection, unknown>();

  /**
   * @param readIndex reads index.json
   * @param readApis reads apis.json
   */
  constructor(
    private readonly readIndex: ReadRange,
    private readonly readApis: ReadRange,
  ) {
    let head = readIndex(0, 4096);
    for (let size = 8192; head.indexOf(10) === -1 && head.length === size / 2; size *= 2) head = readIndex(0, size);
    const newline = head.indexOf(10);
    if (newline === -1) throw stale('no header line');
    this.header = JSON.parse(head.toString('utf8', 0, newline)) as IndexHeader;
    this.bodyStart = newline + 1;
  }

  private bytesOf(name: IndexSection): Buffer {
    const range = this.header.sections[name];
    if (!range) throw stale(`no ${name} section`);
    return this.readIndex(this.bodyStart + range[0], this.bodyStart + range[1]);
  }

  /** A section, parsed (JSON) or ready to search (sorted lines) on first use. */
  private section<T>(name: IndexSection): T {
    if (!this.parsed.has(name)) this.parsed.set(name, SORTED_SECTIONS.has(name) ? new SortedLines(this.bytesOf(name)) : JSON.parse(this.bytesOf(name).toString('utf8')));
    return this.parsed.get(name) as T;
  }

  /** A section's bytes, read once. */
  private raw(name: IndexSection): Buffer {
    if (!this.parsed.has(name)) this.parsed.set(name, this.bytesOf(name));
    return this.parsed.get(name) as Buffer;
  }

  /** One API row, read alone from apis.json (the row's line, without its `,\n`). */
  apiRow(row: number): unknown[] {
    const starts = this.section<number[]>('rows');
    const start = starts[row];
    const end = starts[row + 1];
    if (start === undefined || end === undefined) throw stale(`no API row ${row}`);
    const line = this.readApis(start, end);
    if (line[0] !== 0x5b /* [ */ || line[line.length - 1] !== 0x0a /* \n */) throw stale(`apis.json row ${row} is not at byte ${start}`);
    return rowOfLine(line, 0, line.length);
  }

  /** The row of the API with this id. */
  rowOfId(id: string): number | undefined {
    return this.section<SortedLines>('ids').rowsOf(id)[0];
  }

  /** Template keys and rows (paths.ts). */
  pathKeys(): KeyLookup {
    return this.section('paths');
  }

  /** SDK keys and rows (sdk-index.ts). */
  sdkKeys(): KeyLookup {
    return this.section('sdk');
  }

  /**
   * The search documents (one JSON array per line) that hold one of `needles` (search.ts
   * searchNeedles): only those are parsed (`scopes search 通讯录` parses a few dozen of 260).
   */
  searchDocs(needles: readonly string[]): SearchDoc[] {
    const bytes = this.raw('search');
    const starts = new Set<number>();
    for (const needle of needles) {
      const b = Buffer.from(needle, 'utf8');
      for (let at = bytes.indexOf(b); at !== -1; at = bytes.indexOf(b, at + 1)) starts.add(bytes.lastIndexOf(10, at) + 1);
    }
    return [...starts].sort((a, b) => a - b).map((start) => docOf(JSON.parse(bytes.toString('utf8', start, lineEnd(bytes, start))) as StoredDoc));
  }
}
