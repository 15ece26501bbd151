/**
 * Template-aware path matching: `GET /v1.0/contact/users/0123?x=1` finds the template
 * `/v1.0/contact/users/{unionId}`. A segment trie per host, built once, so a lookup walks a
 * few nodes instead of scanning every API.
 */
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

interface Node {
  literal: Map<string, Node>;
  param: Node | undefined;
  apis: ApiInfo[];
}
const node = (): Node => ({ literal: new Map(), param: undefined, apis: [] });
const segmentsOf = (path: string) => path.split('/').filter(Boolean);
const isParam = (segment: string) => /^\{[^}]*\}$/.test(segment);

export class PathIndex {
  private readonly roots = new Map<ApiHost, Node>();

  constructor(apis: readonly ApiInfo[]) {
    for (const api of apis) this.add(api);
  }

  add(api: ApiInfo): void {
    let at = this.roots.get(api.host);
    if (!at) this.roots.set(api.host, (at = node()));
    for (const segment of segmentsOf(parseTarget(api.path).path)) {
      if (isParam(segment)) at = at.param ??= node();
      else {
        const key = segment.toLowerCase();
        let next = at.literal.get(key);
        if (!next) at.literal.set(key, (next = node()));
        at = next;
      }
    }
    at.apis.push(api);
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
    const visit = (at: Node, i: number, literals: number) => {
      if (i === segments.length) {
        for (const api of at.apis) out.push({ api, literals });
        return;
      }
      const segment = segments[i] ?? '';
      const next = at.literal.get(segment.toLowerCase());
      if (next) visit(next, i + 1, literals + 1);
      if (at.param) visit(at.param, i + 1, literals);
    };
    for (const host of hosts) {
      const root = this.roots.get(host);
      if (root) visit(root, 0, 0);
    }
    return out;
  }
}
