/**
 * A fake DingTalk on 127.0.0.1 (random port) that speaks the real JSON (dingtalk-facts
 * §2, §4, §5): the token endpoints of all three app types plus legacy /gettoken, new
 * APIs that answer 403 AccessTokenPermissionDenied with `accessdenieddetail.requiredScopes`
 * when the token's app lacks the scope (400 InvalidParameter for the dummy id when it
 * has it), legacy oapi paths answering HTTP 200 errcode 88 / sub_code 60011, and
 * faults configurable per test. Every request is recorded.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface FakeApp {
  type: 'internal' | 'third-party-enterprise' | 'third-party-personal';
  appKey?: string;
  appSecret?: string;
  corpId?: string;
  suiteKey?: string;
  suiteSecret?: string;
  authCorpId?: string;
  suiteTicket?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** A user access token the server already knows (personal apps configured with accessToken). */
  accessToken?: string;
  /** Scope codes granted to this app. */
  grants: string[];
}

export type FaultKind =
  | { kind: 'latency'; ms: number }
  | { kind: 'status429'; retryAfter?: string }
  | { kind: 'status500' }
  | { kind: 'reset' }
  | { kind: 'slowBody'; ms: number }
  | { kind: 'nonJson' }
  | { kind: 'ipNotAllowed' }
  | { kind: 'qpsLimit'; retryAfter?: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'status503'; retryAfter?: string }
  // Hostile servers (issue 13): echo what they received, answer without end, bomb.
  /** Token endpoint: refuse, echoing every received value (secret, ticket) in code, message and requestid: plain, URL-encoded, base64, JSON-escaped. */
  | { kind: 'echoSecret' }
  /** API: a 403 (or a 302 with `status: 302`) whose message, requestid and Location carry the token it was sent: plain, URL-encoded, base64. */
  | { kind: 'echoToken'; status?: 403 | 302 }
  /** A chunked answer that never ends (until the client goes away); bytes written are counted in `endlessBytes`. */
  | { kind: 'endlessBody' }
  /** `content-encoding: gzip` of `mib` MiB of JSON-ish text (a few dozen KiB on the wire). */
  | { kind: 'gzipBomb'; mib: number }
  /** Token endpoint: a real token, but with this `expireIn`. */
  | { kind: 'tokenLifetime'; expireIn: unknown }
  /** Any text as the answer body (control characters, a long message…). */
  | { kind: 'body'; status: number; text: string; headers?: Record<string, string> };

export type Fault = FaultKind & {
  /** Which requests: a regexp on the path (default: every non-token request). */
  match?: RegExp;
  /** Apply to this many matching requests, then stop (default: always). */
  times?: number;
};

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The token the request carried (header or ?access_token), if any. */
  token: string | null;
  /** The app that token belongs to, if known. */
  app: string | null;
  kind: 'token' | 'api' | 'legacy';
  /** When it arrived (ms since epoch): gaps between requests show pauses and backoff. */
  at: number;
}

export interface FakeDingTalkOptions {
  apps: Record<string, FakeApp>;
  /** Which scope a request needs; default: the catalog (probe paths first, then matchApi). */
  scopeOf?: (method: string, path: string) => string[] | null;
  faults?: Fault[];
  /** Fixed port for the demo script (tests use the default 0: a random free port). */
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM), as the real api.dingtalk.com does. */
  tls?: { key: string; cert: string };
}

export interface FakeDingTalk {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Every token the server issued (to assert none leaks into output). */
  issuedTokens: string[];
  /** Bytes an endlessBody fault wrote before the client went away (one entry per answer). */
  endlessBytes: number[];
  setFaults(faults: Fault[]): void;
  setGrants(app: string, grants: string[]): void;
  tokenRequests(): RecordedRequest[];
  close(): Promise<void>;
}

/** Token endpoints only: other /v1.0/oauth2/ paths (authInfo, ssoUserInfo…) are APIs with scopes. */
export const TOKEN_PATH = /^\/v1\.0\/oauth2\/(?:accessToken|corpAccessToken|userAccessToken|suiteAccessToken|[^/]+\/token)$|^\/gettoken$/;

