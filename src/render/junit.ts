/**
 * JUnit XML reports for CI systems that read them (GitLab's `artifacts:reports:junit`,
 * Jenkins' junit step): `check` is one testcase per app × scope (missing = failure, not
 * verifiable = skipped, a probe error = error), `diagnose` one testcase per finding (a denial =
 * failure). The shape follows the JUnit schema Jenkins validates against (xunit-plugin's
 * junit-10.xsd; the test validates every report with it). Pure.
 */
import type { AppCheck } from '../core/check.js';
import type { DiagnoseResult } from '../core/diagnose.js';
import { isDenial } from '../core/classify.js';
import { apiText, errorText, headline } from './diagnose.js';
import { appErrorMessage, detailOf, unmappedDetail } from './check.js';
import { message, stepTexts } from './messages.js';
import type { Lang } from './output.js';

interface JUnitOutcome {
  kind: 'failure' | 'error' | 'skipped';
  type: string;
  message: string;
  text?: string;
}

interface JUnitCase {
  name: string;
  classname: string;
  outcome?: JUnitOutcome;
  /** Extra detail of a passing case. */
  out?: string;
}

interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

// XML 1.0 cannot carry most control characters at all, not even escaped.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xml = (s: string) => s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const attrs = (a: Record<string, string | number>) => Object.entries(a).map(([k, v]) => ` ${k}="${xml(String(v))}"`).join('');

function counts(cases: readonly JUnitCase[]) {
  const of = (kind: JUnitOutcome['kind']) => cases.filter((c) => c.outcome?.kind === kind).length;
  return { tests: cases.length, failures: of('failure'), errors: of('error'), skipped: of('skipped') };
}

function caseXml(c: JUnitCase): string {
  const head = `    <testcase${attrs({ classname: c.classname, name: c.name })}`;
  if (c.outcome) {
    const { kind, type, message, text } = c.outcome;
    return `${head}>\n      <${kind}${attrs({ type, message })}>${xml(text ?? '')}</${kind}>\n    </testcase>`;
  }
  return c.out ? `${head}>\n      <system-out>${xml(c.out)}</system-out>\n    </testcase>` : `${head}/>`;
}

export function junitXml(name: string, suites: readonly JUnitSuite[]): string {
  const all = counts(suites.flatMap((s) => s.cases));
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attrs({ name, tests: all.tests, failures: all.failures, errors: all.errors })}>`];
  for (const suite of suites) {
    lines.push(`  <testsuite${attrs({ name: suite.name, ...counts(suite.cases) })}>`, ...suite.cases.map(caseXml), '  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}

/** `check`: one suite per app, one testcase per scope (and per API the catalog cannot map). */
export function checkJunit(apps: readonly AppCheck[], lang: Lang): string {
  const suites = apps.map((app): JUnitSuite => {
    const classname = `dingtalk-doctor.check.${app.name}`;
    const cases: JUnitCase[] = [];
    if (app.error) {
      const steps = stepTexts(app.error.steps, lang);
      cases.push({ classname, name: `app ${app.name}`, outcome: { kind: 'error', type: app.error.cause, message: appErrorMessage(app.error, lang), text: steps.join('\n') } });
    }
    for (const r of app.results) {
      const name = r.scope;
      if (r.status === 'missing') {
        const steps = r.steps ? stepTexts(r.steps, lang) : [];
        const text = [...steps.map((s, i) => `${i + 1}. ${s}`), ...(r.consoleUrl ? [r.consoleUrl] : [])].join('\n');
        cases.push({ classname, name, outcome: { kind: 'failure', type: 'missing-scope', message: message('ui.ci.junit-lacks', { app: app.name, scope: r.scope }, lang), text } });
      } else if (r.status === 'unverifiable') cases.push({ classname, name, outcome: { kind: 'skipped', type: 'unverifiable', message: detailOf(r, lang) } });
      else if (r.status === 'error') cases.push({ classname, name, outcome: { kind: 'error', type: 'probe-error', message: detailOf(r, lang) } });
      else cases.push({ classname, name, out: detailOf(r, lang) });
    }
    for (const u of app.unmappedApis) cases.push({ classname, name: u.api, outcome: { kind: 'skipped', type: 'unmapped-api', message: unmappedDetail(u, lang) } });
    return { name: `app ${app.name}`, cases };
  });
  return junitXml('dingtalk-doctor check', suites);
}

/** `diagnose`: one testcase per finding; a denial fails, any other DingTalk error is reported and passes. */
export function diagnoseJunit(result: DiagnoseResult, lang: Lang): string {
  const cases = result.findings.map((f): JUnitCase => {
    const where = `${f.source.input}:${f.source.line}`;
    const detail = [
      `${where} · ${[errorText(f), apiText(f), f.count > 1 ? `${f.count}×` : null].filter(Boolean).join(' · ')}`,
      ...(f.explanation ? [f.explanation] : []),
      ...stepTexts(f.steps, lang).map((s, i) => `${i + 1}. ${s}`),
      ...(f.consoleUrl ? [f.consoleUrl] : []),
    ].join('\n');
    const base = { classname: `dingtalk-doctor.diagnose.${f.source.input}`, name: `${headline(f, lang)} (${where})` };
    return isDenial(f.cause) ? { ...base, outcome: { kind: 'failure', type: f.cause, message: headline(f, lang), text: detail } } : { ...base, out: detail };
  });
  return junitXml('dingtalk-doctor diagnose', [{ name: 'dingtalk-doctor diagnose', cases }]);
}
