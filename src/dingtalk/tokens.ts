/**
 * Access tokens: fetched lazily, once per app per run, kept in memory only, never
 * printed. One request shape per app type (dingtalk-facts §5).
 */
import type { ResolvedApp } from '../config/types.js';
import { DoctorError, type ErrorText } from '../errors.js';
import { englishOf, errorText } from '../render/messages.js';
import { MIN_SECRET_LENGTH, redactor } from '../redact.js';
import { urlOn, mayCarryToken, type Bases } from './hosts.js';
import { HttpFailure, networkFix, retryAfterMs, type Http, type HttpAnswer, type HttpRequest } from './http.js';

export class TokenFailure extends DoctorError {
  override readonly name = 'TokenFailure';
  /** What to do, in English ('' when nothing is known). */
  readonly fix: string;
  constructor(
    readonly app: string,
    /** DingTalk's code (invalidClientIdOrSecret, 40096…), or the network failure kind. */
    readonly reason: string,
    message: ErrorText,
    /** What to do, as a message (a step of check's app error). */
    readonly fixText: ErrorText | null,
  ) {
    const fix = fixText ? englishOf(fixText).message : '';
    super(englishOf(message).message, 'DOCTOR_ERR_TOKEN', { hint: fix || undefined, text: { ...message, ...(fixText ? { hint: fixText } : {}) } });
    this.fix = fix;
  }
}

/** A text whose string parameters carry no secret of the run (a server may echo one). */
const redactedText = (text: ErrorText): ErrorText => ({ ...text, params: Object.fromEntries(Object.entries(text.params).map(([k, v]) => [k, typeof v === 'string' ? redactor.redact(v) : v])) });

/** What to do about a token endpoint's refusal, by code (facts §4, §5). */
const TOKEN_FIXES: Array<[RegExp, string]> = [
  [/^(invalidClientIdOrSecret|40096|40001|40089|invalidAppKey|invalidAppSecret)$/i, 'step.token-fix-credentials'],
  [/^invalidSuiteTicket$/i, 'step.token-fix-suite-ticket'],
  [/^invalidSuiteKey$/i, 'step.token-fix-suite-key'],
  [/^invalidAuthInfo$/i, 'step.token-fix-auth-info'],
  [/^(InvalidAuthentication|40014|42001)$/i, 'step.token-fix-expired'],
  [/^(Forbidden\.AccessDenied\.IpNotInWhiteList|60020)$/i, 'step.token-fix-ip'],
];

/** Refusals that are not about the credentials: the endpoint itself (facts §5: a token lasts 7200 s). */
const ENDPOINT_FIXES: Array<[RegExp, string]> = [
  [/^HTTP 429$/, 'step.token-fix-throttled'],
  [/^HTTP (?:5\d\d)$/, 'step.token-fix-server'],
  [/^(?:token-lifetime|token-shape|too-large)$/, 'step.token-fix-not-dingtalk'],
];

/** What to do about a token endpoint's refusal, as a message (a step of check's app error). */
export function tokenFixText(code: string, appType?: ResolvedApp['type']): ErrorText {
  const known = [...ENDPOINT_FIXES, ...TOKEN_FIXES].find(([re]) => re.test(code))?.[1];
  if (known) return errorText(known);
  // DingTalk's code for a bad refresh token is not in our sources: say what a refresh needs.
  return errorText(appType === 'third-party-personal' ? 'step.token-fix-refresh' : 'step.token-fix-other');
}

export const tokenFix = (code: string, appType?: ResolvedApp['type']): string => englishOf(tokenFixText(code, appType)).message;

/** What to do when DingTalk refuses the app's access token itself (InvalidAuthentication, 40014, 42001). */
export function invalidTokenFix(app: ResolvedApp): ErrorText {
  return errorText(app.type === 'third-party-personal' && app.accessToken ? 'step.token-fix-user-token' : 'step.token-fix-refused');
}

