/**
 * Pure questions over the catalog used by `scopes for` / `scopes list` (and usable by diagnose):
 * what does a target string name, which APIs match it, and which scopes do they need.
 */
import type { ApiInfo, Catalog, ScopeInfo } from './types.js';
import { parseTarget } from './paths.js';

export type ForQuery =
  | { type: 'http'; method: string | null; path: string; host: string | null }
  | { type: 'sdk'; module: string | null; method: string };

const HTTP_METHODS = /^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)$/i;

/**
 * Reads `scopes for` arguments: `GET /v1.0/contact/users/0123`, a full or legacy URL, `host/path`,
 * or an SDK name (`contact_1_0 getUser`, `contact_1.0.getUser`, `GetUser`). Null when it is none of them.
 */
export function parseForQuery(args: readonly string[]): ForQuery | null {
  const words = args.flatMap((a) => a.trim().split(/\s+/)).filter(Boolean);
  if (!words.length) return null;
  let method: string | null = null;
  if (words.length >= 2 && HTTP_METHODS.test(words[0] ?? '')) method = (words.shift() ?? '').toUpperCase();
  const first = words[0] ?? '';
  if (words.length === 1 && (first.includes('/') || /^https?:/i.test(first))) {
    const target = parseTarget(first);
    return { type: 'http', method, path: target.path, host: target.host };
  }
  if (method) return null;
  // SDK names: "module method" or "module.method" / "module#method" / "module/method" or "Method".
  if (words.length === 2 && /^[A-Za-z][\w.]*$/.test(first) && /^\w+$/.test(words[1] ?? '')) {
    return { type: 'sdk', module: first, method: words[1] ?? '' };
  }
  if (words.length === 1) {
    const m = first.match(/^([A-Za-z][A-Za-z0-9]*_\d+[._]\d+)[.#:](\w+)$/);
    if (m) return { type: 'sdk', module: m[1] ?? null, method: m[2] ?? '' };
    if (/^[A-Za-z]\w*$/.test(first)) return { type: 'sdk', module: null, method: first };
  }
  return null;
}

const literalCount = (api: ApiInfo) => api.path.split('/').filter((s) => s && !/^\{.*\}$/.test(s)).length;

export interface ForAnswer {
  query: ForQuery;
  /** The best-matching APIs (more than one = ambiguous: the caller lists them). */
  matches: ApiInfo[];
  /** Every API that matched, best first (for "did you mean"). */
  candidates: ApiInfo[];
  ambiguous: boolean;
}

/** Which APIs a query names. `matches` is empty when nothing matched. */
export function resolveFor(catalog: Catalog, query: ForQuery): ForAnswer {
  let candidates: ApiInfo[];
  if (query.type === 'http') {
    candidates = catalog.matchApi(query.method, query.host ? `${query.host}${query.path}` : query.path);
  } else {
    candidates = catalog.apiBySdk(query.module, query.method);
    // "contact getUser": a module named without its version.
    if (!candidates.length && query.module) {
      const key = query.module.toLowerCase().replace(/[^a-z0-9]/g, '');
      candidates = catalog.apiBySdk(null, query.method).filter((a) => (a.product ?? '').toLowerCase().replace(/[^a-z0-9]/g, '').startsWith(key));
    }
  }
  let matches = candidates;
  if (query.type === 'http' && candidates.length) {
    const best = candidates[0] as ApiInfo;
    const methodOk = (a: ApiInfo) => !query.method || a.method === query.method || a.method === best.method;
    matches = candidates.filter((a) => literalCount(a) === literalCount(best) && methodOk(a));
    // Same endpoint listed twice (SDK op and a doc-only row) is not ambiguity worth asking about.
    if (query.method) matches = matches.filter((a) => a.method === best.method);
  }
  const distinctScopes = new Set(matches.map((a) => a.scopes.join(',')));
  return { query, matches, candidates, ambiguous: matches.length > 1 && distinctScopes.size > 1 };
}

/** The product words a scope belongs to: its code's first segment and its APIs' SDK products ('contact'). */
export function productsOf(catalog: Catalog, scope: ScopeInfo): string[] {
  const out = new Set<string>();
  const head = scope.code.includes('.') ? scope.code.split('.')[0] : null;
  if (head) out.add(head.toLowerCase());
  for (const id of scope.apis) {
    const product = catalog.api(id)?.product;
    if (product) out.add(product.replace(/_\d+\.\d+$/, '').toLowerCase());
  }
  return [...out].sort();
}

export interface ListFilter {
  kind?: string | null;
  product?: string | null;
}

export function listScopes(catalog: Catalog, filter: ListFilter = {}): ScopeInfo[] {
  const product = filter.product?.trim().toLowerCase().replace(/_\d+[._]\d+$/, '') || null;
  return catalog
    .allScopes()
    .filter((s) => !filter.kind || s.kind === filter.kind)
    .filter((s) => !product || productsOf(catalog, s).includes(product));
}

/** All products with at least one scope (for error hints). */
export function knownProducts(catalog: Catalog): string[] {
  return [...new Set(catalog.allScopes().flatMap((s) => productsOf(catalog, s)))].sort();
}
