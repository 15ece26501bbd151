/**
 * `check` of 100 scopes against the loopback fake DingTalk with 50 ms latency on every
 * probe, default concurrency (8): wall time of the whole CLI run vs the floor
 * ceil(100/8) × 50 ms = 650 ms. Target ≤ 1.3× on the ratio with the cold start of
 * `node -e 0` taken off (the floor has no process in it); the raw ratio is reported too.
 * Also asserts exactly one token request per run (one app).
 *
 * The fake server is TypeScript (test/fake-dingtalk/server.ts): compiled here with esbuild
 * to bench/tmp/ and run in this process, so the CLI child must be spawned asynchronously.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pairedRatio } from './cold.mjs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SCOPES = 100;
const LATENCY_MS = 50;
const CONCURRENCY = 8; // the CLI's default; not passed on the command line

async function loadFakeServer(root, tmp) {
  const { transform } = await import('esbuild');
  const source = readFileSync(join(root, 'test', 'fake-dingtalk', 'server.ts'), 'utf8');
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });
  const file = join(tmp, 'fake-dingtalk-server.mjs');
  writeFileSync(file, code);
  return import(pathToFileURL(file).href);
}

/** Scope codes with a probe, straight from the built catalog data (rows of `fields`). */
function probedScopes(root, n) {
  const data = JSON.parse(readFileSync(join(root, 'dist', 'data', 'scopes.json'), 'utf8'));
  const code = data.fields.indexOf('code');
  const probe = data.fields.indexOf('probe');
  const rows = data.rows.filter((r) => r[probe] && r[probe].method && r[probe].path);
  if (rows.length < n) throw new Error(`only ${rows.length} scopes with a probe in the catalog, need ${n}`);
  return rows.slice(0, n).map((r) => ({ code: r[code], method: r[probe].method.toUpperCase(), path: r[probe].path.split('?')[0] }));
}

