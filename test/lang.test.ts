/**
 * One language at a time: every command rendered with --lang zh (and LANG=zh_CN.UTF-8) shows
 * no English UI string from the list below, while the same command in English shows them (so
 * the list is checked against real output, not assumed). Built CLI (`npm run build` first),
 * `check`, `diagnose --replay` and `scopes scan --check` against the fake DingTalk on 127.0.0.1;
 * the error paths too: bad input and config (exit 2), a refused token and a closed port (exit 3).
 * The list is ours by hand plus every English phrase of the error and CI texts of src/messages/en.json,
 * and in Chinese every `dingtalk-doctor:` line on stderr must be Chinese.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDingTalk } from './fake-dingtalk/server.js';
import type { Workspace } from './fake-dingtalk/workspace.js';
import { workspace } from './fake-dingtalk/workspace.js';
import { fakeDws, type FakeDws, type FakeDwsState } from './fake-dws/setup.js';
import { crmConfig, startCrmApp, stopCrmApp } from './helpers/crm-app.js';
import { cliOnTerminal } from './helpers/pty.js';
import { ROOT, runCli } from './helpers/run-cli.js';

/** English UI texts of our own (not catalog data such as English scope names). */
const ENGLISH_UI = [
  'Summary', 'App crm (', 'App `crm`', 'Request permission', 'What to do', ' missing', ' granted', 'unverifiable', 'SCOPE', 'KIND', 'STATUS', 'WHAT TO DO', 'request it',
  'scope(s)', 'kind ', 'flags', 'probe', 'matched', 'measure', 'documented APIs', 'error codes', 'catalog from',
  'Scanned', 'APIs and the scopes', 'Scopes to request', 'Granted by default', 'Next:', 'no known scope', 'lacks',
  'has no --format', 'use one of', 'ask for two formats', 'unknown scope', 'did you mean', 'no such directory',
  'no scope matches', 'which shell', 'is empty', 'binary file', 'unknown option', 'is invalid', 'missing required', 'run with --help', 'Nothing learned', 'How to get it', 'Links', '[unknown]', 'standard', 'special', 'no safe read-only probe',
  'code: ', 'phrase: ', 'API path', 'not probed', 'not checked', 'token request', 'check the network', 'Request it', 'Missing DingTalk scope', 'DingTalk API', 'Scopes to request', 'locations',
];

const messages = (lang: string) => JSON.parse(readFileSync(`${ROOT}src/messages/${lang}.json`, 'utf8')) as Record<string, string>;
/** The phrases (between placeholders) of the English error and CI texts that the Chinese texts do not share (commands, flags). */
const OURS = /^(err\.|note\.|ui\.err\.|ui\.ci\.|ui\.cmd\.|ui\.dws\.|ui\.apply\.|ui\.probe\.|step\.token-fix|step\.network-fix)/;
function englishPhrases(): string[] {
  const en = messages('en');
  const zh = messages('zh');
  // What Chinese texts share with English (commands, flags); a text left in English shares nothing.
  const zhTexts = Object.keys(zh).filter((id) => zh[id] !== en[id]).map((id) => zh[id]).join('\n');
  const phrases = new Set<string>();
  for (const [id, text] of Object.entries(en)) {
    if (!OURS.test(id)) continue;
    for (const part of text.split(/\{\w+\}/)) {
      const phrase = part.replace(/^[\s:;,.()—]+|[\s:;,.()—]+$/g, '');
      if (phrase.length >= 8 && /[a-z]{2,}\s+[a-z]{2,}/.test(phrase) && !zhTexts.includes(phrase)) phrases.add(phrase);
    }
  }
  return [...phrases];
}
const PHRASES = englishPhrases();
const UI_STRINGS = [...ENGLISH_UI, ...PHRASES];

const SECRET = 'crm-secret-lang-8282';
let fake: FakeDingTalk;
let ws: Workspace;
let noConfig: Workspace;
let dws: FakeDws;
let closedPort: number;

