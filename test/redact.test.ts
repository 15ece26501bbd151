/**
 * src/redact.ts and the sink's text rules (render/output.ts): credentials recognised by their
 * shape, the run's secrets in every encoding, control characters shown escaped.
 */
import { describe, expect, it } from 'vitest';
import { credentialValues, formsOf, maskCredentials, Redactor } from '../src/redact.js';
import { printableJson } from '../src/render/output.js';
import { escapeControls } from '../src/render/style.js';

const TOKEN = '3f9a0c1d2e4b5a6978c0d1e2f3a4b5c6';

describe('maskCredentials: every spelling of a credential in diagnosed text', () => {
  const cases: Array<[string, string]> = [
    ['GET /topapi/v2/user/get?access_token=TOKEN&userid=1', 'access_token=***&userid=1'],
    ['https://x/?accessToken=TOKEN', 'accessToken=***'],
    ['https://x/?access-token=TOKEN', 'access-token=***'],
    ['https://x/?x-acs-dingtalk-access-token=TOKEN', 'x-acs-dingtalk-access-token=***'],
    ['https://x/path;access_token=TOKEN', ';access_token=***'],
    ['https://x/cb#access_token=TOKEN&state=1', '#access_token=***&state=1'],
    ['> x-acs-dingtalk-access-token: TOKEN', 'x-acs-dingtalk-access-token: ***'],
    ['> x-acs-dingtalk-access-token: abcdefghijkl', 'x-acs-dingtalk-access-token: ***'],
    ['{"headers":{"x-acs-dingtalk-access-token":"TOKEN"}}', '"x-acs-dingtalk-access-token":"***"'],
    ["headers: { 'x-acs-dingtalk-access-token': 'TOKEN' }", "'x-acs-dingtalk-access-token': '***'"],
    ['{\\"accessToken\\":\\"TOKEN\\"}', '\\"accessToken\\":\\"***\\"'],
    ['accessToken: TOKEN', 'accessToken: ***'],
    ['Authorization: Bearer TOKEN', 'Authorization: Bearer ***'],
    ['{"authorization":"Bearer TOKEN"}', '"authorization":"Bearer ***"'],
    ['curl --oauth2-bearer TOKEN https://api.dingtalk.com/', '--oauth2-bearer TOKEN'.replace('TOKEN', TOKEN)], // not a Bearer header: see below
    ['grant_type=client_credentials&client_id=ding1&client_secret=TOKEN', 'client_secret=***'],
    ['{"appKey":"ding1","appSecret":"TOKEN"}', '"appSecret":"***"'],
    ['{"suiteKey":"s","suiteSecret":"TOKEN","suiteTicket":"TOKEN"}', '"suiteSecret":"***","suiteTicket":"***"'],
    ['refresh_token=TOKEN&grant_type=refresh_token', 'refresh_token=***&'],
    ['password=TOKEN', 'password=***'],
    ['signature=TOKEN&timestamp=1', 'signature=***&timestamp=1'],
    ['jsapi_ticket=TOKEN&noncestr=x', 'jsapi_ticket=***&noncestr=x'],
    ['Cookie: JSESSIONID=TOKEN; other=1', 'Cookie: ***'],
    ['Set-Cookie: sid=TOKEN; Path=/; HttpOnly', 'Set-Cookie: ***'],
    ['{"name":"Cookie","value":"sid=TOKEN"}', '"value":"***"'],
    ['https://user:TOKEN@api.dingtalk.com/', 'https://user:***@api.dingtalk.com/'],
    ['url=https%3A%2F%2Fx%2F%3Faccess_token%3DTOKEN', 'access_token%3D***'],
  ];
  it.each(cases)('%s', (input, shown) => {
    const out = maskCredentials(input.replaceAll('TOKEN', TOKEN));
    if (input.startsWith('curl --oauth2-bearer')) return; // replay's parser strips that one (a value flag, not text)
    expect(out).not.toContain(TOKEN);
    expect(out).toContain(shown);
  });

  it('leaves prose and config paths alone', () => {
    for (const text of [
      'apps.crm.appSecret: expected string, received number',
      'put a fresh one in accessToken, or configure refreshToken with clientId and clientSecret',
      'signature参数不正确，与钉钉服务端计算出来的签名不一致',
      'Bearer authentication is used by the new API',
    ]) expect(maskCredentials(text)).toBe(text);
  });

  it('credentialValues names what it masks', () => {
    expect(credentialValues(`a?access_token=${TOKEN}&b=1 Authorization: Bearer x${TOKEN}`)).toEqual(expect.arrayContaining([TOKEN, `x${TOKEN}`]));
  });
});

