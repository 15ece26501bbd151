/**
 * `diagnose --replay`: turn a `curl ...` command line, a HAR entry, or `METHOD URL`
 * into a request, strip every old token from it, and aim it at DingTalk (or the
 * explicit base URL) with a fresh token. Parsing is pure; sending happens in the command.
 */
import { usageError } from '../errors.js';
import { retarget, type Bases } from './hosts.js';
import type { HttpRequest } from './http.js';

export interface ReplayTarget {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Where it came from, for messages: "curl", "HAR entry 3", "arguments". */
  from: string;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export const isMethod = (word: string | undefined) => word !== undefined && METHODS.has(word.toUpperCase());

function parseUrl(text: string, from: string): URL {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw usageError(`${from}: "${text}" is not a URL`);
  }
}

/** Splits a shell command line the way bash would for curl commands copied from browsers and docs. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const s = line.replace(/\\\r?\n/g, ' ').replace(/\^\r?\n/g, ' ');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "'" ) {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw usageError('curl command: unclosed single quote');
      word += s.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '$' && s[i + 1] === "'") {
      // ANSI-C quoting ($'...'), used by Chrome's "Copy as cURL (bash)".
      let j = i + 2;
      for (; j < s.length && s[j] !== "'"; j++) {
        if (s[j] === '\\' && j + 1 < s.length) {
          const next = s[++j]!;
          word += ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[next] ?? `\\${next}`;
        } else word += s[j];
      }
      i = j;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && /["\\$`]/.test(s[j + 1] ?? '')) word += s[++j];
        else word += s[j];
      }
      if (j >= s.length) throw usageError('curl command: unclosed double quote');
      i = j;
      inWord = true;
    } else if (ch === '\\' && i + 1 < s.length) {
      word += s[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const CURL_VALUE_FLAGS_IGNORED = new Set([
  '-o', '--output', '-m', '--max-time', '--connect-timeout', '-x', '--proxy', '--retry', '-w', '--write-out', '-A', '--user-agent',
  '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar', '-u', '--user', '--cacert', '--cert', '--key', '-E', '--resolve', '--max-redirs',
]);

/** A curl command line (string or words) → the request it would send. */
export function parseCurl(input: string | string[]): ReplayTarget {
  const words = typeof input === 'string' ? shellWords(input.trim()) : [...input];
  if (words[0] === 'curl' || words[0]?.endsWith('/curl') || words[0] === 'curl.exe') words.shift();
  let method: string | null = null;
  let url: string | null = null;
  const headers: Record<string, string> = {};
  const data: string[] = [];
  let get = false;
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    let attached: string | null = null;
    const long = /^(--[a-z-]+)=(.*)$/s.exec(word);
    if (long) [word, attached] = [long[1]!, long[2]!];
    else if (/^-[XHd]./.test(word)) [word, attached] = [word.slice(0, 2), word.slice(2)];
    const value = () => {
      if (attached !== null) return attached;
      const v = words[++i];
      if (v === undefined) throw usageError(`curl command: ${word} needs a value`);
      return v;
    };
    if (word === '-X' || word === '--request') method = value().toUpperCase();
    else if (word === '-H' || word === '--header') {
      const h = value();
      const colon = h.indexOf(':');
      if (colon > 0) headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
    } else if (['-d', '--data', '--data-raw', '--data-binary', '--data-ascii', '--data-urlencode'].includes(word)) {
      const v = value();
      if (v.startsWith('@') && word !== '--data-raw') throw usageError(`curl command: ${word} ${v} reads a file; paste the body instead (--data-raw)`);
      data.push(v);
    } else if (word === '--json') {
      data.push(value());
      headers['content-type'] ??= 'application/json';
      headers.accept ??= 'application/json';
    } else if (word === '-G' || word === '--get') get = true;
    else if (word === '-I' || word === '--head') method = 'HEAD';
    else if (word === '--url') url = value();
    else if (word === '-F' || word === '--form') throw usageError('curl command: multipart forms (-F) cannot be replayed');
    else if (CURL_VALUE_FLAGS_IGNORED.has(word)) value();
    else if (word.startsWith('-')) continue;
    else url ??= word;
  }
  if (!url) throw usageError('curl command: no URL found');
  const parsed = parseUrl(url, 'curl command');
  let body: string | undefined;
  if (data.length) {
    if (get) for (const d of data) for (const [k, v] of new URLSearchParams(d)) parsed.searchParams.append(k, v);
    else body = data.join('&');
  }
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/x-www-form-urlencoded';
  return { method: method ?? (get ? 'GET' : body !== undefined ? 'POST' : 'GET'), url: parsed, headers, ...(body !== undefined ? { body } : {}), from: 'curl command' };
}