beforeAll(async () => {
  ({ fake, ws } = await startCrmApp({ appKey: 'dingcrmlang', secret: SECRET, grants: ['Contact.User.Read'], required: ['Contact.User.Read', 'Calendar.Event.Write', 'qyapi_base'] }));
  ws.write('empty.log', '');
  ws.write('binary.bin', '\u0000\u0001\u0002ELF\u0000\u0000');
  ws.write('src/sync.ts', "export const calendars = (userId: string) => fetch('https://api.dingtalk.com/v1.0/calendar/users/' + userId + '/calendars');\n");
  // Configs and inputs of the error paths (exit 2).
  ws.write('conf/empty.yml', '');
  ws.write('conf/bad.yml', 'apps:\n  crm: [\n');
  ws.write('conf/bad.json', '{"apps": {');
  ws.write('conf/schema.yml', 'apps:\n  crm:\n    type: internal\n    appKey: k\n    bogus: 1\n');
  ws.write('conf/two.yml', 'apps:\n  a:\n    appKey: ka\n    appSecret: ${CRM_SECRET}\n  b:\n    appKey: kb\n    appSecret: ${CRM_SECRET}\n');
  ws.write('conf/noenv.yml', 'apps:\n  crm:\n    appKey: k\n    appSecret: ${NOPE_SECRET}\n');
  ws.write('conf/short.yml', 'apps:\n  crm:\n    appKey: k\n    appSecret: ${SHORT_SECRET}\n');
  ws.write('conf/noreq.yml', 'apps:\n  crm:\n    appKey: dingcrmlang\n    appSecret: ${CRM_SECRET}\n');
  ws.write('bad.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]).toString('latin1'));
  ws.write('dir/file', '');
  ws.write('empty.har', '{"log":{"entries":[]}}');
  ws.write('ok.har', JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'https://api.dingtalk.com/v1.0/contact/users/me', headers: [] }, response: { status: 200 } }] } }));
  ws.write('bad.har', JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'https://api.dingtalk.com/v1.0/contact/users/me', headers: 'x' }, response: { status: 403 } }] } }));
  // A port nothing listens on: the network failure of exit 3.
  closedPort = await new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
  noConfig = workspace();
  // Notes on stderr: a literal secret in a config others can read, a 403 body for --learn, a config to --write-config into.
  ws.write('conf/literal.yml', `apps:\n  crm:\n    appKey: dingcrmlang\n    appSecret: ${SECRET}\n    required: [Contact.User.Read]\n`, 0o644);
  ws.write('conf/complete.yml', 'apps:\n  crm:\n    appKey: dingcrmlang\n    appSecret: ${CRM_SECRET}\n    required: [Calendar.Event.Read]\n');
  ws.write('conf/write.yml', 'apps:\n  crm:\n    appKey: dingcrmlang\n    appSecret: ${CRM_SECRET}\n    required: [Contact.User.Read]\n');
  // DingTalk's 403 of the new API family (dingtalk-facts §2: AccessTokenPermissionDenied with accessdenieddetail.requiredScopes).
  ws.write('body.json', '{"code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"没有调用该接口的权限，接口权限申请参考：https://open.dingtalk.com/document/orgapp-server/add-api-permission","requestid":"1A2B","accessdenieddetail":{"requiredScopes":["Contact.User.Read"]}}');
  // dws (DingTalk's CLI, test/fake-dws): the console lists Calendar.Event.Write as granted, which the probe finds missing.
  dws = fakeDws(dwsState());
});

/** The console of app crm as dws lists it: Calendar.Event.Write granted, which the probe finds missing. */
function dwsState(): FakeDwsState {
  return {
    loggedIn: true,
    user: '张三',
    corp: '示例科技',
    apps: {
      dingcrmlang: {
        unifiedAppId: 'u-crm-lang',
        permissions: [
          { scopeValue: 'Contact.User.Read', scopeName: '通讯录个人信息读权限', authStatus: 'AUTHED', requiredApproval: false, allowedActions: ['view', 'detail', 'remove'] },
          { scopeValue: 'Calendar.Event.Write', scopeName: '日程写权限', authStatus: 'AUTHED', requiredApproval: true, allowedActions: ['view', 'detail', 'remove'] },
          { scopeValue: 'Contact.User.mobile', scopeName: '个人手机号信息', authStatus: 'UNAUTHED', requiredApproval: false, allowedActions: ['view', 'detail', 'apply'] },
        ],
      },
    },
  };
}

