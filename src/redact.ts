/**
 * Redaction: the one place that decides what of a secret may be printed (nothing). Two tools:
 *
 * - `maskCredentials(text)`: credentials recognised by their shape (`access_token=…`,
 *   `Authorization: Bearer …`, `"appSecret": "…"`, `Cookie: …`, `https://user:pass@host`),
 *   in text the user gave us or a server sent. Pure; the parser and `explainError` use it.
 * - `Redactor`: the values this run knows to be secret (config secrets after `${ENV}`
 *   expansion, every token obtained, every token stripped from a replay), replaced wherever
 *   they occur — also URL-encoded, form-encoded, JSON-escaped, base64'd, or escaped by the
 *   GitHub / Markdown renderers. `redactor` is the run's one instance; the output sink
 *   (render/output.ts) passes everything it prints through it.
 */
import { escapeRegExp, hasAnyOf, once, type GuardedPattern } from './values.js';

/** What a secret or credential is replaced with. */
export const MASK = '***';

/** A secret shorter than this is not a real DingTalk secret (config load refuses those); tokens from servers are checked too. */
export const MIN_SECRET_LENGTH = 8;

/** Key names whose value is a credential (case-insensitive; `_`, `-` or nothing between the words). */
const CREDENTIAL_KEY = String.raw`(?:x-acs-dingtalk-access-token|access[_-]?token|refresh[_-]?token|app[_-]?secret|client[_-]?secret|suite[_-]?secret|suite[_-]?ticket|corp[_-]?secret|sso[_-]?secret|jsapi[_-]?ticket|password|passwd|signature)`;
/**
 * A value in a query, form body, JSON or header: up to a delimiter; never a backslash (a JSON
 * escape stays whole), a control or a private-use character (the sink's colour marks).
 */
const VALUE = String.raw`[^\s&#"'\\,;)}\]<>\x00-\x1f\uE000-\uF8FF]+`;
/** A quote, possibly JSON-escaped (`\"` inside a JSON string). */
const QUOTE = String.raw`(?:\\?["'])`;

/** The words CREDENTIAL_KEY's names end with (lower case): a key shape needs one of them. */
const KEY_WORDS = ['token', 'secret', 'ticket', 'password', 'passwd', 'signature'];
/**
 * What follows a key's name in every key shape: a quote (maybe JSON-escaped) or white space, then
 * `:`, `=` or `%3D` (lower-cased). Prose ("AccessTokenPermissionDenied", "the access token") has none.
 */
