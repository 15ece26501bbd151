#!/usr/bin/env node
// Bundles src/ into dist/ with esbuild (code-split so heavy deps load only in the
// commands that use them), copies the catalog data, and emits .d.ts for the library entry.
// `--if-stale` skips the work when dist/ is newer than every input (used by `npm test`).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(join(dist, 'cli.js'))) {
  const inputs = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs);
  if (statSync(join(dist, 'cli.js')).mtimeMs >= inputs) process.exit(0);
}

// No rm -rf of dist/: tests of a parallel run may be executing it; esbuild overwrites in place.
mkdirSync(dist, { recursive: true });

const common = {
  absWorkingDir: root,
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // cosmiconfig only needs typescript to load .ts config files; keep it optional.
  external: ['typescript'],
  // Bundled CommonJS deps call require(); give ESM output a real one.
  banner: { js: "import { createRequire as __ddCreateRequire } from 'node:module'; const require = __ddCreateRequire(import.meta.url);" },
  define: { __DD_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  legalComments: 'none',
  // Less to read and compile at start-up; names are kept, so --verbose stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  metafile: true,
};
// The CLI: our own code in one file (every ESM file costs a resolve, a read and a compile at
// start-up), the heavy third-party libraries (undici, cosmiconfig, zod, yaml, ignore, ora) in
// chunks that load only in the commands that `await import()` them.
const cli = await build({ ...common, entryPoints: { cli: 'src/cli.ts' }, splitting: true, chunkNames: 'chunks/[name]-[hash]' });
// The library entry: one self-contained file, no dynamic imports on its path.
const lib = await build({ ...common, entryPoints: { index: 'src/index.ts' }, splitting: false });
const result = { metafile: { outputs: { ...cli.metafile.outputs, ...lib.metafile.outputs } } };

// Drop chunks of earlier builds (hash-named) so `npm pack` ships only what this build made.
const made = new Set(Object.keys(result.metafile.outputs).map((p) => join(root, p)));
const chunkDir = join(dist, 'chunks');
if (existsSync(chunkDir)) {
  for (const name of readdirSync(chunkDir)) {
    const file = join(chunkDir, name);
    if (!made.has(file)) rmSync(file, { force: true });
  }
}

const dataSrc = join(root, 'src', 'data');
if (existsSync(dataSrc)) cpSync(dataSrc, join(dist, 'data'), { recursive: true });

execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
