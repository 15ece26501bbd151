/**
 * Access tokens: fetched lazily, once per app per run, kept in memory only, never
 * printed. One request shape per app type (dingtalk-facts §5).
 */
import { appSecretsOf, type ResolvedApp } from '../config/types.js';
import { DoctorError } from '../errors.js';
import { urlOn, mayCarryToken, type Bases } from './hosts.js';
import { HttpFailure, networkFix, type Http, type HttpAnswer, type HttpRequest } from './http.js';

export class TokenFailure extends DoctorError {
  override readonly name = 'TokenFailure';
  constructor(
    readonly app: string,
    /** DingTalk's code (invalidClientIdOrSecret, 40096…), or the network failure kind. */
    readonly reason: string,
    message: string,
    readonly fix: string,
  ) {
    super(message, 'DOCTOR_ERR_TOKEN', { hint: fix || undefined });
  }
}

/** What to do about a token endpoint's refusal, by code (facts §4, §5). */
const TOKEN_FIXES: Array<[RegExp, string]> = [
  [/^(invalidClientIdOrSecret|40096|40001|40089|invalidAppKey|invalidAppSecret)$/i, 'check the AppKey/AppSecret (Client ID/Client Secret) of the app in the Developer Console → the app → Credentials'],
  [/^invalidSuiteTicket$/i, 'use the latest suiteTicket: DingTalk pushes a new one to the app about every 5 hours'],
  [/^invalidSuiteKey$/i, 'check the suiteKey/suiteSecret of the third-party app in the Developer Console'],
  [/^invalidAuthInfo$/i, 'the organization authCorpId has not installed or authorized the app: install it there (or check authCorpId)'],
  [/^(InvalidAuthentication|40014|42001)$/i, 'the access token is invalid or expired: get a new one (refresh token or re-authorization)'],
  [/^(Forbidden\.AccessDenied\.IpNotInWhiteList|60020)$/i, "add this machine's egress IP to the app's server IP allow-list in the Developer Console"],
];

export function tokenFix(code: string, appType?: ResolvedApp['type']): string {
  const known = TOKEN_FIXES.find(([re]) => re.test(code))?.[1];
  if (known) return known;
  // DingTalk's code for a bad refresh token is not in our sources: say what a refresh needs.
  if (appType === 'third-party-personal') return 'check clientId/clientSecret and that the refreshToken is still valid (get a new one by signing the user in again)';
  return 'check the credentials of the app in the config and in the Developer Console';
}

/** What to do when DingTalk refuses the app's access token itself (InvalidAuthentication, 40014, 42001). */
export function invalidTokenFix(app: ResolvedApp): string {
  if (app.type === 'third-party-personal' && app.accessToken) {
    return 'the configured user access token is invalid or expired (tokens last 7200 s): put a fresh one in accessToken, or configure refreshToken with clientId and clientSecret so that each run gets a new one';
  }
  return 'the token DingTalk just issued was refused: check that --base-url / DINGTALK_API_BASE points at the same DingTalk as the token endpoint, then retry';
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

/** Removes every secret of the app (and a token) from text that may be printed. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

/** Reads `accessToken` (or `access_token`) from a token answer, or the refusal's code and message. */
export function readTokenAnswer(answer: HttpAnswer): { token: string } | { code: string; message: string } {
  const body = (answer.json && typeof answer.json === 'object' ? answer.json : {}) as Record<string, unknown>;
  const token = body.accessToken ?? body.access_token;
  if (answer.status >= 200 && answer.status < 300 && typeof token === 'string' && token && (body.errcode === undefined || body.errcode === 0)) {
    return { token };
  }
  const code = body.code ?? body.errcode ?? (answer.status >= 300 && answer.status < 400 ? 'redirect' : `HTTP ${answer.status}`);
  const rawMessage = body.message ?? body.errmsg;
  const message =
    typeof rawMessage === 'string'
      ? rawMessage
      : answer.status >= 300 && answer.status < 400
        ? `answered with a redirect to ${answer.headers.location ?? '?'} (not followed)`
        : answer.json === undefined
          ? `not a JSON answer (HTTP ${answer.status})`
          : 'no accessToken in the answer';
  return { code: String(code), message };
}

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
    if (!request) return (app as { accessToken: string }).accessToken;
    if (!mayCarryToken(request.url, this.bases)) throw new TokenFailure(app.name, 'host', `refusing to send credentials to ${request.url.origin}`, 'use --base-url for a test server');
    const secrets = appSecretsOf(app);
    let answer: HttpAnswer;
    try {
      answer = await this.http.send(request);
    } catch (error) {
      const failure = error instanceof HttpFailure ? error : new HttpFailure('network', String(error));
      throw new TokenFailure(app.name, failure.kind, `token request to ${request.url.origin} failed: ${redact(failure.message, secrets)}`, networkFix(failure));
    }
    const read = readTokenAnswer(answer);
    if ('token' in read) return read.token;
    throw new TokenFailure(app.name, read.code, `token request refused: ${read.code} (${redact(read.message, secrets)})`, tokenFix(read.code, app.type));
  }
}