afterAll(async () => {
  await stopCrmApp({ fake, ws });
  noConfig.remove();
  dws.remove();
});

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
  ['commander: a near option', ['check', '--scop', 'x']],
  ['commander: a near command', ['scopes', 'shwo']],
  ['commander: an argument not among the choices', ['completion', 'weird']],
  ['commander: an option without its value', ['check', '--timeout']],
  ['error: binary input', ['diagnose', 'binary.bin']],
  ['check --format github', ['check', '--base-url', '@fake', '--format', 'github']],
  ['check --format junit', ['check', '--base-url', '@fake', '--format', 'junit']],
  ['scopes scan --check --format github', ['scopes', 'scan', 'src', '--check', '--app', 'crm', '--base-url', '@fake', '--format', 'github']],
  ['scopes scan --format github', ['scopes', 'scan', 'src', '--format', 'github']],
  ['scopes scan --format markdown', ['scopes', 'scan', 'src', '--format', 'markdown']],
];

/** Every error path a user meets, by its exit code: 2 bad input, flags or config; 3 DingTalk could not be asked. */
const ERRORS: Array<[string, number, string[]]> = [
  ['config: not found', 2, ['check', '--config', 'conf/missing.yml']],
  ['config: empty', 2, ['check', '--config', 'conf/empty.yml']],
  ['config: bad YAML', 2, ['check', '--config', 'conf/bad.yml']],
  ['config: bad JSON', 2, ['check', '--config', 'conf/bad.json']],
  ['config: unknown key', 2, ['check', '--config', 'conf/schema.yml']],
  ['config: several apps', 2, ['check', '--config', 'conf/two.yml']],
  ['config: variable not set', 2, ['check', '--config', 'conf/noenv.yml']],
  ['config: short secret', 2, ['check', '--config', 'conf/short.yml']],
  ['config: nothing to check', 2, ['check', '--config', 'conf/noreq.yml']],
  ['config: unknown app', 2, ['check', '--app', 'nope']],
  ['flags: --app and --all-apps', 2, ['check', '--app', 'crm', '--all-apps']],
  ['flags: unknown scope', 2, ['check', '--scope', 'Nope.Scope']],
  ['flags: --yes alone', 2, ['check', '--yes']],
  ['flags: --apply --source probe', 2, ['check', '--apply', '--source', 'probe']],
  ['flags: --apply without a terminal', 2, ['check', '--apply']],
  ['flags: --concurrency x', 2, ['check', '--concurrency', 'x']],
  ['flags: --base-url ftp', 2, ['check', '--base-url', 'ftp://x']],
  ['flags: --base-url not a URL', 2, ['check', '--base-url', 'notaurl']],
  ['input: no such file', 2, ['diagnose', 'missing.log']],
  ['input: a directory', 2, ['diagnose', 'dir']],
  ['input: bad --api', 2, ['diagnose', '--api', 'bogus', 'empty.log']],
  ['replay: unclosed quote', 2, ['diagnose', '--replay', "curl 'https://api.dingtalk.com/x"]],
  ['replay: no URL', 2, ['diagnose', '--replay', 'curl -H x']],
  ['replay: two URLs', 2, ['diagnose', '--replay', 'curl https://api.dingtalk.com/a https://api.dingtalk.com/b']],
  ['replay: -H @file', 2, ['diagnose', '--replay', 'curl -H @f https://api.dingtalk.com/a']],
  ['replay: HAR without entries', 2, ['diagnose', '--replay', 'empty.har']],
  ['replay: HAR all 2xx', 2, ['diagnose', '--replay', 'ok.har']],
  ['replay: --entry out of range', 2, ['diagnose', '--replay', 'ok.har', '--entry', '5']],
  ['replay: --entry not a number', 2, ['diagnose', '--replay', 'ok.har', '--entry', 'x']],
  ['replay: HAR headers not a list', 2, ['diagnose', '--replay', 'bad.har']],
  ['replay: a write', 2, ['diagnose', '--replay', 'POST https://api.dingtalk.com/v1.0/contact/users/me']],
  ['replay: a foreign host', 2, ['diagnose', '--replay', 'GET https://evil.example.com/v1.0/contact/users/me']],
  ['replay: no such file', 2, ['diagnose', '--replay', 'missing.har']],
  ['diagnose --apply without --app-key', 2, ['diagnose', '--apply', 'empty.log']],
  ['scopes list: unknown product', 2, ['scopes', 'list', '--product', 'nope']],
  ['scopes for: no match (SDK)', 2, ['scopes', 'for', 'bogus']],
  ['scopes for: no match (path)', 2, ['scopes', 'for', 'GET /v1.0/nothing/here']],
  ['scopes scan: --check with --write-config', 2, ['scopes', 'scan', 'src', '--check', '--write-config']],
  ['scopes scan --write-config: unknown app', 2, ['scopes', 'scan', 'src', '--write-config', '--app', 'nope']],
  ['completion: unknown --values', 2, ['completion', '--values', 'weird']],
  ['explain: unknown code', 2, ['explain', '99999999']],
  ['init: the file exists', 2, ['init', '--config', '.dingtalkrc.yml']],
  ['init: a flag missing off a terminal', 2, ['init', '--config', 'new.yml']],
  ['init: a bad AppKey', 2, ['init', '--config', 'new.yml', '--app-key', 'bad key!']],
  ['init: written from flags', 0, ['init', '--config', 'conf/init.yml', '--app', 'crm2', '--app-key', 'dingnewkey', '--force']],
  ['check: the token refused', 3, ['check', '--base-url', '@fake', '@wrong-secret']],
  ['check: DingTalk unreachable', 3, ['check', '--base-url', '@closed']],
  ['check --format junit: DingTalk unreachable', 3, ['check', '--base-url', '@closed', '--format', 'junit']],
  ['check --format github: DingTalk unreachable', 3, ['check', '--base-url', '@closed', '--format', 'github']],
  ['replay: the token refused', 3, ['diagnose', '--replay', 'GET https://api.dingtalk.com/v1.0/contact/users/me', '--base-url', '@fake', '@wrong-secret']],
  ['replay: DingTalk unreachable', 3, ['diagnose', '--replay', 'GET https://api.dingtalk.com/v1.0/contact/users/me', '--base-url', '@closed']],
  ['dws: not logged in, --source dws', 2, ['check', '--base-url', '@fake', '--source', 'dws', '@dws-logged-out']],
  ['note: a literal secret in a readable config', 0, ['check', '--config', 'conf/literal.yml', '--base-url', '@fake']],
  ['note: --learn found nothing to record', 1, ['diagnose', 'body.json', '--learn']],
  ['note: replay removes the old token', 0, ['diagnose', '--replay', 'GET https://api.dingtalk.com/v1.0/contact/users/me?access_token=old-token-123456789', '--base-url', '@fake']],
  ['note: --write-config', 0, ['scopes', 'scan', 'src', '--write-config', '--config', 'conf/write.yml', '--app', 'crm']],
  ['note: --write-config, nothing to add', 0, ['scopes', 'scan', 'src', '--write-config', '--config', 'conf/complete.yml', '--app', 'crm']],
  ['dws: its answer is broken, the probes decide', 1, ['check', '--base-url', '@fake', '@dws-loop']],
  ['dws: probe and dws (agree, disagree)', 1, ['check', '--base-url', '@fake', '@dws']],
  ['dws: --source dws', 1, ['check', '--base-url', '@fake', '--source', 'dws', '--scope', 'Contact.User.mobile', '@dws']],
  ['dws: --format github', 1, ['check', '--base-url', '@fake', '--format', 'github', '@dws']],
  ['dws: --apply --yes', 1, ['check', '--base-url', '@fake', '--source', 'dws', '--scope', 'Contact.User.mobile', '--apply', '--yes', '@dws-apply']],
  ['scopes scan --format sarif', 0, ['scopes', 'scan', 'src', '--format', 'sarif']],
  ['scopes scan --check --format sarif', 1, ['scopes', 'scan', 'src', '--check', '--app', 'crm', '--base-url', '@fake', '--format', 'sarif']],
  ['explain --format github', 0, ['explain', '60011', '--format', 'github']],
  ...(['text', 'markdown', 'github', 'junit'] as const).map((format): [string, number, string[]] => [
    `check --format ${format}: an API the catalog cannot map, a code it does not know`,
    1,
    ['check', '--base-url', '@fake', '--format', format, '--api', 'GET /v1.0/nothing/here', '--scope', 'Contact.Usr.Read', '--allow-unknown-scope'],
  ]),
];

