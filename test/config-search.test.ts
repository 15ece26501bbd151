/**
 * The config search (src/config/load.ts findConfig) on real temp directories: which file is found,
 * in which order, what does not count (a directory named like a config, a dangling symlink), where
 * the walk stops, and the path it hands back — the same as path.join would give; and diagnose,
 * which takes the one configured app when there is one and says nothing when there is none.
 */
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { extname, join, posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorText } from '../src/errors.js';
import { dirPrefix, findConfig, isJsPlace, loadConfig, loadConfigIfAny, mayHaveDingtalkKey, SEARCH_PLACES, USER_PLACES } from '../src/config/load.js';
import { dataExtname, isJsConfig } from '../src/config/read.js';
import { runCli } from './helpers/run-cli.js';
import { tempDirs } from './helpers/temp-dirs.js';

const temp = tempDirs('dd-search-');

/** A project under a HOME in a temp dir (the walk stops at HOME: nothing of the host's /tmp leaks in), the user dir inside it. */
function project() {
  const above = temp();
  const home = join(above, 'home');
  const dir = join(home, 'proj');
  mkdirSync(dir, { recursive: true });
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') };
  const warnings: ErrorText[] = [];
  const find = (cwd = dir) => findConfig({ cwd, env, warn: (t) => warnings.push(t) });
  return { above, home, dir, env, warnings, find };
}

/** A config naming one app after `tag`, in the format the place's name says. */
function configText(place: string, tag: string): string {
  if (place === 'package.json') return JSON.stringify({ name: 'x', dingtalk: { apps: { [tag]: { appKey: 'k' } } } });
  if (place.endsWith('.json')) return JSON.stringify({ apps: { [tag]: { appKey: 'k' } } });
  return `apps:\n  ${tag}:\n    appKey: k\n`;
}

const appOf = (found: Awaited<ReturnType<typeof findConfig>>) => Object.keys((found?.value as { apps: object }).apps)[0];

describe('what counts as a config file', () => {
  it('a directory named like a config is passed over, also for the JS names (no warning)', async () => {
    const p = project();
    for (const name of ['package.json', '.dingtalkrc', '.dingtalkrc.json', '.dingtalkrc.cjs']) mkdirSync(join(p.dir, name));
    writeFileSync(join(p.dir, 'dingtalk.config.yml'), configText('dingtalk.config.yml', 'yml'));
    const found = await p.find();
    expect(found?.file).toBe(join(p.dir, 'dingtalk.config.yml'));
    expect(p.warnings).toEqual([]);
  });

  it('a symlink to a file counts (its own path is the one found); a dangling symlink does not', async () => {
    const p = project();
    symlinkSync(join(p.home, 'nowhere.yml'), join(p.dir, '.dingtalkrc'));
    writeFileSync(join(p.home, 'real.yml'), configText('x.yml', 'linked'));
    symlinkSync(join(p.home, 'real.yml'), join(p.dir, '.dingtalkrc.yml'));
    const found = await p.find();
    expect(found?.file).toBe(join(p.dir, '.dingtalkrc.yml'));
    expect(appOf(found)).toBe('linked');
  });

  it('a package.json without "dingtalk" is passed over for the next place of the same directory', async () => {
    const p = project();
    writeFileSync(join(p.dir, 'package.json'), JSON.stringify({ name: 'x', keywords: ['dingtalk'] }));
    writeFileSync(join(p.dir, '.dingtalkrc'), configText('.dingtalkrc', 'rc'));
    const found = await p.find();
    expect(found?.file).toBe(join(p.dir, '.dingtalkrc'));
    expect(found?.value).toEqual({ apps: { rc: { appKey: 'k' } } });
  });

  it('package.json with no one to warn: one that may have the key is parsed, escapes too; a broken one without it is passed over as with a warning', async () => {
    const p = project();
    const quiet = () => findConfig({ cwd: p.dir, env: p.env });
    writeFileSync(join(p.dir, 'package.json'), '{"name": "x", "dingtalk" :\n {"apps": {"pkg": {"appKey": "k"}}}}');
    expect(appOf(await quiet())).toBe('pkg');
    writeFileSync(join(p.dir, 'package.json'), '{"name": "x", "\\u0064ingtalk": {"apps": {"escaped": {"appKey": "k"}}}}');
    expect(appOf(await quiet())).toBe('escaped');
    writeFileSync(join(p.dir, 'package.json'), '{"name": "x", "keywords": ["dingtalk"],, "@alicloud/dingtalk": "1"}');
    writeFileSync(join(p.dir, '.dingtalkrc.json'), configText('.dingtalkrc.json', 'rc'));
    expect((await quiet())?.file).toBe(join(p.dir, '.dingtalkrc.json'));
    expect((await p.find())?.file).toBe(join(p.dir, '.dingtalkrc.json'));
    expect(p.warnings.map((w) => w.id)).toEqual(['note.config.skipped']);
  });

  it('mayHaveDingtalkKey: "dingtalk" then a colon at any depth, or any backslash', () => {
    expect(['{"dingtalk":{}}', '{"a": {"dingtalk"\r\n\t :1}}', '{"\\u0064ingtalk": {}}', '{"a": "\\"", "b": 1}'].map(mayHaveDingtalkKey)).toEqual([true, true, true, true]);
    expect(['{"keywords": ["dingtalk", "x"]}', '{"@alicloud/dingtalk": "1", "dingtalk-doctor": 2}', '{"dingtalk" , "x": 1}', ''].map(mayHaveDingtalkKey)).toEqual([false, false, false, false]);
  });

  it('a name differing in case is found only where the file system says it is the same name', async () => {
    const p = project();
    writeFileSync(join(p.dir, '.DingtalkRC.json'), configText('.dingtalkrc.json', 'cased'));
    const caseInsensitive = existsSync(join(p.dir, '.dingtalkrc.json'));
    const found = await p.find();
    // As a stat of the searched name says: the name searched for is the path found (macOS, Windows), none on Linux.
    expect(found?.file ?? null).toBe(caseInsensitive ? join(p.dir, '.dingtalkrc.json') : null);
  });
});

