// dist/data/index.json (scripts/build-index.mjs, run by the build) holds the bundled catalog's
// path, SDK and search indexes computed at build time. Every answer read through it must equal
// the answer of the same catalog indexed in memory, and the build must ship the index of its tables.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundledIndex } from '../src/catalog/bundled-index.js';
import { indexFileOf } from '../src/catalog/build-index.js';
import { loadCatalogData, prebuiltOver } from '../src/catalog/decode.js';
import type { ApiInfo, CatalogData } from '../src/catalog/index.js';
import { createCatalog } from '../src/catalog/indexes.js';
import { ROOT } from './helpers/run-cli.js';

const dataFile = (name: string) => readFileSync(join(ROOT, 'src', 'data', name));
const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const apisBytes = dataFile('apis.json');
const scopesBytes = dataFile('scopes.json');
const indexText = indexFileOf(apisBytes, scopesBytes, { 'apis.json': sha(apisBytes), 'scopes.json': sha(scopesBytes) });
const range = (bytes: Buffer) => (start: number, end: number) => bytes.subarray(start, end);

// The sources read src/data/, which has no index: the catalog indexed in memory.
const bundled = loadCatalogData();
const inMemory = createCatalog(bundled);
// The same tables read through the computed index, by byte range, as the built CLI reads them.
const index = new BundledIndex(range(Buffer.from(indexText)), range(apisBytes));
const prebuiltData: CatalogData = {
  scopes: bundled.scopes,
  apis: bundled.apis,
  scopeExact: bundled.scopeExact,
  errorsFor: bundled.errorsFor,
  sdk: bundled.sdk,
  coverage: bundled.coverage,
  prebuilt: prebuiltOver(() => index),
};
const prebuilt = createCatalog(prebuiltData);
const ids = (apis: ApiInfo[]) => apis.map((a) => a.id);

describe('the precomputed catalog index', () => {
  it('is what the build ships beside the tables (dist/data/index.json)', () => {
    expect(bundled.prebuilt).toBeUndefined();
    expect(readFileSync(join(ROOT, 'dist', 'data', 'index.json'), 'utf8') === indexText, 'dist/data/index.json is not the index of src/data: npm run build').toBe(true);
  });

  it('decodes every API by id exactly as the whole table decodes it', () => {
    for (const api of bundled.apis) expect(prebuilt.api(api.id)).toEqual(api);
    expect(prebuilt.api('no/such.api')).toBeUndefined();
  });

  it('matches every template, filled with real-looking ids, as the in-memory trie does', () => {
    for (const api of bundled.apis) {
      const real = api.path.replace(/\{[^}]*\}/g, 'x9');
      for (const [method, target] of [
        [api.method, api.path],
        [api.method, real],
        [null, `https://${api.host}${real}?a=1`],
        ['DELETE', `${real}/extra`],
      ] as const) {
        expect(ids(prebuilt.matchApi(method, target)), `${method} ${target}`).toEqual(ids(inMemory.matchApi(method, target)));
      }
    }
    // paths without the version, the .io twin, a `constructor` segment, nothing at all
    for (const target of ['/contact/users/me', 'https://api.dingtalk.io/v1.0/contact/users/1', '/v1.0/constructor/__proto__', '/', '/v1.0/{}/users']) {
      expect(ids(prebuilt.matchApi('GET', target)), target).toEqual(ids(inMemory.matchApi('GET', target)));
    }
  });

  it('finds every SDK spelling as the in-memory index does', () => {
    for (const api of bundled.apis.filter((a) => a.product)) {
      for (const [module, method] of [
        [api.product, api.sdkMethod ?? ''],
        [api.product?.replace('.', '_') ?? null, `${api.sdkMethod}WithOptions`],
        [null, api.action ?? ''],
      ] as const) {
        expect(ids(prebuilt.apiBySdk(module, method)), `${module} ${method}`).toEqual(ids(inMemory.apiBySdk(module, method)));
      }
    }
    expect(prebuilt.apiBySdk('constructor', 'toString')).toEqual([]);
  });

  it('searches as the in-memory documents do', () => {
    const queries = ['通讯录', 'contact user read', 'approval', 'send message', 'Contact.User.Read', 'qyapi_get_member', 'processinstances', '日程', 'calendar event', 'msg', 'x', ''];
    for (const scope of bundled.scopes.slice(0, 300)) queries.push(scope.code.replace(/[._]/g, ' '), scope.name.zh ?? '');
    for (const query of queries) {
      const summary = (hits: ReturnType<typeof prebuilt.search>) => hits.map((h) => `${h.scope.code} ${h.score} ${h.why}`);
      expect(summary(prebuilt.search(query, 20)), query).toEqual(summary(inMemory.search(query, 20)));
    }
  });

  it('refuses, with the fix, an index that does not fit apis.json (rows moved)', () => {
    const apis = apisBytes;
    const shifted = Buffer.concat([apis.subarray(0, apis.indexOf(10) + 1), Buffer.from('\n'), apis.subarray(apis.indexOf(10) + 1)]);
    const stale = new BundledIndex(range(Buffer.from(indexText)), range(shifted));
    expect(() => stale.apiRow(5)).toThrow(/does not fit the data.*node scripts\/build-index\.mjs/);
    expect(index.apiRow(5)[0]).toBe(bundled.apis[5]?.id);
  });
});
