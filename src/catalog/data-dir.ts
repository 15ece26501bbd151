/**
 * Where the generated catalog JSON lives: `dist/data/` in the built package,
 * `src/data/` when tests run the sources. Found relative to this module, never via cwd.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join, sep } from 'node:path';

const candidates = ['data', '../data', '../../data', '../src/data', '../../src/data'];

let dir: string | undefined;
export function dataDir(): string {
  if (dir) return dir;
  for (const candidate of candidates) {
    // a path, not import.meta.url: no URL is parsed at start-up (the first one costs ≈ 0.3 ms)
    const path = join(import.meta.dirname, candidate) + sep;
    if (existsSync(`${path}scopes.json`)) return (dir = path);
  }
  throw new Error('dingtalk-doctor: catalog data not found (expected data/scopes.json beside the build)');
}

/** Whether the data dir has this file (index.json exists in a build only: scripts/build-index.mjs). */
export function hasData(name: string): boolean {
  return existsSync(`${dataDir()}${name}`);
}

/** Reads one generated JSON file from the data dir. */
export function readData<T>(name: string): T {
  return JSON.parse(readFileSync(`${dataDir()}${name}`, 'utf8')) as T;
}

/** The raw bytes of a generated file (for line-wise lookups in tables written one row per line). */
export function readBytes(name: string): Buffer {
  return readFileSync(`${dataDir()}${name}`);
}

/** Bytes [start, end) of a generated file (fewer at its end): a lookup reads the part it needs. */
export function readRange(name: string, start: number, end: number): Buffer {
  const fd = openSync(`${dataDir()}${name}`, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.max(0, end - start));
    let got = 0;
    for (let n = 1; got < buffer.length && n > 0; got += n) n = readSync(fd, buffer, got, buffer.length - got, start + got);
    return buffer.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