describe('the order of the search', () => {
  it('in one directory, SEARCH_PLACES in order: each JS config before the data config found is warned about, then skipped', async () => {
    const p = project();
    for (const place of SEARCH_PLACES) writeFileSync(join(p.dir, place), isJsPlace(place) ? 'throw new Error("ran")' : configText(place, place.replace(/\W/g, '_')));
    const dataPlaces = SEARCH_PLACES.filter((place) => !isJsPlace(place));
    const seen: Array<{ found: string; warned: string[] }> = [];
    for (const place of dataPlaces) {
      p.warnings.length = 0;
      const found = await p.find();
      seen.push({ found: found!.file, warned: p.warnings.map((w) => String(w.params.file)) });
      expect(appOf(found)).toBe(place.replace(/\W/g, '_'));
      rmSync(join(p.dir, place));
    }
    const expected = dataPlaces.map((place) => ({
      found: join(p.dir, place),
      warned: SEARCH_PLACES.slice(0, SEARCH_PLACES.indexOf(place)).filter(isJsPlace),
    }));
    expect(seen).toEqual(expected);
    // Only the JS configs are left: each is warned about once, in order, and nothing is found.
    p.warnings.length = 0;
    expect(await p.find()).toBeNull();
    expect(p.warnings.map((w) => [w.id, w.params.file])).toEqual(SEARCH_PLACES.filter(isJsPlace).map((place) => ['note.config.js-ignored', place]));
  });

  it('upward from the working directory: the nearest directory wins; the walk stops at HOME; then the user directory in its order', async () => {
    const p = project();
    const deep = join(p.dir, 'src', 'deep');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(p.above, 'package.json'), configText('package.json', 'above')); // above HOME: never searched
    writeFileSync(join(p.dir, 'dingtalk.config.json'), configText('dingtalk.config.json', 'proj'));
    writeFileSync(join(p.dir, 'src', '.dingtalkrc.yml'), configText('.dingtalkrc.yml', 'src'));
    expect((await p.find(deep))?.file).toBe(join(p.dir, 'src', '.dingtalkrc.yml'));
    rmSync(join(p.dir, 'src', '.dingtalkrc.yml'));
    // A file of a later place in a nearer directory wins over an earlier place further up.
    writeFileSync(join(p.home, '.dingtalkrc'), configText('.dingtalkrc', 'home'));
    expect((await p.find(deep))?.file).toBe(join(p.dir, 'dingtalk.config.json'));
    rmSync(join(p.dir, 'dingtalk.config.json'));
    expect((await p.find(deep))?.file).toBe(join(p.home, '.dingtalkrc'));
    rmSync(join(p.home, '.dingtalkrc'));
    expect(await p.find(deep)).toBeNull();

    const userDir = join(p.env.XDG_CONFIG_HOME, 'dingtalk-doctor');
    mkdirSync(userDir, { recursive: true });
    for (const place of [...USER_PLACES].reverse()) {
      writeFileSync(join(userDir, place), configText(place, 'user'));
      expect((await p.find(deep))?.file).toBe(join(userDir, place));
    }
    mkdirSync(join(p.dir, '.dingtalkrc.yaml'));
    expect((await p.find(deep))?.file).toBe(join(userDir, USER_PLACES[0]!));
  });

  it('the user directory: one named config.yml does not count, the next place does', async () => {
    const p = project();
    const userDir = join(p.env.XDG_CONFIG_HOME, 'dingtalk-doctor');
    mkdirSync(join(userDir, 'config.yml'), { recursive: true });
    writeFileSync(join(userDir, 'config.json'), configText('config.json', 'user'));
    expect((await p.find())?.file).toBe(join(userDir, 'config.json'));
  });
});

