/**
 * The catalog's lookups over its data: by scope code, API id, path template, SDK name, error code,
 * free words. Every index is built on first use, so a command pays only for the lookups it makes.
 */
import { withLearned } from './learned-overlay.js';
import { once } from '../values.js';
import { PathIndex } from './paths.js';
import { sdkKey, sdkKeysOf } from './sdk-index.js';
import { searchDocOf, searchDocs, searchNeedles } from './search.js';
import type { ApiInfo, Catalog, CatalogData, ScopeInfo, SearchHit } from './types.js';

const codeKey = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** Builds a catalog over the given data (the bundled data via getCatalog; tests may pass their own). */
export function createCatalog(data: CatalogData): Catalog {
  const exactScopes = new Map<string, ScopeInfo>();
  const remember = (code: string, scope: ScopeInfo | undefined) => {
    if (scope) exactScopes.set(code, scope);
    return scope;
  };
  const scopesByLowerCode = once(() => {
    const lower = new Map<string, ScopeInfo>();
    for (const s of data.scopes) if (!lower.has(s.code.toLowerCase())) lower.set(s.code.toLowerCase(), s);
    return lower;
  });
  const pre = data.prebuilt;
  const apis = once(() => new Map(data.apis.map((a) => [a.id, a])));
  const apiAt = pre ? pre.apiAt : (row: number) => data.apis[row] as ApiInfo;
  const paths = once(() => (pre ? new PathIndex(pre.pathKeys(), apiAt) : PathIndex.of(data.apis)));
  const bySdk = once(() => (pre ? pre.sdkKeys() : sdkKeysOf(data.apis)));
  const docsInMemory = once(() => data.scopes.map((s) => searchDocOf(s, (id) => apis().get(id))));
  // stored documents: only those that hold a word of the query are read
  const docsFor = (query: string) => (pre ? pre.searchDocs(searchNeedles(query)) : docsInMemory());

  const codeKeys = once(() => data.scopes.map((s) => [codeKey(s.code), s.code] as const));

  const catalog: Catalog = {
    // Exact codes (what errors carry) without decoding the table; other spellings via the full index.
    scope: (code) => exactScopes.get(code) ?? remember(code, data.scopeExact(code)) ?? scopesByLowerCode().get(code.trim().toLowerCase()),
    allScopes: () => data.scopes,
    api: (id) => (pre ? pre.api(id) : apis().get(id)),
    allApis: () => data.apis,
    matchApi: (method, pathOrUrl) => paths().match(method, pathOrUrl),
    apiBySdk: (module, method) => bySdk().rowsOf(sdkKey(module, method)).map(apiAt),
    errors: (code) => data.errorsFor(code.trim().toLowerCase()),
    search: (words, limit) =>
      searchDocs(docsFor(words), words, limit)
        .map((hit) => ({ ...hit, scope: catalog.scope(hit.scope) }))
        .filter((hit): hit is SearchHit => hit.scope !== undefined),
    suggest: (code, limit = 5) => {
      const key = codeKey(code);
      if (!key) return [];
      const threshold = Math.max(2, Math.floor(key.length * 0.3));
      const close = codeKeys()
        .map(([k, c]) => ({ c, d: k.includes(key) || key.includes(k) ? Math.min(1, levenshtein(key, k)) : levenshtein(key, k) }))
        .filter((x) => x.d <= threshold)
        .sort((a, b) => a.d - b.d || a.c.length - b.c.length || (a.c < b.c ? -1 : 1))
        .map((x) => x.c);
      const fromSearch = catalog.search(code.replace(/[._]/g, ' '), limit).map((h) => h.scope.code);
      return [...new Set([...close, ...fromSearch])].filter((c) => c !== code).slice(0, limit);
    },
    withLearned: (entries, kinds) => withLearned(catalog, entries, kinds),
    meta: () => ({ sdk: data.sdk, coverage: data.coverage }),
  };
  return catalog;
}