const requestId = () => randomBytes(8).toString('hex').toUpperCase();

type CatalogLike = {
  allScopes(): Array<{ code: string; probe?: { method: string; path: string } | null }>;
  matchApi(method: string | null, path: string): Array<{ scopes?: string[] }>;
};

/** The catalog's idea of which scopes a path needs (loaded once, lazily; tolerant while the catalog is being built). */
let catalogScopeOf: ((method: string, path: string) => string[] | null) | undefined;
async function loadCatalogScopeOf(): Promise<(method: string, path: string) => string[] | null> {
  if (catalogScopeOf) return catalogScopeOf;
  let catalog: CatalogLike | null = null;
  try {
    const mod = (await import('../../src/catalog/index.js')) as unknown as { getCatalog: () => CatalogLike };
    catalog = mod.getCatalog();
  } catch {
    catalog = null;
  }
  const byProbe = new Map<string, string[]>();
  for (const scope of catalog?.allScopes() ?? []) {
    if (!scope.probe) continue;
    const key = `${scope.probe.method.toUpperCase()} ${scope.probe.path.split('?')[0]}`;
    byProbe.set(key, [...(byProbe.get(key) ?? []), scope.code]);
  }
  catalogScopeOf = (method, path) => {
    const probe = byProbe.get(`${method} ${path}`);
    if (probe) return probe;
    const apis = catalog?.matchApi(method, path) ?? [];
    const scopes = [...new Set(apis.flatMap((a) => a.scopes ?? []))];
    return scopes.length > 0 ? scopes : null;
  };
  return catalogScopeOf;
}

