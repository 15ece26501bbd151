/**
 * Config errors that help and reveal nothing (issue 13.6), through the built CLI: a malformed
 * JSON/YAML config is named by file, line and column and what is wrong, never with the text of the
 * line (it holds the secret here); a BOM is fine; an alias or tag on a secret field is refused
 * without echo; a huge config is refused by its size; a short secret is refused at load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { truncateSync } from 'node:fs';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 'errsecretQ7w9e1r3t5';
let fake: FakeDingTalk;
const spaces: Workspace[] = [];

function space(files: Record<string, string>): Workspace {
  const ws = workspace();
  for (const [name, content] of Object.entries(files)) ws.write(name, content);
  spaces.push(ws);
  return ws;
}

const check = (ws: Workspace, args: string[] = [], env: Record<string, string> = {}) =>
  runCli(['check', '--json', '--base-url', fake.url, ...args], { cwd: ws.dir, env: ws.env({ S: SECRET, ...env }) });

const lines = (stderr: string) => stderr.trim().split('\n');

beforeAll(async () => {
  fake = await startFakeDingTalk({
    apps: {
      crm: { type: 'internal', appKey: 'dingerrkey', appSecret: SECRET, grants: ['Contact.User.Read'] },
      hr: { type: 'internal', appKey: 'dingerrkey2', appSecret: SECRET, grants: [] },
    },
  });
});
afterAll(async () => {
  await fake.close();
  for (const ws of spaces) ws.remove();
});

describe('a malformed config: file, line, column, what — never the line', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['JSON, a missing comma after the secret', '.dingtalkrc.json', `{\n  "apps": {\n    "crm": {\n      "appSecret": "${SECRET}"\n      "appKey": "k"\n    }\n  }\n}\n`, /\.dingtalkrc\.json: not valid JSON at line 5, column 7: expected ',' or '}' after property value$/],
    ['JSON, the secret unquoted (V8 quotes the text in its message)', '.dingtalkrc.json', `{"apps": {"crm": {\n  "appSecret": ${SECRET}}}}\n`, /\.dingtalkrc\.json: not valid JSON at line 2, column 16: unexpected character$/],
    ['JSON, cut off in the secret', 'dingtalk.config.json', `{"apps": {"crm": {"appSecret": "${SECRET}`, /dingtalk\.config\.json: not valid JSON at line 1, column \d+: unterminated string$/],
    ['JSON, cut off after the secret', 'dingtalk.config.json', `{"apps": {"crm": {"appSecret": "${SECRET}"}`, /dingtalk\.config\.json: not valid JSON at line 1, column \d+: expected ',' or '}' after property value$/],
    ['YAML, a flow mapping missing a comma', '.dingtalkrc.yml', `apps:\n  crm: { appKey: k, appSecret: ${SECRET} required: [] }\n`, /\.dingtalkrc\.yml: not valid YAML at line 2, column \d+: /],
    ['YAML, a block scalar header with the secret on it', '.dingtalkrc.yaml', `apps:\n  crm:\n    appSecret: >x ${SECRET}\n`, /\.dingtalkrc\.yaml: not valid YAML at line 3, column \d+: block scalar header includes extra characters$/],
    ['YAML, an unclosed quote', '.dingtalkrc', `apps:\n  crm:\n    appSecret: "${SECRET}\n`, /\.dingtalkrc: not valid YAML or JSON at line \d+, column \d+: /],
  ];
  for (const [name, file, content, expected] of cases) {
    it(name, async () => {
      const ws = space({ [file]: content });
      const r = await check(ws);
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toEqual([expect.stringMatching(expected)]);
      expect(leaked(r, [SECRET])).toEqual([]);
      expect(r.stdout).toBe('');
    });
  }
});

describe('YAML aliases, anchors and tags on a secret field', () => {
  for (const [name, value] of [
    ['an alias (a secret that starts with *)', `*${SECRET}`],
    ['a tag (a secret that starts with !)', `!${SECRET}`],
    ['a binary tag', `!!binary ${Buffer.from(SECRET).toString('base64')}`],
    ['an anchor', `&${SECRET} value`],
  ] as const) {
    it(`${name}: refused, naming the field and the line, without the value`, async () => {
      const ws = space({ '.dingtalkrc.yml': `apps:\n  crm:\n    appKey: dingerrkey\n    appSecret: ${value}\n    required: [Contact.User.Read]\n` });
      const r = await check(ws);
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toEqual([expect.stringMatching(/\.dingtalkrc\.yml: apps\.crm\.appSecret \(line 4, column 5\): a YAML alias, anchor or tag is not a secret value/)]);
      expect(leaked(r, [SECRET, Buffer.from(SECRET).toString('base64')])).toEqual([]);
    });
  }

  it('an alias elsewhere to a missing anchor: the position, not the name', async () => {
    const ws = space({ '.dingtalkrc.yml': `apps:\n  crm:\n    appKey: dingerrkey\n    appSecret: \${S}\n    description: *${SECRET}\n` });
    const r = await check(ws);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/\.dingtalkrc\.yml: not valid YAML at line 5, column 18: unresolved alias/)]);
    expect(leaked(r, [SECRET])).toEqual([]);
  });
});

describe('what a config file may look like', () => {
  it('a UTF-8 BOM (Windows editors) is accepted in JSON and YAML', async () => {
    for (const [file, content] of [
      ['.dingtalkrc.json', JSON.stringify({ apps: { crm: { appKey: 'dingerrkey', appSecret: '${S}', required: ['Contact.User.Read'] } } })],
      ['.dingtalkrc.yml', 'apps:\n  crm:\n    appKey: dingerrkey\n    appSecret: ${S}\n    required: [Contact.User.Read]\n'],
    ] as const) {
      const ws = space({ [file]: `\uFEFF${content}` });
      const r = await check(ws);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });

  it('a 200 MB config is refused by its size (named or found), not read', async () => {
    const ws = space({ 'huge.yml': '', '.dingtalkrc.yml': '' });
    for (const name of ['huge.yml', '.dingtalkrc.yml']) truncateSync(`${ws.dir}/${name}`, 200 * 1024 * 1024); // sparse: no disk used
    const named = await check(ws, ['--config', 'huge.yml']);
    expect(named.code).toBe(2);
    expect(lines(named.stderr)[0]).toMatch(/huge\.yml: too large for a config file \(200\.0 MiB; the limit is 1 MiB\)/);
    const found = await check(ws);
    expect(found.code).toBe(2);
    expect(lines(found.stderr)[0]).toMatch(/\.dingtalkrc\.yml: too large for a config file/);
  });

  it("a malformed package.json is skipped by the search with a warning (it is the project's, not ours)", async () => {
    const ws = space({ 'package.json': `{"name": "x", "token": "${SECRET}",, }`, '.dingtalkrc.yml': 'apps:\n  crm:\n    appKey: dingerrkey\n    appSecret: ${S}\n    required: [Contact.User.Read]\n' });
    const r = await check(ws);
    expect(r.code).toBe(0);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^warning: skipped .*package\.json: not valid JSON at line 1, column 46: .* \(looking for a "dingtalk" key\)$/)]);
    expect(leaked(r, [SECRET])).toEqual([]);
  });
});

describe('secrets shorter than 8 characters are refused at load', () => {
  it('from a ${VAR} reference, a literal, or the environment: exit 2, the field named, the value never', async () => {
    const short = 'Xq7!zp';
    const ws = space({ '.dingtalkrc.yml': 'apps:\n  crm:\n    appKey: dingerrkey\n    appSecret: ${S}\n    required: [Contact.User.Read]\n' });
    const r = await check(ws, [], { S: short });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)[0]).toMatch(/apps\.crm\.appSecret in .*\.dingtalkrc\.yml is shorter than 8 characters: not a DingTalk secret \(app "crm"\)/);
    expect(leaked(r, [short])).toEqual([]);

    const env = space({});
    const r2 = await check(env, [], { DINGTALK_APP_KEY: 'dingerrkey', DINGTALK_APP_SECRET: short, DINGTALK_REQUIRED: 'Contact.User.Read' });
    expect(r2.code).toBe(2);
    expect(lines(r2.stderr)[0]).toMatch(/appSecret from the environment is shorter than 8 characters/);
    expect(leaked(r2, [short])).toEqual([]);
    expect(fake.requests.some((q) => JSON.stringify(q).includes(short))).toBe(false);
  });
});

describe('DINGTALK_APP picks the app', () => {
  const TWO = 'apps:\n  crm:\n    appKey: dingerrkey\n    appSecret: ${S}\n    required: [Contact.User.Read]\n  hr:\n    appKey: dingerrkey2\n    appSecret: ${S}\n    required: [Contact.User.Read]\n';

  it('like --app (which wins over it); an unknown name says where it came from', async () => {
    const ws = space({ '.dingtalkrc.yml': TWO });
    const r = await check(ws, [], { DINGTALK_APP: 'hr' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).apps.map((a: { name: string }) => a.name)).toEqual(['hr']);
    const r2 = await check(ws, ['--app', 'crm'], { DINGTALK_APP: 'hr' });
    expect(r2.code).toBe(0);
    expect(JSON.parse(r2.stdout).apps.map((a: { name: string }) => a.name)).toEqual(['crm']);
    const r3 = await check(ws, [], { DINGTALK_APP: 'finance' });
    expect(r3.code).toBe(2);
    expect(lines(r3.stderr)[0]).toMatch(/unknown app "finance" \(from DINGTALK_APP\) in .*; configured apps: crm, hr$/);
  });

  it('--all-apps is not narrowed by it; in env-only mode it names the one app', async () => {
    const ws = space({ '.dingtalkrc.yml': TWO });
    const r = await check(ws, ['--all-apps'], { DINGTALK_APP: 'hr' });
    expect(JSON.parse(r.stdout).apps.map((a: { name: string }) => a.name)).toEqual(['crm', 'hr']);
    const env = space({});
    const r2 = await check(env, [], { DINGTALK_APP: 'crm', DINGTALK_APP_KEY: 'dingerrkey', DINGTALK_APP_SECRET: SECRET, DINGTALK_REQUIRED: 'Contact.User.Read' });
    expect(r2.code).toBe(0);
    expect(JSON.parse(r2.stdout).apps[0].name).toBe('crm');
  });
});

describe('check --all-apps with one app that cannot be resolved (issue 16.6)', () => {
  const TWO = 'apps:\n  crm:\n    appKey: dingerrkey\n    appSecret: ${S}\n    required: [Contact.User.Read]\n  hr:\n    appKey: dingerrkey2\n    appSecret: ${HR_SECRET}\n    required: [Contact.User.Read]\n';

  it('checks the others and reports that one as its error (cause "config", exit 1), in every format', async () => {
    const ws = space({ '.dingtalkrc.yml': TWO });
    const r = await check(ws, ['--all-apps']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.apps.map((a: { name: string }) => a.name)).toEqual(['crm', 'hr']);
    expect(doc.apps[0].results[0]).toMatchObject({ scope: 'Contact.User.Read', status: 'granted' });
    expect(doc.apps[1].error).toMatchObject({ cause: 'config', code: null });
    expect(doc.apps[1].error.message).toContain('environment variable HR_SECRET is not set (used by apps.hr.appSecret');
    const text = await runCli(['check', '--all-apps', '--base-url', fake.url], { cwd: ws.dir, env: ws.env({ S: SECRET }) });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/error: config: environment variable HR_SECRET is not set/);
    expect(leaked(r, [SECRET, ...fake.issuedTokens])).toEqual([]);
  });

  it('exit 2 with the one line only when no app could be checked; --app of the broken one stays exit 2', async () => {
    const ws = space({ '.dingtalkrc.yml': TWO });
    const none = await runCli(['check', '--json', '--all-apps', '--base-url', fake.url], { cwd: ws.dir, env: ws.env() });
    expect(none.code).toBe(2);
    expect(lines(none.stderr)).toEqual([expect.stringMatching(/environment variable S is not set/)]);
    expect(none.stdout).toBe('');
    const one = await check(ws, ['--app', 'hr']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('environment variable HR_SECRET is not set');
  });
});

describe('the user-level config: ~/.config/dingtalk-doctor/ (one place, beside learned.json)', () => {
  const RC = 'apps:\n  crm:\n    appKey: dingerrkey\n    appSecret: ${S}\n    required: [Contact.User.Read]\n';

  it('config.yml there is found after the project directories ($XDG_CONFIG_HOME honoured)', async () => {
    const ws = space({ 'home/.config/dingtalk-doctor/config.yml': RC, 'project/src/.keep': '', 'xdg/dingtalk-doctor/config.json': JSON.stringify({ apps: { xdg: { appKey: 'dingerrkey', appSecret: '${S}', required: ['Contact.User.Read'] } } }) });
    const cwd = `${ws.dir}/project/src`;
    const r = await runCli(['check', '--json', '--base-url', fake.url], { cwd, env: ws.env({ S: SECRET }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).apps[0].name).toBe('crm');
    const xdg = await runCli(['check', '--json', '--base-url', fake.url], { cwd, env: ws.env({ S: SECRET, XDG_CONFIG_HOME: `${ws.dir}/xdg` }) });
    expect(xdg.code).toBe(0);
    expect(JSON.parse(xdg.stdout).apps[0].name).toBe('xdg');
  });

  it('~/.config/dingtalk/config.yml (read by cosmiconfig before, undocumented) is no longer read: the error says where to move it', async () => {
    const ws = space({ 'home/.config/dingtalk/config.yml': RC, 'project/.keep': '' });
    const r = await runCli(['check', '--json', '--base-url', fake.url], { cwd: `${ws.dir}/project`, env: ws.env({ S: SECRET }) });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/no dingtalk-doctor config found — .*home\/\.config\/dingtalk\/config\.yml is no longer read: move it to .*home\/\.config\/dingtalk-doctor\/config\.yml$/)]);
  });
});
