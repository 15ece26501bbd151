#!/usr/bin/env node
/**
 * `scopes scan` on a realistic ~21k-file tree (real files, see realisticTree) against a plain Node
 * read loop and `rg -l dingtalk` (issue 18), and on a generated 50k-file tree (issue 8: "a 50k-file repo in seconds"): wall time,
 * files/s, peak RSS, and `grep -rIlE` over the same tree side by side for scale (median of N runs).
 * Constant memory: peak RSS of a 10k-file slice for comparison, and the 50k scan must pass under
 * --max-old-space-size=48 (RSS alone drifts with GC heuristics; the live heap after GC stays ~4 MiB
 * over 100k files). Standalone: `node bench/scan.mjs [--files 50000] [--runs 3]`; also loaded by
 * bench/run.mjs (`--only scan`). Never part of `npm test`. Build first (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const PER_DIR = 100;

/** A deterministic pseudo-random source file; 1 in 100 calls DingTalk (URL, SDK or legacy path). */
function source(i) {
  const filler = Array.from({ length: 40 }, (_, k) => `  const v${k} = compute(${(i * 31 + k) % 997}, "item-${k}"); // step ${k}`).join('\n');
  const kind = i % 100;
  let call = '';
  if (kind === 7) call = "  return fetch(`https://api.dingtalk.com/v1.0/contact/users/${unionId}`);";
  else if (kind === 42) call = "  return axios.post('https://oapi.dingtalk.com/topapi/v2/user/get?access_token=' + token, body);";
  else if (kind === 77) call = "  return axios.get(`https://api.example.com/v1.0/orders/${id}`); // not DingTalk";
  const header = kind === 99 ? "import Client from '@alicloud/dingtalk/contact_1_0';\nconst client = new Client(cfg);\n" : "import { compute } from './util.js';\n";
  const sdk = kind === 99 ? '  await client.getUserWithOptions(unionId, headers, runtime);\n' : '';
  return `${header}\nexport async function handler${i}(unionId, token, id, body) {\n${filler}\n${sdk}${call}\n}\n`;
}

/** Builds the tree: `files` source files in dirs of 100, plus an ignored dir and a node_modules that must be skipped. */
export function generateTree(dir, files) {
  for (let i = 0; i < files; i++) {
    const d = join(dir, 'src', `m${Math.floor(i / PER_DIR / 50)}`, `d${Math.floor(i / PER_DIR)}`);
    if (i % PER_DIR === 0) mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `f${i}.${i % 3 === 0 ? 'py' : 'ts'}`), source(i));
  }
  mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
  mkdirSync(join(dir, 'generated'), { recursive: true });
  for (let i = 0; i < 500; i++) {
    writeFileSync(join(dir, 'node_modules', 'dep', `x${i}.js`), source(7));
    writeFileSync(join(dir, 'generated', `g${i}.ts`), source(7));
  }
  writeFileSync(join(dir, '.gitignore'), 'generated/\n');
}

/**
 * A realistic tree: real source files — this project's node_modules after `npm ci` (JS, TS, JSON,
 * YAML… of ~250 packages; the DingTalk SDK itself left out, it is a dependency, not the user's
 * code), copied `copies` times (5: ~24k files) — where 1 file in 14 (~7 %, the share of a real
 * service repo the issue measured) also calls DingTalk, in one of the ways real code does.
 * Directories the walker skips (node_modules, dist, build…) are renamed and only extensions it
 * reads are copied, so the scan, the plain read loop and `rg` all read the same files.
 */
const WALKER_SKIPS = new Set(['node_modules', 'dist', 'build', 'vendor', 'bower_components', 'target', 'out', 'coverage', '__pycache__', 'site-packages']);
const COPIED = /\.(js|jsx|mjs|cjs|ts|tsx|mts|cts|json|yml|yaml|py|go|java|sh|html)$/;
const NOT_COPIED = /\.min\.js$|\.bundle\.js$|^(package-lock|npm-shrinkwrap)\.json$/;
const CALLS = [
  "\n// sync job\nconst user = await axios.get(`https://api.dingtalk.com/v1.0/contact/users/${unionId}`, { headers: { 'x-acs-dingtalk-access-token': token } });\n",
  "\n// legacy directory lookup\nawait fetch('https://oapi.dingtalk.com/topapi/v2/user/get?access_token=' + token, { method: 'POST', body: JSON.stringify({ userid }) });\n",
  "\nimport Dingtalkcontact_1_0 from '@alicloud/dingtalk/contact_1_0';\nconst client = new Dingtalkcontact_1_0.default(config);\nawait client.getUserWithOptions(unionId, headers, runtime);\n",
  "\n/* 钉钉 robot */ const url = '/v1.0/robot/oToMessages/batchSend';\n",
];

