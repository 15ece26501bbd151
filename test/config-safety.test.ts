/**
 * No code from the repository under test runs (issue 13.1): every JavaScript file that
 * cosmiconfig would have executed — its meta-config `.config/config.*`, `package.json#cosmiconfig`
 * search places, `.dingtalkrc.{js,cjs,mjs}`, `dingtalk.config.{js,cjs,mjs}` (also in a parent
 * directory), a `$import` — writes a marker file when run. Through the built CLI, with and without
 * `--config`, the marker never appears; a JS config found by the search is named on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 'safety-secret-9911zz';
let fake: FakeDingTalk;
const spaces: Workspace[] = [];

const TRUSTED = `apps:\n  crm:\n    appKey: dingsafekey\n    appSecret: \${S}\n    required: [Contact.User.Read]\n`;
const APP = "{ apps: { crm: { appKey: 'dingsafekey', appSecret: '${S}', required: ['Contact.User.Read'] } } }";

/** A CommonJS / ES module file that leaves `marker` next to it when it runs, and exports a valid config. */
const cjs = (marker: string) => `require('node:fs').writeFileSync(require('node:path').join(__dirname, ${JSON.stringify(marker)}), 'ran');\nmodule.exports = ${APP};\n`;
const esm = (marker: string) =>
  `import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL(${JSON.stringify(marker)}, import.meta.url), 'ran');\nexport default ${APP};\n`;

function space(files: Record<string, string>): Workspace {
  const ws = workspace();
  for (const [name, content] of Object.entries(files)) ws.write(name, content);
  spaces.push(ws);
  return ws;
}

const check = (ws: Workspace, args: string[], cwd = ws.dir, env: Record<string, string> = {}) =>
  runCli(['check', '--json', '--base-url', fake.url, ...args], { cwd, env: ws.env({ S: SECRET, ...env }) });

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: { crm: { type: 'internal', appKey: 'dingsafekey', appSecret: SECRET, grants: ['Contact.User.Read'] } } });
});
afterAll(async () => {
  await fake.close();
  for (const ws of spaces) ws.remove();
});

/** Each hostile checkout: its files, where the marker lands, and the JS config the search names (if any). */
const CHECKOUTS: Array<{ name: string; files: Record<string, string>; marker: string; ignored?: string; sub?: string }> = [
  { name: "cosmiconfig's meta-config .config/config.cjs", files: { '.config/config.cjs': cjs('marker') }, marker: '.config/marker' },
  { name: "cosmiconfig's meta-config .config/config.mjs", files: { '.config/config.mjs': esm('marker') }, marker: '.config/marker' },
  { name: "cosmiconfig's meta-config .config/config.js", files: { '.config/config.js': cjs('marker') }, marker: '.config/marker' },
  { name: 'a meta-config .config/config.json naming a JS search place', files: { '.config/config.json': '{"cosmiconfig": {"searchPlaces": ["evil.cjs"]}}', 'evil.cjs': cjs('marker') }, marker: 'marker' },
  // cosmiconfig applies its packageProp twice to a package.json meta-config, hence the nesting.
  { name: 'package.json#cosmiconfig naming a JS search place', files: { 'package.json': '{"name": "x", "cosmiconfig": {"cosmiconfig": {"searchPlaces": ["evil.cjs"]}}}', 'evil.cjs': cjs('marker') }, marker: 'marker' },
  { name: '.dingtalkrc.js', files: { '.dingtalkrc.js': cjs('marker') }, marker: 'marker', ignored: '.dingtalkrc.js' },
  { name: '.dingtalkrc.cjs', files: { '.dingtalkrc.cjs': cjs('marker') }, marker: 'marker', ignored: '.dingtalkrc.cjs' },
  { name: '.dingtalkrc.mjs', files: { '.dingtalkrc.mjs': esm('marker') }, marker: 'marker', ignored: '.dingtalkrc.mjs' },
  { name: 'dingtalk.config.js', files: { 'dingtalk.config.js': cjs('marker') }, marker: 'marker', ignored: 'dingtalk.config.js' },
  { name: 'dingtalk.config.cjs', files: { 'dingtalk.config.cjs': cjs('marker') }, marker: 'marker', ignored: 'dingtalk.config.cjs' },
  { name: 'dingtalk.config.mjs', files: { 'dingtalk.config.mjs': esm('marker') }, marker: 'marker', ignored: 'dingtalk.config.mjs' },
  { name: '.dingtalkrc.cjs in a parent directory', files: { '.dingtalkrc.cjs': cjs('marker'), 'pkg/src/.keep': '' }, marker: 'marker', ignored: join('..', '..', '.dingtalkrc.cjs'), sub: 'pkg/src' },
  { name: 'a JSON config that $imports a JS file', files: { '.dingtalkrc.json': '{"$import": "./evil.cjs"}', 'evil.cjs': cjs('marker') }, marker: 'marker' },
];

