/**
 * Reading the generated tables (src/data/*.json, see scripts/build-catalog.mjs) into ScopeInfo,
 * ApiInfo and ErrorInfo. Each table is read and decoded lazily, on first use.
 */
import { readBytes, readData } from './data-dir.js';
import { LineTable } from './lines.js';
import { once } from './once.js';
import type { ApiHost, ApiInfo, AppType, CatalogData, Coverage, ErrorInfo, ScopeInfo, ScopeKind, ScopeProbe } from './types.js';

export interface Table {
  fields: string[];
  rows: unknown[][];
  sdk?: string;
  urls?: string[];
  coverage?: Coverage;
}

const HOSTS: Record<string, ApiHost> = { api: 'api.dingtalk.com', oapi: 'oapi.dingtalk.com' };

export function rowsOf<T>(table: Table, make: (get: (field: string) => unknown) => T): T[] {
  const at = new Map(table.fields.map((f, i) => [f, i]));
  return table.rows.map((row) => make((field) => row[at.get(field) ?? -1]));
}

/**
 * The bundled data, each table read and decoded lazily (cold start: `diagnose` of a 403 body
 * needs the scopes table only; the 3,000-row API table is decoded when a path must be matched).
 */
export function loadCatalogData(): CatalogData {
  const scopesTable = once(() => readData<Table>('scopes.json'));
  const apisTable = once(() => readData<Table>('apis.json'));
  const decodeScope = (g: (field: string) => unknown): ScopeInfo => ({
    code: g('code') as string,
    name: { zh: (g('zh') as string | null) ?? null, en: (g('en') as string | null) ?? null },
    kind: g('kind') as ScopeKind,
    base: Boolean(g('base')),
    sensitive: Boolean(g('sensitive')),
    apis: g('apis') as string[],
    probe: (g('probe') as ScopeProbe | null) ?? null,
    sources: g('sources') as string[],
  });
  const scopes = once(() => rowsOf(scopesTable(), decodeScope));
  // Sorted by code, one row per line: an exact lookup (what diagnose does) decodes ~9 rows, not 260.
  const scopeLines = once(() => new LineTable(readBytes('scopes.json')));
  const scopeExact = (code: string): ScopeInfo | undefined => {
    const [row] = scopeLines().equalRange(code, (r) => String(r[0]));
    return row ? rowsOf({ fields: scopeLines().header.fields, rows: [row] }, decodeScope)[0] : undefined;
  };
  const apis = once(() =>
    rowsOf(apisTable(), (g) => ({
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
    })),
  );
  // Sorted by lower-cased code, one row per line: a lookup decodes a dozen rows (lines.ts).
  const errorTable = once(() => new LineTable(readBytes('errors.json')));
  const errorsFor = (code: string): ErrorInfo[] => {
    const table = errorTable();
    const header = table.header;
    const codeAt = header.fields.indexOf('code');
    const found = table.equalRange(code, (row) => String(row[codeAt]).toLowerCase());
    const urls = header.urls ?? [];
    return rowsOf({ ...header, rows: found }, (g) => {
      const status = String(g('httpStatus') ?? '');
      const statuses = (status.match(/\d{3}/g) ?? []).map(Number);
      const url = g('url');
      return {
        httpStatus: statuses.length === 1 ? (statuses[0] ?? null) : null,
        httpStatuses: statuses,
        code: g('code') as string,
        message: g('message') as string,
        explanation: g('explanation') as string,
        url: typeof url === 'number' ? (urls[url] ?? null) : typeof url === 'string' ? url : null,
      };
    });
  };
  return {
    get sdk() {
      return apisTable().sdk ?? null;
    },
    get coverage() {
      return scopesTable().coverage ?? null;
    },
    get scopes() {
      return scopes();
    },
    get apis() {
      return apis();
    },
    errorsFor,
    scopeExact,
  };
}
