/**
 * Candidate hits (extract.ts) → DingTalk APIs and the scopes they need, via the catalog.
 * Pure: the catalog is passed in, no I/O. Fed file by file so memory holds only the findings.
 *
 * When a path counts as a DingTalk API (the false-positive rule):
 *  - a full URL counts only when its host is api.dingtalk.com or oapi.dingtalk.com: other hosts
 *    (api.github.com/v1.0/…, localhost, open.dingtalk.com doc links) never do. A DingTalk API URL
 *    the catalog does not know is reported apart as an unknown API;
 *  - a bare path (no host) must match a catalog template AND either the file mentions DingTalk
 *    (`dingtalk` in any case, or 钉钉, anywhere: imports, base URLs, header names, comments) or the
 *    path is specific enough to be DingTalk's on its own: a `/topapi/` path, or at least three
 *    literal segments after `/v1.0|/v2.0` (`/v1.0/contact/users/{}` has two, so an express router's
 *    `/v1.0/users/:id` in a file with no DingTalk context is never matched). Bare paths that match
 *    nothing are dropped: without a DingTalk host they could be anyone's;
 *  - a bare legacy literal such as `'/chat/get'` (no host, no /topapi/) needs DingTalk context
 *    (extract.ts only emits it then) and must match a legacy oapi template;
 *  - an SDK method call counts only when the file imports that SDK module and the catalog has
 *    that method for the module; one-word methods (query, send…) also need a client receiver.
 * Hits inside comments are still reported, marked `comment: true`.
 * When the method is not visible (a bare path with no GET/POST… on its line) every method of
 * the template is listed and the location is marked `ambiguous: true` — a scan should rather
 * over-report than hide a scope; `--write-config` users can prune.
 */
import type { ScopeKind } from '../core/types.js';
import type { ExtractFilter, FileExtract, PathHit, SdkHit } from './extract.js';

/** The slice of the catalog the scan needs (structurally satisfied by src/catalog). */
export interface ScanApiInfo {
  id: string;
  method: string | null;
  host: string;
  path: string;
  product?: string | null;
  summary?: string | null;
  sdkMethod?: string | null;
  scopes: string[];
}
export interface ScanScopeInfo {
  code: string;
  name: { zh: string | null; en: string | null };
  kind: ScopeKind;
  base?: boolean;
  sensitive?: boolean;
}
export interface ScanCatalog {
  matchApi(method: string | null, pathOrUrl: string): ScanApiInfo[];
  apiBySdk(module: string | null, method: string): ScanApiInfo[];
  scope(code: string): ScanScopeInfo | null | undefined;
}

export interface ScanLocation {
  file: string;
  line: number;
  comment?: true;
  /** The method was not visible, so every method of this path is listed. */
  ambiguous?: true;
  /** `sdk` for an SDK method call, `url` for a literal URL/path. */
  via: 'url' | 'sdk';
}

export interface ScanScope {
  code: string;
  kind: ScopeKind;
  name: { zh: string | null; en: string | null };
  base?: true;
  sensitive?: true;
}

export interface ScanApi {
  id: string;
  /** Null for the few legacy APIs whose docs name no method. */
  method: string | null;
  host: string;
  /** Catalog template, e.g. `/v1.0/contact/users/{unionId}`. */
  path: string;
  product: string | null;
  summary: string | null;
  sdkMethod: string | null;
  scopes: ScanScope[];
  locations: ScanLocation[];
}

export interface UnknownApi {
  method: string | null;
  host: string;
  /** Normalised path as found (`{}` for parameters). */
  path: string;
  locations: ScanLocation[];
}

export interface ScanReport {
  /** APIs with at least one known scope, then (same array, after) APIs with none; each sorted by path. */
  apis: ScanApi[];
  unknownApis: UnknownApi[];
  /** Unique scopes over all APIs, sorted by code. */
  scopes: ScanScope[];
}

