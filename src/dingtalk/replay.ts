/**
 * `diagnose --replay`, the pure part: the input (a `curl ...` command line, a HAR entry, or
 * `METHOD URL`) → a request with every old credential stripped, judged read-only or a write, and
 * aimed at DingTalk (or the explicit base URL) with a fresh token. Sending happens in the command.
 */
import type { ErrorParam, ErrorText } from '../errors.js';
import { englishOf, errorText, uiError } from '../render/messages.js';
import { retarget, type Bases } from './hosts.js';
import type { HttpRequest } from './http.js';
import { parseCurl } from './replay-curl.js';
import { parseUrl, type ReplayTarget } from './replay-target.js';
import { isPlainObject } from '../values.js';

export { parseCurl, shellWords } from './replay-curl.js';
export type { Credential, ReplayTarget } from './replay-target.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export const isMethod = (word: string | undefined) => word !== undefined && METHODS.has(word.toUpperCase());


export const isHar = (doc: unknown): boolean => isPlainObject(doc) && isPlainObject(doc.log) && Array.isArray(doc.log.entries);

/** A HAR `[{name, value}]` list; anything else in it is bad input (a HAR file is untrusted text). */
function harPairs(list: unknown, where: ErrorParam, field: string): Array<{ name: string; value: string }> {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw uiError('err.har.not-a-list', { where, field });
  return list.map((item, i) => {
    if (!isPlainObject(item) || typeof item.name !== 'string' || (item.value !== undefined && typeof item.value !== 'string')) {
      throw uiError('err.har.not-a-pair', { where, field: `${field}[${i}]`, pair: '{name, value}' });
    }
    return { name: item.name, value: (item.value as string | undefined) ?? '' };
  });
}

/** The index of the entry to replay: `entry` (1-based), or the first whose response is not 2xx. */
function pickEntry(entries: unknown[], file: string, entry?: number): number {
  if (entries.length === 0) throw uiError('err.har.no-entries', { file });
  if (entry !== undefined) {
    if (entry < 1 || entry > entries.length) throw uiError('err.har.entry-range', { entry, file, n: entries.length });
    return entry - 1;
  }
  const index = entries.findIndex((e) => {
    const status = isPlainObject(e) && isPlainObject(e.response) && typeof e.response.status === 'number' ? e.response.status : 0;
    return status >= 300 || (status > 0 && status < 200);
  });
  if (index < 0) throw uiError('err.har.all-succeeded', { file, n: entries.length });
  return index;
}

/** A HAR entry: `entry` (1-based) or the first whose response is not 2xx. Every field is type-checked. */
export function parseHarEntry(doc: unknown, file: string, entry?: number): ReplayTarget {
  const entries = (doc as { log: { entries: unknown[] } }).log.entries;
  const index = pickEntry(entries, file, entry);
  const where = errorText('err.har.where', { file, n: index + 1 });
  const item = entries[index];
  const request = isPlainObject(item) ? item.request : undefined;
  if (!isPlainObject(request)) throw uiError('err.har.no-request', { where });
  if (typeof request.url !== 'string' || request.url === '') throw uiError('err.har.not-a-string', { where, field: 'request.url' });
  if (request.method !== undefined && typeof request.method !== 'string') throw uiError('err.har.not-a-string', { where, field: 'request.method' });
  const method = ((request.method as string | undefined) || 'GET').toUpperCase();
  if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(method)) throw uiError('err.har.not-a-method', { where });
  const headers: Record<string, string> = {};
  for (const h of harPairs(request.headers, where, 'request.headers')) if (!h.name.startsWith(':')) headers[h.name.toLowerCase()] = h.value;

  let body: string | undefined;
  const postData = request.postData;
  if (postData !== undefined) {
    if (!isPlainObject(postData)) throw uiError('err.har.not-an-object', { where, field: 'request.postData' });
    if (postData.text !== undefined && typeof postData.text !== 'string') throw uiError('err.har.not-a-string', { where, field: 'request.postData.text' });
    if (postData.mimeType !== undefined && typeof postData.mimeType !== 'string') throw uiError('err.har.not-a-string', { where, field: 'request.postData.mimeType' });
    const params = harPairs(postData.params, where, 'request.postData.params');
    body = (postData.text as string | undefined) || (params.length ? new URLSearchParams(params.map((p): [string, string] => [p.name, p.value])).toString() : undefined);
    if (body !== undefined && postData.mimeType && !headers['content-type']) headers['content-type'] = postData.mimeType as string;
  }
  return { method, url: parseUrl(request.url, where), headers, ...(body ? { body } : {}), from: `${file} entry ${index + 1}` };
}

