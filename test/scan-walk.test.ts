/**
 * The walker of `scopes scan` (src/scan/walk.ts) on real temp files: the size limit at its exact
 * bound, files bigger than the reused read buffer, the binary probe's 8 KiB, paths handed back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkSources } from '../src/scan/walk.js';
import { tempDirs } from './helpers/temp-dirs.js';

const temp = tempDirs('dd-walk-');

async function walk(root: string, maxBytes?: number) {
  const seen: Record<string, string> = {};
  const stats = await walkSources(['.'], (file, text) => void (seen[file] = text), { cwd: root, maxBytes });
  return { seen, stats };
}

describe('walkSources', () => {
  it('reads a file of exactly maxBytes and skips one byte more, unread', async () => {
    const root = temp();
    writeFileSync(join(root, 'at.ts'), 'a'.repeat(100));
    writeFileSync(join(root, 'over.ts'), 'a'.repeat(101));
    writeFileSync(join(root, 'empty.ts'), '');
    const { seen, stats } = await walk(root, 100);
    expect(Object.keys(seen).sort()).toEqual(['at.ts', 'empty.ts']);
    expect(seen['at.ts']).toHaveLength(100);
    expect(stats).toMatchObject({ files: 2, bytes: 100, skipped: { large: 1, binary: 0 } });
  });

  it('reads files far bigger than its first buffer whole, and keeps the next file apart', async () => {
    const root = temp();
    const big = Array.from({ length: 40_000 }, (_, i) => `line ${i}`).join('\n'); // ~360 KB
    writeFileSync(join(root, 'a-big.ts'), big);
    writeFileSync(join(root, 'b-small.ts'), 'small');
    writeFileSync(join(root, 'c-huge.ts'), 'x'.repeat(2 * 1024 * 1024));
    const { seen, stats } = await walk(root);
    expect(seen['a-big.ts']).toBe(big);
    expect(seen['b-small.ts']).toBe('small');
    expect(stats).toMatchObject({ files: 2, bytes: big.length + 5, skipped: { large: 1 } });
  });

  it('calls a file binary for a NUL byte in its first 8 KiB only', async () => {
    const root = temp();
    const at = (offset: number) => Buffer.concat([Buffer.alloc(offset, 0x61), Buffer.from([0]), Buffer.from('tail')]);
    writeFileSync(join(root, 'first.ts'), at(0));
    writeFileSync(join(root, 'last-probed.ts'), at(8191));
    writeFileSync(join(root, 'past-probe.ts'), at(8192));
    const { seen, stats } = await walk(root);
    expect(Object.keys(seen)).toEqual(['past-probe.ts']);
    expect(stats.skipped.binary).toBe(2);
  });

  it('hands back paths relative to cwd, directories in name order', async () => {
    const root = temp();
    for (const d of ['b', 'a/c']) mkdirSync(join(root, d), { recursive: true });
    for (const f of ['b/x.ts', 'a/c/y.ts', 'a/z.ts', 'top.ts']) writeFileSync(join(root, f), f);
    const { seen } = await walk(root);
    expect(Object.entries(seen)).toEqual([['top.ts', 'top.ts'], ['a/z.ts', 'a/z.ts'], ['a/c/y.ts', 'a/c/y.ts'], ['b/x.ts', 'b/x.ts']]);
  });

  it('hands back paths outside cwd with ..; a file given as a root is relative too', async () => {
    const root = temp();
    mkdirSync(join(root, 'sub', 'subway'), { recursive: true });
    for (const f of ['top.ts', 'sub/in.ts', 'sub/subway/w.ts']) writeFileSync(join(root, f), f);
    const seen: string[] = [];
    await walkSources(['..', '../sub/in.ts'], (file) => void seen.push(file), { cwd: join(root, 'sub', '.') });
    expect(seen.sort()).toEqual(['../top.ts', 'in.ts', 'in.ts', 'subway/w.ts']); // the file root is read again
    const fromSibling: string[] = [];
    await walkSources(['../subway'], (file) => void fromSibling.push(file), { cwd: join(root, 'sub', 'sub') });
    expect(fromSibling).toEqual(['../subway/w.ts']);
  });
});