const API_HOSTS = new Set(['api.dingtalk.com', 'oapi.dingtalk.com']);
const VERSIONED = /^\/v[12]\.0\//;

/** Literal (non-parameter) segments after the version prefix. */
function literalSegments(path: string): number {
  return path.replace(VERSIONED, '/').split('/').filter((s) => s && s !== '{}').length;
}

/** True when a bare path is DingTalk-specific by itself (see the rule above). */
export function specificPath(path: string): boolean {
  if (path.startsWith('/topapi/')) return true;
  return VERSIONED.test(path) && literalSegments(path) >= 3;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const literalCount = (template: string) => template.split('/').filter((s) => s && !s.startsWith('{')).length;

/**
 * The most specific templates only: `/v1.0/contact/users/me` found as a value matches both
 * `…/users/me` and `…/users/{unionId}`; the literal one is meant.
 */
function bestTemplates(apis: ScanApiInfo[]): ScanApiInfo[] {
  let best = -1;
  for (const a of apis) best = Math.max(best, literalCount(a.path));
  return apis.filter((a) => literalCount(a.path) === best);
}

export class ScanAccumulator {
  private readonly apis = new Map<string, { api: ScanApiInfo; locations: Map<string, ScanLocation> }>();
  private readonly unknown = new Map<string, UnknownApi & { seen: Set<string> }>();
  private readonly matchCache = new Map<string, ScanApiInfo[]>();
  private readonly sdkCache = new Map<string, ScanApiInfo[]>();

  constructor(private readonly catalog: ScanCatalog) {}

  /** The hits `add` can use (extract.ts builds no others): a DingTalk API host, a method one of the modules has. */
  readonly filter: ExtractFilter = {
    host: (host) => API_HOSTS.has(host),
    sdkCall: (call) => this.resolveSdk(call) !== null,
  };

  private match(method: null, target: string): ScanApiInfo[] {
    const key = `${method ?? '*'} ${target}`;
    let hit = this.matchCache.get(key);
    if (!hit) {
      hit = this.catalog.matchApi(method, target);
      this.matchCache.set(key, hit);
    }
    return hit;
  }

  private bySdk(module: string, method: string): ScanApiInfo[] {
    const key = `${module}.${method}`;
    let hit = this.sdkCache.get(key);
    if (!hit) {
      try {
        hit = this.catalog.apiBySdk(module, method);
      } catch {
        hit = [];
      }
      this.sdkCache.set(key, hit);
    }
    return hit;
  }

  private record(api: ScanApiInfo, loc: ScanLocation): void {
    let entry = this.apis.get(api.id);
    if (!entry) this.apis.set(api.id, (entry = { api, locations: new Map() }));
    const key = `${loc.file}:${loc.line}`;
    const old = entry.locations.get(key);
    // Same line found twice (URL and SDK call): keep the more certain reading.
    if (!old || (old.ambiguous && !loc.ambiguous) || (old.comment && !loc.comment)) entry.locations.set(key, loc);
  }

  /** Candidate APIs for a path hit, with the rule above; null means "not DingTalk". */
  private resolvePath(hit: PathHit, context: boolean): { apis: ScanApiInfo[]; ambiguous: boolean } | 'unknown' | null {
    if (hit.host !== null) {
      if (!API_HOSTS.has(hit.host)) return null;
      if (hit.path === '' || hit.path === '/') return null; // a base URL
    } else if (hit.bareLegacy) {
      if (!context) return null;
    } else if (!context && !specificPath(hit.path)) {
      return null;
    }
    // A path whose product segment is a parameter (`/v1.0/{}/users`) names no API.
    if (/^\/v[12]\.0\/\{\}/.test(hit.path)) return null;
    const target = hit.host ? `https://${hit.host}${hit.path}` : hit.path;
    let apis = bestTemplates(this.match(null, target));
    if (hit.bareLegacy) apis = apis.filter((a) => a.host === 'oapi.dingtalk.com');
    // The catalog falls back to other methods when the one asked for has no template; so filter here.
    const sameMethod = hit.method ? apis.filter((a) => a.method === hit.method || a.method === null) : [];
    if (sameMethod.length > 0) apis = sameMethod;
    const ambiguous = new Set(apis.map((a) => a.method)).size > 1;
    if (apis.length === 0) return hit.host ? 'unknown' : null;
    return { apis, ambiguous };
  }

  private resolveSdk(hit: Pick<SdkHit, 'modules' | 'method' | 'receiver' | 'bound'>): { apis: ScanApiInfo[]; ambiguous: boolean } | null {
    // A few SDK methods are plain words (query, send, search, update, create…) that any object may
    // have (`db.query(…)`): those count only on a receiver bound to a client or named like one.
    if (/^[a-z]+$/.test(hit.method) && !hit.bound && !/client/i.test(hit.receiver)) return null;
    const found = new Map<string, ScanApiInfo>();
    const modules = new Set<string>();
    for (const mod of hit.modules) {
      for (const api of this.bySdk(mod, hit.method)) {
        found.set(api.id, api);
        modules.add(mod);
      }
    }
    if (found.size === 0) return null;
    return { apis: [...found.values()], ambiguous: modules.size > 1 };
  }

  /** Adds one file's candidates. */
  add(file: string, extract: FileExtract): void {
    for (const hit of extract.hits) {
      const base: ScanLocation = { file, line: hit.line, via: hit.kind === 'sdk' ? 'sdk' : 'url' };
      if (hit.comment) base.comment = true;
      const found = hit.kind === 'sdk' ? this.resolveSdk(hit) : this.resolvePath(hit, extract.dingtalkContext);
      if (found === null) continue;
      if (found === 'unknown') {
        const h = hit as PathHit;
        const key = `${h.method ?? '*'} ${h.host} ${h.path}`;
        let u = this.unknown.get(key);
        if (!u) this.unknown.set(key, (u = { method: h.method, host: h.host!, path: h.path, locations: [], seen: new Set() }));
        if (!u.seen.has(`${file}:${hit.line}`)) {
          u.seen.add(`${file}:${hit.line}`);
          u.locations.push(base);
        }
        continue;
      }
      for (const api of found.apis) this.record(api, found.ambiguous ? { ...base, ambiguous: true } : base);
    }
  }

  private scopeOf(code: string): ScanScope {
    const info = this.catalog.scope(code);
    const s: ScanScope = { code, kind: info?.kind ?? 'unknown', name: { zh: info?.name.zh ?? null, en: info?.name.en ?? null } };
    if (info?.base) s.base = true;
    if (info?.sensitive) s.sensitive = true;
    return s;
  }

  finish(): ScanReport {
    const byLocation = (a: ScanLocation, b: ScanLocation) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
    const apis: ScanApi[] = [...this.apis.values()].map(({ api, locations }) => ({
      id: api.id,
      method: api.method,
      host: api.host,
      path: api.path,
      product: api.product ?? null,
      summary: api.summary ?? null,
      sdkMethod: api.sdkMethod ?? null,
      scopes: api.scopes.map((c) => this.scopeOf(c)),
      locations: [...locations.values()].sort(byLocation),
    }));
    const order = (a: ScanApi, b: ScanApi) =>
      Number(a.scopes.length === 0) - Number(b.scopes.length === 0) ||
      cmp(a.path, b.path) ||
      cmp(a.method ?? '', b.method ?? '');
    apis.sort(order);
    const scopes = new Map<string, ScanScope>();
    for (const api of apis) for (const s of api.scopes) scopes.set(s.code, s);
    const unknownApis = [...this.unknown.values()]
      .map(({ seen: _seen, ...u }) => ({ ...u, locations: u.locations.sort(byLocation) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { apis, unknownApis, scopes: [...scopes.values()].sort((a, b) => (a.code < b.code ? -1 : 1)) };
  }
}
