/**
 * Proxies: HTTP_PROXY / HTTPS_PROXY / NO_PROXY through undici's EnvHttpProxyAgent,
 * against a tiny loopback proxy written here (CONNECT tunnels and absolute-URI HTTP), and
 * an HTTPS fake DingTalk (a throwaway self-signed certificate for 127.0.0.1, made with
 * openssl and trusted by the CLI through NODE_EXTRA_CA_CERTS) for the HTTPS_PROXY case.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 'proxy-secret-31415';
let fake: FakeDingTalk;
let tlsFake: FakeDingTalk;
let caFile: string;
let ws: Workspace;
let proxy: Server;
let proxyUrl: string;
const seen: string[] = [];
const sockets = new Set<Socket>();

function startProxy(): Promise<Server> {
  const server = createServer((req, res) => {
    // Plain HTTP proxying: the request line carries the absolute URL.
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    sockets.add(client);
    sockets.add(upstream);
  });
  server.on('connection', (s: Socket) => sockets.add(s));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: { crm: { type: 'internal', appKey: 'dingproxykey', appSecret: SECRET, grants: ['Contact.User.Read'] } } });
  proxy = await startProxy();
  ws = workspace();
  // a certificate for 127.0.0.1, valid two days, trusted only by the CLI children given caFile
  caFile = join(ws.dir, 'ca.pem');
  const keyFile = join(ws.dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  tlsFake = await startFakeDingTalk({
    apps: { crm: { type: 'internal', appKey: 'dingproxykey', appSecret: SECRET, grants: ['Contact.User.Read'] } },
    tls: { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(caFile, 'utf8') },
  });
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  ws.write('.dingtalkrc.yml', 'apps:\n  crm:\n    appKey: dingproxykey\n    appSecret: ${S}\n    required: [Contact.User.Read, Calendar.Event.Write]\n');
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => proxy.close(r));
  await fake.close();
  await tlsFake.close();
  ws.remove();
});
beforeEach(() => {
  seen.length = 0;
  fake.requests.length = 0;
  tlsFake.requests.length = 0;
});

const check = (env: Record<string, string>, baseUrl = fake.url) => runCli(['check', '--json', '--base-url', baseUrl], { cwd: ws.dir, env: ws.env({ S: SECRET, ...env }) });

/** The answers the fake gives for the configured scopes, whichever way the requests went. */
function expectRealResults(stdout: string): void {
  const doc = JSON.parse(stdout);
  expect(doc.apps[0].results.map((x: { scope: string; status: string }) => [x.scope, x.status])).toEqual([
    ['Contact.User.Read', 'granted'],
    ['Calendar.Event.Write', 'missing'],
  ]);
}

describe('proxy support', () => {
  it('HTTP_PROXY: every request (token and probes) goes through the proxy; results unchanged', async () => {
    const r = await check({ HTTP_PROXY: proxyUrl });
    expect(r.code).toBe(1);
    expectRealResults(r.stdout);
    expect(seen.length).toBeGreaterThan(0);
    // undici tunnels through CONNECT (or sends absolute URIs); either way the proxy was asked for the fake's host:port.
    expect(seen.every((line) => line.includes(`127.0.0.1:${fake.port}`))).toBe(true);
    expect(fake.requests).toHaveLength(3);
    expect(leaked(r, [SECRET, ...fake.issuedTokens])).toEqual([]);
  });

  it('NO_PROXY naming the host bypasses the proxy', async () => {
    const r = await check({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
    expect(r.code).toBe(1);
    expect(seen).toEqual([]);
    expect(fake.requests).toHaveLength(3);
  });

  it('HTTPS_PROXY alone does not apply to an http:// base URL', async () => {
    const r = await check({ HTTPS_PROXY: proxyUrl });
    expect(r.code).toBe(1);
    expect(seen).toEqual([]);
  });

  it('HTTPS_PROXY with an https:// DingTalk: a CONNECT tunnel; the proxy sees host and port, never a path, token or secret', async () => {
    const r = await check({ HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: caFile }, tlsFake.url);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expectRealResults(r.stdout);
    expect(tlsFake.requests).toHaveLength(3);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((line) => line === `CONNECT 127.0.0.1:${tlsFake.port}`)).toBe(true);
    expect(leaked(r, [SECRET, ...tlsFake.issuedTokens])).toEqual([]);
  });

  it('an https:// DingTalk whose certificate is not trusted: no request is made, exit 3 naming the certificate', async () => {
    const r = await check({}, tlsFake.url);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.apps[0].error.cause).toBe('token-failed');
    expect(doc.apps[0].error.message).toMatch(/certificate/i);
    expect(doc.apps[0].error.steps.join(' ')).toContain('NODE_EXTRA_CA_CERTS');
    expect(tlsFake.requests).toHaveLength(0);
    expect(leaked(r, [SECRET])).toEqual([]);
  });

  it('a proxy that is down: the token request fails, exit 3, one line naming the proxy settings', async () => {
    const r = await check({ HTTP_PROXY: 'http://127.0.0.1:9' });
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.apps[0].error.cause).toBe('token-failed');
    expect(doc.apps[0].error.steps.join(' ')).toContain('HTTPS_PROXY');
    expect(fake.requests).toHaveLength(0);
  });
});