const KEY_THEN = /[\\"'\s]*(?:[:=]|%3d)/y;

/**
 * Credential shapes. Each pattern has one capture group, the context that stays (the key, the
 * scheme); the rest of the match is the credential, replaced by MASK. `words`: the pattern cannot
 * match a text without one of them (case-insensitively), so most texts are not scanned by it, and
 * a pattern never run is never compiled (V8 compiles one at its first use: ≈ 0.1 ms each), nor
 * made (see once: V8 parses a literal when it is evaluated).
 */
const CREDENTIAL_SHAPES: ReadonlyArray<{ words: readonly string[]; then?: RegExp; pattern: () => RegExp }> = [
  // `Authorization: Bearer …` (the scheme stays), also as JSON or `-H 'authorization=…'`.
  { words: ['authorization'], pattern: once(() => new RegExp(String.raw`\b((?:proxy-)?authorization${QUOTE}?\s*[:=]\s*${QUOTE}?(?:(?:Bearer|Basic|Digest|Token|OAuth)\s+)?)${VALUE}`, 'gi')) },
  // Cookies: the whole header value (`a=b; c=d`), up to the end of the line or the closing quote.
  { words: ['cookie'], pattern: once(() => new RegExp(String.raw`\b((?:set-)?cookie${QUOTE}?\s*:\s*${QUOTE}?)[^\r\n"'\\]+`, 'gi')) },
  // HAR headers: {"name": "Authorization", "value": "…"}.
  { words: ['"name"'], pattern: once(() => new RegExp(String.raw`("name"\s*:\s*"(?:(?:proxy-)?authorization|set-cookie|cookie|${CREDENTIAL_KEY})"\s*,\s*"value"\s*:\s*")[^"]*`, 'gi')) },
  // key=value (query, fragment, form body, `;access_token=`), key%3Dvalue, "key": "value", key: 'value'.
  // (The key is written once: a name matches at most one way at a place, so this is the three
  // alternatives `key${QUOTE}?\s*=…`, `key${QUOTE}\s*:…`, `key\s*:\s*${QUOTE}`, at a third of the compile time.)
  { words: KEY_WORDS, then: KEY_THEN, pattern: once(() => new RegExp(String.raw`(${CREDENTIAL_KEY}(?:${QUOTE}?\s*(?:=|%3D)\s*${QUOTE}?|${QUOTE}\s*:\s*${QUOTE}?|\s*:\s*${QUOTE}))${VALUE}`, 'gi')) },
  // key: value unquoted (a header line, YAML, a log): the token headers always; other keys only
  // with a value that looks like a credential (has a digit), so "appSecret: expected a string" stays.
  { words: KEY_WORDS, then: KEY_THEN, pattern: once(() => new RegExp(String.raw`((?:x-acs-dingtalk-access-token|access-token)\s*:\s*|${CREDENTIAL_KEY}\s*:\s*(?=${VALUE.slice(0, -1)}*\d))${VALUE}`, 'gi')) },
  // A bearer token anywhere (a logged header, curl --oauth2-bearer); "Bearer authentication" stays.
  { words: ['bearer'], pattern: once(() => /\b(Bearer\s+)(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/g) },
  // user:password@host in a URL.
  { words: ['@'], pattern: once(() => /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+(?=@)/gi) },
];

/** The shapes' patterns with their words, for the test that each pattern needs one of its words. */
export const credentialPatterns = (): readonly GuardedPattern[] => CREDENTIAL_SHAPES.map(({ pattern, words, then }) => [pattern(), words, then]);

/**
 * The patterns that may match a text. Lower-casing finds every word the patterns' `i` flag would:
 * without the `u` flag, only ASCII letters match ASCII letters.
 */
function shapesFor(text: string): RegExp[] {
  const lower = text.toLowerCase();
  return CREDENTIAL_SHAPES.filter(({ words, then }) => hasAnyOf(lower, words, then)).map(({ pattern }) => pattern());
}

/** Masks credentials recognised by their shape (see CREDENTIAL_SHAPES). */
export function maskCredentials(text: string): string {
  let out = text;
  for (const pattern of shapesFor(text)) out = out.replace(pattern, `$1${MASK}`);
  return out;
}

/** The credential values in a text (what maskCredentials would mask), to redact them elsewhere too. */
export function credentialValues(text: string): string[] {
  const values: string[] = [];
  for (const pattern of shapesFor(text)) {
    for (const m of text.matchAll(pattern)) values.push(m[0].slice(m[1]!.length));
  }
  return values;
}

const githubEscape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
const markdownEscape = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The stretches of a base64 text that can only come from `bytes`, whatever precedes them:
 * for each of the three alignments, the full 3-byte groups (the partial ones at both ends
 * depend on the neighbouring bytes).
 */
function base64Fragments(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let skip = 0; skip < 3; skip++) {
    const whole = bytes.subarray(skip, skip + Math.floor((bytes.length - skip) / 3) * 3);
    if (whole.length === 0) continue;
    const b64 = whole.toString('base64');
    out.push(b64, whole.toString('base64url'));
  }
  return out;
}

/** Every form in which a secret may show up in a printed text. */
export function formsOf(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURIComponent(uri),
    githubEscape(secret),
    githubEscape(uri),
    markdownEscape(secret),
    ...base64Fragments(Buffer.from(secret, 'utf8')),
  ];
  return [...new Set(forms)].filter((f) => f.length >= Math.min(MIN_SECRET_LENGTH, secret.length));
}

