/**
 * The one HTTP layer (undici, loaded lazily): per-request timeout, a total deadline,
 * bounded retries with exponential backoff on 429 / 5xx / connection resets honouring
 * Retry-After, proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, and never following
 * a redirect (a redirect could carry the token to another host).
 */
import type { Dispatcher } from 'undici';
import { DoctorError, type ErrorText } from '../errors.js';
import { englishOf, errorText } from '../render/messages.js';
import { redactor } from '../redact.js';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
  attempts: number;
}

export interface HttpPolicy {
  /** Per attempt, headers and body included. */
  timeoutMs: number;
  /** Retries after the first attempt (429, 5xx, reset). */
  retries: number;
  /** First backoff; doubles each retry. */
  backoffMs: number;
  /** A Retry-After longer than this is not waited for: the answer is returned as is. */
  maxRetryAfterMs: number;
  /** Epoch ms after which no new attempt starts. */
  deadlineAt: number;
  /** The total deadline as given (for messages). */
  deadlineMs?: number;
}

export type FailureKind = 'timeout' | 'deadline' | 'network' | 'too-large';

/** An API answer is a few KiB; more is not DingTalk's and is not read (a hostile server could send without end). */
export const API_ANSWER_MAX_BYTES = 1024 * 1024;

export class HttpFailure extends DoctorError {
  override readonly name = 'HttpFailure';
  constructor(
    readonly kind: FailureKind,
    /** What happened: a message (ids, for the user's language), or text as it came (Node's, undici's). */
    message: string | ErrorText,
    /** Node's or undici's error code (ECONNREFUSED, UND_ERR_SOCKET…), when there was one. */
    readonly errno: string | null = null,
    readonly attempts = 1,
  ) {
    const text = typeof message === 'string' ? errorText('text.untranslated', { text: message }) : message;
    super(englishOf(text).message, 'DOCTOR_ERR_NETWORK', { text });
  }
}

/** Node's codes for a TLS certificate it does not trust (node:tls, OpenSSL verify errors). */
const CERT_CODES = /^(?:DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** What a socket error's code means, for people (the code and Node's own words stay beside it). */
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'not-found',
  EAI_AGAIN: 'dns',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'closed',
  ETIMEDOUT: 'timed-out',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
};

const networkText = (code: string, detail: string): ErrorText =>
  NETWORK_CODES[code] ? errorText('err.http.network-known', { code, detail, what: errorText(`err.http.network.${NETWORK_CODES[code]}`) }) : errorText('err.http.network', { code, detail });

/** What to do about a request that got no answer. */
export function networkFix(failure: HttpFailure): ErrorText {
  // Typical behind a TLS-inspecting company proxy, which re-signs api.dingtalk.com with its own CA.
  if (failure.errno && CERT_CODES.test(failure.errno)) return errorText('step.network-fix-cert');
  return errorText('step.network-fix');
}

export { DEFAULT_POLICY } from './policy.js';

const RETRY_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'TIMEOUT']);
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** Seconds or an HTTP date → ms to wait; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorCode(error: unknown): string {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (e as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
    e = (e as { cause?: unknown }).cause;
  }
  return 'ENETWORK';
}

