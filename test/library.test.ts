/**
 * The library entry as published: `explainError` imported from the BUILT dist/index.js
 * (run `npm run build` first). The strongest case is a real error thrown by DingTalk's
 * official Node SDK (@alicloud/dingtalk) talking to the fake DingTalk on 127.0.0.1.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { ROOT } from './helpers/run-cli.js';

type Lib = typeof import('../src/index.js');
const require = createRequire(import.meta.url);

const TOKEN = 'user-access-token-5e5e5e5e';
let lib: Lib;
let fake: FakeDingTalk;

beforeAll(async () => {
  lib = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as Lib;
  fake = await startFakeDingTalk({
    apps: { app: { type: 'third-party-personal', accessToken: TOKEN, grants: [] } },
  });
});

afterAll(async () => {
  await fake?.close();
});

/** Calls contact_1_0 GetUser through the official SDK and returns what it throws. */
async function sdkError(token: string): Promise<unknown> {
  const { Config } = require('@alicloud/openapi-client') as { Config: new (c: object) => object };
  const contact = require('@alicloud/dingtalk/dist/contact_1_0/client') as {
    default: new (config: object) => { getUserWithOptions(id: string, headers: object, runtime: object): Promise<unknown> };
    GetUserHeaders: new (h: object) => object;
  };
  const { RuntimeOptions } = require('@alicloud/tea-util') as { RuntimeOptions: new (o: object) => object };
  const client = new contact.default(new Config({ protocol: 'http', endpoint: `127.0.0.1:${fake.port}` }));
  try {
    await client.getUserWithOptions('0123', new contact.GetUserHeaders({ xAcsDingtalkAccessToken: token }), new RuntimeOptions({}));
  } catch (error) {
    return error;
  }
  throw new Error('the SDK call was expected to fail');
}

