#!/usr/bin/env node
// npm's `prepare` (and, with --pack / --unpack, `prepack` / `postpack`). It runs
//   - in a checkout (`npm install` / `npm ci`): the devDependencies are there, build;
//   - when npm prepares a git dependency (`npm i -g git+https://…`) in a temporary clone: for a
//     global install npm does not install the devDependencies first (npm/cli#8440), so install
//     them (the lockfile's versions, into the clone only), then build. The global install also
//     links the clone into the global prefix, and the real install would then unpack through
//     that link into the clone npm deletes (npm/cli#3692): give it its directory back. Last,
//     drop `prepare` from the clone's package.json: what npm packs from it is built, and npm
//     warns about every installed package that has a `prepare` ("install scripts not yet
//     covered by allowScripts");
//   - `npm pack` / `npm publish` (--pack): build if stale, make the compile caches the package
//     ships (scripts/ship-cache.mjs: for the packing Node), and pack a package.json without
//     `prepare`, for the same reason (--unpack puts the checkout's package.json back and deletes
//     those caches: a checkout runs its own build);
//   - in both builds for a package (a pack, a git install: with the installing Node), the shipped
//     compile caches.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shipCache } from './ship-cache.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'package.json');
const saved = join(root, '.package.json.prepack');

function run(args, env = process.env) {
  const r = spawnSync(args[0], args.slice(1), { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function withoutPrepare(text) {
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function installDevDependencies() {
  const require = createRequire(manifest);
  const has = (name) => {
    try {
      require.resolve(`${name}/package.json`);
      return true;
    } catch {
      return false;
    }
  };
  if (has('esbuild') && has('typescript')) return;
  const npm = process.env.npm_execpath;
  if (!npm) {
    console.error('dingtalk-doctor: building needs the devDependencies: run `npm ci` in the checkout first');
    process.exit(1);
  }
  // The global install's settings would send this install to the global prefix, not here.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(global|location|prefix)$/i.test(k)));
  run([process.execPath, npm, 'ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], env);
}

/** npm/cli#3692: the global package path is a symlink to this temporary clone. */
function restoreGlobalDirectory() {
  const prefix = process.env.npm_config_global === 'true' ? process.env.npm_config_global_prefix || process.env.npm_config_prefix : undefined;
  if (!prefix) return;
  const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
  const link = process.platform === 'win32' ? join(prefix, 'node_modules', name) : join(prefix, 'lib', 'node_modules', name);
  try {
    if (lstatSync(link).isSymbolicLink() && realpathSync(link) === realpathSync(root)) {
      unlinkSync(link);
      // the real install made this (empty) directory before fetching the clone, and unpacks into it
      mkdirSync(link);
    }
  } catch {
    // no such link: nothing to undo
  }
}

const mode = process.argv[2];
if (mode === '--unpack') {
  if (existsSync(saved)) renameSync(saved, manifest);
  rmSync(join(root, 'dist', 'cache'), { recursive: true, force: true });
} else if (!existsSync(join(root, 'src'))) {
  // An unpacked tarball: dist/ is shipped, src/ is not.
} else if (mode === '--pack') {
  run([process.execPath, join(root, 'scripts', 'build.mjs'), '--if-stale']);
  shipCache();
  // Atomic swaps (tests read package.json meanwhile), and the checkout's copy comes back with its
  // own mtime (build.mjs --if-stale compares against it).
  const text = readFileSync(manifest, 'utf8');
  const { atime, mtime } = statSync(manifest);
  writeFileSync(saved, text);
  utimesSync(saved, atime, mtime);
  writeFileSync(`${manifest}.tmp`, withoutPrepare(text));
  renameSync(`${manifest}.tmp`, manifest);
} else {
  installDevDependencies();
  run([process.execPath, join(root, 'scripts', 'build.mjs')]);
  const cache = process.env.npm_config_cache;
  if (cache && realpathSync(root).startsWith(realpathSync(join(cache, '_cacache')) + sep)) {
    shipCache();
    restoreGlobalDirectory();
    writeFileSync(manifest, withoutPrepare(readFileSync(manifest, 'utf8')));
  }
}