export function realisticTree(dir, root, copies = 5) {
  let files = 0;
  let calls = 0;
  const copy = (src, dst) => {
    for (const e of readdirSync(src, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      const from = join(src, e.name);
      if (e.isDirectory()) {
        if (from.endsWith(join('@alicloud', 'dingtalk'))) continue;
        copy(from, join(dst, WALKER_SKIPS.has(e.name) ? `${e.name}_` : e.name));
      } else if (e.isFile() && COPIED.test(e.name) && !NOT_COPIED.test(e.name) && statSync(from).size <= 1 << 20) {
        mkdirSync(dst, { recursive: true });
        const to = join(dst, e.name);
        copyFileSync(from, to);
        if (++files % 14 === 0 && /\.(js|mjs|cjs|ts|mts|cts|tsx|jsx)$/.test(e.name)) appendFileSync(to, CALLS[calls++ % CALLS.length]);
      }
    }
  };
  for (let k = 1; k <= copies; k++) copy(join(root, 'node_modules'), join(dir, `pkgs${k}`));
  return { files, calls };
}

/** The floor of a scan: a plain Node loop that reads every file of the tree once, and nothing else. */
const READ_LOOP = `const fs=require('fs'),p=require('path');let n=0;const s=[process.argv[1]];while(s.length){const d=s.pop();for(const e of fs.readdirSync(d,{withFileTypes:true})){const f=p.join(d,e.name);if(e.isDirectory())s.push(f);else if(e.isFile())n+=fs.readFileSync(f).length}}console.log(n)`;

const hasRg = () => spawnSync('rg', ['--version']).status === 0;

/**
 * `scopes scan` on the realistic tree vs the read loop and vs `rg -l dingtalk`, paired (A B A B),
 * medians of the ratios. Targets (issue 18): ≤ 2× the loop, ≤ 5× rg.
 */
export async function benchRealisticScan({ root, runs = 5, report } = {}) {
  root ??= join(dirname(fileURLToPath(import.meta.url)), '..');
  const bin = join(root, 'bin', 'dingtalk-doctor.cjs');
  // outside the checkout: the walker honours the repository's .gitignore, which lists bench/tmp/
  const dir = join(tmpdir(), 'dingtalk-doctor-bench-realistic-tree');
  if (!existsSync(join(dir, 'done'))) {
    rmSync(dir, { recursive: true, force: true });
    const made = realisticTree(dir, root);
    writeFileSync(join(dir, 'done'), JSON.stringify(made));
  }
  const scan = () => run(process.execPath, [bin, 'scopes', 'scan', '--json'], dir);
  const loop = () => run(process.execPath, ['-e', READ_LOOP, dir], dir);
  const rg = () => run('rg', ['-l', 'dingtalk', '.'], dir);
  const warm = scan();
  if (warm.status !== 0) throw new Error(`scan failed with exit ${warm.status}`);
  const doc = JSON.parse(warm.stdout);
  loop();
  const withRg = hasRg();
  if (withRg) rg();
  const toLoop = [];
  const toRg = [];
  const ms = { scan: [], loop: [], rg: [] };
  for (let i = 0; i < runs; i++) {
    const a = scan().ms;
    const b = loop().ms;
    toLoop.push(a / b);
    ms.scan.push(a);
    ms.loop.push(b);
    if (withRg) {
      const a2 = scan().ms;
      const c = rg().ms;
      toRg.push(a2 / c);
      ms.scan.push(a2);
      ms.rg.push(c);
    }
  }
  const detail = `${doc.summary.files} files, ${doc.apis.length} APIs found; median scan ${median(ms.scan).toFixed(0)} ms, read loop ${median(ms.loop).toFixed(0)} ms` +
    (withRg ? `, rg -l dingtalk ${median(ms.rg).toFixed(0)} ms` : '') + `; paired, ${runs} pairs`;
  report?.(`scopes scan, realistic ${doc.summary.files}-file tree: vs a Node loop reading every file`, median(toLoop), { text: '≤ 2×', test: (v) => v <= 2 }, `(${detail})`);
  if (withRg) report?.('scopes scan, realistic tree: vs `rg -l dingtalk`', median(toRg), { text: '≤ 5×', test: (v) => v <= 5 }, '(same runs)');
  else console.log('rg not installed (apt-get install ripgrep): the rg comparison is skipped');
  return { toLoop: median(toLoop), toRg: withRg ? median(toRg) : null };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function run(command, args, cwd, rss) {
  const env = rss ? { ...process.env, NODE_OPTIONS: `--import=${rss}` } : process.env;
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, env, maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const m = /__dd_maxrss_kib=(\d+)/.exec(r.stderr?.toString() ?? '');
  return { ms, status: r.status, stdout: r.stdout.toString(), rssMiB: m ? Number(m[1]) / 1024 : NaN };
}

/** Measures; returns the figures. `report` (from bench/run.mjs) is optional. */
export async function benchScan({ root, runs = 3, files = 50_000, report } = {}) {
  root ??= join(dirname(fileURLToPath(import.meta.url)), '..');
  const bin = join(root, 'bin', 'dingtalk-doctor.cjs');
  const probe = join(root, 'bench', 'rss-probe.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'dd-scan-bench-'));
  try {
    const t0 = Date.now();
    generateTree(dir, files);
    console.log(`generated ${files} files (+1000 skipped) in ${((Date.now() - t0) / 1000).toFixed(1)} s under ${dir}`);

    // Warm-up (page cache), and a correctness check of the result.
    const warm = run(process.execPath, [bin, 'scopes', 'scan', '--json'], dir);
    if (warm.status !== 0) throw new Error(`scan failed with exit ${warm.status}`);
    const doc = JSON.parse(warm.stdout);
    const locations = doc.apis.reduce((n, a) => n + a.locations.length, 0);
    console.log(`result: ${doc.summary.files} files read, ${doc.apis.length} APIs, ${locations} locations, scopes ${doc.summary.scopes.join(', ')}`);

    const ours = [];
    const grep = [];
    const rss = [];
    for (let i = 0; i < runs; i++) {
      const r = run(process.execPath, [bin, 'scopes', 'scan', '--json'], dir, probe);
      ours.push(r.ms);
      rss.push(r.rssMiB);
      grep.push(run('grep', ['-rIlE', 'dingtalk|/v[12]\\.0/|/topapi/|oapi', '--exclude-dir=node_modules', '--exclude-dir=generated', '.'], dir).ms);
    }
    const small = run(process.execPath, [bin, 'scopes', 'scan', '--json', 'src/m0', 'src/m1', 'src/m2', 'src/m3'], dir, probe);
    // Constant memory: peak RSS drifts with GC heuristics, so also prove the heap stays bounded —
    // the whole 50k scan (catalog included) must finish under a small old-space cap.
    const capped = spawnSync(process.execPath, ['--max-old-space-size=48', bin, 'scopes', 'scan', '--json'], { cwd: dir, maxBuffer: 1 << 28 });
    const wall = median(ours);
    const figures = {
      files: doc.summary.files,
      wallMs: wall,
      filesPerSec: doc.summary.files / (wall / 1000),
      grepMs: median(grep),
      ratioToGrep: wall / median(grep),
      peakRssMiB: median(rss),
      peakRssMiB10k: small.rssMiB,
      heapCap48MiB: capped.status === 0,
    };
    console.log(
      `scopes scan: ${figures.files} files in ${(wall / 1000).toFixed(2)} s = ${Math.round(figures.filesPerSec)} files/s ` +
        `(median of ${runs}); grep -rIlE: ${(figures.grepMs / 1000).toFixed(2)} s; ratio ${figures.ratioToGrep.toFixed(2)}×; ` +
        `peak RSS ${figures.peakRssMiB.toFixed(0)} MiB (10k-file slice: ${figures.peakRssMiB10k.toFixed(0)} MiB); ` +
        `50k scan under --max-old-space-size=48: ${figures.heapCap48MiB ? 'ok' : `FAILED (exit ${capped.status})`}`,
    );
    report?.('scopes scan: seconds for 50k files', wall / 1000, { text: '< 5 s, heap bounded', test: (v) => v < 5 && figures.heapCap48MiB },
      `(${Math.round(figures.filesPerSec)} files/s, ${figures.ratioToGrep.toFixed(1)}× grep -rIlE, peak RSS ${figures.peakRssMiB.toFixed(0)} MiB vs ${figures.peakRssMiB10k.toFixed(0)} MiB on 10k files, heap capped at 48 MiB ${figures.heapCap48MiB ? 'ok' : 'failed'}, ${runs} runs)`);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** bench/run.mjs entry. */
export default async (ctx) => {
  await benchRealisticScan({ root: ctx.root, runs: Math.min(ctx.runs ?? 5, 5), report: ctx.report });
  await benchScan({ root: ctx.root, runs: Math.min(ctx.runs ?? 3, 5), report: ctx.report });
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { files: { type: 'string', default: '50000' }, runs: { type: 'string', default: '3' } } });
  const report = (name, value, target, detail) => console.log(`${target.test(value) ? 'PASS' : 'MISS'}  ${name}: ${value.toFixed(3)}  (target ${target.text})  ${detail}`);
  await benchRealisticScan({ runs: Number(values.runs), report });
  await benchScan({ files: Number(values.files), runs: Number(values.runs) });
}