export async function startFakeDingTalk(options: FakeDingTalkOptions): Promise<FakeDingTalk> {
  const apps = new Map(Object.entries(options.apps).map(([name, app]) => [name, { ...app, grants: [...app.grants] }]));
  const scopeOf = options.scopeOf ?? (await loadCatalogScopeOf());
  let faults: Array<Fault & { used: number }> = (options.faults ?? []).map((f) => ({ ...f, used: 0 }));
  const tokens = new Map<string, string>(); // token → app name
  for (const [name, app] of apps) if (app.accessToken) tokens.set(app.accessToken, name);
  const requests: RecordedRequest[] = [];
  const issuedTokens: string[] = [];
  const endlessBytes: number[] = [];
  const bombs = new Map<number, Buffer>();
  const sockets = new Set<Socket>();

  const issue = (name: string) => {
    const token = `fake-token-${name}-${randomBytes(6).toString('hex')}`;
    tokens.set(token, name);
    issuedTokens.push(token);
    return token;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const findApp = (pred: (app: FakeApp) => boolean) => [...apps.entries()].find(([, app]) => pred(app));

  function tokenEndpoint(method: string, path: string, query: Record<string, string>, body: Record<string, unknown>, res: ServerResponse): boolean {
    const rid = requestId();
    if (method === 'POST' && path === '/v1.0/oauth2/accessToken') {
      const hit = findApp((a) => a.type === 'internal' && a.appKey === body.appKey && a.appSecret === body.appSecret);
      if (!hit) send(res, 400, { requestid: rid, code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' });
      else send(res, 200, { accessToken: issue(hit[0]), expireIn: 7200 });
      return true;
    }
    const org = /^\/v1\.0\/oauth2\/([^/]+)\/token$/.exec(path);
    if (method === 'POST' && org && org[1] !== 'corpAccessToken') {
      const corpId = decodeURIComponent(org[1]!);
      const hit = findApp((a) => a.type === 'internal' && a.appKey === body.client_id && a.appSecret === body.client_secret && a.corpId === corpId);
      if (body.grant_type !== 'client_credentials') send(res, 400, { requestid: rid, code: 'invalidParameter', message: 'grant_type must be client_credentials' });
      else if (!hit) send(res, 400, { requestid: rid, code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' });
      else send(res, 200, { accessToken: issue(hit[0]), expiresIn: 7200 });
      return true;
    }
    if (method === 'POST' && path === '/v1.0/oauth2/corpAccessToken') {
      const suite = findApp((a) => a.type === 'third-party-enterprise' && a.suiteKey === body.suiteKey);
      if (!suite || suite[1].suiteSecret !== body.suiteSecret) send(res, 400, { requestid: rid, code: 'invalidSuiteKey', message: '无效的suiteKey或suiteSecret' });
      else if (suite[1].suiteTicket !== body.suiteTicket) send(res, 400, { requestid: rid, code: 'invalidSuiteTicket', message: '无效的suiteTicket' });
      else if (suite[1].authCorpId !== body.authCorpId) send(res, 400, { requestid: rid, code: 'invalidAuthInfo', message: '授权关系不存在' });
      else send(res, 200, { accessToken: issue(suite[0]), expireIn: 7200 });
      return true;
    }
    if (method === 'POST' && path === '/v1.0/oauth2/userAccessToken') {
      const hit = findApp((a) => a.type === 'third-party-personal' && a.clientId === body.clientId && a.clientSecret === body.clientSecret);
      if (!hit) send(res, 400, { requestid: rid, code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' });
      // The real code for a bad refresh token is not documented in our sources; this one is a stand-in.
      else if (body.grantType !== 'refresh_token' || hit[1].refreshToken !== body.refreshToken) send(res, 400, { requestid: rid, code: 'invalidRefreshToken', message: '无效的refreshToken' });
      else send(res, 200, { accessToken: issue(hit[0]), refreshToken: hit[1].refreshToken, expireIn: 7200, corpId: 'ding-fake-corp' });
      return true;
    }
    if (method === 'GET' && path === '/gettoken') {
      const hit = findApp((a) => a.type === 'internal' && a.appKey === query.appkey && a.appSecret === query.appsecret);
      if (!hit) send(res, 200, { errcode: 40096, errmsg: '不合法的appKey或appSecret' });
      else send(res, 200, { errcode: 0, errmsg: 'ok', access_token: issue(hit[0]), expires_in: 7200 });
      return true;
    }
    return false;
  }

  function apiEndpoint(record: RecordedRequest, res: ServerResponse): void {
    const rid = requestId();
    const legacy = record.kind === 'legacy';
    if (!record.token) {
      if (legacy) send(res, 200, { errcode: 88, sub_code: '40000', sub_msg: 'access_token is blank', errmsg: 'ding talk error[subcode=40000,submsg=access_token is blank]', request_id: rid });
      else send(res, 400, { requestid: rid, code: 'AuthenticationFailed.MissingParameter', message: '缺少参数：x-acs-dingtalk-access-token' });
      return;
    }
    const appName = record.app;
    if (!appName) {
      if (legacy) send(res, 200, { errcode: 88, sub_code: '40014', sub_msg: '不合法的access_token', errmsg: 'ding talk error[subcode=40014,submsg=不合法的access_token]', request_id: rid });
      else send(res, 400, { requestid: rid, code: 'InvalidAuthentication', message: '不合法的access_token' });
      return;
    }
    const app = apps.get(appName)!;
    const needed = scopeOf(record.method, record.path);
    if (needed === null) {
      if (legacy) send(res, 200, { errcode: 22, errmsg: '无效的API名称', request_id: rid });
      else send(res, 404, { requestid: rid, code: 'InvalidAction.NotFound', message: 'Specified api is not found, please check your url and method.' });
      return;
    }
    const lacking = needed.filter((s) => !app.grants.includes(s));
    // An API listing several scopes is treated as needing any one of them.
    if (lacking.length === needed.length) {
      const key = app.appKey ?? app.suiteKey ?? app.clientId ?? 'unknown';
      if (legacy) {
        const submsg = `应用尚未开通所需的权限：[${lacking.join(',')}]，点击链接申请并开通即可：https://open-dev.dingtalk.com/appscope/apply?content=${key}%23${lacking[0]}, {requiredScopes=[${lacking.join(', ')}]}`;
        send(res, 200, { errcode: 88, sub_code: '60011', sub_msg: submsg, errmsg: `ding talk error[subcode=60011,submsg=${submsg}]`, request_id: rid });
      } else {
        send(res, 403, {
          requestid: rid,
          code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied',
          message: `应用尚未开通所需的权限：[${lacking.join(',')}]`,
          accessdenieddetail: { requiredScopes: lacking },
        });
      }
      return;
    }
    // Granted: the dummy id of a probe is refused as a bad parameter, like the real thing.
    if (legacy) send(res, 200, { errcode: 40035, errmsg: '不合法的参数', request_id: rid });
    else send(res, 400, { requestid: rid, code: 'InvalidParameter', message: '参数错误：用户不存在' });
  }

  async function applyFault(fault: Fault, record: RecordedRequest, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const rid = requestId();
    switch (fault.kind) {
      case 'latency':
        await new Promise((r) => setTimeout(r, fault.ms));
        return false;
      case 'status429':
        send(res, 429, { requestid: rid, code: 'Throttling', message: '请求被流控' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
        return true;
      case 'status500':
        send(res, 500, { requestid: rid, code: 'InternalError', message: '系统繁忙' });
        return true;
      case 'reset':
        req.socket.destroy();
        return true;
      case 'slowBody': {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.write('{"requestid":"');
        await new Promise((r) => setTimeout(r, fault.ms));
        if (!res.destroyed) res.end(`${rid}","code":"InvalidParameter","message":"slow"}`);
        return true;
      }
      case 'nonJson':
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return true;
      case 'ipNotAllowed':
        if (record.kind === 'legacy') send(res, 200, { errcode: 60020, errmsg: `访问ip不在白名单之中，请参考FAQ：https://open.dingtalk.com/document/orgapp-server/faq,request ip=203.0.113.7 appKey(${apps.get(record.app ?? '')?.appKey ?? 'unknown'})`, request_id: rid });
        else send(res, 403, { requestid: rid, code: 'Forbidden.AccessDenied.IpNotInWhiteList', message: '访问ip不在白名单之中，request ip=203.0.113.7' });
        return true;
      case 'qpsLimit':
        // legacy oapi: HTTP 200 with errcode 90002 (errors.tsv: calls to this API temporarily disabled)
        if (record.kind === 'legacy') send(res, 200, { errcode: 90002, errmsg: '您的服务器调用钉钉开放平台当前接口的所有请求都被暂时禁用了', request_id: rid });
        else send(res, 403, { requestid: rid, code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: '应用调用该接口的请求数超过限制' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
        return true;
      case 'redirect':
        res.writeHead(302, { location: fault.location, 'content-length': 0 });
        res.end();
        return true;
      case 'status503':
        send(res, 503, { requestid: rid, code: 'ServiceUnavailable', message: '服务暂不可用' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
        return true;
      case 'echoSecret': {
        const values = receivedValues(record);
        const all = values.join(' ');
        send(res, 400, {
          requestid: values[1] ?? rid,
          code: `bad-${values[1] ?? 'none'}`,
          message: `refused ${all} | ${encodeURIComponent(all)} | ${new URLSearchParams(record.query).toString()} ${record.body ? encodeURIComponent(record.body) : ''} | ${Buffer.from(record.body).toString('base64')} | ${JSON.stringify(record.body)}`,
        });
        return true;
      }
      case 'echoToken': {
        const token = record.token ?? 'none';
        const echo = `${token} ${encodeURIComponent(token)} ${Buffer.from(token).toString('base64')}`;
        const location = `https://evil.example/login?token=${encodeURIComponent(token)}&raw=${token}`;
        if (fault.status === 302) {
          res.writeHead(302, { location, 'x-request-id': token, 'content-length': 0 });
          res.end();
        } else if (record.kind === 'legacy') {
          send(res, 200, { errcode: 88, sub_code: '60011', sub_msg: `token ${echo} lacks [qyapi_get_member]`, errmsg: `ding talk error[subcode=60011,submsg=token ${echo}]`, request_id: token }, { location });
        } else {
          send(res, 403, { requestid: token, code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: `应用尚未开通所需的权限：[Contact.User.Read] token ${echo}`, accessdenieddetail: { requiredScopes: ['Contact.User.Read'] } }, { location });
        }
        return true;
      }
      case 'endlessBody': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.from(`{"code":"${'x'.repeat(16 * 1024)}",`);
        let written = 0;
        const index = endlessBytes.push(0) - 1;
        // Write as fast as the client reads; stop when it goes away.
        const pump = () => {
          let more = true;
          while (more && !res.destroyed) {
            more = res.write(chunk);
            endlessBytes[index] = written += chunk.length;
          }
          if (!res.destroyed) res.once('drain', pump);
        };
        res.on('close', () => (endlessBytes[index] = written));
        pump();
        return true;
      }
      case 'gzipBomb': {
        let bomb = bombs.get(fault.mib);
        if (!bomb) {
          const filler = Buffer.alloc(fault.mib * 1024 * 1024, 'a');
          bomb = gzipSync(Buffer.concat([Buffer.from('{"code":"InvalidParameter","message":"'), filler, Buffer.from('"}')]), { level: 9 });
          bombs.set(fault.mib, bomb);
        }
        res.writeHead(400, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
        res.end(bomb);
        return true;
      }
      case 'tokenLifetime':
        send(res, 200, { accessToken: issue('unknown'), expireIn: fault.expireIn });
        return true;
      case 'body':
        res.writeHead(fault.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fault.text), ...fault.headers });
        res.end(fault.text);
        return true;
    }
  }

  /** Every string the request carried: JSON body values, form/query values. */
  function receivedValues(record: RecordedRequest): string[] {
    let json: unknown = null;
    try {
      json = record.body ? JSON.parse(record.body) : null;
    } catch {
      json = null;
    }
    const fromBody = json && typeof json === 'object' ? Object.values(json as Record<string, unknown>).filter((v): v is string => typeof v === 'string') : [];
    return [...fromBody, ...Object.values(record.query)];
  }

  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const body = Buffer.concat(chunks).toString('utf8');
        const query = Object.fromEntries(url.searchParams);
        const method = (req.method ?? 'GET').toUpperCase();
        const path = url.pathname;
        const isToken = TOKEN_PATH.test(path);
        const header = req.headers['x-acs-dingtalk-access-token'];
        const token = (Array.isArray(header) ? header[0] : header) ?? query.access_token ?? null;
        const record: RecordedRequest = {
          method,
          path,
          query,
          headers: req.headers,
          body,
          token,
          app: token ? (tokens.get(token) ?? null) : null,
          kind: isToken ? 'token' : /^\/v\d+\.\d+\//.test(path) ? 'api' : 'legacy',
          at: Date.now(),
        };
        requests.push(record);

        for (const fault of faults) {
          const matches = fault.match ? fault.match.test(path) : !isToken;
          if (!matches || (fault.times !== undefined && fault.used >= fault.times)) continue;
          fault.used++;
          if (await applyFault(fault, record, req, res)) return;
        }

        let json: Record<string, unknown> = {};
        try {
          json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
        } catch {
          json = {};
        }
        if (isToken) {
          if (!tokenEndpoint(method, path, query, json, res)) send(res, 404, { errcode: 404, errmsg: 'not found' });
          return;
        }
        apiEndpoint(record, res);
      })().catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { code: 'FakeServerBug', message: String(error) });
      });
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    issuedTokens,
    endlessBytes,
    setFaults: (next) => {
      faults = next.map((f) => ({ ...f, used: 0 }));
    },
    setGrants: (name, grants) => {
      const app = apps.get(name);
      if (!app) throw new Error(`fake DingTalk: no app ${name}`);
      app.grants = [...grants];
    },
    tokenRequests: () => requests.filter((r) => r.kind === 'token'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
