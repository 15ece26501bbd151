/**
 * The catalog's shapes: what the generated data holds (scopes, APIs, error rows) and what a
 * Catalog answers. Types only, imported by every catalog module and by the layers above; this
 * file imports nothing, so the catalog stays the bottom floor.
 */

export type ScopeKind = 'standard' | 'special' | 'unknown';
export type AppType = 'internal' | 'third-party-enterprise' | 'third-party-personal';

export type ApiHost = 'api.dingtalk.com' | 'oapi.dingtalk.com';

/** A request known to need a scope and safe to send with dummy parameters (read-only). */
export interface ScopeProbe {
  /** ApiInfo id of the request. */
  api: string;
  host: ApiHost;
  method: string;
  /** Path with dummy values in place of the template's parameters. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface ScopeInfo {
  code: string;
  name: { zh: string | null; en: string | null };
  kind: ScopeKind;
  /** Granted by default to every app of the matching type (qyapi_base, isvapi_base, open_app_api_base, snsapi_base): nothing to request. */
  base: boolean;
  /** In DingTalk's use-sensitive-permissions table: DingTalk support opens it, then each org's admin grants it. */
  sensitive: boolean;
  /** ApiInfo ids of the APIs documented to need it. */
  apis: string[];
  probe: ScopeProbe | null;
  sources: string[];
  /** Where the kind comes from when not the bundled docs, e.g. "dws requiredApproval=true, seen 2026-12-01" (learned file). */
  kindFrom?: string;
  /** Facts of shared/catalog/supplement (their sources are in `sources`); absent when there are none. */
  notes?: ScopeNotes | null;
}

export interface ScopeNotes {
  /** The DingTalk edition the scope's APIs need (OA高级版, 钉钉专业版/专属版, 专属钉钉): no request helps without it. */
  edition?: string;
  /** DingTalk accepts no new applications for the scope (暂不支持新增申请). */
  closed?: boolean;
  /** delegated: a user token (OAuth consent); application: an app token; field: a field-level scope used with a delegated one. */
  access?: 'delegated' | 'application' | 'field';
  /** Registration through DingTalk support comes before the request (qyapi_recruitment_plugin). */
  registerFirst?: boolean;
  /** Only low-confidence sources know the code. */
  confidence?: 'low';
  /** A kind only a low-confidence source gives: labelled, not acted on. */
  unconfirmedKind?: string;
}

/** What an API's official page prints about its permission when it names no scope code (supplement). */
export interface ApiPermissionNote {
  /** The official Chinese permission name (search it in Manage permissions). */
  zh?: string;
  /** DingTalk accepts no new applications for this API (暂不支持新增申请). */
  closed?: boolean;
  /** The page says no request is needed (无需申请). */
  noRequest?: boolean;
  /** The one scope whose official name is exactly `zh`: an inference, not a printed code. */
  nameMatch?: string;
  /** Scope codes only a low-confidence source pairs with the API. */
  unconfirmedScopes?: string[];
}

export interface ApiInfo {
  id: string;
  method: string | null;
  host: ApiHost;
  /** Template, e.g. /v1.0/contact/users/{unionId}. */
  path: string;
  /** SDK product/version, e.g. contact_1.0 (null for APIs the SDK lacks). */
  product: string | null;
  action: string | null;
  sdkMethod: string | null;
  summary: string | null;
  scopes: string[];
  appTypes: AppType[];
  sources: string[];
  /** Scopes only known from the user's learned observations (see withLearned); absent in bundled data. */
  observed?: string[];
  /** The official page's permission name or status when it prints no scope code (supplement). */
  permission?: ApiPermissionNote | null;
}

export interface ErrorInfo {
  /** The table's HTTP status when it names one; null when it names several (e.g. "400/500"). */
  httpStatus: number | null;
  /** Every HTTP status the table names for this row. */
  httpStatuses: number[];
  code: string;
  message: string;
  explanation: string;
  url: string | null;
}

/** One observed API → scopes pair, recorded by `diagnose --learn` (src/config/learned.ts). */
export interface LearnedEntry {
  method: string | null;
  /** Template or a real path (no query string); a full URL is accepted too. */
  path: string;
  host?: string | null;
  scopes: string[];
  seenAt: string;
}

/** A scope's kind as dws read it from the Developer Console (`requiredApproval`), recorded by `check` (src/config/learned.ts). */
export interface LearnedKind {
  scope: string;
  /** requiredApproval true → 'special' (reviewed before it takes effect), false → 'standard'. */
  kind: 'standard' | 'special';
  requiredApproval: boolean;
  /** The console's name of the scope (Chinese), when dws gave one. */
  name?: string | null;
  source: 'dws';
  seenAt: string;
}

