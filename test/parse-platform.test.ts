/**
 * Platform evidence, same-request API attribution and the pasted formats, at the parser's level
 * (issue 12 §1–§3): each case through parseText and the stream (one chunk and 7-byte chunks), so the
 * stream's fast paths see what the plain parser sees. The real-world fixtures are in realworld-3.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { parseText } from '../src/core/parse/index.js';
import { evidenceIn } from '../src/core/parse/platform.js';
import { parseStream } from '../src/core/parse/index.js';
import { platformOf } from '../src/core/platform.js';
import type { ErrorRecord } from '../src/core/types.js';

const catalog = getCatalog();
const errors = (code: string) => catalog.errors(code);

async function records(text: string): Promise<ErrorRecord[]> {
  const plain = parseText(text, 'x');
  for (const size of [1 << 16, 7]) {
    const chunks = async function* () {
      const b = Buffer.from(text);
      for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
    };
    const out: ErrorRecord[] = [];
    for await (const r of parseStream(chunks(), 'x')) out.push(r);
    expect(out).toEqual(plain);
  }
  return plain;
}

describe('pasted formats', () => {
  it.each([
    ['PHP print_r', 'Array\n(\n    [errcode] => 60011\n    [errmsg] => 没有调用该接口的权限\n)\n', '60011', '没有调用该接口的权限'],
    ['PHP var_dump', 'array(2) {\n  ["errcode"]=>\n  int(60020)\n  ["errmsg"]=>\n  string(30) "访问ip不在白名单之中"\n}\n', '60020', '访问ip不在白名单之中'],
    ['Ruby symbol keys', 'resp={:errcode=>60020, :errmsg=>"访问ip不在白名单之中"}\n', '60020', '访问ip不在白名单之中'],
    ['Ruby 3.4 inspect', '{"errcode" => 40014, "errmsg" => "不合法的access_token"}\n', '40014', '不合法的access_token'],
    [
      'one line of a saved page (HTML-escaped, split by <span>s)',
      '<td class="blob-code">{<span class="pl-ent">&quot;code&quot;</span>: <span class="pl-s"><span class="pl-pds">&quot;</span>InvalidAuthentication<span class="pl-pds">&quot;</span></span>, <span class="pl-ent">&quot;requestid&quot;</span>: <span class="pl-s">&quot;R9&quot;</span>, <span class="pl-ent">&quot;message&quot;</span>: <span class="pl-s">&quot;不合法的access_token&quot;</span>}</td>\n',
      'InvalidAuthentication',
      '不合法的access_token',
    ],
  ])('%s', async (_, text, code, message) => {
    const [r, ...rest] = await records(text);
    expect(rest).toEqual([]);
    expect([r!.code, r!.message]).toEqual([code, message]);
  });

  it('text without HTML is left alone (`<nil>` of a Go line is no tag); in a page, `&amp;quot;` (escaped twice) stays literal', async () => {
    const [go] = await records('SDKError: Code: Forbidden.AccessDenied.AccessTokenPermissionDenied Message: <nil> &amp;quot;\n');
    expect(go!.message).toBe('<nil> &amp;quot;');
    const [page] = await records('<span>{&quot;code&quot;: &quot;Forbidden.AccessDenied.AccessTokenPermissionDenied&quot;, &quot;message&quot;: &quot;a &amp;quot;b&amp;quot;&quot;}</span>\n');
    expect(page!.message).toBe('a &quot;b&quot;');
  });
});

describe('the API only from the same request', () => {
  it('a request line of the same thread above a bare body: via thread; of another thread: no API', async () => {
    const same = await records('10:00 [exec-1] INFO POST https://oapi.dingtalk.com/topapi/v2/user/get\n10:00 [exec-1] ERROR {"errcode":60011,"errmsg":"没有调用该接口的权限"}\n');
    expect(same[0]!.api).toMatchObject({ path: '/topapi/v2/user/get', via: 'thread' });
    const other = await records('10:00 [exec-1] INFO POST https://oapi.dingtalk.com/topapi/v2/user/get\n10:00 [exec-2] ERROR {"errcode":60011,"errmsg":"没有调用该接口的权限"}\n');
    expect(other[0]!.api).toBeNull();
  });

  it('trace ids decide like thread names; two log records with nothing tying them are not one request', async () => {
    const traced = await records('INFO traceId=ab12cd POST https://oapi.dingtalk.com/topapi/v2/user/get\nERROR traceId=ab12cd {"errcode":60011,"errmsg":"没有调用该接口的权限"}\n');
    expect(traced[0]!.api).toMatchObject({ via: 'thread' });
    const loose = await records('2026-11-26 10:00:01 INFO POST https://oapi.dingtalk.com/topapi/v2/user/get\n2026-11-26 10:00:02 ERROR {"errcode":60011,"errmsg":"没有调用该接口的权限"}\n');
    expect(loose[0]!.api).toBeNull();
  });

  it('a 2xx/3xx response line is never the failing request; a 4xx client error line is (via exchange)', async () => {
    expect((await records('GET https://oapi.dingtalk.com/topapi/v2/user/get 200 OK\n{"errcode":60011,"errmsg":"没有调用该接口的权限"}\n'))[0]!.api).toBeNull();
    const client = await records('HTTPError: Response code 403 (Forbidden) POST https://api.dingtalk.com/v1.0/contact/users/u1\n{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","requestid":"R2","message":"x"}\n');
    expect(client).toHaveLength(1);
    expect(client[0]!.api).toMatchObject({ path: '/v1.0/contact/users/u1', via: 'exchange' });
  });

  it('the other API family is not this body\'s: a new-API URL above a legacy errcode, an oapi URL above a new-API code', async () => {
    expect((await records('curl https://api.dingtalk.com/v1.0/contact/users/me\n{"errcode":60011,"errmsg":"没有调用该接口的权限"}\n'))[0]!.api).toBeNull();
    expect((await records('curl https://oapi.dingtalk.com/topapi/v2/user/get\n{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","requestid":"R3","message":"x"}\n'))[0]!.api).toBeNull();
    expect((await records('curl https://oapi.dingtalk.com/topapi/v2/user/get\n{"errcode":60011,"errmsg":"没有调用该接口的权限"}\n'))[0]!.api).toMatchObject({ via: 'exchange' });
  });

  it('the same request id in the next record names the API: via request-id', async () => {
    const r = await records('ERROR {"requestid":"RID-7","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"x"}\nERROR requestid=RID-7 code=Forbidden.AccessDenied.AccessTokenPermissionDenied url=https://api.dingtalk.com/v1.0/contact/users/u9\n');
    expect(r).toHaveLength(1);
    expect(r[0]!.api).toMatchObject({ path: '/v1.0/contact/users/u9', via: 'request-id' });
  });
});

describe('platform evidence and the decision', () => {
  it('hosts, SDKs, codes and wordings of each platform', () => {
    const kinds = (t: string) => evidenceIn(t).map((e) => `${e.platform}:${e.kind}`);
    expect(kinds('POST https://oapi.dingtalk.com/topapi/v2/user/get')).toEqual(['dingtalk:host']);
    expect(kinds('at node_modules/@alicloud/dingtalk/dist/contact_1_0/client.js')).toEqual(['dingtalk:sdk']);
    expect(kinds('more info at https://open.work.weixin.qq.com/devtool/query?e=60011')).toEqual(['wecom:host']);
    expect(kinds('https://api.sgroup.qq.com/users/@me')).toEqual(['qq:host']);
    expect(kinds('应用尚未开通所需的应用身份权限：[im:chat]')).toEqual(['feishu:wording']);
    expect(kinds('https://slack.com/api/chat.postMessage')).toEqual(['slack:host']);
  });

  const rec = (over: Partial<ErrorRecord>): ErrorRecord => ({
    httpStatus: null, code: '40014', subCode: null, message: null, requestId: null, requiredScopes: [], api: null, sdk: null, callerIp: null, appKey: null, source: { input: 'x', line: 1 }, ...over,
  });

  it('an English errmsg under a number DingTalk words in Chinese is another platform\'s — unless DingTalk\'s host is there', () => {
    expect(platformOf(rec({ message: 'invalid access_token' }), errors).platform).toBe('other');
    expect(platformOf(rec({ message: 'invalid access_token', evidence: evidenceIn('https://oapi.dingtalk.com/user/get') }), errors).platform).toBe('dingtalk');
    expect(platformOf(rec({ message: '不合法的access_token' }), errors)).toEqual({ platform: 'dingtalk', evidence: [{ kind: 'wording', value: '不合法的access_token', platform: 'dingtalk' }] });
    expect(platformOf(rec({}), errors)).toEqual({ platform: 'assumed', evidence: [] });
  });

  it('negative evidence wins over positive', () => {
    const evidence = evidenceIn('https://oapi.dingtalk.com and https://qyapi.weixin.qq.com/cgi-bin/user/get');
    expect(platformOf(rec({ evidence }), errors).platform).toBe('wecom');
  });
});