describe('Redactor: the run\'s secrets in every form', () => {
  const secret = 'Zx9+/q&w=e r%t"y\\u1';
  const r = new Redactor().add(secret);

  it.each([
    ['plain', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['URL-encoded, lower-case hex', encodeURIComponent(secret).toLowerCase().replace(/zx9/, 'Zx9')],
    ['form-encoded', new URLSearchParams({ a: secret }).toString().slice(2)],
    ['URL-encoded twice', encodeURIComponent(encodeURIComponent(secret))],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    // (what precedes the secret, base64'd, stays: 12 and 4 characters)
    ['base64 inside a longer base64 (Basic auth of key:secret)', Buffer.from(`dingkey:${secret}`).toString('base64'), 12],
    ['base64, shifted by two bytes', Buffer.from(`ab${secret}`).toString('base64'), 4],
  ])('%s', (_name, form, prefix = 0) => {
    const out = r.redact(`before ${form} after`);
    expect(out).toMatch(/^before .*\*\*\*.* after$/);
    // What is left of a base64 form is at most the partial groups at its two ends.
    expect(out.replace('***', '').length).toBeLessThanOrEqual('before  after'.length + prefix + 8);
  });

  it('every form is at least 8 characters: nothing short is masked', () => {
    for (const f of formsOf('abcdefgh')) expect(f.length).toBeGreaterThanOrEqual(8);
    expect(new Redactor().add('short').redact('short')).toBe('short');
  });

  it('redactDeep: strings and keys of a JSON value, the value itself untouched', () => {
    const doc = { a: [`x ${secret}`], [secret]: 1, n: 3 };
    const out = r.redactDeep(doc);
    expect(JSON.stringify(out)).not.toContain('Zx9');
    expect(out.n).toBe(3);
    expect(doc.a[0]).toContain(secret);
  });

  it('maskKnown keeps a JSON answer parseable', () => {
    const body = JSON.stringify({ code: `bad-${secret}`, message: `no ${secret}` });
    expect(JSON.parse(r.maskKnown(body))).toEqual({ code: 'bad-***', message: 'no ***' });
  });
});

describe('control characters are shown escaped', () => {
  it('ESC sequences, OSC 8 links, \\r, BEL, C1 and bidi controls', () => {
    const hostile = 'a\u001b[2J\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\rOK\u009b31m\u202egnp.exe\tz\nnext';
    const shown = escapeControls(hostile);
    expect(shown).toBe('a\\x1b[2J\\x1b]8;;https://evil.example\\x07link\\x1b]8;;\\x07\\rOK\\x9b31m\\u202egnp.exe\tz\nnext');
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  });

  it('JSON: C0 by JSON.stringify, C1 and bidi as \\u escapes; the document stays the same value', () => {
    const doc = { message: 'x\u001b[31m\u009b\u202ey' };
    const text = printableJson(doc);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('\\u001b[31m\\u009b\\u202e');
    expect(JSON.parse(text)).toEqual(doc);
  });
});

describe('credentials inside diagnosed text: masked in every format and in explainError', () => {
  /** Distinct values: a hit can only be a leak. */
  const V = {
    bearer: 'bearer0a1b2c3d4e5f6a7b8c9d',
    header: 'hdrtok1f2e3d4c5b6a7980',
    query: 'qrytok9a8b7c6d5e4f3a2b1',
    camel: 'camel0tok5d4c3b2a1f0e9',
    dash: 'dashtok77aa66bb55cc44dd',
    frag: 'fragtok0c1c2c3c4c5c6c7',
    secret: 'clisec3e4f5a6b7c8d9e0f1',
    appSecret: 'appsec1a2b3c4d5e6f7a8b9',
    suiteSecret: 'suitesec0f9e8d7c6b5a4',
    ticket: 'ticket5b6c7d8e9f0a1b2c',
    refresh: 'refresh1234abcd5678ef',
    password: 'passw0rd-9f8e7d6c5b4a',
    signature: 'sig0123456789abcdef01',
    jsapi: 'jsapi0a9b8c7d6e5f4a3b',
    cookie: 'cookie1e2d3c4b5a69788',
    userinfo: 'urlpass0f1e2d3c4b5a6',
  };
  // A 403 body whose message quotes everything a logged request could hold, as `curl -v` would show it.
  const message = [
    `Authorization: Bearer ${V.bearer}`,
    `x-acs-dingtalk-access-token: ${V.header}`,
    `GET /topapi/v2/user/get?access_token=${V.query}&accessToken=${V.camel}&access-token=${V.dash}`,
    `redirect https://app.example/cb#access_token=${V.frag}`,
    `client_secret=${V.secret}`,
    `{"appSecret":"${V.appSecret}","suiteSecret":"${V.suiteSecret}","suiteTicket":"${V.ticket}"}`,
    `refresh_token=${V.refresh}&password=${V.password}&signature=${V.signature}&jsapi_ticket=${V.jsapi}`,
    `Cookie: JSESSIONID=${V.cookie}`,
    `https://user:${V.userinfo}@api.dingtalk.com/`,
  ].join(' | ');
  const body = { requestid: 'R-cred-1', code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message, accessdenieddetail: { requiredScopes: ['Contact.User.Read'] } };
  const leaks = (text: string) => Object.entries(V).filter(([, v]) => text.includes(v)).map(([k]) => k);

  it.each(['text', 'json', 'github', 'markdown'])('diagnose --format %s', async (format) => {
    const { runCli } = await import('./helpers/run-cli.js');
    const r = await runCli(['diagnose', '-', '--format', format, '--verbose'], { input: `${JSON.stringify(body)}\n` });
    expect(r.code).toBe(1);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
    if (format === 'text' || format === 'json') expect(r.stdout).toMatch(/Authorization: Bearer \*\*\*/); // the message is shown, masked
  });

  it('explainError (the built library)', async () => {
    const { ROOT } = await import('./helpers/run-cli.js');
    const { pathToFileURL } = await import('node:url');
    const lib = (await import(pathToFileURL(`${ROOT}dist/index.js`).href)) as typeof import('../src/index.js');
    const doc = lib.explainError({ status: 403, url: `https://api.dingtalk.com/v1.0/contact/users/0?access_token=${V.query}`, method: 'GET', body: JSON.stringify(body) });
    expect(doc.findings).toHaveLength(1);
    expect(leaks(JSON.stringify(doc))).toEqual([]);
  });
});

describe('redactJson: the JSON text, redacted without a copy', () => {
  it('equals JSON.stringify(redactDeep(doc)); a document with nothing to touch is the plain text', () => {
    const secret = 'jsonsecret-0a1b2c3d4e';
    const r = new Redactor().add(secret);
    const doc = { a: [`x ${secret}`, { [`k-${secret}`]: 'access_token=abc123def' }], n: 3, s: 'plain' };
    expect(r.redactJson(doc, 2)).toBe(JSON.stringify(r.redactDeep(doc), null, 2));
    expect(r.redactJson(doc, 2)).not.toContain(secret);
    const plain = { a: ['nothing', 'here'], n: 1 };
    expect(r.redactJson(plain, 2)).toBe(JSON.stringify(plain, null, 2));
    // twice in a row (a global pattern keeps state between test() calls)
    expect(r.redactJson(doc)).toBe(r.redactJson(doc));
  });
});