const run = (args: string[], env: Record<string, string> = {}) => {
  const secret = args.includes('@wrong-secret') ? 'not-the-crm-secret-0000' : SECRET;
  // @dws: the fake dws first on PATH (logged in); @dws-logged-out: a fake dws whose user is not logged in.
  const withDws = args.includes('@dws') ? dws.env() : args.includes('@dws-logged-out') ? extraDws({ loggedIn: false, apps: {} }) : args.includes('@dws-apply') ? extraDws(dwsState()) : args.includes('@dws-loop') ? extraDws({ ...dwsState(), fail: { list: 'loop' } }) : {};
  env = { ...withDws, ...env };
  const argv = args.filter((a) => !a.startsWith('@wrong-secret') && !a.startsWith('@dws')).map((a) => (a === '@fake' ? fake.url : a === '@closed' ? `http://127.0.0.1:${closedPort}` : a));
  return runCli(argv, { cwd: ws.dir, env: ws.env({ CRM_SECRET: secret, SHORT_SECRET: 'abc', DINGTALK_API_BASE: fake.url, ...env }) });
};

/** A fake dws of its own for one run: --apply changes the console's state, a logged-out one has its own. */
const extras: FakeDws[] = [];
function extraDws(state: FakeDwsState): Record<string, string> {
  const own = fakeDws(state);
  extras.push(own);
  return own.env();
}
afterAll(() => extras.forEach((d) => d.remove()));