interface HarEntry {
  request?: { method?: string; url?: string; headers?: Array<{ name?: string; value?: string }>; postData?: { text?: string; mimeType?: string } };
  response?: { status?: number };
}

export const isHar = (doc: unknown): boolean =>
  Boolean(doc && typeof doc === 'object' && Array.isArray((doc as { log?: { entries?: unknown } }).log?.entries));

/** A HAR entry: `entry` (1-based) or the first whose response is not 2xx. */
export function parseHarEntry(doc: unknown, file: string, entry?: number): ReplayTarget {
  const entries = ((doc as { log: { entries: HarEntry[] } }).log.entries ?? []) as HarEntry[];
  if (entries.length === 0) throw usageError(`${file}: the HAR file has no entries`);
  let index: number;
  if (entry !== undefined) {
    if (entry < 1 || entry > entries.length) throw usageError(`--entry ${entry}: ${file} has entries 1 to ${entries.length}`);
    index = entry - 1;
  } else {
    index = entries.findIndex((e) => {
      const status = e.response?.status ?? 0;
      return status >= 300 || (status > 0 && status < 200);
    });
    if (index < 0) throw usageError(`${file}: every entry succeeded (2xx); pick one with --entry <n> (1 to ${entries.length})`);
  }
  const request = entries[index]!.request ?? {};
  if (!request.url) throw usageError(`${file}: entry ${index + 1} has no request URL`);
  const headers: Record<string, string> = {};
  for (const h of request.headers ?? []) if (h.name && h.value !== undefined && !h.name.startsWith(':')) headers[h.name.toLowerCase()] = h.value;
  const body = request.postData?.text;
  if (body !== undefined && request.postData?.mimeType && !headers['content-type']) headers['content-type'] = request.postData.mimeType;
  return { method: (request.method ?? 'GET').toUpperCase(), url: parseUrl(request.url, file), headers, ...(body ? { body } : {}), from: `${file} entry ${index + 1}` };
}

/** `GET https://api.dingtalk.com/v1.0/...` (+ --data). */
export function parseMethodUrl(words: string[], data?: string): ReplayTarget {
  const [first, second] = words;
  const [method, url] = isMethod(first) ? [first!.toUpperCase(), second] : ['GET', first];
  if (!url) throw usageError('replay: give METHOD URL, a curl command line, or a HAR file');
  return {
    method: data !== undefined && !isMethod(first) ? 'POST' : method,
    url: parseUrl(url, 'replay'),
    headers: data !== undefined ? { 'content-type': /^\s*[[{]/.test(data) ? 'application/json' : 'application/x-www-form-urlencoded' } : {},
    ...(data !== undefined ? { body: data } : {}),
    from: 'arguments',
  };
}

/** Headers never replayed: old credentials, cookies, and what the HTTP layer sets itself. */
const DROPPED_HEADERS = /^(x-acs-dingtalk-access-token|authorization|proxy-authorization|cookie|host|content-length|connection|transfer-encoding|accept-encoding|keep-alive|upgrade|te|trailer)$/i;

/** Removes every old token (header, Authorization, ?access_token=) and says what was removed (names only). */
export function stripTokens(target: ReplayTarget): { target: ReplayTarget; stripped: string[] } {
  const stripped: string[] = [];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(target.headers)) {
    if (DROPPED_HEADERS.test(name)) {
      if (/token|authorization|cookie/i.test(name)) stripped.push(`header ${name}`);
    } else headers[name] = value;
  }
  const url = new URL(target.url);
  for (const key of [...url.searchParams.keys()]) {
    if (key.toLowerCase() === 'access_token') {
      url.searchParams.delete(key);
      stripped.push('query access_token');
    }
  }
  return { target: { ...target, url, headers }, stripped: [...new Set(stripped)] };
}

/** The request to send: re-aimed at the bases, with the fresh token where that API family expects it. */
export function replayRequest(target: ReplayTarget, token: string, bases: Bases): HttpRequest {
  const aimed = retarget(target.url, bases);
  if (!aimed) {
    throw usageError(
      `will not send a DingTalk token to ${target.url.host}: replay only talks to api.dingtalk.com, oapi.dingtalk.com or the --base-url`,
      'point --base-url at that host if it is your own gateway',
    );
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
