/**
 * `npm pack` smoke test: what the tarball ships must run on its own — no ../shared, no
 * sources, no dev dependencies. Packs, installs the tarball into a temp project, runs the bin,
 * imports the library by its package name and type-checks a consumer against the shipped .d.ts.
 * Needs `npm run build` first and the npm cache (install is --prefer-offline).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/run-cli.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir: string;
let files: string[];
let bin: string;
let project: string;
let installMs = 0;
let tarball: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dd-pack-'));
  // With the pack scripts (prepack builds only if stale — `npm test`'s pretest has built — and packs
  // a package.json without `prepare`; postpack puts the checkout's back).
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const info = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = info[0]!.files.map((f) => f.path);
  project = join(dir, 'app');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), '{"name":"pack-smoke","version":"1.0.0","private":true}');
  const started = Date.now();
  tarball = join(dir, info[0]!.filename);
  execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
    cwd: project,
    stdio: 'ignore',
  });
  installMs = Date.now() - started;
  // Measured, not asserted (no timing assertions): shows up in the test log.
  console.info(`npm pack smoke: tarball install took ${installMs} ms`);
  bin = join(project, 'node_modules', '.bin', 'dingtalk-doctor');
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the bin, the build, the data and the schemas, but not sources or tests', () => {
    expect(files).toContain('bin/dingtalk-doctor.cjs');
    expect(files).toContain('dist/boot.cjs');
    expect(files).toContain('dist/cli.cjs');
    // and its parts, each loaded by the commands that need it (scripts/build-parts.mjs)
    expect(files).toContain('dist/cli-commands-diagnose.cjs');
    expect(files).toContain('dist/cli-commands-scopes.cjs');
    expect(files).toContain('dist/lazy/undici-lite.cjs');
    expect(files).toContain('dist/data/scopes.json');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    for (const schema of ['diagnose', 'check', 'scopes', 'scan']) expect(files).toContain(`schema/${schema}.json`);
    expect(files).toContain('schema/README.md');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  });

  it('ships compile caches made by the packing Node: the installed bin starts warm on its first run', () => {
    for (const command of ['diagnose', 'scopes-show', 'default']) expect(files).toContainEqual(expect.stringMatching(new RegExp(`^dist/cache/cli\\.cjs\\.${command}\\.\\w+$`)));
    expect(files).toContain('dist/cache/cli.cjs');
    // the checkout is given back as it was built (prepare.mjs --unpack)
    expect(readdirSync(join(ROOT, 'dist'))).not.toContain('cache');
    const xdg = join(dir, 'first-run-cache');
    const env = { PATH: process.env.PATH, HOME: dir, XDG_CACHE_HOME: xdg };
    const r = spawnSync(bin, ['diagnose', join(ROOT, 'examples', '403-missing-scope.json')], { encoding: 'utf8', cwd: dir, env });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('Missing permission');
    // nothing compiled that needed caching: the shipped caches were used
    expect(() => readdirSync(join(xdg, 'dingtalk-doctor'))).toThrow();
  });

  it('the installed bin prints its version', () => {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('npx dingtalk-doctor (as the README says) runs the installed package, offline', () => {
    const r = spawnSync(npm, ['exec', '--offline', '--no', '--', 'dingtalk-doctor', '--version'], { encoding: 'utf8', cwd: project });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const example = join(ROOT, 'examples', '403-missing-scope.json');
    const d = spawnSync(npm, ['exec', '--offline', '--no', '--', 'dingtalk-doctor', 'diagnose', example], { encoding: 'utf8', cwd: project });
    expect(d.status).toBe(1);
    expect(d.stdout).toContain('Missing permission');
  });

  it('the schemas resolve through the package exports (dingtalk-doctor/schema/*) and describe what explainError returns', () => {
    const script = [
      "import { explainError } from 'dingtalk-doctor';",
      "import schema from 'dingtalk-doctor/schema/diagnose.json' with { type: 'json' };",
      "const doc = explainError({ status: 403, body: { code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', accessdenieddetail: { requiredScopes: ['Contact.User.Read'] } } });",
      'const required = schema.required;',
      'const keys = Object.keys(doc);',
      "console.log(JSON.stringify({ id: schema.$id, missing: required.filter((k) => !keys.includes(k)), extra: keys.filter((k) => !(k in schema.properties)) }));",
    ].join('\n');
    writeFileSync(join(project, 'schema.mjs'), script);
    const r = spawnSync(process.execPath, ['--no-warnings', 'schema.mjs'], { encoding: 'utf8', cwd: project });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ id: 'https://unpkg.com/dingtalk-doctor/schema/diagnose.json', missing: [], extra: [] });
  });

  it('the installed bin diagnoses the offline example with the installed data only', () => {
    const example = join(ROOT, 'examples', '403-missing-scope.json');
    const r = spawnSync(bin, ['diagnose', '--json', example], { encoding: 'utf8', cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { summary: { missingScopes: string[] } };
    expect(doc.summary.missingScopes.length).toBeGreaterThan(0);
  });

  it('the installed package works as a library: import { explainError } from "dingtalk-doctor"', () => {
    const script = [
      "import { explainError, SCHEMA_VERSION } from 'dingtalk-doctor';",
      "const body = { requestid: 'R1', code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: 'x', accessdenieddetail: { requiredScopes: ['Contact.User.Read'] } };",
      "const doc = explainError({ status: 403, url: 'https://api.dingtalk.com/v1.0/contact/users/1', method: 'GET', body }, { appKey: 'dingk' });",
      'console.log(JSON.stringify({ v: SCHEMA_VERSION, command: doc.command, scopes: doc.summary.missingScopes, url: doc.findings[0].consoleUrl }));',
    ].join('\n');
    writeFileSync(join(project, 'use.mjs'), script);
    const r = spawnSync(process.execPath, ['use.mjs'], { encoding: 'utf8', cwd: project });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      v: 1,
      command: 'diagnose',
      scopes: ['Contact.User.Read'],
      url: 'https://open-dev.dingtalk.com/appscope/apply?content=dingk%23Contact.User.Read',
    });
  });

  it('the shipped .d.ts types a strict TypeScript consumer (and rejects a wrong use)', () => {
    const good = [
      "import { explainError, type Diagnosis, type DiagnoseFinding, type ExplainOptions } from 'dingtalk-doctor';",
      "const opts: ExplainOptions = { lang: 'zh', appType: 'internal', api: 'GET /v1.0/contact/users/1' };",
      "const doc: Diagnosis = explainError(new Error('x'), opts);",
      'const first: DiagnoseFinding | undefined = doc.findings[0];',
      "const scopes: string[] = first ? first.scopes.map((s) => s.code + ':' + s.kind) : [];",
      'export const out = [doc.summary.missingScopes, scopes, first?.api?.template ?? null];',
    ].join('\n');
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(join(project, 'package.json'), '{"name":"pack-smoke","version":"1.0.0","private":true,"type":"module"}');
    writeFileSync(join(project, 'good.ts'), good);
    writeFileSync(join(project, 'bad.ts'), "import { explainError } from 'dingtalk-doctor';\nexplainError('x', { lang: 'fr' });\n");
    // One run over both files: the only error must be bad.ts's (the .d.ts itself is checked: no skipLibCheck).
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', 'good.ts', 'bad.ts'], { encoding: 'utf8', cwd: project });
    const errors = r.stdout.split('\n').filter((l) => /error TS/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.ts\(2,\d+\): error TS2322: Type '"fr"'/);
  }, 120_000);

  it('leaves no stray tarball in the project folder, and the checkout keeps its prepare script', () => {
    expect(readdirSync(ROOT).filter((f) => f.endsWith('.tgz') || f.includes('package.json.'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.prepare).toBe('node scripts/prepare.mjs');
  });

  it('the tarball ships the MIT LICENSE, repository/bugs/homepage, and no prepare script that cannot run from it', () => {
    const pkg = JSON.parse(execFileSync('tar', ['xzf', tarball, '-O', 'package/package.json'], { encoding: 'utf8' })) as Record<string, any>;
    expect(files).toContain('LICENSE');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/.+\/dingtalk-doctor\.git$/);
    expect(pkg.bugs.url).toMatch(/\/issues$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.scripts.prepare).toBeUndefined();
  });

  it("require('dingtalk-doctor') works from CommonJS (Node's require of an ES module, 20.19+ and 22.12+)", () => {
    writeFileSync(join(project, 'use.cjs'), "const { explainError } = require('dingtalk-doctor');\nconsole.log(explainError({ status: 403, body: { code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', accessdenieddetail: { requiredScopes: ['Contact.User.Read'] } } }).summary.missingScopes.join());\n");
    const r = spawnSync(process.execPath, ['use.cjs'], { encoding: 'utf8', cwd: project });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('Contact.User.Read');
  });
});

/** npm's warnings in an install's output, but its allowScripts notice (npm 11.19+), which lists any package with a `prepare` in the manifest it resolved. */
const npmWarnings = (stderr: string) => stderr.split('\n').filter((l) => /^npm (warn|error)/i.test(l) && !/^npm warn install-scripts/.test(l));