/** The secret values of a run, replaced in any text or JSON value before it is shown. */
export class Redactor {
  readonly #forms = new Set<string>();
  #pattern: RegExp | null = null;

  /** `minLength`: shorter values are ignored (the CLI refuses those where they come from; a library caller's input may hold shorter ones). */
  constructor(private readonly minLength = MIN_SECRET_LENGTH) {}

  /** Registers secret values. */
  add(...values: Array<string | null | undefined>): this {
    for (const value of values) {
      if (typeof value !== 'string' || value.length < this.minLength) continue;
      for (const form of formsOf(value)) this.#forms.add(form);
      this.#pattern = null;
    }
    return this;
  }

  get size(): number {
    return this.#forms.size;
  }

  /** Replaces the known secret values (every form) only: for a server's answer, which must stay parseable. */
  maskKnown(text: string): string {
    const pattern = this.#known();
    return pattern ? text.replace(pattern, MASK) : text;
  }

  /** Whether a text holds any form of a known secret. */
  #holdsKnown(text: string): boolean {
    const pattern = this.#known();
    if (!pattern) return false;
    pattern.lastIndex = 0; // a global pattern's test() starts where the last match ended
    const found = pattern.test(text);
    pattern.lastIndex = 0;
    return found;
  }

  /** One regular expression of every form, longest first (a form that contains another is replaced whole). */
  #known(): RegExp | null {
    if (this.#forms.size === 0) return null;
    this.#pattern ??= new RegExp([...this.#forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return this.#pattern;
  }

  /** Known secrets and credential-shaped values: for anything printed. */
  redact(text: string): string {
    return maskCredentials(this.maskKnown(text));
  }

  /** Every string of a JSON-like value (keys too), redacted; the value is not changed in place. */
  redactDeep<T>(value: T): T {
    const clean = this.#cleanerFor(JSON.stringify(value) ?? '');
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return clean(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [clean(k), walk(x)]));
      }
      return v;
    };
    return walk(value) as T;
  }

  /** The JSON text of a value with every string (and key) redacted: `JSON.stringify(redactDeep(value))` without the copy. */
  redactJson(value: unknown, indent = 2): string {
    const text = JSON.stringify(value, null, indent) ?? '';
    // Nothing a rule could touch (the usual case): the text as it is.
    if (shapesFor(text).length === 0 && !this.#holdsKnown(text)) return text;
    const clean = this.#cleanerFor(text);
    return JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v === 'string') return clean(v);
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          const keys = Object.keys(v);
          if (keys.some((k) => clean(k) !== k)) return Object.fromEntries(keys.map((k) => [clean(k), (v as Record<string, unknown>)[k]]));
        }
        return v;
      },
      indent,
    );
  }

  /**
   * What one string of a document needs: one look at the whole document's JSON text decides
   * whether any string can hold a known secret (its JSON-escaped form is one of the forms).
   */
  #cleanerFor(json: string): (s: string) => string {
    const anyKnown = this.#holdsKnown(json);
    return (s) => maskCredentials(anyKnown ? this.maskKnown(s) : s);
  }
}

/** The run's secrets: what the CLI's output sink removes from everything it prints. */
export const redactor = new Redactor();

/** Environment variables whose name says they hold a secret: their values are redacted too (a CI job's tokens). */
const SECRET_ENV_WORDS = ['SECRET', 'TOKEN', 'TICKET', 'PASSWORD', 'PASSWD', 'CREDENTIAL'];

/** Registers the values of the secret-named environment variables (before any config is read, so a config error cannot echo one). */
export function addSecretsFromEnv(target: Redactor, env: Record<string, string | undefined>): void {
  // names first: a value is read only when its name says secret (each read of process.env asks the OS)
  for (const name of Object.keys(env)) if (hasAnyOf(name.toUpperCase(), SECRET_ENV_WORDS)) target.add(env[name]);
}
