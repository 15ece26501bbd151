/**
 * The CLI's start-up loads dist/ through V8's code cache (src/boot.ts). A cache must never change
 * what the CLI prints, must be written only where only this user can write, must survive being
 * corrupted or from another build, and must be off when asked.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';

const base = mkdtempSync(join(tmpdir(), 'dd-compile-cache-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(base, `c${n++}`);

const example = join(ROOT, 'examples', '403-missing-scope.json');
const diagnose = (env: Record<string, string | undefined>, bin?: string) => runCli(['diagnose', example, '--json'], { env, bin });

/**
 * A copy of the installed package (bin/ and dist/, without the compile caches `npm pack` ships,
 * which test/pack.test.ts may be making in dist/cache meanwhile), and its bin.
 */
function installCopy(name: string): { at: string; bin: string } {
  const at = join(base, `install-${name}`);
  cpSync(join(ROOT, 'bin'), join(at, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(at, 'dist'), { recursive: true, filter: (from) => from !== join(ROOT, 'dist', 'cache') });
  return { at, bin: join(at, 'bin', 'dingtalk-doctor.cjs') };
}

describe('compile cache', () => {
  it('the first run writes one cache per file it loaded and per command (0700 dir, 0600 files); later runs print the same', async () => {
    const dir = freshDir();
    const first = await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: dir });
    const files = readdirSync(dir).sort();
    // cli.cjs and the parts diagnose loads (scripts/build-parts.mjs): each its own cache, all of this command
    expect(files).toContainEqual(expect.stringMatching(/^cli\.cjs\.diagnose\.\w+-\w+$/));
    expect(files).toContainEqual(expect.stringMatching(/^cli-commands-diagnose\.cjs\.diagnose\.\w+-\w+$/));
    for (const file of files) expect(file).toMatch(/^cli(-[\w-]+)?\.cjs\.diagnose\.\w+-\w+$/);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const sizes = files.map((file) => statSync(join(dir, file)).size);
    for (const file of files) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    expect(Math.min(...sizes)).toBeGreaterThan(10_000);

    const second = await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: dir });
    expect(second).toEqual(first);
    expect(first.code).toBe(1);
    // used, not rewritten
    expect(readdirSync(dir).sort()).toEqual(files);
    expect(files.map((file) => statSync(join(dir, file)).size)).toEqual(sizes);

    const profiles = () => [...new Set(readdirSync(dir).map((f) => f.split('.')[2]))].sort();
    await runCli(['scopes', 'show', 'Contact.User.Read'], { env: { DINGTALK_DOCTOR_CACHE_DIR: dir } });
    expect(readdirSync(dir)).toContainEqual(expect.stringMatching(/^cli\.cjs\.scopes-show\.\w+-\w+$/));
    expect(profiles()).toEqual(['diagnose', 'scopes-show']);
    // each scopes question its own (they run different code); an option's value never makes one
    await runCli(['scopes', '--json', 'for', 'GET', '/v1.0/contact/users/{unionId}'], { env: { DINGTALK_DOCTOR_CACHE_DIR: dir } });
    await runCli(['scopes', 'show', 'Contact.Dept.Read'], { env: { DINGTALK_DOCTOR_CACHE_DIR: dir } });
    expect(profiles()).toEqual(['diagnose', 'scopes-for', 'scopes-show']);
  });

  // A run loads the code of its command only: the parts it loads are the files it caches.
  it('diagnose loads no part of check, scopes, scan, init, explain, completion or --replay; --version loads cli.cjs alone', async () => {
    const loaded = async (args: string[]) => {
      const dir = freshDir();
      await runCli(args, { env: { DINGTALK_DOCTOR_CACHE_DIR: dir } });
      return readdirSync(dir).map((f) => f.slice(0, f.indexOf('.cjs.'))).sort();
    };
    const parts = readdirSync(join(ROOT, 'dist')).filter((f) => /^cli-.*\.cjs$/.test(f)).map((f) => f.slice(0, -'.cjs'.length));
    expect(parts).toEqual(expect.arrayContaining(['check', 'scopes', 'scan-run', 'init', 'explain', 'completion', 'diagnose-replay', 'diagnose-apply'].map((c) => `cli-commands-${c}`)));

    const diagnosed = await loaded(['diagnose', example]);
    expect(diagnosed).toContain('cli');
    expect(diagnosed).toContain('cli-commands-diagnose');
    expect(diagnosed.length).toBeLessThanOrEqual(2);
    for (const part of diagnosed) expect(part).not.toMatch(/check|scopes|scan|init|explain|completion|replay|apply/);
    expect(await loaded(['--version'])).toEqual(['cli']);
    const shown = await loaded(['scopes', 'show', 'Contact.User.Read']);
    expect(shown).toContain('cli-commands-scopes');
    // commander's program is a part of its own: every run loads it but a plain diagnose or scopes question (src/cli.ts)
    expect(diagnosed).not.toContain('cli-program');
    expect(shown).not.toContain('cli-program');
    expect(shown.length).toBeLessThanOrEqual(2);
    expect(await loaded(['scopes', 'list', '--kind', 'special'])).toEqual(expect.arrayContaining(['cli', 'cli-program', 'cli-commands-scopes']));
    for (const part of shown) expect(part).not.toMatch(/check|scan|init|explain|completion|replay|apply|^cli-commands-diagnose/);
    // help, which lists every command, loads them all
    expect(await loaded(['--help'])).toEqual(expect.arrayContaining(['cli-commands-check', 'cli-commands-scopes', 'cli-commands-init', 'cli-commands-explain', 'cli-commands-completion']));
  });

  // A first run that stopped early compiled a fraction of the command's code: cached, every later run
  // of the command would compile the rest again. Help has a cache of its own; a failed run writes none.
  it('a first run that fails (exit 2) writes no cache, help writes its own, and the next real run writes the command\'s', async () => {
    const dir = freshDir();
    const env = { DINGTALK_DOCTOR_CACHE_DIR: dir };
    const profiles = () => [...new Set(readdirSync(dir).map((f) => f.split('.')[2]))].sort();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const missing = await runCli(['diagnose', join(base, 'no-such-file.json')], { env });
    expect(missing.code).toBe(2);
    const usage = await runCli(['diagnose', '--format', 'nope', example], { env });
    expect(usage.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
    const help = await runCli(['diagnose', '--help'], { env });
    expect(help.code).toBe(0);
    expect(profiles()).toEqual(['diagnose-help']);
    await runCli(['help', 'scopes'], { env });
    expect(profiles()).toEqual(['diagnose-help', 'scopes-help']);
    const first = await diagnose(env);
    expect(first.code).toBe(1);
    expect(profiles()).toEqual(['diagnose', 'diagnose-help', 'scopes-help']);
    // and the diagnose caches are the ones a full run makes: what a later run reads, unchanged
    const files = readdirSync(dir).filter((f) => f.split('.')[2] === 'diagnose').sort();
    expect(files).toContainEqual(expect.stringMatching(/^cli-commands-diagnose\.cjs\.diagnose\./));
    const sizes = files.map((f) => statSync(join(dir, f)).size);
    expect(await diagnose(env)).toEqual(first);
    expect(readdirSync(dir).filter((f) => f.split('.')[2] === 'diagnose').sort()).toEqual(files);
    expect(files.map((f) => statSync(join(dir, f)).size)).toEqual(sizes);
  });

  it('a part that cannot be loaded (an install that lost a file) is one clear line and exit 2, no stack trace', async () => {
    const { at } = installCopy('incomplete');
    const run = (...args: string[]) => spawnSync(process.execPath, [join(at, 'bin', 'dingtalk-doctor.cjs'), ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: base, DINGTALK_DOCTOR_NO_COMPILE_CACHE: '1' } });
    rmSync(join(at, 'dist', 'cli-commands-diagnose.cjs'));
    const diagnosed = run('diagnose', example);
    expect(diagnosed.status).toBe(2);
    expect(diagnosed.stdout).toBe('');
    expect(diagnosed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^dingtalk-doctor: .*cannot load .*cli-commands-diagnose\.cjs \(ENOENT\): this installation of dingtalk-doctor is incomplete; reinstall it/)]);
    // the other commands do not need that file
    expect(run('--version').status).toBe(0);
    rmSync(join(at, 'dist', 'cli.cjs'));
    const version = run('--version');
    expect(version.status).toBe(2);
    expect(version.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^dingtalk-doctor: cannot load .*cli\.cjs \(ENOENT\).*reinstall it$/)]);
  });

  it('a corrupted or foreign cache is rejected by V8, the output is unchanged and the cache is rewritten', async () => {
    const dir = freshDir();
    const clean = await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: dir });
    const [file] = readdirSync(dir);
    const path = join(dir, file!);
    const good = readFileSync(path);
    // V8's data twice, both copies compared: V8 itself does not checksum in release builds and crashes on junk
    const rewrap = (data: Buffer) => Buffer.concat([good.subarray(0, 4), Buffer.from(Uint32Array.of(data.length).buffer), data, data]);
    const v8Data = good.subarray(8, 8 + good.readUInt32LE(4));
    expect(rewrap(v8Data)).toEqual(good);
    const otherSource = Buffer.from(v8Data);
    otherSource[8]! ^= 0xff; // V8's header: the source hash no longer matches, V8 rejects it
    const junks = [
      Buffer.alloc(0),
      Buffer.from('not a cache'),
      Buffer.concat([good.subarray(0, 64), Buffer.alloc(good.length - 64, 0xff)]), // crashed V8 before the copies were compared
      Buffer.concat([good.subarray(0, good.length - 1), Buffer.of(good[good.length - 1]! ^ 1)]), // one bit, the last byte
      Buffer.concat([good.subarray(0, 1000), Buffer.of(good[1000]! ^ 1), good.subarray(1001)]), // one bit, in the copy V8 would read
      Buffer.concat([good, v8Data]), // a third copy: the length no longer fits
      good.subarray(0, 100),
      rewrap(otherSource),
      rewrap(Buffer.alloc(64)),
    ];
    for (const junk of junks) {
      writeFileSync(path, junk, { mode: 0o600 });
      const r = await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: dir });
      expect(r).toEqual(clean);
      expect(readFileSync(path).length).toBeGreaterThan(10_000);
    }
  });

  it("an earlier build's cache of the same file and command is removed when the new one is written; other commands' stay", async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'cli.cjs.diagnose.oldbuild'), 'x', { mode: 0o600 });
    writeFileSync(join(dir, 'cli-commands-diagnose.cjs.diagnose.oldbuild'), 'x', { mode: 0o600 });
    writeFileSync(join(dir, 'cli.cjs.scopes.oldbuild'), 'x', { mode: 0o600 });
    await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: dir });
    const files = readdirSync(dir).sort();
    expect(files).toContain('cli.cjs.scopes.oldbuild');
    expect(files).not.toContain('cli.cjs.diagnose.oldbuild');
    expect(files).not.toContain('cli-commands-diagnose.cjs.diagnose.oldbuild');
    expect(files.filter((f) => f.startsWith('cli.cjs.diagnose.'))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('cli-commands-diagnose.cjs.diagnose.'))).toHaveLength(1);
  });

  it("the cache of a part an earlier build had at this install, and this one has not, is removed; another install's stays", async () => {
    const dir = freshDir();
    await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: dir });
    const written = readdirSync(dir).find((f) => f.startsWith('cli.cjs.diagnose.'))!;
    const location = written.slice('cli.cjs.diagnose.'.length, written.indexOf('-'));
    const gone = `cli-commands-gone.cjs.scopes-show.${location}-oldkey`;
    const elsewhere = `cli-commands-gone.cjs.scopes-show.otherplace-oldkey`;
    for (const name of [gone, elsewhere]) writeFileSync(join(dir, name), 'x', { mode: 0o600 });
    await runCli(['scopes', 'show', 'Contact.User.Read'], { env: { DINGTALK_DOCTOR_CACHE_DIR: dir } });
    const files = readdirSync(dir);
    expect(files).not.toContain(gone);
    expect(files).toContain(elsewhere);
    expect(files).toContain(written);
  });

  it('two installs (a global one and an npx copy) keep a cache each instead of evicting each other', async () => {
    const dir = freshDir();
    const installs = ['global', 'npx'].map((name) => installCopy(name).bin);
    const run = (bin: string) => {
      const r = spawnSync(process.execPath, [bin, 'diagnose', example, '--json'], { env: { PATH: process.env.PATH, HOME: base, DINGTALK_DOCTOR_CACHE_DIR: dir } });
      return { code: r.status, stdout: r.stdout.toString() };
    };
    const [global, npx] = installs as [string, string];
    const first = run(global);
    const perInstall = readdirSync(dir).length;
    run(npx);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2 * perInstall);
    const written = files.map((f) => statSync(join(dir, f)).mtimeMs);
    // alternating again: each finds its own cache, nothing is rewritten
    expect(run(global)).toEqual(first);
    expect(run(npx)).toEqual(first);
    expect(readdirSync(dir).sort()).toEqual(files);
    expect(files.map((f) => statSync(join(dir, f)).mtimeMs)).toEqual(written);
  });

  it('never uses or writes a directory others can write to', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o777);
    const r = await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: dir });
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is off with DINGTALK_DOCTOR_NO_COMPILE_CACHE or NODE_DISABLE_COMPILE_CACHE', async () => {
    for (const off of ['DINGTALK_DOCTOR_NO_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE']) {
      const dir = freshDir();
      const r = await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: dir, [off]: '1' });
      expect(r.code).toBe(1);
      expect(() => readdirSync(dir)).toThrow();
    }
  });

  it('an unwritable cache location is not an error', async () => {
    const file = join(base, 'a-file');
    writeFileSync(file, '');
    const r = await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: join(file, 'sub') });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });

  const uid = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  // (the default places: a shipped cache in dist/cache would be used before them)
  const { bin: defaults } = installCopy('defaults');

  it('never in the current directory: an empty HOME or a relative XDG_CACHE_HOME falls back to the temp dir', async () => {
    const cwd = freshDir();
    mkdirSync(cwd);
    for (const env of [{ HOME: '' }, { HOME: '', XDG_CACHE_HOME: 'rel' }]) {
      const tmp = freshDir();
      mkdirSync(tmp);
      const r = await runCli(['--version'], { cwd, env: { DINGTALK_DOCTOR_CACHE_DIR: undefined, TMPDIR: tmp, ...env }, bin: defaults });
      expect(r.code).toBe(0);
      expect(readdirSync(cwd)).toEqual([]);
      expect(readdirSync(join(tmp, `dingtalk-doctor-${uid}`))).toEqual([expect.stringMatching(/^cli\.cjs\.default\./)]);
      expect(statSync(join(tmp, `dingtalk-doctor-${uid}`)).mode & 0o777).toBe(0o700);
    }
    // an explicit relative DINGTALK_DOCTOR_CACHE_DIR: no cache at all
    const r = await runCli(['--version'], { cwd, env: { DINGTALK_DOCTOR_CACHE_DIR: 'rel' }, bin: defaults });
    expect(r.code).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a HOME that cannot hold a cache (a service user in a container): the temp dir, reused by the next run', async () => {
    const home = join(base, 'home-is-a-file');
    writeFileSync(home, '');
    const tmp = freshDir();
    mkdirSync(tmp);
    const env = { DINGTALK_DOCTOR_CACHE_DIR: undefined, HOME: home, TMPDIR: tmp };
    const first = await diagnose(env, defaults);
    const dir = join(tmp, `dingtalk-doctor-${uid}`);
    const [file] = readdirSync(dir);
    const written = statSync(join(dir, file!)).mtimeMs;
    const second = await diagnose(env, defaults);
    expect(second).toEqual(first);
    expect(statSync(join(dir, file!)).mtimeMs).toBe(written); // read, not rewritten
  });

  it('defaults to $XDG_CACHE_HOME/dingtalk-doctor, then ~/.cache/dingtalk-doctor', async () => {
    const home = freshDir();
    mkdirSync(home);
    const tmp = freshDir();
    mkdirSync(tmp);
    await runCli(['--version'], { env: { DINGTALK_DOCTOR_CACHE_DIR: undefined, HOME: home, TMPDIR: tmp }, bin: defaults });
    expect(readdirSync(join(home, '.cache', 'dingtalk-doctor'))).toEqual([expect.stringMatching(/^cli\.cjs\.default\./)]);
    expect(readdirSync(tmp)).toEqual([]); // the temp dir only when the home cannot be used
    const xdg = freshDir();
    await runCli(['--version'], { env: { DINGTALK_DOCTOR_CACHE_DIR: undefined, HOME: home, XDG_CACHE_HOME: xdg }, bin: defaults });
    expect(readdirSync(join(xdg, 'dingtalk-doctor'))).toEqual([expect.stringMatching(/^cli\.cjs\.default\./)]);
  });
});

