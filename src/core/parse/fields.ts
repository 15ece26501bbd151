/**
 * Format-agnostic field extraction: one block of text (a JSON body, Node inspect output,
 * a Java map, a Go SDKError, a log line…) → the DingTalk error fields it carries.
 * Keys are matched case-insensitively, quoted or not, with `:` or `=` (JSON, JS inspect,
 * Python dict, Java map notation, Go's `Key: value`), so one set of patterns covers every
 * shape in dingtalk-facts.md §2–§4 instead of one parser per shape.
 */
import type { ApiRef, ErrorRecord } from '../types.js';
import { maskCredentials } from '../../redact.js';
import { decodeHtml, normalizeDumps } from './normalize.js';
import { evidenceIn } from './platform.js';
import { anyCase, hasAnyOf, once, type GuardedPattern } from '../../values.js';
import { hasDingTalkCodeShape, isCodeName, isInteger, listItems, unescapeQuotes } from '../text-scan.js';

export type Fields = Omit<ErrorRecord, 'source'>;

// Where a key may start: not inside a word, its JSON-escaping backslashes taken from the start of
// their run. A match may also start right after a backslash (as before), but a start in the middle
// of a run never rescans the rest of it: linear on a line of backslashes (it was quadratic).
const KEY_START = String.raw`(?:(?<![\w.\\])\\*|(?<=\\))`;
// `key` then optional closing quote (maybe JSON-escaped), then `:` or `=`.
const KEY = (names: string) => String.raw`${KEY_START}["']?(?:${names})\\*["']?\s*[:=]\s*`;
// The value on the same line: Go's SDKError prints an empty `Code: ` with `Message: …` below it.
const KEY_SAME_LINE = (names: string) => String.raw`${KEY_START}["']?(?:${names})\\*["']?[ \t]*[:=][ \t]*`;
// A quoted value (JSON, inspect, Python) — the closing quote matches the opening one, maybe
// JSON-escaped (`\"`). Linear: a run of backslashes is taken whole and only when a plain
// character follows, so there is one way to match (`"` + 40 KB of `\` took 17 s before).
const QUOTED = String.raw`\\*(?<q>["'])((?:(?!\k<q>)[^\n\\]|\\+(?![\\\n]|\k<q>))*)\\*\k<q>`;

