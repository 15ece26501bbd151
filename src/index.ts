/**
 * Library entry: `import { explainError } from 'dingtalk-doctor'`.
 *
 * Give it what your code caught — the official SDK's error (Tea `ResponseError`), an axios
 * error, a fetch/undici response body, or any text — and get the document `diagnose --json`
 * prints for it. Pure and synchronous: the only I/O is reading the bundled catalog, once.
 * Objects are turned into the inputs the diagnose parser already reads (a response body with
 * its status and API, or text); nothing here parses DingTalk errors itself.
 */
import { getCatalog } from './catalog/index.js';
import { configuredAppSync } from './config/app-sync.js';
import { diagnose } from './core/diagnose.js';
import { extractFields, parseResponse, parseText, pathOf } from './core/parse/index.js';
import type { ApiRef, AppType, ErrorRecord } from './core/types.js';
import type { DiagnoseJson as Diagnosis } from './core/json.js';
import { diagnoseJson } from './render/diagnose.js';
import { SCHEMA_VERSION as OUTPUT_SCHEMA_VERSION } from './render/output.js';
import { credentialValues, Redactor } from './redact.js';
import { isPlainObject } from './values.js';

export type { ApiRef, AppType, Cause, ErrorRecord, Finding, ScopeKind, ScopeRef, SourceRef } from './core/types.js';

/** Version of the JSON documents (schema/README.md): changes only with a documented breaking change. */
export const SCHEMA_VERSION = OUTPUT_SCHEMA_VERSION as 1;

export interface ExplainOptions {
  /** Language of steps and labels (default 'en'). */
  lang?: 'en' | 'zh';
  /** The app's AppKey (Client ID): steps then carry the per-app apply link. */
  appKey?: string | null;
  appType?: AppType | null;
  /** The API that failed, when the error does not say: "METHOD /path", a URL, or an ApiRef. */
  api?: string | ApiRef | null;
  /** HTTP status of a bare response body (the body alone does not carry it). */
  status?: number | null;
  /** Name shown as `source.input` of each finding (default 'error'). */
  source?: string;
  /** A dingtalk-doctor config (a JSON/YAML file path, or the object): the AppKey and app type come from its app (no secret is read). */
  config?: string | object;
  /** The configured app to use (default: defaultApp, or the only app); needs `config`. */
  app?: string;
}

/** A response you already read: `{ status: res.status, url: res.url, method: 'GET', body: await res.text() }`. */
export interface ResponseSnapshot {
  status: number;
  body: string | object | null | undefined;
  url?: string;
  method?: string;
}

/** One finding as `diagnose --json` prints it (schema/diagnose.json): the core Finding, written once (core/json.ts). */
export type { FindingJson as DiagnoseFinding, DiagnoseJson as Diagnosis, DiagnoseSummary, PlatformNote, StepJson } from './core/json.js';
export type { ApiVia, Evidence, Platform } from './core/types.js';

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n < 600 ? n : null;
};

/** Keys whose values are credentials. */
const SECRET_KEY = /token|secret|password|authorization|cookie|signature|ticket/i;
/** Keys never serialized for the parser: credentials and request plumbing. */
const PRIVATE_KEY = new RegExp(`${SECRET_KEY.source}|^(headers|config|request|socket|agent|_\\w*)$`, 'i');
/** Top-level keys of a DingTalk error body. */
const BODY_KEY = /^(code|errcode|requiredscopes|accessdenieddetail|sub_?code)$/i;
/**
 * JSON of a caught value without its credentials, request plumbing or cycles: what the
 * parser needs (codes, messages, bodies) and nothing it must not echo.
 */
function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return (
    JSON.stringify(value, function (this: unknown, key, v: unknown) {
      if (key && PRIVATE_KEY.test(key)) return undefined;
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return undefined;
        seen.add(v);
        if (v instanceof Uint8Array) return new TextDecoder().decode(v);
      }
      return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
    }) ?? ''
  );
}

