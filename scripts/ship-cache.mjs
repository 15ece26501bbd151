#!/usr/bin/env node
/**
 * dist/cache: the V8 code caches the package ships (src/boot.ts), so that a user whose Node is the
 * one that packed it starts warm from the very first run. One run per command a user types first,
 * each with DINGTALK_DOCTOR_SHIP_CACHE=1: boot.cjs compiles, and at exit writes what that run
 * compiled, as `<file>.<command>.<Node key>`, beside a copy of each file (a shipped cache is used
 * only with an unchanged file). Run by `npm pack` (scripts/prepare.mjs --pack) after the build,
 * and by a git install's `prepare`, with the installing Node. `npm run build` deletes dist/cache.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shipped = join(root, 'dist', 'cache');
const bin = join(root, 'bin', 'dingtalk-doctor.cjs');

/** The runs, with the exit code each must end with (1: the example's missing permission). */
const RUNS = [
  { args: ['diagnose', join(root, 'examples', '403-missing-scope.json')], status: 1 },
  { args: ['scopes', 'for', 'GET', '/v1.0/contact/users/{unionId}'], status: 0 },
  { args: ['scopes', 'search', '通讯录'], status: 0 },
  { args: ['scopes', 'show', 'Contact.User.Read'], status: 0 },
  // the cache of cli.cjs that a bare run shares ("default"); `--help` has its own ("default-help",
  // src/boot.ts) and loads every part, whose caches (≈ 700 KB) it would ship too: made at its first run
  { args: ['--version'], status: 0 },
];

export function shipCache() {
  rmSync(shipped, { recursive: true, force: true });
  // an empty directory: no project config of this checkout is searched or read
  const cwd = mkdtempSync(join(tmpdir(), 'dd-ship-cache-'));
  try {
    const env = { ...process.env, DINGTALK_DOCTOR_SHIP_CACHE: '1' };
    for (const key of ['DINGTALK_DOCTOR_CACHE_DIR', 'DINGTALK_DOCTOR_NO_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE', 'NODE_OPTIONS']) delete env[key];
    for (const { args, status } of RUNS) {
      const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      if (r.status !== status) throw new Error(`ship-cache: dingtalk-doctor ${args.join(' ')} exited ${r.status ?? r.signal}, not ${status}: ${r.stderr}`);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  return readdirSync(shipped);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = shipCache();
  console.log(`ship-cache: ${files.length} files in dist/cache for Node ${process.version}`);
}