/** The CLI in a real pseudo-terminal in the workspace, typing `answers` at its questions. */
const onTerminal = (args: string[], answers: string[]) => cliOnTerminal(args, answers, { cwd: ws.dir, env: ws.env() });

const englishIn = (text: string) => UI_STRINGS.filter((s) => text.includes(s));
/** The output without what the user typed (a file name, `--source probe`): an echo of the argument is not our English. */
/**
 * The English UI strings in the Chinese output of a run with `args`. What is code is left out first:
 * what the user typed (a file name, `--source probe`), JUnit's type="probe-error" and a JSON
 * document's keys (SARIF's "locations"), and, for the short words of the hand list, a flag with its
 * value that a text tells the user to type (`--fail-on unverifiable`). The phrases of
 * src/messages are not in any Chinese text, so they are looked for without that last step.
 */
function englishOf(zhOutput: string, args: readonly string[]): string[] {
  // What the user typed: a flag's value or a file, URL or code (not the command words and flags, which a text may name).
  const typed = args.filter((a, i) => a.length >= 3 && !a.startsWith('-') && (/[./:@]/.test(a) || args[i - 1]?.startsWith('--')));
  const code = typed.reduce((t, a) => t.split(a).join('·'), zhOutput.replace(/ type="[^"]*"/g, '').replace(/"[$\w]+":/g, ''));
  const withoutFlags = code.replace(/--[a-z][a-z-]*(?: [a-z]+\b)?/g, '·');
  return [...ENGLISH_UI.filter((s) => withoutFlags.includes(s)), ...PHRASES.filter((s) => code.includes(s))];
}

/** Our own error lines on stderr that have no Chinese in them. */
const untranslatedErrors = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('dingtalk-doctor:') && !/[\u4e00-\u9fff]/.test(l));