function bodyText(body: unknown): string {
  if (body === null || body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  return safeJson(body);
}

function apiOf(method: unknown, url: unknown, base?: unknown): ApiRef | null {
  const target = str(url);
  if (!target) return null;
  const full = !/^https?:\/\//i.test(target) && str(base) ? `${str(base)!.replace(/\/+$/, '')}/${target.replace(/^\/+/, '')}` : target;
  const { path, host } = pathOf(full);
  return { method: str(method)?.toUpperCase() ?? null, path, host };
}

function apiOption(api: ExplainOptions['api']): ApiRef | null {
  if (!api) return null;
  if (typeof api !== 'string') return api;
  const m = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(api);
  return m ? apiOf(m[1], m[2]) : apiOf(null, api.trim());
}

/** The SDK client and method named by a stack's frames (Node `@alicloud/dingtalk`). */
function sdkOf(stack: unknown): ErrorRecord['sdk'] {
  const text = str(stack);
  return text ? (extractFields(text)?.sdk ?? null) : null;
}

/** `Response` objects are read asynchronously; the caller reads the body first. */
function isFetchResponse(v: Obj): boolean {
  return typeof v.text === 'function' && typeof v.status === 'number' && 'bodyUsed' in v;
}

function recordsOf(input: unknown, opts: ExplainOptions, source: string, depth = 0): ErrorRecord[] {
  const answer = (status: number | null, body: unknown, api: ApiRef | null) =>
    parseResponse({ status: status ?? num(opts.status) ?? 0, body: bodyText(body), api, input: source, line: 1 });

  if (input === null || input === undefined) return [];
  if (typeof input === 'string' || input instanceof Uint8Array || input instanceof ArrayBuffer) {
    // A body read from a response whose status is known is one HTTP answer; any other text may hold many errors.
    return num(opts.status) !== null ? answer(null, input, null) : parseText(bodyText(input), source);
  }
  if (Array.isArray(input)) return parseText(safeJson(input), source);
  if (!isPlainObject(input)) return parseText(String(input), source);

  if (isFetchResponse(input)) {
    throw new TypeError(
      'explainError is synchronous and cannot read a Response: pass { status: res.status, url: res.url, method, body: await res.text() }',
    );
  }

  let records: ErrorRecord[] = [];
  const response = input.response;
  if (isPlainObject(response) && num(response.status) !== null) {
    // axios: error.response (status, data) and error.config (method, url, baseURL). Headers are never read.
    const config = isPlainObject(input.config) ? input.config : {};
    records = answer(num(response.status), response.data, apiOf(config.method, config.url, config.baseURL));
  } else if ('body' in input && (num(input.status) !== null || 'url' in input)) {
    // A response snapshot { status, body, url, method }.
    records = answer(num(input.status), input.body, apiOf(input.method, input.url));
  } else if (isPlainObject(input.data) && (str(input.code) || num(input.statusCode) !== null || num(input.data.statusCode) !== null)) {
    // The SDK's Tea ResponseError: `data` is the parsed body plus statusCode; the frames name the client and method.
    const detail = input.data.accessdenieddetail ?? input.data.accessDeniedDetail ?? input.accessDeniedDetail;
    const body = { code: input.code, ...input.data, ...(isPlainObject(detail) ? { accessdenieddetail: detail } : {}) };
    records = answer(num(input.statusCode) ?? num(input.data.statusCode), body, null);
    const sdk = sdkOf(input.stack);
    if (sdk) records = records.map((r) => (r.sdk ? r : { ...r, sdk }));
    if (!records.length) records = parseText(str(input.message) ?? '', source);
  } else if (input instanceof Error || (str(input.message) && str(input.stack))) {
    // Another error: its text (message and stack) is what a log would show.
    records = parseText([str(input.stack) ?? str(input.message) ?? '', safeJson(input)].join('\n'), source);
  } else if (Object.keys(input).some((k) => BODY_KEY.test(k))) {
    // A parsed body: {code, message, requestid, accessdenieddetail} or {errcode, errmsg, sub_code…}.
    records = answer(num(input.statusCode) ?? num(input.status), input, null);
  } else {
    // Anything else (a HAR object, a list of bodies, a wrapper): walked as JSON text.
    records = parseText(safeJson(input), source);
  }

  // An error that wraps the SDK's (`new Error('…', { cause })`): explain the cause.
  if (!records.length && depth < 3 && 'cause' in input) return recordsOf(input.cause, opts, source, depth + 1);
  return records;
}

/** Credentials the input carries (axios config headers/params, bodies, URL queries): never echoed. */
function credentialsIn(input: unknown): string[] {
  const found = new Set<string>();
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number, secret: boolean) => {
    if (typeof v === 'string') {
      if (secret && v.length >= 6) found.add(v.replace(/^Bearer\s+/i, ''));
      for (const value of credentialValues(v)) found.add(value);
      return;
    }
    if (typeof v !== 'object' || v === null || depth > 8 || seen.has(v)) return;
    seen.add(v);
    for (const key of Object.keys(v)) {
      // Node's request/socket internals are large and never reach the result.
      if (/^(request|socket|agent|_\w*)$/.test(key)) continue;
      walk((v as Obj)[key], depth + 1, secret || SECRET_KEY.test(key));
    }
  };
  walk(input, 0, false);
  return [...found].sort((a, b) => b.length - a.length);
}

/**
 * Explains a caught DingTalk error: the same document `dingtalk-doctor diagnose --json` prints
 * (`{ schemaVersion, command: 'diagnose', inputs, findings, summary }`). No finding means the
 * input holds no DingTalk error. Throws only a TypeError for a fetch `Response` (read its body first).
 *
 * @example
 * try { await client.getUserWithOptions(id, headers, runtime); }
 * catch (err) { const { findings } = explainError(err, { appKey: 'dingxxxx' }); logger.warn(findings[0]?.steps.join('\n')); }
 */
export function explainError(input: unknown, options: ExplainOptions = {}): Diagnosis {
  const source = options.source ?? 'error';
  const records = recordsOf(input, options, source);
  // as `diagnose --config/--app`: the app's AppKey and type, which appKey / appType override
  const app = options.config ? configuredAppSync(options.config, options.app) : null;
  const result = diagnose(records, getCatalog(), {
    appKey: options.appKey ?? app?.appKey ?? null,
    appType: options.appType ?? app?.appType ?? null,
    appTypeFrom: !options.appType && app ? app.from : null,
    api: apiOption(options.api),
  });
  // A caller's secrets may be shorter than the CLI's minimum (test fixtures, other services): 6 and up.
  return new Redactor(6).add(...credentialsIn(input)).redactDeep(diagnoseJson(result, [source], options.lang === 'zh' ? 'zh' : 'en') as Diagnosis);
}
