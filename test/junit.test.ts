/**
 * `--format junit` for `check` and `diagnose` on the built CLI (`npm run build` first), every
 * report validated with libxml2 (xmllint, as WebAssembly: the npm package xmllint-wasm) against
 * the JUnit schema Jenkins uses (xunit-plugin's junit-10.xsd, vendored in
 * test/fixtures/schemas with its source).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { FakeDingTalk } from './fake-dingtalk/server.js';
import type { Workspace } from './fake-dingtalk/workspace.js';
import { startCrmApp, stopCrmApp } from './helpers/crm-app.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const XSD = readFileSync(join(ROOT, 'test/fixtures/schemas/junit-10.xsd'), 'utf8');
async function expectValidJUnit(report: string): Promise<void> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: report }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
  expect(r.valid, r.rawOutput).toBe(true);
}

/** testcase name → what it holds: pass, failure:<type>, skipped:<type>, error:<type>. */
function cases(report: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of report.matchAll(/<testcase classname="[^"]*" name="([^"]*)"(\/>|>\n\s*<(failure|skipped|error|system-out)(?: type="([^"]*)")?)/g)) {
    out[m[1]!] = m[3] && m[3] !== 'system-out' ? `${m[3]}:${m[4]}` : 'pass';
  }
  return out;
}

const SECRET = 'crm-secret-junit-5151';
let fake: FakeDingTalk;
let ws: Workspace;

beforeAll(async () => {
  ({ fake, ws } = await startCrmApp({ appKey: 'dingcrmjunit', secret: SECRET, grants: ['Contact.User.Read'], required: ['Contact.User.Read', 'Calendar.Event.Write', 'Contact.User.mobile'] }));
});

afterAll(() => stopCrmApp({ fake, ws }));

describe('check --format junit', () => {
  it('one testcase per app × scope: missing = failure, unverifiable = skipped, granted passes; valid JUnit; exit 1', async () => {
    const r = await runCli(['check', '--format', 'junit', '--base-url', fake.url], { cwd: ws.dir, env: ws.env({ CRM_SECRET: SECRET }) });
    expect(r.code, r.stderr).toBe(1);
    await expectValidJUnit(r.stdout);
    expect(cases(r.stdout)).toEqual({ 'Contact.User.Read': 'pass', 'Calendar.Event.Write': 'failure:missing-scope', 'Contact.User.mobile': 'skipped:unverifiable' });
    expect(r.stdout).toMatch(/<testsuites name="dingtalk-doctor check" tests="3" failures="1" errors="0">/);
    expect(r.stdout).toContain('content=dingcrmjunit%23Calendar.Event.Write');
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });

  it('an app that cannot get a token is one error testcase; still valid', async () => {
    const r = await runCli(['check', '--format', 'junit', '--base-url', fake.url], { cwd: ws.dir, env: ws.env({ CRM_SECRET: 'wrong-junit-secret' }) });
    expect(r.code).toBe(3);
    await expectValidJUnit(r.stdout);
    expect(cases(r.stdout)['app crm']).toBe('error:token-failed');
    expect(r.stdout).not.toContain('wrong-junit-secret');
  });
});

describe('diagnose --format junit', () => {
  it('one testcase per finding, a denial fails; the log with five kinds of error is valid JUnit', async () => {
    const r = await runCli(['diagnose', '--format', 'junit', 'examples/app.log']);
    expect(r.code).toBe(1);
    await expectValidJUnit(r.stdout);
    const all = cases(r.stdout);
    expect(Object.keys(all)).toHaveLength(JSON.parse((await runCli(['diagnose', '--json', 'examples/app.log'])).stdout).findings.length);
    expect(all['Missing permission · Contact.User.Read (examples/app.log:3)']).toBe('failure:missing-scope');
  });

  it('characters XML cannot carry are escaped or dropped (a control character in the input stays out)', async () => {
    const body = JSON.stringify({ code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: 'no <scope> & "quotes" \u0007bell', requestid: 'R1', accessdenieddetail: { requiredScopes: ['Contact.User.Read'] } });
    const r = await runCli(['diagnose', '--format', 'junit'], { input: `HTTP/1.1 403 Forbidden\n\n${body}\n` });
    expect(r.code).toBe(1);
    await expectValidJUnit(r.stdout);
    expect(r.stdout).not.toContain('\u0007');
  });

  it('the XSD rejects a report without the required attributes (the validation can fail)', async () => {
    const r = await validateXML({ xml: [{ fileName: 'bad.xml', contents: '<testsuites><testsuite name="x"><testcase/></testsuite></testsuites>' }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
    expect(r.valid).toBe(false);
  });
});
