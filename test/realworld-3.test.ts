/**
 * Real-world texts, round 3 (issue 12 §1–§3): other platforms' look-alike errors, the failing API only from
 * the same request, and the formats people paste (PHP var_dump, Ruby hash inspect, saved HTML, a logged Go
 * SDKError with its goroutine frames). Same harness as realworld.test.ts (stream = parseText at every chunk
 * size, real catalog). Sources are named per case; "constructed" means built faithfully from the named real
 * text and format, not pasted.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/core/types.js';
import { runCli } from './helpers/run-cli.js';
import { checkFinding, findingsOf, streamed, type Expect } from './helpers/realworld.js';

const FIXTURES = new URL('./fixtures/diagnose/realworld/', import.meta.url);

/** Other platforms' errors with DingTalk's numbers or wordings: never a DingTalk finding. */
const LOOK_ALIKES: Array<[string, string, string]> = [
  // binarywang/WxJava#601: WxJava's WxErrorException for WeCom's 60011, in English with its developer-site link.
  ['wecom-60011-wxjava.log', 'wecom', '60011'],
  // Micro-sheep/wechat_work#3: `print(response.json())` of WeCom's 60020 (a Python dict).
  ['wecom-60020-print.txt', 'wecom', '60020'],
  // WeCom's 48002 as a WeCom contacts-sync script prints it (a public script's comment, found with
  // find_string "devtool/query?e=48002"; same shape as the 60020 above).
  ['wecom-48002-print.txt', 'wecom', '48002'],
  // mfbz.cn/a/328037.html (a WeCom self-built app's expired token, pretty-printed): WeCom's 42001 is DingTalk's 42001 too.
  ['wecom-42001-expired.json', 'wecom', '42001'],
  // vesio/WeComFinanceSdk_python#1: WeCom's 41001 (DingTalk: 缺少access_token参数) in a Python dict.
  ['wecom-41001-finance-sdk.log', 'wecom', '41001'],
  // binarywang/WxJava#197: WeChat's 40014 `invalid access_token` — no host at all, only the English errmsg.
  ['wechat-40014-english.txt', 'other', '40014'],
  // tencent-connect/botpy#189: botpy's log line, QQ's 接口访问源IP不在白名单 (source IP not in the allow-list).
  ['qqbot-ip-botpy.log', 'qq', '40023002'],
  // tencent-connect/openclaw-qqbot#240: the QQ bot plugin's journal; the body line names no host.
  ['qqbot-ip-openclaw.log', 'qq', '40023002'],
];

describe('look-alike platforms: exit 0, no DingTalk denial, a note that names the platform', () => {
  for (const [file, platform, code] of LOOK_ALIKES) {
    it(file, async () => {
      expect(await findingsOf(file)).toEqual([]);
      const r = await runCli(['diagnose', '--json', new URL(file, FIXTURES).pathname]);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.findings).toEqual([]);
      expect(doc.notes.map((n: { platform: string; code: string }) => [n.platform, n.code])).toEqual([[platform, code]]);
      expect(doc.notes[0].evidence.length).toBeGreaterThan(0);
      expect(doc.summary.otherPlatform).toBe(1);
      const text = await runCli(['diagnose', new URL(file, FIXTURES).pathname]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^No DingTalk error found in .*\nnote: .* is an error of /);
    });
  }

  it('--format markdown lists the note too (escaped), still exit 0', async () => {
    const r = await runCli(['diagnose', '--format', 'markdown', new URL('wecom-60011-wxjava.log', FIXTURES).pathname]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No DingTalk error found\.\n\n- note: .*wecom-60011-wxjava\.log:1 is an error of WeCom \(企业微信\) \(60011, host open\.work\.weixin\.qq\.com/);
  });

  it("the same numbers with DingTalk's own wording stay DingTalk findings (and say why)", async () => {
    const r = await runCli(['diagnose', '--json', '-'], { input: '{"errcode":60011,"errmsg":"没有调用该接口的权限"}\n' });
    expect(r.code).toBe(1);
    const [f] = JSON.parse(r.stdout).findings;
    expect([f.cause, f.platform, f.evidence]).toEqual(['missing-scope', 'dingtalk', [{ kind: 'wording', value: '没有调用该接口的权限', platform: 'dingtalk' }]]);
  });

  it('a bare code with no evidence either way keeps its reading, marked assumed', async () => {
    const r = await runCli(['diagnose', '--json', '-'], { input: '{"errcode":60011}\n' });
    expect(r.code).toBe(1);
    const [f] = JSON.parse(r.stdout).findings;
    expect([f.cause, f.platform, f.evidence]).toEqual(['missing-scope', 'assumed', []]);
    const text = await runCli(['diagnose', '-'], { input: '{"errcode":60011}\n' });
    expect(text.stdout).toContain(' · DingTalk (assumed: nothing in the text names the platform)');
  });

  it('negative evidence wins even over DingTalk-shaped fields, and such a record teaches --learn nothing', async () => {
    // Constructed: a DingTalk-shaped body in a line that also names Slack's host (issue 12 §1: negative evidence wins).
    const line = 'POST https://api.dingtalk.com/v1.0/contact/users/u1 -> {"requestid":"R5","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"x","accessdenieddetail":{"requiredScopes":["Contact.User.Read"]}} via https://hooks.slack.com/services/T0\n';
    const home = mkdtempSync(join(tmpdir(), 'dd-learn-'));
    const r = await runCli(['diagnose', '--json', '--learn', '-'], { input: line, env: { XDG_CONFIG_HOME: home, HOME: home } });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect([doc.findings, doc.notes.map((n: { platform: string }) => n.platform)]).toEqual([[], ['slack']]);
    expect(existsSync(join(home, 'dingtalk-doctor', 'learned.json'))).toBe(false);
  });

  it('negative evidence wins over a DingTalk-looking number: a Feishu scope error is not read as DingTalk', async () => {
    // m1heng/clawdbot-feishu#51: Feishu's 应用尚未开通所需的应用身份权限 with its own scope syntax (contact:contact.base:readonly).
    expect(await findingsOf('feishu-scope-msg.txt')).toEqual([]);
  });
});

