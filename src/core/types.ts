/**
 * Shared shapes of the pipeline: parse (text → ErrorRecord) → classify (→ Cause)
 * → advise (→ Finding, with catalog facts) → render.
 * Everything in src/core is pure: no I/O, no process access.
 */

// Defined with the catalog (the floor below core), which describes scopes and apps in these terms.
export type { AppType, ScopeKind } from '../catalog/types.js';
import type { AppType, ScopeKind } from '../catalog/types.js';

export type Cause =
  | 'missing-scope'
  | 'ip-not-allowed'
  | 'org-auth-level'
  | 'throttled'
  | 'invalid-token'
  | 'app-not-authorized'
  | 'unknown-denial'
  /** A DingTalk error that is not a denial (bad parameter, not found…): explained, not a permission problem. */
  | 'other-error';

/**
 * How the failing API was found — always from the same request as the error: its own `line`, the same HTTP
 * `exchange` (HTTP dump, HAR entry, curl command, client error dump), the SDK `stack` frame, another record with
 * the same `request-id`, an adjacent request line of the same `thread`/trace id, or the user's `--api` (`option`).
 */
export type ApiVia = 'line' | 'exchange' | 'stack' | 'request-id' | 'thread' | 'option';

/** The platform an error belongs to: DingTalk by evidence, DingTalk `assumed` (no evidence either way), or another platform. */
export type Platform = 'dingtalk' | 'assumed' | 'wecom' | 'wechat' | 'qq' | 'feishu' | 'slack' | 'other';

/** One fact of the input that tells which platform an error is from (`host open.work.weixin.qq.com` → wecom). */
export interface Evidence {
  kind: 'host' | 'sdk' | 'code' | 'field' | 'wording';
  value: string;
  /** The platform the fact points to (`dingtalk` for positive evidence). */
  platform: Exclude<Platform, 'assumed'>;
}

/** The API a record is about, when the input says (HAR entry, curl, log line, SDK stack frame, --api). */
export interface ApiRef {
  method: string | null;
  /** Path as seen (with real ids) or a template; never with the query string. */
  path: string;
  host?: string | null;
  /** Legacy TOP API name as the error gave it (`dingtalk.oapi.v2.department.listsub`), when the path was derived from it. */
  apiName?: string | null;
  /** How the API was found (absent when the caller built the reference itself). */
  via?: ApiVia;
}

/** Where in the input a record was found (1-based line). */
export interface SourceRef {
  input: string;
  line: number;
}

/** One DingTalk error as found in some text. All fields are facts read from the input. */
export interface ErrorRecord {
  httpStatus: number | null;
  /** New-API code (`Forbidden.AccessDenied.AccessTokenPermissionDenied`) or legacy errcode as a string (`60011`). */
  code: string | null;
  /** Legacy `sub_code` when the errcode is a wrapper (88). */
  subCode: string | null;
  message: string | null;
  requestId: string | null;
  /** Scopes named by the input (requiredScopes or the message), in order, unique. */
  requiredScopes: string[];
  api: ApiRef | null;
  /** SDK client module and method from a stack frame, e.g. { module: 'contact_1_0', method: 'getUserWithOptions' }. */
  sdk: { module: string; method: string } | null;
  /** IP allow-list errors carry the caller's egress IP and the app key. */
  callerIp: string | null;
  appKey: string | null;
  /** Platform evidence found in the record's own text and block (absent: none looked for, as in hand-built records). */
  evidence?: Evidence[];
  source: SourceRef;
}

/**
 * One piece of advice as data: a message id (src/messages/en.json, zh.json) and its parameters.
 * The core returns these; src/render fills the text in (render/messages.ts), so `--json` can carry
 * ids to switch on. A parameter may itself be a message (the app's name, who grants a scope).
 */
export interface Step {
  id: string;
  params: Record<string, StepParam>;
}
export type StepParam = string | number | Step;

export interface ScopeRef {
  code: string;
  kind: ScopeKind;
  name: { zh: string | null; en: string | null };
  /**
   * Where the scope came from: the error itself, the bundled catalog via the API, a learned observation,
   * or `name-match` — an inference: the API's official page prints only a permission name, and this is
   * the only scope officially so named (shared/catalog/supplement/api-scope-names-only.tsv).
   */
  via: 'error' | 'catalog' | 'observed' | 'name-match';
  /** A base scope (qyapi_base…): granted by default, so never among the scopes to request. */
  base?: boolean;
}

/** The app type the advice is for, and how the tool knows it. */
export interface AppTypeRef {
  type: AppType;
  /** --app-type; the app picked from the config (`app` in `source`); or what the error shows (`evidence`). */
  via: 'flag' | 'config' | 'evidence';
  app?: string;
  source?: string;
  /** The thing in the error that tells (invalidSuiteKey, /v1.0/oauth2/userAccessToken, authCorpId…). */
  evidence?: string;
}

export interface Finding {
  cause: Cause;
  scopes: ScopeRef[];
  requestId: string | null;
  httpStatus: number | null;
  code: string | null;
  subCode: string | null;
  message: string | null;
  /** The API, resolved against the catalog's template when possible. */
  api: (ApiRef & { template?: string | null }) | null;
  source: SourceRef;
  count: number;
  /** Developer Console link: per-app apply link when the app key is known, else the app list. */
  consoleUrl: string;
  /** Explanation of the code from DingTalk's error table, when the code is there. */
  explanation: string | null;
  /** What to do, in order (message ids; the renderers fill in the text). */
  steps: Step[];
  callerIp: string | null;
  appKey: string | null;
  /** `dingtalk` when the input shows it, `assumed` when nothing says either way (set by diagnose). */
  platform?: 'dingtalk' | 'assumed';
  /** The facts behind `platform` (set by diagnose). */
  evidence?: Evidence[];
  /** The app type the steps are for, when known (null: the steps of an internal app). */
  appType?: AppTypeRef | null;
}
