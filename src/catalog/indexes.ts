/**
 * The catalog's lookups over its data: by scope code, API id, path template, SDK name, error code,
 * free words. Every index is built on first use, so a command pays only for the lookups it makes.
 */
import { withLearned } from './learned-overlay.js';
import { once } from './once.js';
import { PathIndex } from './paths.js';
import { buildSearch } from './search.js';
import { allSdkSpellings } from './sdk-names.js';
import type { ApiInfo, Catalog, CatalogData, ScopeInfo, SearchHit } from './types.js';

/** 'contact_1_0', 'contact_1.0', 'ai_paa_s_1_0', 'aiPaaS_1.0' → one key. */
const moduleKey = (module: string) => module.toLowerCase().replace(/[^a-z0-9]/g, '');
const methodKey = (method: string) => method.replace(/WithOptions$/, '').toLowerCase();
const codeKey = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

function levenshtein(a: string, b: string): number {
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
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
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
  const apis = once(() => new Map(data.apis.map((a) => [a.id, a])));
  const paths = once(() => new PathIndex(data.apis));
  // The SDK's dist/<module>/ folder name and the product normalise to the same key (checked over
  // every row when the data was generated), so one key per API is enough.
  const bySdk = once(() => {
    const index = new Map<string, ApiInfo[]>();
    const productKeys = new Map<string, string>(); // ~114 products over ~2,800 rows
    for (const api of data.apis) {
      if (!api.product) continue;
      const mod = productKeys.get(api.product) ?? productKeys.set(api.product, moduleKey(api.product)).get(api.product)!;
      // Every SDK's spelling of the operation (Python's batch_send_otowith_options, C#'s …Async): sdk-names.ts.
      const names = new Set([api.sdkMethod, api.action].filter((x): x is string => Boolean(x)).flatMap(allSdkSpellings).map(methodKey));
      for (const name of names) {
        push(index, `|${name}`, api);
        push(index, `${mod}|${name}`, api);
      }
    }
    return index;
  });

  let search: ((words: string, limit?: number) => SearchHit[]) | undefined;
  const codeKeys = once(() => data.scopes.map((s) => [codeKey(s.code), s.code] as const));

  const catalog: Catalog = {
    // Exact codes (what errors carry) without decoding the table; other spellings via the full index.
    scope: (code) => exactScopes.get(code) ?? remember(code, data.scopeExact(code)) ?? scopesByLowerCode().get(code.trim().toLowerCase()),
    allScopes: () => data.scopes,
    api: (id) => apis().get(id),
    allApis: () => data.apis,
    matchApi: (method, pathOrUrl) => paths().match(method, pathOrUrl),
    apiBySdk: (module, method) => {
      const list = bySdk().get(`${module ? moduleKey(module) : ''}|${methodKey(method)}`) ?? [];
      return [...list];
    },
    errors: (code) => data.errorsFor(code.trim().toLowerCase()),
    search: (words, limit) => (search ??= buildSearch(data.scopes, apis()))(words, limit),
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
    withLearned: (entries) => withLearned(catalog, entries),
    meta: () => ({ sdk: data.sdk, coverage: data.coverage }),
  };
  return catalog;
}
