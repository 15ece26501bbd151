/**
 * A copied `curl …` command line → the request curl would send, read the way curl reads it:
 * options that take a value take it (curl-options.ts), single-letter options bundle (`-sXPOST`),
 * the implied methods hold (-d → POST, -I → HEAD, -G → GET with the data in the query), and the
 * credentials curl sends from options (-u, --oauth2-bearer, -b, --proxy-user) are collected to be
 * dropped, never taken for the URL. Pure.
 */
import { errorText, uiError } from '../render/messages.js';
import { CURL_LONG_OPTIONS_WITH_VALUE, CURL_SHORT_OPTIONS_WITH_VALUE } from './curl-options.js';
import { parseUrl, type Credential, type ReplayTarget } from './replay-target.js';

/** Splits a shell command line the way bash would for curl commands copied from browsers and docs. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const s = line.replace(/\\\r?\n/g, ' ').replace(/\^\r?\n/g, ' ');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw uiError('err.curl.single-quote');
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
      if (j >= s.length) throw uiError('err.curl.double-quote');
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

/** The letters we act on, by their long name. */
const SHORT_NAMES: Record<string, string> = {
  '-X': '--request', '-H': '--header', '-d': '--data', '-b': '--cookie', '-u': '--user', '-U': '--proxy-user', '-x': '--proxy',
  '-T': '--upload-file', '-F': '--form', '-K': '--config', '-G': '--get', '-I': '--head', '-:': '--next',
};
const DATA_OPTIONS = new Set(['--data', '--data-ascii', '--data-binary', '--data-raw', '--data-urlencode', '--json']);
/** Options whose effect a replay cannot reproduce: refused rather than sent differently. */
/** curl options a replay cannot honour: the message id of the reason. */
const NOT_REPLAYED: Record<string, string> = {
  '--form': 'err.curl.form',
  '--form-string': 'err.curl.form-string',
  '--upload-file': 'err.curl.upload',
  '--config': 'err.curl.config',
  '--next': 'err.curl.next',
  '--request-target': 'err.curl.request-target',
};
/** Shell words that end the curl command (`curl … | jq .`, `curl … > out.json`). */
const SHELL_END = /^(\||\|\||&&|;|&|>|>>|2>|2>&1|<)$/;
/** An HTTP method is a token (RFC 9110 §9.1): nothing that could split a request line. */
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `--data-urlencode` (and `--url-query`): `content`, `=content`, `name=content` → encoded as curl does. */
function urlencoded(value: string): string {
  const eq = value.indexOf('=');
  if (eq < 0) return encodeURIComponent(value);
  return `${value.slice(0, eq)}${eq === 0 ? '' : '='}${encodeURIComponent(value.slice(eq + 1))}`;
}

interface CurlState {
  method: string | null;
  url: string | null;
  headers: Record<string, string>;
  data: string[];
  query: string[];
  get: boolean;
  head: boolean;
  credentials: Credential[];
}

function applyOption(state: CurlState, name: string, value: string): void {
  if (name.startsWith('--expand-')) throw uiError('err.curl.expand', { option: name });
  if (name in NOT_REPLAYED) throw uiError(NOT_REPLAYED[name]!);
  if (name === '--request') {
    if (!METHOD_TOKEN.test(value)) throw uiError('err.curl.bad-method');
    state.method = value.toUpperCase();
  } else if (name === '--header') {
    if (value.startsWith('@')) throw uiError('err.curl.header-file');
    const colon = value.indexOf(':');
    if (colon > 0 && value.slice(colon + 1).trim() !== '') state.headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim();
  } else if (DATA_OPTIONS.has(name)) {
    if (name !== '--data-raw' && /^[^=]*@/.test(value) && (name !== '--data-urlencode' || !value.includes('='))) {
      throw uiError('err.curl.data-file', { option: `${name} ${value.startsWith('@') ? '@file' : 'name@file'}` });
    }
    state.data.push(name === '--data-urlencode' ? urlencoded(value) : value);
    if (name === '--json') {
      state.headers['content-type'] ??= 'application/json';
      state.headers.accept ??= 'application/json';
    }
  } else if (name === '--url-query') state.query.push(value.startsWith('+') ? value.slice(1) : urlencoded(value));
  else if (name === '--url') state.url ??= value;
  else if (name === '--user') state.credentials.push({ where: 'curl -u', value });
  else if (name === '--proxy-user') state.credentials.push({ where: 'curl --proxy-user', value });
  else if (name === '--oauth2-bearer') state.credentials.push({ where: 'curl --oauth2-bearer', value });
  // -b is cookie data when it holds a "=", else the name of a cookie file (read by curl, not by us).
  else if (name === '--cookie' && value.includes('=')) state.credentials.push({ where: 'curl -b', value });
  else if (name === '--proxy' || name === '--preproxy') {
    const userinfo = /^[a-z0-9+.-]*:\/\/([^/@]+)@/i.exec(value)?.[1];
    if (userinfo) state.credentials.push({ where: `curl ${name}`, value: decodeURIComponentSafe(userinfo) });
  }
}

