#!/usr/bin/env node
// Precomputes the catalog's indexes (API row offsets and ids, path templates, SDK names, search
// documents) from the generated tables into <out>/index.json (dist/data/ by default; run by
// scripts/build.mjs), so `scopes for/search/show` and `diagnose` read the part they need instead
// of decoding apis.json (946 KB) and indexing it on every run. Derived data, never committed: it
// is computed from src/data/ by src/catalog/build-index.ts — the same code that indexes data held
// in memory — bundled here with esbuild, so it cannot drift from the tables or from that code.
//
//   node scripts/build-index.mjs [--data src/data] [--out dist/data]
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The tables the index is computed from. */
export const INDEXED_TABLES = ['apis.json', 'scopes.json'];

const fingerprint = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The index text for the tables in `dataDir`. */
export async function computeIndex(dataDir = join(ROOT, 'src', 'data')) {
  const out = await build({
    entryPoints: [join(ROOT, 'src', 'catalog', 'build-index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'warning',
  });
  const { indexFileOf } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const [apis, scopes] = INDEXED_TABLES.map((name) => readFileSync(join(dataDir, name)));
  return indexFileOf(apis, scopes, { 'apis.json': fingerprint(apis), 'scopes.json': fingerprint(scopes) });
}

/** Writes `<outDir>/index.json` for the tables in `dataDir`. */
export async function buildIndex({ dataDir = join(ROOT, 'src', 'data'), outDir = join(ROOT, 'dist', 'data') } = {}) {
  const text = await computeIndex(dataDir);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.json'), text);
  return text;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string' } } });
  const text = await buildIndex({ dataDir: values.data && resolve(values.data), outDir: values.out && resolve(values.out) });
  process.stdout.write(`wrote index.json (${(text.length / 1024).toFixed(0)} KB)\n`);
}
