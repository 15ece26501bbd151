/**
 * Config errors and discovery, through the built CLI: every failure is one line on
 * stderr with exit 2, naming the file, the path and what was expected; secrets never
 * printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 'cfg-secret-5566aa';
let fake: FakeDingTalk;
const spaces: Workspace[] = [];

function space(files: Record<string, string | [string, number]>): Workspace {
  const ws = workspace();
  for (const [name, content] of Object.entries(files)) {
    if (Array.isArray(content)) ws.write(name, content[0], content[1]);
    else ws.write(name, content);
  }
  spaces.push(ws);
  return ws;
}

const check = (ws: Workspace, args: string[], env: Record<string, string> = {}, cwd = ws.dir) =>
  runCli(['check', '--json', '--base-url', fake.url, ...args], { cwd, env: ws.env(env) });

const oneLine = (stderr: string) => stderr.trim().split('\n');

beforeAll(async () => {
  fake = await startFakeDingTalk({
    apps: {
      crm: { type: 'internal', appKey: 'dingcfgkey', appSecret: SECRET, grants: ['Contact.User.Read'] },
      isv: { type: 'third-party-enterprise', suiteKey: 'suitecfg', suiteSecret: SECRET, authCorpId: 'dingcorpcfg', suiteTicket: 'ticket-cfg-1234', grants: ['Contact.User.Read'] },
      me: { type: 'third-party-personal', clientId: 'dingpersonalcfg', clientSecret: SECRET, refreshToken: 'refresh-cfg-4321', accessToken: 'user-token-cfg-8765', grants: ['Contact.User.Read'] },
    },
  });
});
afterAll(async () => {
  await fake.close();
  for (const ws of spaces) ws.remove();
});

describe('config errors (exit 2, one line)', () => {
  it('a missing ${ENV_VAR} names the variable and the app', async () => {
    const ws = space({ '.dingtalkrc': 'apps:\n  crm:\n    appKey: dingcfgkey\n    appSecret: ${CRM_APP_SECRET}\n' });
    const r = await check(ws, []);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/environment variable CRM_APP_SECRET is not set \(used by apps\.crm\.appSecret in .*\.dingtalkrc, app "crm"\)/);
    expect(r.stdout).toBe('');
  });

  it('a schema error names the file, the path and what was expected', async () => {
    const ws = space({ '.dingtalkrc.json': JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'dingcfgkey', appSecret: 12345 } } }) });
    const r = await check(ws, []);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/\.dingtalkrc\.json: apps\.crm\.appSecret: expected string, received number$/)]);
  });

  it('an unknown app type lists the valid ones; a misspelt key is named', async () => {
    const ws = space({ 'dingtalk.config.yaml': 'apps:\n  crm:\n    type: internl\n    appKey: k\n    appSecret: s\n' });
    const r = await check(ws, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('apps.crm.type: expected one of internal | third-party-enterprise | third-party-personal');
    const ws2 = space({ '.dingtalkrc.yml': 'apps:\n  crm:\n    appKey: k\n    appsecret: s\n' });
    const r2 = await check(ws2, []);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/apps\.crm: unknown key "appsecret" \(did you mean appSecret\?\) \(and 1 more problem\)$/m);
  });

  it('unknown --app lists the configured apps; several apps without --app asks to pick', async () => {
    const ws = space({ '.dingtalkrc.yml': 'apps:\n  crm:\n    appKey: a\n    appSecret: ${X}\n  hr:\n    appKey: b\n    appSecret: ${Y}\n' });
    const r = await check(ws, ['--app', 'finance']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown app "finance" in .*; configured apps: crm, hr/);
    const r2 = await check(ws, []);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('several apps configured (crm, hr): pick one with --app <name> or --all-apps');
  });

  it('invalid YAML, an empty file, a missing --config file', async () => {
    const ws = space({ '.dingtalkrc.yaml': 'apps: [unclosed\n', 'empty.json': '' });
    const r = await check(ws, []);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/\.dingtalkrc\.yaml: not valid YAML at line 2, column 1: /)]);
    const r2 = await check(ws, ['--config', 'nope.yml']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('config file nope.yml not found');
    const r3 = await check(ws, ['--config', 'empty.json']);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/empty\.json: (config is empty|cannot read config)/);
  });

  it('no config and no DINGTALK_* variables: exit 2 saying how to configure', async () => {
    const ws = space({});
    const r = await check(ws, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no dingtalk-doctor config found');
    expect(r.stderr).toContain('DINGTALK_APP_KEY');
  });
});

describe('config discovery', () => {
  it('package.json#dingtalk found from a subdirectory (searched upward)', async () => {
    const ws = space({ 'package.json': JSON.stringify({ name: 'x', dingtalk: { apps: { crm: { appKey: 'dingcfgkey', appSecret: '${S}', required: ['Contact.User.Read'] } } } }) });
    mkdirSync(join(ws.dir, 'src', 'deep'), { recursive: true });
    const r = await check(ws, [], { S: SECRET }, join(ws.dir, 'src', 'deep'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).apps[0].name).toBe('crm');
  });

  it('--config overrides the search', async () => {
    const ws = space({
      '.dingtalkrc.json': JSON.stringify({ apps: { crm: { appKey: 'dingcfgkey', appSecret: 'wrong-secret-000' } } }),
      'ci/other.yml': `apps:\n  ci:\n    appKey: dingcfgkey\n    appSecret: \${S}\n    required: [Contact.User.Read]\n`,
    });
    const r = await check(ws, ['--config', 'ci/other.yml'], { S: SECRET });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).apps[0].name).toBe('ci');
  });

  it('env-only mode: an internal app from DINGTALK_* variables, DINGTALK_REQUIRED as a comma list', async () => {
    const ws = space({});
    const r = await check(ws, [], { DINGTALK_APP_KEY: 'dingcfgkey', DINGTALK_APP_SECRET: SECRET, DINGTALK_REQUIRED: 'Contact.User.Read, Calendar.Event.Write' });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.apps[0]).toMatchObject({ name: 'default', type: 'internal' });
    expect(doc.summary.missing).toEqual([{ app: 'default', scope: 'Calendar.Event.Write' }]);
    expect(leaked(r, [SECRET, ...fake.issuedTokens])).toEqual([]);
  });

  it('env-only mode: a third-party enterprise app; a missing variable is named', async () => {
    const ws = space({});
    const base = { DINGTALK_APP_TYPE: 'third-party-enterprise', DINGTALK_SUITE_KEY: 'suitecfg', DINGTALK_SUITE_SECRET: SECRET, DINGTALK_AUTH_CORP_ID: 'dingcorpcfg', DINGTALK_REQUIRED: 'Contact.User.Read' };
    const r = await check(ws, [], { ...base, DINGTALK_SUITE_TICKET: 'ticket-cfg-1234' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).apps[0].type).toBe('third-party-enterprise');
    const r2 = await check(ws, [], base);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('DINGTALK_SUITE_TICKET is not set');
  });
});

describe('env-only mode: third-party personal apps', () => {
  it('DINGTALK_REFRESH_TOKEN with DINGTALK_CLIENT_ID/SECRET and no DINGTALK_APP_TYPE is a personal app (refresh flow), not an internal one', async () => {
    const ws = space({});
    const r = await check(ws, [], { DINGTALK_CLIENT_ID: 'dingpersonalcfg', DINGTALK_CLIENT_SECRET: SECRET, DINGTALK_REFRESH_TOKEN: 'refresh-cfg-4321', DINGTALK_REQUIRED: 'Contact.User.Read' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).apps[0]).toMatchObject({ name: 'default', type: 'third-party-personal' });
    expect(fake.requests.filter((q) => q.kind === 'token').at(-1)!.path).toBe('/v1.0/oauth2/userAccessToken');
  });

  it('DINGTALK_ACCESS_TOKEN alone is a personal app with that user token', async () => {
    const ws = space({});
    const r = await check(ws, [], { DINGTALK_ACCESS_TOKEN: 'user-token-cfg-8765', DINGTALK_REQUIRED: 'Contact.User.Read' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).apps[0].type).toBe('third-party-personal');
    expect(leaked(r, ['user-token-cfg-8765', SECRET])).toEqual([]);
  });

  it('an incomplete internal app in env-only mode: one line naming the variable', async () => {
    const ws = space({});
    const r = await check(ws, [], { DINGTALK_APP_KEY: 'dingcfgkey' });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual(['dingtalk-doctor: environment: DINGTALK_APP_SECRET is not set (needed for an internal app in env-only mode)']);
  });
});

describe('nothing to check', () => {
  it('no required list and no --scope/--api: exit 2 saying where to list scopes, nothing sent (a green check that checked nothing would mislead CI)', async () => {
    const ws = space({});
    const before = fake.requests.length;
    const r = await check(ws, [], { DINGTALK_APP_KEY: 'dingcfgkey', DINGTALK_APP_SECRET: SECRET });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('nothing to check');
    expect(r.stderr).toContain('DINGTALK_REQUIRED');
    expect(r.stdout).toBe('');
    expect(fake.requests.length).toBe(before);

    const file = space({ '.dingtalkrc.yml': 'apps:\n  crm:\n    appKey: dingcfgkey\n    appSecret: ${S}\n' });
    const r2 = await check(file, [], { S: SECRET });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('apps.crm.required');
    const r3 = await check(file, ['--scope', 'Contact.User.Read'], { S: SECRET });
    expect(r3.code).toBe(0);
  });
});

describe('literal secrets', () => {
  const content = `apps:\n  crm:\n    appKey: dingcfgkey\n    appSecret: ${SECRET}\n    required: [Contact.User.Read]\n`;

  it('a literal secret in a file others can read: a warning on stderr naming the field (never the value)', async () => {
    const ws = space({ '.dingtalkrc.yml': [content, 0o644] });
    const r = await check(ws, []);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*\.dingtalkrc\.yml is readable by all users and holds a literal secret \(apps\.crm\.appSecret\); use \$\{ENV_VAR\} references or chmod 600/);
    expect(leaked(r, [SECRET, ...fake.issuedTokens])).toEqual([]);
  });

  it('no warning when the file is private (0600)', async () => {
    const ws = space({ '.dingtalkrc.yml': [content, 0o600] });
    const r = await check(ws, []);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('.dingtalkrc.example', () => {
  it('is a valid config: every documented app type passes the schema', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const { validateConfig } = await import('../src/config/schema.js');
    const result = validateConfig(parse(readFileSync(new URL('../.dingtalkrc.example', import.meta.url), 'utf8')), '.dingtalkrc.example');
    expect('error' in result ? result.error : null).toBeNull();
    const config = (result as { config: { apps: Record<string, { type: string }> } }).config;
    expect(Object.fromEntries(Object.entries(config.apps).map(([n, a]) => [n, a.type]))).toEqual({
      crm: 'internal',
      isv: 'third-party-enterprise',
      personal: 'third-party-personal',
      'personal-refresh': 'third-party-personal',
    });
  });
});

describe('JavaScript config files named with --config', () => {
  // cosmiconfig's loader import()s ES module configs: the CLI's compile-cached loader must route that
  // through a real module (src/boot.ts), without an experimental-feature warning. (A search never
  // loads them: test/config-safety.test.ts.)
  for (const [name, files] of [
    ['.dingtalkrc.mjs', { '.dingtalkrc.mjs': "export default { apps: { crm: { appKey: 'dingcfgkey', appSecret: '${S}', required: ['Contact.User.Read'] } } };\n" }],
    ['.dingtalkrc.js in a "type": "module" project', { 'package.json': '{"type":"module"}', '.dingtalkrc.js': "export default { apps: { crm: { appKey: 'dingcfgkey', appSecret: '${S}', required: ['Contact.User.Read'] } } };\n" }],
    ['dingtalk.config.cjs', { 'dingtalk.config.cjs': "module.exports = { apps: { crm: { appKey: 'dingcfgkey', appSecret: '${S}', required: ['Contact.User.Read'] } } };\n" }],
  ] as const) {
    it(`${name} is loaded`, async () => {
      const ws = space(files);
      const file = Object.keys(files).find((f) => f !== 'package.json')!;
      const r = await check(ws, ['--app', 'crm', '--config', file], { S: SECRET });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).apps[0].results[0]).toMatchObject({ scope: 'Contact.User.Read', status: 'granted' });
    });
  }
});

describe('literal secrets in code configs', () => {
  it('a world-readable .js config reading process.env is not warned about', async () => {
    const ws = space({ '.dingtalkrc.cjs': [`module.exports = { apps: { crm: { appKey: 'dingcfgkey', appSecret: process.env.S, required: ['Contact.User.Read'] } } };\n`, 0o644] });
    const r = await check(ws, ['--config', '.dingtalkrc.cjs'], { S: SECRET });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
