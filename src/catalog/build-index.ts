/**
 * Build-time half of src/catalog/bundled-index.ts: computes dist/data/index.json from the
 * generated tables, with the same code the catalog uses for data held in memory
 * (PathIndex.keysOf, sdkKeysOf, searchDocOf), so a stored index and a computed one cannot
 * disagree. Not part of the CLI: scripts/build-index.mjs bundles and runs it.
 */
import { INDEX_SECTIONS, storedDoc, type IndexHeader, type IndexSection } from './bundled-index.js';
import { decodeApi, decodeScope, rowsOf, type Table } from './decode.js';
import { PathIndex } from './paths.js';
import { sdkKeysOf } from './sdk-index.js';
import { searchDocOf } from './search.js';
import { SortedKeys } from './sorted-keys.js';

/** Byte offset of each row's line in a table written one row per line, and the end of the last. */
function rowOffsets(table: Buffer): number[] {
  const starts: number[] = [];
  let at = table.indexOf(10) + 1;
  for (; at < table.length && table[at] === 0x5b /* [ */; at = table.indexOf(10, at) + 1) starts.push(at);
  return [...starts, at];
}

/**
 * The index file for these tables; `fingerprints` names each table's hash for the header.
 * Deterministic: the same tables give the same bytes.
 */
export function indexFileOf(apisJson: Buffer, scopesJson: Buffer, fingerprints: Record<string, string>): string {
  const apisTable = JSON.parse(apisJson.toString('utf8')) as Table;
  const apis = rowsOf(apisTable, decodeApi);
  const scopes = rowsOf(JSON.parse(scopesJson.toString('utf8')) as Table, decodeScope);
  const byId = new Map(apis.map((a) => [a.id, a]));
  const rows = rowOffsets(apisJson);
  if (rows.length !== apis.length + 1) throw new Error('apis.json is not written one row per line');
  const texts: Record<IndexSection, string> = {
    rows: JSON.stringify(rows),
    ids: SortedKeys.of(apis.map((a, row) => [a.id, row] as const)).toLines(),
    paths: PathIndex.keysOf(apis).toLines(),
    sdk: sdkKeysOf(apis).toLines(),
    search: scopes.map((s) => JSON.stringify(storedDoc(searchDocOf(s, (id) => byId.get(id))))).join('\n'),
  };
  const sections = {} as IndexHeader['sections'];
  const body: string[] = [];
  let offset = 0;
  for (const name of INDEX_SECTIONS) {
    const size = Buffer.byteLength(texts[name]);
    sections[name] = [offset, offset + size];
    offset += size + 1; // each section is followed by a newline
    body.push(`${texts[name]}\n`);
  }
  const header: IndexHeader = { generatedBy: 'scripts/build-index.mjs', from: fingerprints, apiFields: apisTable.fields, sections };
  return `${JSON.stringify(header)}\n${body.join('')}`;
}
