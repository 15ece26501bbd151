/**
 * Start-up against the real floor, `node -e 0` (issue 18), NODE_EXTRA_CA_CERTS unset on both sides
 * (bench/run.mjs unsets it for every child: Node parses that bundle at start, ~55 ms here, which
 * inflated the floor). Each figure is the median of per-pair ratios, the two commands run in turn
 * (A B A B …), so a loaded machine moves both sides alike.
 *   diagnose of one 403 body   ≤ 1.5× warm (compile cache written by an earlier run), ≤ 1.8× first run
 *   scopes for / search / show ≤ 1.6× (the catalog's indexes are precomputed at build time)
 * The first run is the package's: `npm pack`, installed from the tarball, run with an empty user
 * cache, so it starts from the compile caches the tarball ships for the packing Node (this one;
 * scripts/ship-cache.mjs). A Node it ships none for compiles everything: that run is measured too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package as a user installs it: packed (with its shipped caches) and installed from the tarball. */
function installPacked(root, tmp) {
  const at = join(tmp, 'installed');
  rmSync(at, { recursive: true, force: true });
  mkdirSync(join(at, 'app'), { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const [{ filename }] = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', at], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  writeFileSync(join(at, 'app', 'package.json'), '{"name":"bench-app","version":"1.0.0","private":true}');
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(at, filename)], { cwd: join(at, 'app'), stdio: 'ignore' });
  const pkg = join(at, 'app', 'node_modules', 'dingtalk-doctor');
  return join(pkg, JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).bin['dingtalk-doctor']);
}

/** Median of a/b over `runs` pairs run in turn, after one warm-up of each. */
export function pairedRatio(timeProcess, median, a, b, runs) {
  timeProcess(...a);
  timeProcess(...b);
  const ratios = [];
  const as = [];
  const bs = [];
  for (let i = 0; i < runs; i++) {
    const x = timeProcess(...a).ms;
    const y = timeProcess(...b).ms;
    ratios.push(x / y);
    as.push(x);
    bs.push(y);
  }
  return { ratio: median(ratios), a: median(as), b: median(bs) };
}

export default async function benchCold({ root, tmp, median, timeProcess, report, runs }) {
  const example = join(root, 'examples', '403-missing-scope.json');
  if (!existsSync(example)) throw new Error(`missing ${example}`);
  // The compile cache (src/boot.ts) in a fresh directory of its own: the warm-up run writes it,
  // as a user's first run does; the no-cache side measures every run like that first one.
  const cacheDir = join(tmp, 'compile-cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const cached = { env: { ...process.env, DINGTALK_DOCTOR_CACHE_DIR: cacheDir } };
  const uncached = { env: { ...process.env, DINGTALK_DOCTOR_NO_COMPILE_CACHE: '1' } };
  const floor = [process.execPath, ['-e', '0']];
  // every figure runs the package as installed: its bin is dist/boot.cjs (bin/ is the checkout's)
  const installed = installPacked(root, tmp);
  const figure = (name, args, options, target) => {
    const r = pairedRatio(timeProcess, median, [process.execPath, [installed, ...args], options], floor, runs);
    report(name, r.ratio, target, `(median ${r.a.toFixed(1)} ms vs \`node -e 0\` ${r.b.toFixed(1)} ms, ${runs} pairs)`);
  };
  const atMost = (limit) => ({ text: `≤ ${limit}×`, test: (v) => v <= limit });
  figure('cold start: diagnose of one 403 body vs `node -e 0` (compile cache warm)', ['diagnose', example], cached, atMost(1.5));
  // the user's cache stays empty: a run that found no shipped cache would write one there
  const userCache = join(tmp, 'first-run-cache');
  rmSync(userCache, { recursive: true, force: true });
  const { DINGTALK_DOCTOR_CACHE_DIR: _, ...inherited } = process.env;
  const firstRun = { env: { ...inherited, XDG_CACHE_HOME: userCache } };
  const r = pairedRatio(timeProcess, median, [process.execPath, [installed, 'diagnose', example], firstRun], floor, runs);
  const wrote = existsSync(join(userCache, 'dingtalk-doctor')) ? readdirSync(join(userCache, 'dingtalk-doctor')) : [];
  report('first run after install: diagnose of one 403 body (npm pack, install, empty user cache)', wrote.length ? NaN : r.ratio, atMost(1.8),
    `(median ${r.a.toFixed(1)} ms vs \`node -e 0\` ${r.b.toFixed(1)} ms, ${runs} pairs; from the caches the tarball ships for this Node${wrote.length ? `; NOT a first run: it wrote ${wrote.join(', ')}` : ', nothing written'})`);
  figure('first run on a Node the package ships no cache for (all compiled)', ['diagnose', example], uncached, { text: 'info', test: () => true });
  figure('scopes for GET /v1.0/contact/users/{unionId}', ['scopes', 'for', 'GET', '/v1.0/contact/users/{unionId}'], cached, atMost(1.6));
  figure('scopes search 通讯录', ['scopes', 'search', '通讯录'], cached, atMost(1.6));
  figure('scopes show Contact.User.Read', ['scopes', 'show', 'Contact.User.Read'], cached, atMost(1.6));
  figure('--version', ['--version'], cached, { text: 'info', test: () => true });
}