function runChild(args, options) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (status) => {
      resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

/**
 * The yardstick for `check` (issue 18): a plain Node script that fetches the token, then sends the
 * same probes (recorded from the CLI's run) with global fetch, `concurrency` in flight — the
 * least any tool can do for the same answers, process start included like the CLI's.
 */
const PLAIN_POOL = `
const spec = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
(async () => {
  const t = await fetch(spec.base + '/v1.0/oauth2/accessToken', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec.credentials) });
  const token = (await t.json()).accessToken;
  let next = 0;
  const worker = async () => {
    while (next < spec.requests.length) {
      const q = spec.requests[next++];
      const url = new URL(spec.base + q.path);
      for (const [k, v] of Object.entries(q.query)) url.searchParams.set(k, k === 'access_token' ? token : v);
      const headers = { accept: 'application/json' };
      if (q.headerToken) headers['x-acs-dingtalk-access-token'] = token;
      if (q.body) headers['content-type'] = 'application/json';
      const r = await fetch(url, { method: q.method, headers, body: q.body || undefined });
      await r.text();
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
})();
`;

/** The CLI vs PLAIN_POOL sending the probes of the CLI's last run, paired; returns the pool's wall times. */
async function comparePlainPool({ fake, args, dir, env, secret, runs, median, report }) {
  // the same probes through a plain fetch pool, paired with the CLI (async children: the fake runs in this process)
  const spec = join(dir, '..', 'plain-pool.json');
  const recorded = fake.requests.filter((q) => q.kind !== 'token');
  writeFileSync(spec, JSON.stringify({
    base: fake.url,
    credentials: { appKey: 'dingbenchkey', appSecret: secret },
    concurrency: CONCURRENCY,
    requests: recorded.map((q) => ({ method: q.method, path: q.path, query: q.query, headerToken: Boolean(q.headers['x-acs-dingtalk-access-token']), body: q.body })),
  }));
  const poolArgs = ['-e', PLAIN_POOL, spec];
  const ratios = [];
  const pools = [];
  // at least 11 pairs: a pair of ≈ 1 s runs moves by ±0.07 on a shared host, and 5 left the median on the edge
  const pairs = Math.max(runs, 11);
  for (let i = 0; i < pairs; i++) {
    const ours = await runChild(args, { cwd: dir, env });
    fake.requests.length = 0;
    const pool = await runChild(poolArgs, { cwd: dir, env });
    if (pool.status !== 0 || fake.requests.filter((q) => q.kind !== 'token').length !== recorded.length) throw new Error(`the plain pool failed: ${pool.stderr.slice(0, 300)}`);
    ratios.push(ours.ms / pool.ms);
    pools.push(pool.ms);
  }
  report(`check ${SCOPES} scopes vs a plain fetch pool of the same ${recorded.length} probes, concurrency ${CONCURRENCY}`, median(ratios), { text: '≤ 1.1×', test: (v) => v <= 1.1 },
    `(median of per-pair ratios; plain pool ${median(pools).toFixed(0)} ms, process start included on both sides; ${pairs} pairs)`);
  return pools;
}

export default async function benchCheck({ root, bin, tmp, median, timeProcess, report, runs }) {
  mkdirSync(tmp, { recursive: true });
  const { startFakeDingTalk } = await loadFakeServer(root, tmp);
  const scopes = probedScopes(root, SCOPES);
  const byProbe = new Map(scopes.map((s) => [`${s.method} ${s.path}`, [s.code]]));
  const granted = scopes.filter((_, i) => i % 2 === 0).map((s) => s.code);
  const secret = `bench-secret-${process.pid}`;
  const fake = await startFakeDingTalk({
    apps: { crm: { type: 'internal', appKey: 'dingbenchkey', appSecret: secret, grants: granted } },
    scopeOf: (method, path) => byProbe.get(`${method} ${path}`) ?? null,
    faults: [{ kind: 'latency', ms: LATENCY_MS }], // every non-token request
  });
  const dir = join(tmp, 'check-workspace');
  mkdirSync(join(dir, 'home'), { recursive: true });
  writeFileSync(
    join(dir, '.dingtalkrc.json'),
    JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'dingbenchkey', appSecret: '${BENCH_SECRET}', required: scopes.map((s) => s.code) } } }),
  );
  const env = { PATH: process.env.PATH, HOME: join(dir, 'home'), LANG: 'en_US.UTF-8', BENCH_SECRET: secret };
  const args = [bin, 'check', '--json', '--base-url', fake.url];

  try {
    const walls = [];
    const bases = [];
    let tokenRequests = [];
    let probes = [];
    await runChild(args, { cwd: dir, env }); // warm-up
    for (let i = 0; i < runs; i++) {
      bases.push(timeProcess(process.execPath, ['-e', '0']).ms);
      fake.requests.length = 0;
      const r = await runChild(args, { cwd: dir, env });
      if (r.status !== 1) throw new Error(`check exited ${r.status} (expected 1: half the scopes missing): ${r.stderr.slice(0, 300)}`);
      const doc = JSON.parse(r.stdout);
      const results = doc.apps[0].results;
      const missing = results.filter((x) => x.status === 'missing').length;
      const ok = results.filter((x) => x.status === 'granted').length;
      if (results.length !== SCOPES || missing !== SCOPES / 2 || ok !== SCOPES / 2) {
        throw new Error(`check judged wrongly: ${results.length} results, ${ok} granted, ${missing} missing`);
      }
      tokenRequests.push(fake.tokenRequests().length);
      probes.push(fake.requests.filter((q) => q.kind !== 'token').length);
      walls.push(r.ms);
    }
    const pools = await comparePlainPool({ fake, args, dir, env, secret, runs, median, report });

    const floor = Math.ceil(SCOPES / CONCURRENCY) * LATENCY_MS;
    const wall = median(walls);
    const base = median(bases);
    const raw = wall / floor;
    const net = (wall - base) / floor;
    const oneToken = tokenRequests.every((n) => n === 1);
    report(`check ${SCOPES} scopes, ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}: wall − \`node -e 0\` vs floor`, net,
      { text: '≤ 1.3×, one token request', test: (v) => v <= 1.3 && oneToken },
      `(wall ${wall.toFixed(0)} ms, node -e 0 ${base.toFixed(0)} ms, floor ceil(${SCOPES}/${CONCURRENCY})×${LATENCY_MS} = ${floor} ms; raw ratio ${raw.toFixed(2)}×; ` +
        `token requests per run ${[...new Set(tokenRequests)].join('/')}, probes per run ${[...new Set(probes)].join('/')}; latency on probes only, not on the token call; ${runs} runs)`);
    report(`check ${SCOPES} scopes: raw wall vs floor (incl. process start)`, raw, { text: 'info', test: () => true }, `(same runs)`);
    // issue 17 §5: what undici-lite.ts saves over undici's public index, per `check` start
    const index = [process.execPath, ['-e', "require('undici')"], { cwd: root }];
    const lite = [process.execPath, ['-e', `require(${JSON.stringify(join(root, 'dist', 'lazy', 'undici-lite.cjs'))})`], { cwd: root }];
    const load = pairedRatio(timeProcess, median, index, lite, Math.max(runs, 11));
    report("undici's index vs undici-lite's four files: a Node start that loads each", load.ratio, { text: 'info', test: () => true },
      `(median ${load.a.toFixed(0)} ms vs ${load.b.toFixed(0)} ms: ${(load.a - load.b).toFixed(0)} ms more per check run, against its ${median(pools).toFixed(0)} ms of round trips)`);
  } finally {
    await fake.close();
  }
}

// Standalone: node bench/check.mjs (uses bench/run.mjs's helpers through --only check).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  spawnSync(process.execPath, [join(import.meta.dirname, 'run.mjs'), '--only', 'check', ...process.argv.slice(2)], { stdio: 'inherit' });
}
