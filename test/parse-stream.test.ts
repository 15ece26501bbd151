import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { diagnose } from '../src/core/diagnose.js';
import { parseText } from '../src/core/parse/index.js';
import { InputError, parseStream } from '../src/core/parse/index.js';
import type { ErrorRecord } from '../src/core/types.js';

const ex = (name: string) => readFileSync(new URL(`../examples/${name}`, import.meta.url));
const fx = (name: string) => readFileSync(new URL(`./fixtures/diagnose/${name}`, import.meta.url));

/** Chunks of `size` bytes, through ONE reused buffer (as the file reader does). */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  const shared = Buffer.alloc(size);
  for (let i = 0; i < bytes.length; i += size) {
    const n = bytes.copy(shared, 0, i, Math.min(bytes.length, i + size));
    yield shared.subarray(0, n);
  }
}

async function collect(bytes: Buffer, size: number, input = 'x'): Promise<ErrorRecord[]> {
  const out: ErrorRecord[] = [];
  for await (const r of parseStream(chunked(bytes, size), input)) out.push(r);
  return out;
}

async function failure(bytes: Buffer, input: string): Promise<string> {
  try {
    await collect(bytes, 4096, input);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseStream = parseText, whatever the chunk boundaries', () => {
  const files = ['sdk-inspect.txt', 'java-exception.txt', 'python-exception.txt', 'go-sdkerror.txt', 'curl-i.txt', 'curl-v.txt', 'app.log', 'sdk-message.txt'];
  for (const file of files) {
    it(file, async () => {
      const bytes = ex(file);
      const expected = parseText(bytes.toString('utf8'), file);
      expect(expected.length).toBeGreaterThan(0);
      for (const size of [7, 61, 1024, 1 << 20]) expect(await collect(bytes, size, file)).toEqual(expected);
    });
  }

  it('JSON documents (HAR, pretty bodies) are read whole', async () => {
    const har = await collect(ex('browser.har'), 100, 'b.har');
    expect(har.map((r) => r.requiredScopes)).toEqual([[], ['Calendar.Event.Read']]);
    const body = await collect(ex('403-missing-scope.json'), 5);
    expect(body.map((r) => r.requiredScopes)).toEqual([['Contact.User.Read']]);
  });

  it('a JSON-looking input larger than the whole-read limit is scanned like a log', async () => {
    const bytes = fx('pretty-array.json');
    const out: ErrorRecord[] = [];
    for await (const r of parseStream(chunked(bytes, 50), 'a.json', { wholeJsonLimit: 64 })) out.push(r);
    expect(out.map((r) => [r.code, r.source.line])).toEqual([
      ['Forbidden.AccessDenied.AccessTokenPermissionDenied', 2],
      ['Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', 8],
    ]);
  });
});