describe('--lang zh: a Chinese UI everywhere a user reads it', () => {
  it.each(COMMANDS)('%s', async (_name, args) => {
    const en = await run(args);
    const zh = await run([...args, '--lang', 'zh']);
    expect(zh.code).toBe(en.code);
    expect(englishIn(`${en.stdout}${en.stderr}`).length, 'the English run shows UI strings from the list').toBeGreaterThan(0);
    expect(englishIn(`${zh.stdout}${zh.stderr}`), `${zh.stdout}${zh.stderr}`.slice(0, 2000)).toEqual([]);
    expect(`${zh.stdout}${zh.stderr}`).toMatch(/[\u4e00-\u9fff]/);
  });

  it.concurrent.each(ERRORS)('%s (exit %i)', async (_name, exit, args) => {
    const en = await run(args);
    const zh = await run([...args, '--lang', 'zh']);
    expect([en.code, zh.code], `${en.stdout}${en.stderr}`).toEqual([exit, exit]);
    expect(englishIn(`${en.stdout}${en.stderr}`).length, `the English run shows UI strings from the list: ${en.stdout}${en.stderr}`).toBeGreaterThan(0);
    expect(englishOf(`${zh.stdout}${zh.stderr}`, args), `${zh.stdout}${zh.stderr}`.slice(0, 2000)).toEqual([]);
    expect(untranslatedErrors(zh.stderr)).toEqual([]);
    expect(`${zh.stdout}${zh.stderr}`).toMatch(/[\u4e00-\u9fff]/);
    // The secrets of the run never show, in either language.
    expect(`${en.stdout}${en.stderr}${zh.stdout}${zh.stderr}`).not.toContain(SECRET);
  });

  it('no config at all (exit 2): the same in Chinese', async () => {
    const zh = await runCli(['check', '--lang', 'zh'], { cwd: noConfig.dir, env: noConfig.env() });
    expect(zh.code).toBe(2);
    expect(englishIn(zh.stderr)).toEqual([]);
    expect(untranslatedErrors(zh.stderr)).toEqual([]);
  });

  it('init on a terminal asks in Chinese (a real pty: test/helpers/pty-answers.py), re-asking in Chinese', async () => {
    const secretTyped = 'Zq9/xW+r8s7T6u5v==';
    const r = await onTerminal(['init', '--config', 'conf/tty.yml', '--lang', 'zh'], ['crm3', '', 'dingttykey', secretTyped, '']);
    expect(r.shown).toContain('[answered 5]');
    expect(r.code).toBe(0);
    for (const question of ['应用名', '应用类型', 'AppKey（开发者后台显示为“Client ID”）', '保存 appSecret', '应为环境变量名', '已写入 conf/tty.yml', '下一步']) expect(r.shown).toContain(question);
    expect(englishOf(r.shown, [])).toEqual([]);
    for (const english of ['App name', 'App type', 'Environment variable that will hold', 'expected an environment', 'wrote ', 'Next:']) expect(r.shown).not.toContain(english);
    // The terminal echoes what was typed; the file never holds it.
    expect(readFileSync(`${ws.dir}/conf/tty.yml`, 'utf8')).not.toContain(secretTyped);
  });

  it('check --apply on a terminal asks in Chinese, and a no is said in Chinese (fake dws, a real pty)', async () => {
    const args = ['check', '--base-url', fake.url, '--source', 'dws', '--scope', 'Contact.User.mobile', '--apply', '--lang', 'zh'];
    const r = await cliOnTerminal(args, ['n'], { cwd: ws.dir, env: ws.env({ ...extraDws(dwsState()), CRM_SECRET: SECRET }) });
    expect(r.shown).toContain('[answered 1]');
    for (const text of ['dws 试运行（应用 "crm"）', '通过 dws 为应用 "crm" 申请 ', '未确认：未申请任何权限']) expect(r.shown).toContain(text);
    expect(englishOf(r.shown, args)).toEqual([]);
    expect(r.shown).not.toContain(SECRET);
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

describe('the message tables', () => {
  it('every error, note and CI text has a Chinese text (with a word the English has not, it has Chinese)', () => {
    const en = messages('en');
    const zh = messages('zh');
    const untranslated = Object.keys(en).filter((id) => {
      if (!OURS.test(id)) return false;
      const words = en[id]!.replace(/\{\w+\}/g, '').match(/[A-Za-z]{2,}/g) ?? [];
      return words.length > 0 && (zh[id] === en[id] || (words.some((w) => !zh[id]!.includes(w)) && !/[\u4e00-\u9fff]/.test(zh[id]!)));
    });
    expect(Object.keys(en).filter((id) => OURS.test(id)).length).toBeGreaterThan(250);
    expect(untranslated).toEqual([]);
  });

  it('every quoted err.* / note.* / ui.* / step.* id in src/ is in both message tables (a missing one would fail at run time)', () => {
    const en = messages('en');
    const zh = messages('zh');
    const files = readdirSync(`${ROOT}src`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const named = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(`${ROOT}src/${file}`, 'utf8').matchAll(/'((?:err|note|ui|step|text)\.[a-z0-9][a-z0-9.-]*[a-z0-9])'/g)) named.add(m[1]!);
    }
    expect(named.size).toBeGreaterThan(200);
    expect([...named].filter((id) => en[id] === undefined || zh[id] === undefined)).toEqual([]);
  });
});