describe('explainError: a real SDK ResponseError', () => {
  it('names the missing scope from the 403 the SDK threw, the API from its stack frame, and the per-app link', async () => {
    const error = (await sdkError(TOKEN)) as Error & { code: string; statusCode: number };
    // It really is the SDK's error, as an app would catch it.
    expect(error.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
    expect(error.statusCode).toBe(403);
    expect(error.stack).toMatch(/@alicloud[\\/]dingtalk[\\/]dist[\\/]contact_1_0[\\/]client\.js/);
    expect(fake.requests.at(-1)!.path).toBe('/v1.0/contact/users/0123');

    const doc = lib.explainError(error, { appKey: 'dingappkey01' });
    expect(doc.schemaVersion).toBe(1);
    expect(doc.command).toBe('diagnose');
    expect(doc.findings).toHaveLength(1);
    const f = doc.findings[0]!;
    expect(f.cause).toBe('missing-scope');
    expect(f.scopes.map((s) => [s.code, s.via])).toEqual([['Contact.User.Read', 'error']]);
    expect(f.httpStatus).toBe(403);
    expect(f.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
    expect(f.requestId).toMatch(/^[0-9A-F]{16}$/);
    expect(f.api).toEqual({ method: 'GET', path: '/v1.0/contact/users/{unionId}', host: 'api.dingtalk.com', template: '/v1.0/contact/users/{unionId}', via: 'stack' });
    expect(f.consoleUrl).toBe('https://open-dev.dingtalk.com/appscope/apply?content=dingappkey01%23Contact.User.Read');
    expect(f.steps.join('\n')).toContain('Contact.User.Read');
    expect(doc.summary).toEqual({ missingScopes: ['Contact.User.Read'], findings: 1, occurrences: 1, byCause: { 'missing-scope': 1 }, otherPlatform: 0 });
    expect(JSON.stringify(doc)).not.toContain(TOKEN);
  });

  it('an SDK error for a bad token is invalid-token, not a scope problem', async () => {
    const error = await sdkError('not-a-token-known-here');
    const doc = lib.explainError(error);
    expect(doc.findings.map((f) => [f.cause, f.code, f.httpStatus])).toEqual([['invalid-token', 'InvalidAuthentication', 400]]);
    expect(doc.findings[0]!.scopes).toEqual([]);
    expect(doc.summary.missingScopes).toEqual([]);
  });

  it('is the same document the CLI prints for that error serialized with JSON.stringify', async () => {
    const error = await sdkError(TOKEN);
    const fromLib = lib.explainError(error);
    const { runCli } = await import('./helpers/run-cli.js');
    const cli = await runCli(['diagnose', '--json', '-'], { input: JSON.stringify(error) });
    expect(cli.code).toBe(1);
    const fromCli = JSON.parse(cli.stdout) as typeof fromLib;
    const strip = (d: typeof fromLib) => d.findings.map(({ source: _s, api: _a, ...rest }) => rest);
    expect(strip(fromLib)).toEqual(strip(fromCli));
  });

  it('an error wrapping the SDK error (new Error(msg, { cause })) is explained by its cause', async () => {
    const error = await sdkError(TOKEN);
    const doc = lib.explainError(new Error('loading the user failed', { cause: error }));
    expect(doc.summary.missingScopes).toEqual(['Contact.User.Read']);
  });
});

describe('explainError: axios errors', () => {
  const axiosError = () => {
    const config = {
      method: 'get',
      url: 'https://api.dingtalk.com/v1.0/contact/users/0123',
      headers: { 'x-acs-dingtalk-access-token': 'axios-secret-token-77', Accept: 'application/json' },
    };
    const response = {
      status: 403,
      statusText: 'Forbidden',
      headers: {},
      config,
      data: { requestid: 'AX-1', code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '没有调用该接口的权限，接口权限申请参考：https://open.dingtalk.com/document/orgapp-server/add-api-permission' },
    };
    const error = Object.assign(new Error('Request failed with status code 403'), { isAxiosError: true, code: 'ERR_BAD_REQUEST', config, response, request: {} as Record<string, unknown> });
    error.request.res = response; // axios errors are cyclic
    (response as Record<string, unknown>).request = error.request;
    return error;
  };

  it('takes status and body from error.response and the API from error.config; the scope comes from the catalog', () => {
    const doc = lib.explainError(axiosError(), { lang: 'zh', appType: 'internal' });
    const f = doc.findings[0]!;
    expect(doc.findings).toHaveLength(1);
    expect(f.cause).toBe('missing-scope');
    expect(f.scopes.map((s) => [s.code, s.via])).toEqual([['Contact.User.Read', 'catalog']]);
    expect(f.httpStatus).toBe(403);
    expect(f.requestId).toBe('AX-1');
    expect(f.api).toEqual({ method: 'GET', path: '/v1.0/contact/users/0123', host: 'api.dingtalk.com', template: '/v1.0/contact/users/{unionId}', via: 'exchange' });
    // Chinese steps.
    expect(f.steps[0]).toMatch(/[\u4e00-\u9fff]/);
  });

  it('never echoes the token from the request headers or the URL', () => {
    const error = axiosError();
    error.config.url = 'https://oapi.dingtalk.com/topapi/v2/user/get?access_token=legacy-secret-token-88';
    error.config.method = 'post';
    error.response.status = 200;
    (error.response as Record<string, unknown>).data = {
      errcode: 60011,
      errmsg: '没有调用该接口的权限 https://oapi.dingtalk.com/topapi/v2/user/get?access_token=legacy-secret-token-88',
    };
    const doc = lib.explainError(error);
    const text = JSON.stringify(doc);
    expect(doc.findings.map((f) => [f.cause, f.code, f.api?.template])).toEqual([['missing-scope', '60011', '/topapi/v2/user/get']]);
    expect(doc.findings[0]!.scopes.map((s) => s.code)).toEqual(['qyapi_get_member']);
    expect(text).not.toContain('legacy-secret-token-88');
    expect(text).not.toContain('axios-secret-token-77');
  });

  it('an axios error with a relative url joins config.baseURL', () => {
    const error = axiosError();
    Object.assign(error.config, { baseURL: 'https://api.dingtalk.com/', url: 'v1.0/contact/users/0123' });
    expect(lib.explainError(error).findings[0]!.api?.host).toBe('api.dingtalk.com');
  });
});

describe('explainError: response bodies and text', () => {
  const IP_BODY = '{"requestid":"R-7","code":"Forbidden.AccessDenied.IpNotInWhiteList","message":"访问ip不在白名单之中，request ip=203.0.113.7"}';

  it('a fetch body string with its status and API', () => {
    const doc = lib.explainError(IP_BODY, { status: 403, api: 'GET https://api.dingtalk.com/v1.0/contact/users/1' });
    expect(doc.findings.map((f) => [f.cause, f.httpStatus, f.callerIp, f.api?.template])).toEqual([['ip-not-allowed', 403, '203.0.113.7', '/v1.0/contact/users/{unionId}']]);
    expect(doc.findings[0]!.steps.join(' ')).toContain('203.0.113.7');
  });

  it('a response snapshot { status, url, method, body } with a parsed body', () => {
    const doc = lib.explainError({
      status: 403,
      url: 'https://api.dingtalk.com/v1.0/calendar/users/u1/calendars/primary/events?maxResults=10',
      method: 'GET',
      body: { code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '应用尚未开通所需的权限：[Calendar.Event.Read]' },
    });
    expect(doc.findings.map((f) => [f.cause, f.scopes.map((s) => s.code), f.api?.path])).toEqual([
      ['missing-scope', ['Calendar.Event.Read'], '/v1.0/calendar/users/u1/calendars/primary/events'],
    ]);
  });

  it('a bare 4xx without a DingTalk body still gives one finding (status only)', () => {
    const doc = lib.explainError({ status: 403, url: 'https://api.dingtalk.com/v1.0/contact/users/1', body: '' });
    expect(doc.findings).toHaveLength(1);
    expect(doc.findings[0]!.httpStatus).toBe(403);
    expect(doc.findings[0]!.code).toBeNull();
  });

  it('a parsed legacy body object (errcode 88 wrapper)', () => {
    const doc = lib.explainError({ errcode: 88, sub_code: '40014', sub_msg: '不合法的access_token', errmsg: 'ding talk error[subcode=40014,submsg=不合法的access_token]' });
    expect(doc.findings.map((f) => [f.cause, f.code, f.subCode])).toEqual([['invalid-token', '88', '40014']]);
  });

  it('plain text: a log with several errors, deduplicated like diagnose', async () => {
    const { readFileSync } = await import('node:fs');
    const log = readFileSync(join(ROOT, 'examples', 'app.log'), 'utf8');
    const doc = lib.explainError(log, { source: 'app.log' });
    const { runCli } = await import('./helpers/run-cli.js');
    const cli = JSON.parse((await runCli(['diagnose', '--json', 'examples/app.log'])).stdout) as typeof doc;
    expect(doc.inputs).toEqual(['app.log']);
    expect(doc.findings.map((f) => [f.cause, f.scopes.map((s) => s.code), f.source.line, f.count])).toEqual(
      cli.findings.map((f) => [f.cause, f.scopes.map((s) => s.code), f.source.line, f.count]),
    );
    expect(doc.summary).toEqual(cli.summary);
  });

  it('the SDK message alone (err.message) still names the scope when the body message did', () => {
    const doc = lib.explainError('Forbidden.AccessDenied.AccessTokenPermissionDenied: code: 403, 应用尚未开通所需的权限：[Document.AIAssistant.Read] request id: 1A2B');
    expect(doc.summary.missingScopes).toEqual(['Document.AIAssistant.Read']);
    expect(doc.findings[0]!.requestId).toBe('1A2B');
  });

  it('no DingTalk error → no findings; a network error too', () => {
    expect(lib.explainError('all good').findings).toEqual([]);
    expect(lib.explainError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).findings).toEqual([]);
    expect(lib.explainError(null).summary).toEqual({ missingScopes: [], findings: 0, occurrences: 0, byCause: {}, otherPlatform: 0 });
  });

  it('a fetch Response object is refused with a TypeError that says what to pass', () => {
    expect(() => lib.explainError(new Response(IP_BODY, { status: 403 }))).toThrow(/await res\.text\(\)/);
  });

  it('exports the schema version of the documents', () => {
    expect(lib.SCHEMA_VERSION).toBe(1);
  });
});
