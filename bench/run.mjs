#!/usr/bin/env node
/**
 * Benchmarks (issue 7): every figure is a ratio of two things measured side by side in
 * one run, median of N runs, so a noisy machine moves both sides alike.
 *   node bench/run.mjs [--only cold,compile-cache,check,log,scan] [--runs N] [--log-mb 200] [--realistic-mb 100] [--write]
 * `--write` rewrites bench/RESULTS.md with the table, the machine and the date.
 * Never part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Node parses the NODE_EXTRA_CA_CERTS bundle at every start (~55 ms on a machine that sets it):
// unset for every process measured here, ours and the floor alike, so the floor is the real one.
if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
  delete process.env.NODE_EXTRA_CA_CERTS;
  console.log('bench: NODE_EXTRA_CA_CERTS unset for every measured process (it costs each Node start the parse of its CA bundle)');
} else console.log('bench: NODE_EXTRA_CA_CERTS is not set: nothing to unset');
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
const loadAtStart = loadavg()[0];
function report(name, value, target, detail) {
  const ok = target.test(value);
  results.push({ name, value, target: target.text, ok, detail });
  console.log(`${ok ? 'PASS' : 'MISS'}  ${name}: ${value.toFixed(3)}  (target ${target.text})  ${detail}`);
}

const benches = {};
// Each bench is a sibling module (cold.mjs: start-up; compile-cache.mjs: Node 22's own cache).
for (const name of ['cold', 'compile-cache', 'check', 'log', 'scan']) {
  const file = join(root, 'bench', `${name}.mjs`);
  if (existsSync(file) && wanted(name)) {
    const mod = await import(file);
    benches[name] = mod.default;
  }
}

mkdirSync(tmp, { recursive: true });
const runs = Number(flags.runs ?? 0) || undefined;
const ctx = { root, bin, tmp, median, timeProcess, timeWithRss, report, logMb: Number(flags['log-mb']), realisticMb: Number(flags['realistic-mb']) };
for (const [name, fn] of Object.entries(benches)) {
  if (!wanted(name)) continue;
  await fn({ ...ctx, runs: runs ?? (name === 'cold' || name === 'compile-cache' ? 21 : 5) });
}

if (flags.write) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmark results',
    '',
    `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    `Load average (1 min) at the start ${loadAtStart.toFixed(1)}, at the end ${loadavg()[0].toFixed(1)}: on a shared machine both sides of a ratio run under the same load, which still inflates start-up ratios.`,
    'Each figure is a ratio measured side by side in one run: the two commands in turn (A B A B …), the median of the per-pair ratios or of the stated runs;',
    '`NODE_EXTRA_CA_CERTS` unset for every measured process (bench/run.mjs does it). Regenerate with `npm run bench -- --write`.',
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
