/**
 * Reading the generated tables (src/data/*.json, see scripts/build-catalog.mjs) into ScopeInfo,
 * ApiInfo and ErrorInfo, and the indexes precomputed over them by the build (dist/data/index.json,
 * see scripts/build-index.mjs). Each file is read and decoded lazily, on first use.
 */
import { BundledIndex } from './bundled-index.js';
import { hasData, readBytes, readData, readRange } from './data-dir.js';
import { LineTable } from './lines.js';
import { once, threeDigitNumbers } from '../values.js';
import type { ApiHost, ApiInfo, ApiPermissionNote, AppType, CatalogData, Coverage, ErrorInfo, PrebuiltIndexes, ScopeInfo, ScopeKind, ScopeNotes, ScopeProbe } from './types.js';

export interface Table {
  fields: string[];
  rows: unknown[][];
  sdk?: string;
  urls?: string[];
  coverage?: Coverage;
}

type Get = (field: string) => unknown;

const HOSTS: Record<string, ApiHost> = { api: 'api.dingtalk.com', oapi: 'oapi.dingtalk.com' };

export function rowsOf<T>(table: Pick<Table, 'fields' | 'rows'>, make: (get: Get) => T): T[] {
  const at = new Map(table.fields.map((f, i) => [f, i]));
  return table.rows.map((row) => make((field) => row[at.get(field) ?? -1]));
}

export const decodeScope = (g: Get): ScopeInfo => ({
  code: g('code') as string,
  name: { zh: (g('zh') as string | null) ?? null, en: (g('en') as string | null) ?? null },
  kind: g('kind') as ScopeKind,
  base: Boolean(g('base')),
  sensitive: Boolean(g('sensitive')),
  apis: g('apis') as string[],
  probe: (g('probe') as ScopeProbe | null) ?? null,
  sources: g('sources') as string[],
  ...(g('notes') ? { notes: g('notes') as ScopeNotes } : {}),
});

export const decodeApi = (g: Get): ApiInfo => ({
  id: g('id') as string,
  method: (g('method') as string | null) ?? null,
  host: HOSTS[g('host') as string] ?? 'api.dingtalk.com',
  path: g('path') as string,
  product: (g('product') as string | null) ?? null,
  action: (g('action') as string | null) ?? null,
  sdkMethod: (g('sdkMethod') as string | null) ?? null,
  summary: (g('summary') as string | null) ?? null,
  scopes: g('scopes') as string[],
  appTypes: g('appTypes') as AppType[],
  sources: g('sources') as string[],
  ...(g('permission') ? { permission: g('permission') as ApiPermissionNote } : {}),
});

function decodeError(urls: readonly string[], g: Get): ErrorInfo {
  const status = String(g('httpStatus') ?? '');
  const statuses = threeDigitNumbers(status);
  const url = g('url');
  return {
    httpStatus: statuses.length === 1 ? (statuses[0] ?? null) : null,
    httpStatuses: statuses,
    code: g('code') as string,
    message: g('message') as string,
    explanation: g('explanation') as string,
    url: typeof url === 'number' ? (urls[url] ?? null) : typeof url === 'string' ? url : null,
  };
}

/** API rows decoded one at a time, read by position through the precomputed index. */
export function prebuiltOver(index: () => BundledIndex): PrebuiltIndexes {
  const decoded = new Map<number, ApiInfo>();
  const apiAt = (row: number): ApiInfo => {
    let api = decoded.get(row);
    if (!api) decoded.set(row, (api = rowsOf({ fields: index().header.apiFields, rows: [index().apiRow(row)] }, decodeApi)[0] as ApiInfo));
    return api;
  };
  return {
    api: (id) => {
      const row = index().rowOfId(id);
      return row === undefined ? undefined : apiAt(row);
    },
    apiAt,
    pathKeys: () => index().pathKeys(),
    sdkKeys: () => index().sdkKeys(),
    searchDocs: (needles) => index().searchDocs(needles),
  };
}

/**
 * The bundled data, each table read and decoded lazily (cold start: `diagnose` of a 403 body
 * needs a few scope rows only; `scopes for` a few API rows through the precomputed path index).
 */
export function loadCatalogData(): CatalogData {
  // Sorted by code, one row per line: an exact lookup (what diagnose does) decodes ~9 rows, not 260.
  const scopeLines = once(() => new LineTable(readBytes('scopes.json')));
  const scopes = once(() => rowsOf(readData<Table>('scopes.json'), decodeScope));
  const apis = once(() => rowsOf(readData<Table>('apis.json'), decodeApi));
  const scopeExact = (code: string): ScopeInfo | undefined => {
    const found = scopeLines().equalRange(code, 'first');
    return rowsOf({ fields: scopeLines().header.fields, rows: found.slice(0, 1) }, decodeScope)[0];
  };
  // Sorted by lower-cased code, one row per line: a lookup decodes a dozen rows (lines.ts).
  const errorTable = once(() => new LineTable(readBytes('errors.json')));
  const errorsFor = (code: string): ErrorInfo[] => {
    const { header } = errorTable();
    const codeAt = header.fields.indexOf('code');
    const found = errorTable().equalRange(code, (row) => String(row[codeAt]).toLowerCase());
    return rowsOf({ fields: header.fields, rows: found }, (g) => decodeError(header.urls ?? [], g));
  };
  return {
    get sdk() {
      // the first line of apis.json holds it: no need to read the 1 MB table
      return (new LineTable(readRange('apis.json', 0, 4096)).header.sdk as string | undefined) ?? null;
    },
    get coverage() {
      return (scopeLines().header.coverage as Coverage | undefined) ?? null;
    },
    get scopes() {
      return scopes();
    },
    get apis() {
      return apis();
    },
    errorsFor,
    scopeExact,
    // built code reads dist/data/index.json; the sources run by tests index src/data/ in memory
    prebuilt: hasData('index.json')
      ? prebuiltOver(once(() => new BundledIndex((s, e) => readRange('index.json', s, e), (s, e) => readRange('apis.json', s, e))))
      : undefined,
  };
}
