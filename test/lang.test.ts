/**
 * One language at a time: every command rendered with --lang zh (and LANG=zh_CN.UTF-8) shows
 * no English UI string from the list below, while the same command in English shows them (so
 * the list is checked against real output, not assumed). Built CLI (`npm run build` first),
 * `check` and `scopes scan --check` against the fake DingTalk on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDingTalk } from './fake-dingtalk/server.js';
import type { Workspace } from './fake-dingtalk/workspace.js';
import { crmConfig, startCrmApp, stopCrmApp } from './helpers/crm-app.js';
import { runCli } from './helpers/run-cli.js';

/** English UI texts of our own (not catalog data such as English scope names). */
const ENGLISH_UI = [
  'Summary', 'App crm (', 'App `crm`', 'Request permission', 'What to do', ' missing', ' granted', 'unverifiable', 'SCOPE', 'KIND', 'STATUS', 'WHAT TO DO', 'request it',
  'scope(s)', 'kind ', 'flags', 'probe', 'matched', 'measure', 'documented APIs', 'error codes', 'catalog from',
  'Scanned', 'APIs and the scopes', 'Scopes to request', 'Granted by default', 'Next:', 'no known scope', 'lacks',
  'has no --format', 'use one of', 'ask for two formats', 'unknown scope', 'did you mean', 'no such directory',
  'no scope matches', 'which shell', 'is empty', 'binary file', 'unknown option', 'is invalid', 'missing required', 'run with --help', 'Nothing learned', 'How to get it', 'Links', '[unknown]', 'standard', 'special', 'no safe read-only probe',
];

const SECRET = 'crm-secret-lang-8282';
let fake: FakeDingTalk;
let ws: Workspace;

beforeAll(async () => {
  ({ fake, ws } = await startCrmApp({ appKey: 'dingcrmlang', secret: SECRET, grants: ['Contact.User.Read'], required: ['Contact.User.Read', 'Calendar.Event.Write', 'qyapi_base'] }));
  ws.write('empty.log', '');
  ws.write('binary.bin', '\u0000\u0001\u0002ELF\u0000\u0000');
  ws.write('src/sync.ts', "export const calendars = (userId: string) => fetch('https://api.dingtalk.com/v1.0/calendar/users/' + userId + '/calendars');\n");
});

afterAll(() => stopCrmApp({ fake, ws }));

const COMMANDS: Array<[string, string[]]> = [
  ['check', ['check', '--base-url', '@fake']],
  ['check --format markdown', ['check', '--base-url', '@fake', '--format', 'markdown']],
  ['scopes list', ['scopes', 'list', '--kind', 'special']],
  ['scopes search', ['scopes', 'search', 'contact', 'user', '--limit', '3']],
  ['scopes show', ['scopes', 'show', 'qyapi_manage_addresslist']],
  ['scopes for', ['scopes', 'for', 'GET /v1.0/contact/users/0123']],
  ['scopes stats', ['scopes', 'stats']],
  ['scopes learned', ['scopes', 'learned']],
  ['scopes scan', ['scopes', 'scan', 'src']],
  ['scopes scan --check', ['scopes', 'scan', 'src', '--check', '--app', 'crm']],
  ['error: unknown scope', ['scopes', 'show', 'Nope.Scope']],
  ['error: a format the command lacks', ['scopes', 'stats', '--format', 'github']],
  ['error: two formats', ['scopes', 'stats', '--json', '--format', 'markdown']],
  ['error: missing directory', ['scopes', 'scan', 'no-such-dir']],
  ['error: no scope matches', ['scopes', 'search', 'zzqqxx']],
  ['error: which shell', ['completion']],
  ['error: empty input', ['diagnose', 'empty.log']],
  ['commander: unknown option', ['check', '--bogus']],
  ['commander: a value not among the choices', ['scopes', 'show', 'Contact.User.Read', '--app-type', 'weird']],
  ['commander: missing argument', ['scopes', 'show']],
  ['error: binary input', ['diagnose', 'binary.bin']],
];

const run = (args: string[], env: Record<string, string> = {}) =>
  runCli(args.map((a) => (a === '@fake' ? fake.url : a)), { cwd: ws.dir, env: ws.env({ CRM_SECRET: SECRET, DINGTALK_API_BASE: fake.url, ...env }) });

const englishIn = (text: string) => ENGLISH_UI.filter((s) => text.includes(s));

describe('--lang zh: a Chinese UI everywhere a user reads it', () => {
  it.each(COMMANDS)('%s', async (_name, args) => {
    const en = await run(args);
    const zh = await run([...args, '--lang', 'zh']);
    expect(zh.code).toBe(en.code);
    expect(englishIn(`${en.stdout}${en.stderr}`).length, 'the English run shows UI strings from the list').toBeGreaterThan(0);
    expect(englishIn(`${zh.stdout}${zh.stderr}`), `${zh.stdout}${zh.stderr}`.slice(0, 2000)).toEqual([]);
    expect(`${zh.stdout}${zh.stderr}`).toMatch(/[\u4e00-\u9fff]/);
  });

  it('LANG=zh_CN.UTF-8 does the same as --lang zh (statuses 已授权 / 缺失 / 无法验证 included)', async () => {
    ws.write('.dingtalkrc.yml', crmConfig({ appKey: 'dingcrmlang', required: ['Contact.User.Read', 'Calendar.Event.Write', 'Contact.User.mobile'] }));
    const byLang = await run(['check'], { LANG: 'zh_CN.UTF-8' });
    const byFlag = await run(['check', '--lang', 'zh']);
    expect(byLang.stdout).toBe(byFlag.stdout);
    for (const status of ['已授权', '缺失', '无法验证']) expect(byLang.stdout).toContain(status);
    expect(byLang.stdout).toContain('应用 crm（企业内部应用，AppKey dingcrmlang）');
  });
});
