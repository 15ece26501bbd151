/**
 * Template-aware path matching: `GET /v1.0/contact/users/0123?x=1` finds the template
 * `/v1.0/contact/users/{unionId}`. A segment trie per host, built once, so a lookup walks a
 * few nodes instead of scanning every API.
 */
import { SortedKeys, type KeyLookup } from './sorted-keys.js';
import type { ApiHost, ApiInfo } from './types.js';

export interface Target {
  host: ApiHost | null;
  /** Path without query, fragment, duplicate or trailing slashes. */
  path: string;
}

/** Splits a path, a full URL or `host/path` into host and path (query and fragment dropped). */
export function parseTarget(pathOrUrl: string): Target {
  let text = pathOrUrl.trim();
  let host: ApiHost | null = null;
  const m = text.match(/^(?:[a-z][a-z0-9+.-]*:\/\/)?([a-z0-9.-]+\.[a-z]{2,})(?::\d+)?(?=[/?#]|$)/i);
  if (m) {
    const name = (m[1] ?? '').toLowerCase();
    // The international site (api.dingtalk.io / oapi.dingtalk.io, documented on help.dingtalk.io) serves
    // the same paths: match it as its .com twin.
    const twin = name.replace(/\.dingtalk\.io$/, '.dingtalk.com');
    if (twin === 'api.dingtalk.com' || twin === 'oapi.dingtalk.com') host = twin;
    text = text.slice(m[0].length);
  }
  text = text.replace(/[?#].*$/, '');
  let path = `/${text}`.replace(/\/{2,}/g, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  return { host, path };
}

const segmentsOf = (path: string) => path.split('/').filter(Boolean);
const isParam = (segment: string) => /^\{[^}]*\}$/.test(segment);
/** How a `{param}` segment is spelled in a key. */
const PARAM = '{}';

/**
 * A template's key: host and lower-case segments, each parameter as `{}`
 * (`api.dingtalk.com/v1.0/contact/users/{}`).
 */
export function templateKey(api: Pick<ApiInfo, 'host' | 'path'>): string {
  return [api.host, ...segmentsOf(parseTarget(api.path).path).map((s) => (isParam(s) ? PARAM : s.toLowerCase()))].join('/');
}

/**
 * Template keys in sorted order: walking a path's segments, each step narrows to the keys
 * under `prefix/segment` or `prefix/{}`, a trie's walk done by binary search, so the index loads
 * as two flat arrays (stored precomputed for the bundled APIs: dist/data/index.json).
 */
export class PathIndex {
  /**
   * @param keys template keys (templateKey) with the rows of their APIs
   * @param apiAt the API of a row (decoded on demand from the bundled table)
   */
  constructor(
    private readonly keys: KeyLookup,
    private readonly apiAt: (row: number) => ApiInfo,
  ) {}

  /** The index of an API list in memory (learned APIs, a catalog given as data; the build). */
  static of(apis: readonly ApiInfo[]): PathIndex {
    return new PathIndex(PathIndex.keysOf(apis), (row) => apis[row] as ApiInfo);
  }

  static keysOf(apis: readonly ApiInfo[]): SortedKeys {
    return SortedKeys.of(apis.map((api, row) => [templateKey(api), row] as const));
  }

  /** Best first: method match, then templates with more literal segments, then APIs with a scope. */
  match(method: string | null, pathOrUrl: string): ApiInfo[] {
    const target = parseTarget(pathOrUrl);
    const hosts: ApiHost[] = target.host ? [target.host] : ['api.dingtalk.com', 'oapi.dingtalk.com'];
    let found = this.walk(hosts, segmentsOf(target.path));
    // Docs print some new-API paths without /v1.0; accept that from users too.
    if (!found.length && !/^\/v\d\.\d(\/|$)/.test(target.path) && hosts.includes('api.dingtalk.com')) {
      found = this.walk(['api.dingtalk.com'], segmentsOf(`/v1.0${target.path}`));
    }
    const wanted = method?.trim().toUpperCase() || null;
    const methodScore = (api: ApiInfo) => (!wanted ? 1 : api.method === wanted ? 2 : api.method === null ? 1 : 0);
    let ranked = found.map((hit) => ({ ...hit, m: methodScore(hit.api) }));
    // With a method given, answers for other methods only when nothing else matches.
    if (ranked.some((r) => r.m > 0)) ranked = ranked.filter((r) => r.m > 0);
    ranked.sort(
      (a, b) =>
        b.m - a.m ||
        b.literals - a.literals ||
        Number(b.api.scopes.length > 0) - Number(a.api.scopes.length > 0) ||
        Number(b.api.product !== null) - Number(a.api.product !== null) ||
        (a.api.id < b.api.id ? -1 : a.api.id > b.api.id ? 1 : 0),
    );
    return ranked.map((r) => r.api);
  }

  private walk(hosts: ApiHost[], segments: string[]): Array<{ api: ApiInfo; literals: number }> {
    const out: Array<{ api: ApiInfo; literals: number }> = [];
    const visit = (prefix: string, i: number, literals: number) => {
      if (i === segments.length) {
        for (const row of this.keys.rowsOf(prefix)) out.push({ api: this.apiAt(row), literals });
        return;
      }
      // hasPrefix only prunes ('contact' also leads into 'contacts/…'); the last step needs the exact key
      const literal = `${prefix}/${(segments[i] ?? '').toLowerCase()}`;
      const param = `${prefix}/${PARAM}`;
      if (literal !== param && this.keys.hasPrefix(literal)) visit(literal, i + 1, literals + 1);
      if (this.keys.hasPrefix(param)) visit(param, i + 1, literals);
    };
    for (const host of hosts) visit(host, 0, 0);
    return out;
  }

}