export interface SendOptions {
  /** false: one attempt only (a write). */
  retry?: boolean;
  /** The largest answer body read, after decompression (default API_ANSWER_MAX_BYTES). */
  maxBytes?: number;
}

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`);

function tooLarge(maxBytes: number, decompressed: boolean): HttpFailure {
  return new HttpFailure('too-large', errorText(decompressed ? 'err.http.too-large-decompressed' : 'err.http.too-large', { size: sizeText(maxBytes) }), 'TOO_LARGE');
}

/** zlib's decoder for a Content-Encoding, or null for identity / one we do not know (left as is). */
const DECODERS: Record<string, (input: Buffer, options: { maxOutputLength: number }) => Buffer> = {
  gzip: (input, options) => zlib().gunzipSync(input, options),
  'x-gzip': (input, options) => zlib().gunzipSync(input, options),
  deflate: (input, options) => zlib().inflateSync(input, options),
  br: (input, options) => zlib().brotliDecompressSync(input, options),
};
// loaded for a compressed answer only: every command's start would pay for it otherwise
const zlib = () => process.getBuiltinModule('node:zlib');

/**
 * The body as text, read up to `maxBytes`: past it the stream is abandoned. A compressed body is
 * bounded twice: as sent, and after decompression (zlib stops at maxOutputLength: no gzip bomb).
 */
async function readBounded(body: Dispatcher.ResponseData['body'], maxBytes: number, encoding: string | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge(maxBytes, false);
    }
    chunks.push(chunk);
  }
  let bytes: Buffer = Buffer.concat(chunks);
  // Encodings apply in the order listed: undo them last to first.
  for (const name of (encoding ?? '').split(',').map((e) => e.trim().toLowerCase()).filter((e) => e && e !== 'identity').reverse()) {
    const decode = DECODERS[name];
    if (!decode) break;
    try {
      bytes = decode(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge(maxBytes, true);
      break; // not really compressed: shown as it came
    }
  }
  return bytes.toString('utf8');
}

export interface Http {
  send(request: HttpRequest, options?: SendOptions): Promise<HttpAnswer>;
  close(): Promise<void>;
}

export async function createHttp(policy: HttpPolicy, env: Record<string, string | undefined> = process.env): Promise<Http> {
  const undici = await import('./undici-lite.js');
  const useProxy = PROXY_VARS.some((name) => env[name]);
  // EnvHttpProxyAgent reads HTTP(S)_PROXY and NO_PROXY itself (lower case first).
  const dispatcher: Dispatcher = useProxy
    ? new undici.EnvHttpProxyAgent({ connect: { timeout: policy.timeoutMs } })
    : new undici.Agent({ connect: { timeout: policy.timeoutMs } });

  async function attempt(request: HttpRequest, timeoutMs: number, maxBytes: number): Promise<Omit<HttpAnswer, 'attempts'>> {
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await undici.request(request.url, {
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body,
      dispatcher,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const encoding = response.headers['content-encoding'];
    // The run's secrets are masked as the answer comes in: whatever the server echoes, no printed field holds one.
    const text = redactor.maskKnown(await readBounded(response.body, maxBytes, Array.isArray(encoding) ? encoding.join(',') : encoding));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) if (v !== undefined) headers[k] = redactor.maskKnown(Array.isArray(v) ? v.join(', ') : v);
    let json: unknown;
    if (text.trim().startsWith('{') || text.trim().startsWith('[')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: response.statusCode, headers, text, json };
  }

  async function send(request: HttpRequest, options: SendOptions = {}): Promise<HttpAnswer> {
    const maxAttempts = options.retry === false ? 1 : policy.retries + 1;
    const maxBytes = options.maxBytes ?? API_ANSWER_MAX_BYTES;
    let lastError: HttpFailure | null = null;
    for (let n = 1; n <= maxAttempts; n++) {
      const left = policy.deadlineAt - Date.now();
      const total = policy.deadlineMs !== undefined ? ` (${policy.deadlineMs} ms)` : '';
      if (left <= 0) throw lastError ?? new HttpFailure('deadline', errorText('err.http.deadline-before', { total }), null, n - 1);
      let wait: number | null = null;
      try {
        const answer = await attempt(request, Math.min(policy.timeoutMs, left), maxBytes);
        const retryable = answer.status === 429 || answer.status >= 500;
        if (!retryable || n === maxAttempts) return { ...answer, attempts: n };
        const asked = retryAfterMs(answer.headers['retry-after']);
        // A server asking for a long pause gets it by us stopping, not by us sleeping.
        if (asked !== null && asked > policy.maxRetryAfterMs) return { ...answer, attempts: n };
        wait = asked ?? backoff(n);
        if (Date.now() + wait >= policy.deadlineAt) return { ...answer, attempts: n };
      } catch (error) {
        if (error instanceof HttpFailure) throw new HttpFailure(error.kind, error.text ?? error.message, error.errno, n);
        const code = errorCode(error);
        const timedOut = code === 'TIMEOUT' || code.includes('TIMEOUT');
        // Cut short by the total deadline rather than the per-request timeout: say which.
        const byDeadline = timedOut && left < policy.timeoutMs;
        lastError = byDeadline
          ? new HttpFailure('deadline', errorText('err.http.deadline-waiting', { total }), code, n)
          : timedOut
          ? new HttpFailure('timeout', errorText('err.http.timeout', { ms: policy.timeoutMs }), code, n)
          : new HttpFailure('network', networkText(code, (error as Error).message), code, n);
        if (!RETRY_CODES.has(code) || n === maxAttempts) throw lastError;
        wait = backoff(n);
        if (Date.now() + wait >= policy.deadlineAt) throw lastError;
      }
      await sleep(wait);
    }
    throw lastError ?? new HttpFailure('network', errorText('err.http.no-answer'));
  }

  const backoff = (n: number) => Math.min(5_000, policy.backoffMs * 2 ** (n - 1)) * (0.75 + Math.random() * 0.5);

  return {
    send,
    close: async () => {
      await dispatcher.close().catch(() => undefined);
    },
  };
}