describe('a 50,000-line log with three distinct denials repeated', () => {
  const NOISE = [
    '2026-11-26T03:21:07.123Z INFO  [http-nio-8080-exec-3] c.e.crm.web.OrderController - GET /api/orders/81723 200 12ms user=4412',
    '2026-11-26T03:21:07.131Z WARN  [scheduler-1] c.e.crm.jobs.Reminder - reminder 5521 delayed by 250ms, queue depth 3',
    '{"level":"info","time":"2026-11-26T03:21:07.140Z","msg":"request completed","method":"POST","path":"/internal/ping","status":200,"ms":1}',
    '2026-11-26T03:21:07.150Z DEBUG [main] node v20 mode=production, model cache warm',
  ];
  const SCOPE = (rid: string) =>
    `ERROR sync failed: {"requestid":"${rid}","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"没有调用该接口的权限","accessdenieddetail":{"requiredScopes":["Contact.User.Read"]}}`;
  const LEGACY = (rid: string) =>
    `ERROR oapi {"errcode":88,"sub_code":"60011","sub_msg":"应用尚未开通所需的权限：[qyapi_robot_sendmsg]","errmsg":"ding talk error[subcode=60011,submsg=应用尚未开通所需的权限：[qyapi_robot_sendmsg]]","request_id":"${rid}"}`;
  // A multi-line one: Node inspect output of an IP allow-list error (7 lines).
  const IP = (rid: string) =>
    [
      `Error: Forbidden.AccessDenied.IpNotInWhiteList: code: 403, 访问ip不在白名单之中,request ip=203.0.113.7 appKey(dingabc123) request id: ${rid}`,
      '    at Client.modifyResponse (/srv/node_modules/@alicloud/gateway-dingtalk/dist/client.js:52:24) {',
      "  code: 'Forbidden.AccessDenied.IpNotInWhiteList',",
      `  data: { requestid: '${rid}', code: 'Forbidden.AccessDenied.IpNotInWhiteList', statusCode: 403 },`,
      "  description: 'undefined',",
      '  statusCode: 403',
      '}',
    ];

  function generate() {
    const lines: string[] = [];
    const firsts: Record<string, number> = {};
    const counts = { scope: 0, legacy: 0, ip: 0 };
    let k = 0;
    while (lines.length < 50_000) {
      const at = lines.length + 1;
      if (at % 997 === 0) {
        lines.push(SCOPE(`S-${k++}`));
        counts.scope++;
        firsts.scope ??= at;
      } else if (at % 1499 === 0) {
        lines.push(LEGACY(`L-${k++}`));
        counts.legacy++;
        firsts.legacy ??= at;
      } else if (at % 2003 === 0) {
        lines.push(...IP(`I-${k++}`));
        counts.ip++;
        firsts.ip ??= at;
      } else lines.push(NOISE[at % NOISE.length]!);
    }
    return { text: `${lines.slice(0, 50_000).join('\n')}\n`, firsts, counts, total: lines.length };
  }

  it('counts and first lines are exact (streamed in 64 KiB chunks)', async () => {
    const { text, firsts, counts } = generate();
    expect(text.split('\n').length - 1).toBe(50_000);
    const records = await collect(Buffer.from(text), 64 * 1024, 'big.log');
    const { findings, summary } = diagnose(records, getCatalog(), {});
    expect(findings.map((f) => [f.cause, f.scopes.map((s) => s.code).join(','), f.count, f.source.line])).toEqual([
      ['missing-scope', 'Contact.User.Read', counts.scope, firsts.scope],
      ['missing-scope', 'qyapi_robot_sendmsg', counts.legacy, firsts.legacy],
      ['ip-not-allowed', '', counts.ip, firsts.ip],
    ]);
    expect(counts).toEqual({ scope: 50, legacy: 33, ip: 24 });
    expect(findings[2]!.callerIp).toBe('203.0.113.7');
    expect(summary).toMatchObject({ missingScopes: ['Contact.User.Read', 'qyapi_robot_sendmsg'], findings: 3, occurrences: 107 });
  });
});

describe('unreadable input', () => {
  it('empty', async () => {
    expect(await failure(fx('empty.txt'), 'empty.txt')).toBe('empty.txt: is empty');
    expect(await failure(fx('blank.txt'), 'blank.txt')).toBe('blank.txt: is empty');
  });
  it('binary', async () => {
    expect(await failure(fx('binary.bin'), 'binary.bin')).toMatch(/^binary\.bin: looks like a binary file/);
  });
  it('invalid UTF-8, with the line', async () => {
    expect(await failure(Buffer.concat([Buffer.from('ok line\nsecond\n'), fx('invalid-utf8.txt')]), 'bad.txt')).toBe(
      'bad.txt: is not valid UTF-8 text (near line 3)',
    );
  });
  it('truncated JSON with nothing recoverable', async () => {
    expect(await failure(fx('truncated-nothing.json'), 't.json')).toMatch(/^t\.json: truncated or invalid JSON/);
  });
  it('truncated JSON with a scope in it is recovered, not refused', async () => {
    expect((await collect(fx('truncated.json'), 10)).map((r) => r.requiredScopes)).toEqual([['Calendar.Event.Write']]);
  });
});