const decodeURIComponentSafe = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

function applySwitch(state: CurlState, name: string): void {
  if (name in NOT_REPLAYED) throw uiError(NOT_REPLAYED[name]!);
  if (name === '--get') state.get = true;
  else if (name === '--head') state.head = true;
}

/** Walks the words as curl's option parser does. */
function readWords(words: string[]): CurlState {
  const state: CurlState = { method: null, url: null, headers: {}, data: [], query: [], get: false, head: false, credentials: [] };
  const valueAfter = (i: number, name: string) => {
    const value = words[i + 1];
    if (value === undefined) throw uiError('err.curl.needs-value', { option: name });
    return value;
  };
  let onlyUrls = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (SHELL_END.test(word)) break;
    if (onlyUrls || !word.startsWith('-') || word === '-') {
      if (state.url !== null) throw uiError('err.curl.two-urls');
      state.url = word;
    } else if (word === '--') onlyUrls = true;
    else if (word.startsWith('--')) {
      // `--name=value` is not curl syntax, but people write it; accept it for options that take a value.
      const eq = /^(--[a-z0-9.-]+)=(.*)$/s.exec(word);
      const name = eq && takesValue(eq[1]!) ? eq[1]! : word;
      if (!takesValue(name)) applySwitch(state, name);
      else if (eq && name === eq[1]) applyOption(state, name, eq[2]!);
      else applyOption(state, name, valueAfter(i++, name));
    } else {
      // A bundle of letters: the first one that takes a value takes the rest of the word, or the next word.
      for (let j = 1; j < word.length; j++) {
        const letter = `-${word[j]}`;
        const name = SHORT_NAMES[letter] ?? letter;
        if (!CURL_SHORT_OPTIONS_WITH_VALUE.has(letter)) {
          applySwitch(state, name);
          continue;
        }
        const rest = word.slice(j + 1);
        applyOption(state, name, rest !== '' ? rest : valueAfter(i++, letter));
        break;
      }
    }
  }
  return state;
}

const takesValue = (name: string) => CURL_LONG_OPTIONS_WITH_VALUE.has(name) || (name.startsWith('--expand-') && CURL_LONG_OPTIONS_WITH_VALUE.has(`--${name.slice('--expand-'.length)}`));

/** A curl command line (string or words) → the request it would send. */
export function parseCurl(input: string | string[]): ReplayTarget {
  const words = typeof input === 'string' ? shellWords(input.trim()) : [...input];
  if (words[0] === 'curl' || words[0]?.endsWith('/curl') || words[0] === 'curl.exe') words.shift();
  const state = readWords(words);
  if (!state.url) throw uiError('err.curl.no-url');
  const url = parseUrl(state.url, errorText('err.curl.where'));
  let body: string | undefined;
  const toQuery = [...state.query, ...(state.get ? state.data : [])];
  if (toQuery.length) url.search = [url.search.replace(/^\?/, ''), ...toQuery].filter(Boolean).join('&');
  if (state.data.length && !state.get) body = state.data.join('&');
  if (body !== undefined && !state.headers['content-type']) state.headers['content-type'] = 'application/x-www-form-urlencoded';
  // curl's implied method: -X wins; else -I is HEAD, -G is GET, data makes it a POST.
  const method = state.method ?? (state.head ? 'HEAD' : state.get ? 'GET' : body !== undefined ? 'POST' : 'GET');
  return { method, url, headers: state.headers, ...(body !== undefined ? { body } : {}), from: 'curl command', credentials: state.credentials };
}