const apiOf = (f: Finding) => (f.api ? { path: f.api.path, via: f.api.via ?? null } : null);

describe('the failing API only from the same request', () => {
  it("casdoor/casdoor#4469: a 200 OK exchange above, then the 403's own exchange — the API is the 403's, via exchange", async () => {
    const [f, ...rest] = await findingsOf('casdoor-ok-then-403.md');
    expect(rest).toEqual([]);
    checkFinding(f!, { cause: 'missing-scope', scopes: ['Contact.User.Read'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: 403, api: '- /v1.0/contact/users/me', line: 23 });
    expect(apiOf(f!)).toEqual({ path: '/v1.0/contact/users/me', via: 'exchange' });
    expect(f!.platform).toBe('dingtalk');
  });

  it('chzealot/dingtalk-dify-connector#5: the URL on the error line itself (via line), not the request line above it', async () => {
    const [f] = await findingsOf('stream-sdk-open-connection.log');
    const e: Expect = { cause: 'other-error', scopes: [], code: 'systemError', subCode: null, httpStatus: 400, api: '- /v1.0/gateway/connections/open', line: 3, requestId: 'EB2AE1A2-22DC-7B13-A688-DD27275D5658' };
    checkFinding(f!, e);
    expect(apiOf(f!)).toEqual({ path: '/v1.0/gateway/connections/open', via: 'line' });
  });

  it("constructed (issue 12 §2's log): another thread's 200 above is not the API; the same thread's request line is; a new-API URL is not a legacy body's", async () => {
    const findings = await findingsOf('neighbour-lines.log');
    expect(findings.map((f) => [f.source.line, f.count, apiOf(f), f.scopes.map((s) => s.code)])).toEqual([
      // Line 2 (another thread's 200 OK above) and line 6 (same thread, but an api.dingtalk.com URL above a legacy errcode body).
      [2, 2, null, []],
      [4, 1, { path: '/topapi/v2/user/get', via: 'thread' }, ['qyapi_get_member']],
    ]);
    // Without an API the advice says how to name it.
    expect(findings[0]!.steps.map((s) => s.id)).toContain('step.find-api-in-log');
  });
});

describe('formats people paste', () => {
  it('injekt/openapi-demo-php#5: PHP var_dump of a decoded body (`["errcode"]=>` ⏎ `int(40014)`)', async () => {
    const [f] = await findingsOf('php-var-dump-40014.txt');
    checkFinding(f!, { cause: 'invalid-token', scopes: [], code: '40014', subCode: null, httpStatus: null, api: null, line: 7, message: '不合法的access_token' });
    expect(f!.platform).toBe('dingtalk');
  });

  it('constructed: Ruby Logger + Hash#inspect of the 88 wrapper body as the mabiji.com error-code page quotes it', async () => {
    const [f] = await findingsOf('ruby-hash-inspect.log');
    checkFinding(f!, { cause: 'missing-scope', scopes: [], code: '88', subCode: '60011', httpStatus: null, api: null, requestId: '5imjny7u9xwa', message: '没有调用该接口的权限' });
  });

  it("constructed: casdoor/casdoor#4469's body as GitHub's saved page renders it (HTML-escaped, split by <span> tags)", async () => {
    const [f] = await findingsOf('github-html-escaped.html');
    checkFinding(f!, { cause: 'missing-scope', scopes: ['Contact.User.Read'], code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', subCode: null, httpStatus: null, api: null, requestId: 'MASK' });
  });

  it('constructed: aliyun/alibabacloud-go-sdk#5\'s SDKError logged (not panicked) with debug.Stack(): the frame names the API', async () => {
    const [f] = await findingsOf('go-logged-sdkerror-stack.log');
    checkFinding(f!, { cause: 'other-error', scopes: [], code: 'InvalidAction.NotFound', subCode: null, httpStatus: 404, api: 'POST /v1.0/oauth2/userAccessToken', line: 1 });
    expect(apiOf(f!)).toEqual({ path: '/v1.0/oauth2/userAccessToken', via: 'stack' });
    expect((await streamed('go-logged-sdkerror-stack.log'))[0]!.sdk).toEqual({ module: 'oauth2_1_0', method: 'GetUserTokenWithOptions' });
  });
});
