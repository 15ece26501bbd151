/**
 * `.gz` logs are read transparently: recognised by gzip's magic bytes (not the name), inflated
 * as they stream, from a file or stdin. The compressed texts are real fixtures:
 * examples/app.log (the README's mixed log) and test/fixtures/diagnose/realworld/python-teaexception-str.txt
 * (aliyun/tea-python's `Error: {code} {message} Response: {data}` through alibabacloud_dingtalk).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStream } from '../src/core/parse/index.js';
import type { ErrorRecord } from '../src/core/types.js';
import { gunzipIfCompressed } from '../src/io/inputs.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dd-gzip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const appLog = readFileSync(join(ROOT, 'examples/app.log'));
const python = readFileSync(join(ROOT, 'test/fixtures/diagnose/realworld/python-teaexception-str.txt'));

/** Chunks of `bytes`, all in ONE reused buffer (as src/io's file reader hands them out). */
async function* reusedBuffer(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < bytes.length; i += size) {
    const n = bytes.copy(buf, 0, i, Math.min(bytes.length, i + size));
    yield buf.subarray(0, n);
  }
}

async function records(chunks: AsyncIterable<Buffer>, name: string): Promise<ErrorRecord[]> {
  const out: ErrorRecord[] = [];
  for await (const r of parseStream(chunks, name)) out.push(r);
  return out;
}

describe('gzip inputs', () => {
  it('inflate to the same records as the plain text, at any chunk size, from a reused buffer', async () => {
    for (const text of [appLog, python]) {
      const plain = await records(reusedBuffer(text, 1 << 20), 'x');
      expect(plain.length).toBeGreaterThan(0);
      const gz = gzipSync(text);
      for (const size of [1, 7, 300, 1 << 20]) expect(await records(gunzipIfCompressed(reusedBuffer(gz, size), 'x'), 'x')).toEqual(plain);
    }
  });

  it('a multi-member gzip (a rotated log appended to) is read to its end', async () => {
    const both = Buffer.concat([gzipSync(appLog), gzipSync(python)]);
    const plain = await records(reusedBuffer(Buffer.concat([appLog, python]), 4096), 'x');
    expect(await records(gunzipIfCompressed(reusedBuffer(both, 4096), 'x'), 'x')).toEqual(plain);
  });

  it('text that is not gzip passes through untouched', async () => {
    const out: Buffer[] = [];
    for await (const c of gunzipIfCompressed(reusedBuffer(python, 64), 'x')) out.push(Buffer.from(c));
    expect(Buffer.concat(out)).toEqual(python);
  });

  it('diagnose reads a .gz file and gzip on stdin like the plain log (name does not matter)', async () => {
    const plain = await runCli(['diagnose', '--json', 'examples/app.log']);
    const file = join(dir, 'app.log.gz');
    const unnamed = join(dir, 'app-log-rotated.1');
    writeFileSync(file, gzipSync(appLog));
    writeFileSync(unnamed, gzipSync(appLog));
    const expected = JSON.parse(plain.stdout).findings.map((f: { code: string; scopes: unknown }) => [f.code, f.scopes]);
    for (const args of [['diagnose', '--json', file], ['diagnose', '--json', unnamed]]) {
      const r = await runCli(args);
      expect(r.code).toBe(plain.code);
      expect(JSON.parse(r.stdout).findings.map((f: { code: string; scopes: unknown }) => [f.code, f.scopes])).toEqual(expected);
    }
    const piped = await runCli(['diagnose', '--json', '-'], { input: gzipSync(appLog) });
    expect(piped.code).toBe(plain.code);
    expect(JSON.parse(piped.stdout).findings).toHaveLength(expected.length);
  });

  it('a truncated or corrupt gzip: one line on stderr, exit 2', async () => {
    const gz = gzipSync(appLog);
    const truncated = join(dir, 'truncated.gz');
    writeFileSync(truncated, gz.subarray(0, gz.length >> 1));
    const corrupt = join(dir, 'corrupt.gz');
    writeFileSync(corrupt, Buffer.concat([gz.subarray(0, 12), Buffer.alloc(200, 0xa5)]));
    for (const file of [truncated, corrupt]) {
      const r = await runCli(['diagnose', file]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('is not a readable gzip file');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
