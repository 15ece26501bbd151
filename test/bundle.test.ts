/**
 * The published package has no runtime dependencies: esbuild bundles them into dist/.
 * So dist/ may import only Node's built-ins (and cosmiconfig's optional `typescript`,
 * needed only for a .ts config file, which the user then has installed).
 */
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/run-cli.js';

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:sqlite', 'node:test', 'node:sea']);
const OPTIONAL = new Set(['typescript']);

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : /\.c?js$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('bundle', () => {
  it('dist/ imports only Node built-ins', () => {
    const foreign = new Set<string>();
    for (const file of jsFiles(join(ROOT, 'dist'))) {
      // comment lines may quote imports of the code we scan for (scopes scan)
      const text = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\*)/.test(line))
        .join('\n');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)) {
        const name = m[1]!;
        if (!/^(@[a-z0-9._-]+\/)?[a-z0-9._-]+(\/[\w.-]+)*$/i.test(name)) continue; // prose inside a string, not an import
        if (!builtins.has(name) && !OPTIONAL.has(name)) foreign.add(`${name} (${file.slice(ROOT.length)})`);
      }
    }
    expect([...foreign]).toEqual([]);
  });

  // One non-ASCII character makes V8 hold a whole source as two-byte text, decoded from UTF-8 at
  // every start (scripts/build.mjs escapes them): the CLI's CommonJS files stay ASCII.
  it('the CommonJS files boot.cjs loads are ASCII only', () => {
    const parts = readdirSync(join(ROOT, 'dist')).filter((f) => /^cli(-[\w-]+)?\.cjs$/.test(f)).map((f) => join(ROOT, 'dist', f));
    expect(parts.length).toBeGreaterThan(5); // cli.cjs and its parts (scripts/build-parts.mjs)
    const files = [...parts, join(ROOT, 'dist', 'boot.cjs'), ...jsFiles(join(ROOT, 'dist', 'lazy'))];
    const nonAscii = files.filter((file) => /[^\x00-\x7f]/.test(readFileSync(file, 'utf8'))).map((file) => file.slice(ROOT.length));
    expect(nonAscii).toEqual([]);
    // and the escaping kept the Chinese: a Chinese 60011 is still explained in Chinese
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'dingtalk-doctor.cjs'), 'diagnose', '--lang', 'zh', '-'], { input: '{"errcode":60011,"errmsg":"没有调用该接口的权限"}', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout).toContain('没有调用该接口的权限');
    expect(r.stdout).toMatch(/钉钉（措辞 没有调用该接口的权限）/);
  });

  // src/dingtalk/undici-lite.ts loads four files of undici's lib/ instead of its index (the index
  // costs ~4× a bare Node start to load, measured in bench/check.mjs) and does the one thing the
  // index does to them. This fails when an undici upgrade moves those files or changes that step.
  it("undici-lite's files are the index's own classes, and the index only adds lib/api to Dispatcher", () => {
    const probe = `
      const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');
      const own = () => Object.getOwnPropertyNames(Dispatcher.prototype).sort();
      const before = own();
      const api = require('undici/lib/api/index.js');
      const undici = require('undici');
      console.log(JSON.stringify({
        before, after: own(), api: Object.keys(api).sort(),
        same: [undici.Dispatcher === Dispatcher, undici.Agent === require('undici/lib/dispatcher/agent.js'),
          undici.EnvHttpProxyAgent === require('undici/lib/dispatcher/env-http-proxy-agent.js'),
          Object.keys(api).every((k) => Dispatcher.prototype[k] === api[k])],
      }));`;
    const r = spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { before, after, api, same } = JSON.parse(r.stdout) as { before: string[]; after: string[]; api: string[]; same: boolean[] };
    expect(same).toEqual([true, true, true, true]);
    expect(api).toEqual(expect.arrayContaining(['request', 'connect']));
    expect(after).toEqual([...new Set([...before, ...api])].sort());
  });

  // boot.cjs compiles these with vm.Script, which cannot import() on Node 20 (scripts/build.mjs checks it too)
  it('the files boot.cjs loads call no import(), and require our other files by ./<file>.cjs only', () => {
    const files = readdirSync(join(ROOT, 'dist')).filter((f) => /^cli(-[\w-]+)?\.cjs$/.test(f));
    for (const file of files) {
      const text = readFileSync(join(ROOT, 'dist', file), 'utf8');
      expect(text.search(/\bimport\(/), file).toBe(-1);
      for (const m of text.matchAll(/\brequire\("(\.[^"]*)"\)/g)) {
        expect(m[1], file).toMatch(/^\.\/(cli(-[\w-]+)?|lazy\/[\w-]+)\.cjs$/);
        expect(readdirSync(join(ROOT, 'dist', m[1]!.startsWith('./lazy/') ? 'lazy' : ''))).toContain(m[1]!.split('/').pop());
      }
    }
  });

  it('the files boot.cjs loads are module functions (boot compiles them as they are), and dist/cli.cjs also runs by plain require', () => {
    for (const file of readdirSync(join(ROOT, 'dist')).filter((f) => /^cli.*\.cjs$/.test(f))) {
      expect(readFileSync(join(ROOT, 'dist', file), 'latin1')).toMatch(/^\(function \(f\) \{.*\(\(function \(exports, require, module, __filename, __dirname\) \{/);
    }
    // as bench/compile-cache.mjs loads it, through Node's own loader (and its compile cache on Node 22)
    const script = "process.argv = [process.argv[0], 'dingtalk-doctor', 'diagnose', 'examples/403-missing-scope.json']; require('./dist/cli.cjs');";
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, DINGTALK_DOCTOR_NO_COMPILE_CACHE: '1' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Contact.User.Read');
  });

  it('package.json declares no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
  });
});