describe('npm i -g, as the README says: the tarball and a git URL, into a fresh prefix', () => {
  it('npm i -g <tarball>: no warnings, the bin runs', () => {
    const prefix = join(dir, 'global-tgz');
    const r = spawnSync(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const v = spawnSync(join(prefix, 'bin', 'dingtalk-doctor'), ['--version'], { encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  }, 120_000);

  it('npm i -g git+file://<clone>: prepare installs the build tools npm leaves out (npm/cli#8440), builds, and the installed copy runs', () => {
    // A clone of this checkout's HEAD: what `npm i -g git+https://github.com/…` fetches.
    const repo = join(dir, 'repo');
    execFileSync('git', ['clone', '--quiet', ROOT, repo]);
    const prefix = join(dir, 'global-git');
    const r = spawnSync(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', `git+file://${repo}`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(npmWarnings(r.stderr)).toEqual([]);
    const installed = join(prefix, 'lib', 'node_modules', 'dingtalk-doctor');
    // a real directory, not the link into npm's deleted temporary clone (npm/cli#3692)
    expect(lstatSync(installed).isDirectory()).toBe(true);
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).scripts.prepare).toBeUndefined();
    const d = spawnSync(join(prefix, 'bin', 'dingtalk-doctor'), ['diagnose', join(ROOT, 'examples', '403-missing-scope.json')], { encoding: 'utf8' });
    expect(d.status, d.stderr).toBe(1);
    expect(d.stdout).toContain('Missing permission');
  }, 300_000);
});
