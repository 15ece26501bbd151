/**
 * SARIF 2.1.0 for `scopes scan` (GitHub code scanning reads it): one rule per scope, one result
 * per call site with a physicalLocation. Offline, each call site with the scope it needs (level
 * `note`); with --check, each call site whose scope the app lacks (level `error`).
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import type { ScanCheck } from '../scan/check.js';
import type { ScanResult, ScanScope } from '../scan/index.js';
import { VERSION } from '../version.js';
import { message, nameIn } from './messages.js';
import type { Lang } from './output.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/OWNER/dingtalk-doctor#readme';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'note' | 'error';
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }>;
}

/** A relative file path as a URI reference (forward slashes, each segment percent-encoded). */
const fileUri = (file: string) => file.split(/[\\/]/).map(encodeURIComponent).join('/');

const location = (file: string, line: number) => ({ physicalLocation: { artifactLocation: { uri: fileUri(file), uriBaseId: '%SRCROOT%' }, region: { startLine: line } } });

const nameOf = (name: ScanScope['name'], lang: Lang) => nameIn(name, lang);

function rule(scope: { code: string; name: ScanScope['name']; kind?: string }, lang: Lang, helpUri: string | null) {
  const name = nameOf(scope.name, lang);
  return {
    id: scope.code,
    name: scope.code.replace(/[^A-Za-z0-9]+/g, ''),
    shortDescription: { text: message(name ? 'ui.ci.sarif-rule-named' : 'ui.ci.sarif-rule', { scope: scope.code, name: name ?? '' }, lang) },
    ...(helpUri ? { helpUri } : {}),
    ...(scope.kind ? { properties: { kind: scope.kind } } : {}),
  };
}

export function scanSarif(scan: ScanResult, check: ScanCheck | undefined, lang: Lang) {
  const rules: Array<ReturnType<typeof rule>> = [];
  const results: SarifResult[] = [];
  const index = new Map<string, number>();
  const ruleIndex = (code: string, make: () => ReturnType<typeof rule>) => {
    if (!index.has(code)) index.set(code, rules.push(make()) - 1);
    return index.get(code)!;
  };
  if (check) {
    for (const f of check.findings) {
      const i = ruleIndex(f.scope, () => rule({ code: f.scope, name: f.name }, lang, f.consoleUrl));
      const text = message('ui.ci.sarif-lacks', { api: `${f.method ?? '*'} ${f.path}`, app: check.app, scope: f.scope, link: f.consoleUrl ?? message('ui.scan-check.console', {}, lang) }, lang);
      results.push({ ruleId: f.scope, ruleIndex: i, level: 'error', message: { text }, locations: [location(f.file, f.line)] });
    }
  } else {
    const seen = new Set<string>(); // a call whose method is not visible matches every method of the path
    for (const api of scan.apis) {
      for (const scope of api.scopes) {
        const i = ruleIndex(scope.code, () => rule(scope, lang, null));
        for (const l of api.locations) {
          const key = `${l.file}:${l.line}:${scope.code}`;
          if (l.comment || seen.has(key)) continue;
          seen.add(key);
          results.push({ ruleId: scope.code, ruleIndex: i, level: 'note', message: { text: message('ui.ci.sarif-needs', { api: `${api.method ?? '*'} ${api.path}`, scope: scope.code }, lang) }, locations: [location(l.file, l.line)] });
        }
      }
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [{ tool: { driver: { name: 'dingtalk-doctor', version: VERSION, informationUri: INFORMATION_URI, rules } }, results }],
  };
}
