/**
 * The harness of the real-world fixture tests (realworld.test.ts, realworld-2.test.ts): a fixture
 * goes through the CLI's path (parseStream → diagnose with the real catalog), must equal parseText
 * whatever the chunk size, and its findings are compared field by field.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { getCatalog } from '../../src/catalog/index.js';
import { diagnose } from '../../src/core/diagnose.js';
import { parseText } from '../../src/core/parse/index.js';
import { parseStream } from '../../src/core/parse/index.js';
import type { ErrorRecord, Finding } from '../../src/core/types.js';

const catalog = getCatalog();
export const fixtureBytes = (name: string) => readFileSync(new URL(`../fixtures/diagnose/realworld/${name}`, import.meta.url));

async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, Math.min(data.length, i + size));
}

export async function streamed(name: string, size = 1 << 16): Promise<ErrorRecord[]> {
  const out: ErrorRecord[] = [];
  for await (const r of parseStream(chunked(fixtureBytes(name), size), name)) out.push(r);
  return out;
}

export async function findingsOf(name: string): Promise<Finding[]> {
  const records = await streamed(name);
  // The stream's prefilter and fast paths must not lose what the plain parser sees.
  expect(records).toEqual(parseText(fixtureBytes(name).toString('utf8'), name));
  expect(await streamed(name, 7)).toEqual(records);
  return diagnose(records, catalog, {}).findings;
}

export interface Expect {
  cause: Finding['cause'];
  scopes: string[];
  code: string | null;
  subCode: string | null;
  httpStatus: number | null;
  api: string | null; // "METHOD path" as seen (METHOD '-' when unknown)
  template?: string | null;
  callerIp?: string | null;
  appKey?: string | null;
  requestId?: string | null;
  message?: string | RegExp | null;
  explanation?: RegExp;
  count?: number;
  line?: number;
}

export function checkFinding(f: Finding, e: Expect): void {
  expect({
    cause: f.cause,
    scopes: f.scopes.map((s) => s.code),
    code: f.code,
    subCode: f.subCode,
    httpStatus: f.httpStatus,
    api: f.api ? `${f.api.method ?? '-'} ${f.api.path}` : null,
  }).toEqual({ cause: e.cause, scopes: e.scopes, code: e.code, subCode: e.subCode, httpStatus: e.httpStatus, api: e.api });
  if (e.template !== undefined) expect(f.api?.template ?? null).toBe(e.template);
  if (e.callerIp !== undefined) expect(f.callerIp).toBe(e.callerIp);
  if (e.appKey !== undefined) expect(f.appKey).toBe(e.appKey);
  if (e.requestId !== undefined) expect(f.requestId).toBe(e.requestId);
  if (e.message !== undefined) {
    if (e.message instanceof RegExp) expect(f.message).toMatch(e.message);
    else expect(f.message).toBe(e.message);
  }
  if (e.explanation !== undefined) expect(f.explanation).toMatch(e.explanation);
  if (e.count !== undefined) expect(f.count).toBe(e.count);
  if (e.line !== undefined) expect(f.source.line).toBe(e.line);
}