export interface Catalog {
  /** Exact code, then case-insensitive. */
  scope(code: string): ScopeInfo | undefined;
  allScopes(): ScopeInfo[];
  api(id: string): ApiInfo | undefined;
  allApis(): ApiInfo[];
  /** APIs whose template matches, best first (method match, then more literal segments). */
  matchApi(method: string | null, pathOrUrl: string): ApiInfo[];
  /** SDK lookups: module 'contact_1_0' | 'contact_1.0' | null, method 'getUserWithOptions' | 'getUser' | 'GetUser'. */
  apiBySdk(module: string | null, method: string): ApiInfo[];
  /** DingTalk's error table rows for a code ('60011', 'Forbidden.AccessDenied.IpNotInWhiteList'), case-insensitive. */
  errors(code: string): ErrorInfo[];
  /** Ranked scopes for free words (codes, zh/en names, API paths and summaries). */
  search(words: string, limit?: number): SearchHit[];
  /** Close matches for an unknown scope code. */
  suggest(code: string, limit?: number): string[];
  /**
   * A view of this catalog that also knows the user's observed API → scope pairs (learned file).
   * `matchApi`/`api`/`apiBySdk` then return copies of ApiInfo whose `observed` lists the scopes only seen
   * in observations (also merged into `scopes`), and APIs the bundled data lacks appear with id
   * `observed:<METHOD> <path>` and `sources: ['observed ...']`. Unknown observed scope codes get a
   * ScopeInfo with kind 'unknown'. Label such answers "observed" (ScopeRef.via). `kinds` (from dws)
   * fill in the kind of scopes the bundled data leaves 'unknown' (with `kindFrom`), and scopes only
   * dws listed get a ScopeInfo of their own.
   */
  withLearned(entries: readonly LearnedEntry[], kinds?: readonly LearnedKind[]): Catalog;
  /** Build facts: which SDK the data came from and the generator's coverage report. */
  meta(): { sdk: string | null; coverage: Coverage | null };
}

/** The coverage report of scripts/build-catalog.mjs (stored in scopes.json). */
export interface Coverage {
  sdk: string;
  sdkModules: number;
  documentedApis: { inCatalog: number; total: number };
  sdkOperations: { withScope: number; total: number };
  apis: { total: number; withScope: number; legacy: number; docOnly: number; nameOnly?: number; closed?: number; nameMatch?: number };
  scopes: { total: number; withKind: number; withProbe: number; withApis: number; base: number; sensitive: number } & Partial<SupplementScopeCoverage>;
  errors: number;
  /** What shared/catalog/supplement added (absent in data built without it). */
  supplement?: Record<string, number>;
}

/** Coverage the supplement brought (scripts/catalog-supplement.mjs). */
export interface SupplementScopeCoverage {
  nameEn: { sourced: number; derived: number };
  edition: number;
  access: number;
  lowConfidence: number;
}

export interface SearchHit {
  scope: ScopeInfo;
  score: number;
  /** What matched, e.g. `code: contact, user, read` or `name: 通讯录`. */
  why: string;
}

export interface CatalogData {
  scopes: ScopeInfo[];
  /** One scope by its exact code, without decoding the whole table (a scope's usual lookup). */
  scopeExact(code: string): ScopeInfo | undefined;
  apis: ApiInfo[];
  /** DingTalk's error-table rows for a lower-cased code (decoded on lookup: 2,500 rows, most never asked for). */
  errorsFor(code: string): ErrorInfo[];
  sdk: string | null;
  coverage: Coverage | null;
  /** The bundled data's indexes, precomputed by the build (dist/data/index.json); absent for data given in memory. */
  prebuilt?: PrebuiltIndexes;
}

/** One scope's searchable text, tokenised (src/catalog/search.ts); plain JSON, so it can be stored. */
export interface SearchDoc {
  /** The scope's code; hits are resolved to a ScopeInfo through it. */
  scope: string;
  /** How many APIs need the scope (breaks ties between codes that share a word). */
  uses: number;
  key: string;
  /** The code's first segment as a key ('contact', 'qyapi'): a query equal to it names a product, not this scope. */
  headKey: string;
  code: string[];
  en: string[];
  zh: string;
  pathWords: string[];
  /** Words of each API path (distinct sequences): with code and en, where a query may appear as a phrase. */
  paths: string[][];
  summaries: string;
  /** Lower-case code segments and API path segments ('processinstances'), for compound words. */
  identifiers: string[];
}

/** What sorted keys answer (sorted-keys.ts: held in memory, or read from their stored lines). */
export interface KeyLookup {
  /** The rows of every entry whose key is `key`. */
  rowsOf(key: string): number[];
  /** Whether some key starts with `prefix`. */
  hasPrefix(prefix: string): boolean;
}

/**
 * Indexes over the bundled tables computed at build time (scripts/build-index.mjs), so a lookup
 * reads the part it needs instead of decoding the 3,000-row API table and indexing it per run.
 */
export interface PrebuiltIndexes {
  /** The API with this id, decoded from its row alone. */
  api(id: string): ApiInfo | undefined;
  /** The API of a row (its position in the table). */
  apiAt(row: number): ApiInfo;
  /** Template keys (paths.ts templateKey) and their rows. */
  pathKeys(): KeyLookup;
  /** SDK keys (sdk-index.ts sdkKey: `module|method`, `|method`) and their rows. */
  sdkKeys(): KeyLookup;
  /** The search documents that hold one of `needles` (search.ts searchNeedles: every one a query can hit), and maybe others. */
  searchDocs(needles: readonly string[]): SearchDoc[];
}
