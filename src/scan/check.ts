/**
 * `scopes scan --check`: the static scan joined with what an app was found to have (check's
 * probes). Every call site whose API needs a scope the app lacks is one finding at that file
 * and line. Pure.
 */
import type { AppCheck } from '../core/check.js';
import type { ScanResult } from './index.js';

export interface ScanFinding {
  file: string;
  line: number;
  method: string | null;
  /** Catalog template of the API called. */
  path: string;
  scope: string;
  name: { zh: string | null; en: string | null };
  /** Where to request it (the per-app apply link when the AppKey is known). */
  consoleUrl: string | null;
}

export interface ScanCheck {
  app: string;
  findings: ScanFinding[];
  /** Scopes the code needs that the app lacks, sorted. */
  missing: string[];
  /** Scopes the code needs that could not be verified (no safe probe, or a probe error). */
  unverifiable: string[];
  /** Why the app could not be checked at all (token, network), if so. */
  error: AppCheck['error'] | null;
}

export function joinScanWithCheck(scan: ScanResult, app: AppCheck): ScanCheck {
  const byScope = new Map(app.results.map((r) => [r.scope, r]));
  const findings: ScanFinding[] = [];
  const seen = new Set<string>(); // a call whose method is not visible matches every method of the path
  for (const api of scan.apis) {
    for (const scope of api.scopes) {
      const result = byScope.get(scope.code);
      if (result?.status !== 'missing') continue;
      for (const l of api.locations) {
        const key = `${l.file}:${l.line}:${scope.code}`;
        if (l.comment || seen.has(key)) continue; // a URL in a comment is not a call
        seen.add(key);
        findings.push({ file: l.file, line: l.line, method: api.method, path: api.path, scope: scope.code, name: scope.name, consoleUrl: result.consoleUrl ?? null });
      }
    }
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.scope.localeCompare(b.scope));
  const codes = (status: (s: string) => boolean) => app.results.filter((r) => status(r.status)).map((r) => r.scope).sort();
  return {
    app: app.name,
    findings,
    missing: codes((s) => s === 'missing'),
    unverifiable: codes((s) => s === 'unverifiable' || s === 'error'),
    error: app.error ?? null,
  };
}
