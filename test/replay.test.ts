/**
 * `diagnose --replay` end to end against the fake DingTalk: METHOD URL, curl command
 * lines and HAR entries are re-sent with a fresh token (old tokens stripped), writes
 * refused without --allow-write, tokens never sent to other hosts.
 */
import { truncateSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 'replay-secret-2718';
const OLD = 'old-token-should-vanish-99';
let fake: FakeDingTalk;
let ws: Workspace;

beforeAll(async () => {
  fake = await startFakeDingTalk({
    apps: {
      crm: { type: 'internal', appKey: 'dingreplaykey', appSecret: SECRET, grants: ['Calendar.Event.Write'] },
      hr: { type: 'internal', appKey: 'dinghrkey', appSecret: SECRET, grants: ['Contact.User.Read'] },
    },
  });
  ws = workspace();
  ws.write('.dingtalkrc.yml', 'defaultApp: crm\napps:\n  crm:\n    appKey: dingreplaykey\n    appSecret: ${S}\n  hr:\n    appKey: dinghrkey\n    appSecret: ${S}\n');
});
afterAll(async () => {
  await fake.close();
  ws.remove();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const replay = (args: string[], env: Record<string, string> = {}) =>
  runCli(['diagnose', '--replay', '--base-url', fake.url, ...args], { cwd: ws.dir, env: ws.env({ S: SECRET, ...env }) });
const apiRequests = () => fake.requests.filter((r) => r.kind !== 'token');
const secrets = () => [SECRET, OLD, ...fake.issuedTokens];

describe('diagnose --replay', () => {
  it('METHOD URL: re-sent with a fresh token of the app; the 403 is diagnosed (scope, apply link), exit 1', async () => {
    const r = await replay(['GET', 'https://api.dingtalk.com/v1.0/contact/users/manager4711']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('GET');
    expect(r.stdout).toContain('as app "crm" → HTTP 403');
    expect(r.stdout).toContain('Contact.User.Read');
    expect(r.stdout).toContain('https://open-dev.dingtalk.com/appscope/apply?content=dingreplaykey%23Contact.User.Read');
    const sent = apiRequests();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', path: '/v1.0/contact/users/manager4711', app: 'crm' });
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(leaked(r, secrets())).toEqual([]);
  });

  it('"METHOD URL" as one quoted argument (the --help example) works like two words', async () => {
    const r = await replay(['GET https://api.dingtalk.com/v1.0/contact/users/manager4711']);
    expect(r.stderr).not.toContain('no such file');
    expect(r.code).toBe(1);
    expect(apiRequests()).toHaveLength(1);
    expect(apiRequests()[0]).toMatchObject({ method: 'GET', path: '/v1.0/contact/users/manager4711', app: 'crm' });
    const write = await replay(['POST https://api.dingtalk.com/v1.0/contact/users/manager4711', '--data', '{}']);
    expect(write.code).toBe(2);
    expect(write.stderr).toContain('replay of POST /v1.0/contact/users/manager4711 refused');
  });

  it('--app picks another app: granted there, exit 0', async () => {
    const r = await replay(['--app', 'hr', 'https://api.dingtalk.com/v1.0/contact/users/manager4711']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('as app "hr" → HTTP 400');
    expect(apiRequests()[0]!.app).toBe('hr');
  });

  it('a curl command line: the old token header is stripped and replaced, --json carries the replay', async () => {
    const curl = `curl -s 'https://api.dingtalk.com/v1.0/contact/users/manager4711' \\\n  -H 'x-acs-dingtalk-access-token: ${OLD}' -H 'Accept: application/json'`;
    const r = await replay(['--json', curl]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.command).toBe('diagnose');
    expect(doc.replay).toMatchObject({ app: 'crm', method: 'GET', status: 403, removedTokens: ['header x-acs-dingtalk-access-token'] });
    expect(doc.findings[0].cause).toBe('missing-scope');
    expect(doc.findings[0].scopes.map((s: { code: string }) => s.code)).toEqual(['Contact.User.Read']);
    // the app type is the config's, and says so (not '--app-type', which was not given)
    expect(doc.findings[0].appType).toMatchObject({ type: 'internal', via: 'config', app: 'crm' });
    const sent = apiRequests()[0]!;
    expect(sent.token).not.toBe(OLD);
    expect(sent.app).toBe('crm');
    expect(JSON.stringify(sent.headers)).not.toContain(OLD);
    expect(r.stderr).toContain('removed the old token');
    expect(leaked(r, secrets())).toEqual([]);
  });

  it('a curl command pasted unquoted: its -H/-s flags are curl\'s, not ours', async () => {
    const r = await replay(['curl', '-s', '-H', `x-acs-dingtalk-access-token: ${OLD}`, 'https://api.dingtalk.com/v1.0/contact/users/manager4711']);
    expect(r.stderr).not.toMatch(/unknown option/);
    expect(r.code).toBe(1);
    expect(apiRequests()).toHaveLength(1);
    expect(apiRequests()[0]!.token).not.toBe(OLD);
    expect(leaked(r, secrets())).toEqual([]);
  });

  it('a HAR file: the first non-2xx entry; a legacy oapi URL gets the fresh token in ?access_token=', async () => {
    const har = {
      log: {
        version: '1.2',
        entries: [
          { request: { method: 'GET', url: 'https://api.dingtalk.com/v1.0/contact/users/me', headers: [] }, response: { status: 200 } },
          {
            request: { method: 'GET', url: `https://oapi.dingtalk.com/topapi/role/getrolegroup?access_token=${OLD}&group_id=1`, headers: [{ name: 'Cookie', value: 'sid=abc' }] },
            response: { status: 200, content: { text: '{"errcode":88}' } },
          },
          { request: { method: 'GET', url: `https://oapi.dingtalk.com/auth/scopes?access_token=${OLD}`, headers: [] }, response: { status: 500 } },
        ],
      },
    };
    ws.write('trace.har', JSON.stringify(har));
    // Entry 2 answered 200 (legacy errors do) — pick it explicitly; the default would be entry 3 (500).
    const r = await replay(['--entry', '2', 'trace.har', '--allow-write']);
    const sent = apiRequests()[0]!;
    expect(sent.path).toBe('/topapi/role/getrolegroup');
    expect(sent.query.group_id).toBe('1');
    expect(sent.query.access_token).toBe(sent.token);
    expect(sent.token).not.toBe(OLD);
    expect(sent.headers.cookie).toBeUndefined();
    expect(r.stdout).toContain('qyapi_get_department_list');
    expect(r.code).toBe(1);
    expect(leaked(r, secrets())).toEqual([]);

    const byDefault = await replay(['trace.har']);
    expect(apiRequests().at(-1)!.path).toBe('/auth/scopes');
    expect(byDefault.stderr).toContain('trace.har entry 3');
  });

  it('a write is refused without --allow-write (exit 2, nothing sent); with it, what is sent is printed first', async () => {
    const refused = await replay(['POST', 'https://api.dingtalk.com/v1.0/contact/users/manager4711', '--data', '{"name":"x"}']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/replay of POST \/v1\.0\/contact\/users\/manager4711 refused: it may change data — .*--allow-write/);
    expect(fake.requests).toHaveLength(0);

    const allowed = await replay(['POST', 'https://api.dingtalk.com/v1.0/contact/users/manager4711', '--data', '{"name":"x"}', '--allow-write']);
    expect(allowed.stderr).toMatch(/replay: sending POST http:\/\/127\.0\.0\.1:\d+\/v1\.0\/contact\/users\/manager4711 as app "crm" with body \(12 bytes\): \{"name":"x"\}/);
    const sent = apiRequests()[0]!;
    expect(sent).toMatchObject({ method: 'POST', body: '{"name":"x"}' });
    expect(sent.headers['content-type']).toBe('application/json');
  });

  it('never sends a token to a host that is not DingTalk or the --base-url (exit 2, nothing sent)', async () => {
    const r = await replay(['GET', 'https://evil.example.com/v1.0/contact/users/1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('will not send a DingTalk token to evil.example.com');
    expect(fake.requests).toHaveLength(0);
  });

  it('a refused token: exit 3, one line with the reason, no secret', async () => {
    const r = await replay(['GET', 'https://api.dingtalk.com/v1.0/contact/users/1'], { S: 'wrong-secret-zzz' });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('app "crm": token request refused: invalidClientIdOrSecret');
    expect(leaked(r, ['wrong-secret-zzz', ...secrets()])).toEqual([]);
  });

  it('bad replay input: exit 2', async () => {
    const r = await replay(['curl -F file=@x https://api.dingtalk.com/v1.0/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('multipart forms (-F) cannot be replayed');
    const r2 = await replay(['no-such-file.har']);
    expect(r2.code).toBe(2);
  });

  it('curl --oauth2-bearer TOKEN URL: the token is an old credential, not the URL (never printed, never sent)', async () => {
    const r = await replay(['--json', `curl --oauth2-bearer ${OLD} https://api.dingtalk.com/v1.0/contact/users/manager4711`]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).replay.removedTokens).toEqual(['curl --oauth2-bearer']);
    const sent = apiRequests();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe('/v1.0/contact/users/manager4711');
    expect(JSON.stringify(sent[0])).not.toContain(OLD);
    expect(leaked(r, secrets())).toEqual([]);
  });

  it('old credentials in every form are gone from what is sent and printed', async () => {
    const url = `https://me:${OLD}@api.dingtalk.com/v1.0/contact/users/manager4711;access_token=${OLD}?accessToken=${OLD}&access-token=${OLD}&x-acs-dingtalk-access-token=${OLD}#access_token=${OLD}`;
    const r = await replay(['--json', 'curl', url, '-u', `u:${OLD}`, '--proxy-user', `p:${OLD}`, '-b', `sid=${OLD}`, '-H', `Authorization: Bearer ${OLD}`]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).replay.url).toMatch(/\/v1\.0\/contact\/users\/manager4711$/);
    const sent = apiRequests()[0]!;
    expect(JSON.stringify(sent)).not.toContain(OLD);
    expect(sent.token).toBe(fake.issuedTokens.at(-1));
    expect(leaked(r, secrets())).toEqual([]);
  });

  it('a GET with a body, or a method-override header, is refused without --allow-write (exit 2, nothing sent)', async () => {
    const url = 'https://api.dingtalk.com/v1.0/contact/users/manager4711';
    const body = await replay([`curl -X GET ${url} -d '{"dept":1}'`]);
    expect(body.code).toBe(2);
    expect(body.stderr).toContain('refused: a GET with a body may change data');
    const override = await replay(['curl', url, '-H', 'X-HTTP-Method-Override: DELETE']);
    expect(override.code).toBe(2);
    expect(override.stderr).toContain('refused: its header x-http-method-override: DELETE asks the server for another method');
    expect(fake.requests).toHaveLength(0);
    const allowed = await replay(['--allow-write', 'curl', url, '-H', 'X-HTTP-Method-Override: DELETE']);
    expect(allowed.stderr).toMatch(/replay: sending GET \S+ \(x-http-method-override: DELETE\) as app "crm"/);
    expect(apiRequests()[0]!.headers['x-http-method-override']).toBe('DELETE');
  });

  it('a HAR entry whose method or url is not a string: exit 2, one line, no stack', async () => {
    ws.write('typed.har', JSON.stringify({ log: { entries: [{ request: { method: 7, url: ['x'] }, response: { status: 403 } }] } }));
    const r = await replay(['typed.har']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['dingtalk-doctor: typed.har: entry 1: request.url is not a string']);
    ws.write('typed2.har', JSON.stringify({ log: { entries: [{ request: { method: { m: 'GET' }, url: 'https://api.dingtalk.com/v1.0/x' }, response: { status: 403 } }] } }));
    const r2 = await replay(['typed2.har']);
    expect(r2.code).toBe(2);
    expect(r2.stderr.trim().split('\n')).toEqual(['dingtalk-doctor: typed2.har: entry 1: request.method is not a string']);
    expect(fake.requests).toHaveLength(0);
  });

  it('a 200 MB HAR is refused by its size (exit 2), not read into memory', async () => {
    const file = ws.write('huge.har', '');
    truncateSync(file, 200 * 1024 * 1024); // sparse: no disk used
    const r = await replay(['huge.har']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^dingtalk-doctor: huge\.har: larger than 64 MiB, too large to replay from/);
    expect(fake.requests).toHaveLength(0);
  });
});
