#!/usr/bin/env node
/**
 * Benchmarks (issue 7): every figure is a ratio of two things measured side by side in
 * one run, median of N runs, so a noisy machine moves both sides alike.
 *   node bench/run.mjs [--only cold,check,log,scan] [--runs N] [--log-mb 200] [--realistic-mb 100] [--write]
 * `--write` rewrites bench/RESULTS.md with the table, the machine and the date.
 * Never part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'dingtalk-doctor.cjs');
const tmp = join(root, 'bench', 'tmp');

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string' },
    'log-mb': { type: 'string', default: '200' },
    'realistic-mb': { type: 'string', default: '100' },
    write: { type: 'boolean', default: false },
  },
});
const only = flags.only ? new Set(flags.only.split(',')) : null;
const wanted = (name) => !only || only.has(name);

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * Wall time in ms of one child process. stdout is a pipe, never /dev/null: GNU grep
 * notices /dev/null and stops at the first match, which made `grep -c` look 500× faster.
 */
export function timeProcess(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

/** Peak RSS (MiB) of a child run: a preload writes its own maxRSS to stderr on exit. */
export function timeWithRss(command, args, options = {}) {
  const probe = join(root, 'bench', 'rss-probe.mjs');
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${probe}`.trim() };
  const r = timeProcess(command, args, { ...options, env });
  const m = /__dd_maxrss_kib=(\d+)/.exec(r.stderr);
  return { ...r, rssMiB: m ? Number(m[1]) / 1024 : NaN };
}

const results = [];
function report(name, value, target, detail) {
  const ok = target.test(value);
  results.push({ name, value, target: target.text, ok, detail });
  console.log(`${ok ? 'PASS' : 'MISS'}  ${name}: ${value.toFixed(3)}  (target ${target.text})  ${detail}`);
}

async function benchCold(runs) {
  const example = join(root, 'examples', '403-missing-scope.json');
  const args = existsSync(example) ? [bin, 'diagnose', example] : [bin, '--help'];
  // The compile cache (src/boot.ts) in a fresh directory of its own: the warm-up run writes it,
  // as a user's first run does; the no-cache side measures every run like that first one.
  const cacheDir = join(tmp, 'compile-cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const cached = { env: { ...process.env, DINGTALK_DOCTOR_CACHE_DIR: cacheDir } };
  const uncached = { env: { ...process.env, DINGTALK_DOCTOR_NO_COMPILE_CACHE: '1' } };
  const base = [];
  const ours = [];
  const first = [];
  // interleave so background load hits both sides alike; one warm-up each
  timeProcess(process.execPath, ['-e', '0']);
  timeProcess(process.execPath, args, cached);
  timeProcess(process.execPath, args, uncached);
  for (let i = 0; i < runs; i++) {
    base.push(timeProcess(process.execPath, ['-e', '0']).ms);
    ours.push(timeProcess(process.execPath, args, cached).ms);
    first.push(timeProcess(process.execPath, args, uncached).ms);
  }
  const ratio = median(ours) / median(base);
  report('cold start: diagnose example vs `node -e 0`', ratio, { text: '≤ 1.5×', test: (v) => v <= 1.5 },
    `(median ${median(ours).toFixed(1)} ms vs ${median(base).toFixed(1)} ms, ${runs} runs; compile cache written by the first run)`);
  report('cold start without the compile cache (a first run)', median(first) / median(base), { text: 'info', test: () => true },
    `(median ${median(first).toFixed(1)} ms, same runs, DINGTALK_DOCTOR_NO_COMPILE_CACHE=1)`);
}

const benches = { cold: benchCold };
// Other benches register themselves from sibling modules when present.
for (const name of ['check', 'log', 'scan']) {
  const file = join(root, 'bench', `${name}.mjs`);
  if (existsSync(file) && wanted(name)) {
    const mod = await import(file);
    benches[name] = mod.default;
  }
}

mkdirSync(tmp, { recursive: true });
const runs = Number(flags.runs ?? 0) || undefined;
const ctx = { root, bin, tmp, median, timeProcess, timeWithRss, report, logMb: Number(flags['log-mb']), realisticMb: Number(flags['realistic-mb']) };
if (wanted('cold')) await benchCold(runs ?? 21);
for (const [name, fn] of Object.entries(benches)) {
  if (name === 'cold' || !wanted(name)) continue;
  await fn({ ...ctx, runs: runs ?? 5 });
}

if (flags.write) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmark results',
    '',
    `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    'Each figure is a ratio measured side by side in one run (median of the stated runs). Regenerate with `npm run bench -- --write`.',
    '',
    '| benchmark | ratio | target | met | detail |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${r.value.toFixed(3)} | ${r.target} | ${r.ok ? 'yes' : 'no'} | ${r.detail} |`),
    '',
  ];
  // Hand-written analysis below a `## Notes` heading survives regeneration.
  const file = join(root, 'bench', 'RESULTS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const notes = previous.indexOf('\n## Notes');
  writeFileSync(file, lines.join('\n') + (notes === -1 ? '' : previous.slice(notes)));
  console.log('wrote bench/RESULTS.md');
}