describe('successful DingTalk traffic is dropped from its bytes (hits.ts), denials around it are not', () => {
  // Success lines in the shapes of bench/log.mjs's realistic log (one per SDK's log style), each of
  // which hits the `ode` trigger (errcode, statusCode, node=, mode=, encode=) without an error in it.
  const SUCCESS = [
    '2026-11-26 03:00:00.123  INFO 4412 --- [exec-3] c.e.crm.dingtalk.DingTalkClient : POST https://oapi.dingtalk.com/topapi/v2/user/get?access_token=*** -> {"errcode":0,"errmsg":"ok","result":{"userid":"manager4220"},"request_id":"4rl9yzp1rbn0"}',
    '{"level":30,"time":1795662000149,"pid":4412,"msg":"GET https://api.dingtalk.com/v1.0/contact/users/me 200","statusCode":200,"requestId":"2039A7D2-EE4B-7048-8449-FE3651452734"}',
    'time=2026-11-26T03:00:00.048Z level=info msg="dingtalk call" method=GET url=https://api.dingtalk.com/v1.0/calendar/users/x/calendars/primary/events status=200 node=web-3 mode=cluster encode=gzip',
    "2026-11-26 03:00:00 DEBUG alibabacloud_dingtalk: response {'statusCode': 200, 'headers': {'x-acs-request-id': '204EF582'}, 'body': {'result': True}}",
    '2026-11-26T03:00:00.060Z INFO token - GET https://oapi.dingtalk.com/gettoken?appkey=dingabc123&appsecret=*** -> {"errcode": 0, "access_token":"***","errmsg":"ok","expires_in":7200}',
    '{"code":0,"message":"ok","node":"web-1"}',
  ];
  const DENIALS = [
    '2026-11-26T04:00:00.000Z ERROR c.e.Users - POST https://oapi.dingtalk.com/topapi/v2/user/get -> {"errcode":60011,"errmsg":"没有调用该接口的权限","request_id":"15r2q0000006"}',
    '{"level":50,"msg":"POST https://api.dingtalk.com/v1.0/calendar/users/abc/calendars/primary/events 403","statusCode":403,"err":{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","requestid":"R3","accessdenieddetail":{"requiredScopes":["Calendar.Event.Write"]}}}',
    'time=2026-11-26T04:30:00Z level=error msg="token" errcode=40014 errmsg="不合法的access_token" node=web-3 mode=cluster',
    "{'statusCode': 400, 'code': 'InvalidAuthentication', 'message': '不合法的access_token', 'requestid': 'R5'}",
    // an escaped 权限 wording on a line whose only trigger is node= (the marker `\u` makes it evidence)
    'node=web-1 dingtalk said {\\"errmsg\\":\\"\\u5e94\\u7528\\u5c1a\\u672a\\u5f00\\u901a\\u6240\\u9700\\u7684\\u6743\\u9650\\uff1a[Contact.User.Read]\\"}',
  ];
  const text = Array.from({ length: 3000 }, (_, i) => (i % 500 === 250 ? DENIALS[(i / 500) | 0]! : SUCCESS[i % SUCCESS.length]!)).join('\n') + '\n';

  it('the records are exactly those of the denials, at their lines, and the same as parseText', async () => {
    const expected = parseText(text, 'busy.log');
    expect(expected.map((r) => [r.source.line, r.code, r.requiredScopes])).toEqual([
      [251, '60011', []],
      [751, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', ['Calendar.Event.Write']],
      [1251, '40014', []],
      [1751, 'InvalidAuthentication', []],
      [2251, null, ['Contact.User.Read']],
    ]);
    for (const size of [61, 4096, 1 << 20]) expect(await collect(Buffer.from(text), size, 'busy.log')).toEqual(expected);
  });

  it('each success line alone gives nothing, each denial alone gives its record', async () => {
    for (const line of SUCCESS) expect(await collect(Buffer.from(`${line}\n`), 1 << 20)).toEqual([]);
    for (const line of DENIALS) expect(await collect(Buffer.from(`${line}\n`), 1 << 20)).toEqual(parseText(line, 'x'));
  });
});
