/**
 * A catalog view that also knows the user's observed API → scope pairs (`diagnose --learn`,
 * src/config/learned.ts): see Catalog.withLearned.
 */
import { PathIndex, parseTarget } from './paths.js';
import type { ApiInfo, Catalog, LearnedEntry, LearnedKind, ScopeInfo } from './types.js';

const DWS_SOURCE = 'dws permission list (learned file)';

/** The bundled scope with the kind dws read when the docs leave it unknown, or a scope only dws listed. */
function scopeWithKind(known: ScopeInfo | undefined, learned: LearnedKind | undefined): ScopeInfo | undefined {
  if (!learned) return known;
  const kindFrom = `dws requiredApproval=${learned.requiredApproval}, seen ${learned.seenAt.slice(0, 10)}`;
  if (known) return known.kind !== 'unknown' ? known : { ...known, kind: learned.kind, kindFrom, sources: [...known.sources, DWS_SOURCE] };
  const name = { zh: learned.name ?? null, en: null };
  return { code: learned.scope, name, kind: learned.kind, base: false, sensitive: false, apis: [], probe: null, sources: [DWS_SOURCE], kindFrom };
}

export function withLearned(base: Catalog, entries: readonly LearnedEntry[], kinds: readonly LearnedKind[] = []): Catalog {
  if (!entries.length && !kinds.length) return base;
  const kindOf = new Map(kinds.map((k) => [k.scope.toLowerCase(), k]));
  const observedById = new Map<string, Set<string>>();
  const extra: ApiInfo[] = [];
  const extraById = new Map<string, ApiInfo>();
  for (const entry of entries) {
    const where = entry.host ? `${entry.host}/${entry.path.replace(/^\//, '')}` : entry.path;
    const target = parseTarget(where);
    const hits = base.matchApi(entry.method, where).filter((a) => !entry.method || !a.method || a.method === entry.method.toUpperCase());
    const best = hits[0];
    if (best) {
      const set = observedById.get(best.id) ?? new Set<string>();
      for (const s of entry.scopes) if (!best.scopes.includes(s)) set.add(s);
      observedById.set(best.id, set);
      continue;
    }
    const method = entry.method ? entry.method.toUpperCase() : null;
    const id = `observed:${method ?? '*'} ${target.path}`;
    const known = extraById.get(id);
    if (known) {
      known.scopes = [...new Set([...known.scopes, ...entry.scopes])].sort();
      known.observed = known.scopes;
      continue;
    }
    const api: ApiInfo = {
      id,
      method,
      host: target.host ?? (/^\/v\d\.\d\//.test(target.path) ? 'api.dingtalk.com' : 'oapi.dingtalk.com'),
      path: target.path,
      product: null,
      action: null,
      sdkMethod: null,
      summary: null,
      scopes: [...new Set(entry.scopes)].sort(),
      appTypes: [],
      sources: [`observed ${entry.seenAt}`],
    };
    api.observed = api.scopes;
    extra.push(api);
    extraById.set(id, api);
  }
  const overlay = (api: ApiInfo): ApiInfo => {
    const seen = observedById.get(api.id);
    if (!seen?.size) return api;
    const observed = [...seen].sort();
    return { ...api, scopes: [...api.scopes, ...observed], observed, sources: [...api.sources, 'observed (learned file)'] };
  };
  const extraPaths = PathIndex.of(extra);
  const learnedScopes = new Map<string, ScopeInfo>();
  const observedScope = (code: string): ScopeInfo | undefined => {
    const known = base.scope(code);
    if (known) return known;
    if (learnedScopes.has(code)) return learnedScopes.get(code);
    const ids = [...extra.filter((a) => a.scopes.includes(code)).map((a) => a.id), ...[...observedById].filter(([, s]) => s.has(code)).map(([id]) => id)];
    if (!ids.length) return undefined;
    const info: ScopeInfo = { code, name: { zh: null, en: null }, kind: 'unknown', base: false, sensitive: false, apis: ids.sort(), probe: null, sources: ['observed (learned file)'] };
    learnedScopes.set(code, info);
    return info;
  };
  const scopeOf = (code: string): ScopeInfo | undefined => {
    const learned = kindOf.get(code.toLowerCase());
    const known = observedScope(code);
    return scopeWithKind(known, learned && (!known || known.code.toLowerCase() === learned.scope.toLowerCase()) ? learned : undefined);
  };
  const view: Catalog = {
    ...base,
    scope: scopeOf,
    api: (id) => {
      const api = base.api(id);
      return api ? overlay(api) : extraById.get(id);
    },
    allApis: () => [...base.allApis().map(overlay), ...extra],
    matchApi: (method, pathOrUrl) => {
      const found = base.matchApi(method, pathOrUrl).map(overlay);
      return found.length ? found : extraPaths.match(method, pathOrUrl);
    },
    apiBySdk: (module, method) => base.apiBySdk(module, method).map(overlay),
    withLearned: (more, moreKinds = []) => withLearned(base, [...entries, ...more], [...kinds, ...moreKinds]),
  };
  return view;
}