/** The token request for an app, or null when the config already holds a user access token. */
export function tokenRequestFor(app: ResolvedApp, bases: Bases): HttpRequest | null {
  const post = (path: string, body: Record<string, string>): HttpRequest => ({
    method: 'POST',
    url: urlOn(bases.api, path),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  switch (app.type) {
    case 'internal':
      return app.corpId
        ? post(`/v1.0/oauth2/${encodeURIComponent(app.corpId)}/token`, { client_id: app.appKey, client_secret: app.appSecret, grant_type: 'client_credentials' })
        : post('/v1.0/oauth2/accessToken', { appKey: app.appKey, appSecret: app.appSecret });
    case 'third-party-enterprise':
      return post('/v1.0/oauth2/corpAccessToken', { suiteKey: app.suiteKey, suiteSecret: app.suiteSecret, authCorpId: app.authCorpId, suiteTicket: app.suiteTicket });
    case 'third-party-personal':
      if (app.accessToken) return null;
      return post('/v1.0/oauth2/userAccessToken', { clientId: app.clientId ?? '', clientSecret: app.clientSecret ?? '', refreshToken: app.refreshToken ?? '', grantType: 'refresh_token' });
  }
}

/** A token's lifetime longer than this is not DingTalk's (7200 s): the answer is not a token endpoint's. */
const MAX_EXPIRES_S = 30 * 24 * 3600;

/** `fixCode`: what the fix is chosen by when it is not `code` (a 429 whose code is DingTalk's `Throttling`). */
type TokenRead = { token: string } | { code: string; message: string; fixCode?: string };

/** The lifetime the answer gives (`expireIn`, `expiresIn`, `expires_in`), or a refusal when it cannot be a real one. */
function lifetimeProblem(body: Record<string, unknown>): TokenRead | null {
  const raw = body.expireIn ?? body.expiresIn ?? body.expires_in;
  if (raw === undefined) return null;
  const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_EXPIRES_S) return null;
  const shown = typeof raw === 'number' || typeof raw === 'string' ? String(raw).slice(0, 40) : typeof raw;
  const why = seconds === 0 || seconds < 0 ? 'an access token that has already expired' : Number.isFinite(seconds) ? 'an access token lifetime far beyond DingTalk\'s 7200 s' : 'an access token lifetime that is not a number';
  return { code: 'token-lifetime', message: `the token endpoint answered ${why} (expires in ${shown})` };
}

/** Why a token endpoint's non-2xx answer without a DingTalk code failed, in words (not "check the credentials" for a 429 or 503). */
function statusMessage(answer: HttpAnswer): string | null {
  const tries = answer.attempts > 1 ? ` (after ${answer.attempts} attempts)` : '';
  if (answer.status === 429) {
    const wait = retryAfterMs(answer.headers['retry-after']);
    return `the token endpoint is rate-limiting this app${wait !== null ? `, asking to wait ${humanDuration(wait)}` : ''}${tries}`;
  }
  if (answer.status >= 500) return `the token endpoint is unavailable${tries}`;
  return null;
}

export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 360) / 10} h`;
}

/** Reads `accessToken` (or `access_token`) from a token answer, or the refusal's code and message. */
export function readTokenAnswer(answer: HttpAnswer): TokenRead {
  const body = (answer.json && typeof answer.json === 'object' ? answer.json : {}) as Record<string, unknown>;
  const token = body.accessToken ?? body.access_token;
  if (answer.status >= 200 && answer.status < 300 && typeof token === 'string' && token && (body.errcode === undefined || body.errcode === 0)) {
    // A real token is 32+ characters: a short one could not be redacted from the output.
    if (token.length < MIN_SECRET_LENGTH) return { code: 'token-shape', message: `the token endpoint answered an access token of ${token.length} characters (DingTalk's are 32 or more)` };
    return lifetimeProblem(body) ?? { token };
  }
  const dingtalkCode = body.code ?? body.errcode;
  const code = dingtalkCode ?? (answer.status >= 300 && answer.status < 400 ? 'redirect' : `HTTP ${answer.status}`);
  const rawMessage = body.message ?? body.errmsg;
  const serverMessage = typeof rawMessage === 'string' ? rawMessage : null;
  // A 429 or 5xx is about the endpoint, whatever code it carries: said first.
  const endpoint = statusMessage(answer);
  const message = endpoint
    ? `${endpoint}${serverMessage ? `: ${serverMessage}` : ''}`
    : (serverMessage ??
      (answer.status >= 300 && answer.status < 400
        ? `answered with a redirect to ${answer.headers.location ?? '?'} (not followed)`
        : answer.json === undefined
          ? `not a JSON answer (HTTP ${answer.status})`
          : 'no accessToken in the answer'));
  // Server text: the run's secrets never pass, whatever it echoes.
  return { code: redactor.redact(String(code)), message: redactor.redact(message), ...(endpoint ? { fixCode: `HTTP ${answer.status}` } : {}) };
}

/** A token answer is a few hundred bytes. */
export const TOKEN_ANSWER_MAX_BYTES = 64 * 1024;

/** One token per app per run, requested at most once (concurrent callers share the request). */
export class TokenStore {
  readonly #pending = new Map<string, Promise<string>>();
  constructor(
    private readonly http: Http,
    private readonly bases: Bases,
  ) {}

  get(app: ResolvedApp): Promise<string> {
    let pending = this.#pending.get(app.name);
    if (!pending) {
      pending = this.#fetch(app);
      pending.catch(() => undefined);
      this.#pending.set(app.name, pending);
    }
    return pending;
  }

  async #fetch(app: ResolvedApp): Promise<string> {
    const request = tokenRequestFor(app, this.bases);
    if (!request) return (app as { accessToken: string }).accessToken; // a config secret: the session registered it
    if (!mayCarryToken(request.url, this.bases)) throw new TokenFailure(app.name, 'host', errorText('err.token.foreign-host', { origin: request.url.origin }), errorText('step.token-fix-base-url'));
    let answer: HttpAnswer;
    try {
      answer = await this.http.send(request, { maxBytes: TOKEN_ANSWER_MAX_BYTES });
    } catch (error) {
      const failure = error instanceof HttpFailure ? error : new HttpFailure('network', String(error));
      const why = failure.text ?? errorText('text.untranslated', { text: failure.message });
      throw new TokenFailure(app.name, failure.kind, errorText('err.token.failed', { origin: request.url.origin, why: redactedText(why) }), failure.kind === 'too-large' ? tokenFixText('too-large') : networkFix(failure));
    }
    const read = readTokenAnswer(answer);
    if ('token' in read) {
      redactor.add(read.token);
      return read.token;
    }
    throw new TokenFailure(app.name, read.code, errorText('err.token.refused', { code: read.code, said: read.message }), tokenFixText(read.fixCode ?? read.code, app.type));
  }
}