const MAKE = {
  code: once(() => new RegExp(KEY_SAME_LINE(anyCase('code')) + String.raw`(?:${QUOTED}|([A-Za-z][\w.\-]*|-?\d+))`, 'g')),
  errcode: once(() => new RegExp(KEY(anyCase('err_?code')) + String.raw`\\*["']?(-?\d+)`)),
  subCode: once(() => new RegExp(KEY(anyCase('sub_?code')) + String.raw`\\*["']?([\w.\-]+)`)),
  requestId: once(() => new RegExp(KEY(anyCase('request_?id')) + String.raw`(?:${QUOTED}|([\w\-]+))`)),
  teaRequestId: once(() => /request id: ([\w-]+)/i),
  message: once(() => new RegExp(String.raw`${KEY_START}["']?(${anyCase('sub_?msg|message|err_?msg')})\\*["']?\s*[:=]\s*(?:${QUOTED}|([^\n]+))`, 'g')),
  status: once(() => new RegExp(KEY(anyCase('status_?code|status|http_?status')) + String.raw`\\*["']?([1-5]\d\d)(?!\d)`)),
  statusLine: once(() => /^(?:< )?HTTP\/\d(?:\.\d)?\s+([1-5]\d\d)\b/m),
  teaStatus: once(() => /(?<![\w.])code: ([1-5]\d\d), /),
  // A list holds no brackets and is bounded: an unclosed `[` repeated along a huge line must not cost O(n²).
  requiredScopes: once(() => new RegExp(String.raw`${KEY_START}["']?${anyCase('requiredScopes')}\\*["']?\s*[:=]\s*\[([^[\]]{0,2000})\]`, 'g')),
  scopeInMessage: once(() => /应用尚未开通所需的权限\s*[：:]\s*\[([^[\]]{1,2000})\]/g),
  forbiddenToken: once(() => /(?<![\w.])(Forbidden(?:\.[A-Za-z]\w*)+)/),
  callerIp: once(() => /request ip\s*[=:]\s*([0-9A-Fa-f:.]{3,45})/i),
  appKeyParen: once(() => /appKey\s*\(\s*([\w\-]+)\s*\)/i),
  applyLink: once(() => /appscope\/apply\?content=([\w\-]+)(?:%23|#)/i),
  requestLine: once(() => /^(?:> )?(GET|POST|PUT|DELETE|PATCH|HEAD)\s+(\S+)\s+HTTP\/\d/m),
  hostHeader: once(() => /^(?:> )?Host:\s*([\w.\-]+(?::\d+)?)\s*$/im),
  methodUrl: once(() => /\b(GET|POST|PUT|DELETE|PATCH)\b[\s:]+(https?:\/\/(?:api|oapi)\.dingtalk\.(?:com|io)\/[^\s"'<>,)\]}\\]*)/),
  methodPath: once(() => /\b(GET|POST|PUT|DELETE|PATCH)\s+(\/(?:v1\.0|v2\.0|topapi)\/[^\s"'<>,)\]}\\]*)/),
  bareUrl: once(() => /https?:\/\/((?:api|oapi)\.dingtalk\.(?:com|io))(\/[^\s"'<>,)\]}\\]*)/),
  // HTTP-client dumps (axios `config`, got `options`, JSON of them): `url: '…'` and `method: 'post'` keys.
  keyedUrl: once(() => /(?<![\w.])["']?url["']?\s*[:=]\s*["']?(https?:\/\/(?:api|oapi)\.dingtalk\.(?:com|io)\/[^\s"'<>\\]*)/i),
  keyedMethod: once(() => /(?<![\w.])["']?method["']?\s*[:=]\s*["'](get|post|put|delete|patch)["']/i),
  // TOP API names in legacy messages: `apiPath(dingtalk.oapi.v2.department.listsub)`, `ApiName = dingtalk.oapi.app.remove_auth`.
  topName: once(() => /(?:apiPath\s*\(\s*|ApiName\s*[=:]\s*|[?&]method=)(dingtalk\.oapi\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/),
  // Status words of HTTP clients: axios `Request failed with status code 403`, got `Response code 403 (Forbidden)`,
  // Python requests `400 Client Error: Bad Request for url: …`, fetch logs `<url> 403 {…` (the URL's rest
  // stops at the next `dingtalk.`, so a line of repeated URLs is not rescanned from each: linear).
  // (three patterns, each run only where its words are: one pattern of all three compiled on any text naming dingtalk.com/)
  clientStatusPhrase: once(() => /(?:status code|Response code)\s+([1-5]\d\d)\b/),
  clientStatusError: once(() => /\b([45]\d\d) (?:Client|Server) Error\b/),
  clientStatusUrl: once(() => /dingtalk\.(?:com|io)\/(?:(?!dingtalk\.)[^\s"'<>])*\s+([1-5]\d\d)(?=\s|$|[{:,])/),
  // Node/Python HTTP-client error codes (`ERR_BAD_REQUEST`, `ECONNRESET`, `UND_ERR_SOCKET`): never DingTalk's.
  clientCode: once(() => /^(?:ERR_[A-Z0-9_]+|UND_ERR_[A-Z0-9_]+|E(?:CONN[A-Z]+|TIMEDOUT|NOTFOUND|AI_AGAIN|PIPE|HOSTUNREACH|NETUNREACH|PROTO|CANCELED))$/),
  nodeFrame: once(() => /at (?:async )?(?:Client\.)?(\w+) \([^)\n]*@alicloud[\\/]dingtalk[\\/]dist[\\/](\w+)[\\/]client\.js/),
  nodeModule: once(() => /@alicloud[\\/]dingtalk[\\/]dist[\\/](\w+)[\\/]client\.js/),
  nodeMethod: once(() => /\bClient\.(\w+WithOptions)\b/),
  pyFrame: once(() => /alibabacloud_dingtalk[\\/](\w+)[\\/]client\.py", line \d+, in (\w+)/),
  javaFrame: once(() => /com\.aliyun\.dingtalk(\w+?)\.Client\.(\w+)\(/),
  // PHP: AlibabaCloud\SDK\Dingtalk\Vcalendar_1_0\Dingtalk->createEventWithOptions(
  phpFrame: once(() => /AlibabaCloud\\SDK\\Dingtalk\\V(\w+?)\\Dingtalk->(\w+)\(/),
  // C#: AlibabaCloud.SDK.Dingtalkcalendar_1_0.Client.CreateEventWithOptions(
  csFrame: once(() => /AlibabaCloud\.SDK\.Dingtalk(\w+?)\.Client\.(\w+)\(/),
  // Go (a panic or a debug.Stack()): github.com/alibabacloud-go/dingtalk/calendar_1_0.(*Client).CreateEventWithOptions(
  goFrame: once(() => /alibabacloud-go\/dingtalk\/(\w+)\.\(\*Client\)\.(\w+)\(/),
};
type PatternName = keyof typeof MAKE;
/** The pattern of that name, made at its first use (see once): a text runs a handful of these ≈ 40, by their words below. */
const RE = (name: PatternName): RegExp => MAKE[name]();

/**
 * The words (lower case) a pattern cannot match without. A pattern is run only on a text that has
 * one of them (`may`; the text is lower-cased once, which keeps every word an `i` flag would find):
 * most patterns never run on a given body, and a pattern never run is never compiled (V8 compiles
 * one at its first use, ≈ 0.1 ms each: a sizeable part of a one-body diagnose).
 */
const WORDS: { readonly [K in PatternName]?: readonly string[] } = {
  code: ['code'],
  errcode: ['errcode', 'err_code'],
  subCode: ['subcode', 'sub_code'],
  requestId: ['requestid', 'request_id'],
  teaRequestId: ['request id: '],
  message: ['msg', 'message'],
  status: ['status'],
  statusLine: ['http/'],
  teaStatus: ['code: '],
  requiredScopes: ['requiredscopes'],
  scopeInMessage: ['应用尚未开通所需的权限'],
  forbiddenToken: ['forbidden.'],
  callerIp: ['request ip'],
  appKeyParen: ['appkey'],
  applyLink: ['appscope/apply?content='],
  hostHeader: ['host:'],
  keyedUrl: ['url'],
  methodUrl: ['api.dingtalk.'],
  bareUrl: ['api.dingtalk.'],
  clientStatusPhrase: ['status code', 'response code'],
  clientStatusError: [' client error', ' server error'],
  clientStatusUrl: ['dingtalk.com/', 'dingtalk.io/'],
};

/** Whether RE(name) may match a text, given the text lower-cased. */
function may(name: PatternName, lower: string): boolean {
  const words = WORDS[name];
  return !words || hasAnyOf(lower, words);
}

/** The key patterns whose names anyCase spells in both cases: test/pattern-words.test.ts holds them to what `i` would match. */
export const caselessKeyPatterns = (): readonly RegExp[] => (['code', 'errcode', 'subCode', 'requestId', 'message', 'status', 'requiredScopes'] as const).map(RE);

/** The patterns with their words, for the test that each pattern needs one of its words. */
export const fieldPatterns = (): readonly GuardedPattern[] => Object.entries(WORDS).map(([name, words]) => [RE(name as PatternName), words!]);

/** Words (lower case) that place a block in DingTalk's context. */
const DINGTALK_CONTEXT = ['dingtalk', '钉钉', 'ding talk', '@alicloud', 'teaexception', 'sdkerror', 'requiredscopes', 'accessdenieddetail', 'request id: '];

/** The scope codes of a list (hand-written scans: the three patterns they replace cost ≈ 0.4 M instructions to compile, measured). */
function splitScopes(list: string): string[] {
  return listItems(list)
    // `[Array]` / `[Object]` are Node's inspect placeholders for nested values, not scopes.
    .filter((s) => isCodeName(s, 2, 100) && s !== 'Array' && s !== 'Object');
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** `code: 403, <message> request id: <id>` (the Tea SDK message) → `<message>`. */
function cleanMessage(m: string): string {
  let s = m.trim();
  // (each pattern only where its words are: most messages are not the Tea SDK's)
  if (s.includes('code: ')) s = s.replace(/^(?:[\w.]+: )?code: \d{3}, /, '');
  if (s.toLowerCase().includes('request id: ')) s = s.replace(/\s*request id: [\w-]+\s*$/i, '');
  // A log that quoted the Tea message but lost the closing quote (`code: 400, "Invalid access_token request id: …`).
  s = s.trim();
  if ((s[0] === '"' || s[0] === "'") && !s.endsWith(s[0])) s = s.slice(1);
  return s.trim();
}

/** An unquoted message value (Java map `submsg=…`) ends before `, {` or the wrapper's closing `]`. */
function cutUnquoted(v: string): string {
  const cut = /,\s*\{|,\s*["']?[A-Za-z_]\w*["']?\s*=/.exec(v);
  // A quoted value wrapped over lines by a terminal or a paste (`message: '访问ip…request ip=1.2.3.4 ⏎ appKey(…)'`) loses its closing quote.
  let s = (cut ? v.slice(0, cut.index) : v).trim().replace(/^['"]/, '');
  // Drop closing brackets that belong to the wrapper, not to the message (`…：[X]]`).
  const count = (re: RegExp) => (s.match(re) ?? []).length;
  while (/[\]}]$/.test(s) && (s.endsWith(']') ? count(/\]/g) > count(/\[/g) : count(/\}/g) > count(/\{/g))) s = s.slice(0, -1).trimEnd();
  return s;
}

function decodeJsonEscapes(text: string): string {
  if (!text.includes('\\u')) return text;
  // `\\u5e94` too: a body JSON-encoded twice (Python `json.dumps` of a `json.dumps` string, ASCII-escaped both times).
  return text.replace(/\\+u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function pathOf(urlOrPath: string): { path: string; host: string | null } {
  let s = urlOrPath.trim();
  let host: string | null = null;
  const m = /^https?:\/\/([^/\s?#]+)(.*)$/i.exec(s);
  if (m) {
    host = m[1]!.toLowerCase();
    s = m[2] || '/';
  }
  s = s.replace(/\\?[?#].*$/, '');
  return { path: s || '/', host };
}

/**
 * `dingtalk.oapi.v2.department.listsub` → `/topapi/v2/department/listsub`: DingTalk's TOP gateway names
 * the legacy APIs it serves under /topapi/ this way (the official TOP SDK's `OapiV2DepartmentListsubRequest`
 * posts `dingtalk.oapi.v2.department.listsub` to /topapi/v2/department/listsub). A few older APIs live
 * without the /topapi prefix (`/user/get`); diagnose.ts (resolveApi) tries that twin against the catalog.
 */
export function topApiPath(name: string): string {
  return `/topapi/${name.replace(/^dingtalk\.oapi\./, '').split('.').join('/')}`;
}

/** `curl … URL`: -X/--request, else POST when it sends data, else GET (curl's own default). */
function curlMethod(text: string): string | null {
  const cmd = /(?:^|\s|\$ ?)curl\s[^\n]*(?:\\\n[^\n]*)*/.exec(text)?.[0];
  if (!cmd) return null;
  const x = /(?:-X|--request)\s*['"]?([A-Za-z]+)/.exec(cmd);
  if (x) return x[1]!.toUpperCase();
  return /\s(?:-d|--data(?:-raw|-binary|-urlencode)?|--json|-F|--form)\b/.test(cmd) ? 'POST' : 'GET';
}

/** The request named in the block itself: an HTTP dump or client dump is the same `exchange`, a URL on the error's own `line`. */
function apiFrom(text: string, lower = text.toLowerCase()): ApiRef | null {
  // Each pattern only where its literal part occurs: a pattern never run is never compiled (V8
  // compiles one at its first use, ≈ 0.1 ms each: a sizeable part of a one-body diagnose).
  const host = () => (may('hostHeader', lower) ? RE('hostHeader').exec(text)?.[1]?.toLowerCase() : null) ?? null;
  const line = text.includes('HTTP/') ? RE('requestLine').exec(text) : null;
  if (line) {
    const p = pathOf(line[2]!);
    return { method: line[1]!, path: p.path, host: p.host ?? host(), via: 'exchange' };
  }
  // The URL patterns below all need `api.dingtalk.` or `oapi.dingtalk.`: a text that only links
  // DingTalk's documents (open.dingtalk.com, in most 403 messages) runs none of them.
  const dingtalkApi = may('methodUrl', lower);
  // An HTTP-client dump: the request's `url` and `method` keys (axios config, got options, their JSON).
  const keyed = dingtalkApi && may('keyedUrl', lower) ? RE('keyedUrl').exec(text) : null;
  const keyedMethod = keyed ? RE('keyedMethod').exec(text) : null;
  if (keyed && keyedMethod) {
    const p = pathOf(keyed[1]!);
    return { method: keyedMethod[1]!.toUpperCase(), path: p.path, host: p.host, via: 'exchange' };
  }
  const mu = dingtalkApi ? RE('methodUrl').exec(text) : null;
  if (mu) {
    const p = pathOf(mu[2]!);
    return { method: mu[1]!, path: p.path, host: p.host, via: 'line' };
  }
  const mp = text.includes('/v1.0/') || text.includes('/v2.0/') || text.includes('/topapi/') ? RE('methodPath').exec(text) : null;
  if (mp) return { method: mp[1]!, path: pathOf(mp[2]!).path, host: host(), via: 'line' };
  const bare = dingtalkApi ? RE('bareUrl').exec(text) : null;
  if (bare) return { method: curlMethod(text), path: pathOf(bare[2]!).path, host: bare[1]!.toLowerCase(), via: 'line' };
  const top = text.includes('dingtalk.oapi.') ? RE('topName').exec(text) : null;
  if (top) return { method: null, path: topApiPath(top[1]!), host: 'oapi.dingtalk.com', apiName: top[1]!, via: 'line' };
  return null;
}


/** Each SDK's frame pattern with the package name it cannot match without (checked first: see apiFrom). */
const SDK_FRAMES: ReadonlyArray<readonly [string, RegExp]> = [
  ['com.aliyun.dingtalk', RE('javaFrame')],
  ['AlibabaCloud\\SDK\\Dingtalk', RE('phpFrame')],
  ['AlibabaCloud.SDK.Dingtalk', RE('csFrame')],
  ['alibabacloud-go/dingtalk/', RE('goFrame')],
];

function sdkFrom(text: string): { module: string; method: string } | null {
  if (text.includes('@alicloud')) {
    const frame = RE('nodeFrame').exec(text);
    if (frame) return { module: frame[2]!, method: frame[1]! };
    const mod = RE('nodeModule').exec(text);
    const meth = mod && RE('nodeMethod').exec(text);
    if (mod && meth) return { module: mod[1]!, method: meth[1]! };
  }
  const py = text.includes('alibabacloud_dingtalk') ? RE('pyFrame').exec(text) : null;
  // Python's name as written: the catalog knows every operation under its Python spelling (catalog/sdk-names.ts).
  if (py) return { module: py[1]!, method: py[2]! };
  for (const [needle, re] of SDK_FRAMES) {
    const frame = text.includes(needle) ? re.exec(text) : null;
    if (frame) return { module: frame[1]!, method: frame[2]! };
  }
  return null;
}

export interface ExtractOptions {
  /**
   * The text is known to be a DingTalk HTTP answer (check, replay, a HAR entry on a DingTalk host):
   * any `code` is DingTalk's, even one of a shape we have not seen (`InvalidAction.NotFound`).
   */
  trusted?: boolean;
}

/**
 * The matches of a /g key pattern, as matchAll finds them, but without the exec that finds none
 * after the first match when the rest of the text holds none of the pattern's words: V8 answers a
 * pattern's second exec by compiling it again, to machine code (≈ half its first compile, 0.05–0.15
 * ms for these), and most texts hold one key of a kind. A match holds one of its words (its key).
 */
function keyMatches(name: 'code' | 'message' | 'requiredScopes', text: string): RegExpExecArray[] {
  const re = RE(name);
  const found: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    found.push(m);
    if (m[0] === '') re.lastIndex++; // (a key is never empty; as matchAll would, should one be)
    // (the rest lower-cased on its own, not read from the caller's `lower`: toLowerCase may change a
    // text's length, so an index of `text` need not be one of `lower`)
    if (found.length === 1 && !hasAnyOf(text.slice(re.lastIndex).toLowerCase(), WORDS[name]!)) break;
  }
  re.lastIndex = 0;
  return found;
}

/** The codes of a block: DingTalk-shaped names first, a numeric `code`, the Tea message's status, errcode, sub_code. */
function codesOf(text: string, lower: string) {
  // An HTTP-client dump carries its own `code: 'ERR_BAD_REQUEST'` before DingTalk's
  // (axios: the error's code, then `response.data.code`): skip client codes, prefer DingTalk-shaped ones.
  const names: string[] = [];
  let numericCode: string | null = null;
  let teaStatus: number | null = null;
  for (const m of may('code', lower) ? keyMatches('code', text) : []) {
    const v = (m[2] ?? m[3] ?? '').trim();
    if (!v) continue;
    // (hand-written tests, as are DingTalk's code shapes below: each pattern cost ≈ 0.08 M instructions to compile, DINGTALK_CODE's 0.4 M, measured)
    if (isInteger(v)) {
      // `code: 403, …` unquoted and followed by ", " is the Tea SDK message: an HTTP status.
      const after = text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 2);
      if (m[3] !== undefined && /^[1-5]\d\d$/.test(v) && after === ', ') teaStatus ??= Number(v);
      else numericCode ??= v;
    } else if (isCodeName(v) && !((v[0] === 'E' || v[0] === 'U') && RE('clientCode').test(v))) names.push(v);
  }
  const subCodeMatch = may('subCode', lower) ? RE('subCode').exec(text) : null;
  // Codes of the DingTalk shape, so that random `code: 'ENOENT'` log lines are not taken for DingTalk errors.
  const shaped = names.find(hasDingTalkCodeShape);
  return {
    newCode: shaped ?? names[0] ?? null,
    /** newCode has DingTalk's shape (asked once here). */
    newCodeShaped: shaped !== undefined,
    numericCode,
    teaStatus,
    errcode: (may('errcode', lower) ? RE('errcode').exec(text)?.[1] : null) ?? null,
    subCode: subCodeMatch && subCodeMatch[1] !== '0' ? subCodeMatch[1]! : null,
    forbidden: (may('forbiddenToken', lower) ? RE('forbiddenToken').exec(text)?.[1] : null) ?? null,
  };
}

type Codes = ReturnType<typeof codesOf>;

function scopesOf(text: string, lower: string): string[] {
  const scopes: string[] = [];
  if (may('requiredScopes', lower)) for (const m of keyMatches('requiredScopes', text)) scopes.push(...splitScopes(m[1]!));
  if (may('scopeInMessage', lower)) for (const m of text.matchAll(RE('scopeInMessage'))) scopes.push(...splitScopes(m[1]!));
  return uniq(scopes);
}

interface Signals {
  codes: Codes;
  requiredScopes: string[];
  api: ApiRef | null;
  statusKey: number | null;
  clientStatus: number | null;
}

/** The HTTP status in an HTTP client's words: the leftmost of the three shapes (they start with different characters). */
function clientStatusOf(text: string, lower: string): number | null {
  let first: RegExpExecArray | null = null;
  for (const name of ['clientStatusPhrase', 'clientStatusError', 'clientStatusUrl'] as const) {
    const m = may(name, lower) ? RE(name).exec(text) : null;
    if (m && (!first || m.index < first.index)) first = m;
  }
  return first ? Number(first[1]) : null;
}

/** Whether the block holds a DingTalk error at all (not a success `errcode: 0`, not a foreign `code: 'ENOENT'`). */
interface ErrorKind {
  clientError: boolean;
  oldDenial: boolean;
  /** A DingTalk-shaped (or trusted) new-API code, or a `Forbidden.…` token. */
  hasDingTalkCode: boolean;
}

function isDingTalkError(text: string, lower: string, s: Signals, options: ExtractOptions): ErrorKind | null {
  const { newCode, newCodeShaped, numericCode, teaStatus, errcode, subCode, forbidden } = s.codes;
  const legacyError = errcode !== null && errcode !== '0';
  if (errcode === '0' && !subCode && s.requiredScopes.length === 0 && !forbidden) return null;
  const context = hasAnyOf(lower, DINGTALK_CONTEXT);
  const hasDingTalkCode =
    (newCode !== null && (options.trusted || newCodeShaped || context || (may('requestId', lower) && RE('requestId').test(text)))) ||
    forbidden !== null;
  const teaMessage = teaStatus !== null && may('teaRequestId', lower) && RE('teaRequestId').test(text);
  const oldDenial = text.includes('没有调用该接口的权限') || text.includes('访问ip不在白名单之中');
  // `Error code: 88, message: …` (Python dingtalk-sdk's DingTalkClientException) and other numeric codes in a DingTalk context.
  const numericDingTalk = numericCode !== null && numericCode !== '0' && (context || options.trusted === true);
  // An HTTP client's error for a DingTalk URL with no body in it (axios `toJSON()`, got's message line):
  // the status and the API are still facts worth a finding.
  const clientError =
    !!s.api?.host && /dingtalk\.(?:com|io)$/.test(s.api.host) &&
    ((s.clientStatus ?? s.statusKey ?? 0) >= 400) &&
    /AxiosError|isAxiosError|HTTPError|Request failed with status code|Response code \d|Client Error|Server Error/.test(text);
  const any = legacyError || subCode || s.requiredScopes.length > 0 || hasDingTalkCode || teaMessage || oldDenial || numericDingTalk || clientError;
  return any ? { clientError, oldDenial, hasDingTalkCode } : null;
}

/** The code to report and the HTTP status a `{"errcode": 403, "errmsg": "Forbidden…"}` wrapper implies. */
function pickCode(c: Codes, hasDingTalkCode: boolean): { code: string | null; httpFromWrapper: number | null } {
  const legacyError = c.errcode !== null && c.errcode !== '0';
  if (c.newCode && (hasDingTalkCode || !legacyError)) return { code: c.newCode, httpFromWrapper: null };
  if (legacyError) {
    // `{"errcode": 403, "errmsg": "Forbidden.AccessDenied…: …"}`: the real code is in errmsg.
    if (/^[45]\d\d$/.test(c.errcode!) && c.forbidden) return { code: c.forbidden, httpFromWrapper: Number(c.errcode) };
    return { code: c.errcode, httpFromWrapper: null };
  }
  return { code: c.forbidden ?? c.newCode ?? (c.numericCode && c.numericCode !== '0' ? c.numericCode : null), httpFromWrapper: null };
}

/** The message to display: the legacy sub_msg, then message, then errmsg, then what the shape implies. */
function messageOf(text: string, lower: string, teaStatus: number | null, kind: ErrorKind): string | null {
  const messages = new Map<string, string>();
  for (const m of may('message', lower) ? keyMatches('message', text) : []) {
    const key = m[1]!.toLowerCase().replaceAll('_', '');
    const value = m[3] !== undefined ? m[3] : cutUnquoted(m[4] ?? '');
    if (!messages.has(key) && value.trim()) messages.set(key, value);
  }
  let message = messages.get('submsg') ?? messages.get('message') ?? messages.get('errmsg') ?? null;
  // `ding talk error[subcode=60011,submsg=权限不足, {requiredScopes=[…]}]` / `Invalid method[submsg=…]`: the
  // wrapper's own text is in submsg (Java map notation inside the errmsg string).
  const inner = message?.includes('submsg=') ? /\[(?:subcode=[\w.\-]+,\s*)?submsg=([^\n]*)$/.exec(message) : null;
  if (inner) message = cutUnquoted(inner[1]!) || message;
  if (!message && teaStatus !== null) message = /code: \d{3}, (.*?) request id: /.exec(text)?.[1] ?? null;
  if (!message && kind.clientError) message = /Request failed with status code \d{3}|Response code \d{3} \([^)\n]*\)|\d{3} (?:Client|Server) Error: [^\n]*? for url/.exec(text)?.[0] ?? null;
  // `code=Forbidden.AccessDenied.AccessTokenPermissionDenied 没有调用该接口的权限`: the words follow the code, unkeyed.
  if (!message && kind.oldDenial) message = /(?:没有调用该接口的权限|访问ip不在白名单之中)[^\n]*/.exec(text)?.[0] ?? null;
  // (string replaces, not patterns: ≈ 0.07 M instructions each to compile, measured)
  if (message) message = cleanMessage(maskCredentials(unescapeQuotes(message.replaceAll('\\n', ' ')))) || null;
  return message;
}

/**
 * The error fields of one block, or null when the block holds no DingTalk error
 * (no code/errcode/scope, a success `errcode: 0`, or a foreign `code: 'ENOENT'`).
 */
export function extractFields(raw: string, options: ExtractOptions = {}): Fields | null {
  const text = normalizeDumps(decodeHtml(decodeJsonEscapes(raw)));
  const lower = text.toLowerCase();
  const find = (name: PatternName) => (may(name, lower) ? RE(name).exec(text) : null);
  const codes = codesOf(text, lower);
  const statusKey = find('status');
  const signals: Signals = {
    codes,
    requiredScopes: scopesOf(text, lower),
    api: apiFrom(text, lower),
    statusKey: statusKey ? Number(statusKey[1]) : null,
    clientStatus: clientStatusOf(text, lower),
  };
  const kind = isDingTalkError(text, lower, signals, options);
  if (!kind) return null;
  const { code, httpFromWrapper } = pickCode(codes, kind.hasDingTalkCode);
  const statusLine = find('statusLine');
  const httpStatus = statusLine ? Number(statusLine[1]) : (signals.statusKey ?? codes.teaStatus ?? signals.clientStatus ?? httpFromWrapper);
  const rid = find('requestId');
  const requestId = ((rid ? (rid[2] ?? rid[3]) : null) ?? find('teaRequestId')?.[1] ?? null)?.trim() || null;
  return {
    httpStatus,
    code,
    subCode: codes.subCode,
    message: messageOf(text, lower, codes.teaStatus, kind),
    requestId,
    requiredScopes: signals.requiredScopes,
    api: signals.api,
    sdk: sdkFrom(text),
    callerIp: find('callerIp')?.[1]?.replace(/[.:]+$/, '') ?? null,
    appKey: find('appKeyParen')?.[1] ?? find('applyLink')?.[1] ?? null,
    evidence: evidenceIn(text, lower),
  };
}

/** What a context line (a curl command, a log line naming the URL) tells about the block below it. */
export function requestFrom(text: string): { api: ApiRef | null; httpStatus: number | null } {
  const lower = text.toLowerCase();
  return { api: apiFrom(text, lower), httpStatus: clientStatusOf(text, lower) };
}
