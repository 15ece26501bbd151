// The committed catalog JSON must equal what scripts/build-catalog.mjs generates from the installed
// SDK and ../shared/catalog, so the data cannot silently drift from its sources.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { DATA_FILES, ROOT, generateCatalog } from '../scripts/build-catalog.mjs';

const shared = resolve(ROOT as string, '..', 'shared', 'catalog');
const haveSources = existsSync(join(shared, 'docs-apis.tsv')) && existsSync(join(ROOT as string, 'node_modules', '@alicloud', 'dingtalk', 'dist'));

describe('catalog data', () => {
  it('committed src/data/*.json equals the generator output', (ctx) => {
    // Says why in the test output (a published checkout has no ../shared); .ci/run runs `npm run catalog -- --check` where it is present.
    if (!haveSources) ctx.skip(`no seed data at ${shared} or no @alicloud/dingtalk in node_modules: the generator cannot run here`);
    const { files, report } = generateCatalog({ root: ROOT, shared }) as { files: Record<string, string>; report: { documentedApis: { inCatalog: number; total: number } } };
    for (const name of DATA_FILES as string[]) {
      const committed = readFileSync(join(ROOT as string, 'src', 'data', name), 'utf8');
      expect(committed === files[name], `${name} differs from the generator: run npm run catalog`).toBe(true);
    }
    expect(report.documentedApis.inCatalog).toBe(report.documentedApis.total);
  });

  it('is compact enough to ship', () => {
    const total = (DATA_FILES as string[]).reduce((n, f) => n + readFileSync(join(ROOT as string, 'src', 'data', f)).length, 0);
    expect(total).toBeLessThan(2_000_000);
  });
});
