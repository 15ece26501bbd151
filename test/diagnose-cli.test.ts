import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

// A private config dir: no learned file of the machine leaks in, --learn writes here.
const home = mkdtempSync(join(tmpdir(), 'dd-diagnose-'));
const env = { XDG_CONFIG_HOME: home, HOME: home };
const run = (args: string[], input?: string | Buffer, extraEnv: Record<string, string> = {}) =>
  runCli(args, { input, env: { ...env, ...extraEnv } });

describe('diagnose (built CLI)', () => {
  it('the main example: exit 1, text names the scope, the steps and the console link', async () => {
    const r = await run(['diagnose', 'examples/403-missing-scope.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('✖ Missing permission · Contact.User.Read');
    expect(r.stdout).toContain('Manage permissions (权限管理) → search Contact.User.Read → Request permission');
    expect(r.stdout).toContain('https://open-dev.dingtalk.com/fe/app#/corp/app');
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour when not a TTY
  });

  it('--json: one document with the contract fields', async () => {
    const r = await run(['diagnose', '--json', 'examples/app.log', 'examples/legacy-60020.json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.command).toBe('diagnose');
    expect(doc.summary.missingScopes).toEqual(['Contact.User.Read', 'qyapi_robot_sendmsg']);
    expect(doc.summary.byCause).toEqual({ 'missing-scope': 2, 'ip-not-allowed': 2, throttled: 1, 'org-auth-level': 1 });
    const first = doc.findings[0];
    expect(first).toMatchObject({
      cause: 'missing-scope',
      scopes: [{ code: 'Contact.User.Read', kind: 'unknown', name: { zh: '通讯录个人信息读权限' } }],
      requestId: 'A1B2C3D4-0001',
      httpStatus: null,
      code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied',
      api: { method: 'GET', template: '/v1.0/contact/users/{unionId}' },
      source: { input: 'examples/app.log', line: 3 },
      count: 2,
      consoleUrl: 'https://open-dev.dingtalk.com/fe/app#/corp/app',
    });
    const ip = doc.findings.find((f: { source: { input: string } }) => f.source.input === 'examples/legacy-60020.json');
    expect(ip).toMatchObject({ cause: 'ip-not-allowed', callerIp: '198.51.100.23', appKey: 'dingc9aa7hnd3kbxyzqe', scopes: [] });
  });

  it('stdin when piped, and `-`', async () => {
    const body = readFileSync('examples/legacy-88-wrapper.json');
    for (const args of [['diagnose', '--json'], ['diagnose', '--json', '-']]) {
      const r = await run(args, body);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.findings[0].scopes.map((s: { code: string }) => s.code)).toEqual(['qyapi_get_department_list']);
      expect(doc.findings[0].source).toEqual({ input: '-', line: 1 });
      expect(doc.findings[0].consoleUrl).toBe('https://open-dev.dingtalk.com/appscope/apply?content=dingc9aa7hnd3kbxyzqe%23qyapi_get_department_list');
    }
  });

  it('no DingTalk error: exit 0', async () => {
    const r = await run(['diagnose', 'test/fixtures/diagnose/not-dingtalk.log']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No DingTalk error found in test/fixtures/diagnose/not-dingtalk.log.\n');
  });

  it.each([
    [['missing.json'], 'dingtalk-doctor: missing.json: no such file'],
    [['test/fixtures/diagnose/empty.txt'], 'dingtalk-doctor: test/fixtures/diagnose/empty.txt: is empty'],
    [['test/fixtures/diagnose/binary.bin'], 'dingtalk-doctor: test/fixtures/diagnose/binary.bin: looks like a binary file'],
    [['test/fixtures/diagnose/invalid-utf8.txt'], 'dingtalk-doctor: test/fixtures/diagnose/invalid-utf8.txt: is not valid UTF-8 text (near line 1)'],
    [['test/fixtures/diagnose/truncated-nothing.json'], 'dingtalk-doctor: test/fixtures/diagnose/truncated-nothing.json: truncated or invalid JSON'],
    [['test'], 'dingtalk-doctor: test: is a directory'],
    [['--api', 'nonsense', 'examples/legacy-60011.json'], 'dingtalk-doctor: --api "nonsense" is not an API'],
  ])('unreadable input %j: one line on stderr, exit 2', async (args, message) => {
    const r = await run(['diagnose', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('empty stdin is empty input: exit 2', async () => {
    const r = await run(['diagnose'], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dingtalk-doctor: -: is empty\n');
  });

  it('--api names the scope of a bare 60011', async () => {
    const r = await run(['diagnose', '--json', '--api', 'POST /topapi/v2/user/get', 'examples/legacy-60011.json']);
    expect(r.code).toBe(1);
    const f = JSON.parse(r.stdout).findings[0];
    expect(f.scopes).toEqual([{ code: 'qyapi_get_member', kind: 'unknown', name: expect.objectContaining({ zh: '成员信息读权限' }), via: 'catalog' }]);
  });

  it('--lang zh prints Chinese advice', async () => {
    const r = await run(['diagnose', '--lang', 'zh', 'examples/curl-i.txt']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('调用方 IP 不在应用的白名单中');
    expect(r.stdout).toContain('把 203.0.113.7 加入应用的 IP 白名单');
  });

  it('--format github: annotations, and the markdown summary appended to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(home, 'summary.md');
    writeFileSync(summary, 'before\n');
    const r = await run(['diagnose', '--format', 'github', 'examples/sdk-message.txt'], undefined, { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^::error file=examples\/sdk-message\.txt,line=1,title=DingTalk%3A Missing permission · Document\.AIAssistant\.Read::403 Forbidden\.AccessDenied\.AccessTokenPermissionDenied%0A/,
    );
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('before\n### dingtalk-doctor diagnose')).toBe(true);
    expect(md).toContain('| Missing permission | `Document.AIAssistant.Read` Document: AI assistant read (special) |');
  });

  it('--format markdown: a table', async () => {
    const r = await run(['diagnose', '--format', 'markdown', 'examples/go-sdkerror.txt']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('| Invalid or expired access token | — | — | 400 InvalidAuthentication | `examples/go-sdkerror.txt:1` | 1 |');
  });

  it('--learn records the API → scope pair the error showed', async () => {
    const r = await run(['diagnose', '--learn', 'examples/curl-v.txt']);
    expect(r.code).toBe(1);
    const learned = JSON.parse(readFileSync(join(home, 'dingtalk-doctor', 'learned.json'), 'utf8'));
    expect(learned.entries).toEqual([
      expect.objectContaining({ method: 'GET', path: '/v1.0/contact/users/{unionId}', scopes: ['Contact.User.Read'] }),
    ]);
  });

  it('--help has examples', async () => {
    const r = await run(['diagnose', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--api');
  });
});
