/** Acceptance audit of `diagnose` (issue 3 / 6): what a real user runs into, on the built CLI. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

const home = mkdtempSync(join(tmpdir(), 'dd-diagnose-audit-'));
const env = { XDG_CONFIG_HOME: home, HOME: home };
const run = (args: string[], input?: string | Buffer, extraEnv: Record<string, string> = {}) => runCli(args, { input, env: { ...env, ...extraEnv } });

describe('diagnose audit (built CLI)', () => {
  it('`-` given twice reads stdin once (no "is empty" for the second)', async () => {
    const body = readFileSync('examples/legacy-88-wrapper.json');
    const r = await run(['diagnose', '--json', '-', 'examples/legacy-60020.json', '-'], body);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.inputs).toEqual(['-', 'examples/legacy-60020.json']);
    expect(doc.findings.map((f: { cause: string; source: unknown }) => [f.cause, f.source])).toEqual([
      ['missing-scope', { input: '-', line: 1 }],
      ['ip-not-allowed', { input: 'examples/legacy-60020.json', line: 1 }],
    ]);
  });

  it('an error that is not a denial is explained, and the exit code is 0 (no DingTalk denial)', async () => {
    const r = await run(['diagnose', '--json', '-'], '{"requestid":"R8","code":"paramError","message":"参数错误"}\n');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings.map((f: { cause: string; code: string }) => [f.cause, f.code])).toEqual([['other-error', 'paramError']]);
    // …and 1 as soon as one denial is among them.
    const both = await run(['diagnose', '-'], '{"requestid":"R8","code":"paramError","message":"参数错误"}\n{"requestid":"R9","code":"InvalidAuthentication","message":"不合法的access_token"}\n');
    expect(both.code).toBe(1);
  });

  it('an unwritable $GITHUB_STEP_SUMMARY warns in one line and keeps exit 1 and the annotations', async () => {
    const r = await run(['diagnose', '--format', 'github', 'examples/sdk-message.txt'], undefined, { GITHUB_STEP_SUMMARY: home });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=examples\/sdk-message\.txt,line=1,/);
    expect(r.stderr.trim().split('\n')).toEqual(['dingtalk-doctor: cannot append the job summary to $GITHUB_STEP_SUMMARY (EISDIR)']);
  });

  it('--lang zh: labels line up in terminal columns, also the ones with Latin letters', async () => {
    const r = await run(['diagnose', '--lang', 'zh', 'examples/legacy-60020.json']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(/^  错误 +60020 · 访问ip不在白名单之中/);
    expect(lines[2]).toMatch(/^  位置 +examples\/legacy-60020\.json:1 · 请求 ID 4bq7x2lm0a1d · 钉钉（主机 open\.dingtalk\.com，措辞 访问ip不在白名单之中） · AppKey dingc9aa7hnd3kbxyzqe$/);
    expect(lines[3]).toMatch(/^  钉钉说明 +访问ip不在白名单之中/);
    // the texts start in one terminal column: a CJK character takes two
    const columns = (line: string) => { const m = /^  (\S+)( +)/.exec(line)!; return [...m[1]!].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0) + m[2]!.length; };
    expect(new Set(lines.slice(1, 4).map(columns)).size).toBe(1);
    // the caller IP is in the action on the first line, not repeated on a line of its own
    expect(lines[0]).toContain('198.51.100.23');
    expect(lines.some((l) => l.startsWith('  调用方 IP'))).toBe(false);
  });

  it('a JSON log (winston) with the body as an escaped string: the finding carries the body\'s message', async () => {
    const body = { requestid: 'W2', code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '应用尚未开通所需的权限：[Calendar.Event.Write]' };
    const log = `${JSON.stringify({ level: 'info', message: 'started' })}\r\n${JSON.stringify({ level: 'error', message: `dingtalk ${JSON.stringify(body)}` })}\r\n`;
    const dir = mkdtempSync(join(tmpdir(), 'dd-winston-'));
    writeFileSync(join(dir, 'app.log'), `\ufeff${log}`);
    const r = await run(['diagnose', '--json', join(dir, 'app.log')]);
    expect(r.code).toBe(1);
    const [f] = JSON.parse(r.stdout).findings;
    expect([f.cause, f.scopes.map((s: { code: string }) => s.code), f.message, f.requestId, f.source.line]).toEqual([
      'missing-scope', ['Calendar.Event.Write'], '应用尚未开通所需的权限：[Calendar.Event.Write]', 'W2', 2,
    ]);
  });
});

describe('diagnose --format github (audit)', () => {
  it('one ::error per missing scope: a body naming two scopes gives two annotations; a non-denial is a ::warning', async () => {
    const input = [
      '{"requestid":"G1","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","accessdenieddetail":{"requiredScopes":["Calendar.Event.Read","Calendar.Event.Write"]}}',
      '{"requestid":"G2","code":"paramError","message":"参数错误"}',
    ].join('\n');
    const r = await run(['diagnose', '--format', 'github', '-'], `${input}\n`);
    expect(r.code).toBe(1);
    const heads = r.stdout.split('\n').filter((l) => l.startsWith('::')).map((l) => l.slice(0, l.indexOf('::', 2)));
    expect(heads).toEqual([
      '::error title=DingTalk%3A Missing permission · Calendar.Event.Read',
      '::error title=DingTalk%3A Missing permission · Calendar.Event.Write',
      '::warning title=DingTalk%3A DingTalk error (not a permission problem)',
    ]);
  });
});