/** `GET https://api.dingtalk.com/v1.0/...` (+ --data). */
export function parseMethodUrl(words: string[], data?: string): ReplayTarget {
  const [first, second] = words;
  const [method, url] = isMethod(first) ? [first!.toUpperCase(), second] : ['GET', first];
  if (!url) throw uiError('err.replay.nothing');
  return {
    method: data !== undefined && !isMethod(first) ? 'POST' : method,
    url: parseUrl(url, 'replay'),
    headers: data !== undefined ? { 'content-type': /^\s*[[{]/.test(data) ? 'application/json' : 'application/x-www-form-urlencoded' } : {},
    ...(data !== undefined ? { body: data } : {}),
    from: 'arguments',
  };
}

/** What `--replay` was given: words to parse, or a file (or `-`, stdin) to read first. */
export type ReplaySource = { words: string[]; kind: 'curl' | 'method-url' } | { file: string };

/** Decides, from the words after `--replay`, what they are. */
export function replaySource(target: string[]): ReplaySource {
  // "GET https://…" quoted as one argument (as in the --help example) is METHOD URL too.
  if (target.length === 1 && /^\s*[A-Za-z]+\s+\S+\s*$/.test(target[0]!) && isMethod(target[0]!.trim().split(/\s+/)[0])) {
    return { words: target[0]!.trim().split(/\s+/), kind: 'method-url' };
  }
  const [first] = target;
  if (target.length === 1 && /^\s*curl(\.exe)?\s/.test(first!)) return { words: target, kind: 'curl' };
  if (first === 'curl') return { words: target, kind: 'curl' };
  if (isMethod(first) || /^https?:\/\//i.test(first ?? '')) return { words: target, kind: 'method-url' };
  return { file: first ?? '-' };
}

/** The request of a replay input: the words, or the text of the file they named. */
export function parseReplayInput(input: ReplaySource | { name: string; text: string }, opts: { data?: string; entry?: number }): ReplayTarget {
  if ('words' in input) {
    if (input.kind === 'method-url') return parseMethodUrl(input.words, opts.data);
    return input.words.length === 1 ? parseCurl(input.words[0]!) : parseCurl(input.words);
  }
  if ('file' in input) throw new Error(`${input.file}: read the file first`);
  let doc: unknown;
  try {
    doc = JSON.parse(input.text);
  } catch {
    doc = undefined;
  }
  if (isHar(doc)) return parseHarEntry(doc, input.name, opts.entry);
  if (/^\s*curl(\.exe)?\s/.test(input.text)) return parseCurl(input.text);
  return parseMethodUrl(input.text.trim().split(/\s+/).slice(0, 2), opts.data);
}

/**
 * Names of old credentials, in a query, a fragment, `;key=` path parameters, a form or JSON body
 * (every spelling of the access token DingTalk's two API families and their SDKs use, and the secrets).
 */
const CREDENTIAL_KEY = /^(access[_-]?token|x-acs-dingtalk-access-token|refresh[_-]?token|app[_-]?secret|client[_-]?secret|corp[_-]?secret|suite[_-]?secret|suite[_-]?ticket)$/i;
/** Headers never replayed: old credentials, cookies, and what the HTTP layer sets itself. */
const DROPPED_HEADERS = /^(authorization|proxy-authorization|cookie|host|content-length|connection|transfer-encoding|accept-encoding|keep-alive|upgrade|te|trailer)$|token|secret|ticket|api-?key/i;
const CREDENTIAL_HEADER = /authorization|cookie|token|secret|ticket|api-?key/i;

const decode = (text: string) => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/** Removes `key=value` parts whose key is a credential from a `&`/`;`-separated list; the rest stays as written. */
function stripPairs(list: string, found: (key: string, value: string) => void): string {
  const kept = list.replace(/(^|[&;])([^&;=]*)(?:=([^&;]*))?/g, (part, _separator: string, key: string, value: string | undefined) => {
    if (!CREDENTIAL_KEY.test(decode(key))) return part;
    found(decode(key), decode(value ?? ''));
    return '';
  });
  return kept.replace(/^[&;]/, '');
}

function stripBody(body: string, contentType: string | undefined, found: (key: string, value: string) => void): string {
  if (/json/i.test(contentType ?? '') || /^\s*\{/.test(body)) {
    try {
      const doc = JSON.parse(body) as unknown;
      if (!isPlainObject(doc)) return body;
      const keys = Object.keys(doc).filter((k) => CREDENTIAL_KEY.test(k));
      for (const k of keys) {
        found(k, typeof doc[k] === 'string' ? doc[k] : JSON.stringify(doc[k]));
        delete doc[k];
      }
      return keys.length ? JSON.stringify(doc) : body;
    } catch {
      return body;
    }
  }
  if (/x-www-form-urlencoded/i.test(contentType ?? '')) return stripPairs(body, found);
  return body;
}

/**
 * Removes every old credential — headers (Authorization, cookies, any header named for a token or secret), the
 * URL's user:password, query and `;` path parameters and fragment, credential keys of a form or JSON
 * body, and what curl options carried — and says what was removed (names only; `secrets` holds the
 * values, to be kept out of every output).
 */
export function stripTokens(target: ReplayTarget): { target: ReplayTarget; stripped: string[]; secrets: string[] } {
  const stripped: string[] = [];
  const secrets: string[] = [];
  const remember = (where: string, value: string) => {
    stripped.push(where);
    if (value) secrets.push(value, ...value.split(/\s+/).filter((part) => part.length >= 8));
  };
  for (const credential of target.credentials ?? []) remember(credential.where, credential.value);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers)) {
    if (!DROPPED_HEADERS.test(name)) headers[name] = value;
    else if (CREDENTIAL_HEADER.test(name)) remember(`header ${name}`, value);
  }
  const url = new URL(target.url);
  if (url.username || url.password) remember('URL user:password', `${decode(url.username)}:${decode(url.password)}`);
  url.username = '';
  url.password = '';
  url.pathname = url.pathname.replace(/;([^;/=]+)=([^;/]*)/g, (part, key: string, value: string) => {
    if (!CREDENTIAL_KEY.test(decode(key))) return part;
    remember(`path ;${decode(key)}`, decode(value));
    return '';
  });
  url.search = stripPairs(url.search.replace(/^\?/, ''), (key, value) => remember(`query ${key}`, value));
  // A fragment is never sent; one with a token in it (an OAuth redirect) is not printed either.
  stripPairs(url.hash.replace(/^#/, ''), (key, value) => remember(`fragment ${key}`, value));
  url.hash = '';
  const body = target.body === undefined ? undefined : stripBody(target.body, headers['content-type'], (key, value) => remember(`body ${key}`, value));
  const { credentials: _, ...rest } = target;
  return { target: { ...rest, url, headers, ...(body !== undefined ? { body } : {}) }, stripped: [...new Set(stripped)], secrets: [...new Set(secrets)] };
}

/** Headers that make a server run another method than the one on the request line. */
const METHOD_OVERRIDE = /^(x-http-method-override|x-method-override|x-http-method)$/i;

/** Why sending this request might change data, as a message (null: a plain GET/HEAD without a body). */
function writeConcern(target: ReplayTarget): ErrorText | null {
  const override = Object.entries(target.headers).find(([name]) => METHOD_OVERRIDE.test(name));
  if (override) return errorText('err.replay.write-override', { header: override[0], method: override[1].toUpperCase() });
  if (!['GET', 'HEAD'].includes(target.method)) return errorText('err.replay.write-method');
  if (target.body !== undefined) return errorText('err.replay.write-body', { method: target.method });
  return null;
}

/** Why sending this request might change data (null: a plain GET/HEAD without a body). */
export function writeReason(target: ReplayTarget): string | null {
  const concern = writeConcern(target);
  return concern && englishOf(concern).message;
}

/** The input parsed, stripped and judged: the replay's decision before any token exists. */
export function prepareReplay(parsed: ReplayTarget, allowWrite: boolean): { request: ReplayTarget; stripped: string[]; secrets: string[]; write: boolean } {
  const { target: request, stripped, secrets } = stripTokens(parsed);
  const reason = writeConcern(request);
  if (reason && !allowWrite) throw uiError('err.replay.refused-write', { method: request.method, path: request.url.pathname, reason }, 'err.replay.refused-write-hint');
  return { request, stripped, secrets, write: reason !== null };
}

/** The request to send: re-aimed at the bases, with the fresh token where that API family expects it. */
export function replayRequest(target: ReplayTarget, token: string, bases: Bases): HttpRequest {
  const aimed = retarget(target.url, bases);
  if (!aimed) {
    throw uiError('err.replay.foreign-host', { host: target.url.host }, 'err.replay.foreign-host-hint');
  }
  const url = new URL(aimed.url);
  const headers = { ...target.headers };
  if (aimed.legacy) url.searchParams.set('access_token', token);
  else headers['x-acs-dingtalk-access-token'] = token;
  return { method: target.method, url, headers, ...(target.body !== undefined ? { body: target.body } : {}) };
}

/** The URL as safe to print: no access_token in it. */
export function printableUrl(url: URL): string {
  return url.toString().replace(/([?&]access_token=)[^&#]*/gi, '$1***');
}