describe('the paths of the search, without path.join or path.extname', () => {
  it('dirPrefix + name is what join gives, for roots and other directories, POSIX and Windows', () => {
    for (const dir of ['/', '/a', '/a/b.c', '/work/wt/cfg']) expect(dirPrefix(dir, '/') + 'package.json').toBe(posix.join(dir, 'package.json'));
    for (const dir of ['C:\\', 'C:\\a', 'C:\\a\\b', '\\\\srv\\share\\', '\\\\srv\\share\\a']) expect(dirPrefix(dir, '\\') + '.dingtalkrc').toBe(win32.join(dir, '.dingtalkrc'));
    expect(dirPrefix('/')).not.toContain('//');
  });

  it('isJsPlace is isJsConfig for every searched name', () => {
    for (const place of [...SEARCH_PLACES, ...USER_PLACES]) expect([place, isJsPlace(place)]).toEqual([place, isJsConfig(place)]);
  });

  it('dataExtname is extname, the quick look and the names it hands to extname alike', () => {
    const names = ['package.json', '/a/x.json', 'x.yaml', 'a/b.c.yml', '.json', 'a/.json', 'a/.yml', '/.yaml', 'a\\.json', 'C:.json', 'x..json', 'a/..yml', '.dingtalkrc', 'x.JSON', 'x.json/', 'x.js', 'yml', 'ajson'];
    for (const name of names) expect([name, dataExtname(name)]).toEqual([name, extname(name)]);
  });
});

describe('loadConfigIfAny: no config is null, not an error', () => {
  const empty = () => project();

  it('null with no file and no DINGTALK_* app; loadConfig still says how to configure', async () => {
    const p = empty();
    expect(await loadConfigIfAny({ cwd: p.dir, env: p.env })).toBeNull();
    await expect(loadConfig({ cwd: p.dir, env: p.env })).rejects.toMatchObject({ text: { id: 'err.config.none', hint: { id: 'err.config.none-hint' } } });
  });

  it('the env-only app; an incomplete one and a broken file still throw', async () => {
    const p = empty();
    const env = { ...p.env, DINGTALK_APP_KEY: 'dingenvkey01', DINGTALK_APP_SECRET: 'env-secret-0123456789' };
    expect((await loadConfigIfAny({ cwd: p.dir, env }))?.config).toMatchObject({ source: 'environment', apps: { default: { appKey: 'dingenvkey01' } } });
    await expect(loadConfigIfAny({ cwd: p.dir, env: { ...p.env, DINGTALK_APP_KEY: 'dingenvkey01' } })).rejects.toMatchObject({ text: { id: 'err.env.not-set-internal' } });
    writeFileSync(join(p.dir, '.dingtalkrc.yml'), 'apps: {');
    await expect(loadConfigIfAny({ cwd: p.dir, env })).rejects.toMatchObject({ text: { id: 'err.config.syntax' } });
  });
});

describe('diagnose and the config', () => {
  const BODY = JSON.stringify({ code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: '没有调用该接口的权限', accessdenieddetail: { requiredScopes: ['Calendar.Event.Write'] } });
  const diagnose = (p: ReturnType<typeof project>, args: string[], env: Record<string, string> = {}) => {
    writeFileSync(join(p.home, 'body.json'), BODY);
    return runCli(['diagnose', join(p.home, 'body.json'), '--json', ...args], { cwd: p.dir, env: { ...p.env, ...env } });
  };
  const appOfRun = (stdout: string) => {
    const [f] = (JSON.parse(stdout) as { findings: Array<{ appKey: string | null; appType: unknown }> }).findings;
    return { appKey: f!.appKey, appType: f!.appType };
  };

  it('no config: the advice without an app, exit 1 (a denial), nothing on stderr; a JS config met is not warned about', async () => {
    const p = project();
    writeFileSync(join(p.dir, '.dingtalkrc.cjs'), 'throw new Error("ran")');
    const r = await diagnose(p, []);
    expect([r.code, r.stderr]).toEqual([1, '']);
    expect(appOfRun(r.stdout)).toEqual({ appKey: null, appType: null });
  });

  it('the env-only app is the app of the advice; an incomplete one is quietly none', async () => {
    const p = project();
    const r = await diagnose(p, [], { DINGTALK_APP_KEY: 'dingenvkey01', DINGTALK_APP_SECRET: 'env-secret-0123456789' });
    expect([r.code, r.stderr]).toEqual([1, '']);
    expect(appOfRun(r.stdout)).toEqual({ appKey: 'dingenvkey01', appType: { type: 'internal', via: 'config', app: 'default', source: 'environment' } });
    const half = await diagnose(p, [], { DINGTALK_APP_KEY: 'dingenvkey01' });
    expect([half.code, half.stderr]).toEqual([1, '']);
    expect(appOfRun(half.stdout)).toEqual({ appKey: null, appType: null });
  });

  it('--app without a config, --config of a missing file: exit 2 with the error, as before', async () => {
    const p = project();
    const app = await diagnose(p, ['--app', 'crm']);
    expect(app.code).toBe(2);
    expect(app.stderr).toContain('no dingtalk-doctor config found');
    const config = await diagnose(p, ['--config', 'missing.yml']);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('config file missing.yml not found');
  });
});
