/**
 * `scopes scan` end to end, minus printing: walk the roots, prefilter each file's bytes, extract the candidates,
 * resolve against the catalog. Imported lazily by the command (keeps `ignore` and the walker
 * out of the CLI's cold start).
 */
import { getCatalog } from '../catalog/index.js';
import { extractFile } from './extract.js';
import { contextPrefilter } from './prefilter.js';
import { ScanAccumulator, type ScanCatalog, type ScanReport } from './resolve.js';
import { walkSources, type WalkOptions, type WalkStats } from './walk.js';

export { MissingRootError } from './walk.js';
export type { ScanReport, ScanApi, ScanScope, ScanLocation, UnknownApi } from './resolve.js';
export type { WalkStats } from './walk.js';

export interface ScanResult extends ScanReport {
  stats: WalkStats;
  /** Files whose bytes passed the prefilter (prefilter.ts) and were decoded and parsed. */
  candidates: number;
}

export async function scanTree(roots: string[], options: WalkOptions & { catalog?: ScanCatalog } = {}): Promise<ScanResult> {
  const acc = new ScanAccumulator(options.catalog ?? getCatalog());
  let candidates = 0;
  const prefilter = contextPrefilter();
  const stats = await walkSources(
    roots,
    (file, text) => {
      candidates++;
      const extract = extractFile(file, text, acc.filter, prefilter.context());
      if (extract.hits.length > 0) acc.add(file, extract);
    },
    { ...options, prefilter: prefilter.pass },
  );
  return { ...acc.finish(), stats, candidates };
}
