/** Replay inputs (pure): curl command lines as browsers and docs print them, token stripping, re-aiming. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DoctorError } from '../src/errors.js';
import { resolveBases } from '../src/dingtalk/hosts.js';
import { parseCurl, parseHarEntry, parseMethodUrl, prepareReplay, printableUrl, replayRequest, shellWords, stripTokens, writeReason } from '../src/dingtalk/replay.js';

describe('curl command lines', () => {
  it("Chrome's Copy as cURL (bash): $'...' bodies, line continuations, --data-raw makes it a POST", () => {
    const t = parseCurl(
      "curl 'https://api.dingtalk.com/v1.0/contact/users/search' \\\n  -H 'content-type: application/json' \\\n  -H 'x-acs-dingtalk-access-token: abc123' \\\n  --data-raw $'{\"queryWord\":\"it\\'s\"}' \\\n  --compressed",
    );
    expect(t.method).toBe('POST');
    expect(t.url.toString()).toBe('https://api.dingtalk.com/v1.0/contact/users/search');
    expect(t.body).toBe('{"queryWord":"it\'s"}');
    expect(t.headers).toEqual({ 'content-type': 'application/json', 'x-acs-dingtalk-access-token': 'abc123' });
  });

  it('-X, attached values, -G moves data to the query, double quotes with escapes', () => {
    expect(parseCurl('curl -XPUT "https://api.dingtalk.com/v1.0/x" -d "{\\"a\\":1}"')).toMatchObject({ method: 'PUT', body: '{"a":1}' });
    const g = parseCurl(['curl', '-G', 'https://oapi.dingtalk.com/topapi/v2/user/get', '-d', 'userid=42', '--data', 'lang=zh_CN']);
    expect(g.method).toBe('GET');
    expect(g.body).toBeUndefined();
    expect(g.url.searchParams.get('userid')).toBe('42');
    expect(g.url.searchParams.get('lang')).toBe('zh_CN');
    expect(shellWords(`a 'b c' "d \\"e\\"" f\\ g`)).toEqual(['a', 'b c', 'd "e"', 'f g']);
  });

  it('METHOD URL with --data', () => {
    expect(parseMethodUrl(['https://api.dingtalk.com/v1.0/x'])).toMatchObject({ method: 'GET' });
    expect(parseMethodUrl(['DELETE', 'https://api.dingtalk.com/v1.0/x'])).toMatchObject({ method: 'DELETE' });
    expect(parseMethodUrl(['https://api.dingtalk.com/v1.0/x'], '{"a":1}')).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
  });
});

describe('stripping and re-aiming', () => {
  const bases = resolveBases({ baseUrl: 'http://127.0.0.1:9999/gw' }, {});

  it('removes every old token and cookies, keeps the rest', () => {
    const t = parseCurl("curl 'https://oapi.dingtalk.com/topapi/v2/user/get?access_token=OLD&userid=1' -H 'Authorization: Bearer OLD' -H 'Cookie: a=b' -H 'X-Acs-Dingtalk-Access-Token: OLD' -H 'x-custom: 1' -d '{}'");
    const { target, stripped } = stripTokens(t);
    expect(stripped.sort()).toEqual(['header authorization', 'header cookie', 'header x-acs-dingtalk-access-token', 'query access_token']);
    expect(JSON.stringify({ ...target, url: target.url.toString() })).not.toContain('OLD');
    expect(target.headers['x-custom']).toBe('1');
  });

  it('new APIs get the header, legacy the query; DingTalk hosts map onto the base (with its path prefix)', () => {
    const api = replayRequest(stripTokens(parseCurl('curl https://api.dingtalk.com/v1.0/contact/users/1')).target, 'FRESH', bases);
    expect(api.url.toString()).toBe('http://127.0.0.1:9999/gw/v1.0/contact/users/1');
    expect(api.headers!['x-acs-dingtalk-access-token']).toBe('FRESH');
    const legacy = replayRequest(stripTokens(parseCurl('curl "https://oapi.dingtalk.com/topapi/v2/user/get?access_token=OLD&userid=1"')).target, 'FRESH', bases);
    expect(legacy.url.searchParams.get('access_token')).toBe('FRESH');
    expect(legacy.url.searchParams.get('userid')).toBe('1');
    expect(legacy.headers!['x-acs-dingtalk-access-token']).toBeUndefined();
    expect(printableUrl(legacy.url)).toBe('http://127.0.0.1:9999/gw/topapi/v2/user/get?userid=1&access_token=***');
  });

  it('refuses any other host', () => {
    expect(() => replayRequest(parseCurl('curl https://api.dingtalk.com.evil.example/v1.0/x'), 'T', bases)).toThrow(/will not send a DingTalk token to api\.dingtalk\.com\.evil\.example/);
    expect(() => replayRequest(parseCurl('curl http://127.0.0.1:9999/other/v1.0/x'), 'T', bases)).toThrow(/will not send/);
  });
});

describe('every old credential is stripped (issue 13.3)', () => {
  const OLD = Array.from({ length: 13 }, (_, i) => `old-credential-${String(i).padStart(2, '0')}-zz`);

  it('query spellings, ;path parameters, the fragment, user:password@, curl -u/--oauth2-bearer/--proxy-user/-b/-x, headers, form and JSON bodies', () => {
    const url = `https://me:${OLD[0]}@oapi.dingtalk.com/topapi/v2/user/get;access_token=${OLD[1]}?accessToken=${OLD[2]}&access-token=${OLD[3]}&x-acs-dingtalk-access-token=${OLD[4]}&userid=1;access_token=${OLD[5]}#access_token=${OLD[6]}`;
    const t = parseCurl([
      'curl', url, '--oauth2-bearer', OLD[7]!, '-u', `user:${OLD[8]}`, '--proxy-user', `p:${OLD[9]}`, '-b', `sid=${OLD[10]}`, '-x', `http://proxyuser:${OLD[11]}@proxy.example:3128`,
      '-H', `X-Access-Token: ${OLD[12]}`, '-G',
    ]);
    const { target, stripped, secrets } = stripTokens(t);
    const everything = JSON.stringify({ ...target, url: target.url.toString() });
    for (const old of OLD) expect(everything).not.toContain(old);
    expect(target.url.toString()).toBe('https://oapi.dingtalk.com/topapi/v2/user/get?userid=1');
    expect(stripped).toEqual(expect.arrayContaining([
      'curl --oauth2-bearer', 'curl -u', 'curl --proxy-user', 'curl -b', 'curl --proxy', 'header x-access-token', 'URL user:password',
      'path ;access_token', 'query accessToken', 'query access-token', 'query x-acs-dingtalk-access-token', 'query access_token', 'fragment access_token',
    ]));
    // The values, for redaction of anything printed later.
    for (const old of OLD) expect(secrets.some((s) => s.includes(old))).toBe(true);
  });

  it('credential keys of a form or JSON body go; the rest of the body stays as written', () => {
    const form = stripTokens(parseCurl(`curl https://oapi.dingtalk.com/topapi/x -d 'a=1&access_token=${OLD[0]}&b=2'`));
    expect(form.target.body).toBe('a=1&b=2');
    const json = stripTokens(parseCurl(`curl https://api.dingtalk.com/v1.0/x --json '{"accessToken":"${OLD[1]}","userId":"u1"}'`));
    expect(json.target.body).toBe('{"userId":"u1"}');
    const untouched = stripTokens(parseCurl(`curl 'https://oapi.dingtalk.com/topapi/x?fields=a;b&c=1'`));
    expect(untouched.target.url.search).toBe('?fields=a;b&c=1');
  });
});

describe('curl options that take a value take it (curl-options.ts, from curl --help all)', () => {
  it('--oauth2-bearer TOKEN URL: the URL is the URL, the token is a credential', () => {
    const t = parseCurl(['curl', '--oauth2-bearer', 'old-bearer-token-123', 'https://api.dingtalk.com/v1.0/contact/users/1']);
    expect(t.url.toString()).toBe('https://api.dingtalk.com/v1.0/contact/users/1');
    expect(t.credentials).toEqual([{ where: 'curl --oauth2-bearer', value: 'old-bearer-token-123' }]);
  });

  it('value options of every kind are skipped with their value; bundles of letters read as curl does', () => {
    const url = 'https://api.dingtalk.com/v1.0/x';
    for (const words of [['-o', 'out.json'], ['--connect-timeout', '5'], ['-m', '10'], ['--retry', '3'], ['-w', '%{http_code}'], ['--cacert', 'ca.pem'], ['-A', 'agent'], ['--resolve', 'h:443:1.2.3.4'], ['--trace-config', 'all'], ['-sSL'], ['-kv']]) {
      expect(parseCurl(['curl', ...words, url]).url.toString()).toBe(url);
    }
    expect(parseCurl(['curl', '-sXPUT', url]).method).toBe('PUT');
    expect(parseCurl(['curl', '-sd', 'a=1', url])).toMatchObject({ method: 'POST', body: 'a=1' });
    expect(parseCurl(['curl', '-sda=2', url])).toMatchObject({ method: 'POST', body: 'a=2' });
    expect(parseCurl(`curl -s ${url} | jq .`).url.toString()).toBe(url);
    expect(() => parseCurl(['curl', url, 'https://api.dingtalk.com/v1.0/y'])).toThrow(/more than one URL/);
    expect(() => parseCurl(['curl', url, '-o'])).toThrow(/-o needs a value/);
  });

  it("curl's implied methods: -d POST, --json POST, -I HEAD, -G GET with the data in the query, -X wins", () => {
    const url = 'https://api.dingtalk.com/v1.0/x';
    expect(parseCurl(['curl', url, '-d', 'a=1']).method).toBe('POST');
    expect(parseCurl(['curl', url, '--json', '{}']).method).toBe('POST');
    expect(parseCurl(['curl', '-I', url]).method).toBe('HEAD');
    const g = parseCurl(['curl', '-G', url, '--data-urlencode', 'q=a b', '-d', 'n=1']);
    expect(g).toMatchObject({ method: 'GET' });
    expect(g.url.search).toBe('?q=a%20b&n=1');
    expect(parseCurl(['curl', '-X', 'GET', url, '-d', '{}'])).toMatchObject({ method: 'GET', body: '{}' });
  });

  it('what curl would do but a replay cannot is refused, not sent differently', () => {
    const url = 'https://api.dingtalk.com/v1.0/x';
    expect(() => parseCurl(['curl', '-T', 'file.bin', url])).toThrow(/upload \(-T\)/);
    expect(() => parseCurl(['curl', '-F', 'f=@x', url])).toThrow(/multipart/);
    expect(() => parseCurl(['curl', '-K', 'opts.txt', url])).toThrow(/-K reads more options/);
    expect(() => parseCurl(['curl', url, '--next', url])).toThrow(/one at a time/);
    expect(() => parseCurl(['curl', '--expand-url', '{{u}}'])).toThrow(/expands curl variables/);
    expect(() => parseCurl(['curl', '-X', 'GET /x HTTP/1.1\r\nX-Evil: 1', url])).toThrow(/no valid HTTP method/);
    expect(() => parseCurl(['curl', 'http://[bad-old-token-777'])).toThrow(/the request URL is not a valid URL$/);
  });
});

describe('a write is never hidden (issue 13.3)', () => {
  const url = 'https://api.dingtalk.com/v1.0/contact/users/1';

  it('a GET or HEAD with a body is a write; so is a method-override header, whatever the method', () => {
    expect(writeReason(parseCurl(['curl', url]))).toBeNull();
    expect(writeReason(parseCurl(['curl', '-G', url, '-d', 'a=1']))).toBeNull();
    expect(writeReason(parseCurl(['curl', '-X', 'GET', url, '-d', '{}']))).toBe('a GET with a body may change data');
    expect(writeReason(parseCurl(['curl', '-I', url, '-d', 'x']))).toBe('a HEAD with a body may change data');
    for (const header of ['X-HTTP-Method-Override', 'X-Method-Override', 'X-HTTP-Method']) {
      expect(writeReason(parseCurl(['curl', url, '-H', `${header}: delete`]))).toBe(`its header ${header.toLowerCase()}: DELETE asks the server for another method`);
    }
  });

  it('prepareReplay refuses it without --allow-write, naming why; with it, the request is kept as it was', () => {
    const overridden = parseCurl(['curl', url, '-H', 'X-HTTP-Method-Override: DELETE']);
    expect(() => prepareReplay(overridden, false)).toThrow(/replay of GET \/v1\.0\/contact\/users\/1 refused: its header x-http-method-override: DELETE asks the server for another method/);
    const allowed = prepareReplay(overridden, true);
    expect(allowed).toMatchObject({ write: true, request: { method: 'GET', headers: { 'x-http-method-override': 'DELETE' } } });
    const har = { log: { entries: [{ request: { method: 'GET', url, postData: { mimeType: 'application/json', text: '{"a":1}' } }, response: { status: 403 } }] } };
    expect(() => prepareReplay(parseHarEntry(har, 'x.har'), false)).toThrow(/a GET with a body may change data/);
  });
});

describe('HAR entries are untrusted: every field is type-checked (exit 2, one line)', () => {
  const entryWith = (request: unknown) => ({ log: { entries: [{ request, response: { status: 403 } }] } });
  const url = 'https://api.dingtalk.com/v1.0/x';

  it('a method or url that is not a string, headers that are not pairs, postData of the wrong shape', () => {
    for (const [request, message] of [
      [{ method: 42, url }, /entry 1: request\.method is not a string/],
      [{ method: 'GET', url: { href: url } }, /entry 1: request\.url is not a string/],
      [{ method: ['GET'], url: 7 }, /entry 1: request\.url is not a string/],
      [{ method: 'GET', url, headers: [{ name: 1, value: 'x' }] }, /request\.headers\[0\] is not a \{name, value\} pair of strings/],
      [{ method: 'GET', url, headers: 'Cookie: x' }, /request\.headers is not a list/],
      [{ method: 'POST', url, postData: { text: 12 } }, /request\.postData\.text is not a string/],
      [{ method: 'G ET', url }, /request\.method is not an HTTP method/],
      [null, /entry 1 has no request object/],
    ] as const) {
      let thrown: unknown;
      try {
        parseHarEntry(entryWith(request), 'x.har');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DoctorError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).not.toContain('\n');
    }
  });

  it('fuzz: any JSON in any field of an entry is a request or a DoctorError, never a TypeError', () => {
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const entry = fc.record(
      {
        request: fc.oneof(anyJson, fc.record({ method: fc.oneof(fc.constantFrom('GET', 'post'), anyJson), url: fc.oneof(fc.constant(url), anyJson), headers: fc.oneof(anyJson, fc.array(fc.record({ name: anyJson, value: anyJson }))), postData: fc.oneof(anyJson, fc.record({ text: anyJson, mimeType: anyJson, params: anyJson })) }, { requiredKeys: [] })),
        response: fc.oneof(anyJson, fc.record({ status: anyJson })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(entry, anyJson), { minLength: 1, maxLength: 4 }), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }), (entries, pick) => {
        try {
          const t = parseHarEntry({ log: { entries } }, 'fuzz.har', pick);
          expect(typeof t.method).toBe('string');
          expect(t.url).toBeInstanceOf(URL);
          stripTokens(t);
        } catch (error) {
          if (!(error instanceof DoctorError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