/**
 * The caches the package ships (scripts/ship-cache.mjs, run by `npm pack`): a user whose Node
 * packed it starts warm on the first run. Made here in a copy of the install, by the script itself.
 */
describe('shipped compile cache', () => {
  const { at, bin } = installCopy('shipped');
  cpSync(join(ROOT, 'scripts', 'ship-cache.mjs'), join(at, 'scripts', 'ship-cache.mjs'));
  cpSync(example, join(at, 'examples', '403-missing-scope.json'));
  const shipped = join(at, 'dist', 'cache');
  const ship = () => {
    const r = spawnSync(process.execPath, [join(at, 'scripts', 'ship-cache.mjs')], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: base } });
    expect(r.status, r.stderr).toBe(0);
    return readdirSync(shipped).sort();
  };
  /** A first run: the user's cache directory is empty (XDG_CACHE_HOME), nothing else says where caches are. */
  const firstRun = async (args = ['diagnose', example, '--json']) => {
    const xdg = freshDir();
    const r = await runCli(args, { env: { DINGTALK_DOCTOR_CACHE_DIR: undefined, HOME: base, XDG_CACHE_HOME: xdg }, bin });
    let written: string[] = [];
    try {
      written = readdirSync(join(xdg, 'dingtalk-doctor'));
    } catch {
      // nothing was written, not even the directory
    }
    return { output: r, written };
  };
  const uncached = () => diagnose({ DINGTALK_DOCTOR_NO_COMPILE_CACHE: '1' }, bin);
  const writes = (command: string) => expect.arrayContaining([expect.stringMatching(new RegExp(`^cli\\.cjs\\.${command}\\.`))]);

  it('ship-cache writes a cache per file and command, readable by every user, beside a copy of each file', () => {
    const files = ship();
    for (const part of ['cli.cjs', 'cli-commands-diagnose.cjs']) {
      expect(files).toContain(part);
      expect(readFileSync(join(shipped, part))).toEqual(readFileSync(join(at, 'dist', part)));
    }
    for (const command of ['diagnose', 'scopes-for', 'scopes-search', 'scopes-show', 'default']) expect(files).toContainEqual(expect.stringMatching(new RegExp(`^cli\\.cjs\\.${command}\\.\\w+$`)));
    expect(statSync(shipped).mode & 0o777).toBe(0o755);
    for (const file of files) expect(statSync(join(shipped, file)).mode & 0o777).toBe(0o644);
  });

  it('a first run with the Node that shipped them uses them: the same output, nothing to write', async () => {
    ship();
    const first = await firstRun();
    expect(first.written).toEqual([]);
    expect(first.output).toEqual(await uncached());
    const version = await firstRun(['--version']);
    expect(version.output.code).toBe(0);
    expect(version.written).toEqual([]);
    // a command that ships no cache compiles and caches as before
    expect((await firstRun(['scopes', 'list', '--json'])).written).toEqual(writes('scopes'));
  });

  it('a file patched in place (the same length) runs as patched, not as its shipped cache compiled it', async () => {
    ship();
    const cli = join(at, 'dist', 'cli.cjs');
    const original = readFileSync(cli, 'latin1');
    expect(original).toContain('Missing permission');
    writeFileSync(cli, original.replace('Missing permission', 'Missing permissioX'), 'latin1');
    try {
      const r = await firstRun(['diagnose', example]);
      expect(r.output.stdout).toContain('Missing permissioX');
      expect(r.written).toEqual(writes('diagnose'));
    } finally {
      writeFileSync(cli, original, 'latin1');
    }
  });

  it('a damaged shipped cache, or one others could write, is not used; the output is unchanged', async () => {
    const clean = await uncached();
    const files = ship();
    const cache = join(shipped, files.find((f) => f.startsWith('cli.cjs.diagnose.'))!);
    const good = readFileSync(cache);
    // Cut, too long, or not ours. (Not bytes damaged in place: V8 would crash on them. A shipped cache
    // is written once, and npm checks it against the tarball's hash as it does the code beside it.)
    for (const junk of [good.subarray(0, good.length - 1), Buffer.concat([good, good.subarray(8)]), Buffer.from('not a cache'), Buffer.alloc(good.length)]) {
      writeFileSync(cache, junk);
      const r = await firstRun();
      expect(r.output).toEqual(clean);
      expect(r.written).toEqual(writes('diagnose'));
    }
    writeFileSync(cache, good);
    chmodSync(shipped, 0o777);
    try {
      const r = await firstRun();
      expect(r.output).toEqual(clean);
      expect(r.written).toEqual(writes('diagnose'));
    } finally {
      chmodSync(shipped, 0o755);
    }
  });

  it('DINGTALK_DOCTOR_CACHE_DIR (caches there only) leaves them unread', async () => {
    ship();
    const dir = freshDir();
    await diagnose({ DINGTALK_DOCTOR_CACHE_DIR: dir }, bin);
    expect(readdirSync(dir)).toEqual(writes('diagnose'));
  });
});
