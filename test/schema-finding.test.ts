/**
 * The finding's shape is written once (issue 17 §3): `FindingJson` (render/diagnose.ts) is derived from the
 * core `Finding` type, and the published schema is tested against it here — the schema's finding, note and
 * api keys are exactly the keys the renderer writes for a real finding of the real catalog, all required.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { diagnose } from '../src/core/diagnose.js';
import { parseText } from '../src/core/parse/index.js';
import { diagnoseJson, findingJson } from '../src/render/diagnose.js';
import { ROOT } from './helpers/run-cli.js';

type Def = { required: string[]; properties: Record<string, { anyOf?: Array<{ required?: string[]; properties?: object }> }> };
const schema = JSON.parse(readFileSync(join(ROOT, 'schema/diagnose.json'), 'utf8')) as { required: string[]; properties: object; $defs: Record<string, Def> };
const sorted = (xs: Iterable<string>) => [...xs].sort();

const text = [
  '2026-11-26 [pool-1-thread-2] INFO  POST https://oapi.dingtalk.com/topapi/v2/user/get',
  '2026-11-26 [pool-1-thread-2] ERROR {"errcode":60011,"errmsg":"没有调用该接口的权限"}',
  "{'errcode': 60020, 'errmsg': 'not allow to access from your ip, hint: [1658286717354964018506079], more info at https://open.work.weixin.qq.com/devtool/query?e=60020'}",
].join('\n');
const result = diagnose(parseText(text, 'x.log'), getCatalog(), {});

describe('schema/diagnose.json against FindingJson', () => {
  it('a finding: the schema requires exactly the keys findingJson writes', () => {
    const f = findingJson(result.findings[0]!);
    expect(sorted(Object.keys(schema.$defs.finding!.properties))).toEqual(sorted(Object.keys(f)));
    expect(sorted(schema.$defs.finding!.required)).toEqual(sorted(Object.keys(f)));
    const api = schema.$defs.finding!.properties.api!.anyOf!.find((a) => a.required)!;
    expect(sorted(api.required!)).toEqual(sorted(Object.keys(f.api!)));
    expect(f.api!.via).toBe('thread');
    expect(f.platform).toBe('dingtalk');
  });

  it('a note and the document: the same keys as the schema', () => {
    const doc = diagnoseJson(result, ['x.log']);
    expect(sorted(schema.required)).toEqual(sorted(Object.keys(doc)));
    expect(doc.notes).toHaveLength(1);
    expect(sorted(schema.$defs.note!.required)).toEqual(sorted(Object.keys(doc.notes[0]!)));
    expect(sorted(schema.$defs.evidence!.required)).toEqual(sorted(Object.keys(doc.notes[0]!.evidence[0]!)));
    expect(sorted(schema.$defs.summary!.required)).toEqual(sorted(Object.keys(doc.summary)));
  });
});