describe('no code from the checkout runs', () => {
  for (const c of CHECKOUTS) {
    it(`${c.name}: not run by a search, not run with --config`, async () => {
      const ws = space(c.files);
      const cwd = c.sub ? join(ws.dir, c.sub) : ws.dir;
      const searched = await check(ws, [], cwd);
      expect(existsSync(join(ws.dir, c.marker))).toBe(false);
      if (c.ignored) {
        expect(searched.stderr).toContain(`ignored ${c.ignored}: JavaScript configs run code; pass --config to use it`);
      }
      expect(searched.code).toBe(2);

      const trusted = ws.write('trusted/rc.yml', TRUSTED);
      const named = await check(ws, ['--config', trusted], cwd);
      expect(existsSync(join(ws.dir, c.marker))).toBe(false);
      expect(named.stderr).toBe('');
      expect(named.code).toBe(0);
      expect(leaked(named, [SECRET, ...fake.issuedTokens])).toEqual([]);
    });
  }

  it('a JS config found by the search is skipped for the data config after it, with the warning', async () => {
    const ws = space({ '.dingtalkrc.cjs': cjs('marker'), 'dingtalk.config.yml': TRUSTED });
    const r = await check(ws, []);
    expect(existsSync(join(ws.dir, 'marker'))).toBe(false);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('ignored .dingtalkrc.cjs: JavaScript configs run code; pass --config to use it')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).apps[0].name).toBe('crm');
  });

  it('a malformed package.json in the working directory does not break check --config x (no search at all)', async () => {
    const ws = space({ 'package.json': '{"name": "x",, broken' });
    const trusted = ws.write('trusted/rc.yml', TRUSTED);
    const r = await check(ws, ['--config', trusted]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('JavaScript configs the user names run', () => {
  it('--config file.mjs / file.cjs is loaded (the user chose to run it)', async () => {
    const ws = space({ 'ci/rc.mjs': esm('marker-mjs'), 'ci/rc.cjs': cjs('marker-cjs') });
    for (const [file, marker] of [['ci/rc.mjs', 'ci/marker-mjs'], ['ci/rc.cjs', 'ci/marker-cjs']] as const) {
      const r = await check(ws, ['--config', file]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(existsSync(join(ws.dir, marker))).toBe(true);
    }
  });

  it('DINGTALK_DOCTOR_ALLOW_JS_CONFIG=1 lets the search load JS configs', async () => {
    const ws = space({ '.dingtalkrc.cjs': cjs('marker') });
    const r = await check(ws, [], ws.dir, { DINGTALK_DOCTOR_ALLOW_JS_CONFIG: '1' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(ws.dir, 'marker'))).toBe(true);
  });

  it('DINGTALK_CONFIG names the file like --config (no search; --config wins over it)', async () => {
    const ws = space({ '.dingtalkrc.cjs': cjs('marker'), 'elsewhere/rc.yml': TRUSTED });
    mkdirSync(join(ws.dir, 'sub'));
    const r = await check(ws, [], join(ws.dir, 'sub'), { DINGTALK_CONFIG: join(ws.dir, 'elsewhere/rc.yml') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(ws.dir, 'marker'))).toBe(false);
    const r2 = await check(ws, ['--config', 'nope.yml'], ws.dir, { DINGTALK_CONFIG: join(ws.dir, 'elsewhere/rc.yml') });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('config file nope.yml not found');
  });
});

describe('loading a named JS config reads no meta-config either', () => {
  it('--config rc.cjs in a checkout with .config/config.cjs: only the named file runs', async () => {
    const ws = space({ '.config/config.cjs': cjs('meta-marker'), 'ci/rc.cjs': cjs('marker') });
    const r = await check(ws, ['--config', 'ci/rc.cjs']);
    expect(r.code).toBe(0);
    expect(existsSync(join(ws.dir, 'ci/marker'))).toBe(true);
    expect(existsSync(join(ws.dir, '.config/meta-marker'))).toBe(false);
  });
});
