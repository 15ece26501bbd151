/** Replay inputs (pure): curl command lines as browsers and docs print them, token stripping, re-aiming. */
import { describe, expect, it } from 'vitest';
import { resolveBases } from '../src/dingtalk/hosts.js';
import { parseCurl, parseMethodUrl, printableUrl, replayRequest, shellWords, stripTokens } from '../src/dingtalk/replay.js';

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
