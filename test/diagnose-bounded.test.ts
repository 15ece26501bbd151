/**
 * Bounded memory on any log: at most MAX_FINDINGS distinct findings are kept; the rest are counted
 * exactly (distinct and occurrences) in the summary ("N more distinct findings not shown"), and the
 * exit code still sees their causes. `--json` is written in pieces, byte for byte what one
 * JSON.stringify would print. Bounded by input size (10,003 distinct legacy 60011 bodies), not time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { createDiagnosis, MAX_FINDINGS } from '../src/core/diagnose.js';
import { parseText } from '../src/core/parse/index.js';
import { printableJson, writeJsonPieces } from '../src/render/output.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dd-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A bare legacy denial (dingtalk-facts.md: 60011 没有调用该接口的权限) on distinct oapi paths.
const body = (i: number, path = `/topapi/demo/x${i}`) =>
  `POST https://oapi.dingtalk.com${path} -> {"errcode":60011,"errmsg":"没有调用该接口的权限","request_id":"r${i}"}`;

describe('distinct findings past the limit', () => {
  it('are counted exactly, not kept; repeats of a hidden one are occurrences, not new findings', () => {
    const d = createDiagnosis(getCatalog(), { appKey: null, appType: null, api: null }, 3);
    const lines = [0, 1, 2, 3, 4, 3, 5, 0].map((i) => body(i));
    for (const r of parseText(lines.join('\n'), 'x.log')) d.add(r);
    const { findings, summary } = d.result();
    expect(findings.map((f) => [f.api?.path, f.count])).toEqual([['/topapi/demo/x0', 2], ['/topapi/demo/x1', 1], ['/topapi/demo/x2', 1]]);
    expect(summary.notShown).toEqual({ findings: 3, occurrences: 4, exact: true });
    expect(summary.findings).toBe(6);
    expect(summary.occurrences).toBe(8);
    expect(Object.values(summary.byCause).reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('every finding shown: no notShown in the summary', () => {
    const d = createDiagnosis(getCatalog(), { appKey: null, appType: null, api: null });
    for (const r of parseText([body(1), body(1)].join('\n'), 'x.log')) d.add(r);
    expect(d.result().summary.notShown).toBeUndefined();
  });

  it(`the CLI on ${MAX_FINDINGS + 3} distinct denials: ${MAX_FINDINGS} listed, 3 more counted, exit 1, valid JSON`, async () => {
    const file = join(dir, 'many.log');
    writeFileSync(file, `${Array.from({ length: MAX_FINDINGS + 3 }, (_, i) => body(i)).join('\n')}\n`);
    const json = await runCli(['diagnose', '--json', file], { timeoutMs: 120_000 });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.findings).toHaveLength(MAX_FINDINGS);
    expect(doc.summary).toMatchObject({ findings: MAX_FINDINGS + 3, occurrences: MAX_FINDINGS + 3, notShown: { findings: 3, occurrences: 3, exact: true } });
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'diagnose.json'), 'utf8')) as object);
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    const text = await runCli(['diagnose', file], { timeoutMs: 120_000 });
    expect(text.code).toBe(1);
    expect(text.stdout.trimEnd().split('\n').pop()).toMatch(/10003 findings \(10003 occurrences\)\..*3 more distinct findings not shown \(3 occurrences\)$/);
  }, 180_000);
});

describe('--json in pieces', () => {
  it('is byte for byte the document JSON.stringify prints', () => {
    const docs: unknown[] = [
      { schemaVersion: 1, command: 'diagnose', inputs: ['a', 'b'], findings: [{ a: 1, b: [1, { c: 'x\u2028y' }], d: null }, { e: {} }, []], summary: { n: 0, m: [] }, skipped: undefined },
      { empty: [], nested: { deep: [[1, 2], { x: 'token=abc' }] } },
      {},
      [1, 2, 3],
      'plain',
    ];
    for (const doc of docs) {
      let out = '';
      writeJsonPieces(doc, (piece) => (out += piece));
      expect(out).toBe(`${printableJson(doc)}\n`);
    }
  });
});
