/**
 * `scopes scan --check` (the code line that will fail), `--format github` escaping and
 * `--format sarif`, on the built CLI (`npm run build` first) against the fake DingTalk on
 * 127.0.0.1. The SARIF logs are validated against the official OASIS SARIF 2.1.0 schema
 * (test/fixtures/schemas/sarif-schema-2.1.0.json, source in that folder's README).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvDraft04 from 'ajv-draft-04';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDingTalk } from './fake-dingtalk/server.js';
import type { Workspace } from './fake-dingtalk/workspace.js';
import { startCrmApp, stopCrmApp } from './helpers/crm-app.js';
import { fakeDws } from './fake-dws/setup.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const SECRET = 'crm-secret-scan-4242';
let fake: FakeDingTalk;
let ws: Workspace;

const SYNC = [
  "import axios from 'axios';",
  '',
  '// contacts: the app has Contact.User.Read',
  'export const user = (unionId: string) => axios.get(`https://api.dingtalk.com/v1.0/contact/users/${unionId}`);',
  '',
  '// calendars: the app lacks Calendar.Event.Read',
  "export const calendars = (userId: string) => axios.get('https://api.dingtalk.com/v1.0/calendar/users/' + userId + '/calendars');",
  '',
].join('\n');

const sarifSchema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/schemas/sarif-schema-2.1.0.json'), 'utf8')) as object;
// ajv-draft-04 is CommonJS: its class is the `default` of module.exports
const validateSarif = new ajvDraft04.default({ allErrors: true, strict: false }).compile(sarifSchema);

beforeAll(async () => {
  ({ fake, ws } = await startCrmApp({ appKey: 'dingcrmscan', secret: SECRET, grants: ['Contact.User.Read'] }));
  ws.write('src/sync.ts', SYNC);
  // a file name GitHub's workflow commands must escape (`,` and `:` in a property, `%` everywhere)
  ws.write('src/a,b:100%.ts', "fetch('https://api.dingtalk.com/v1.0/calendar/users/me/calendars');\n");
});

afterAll(() => stopCrmApp({ fake, ws }));

const scan = (args: string[]) => runCli(['scopes', 'scan', 'src', ...args], { cwd: ws.dir, env: ws.env({ CRM_SECRET: SECRET, DINGTALK_API_BASE: fake.url }) });

describe('scopes scan --check --app crm', () => {
  it('text: one finding per call site whose scope the app lacks, at file:line, with the link; exit 1', async () => {
    const r = await scan(['--check', '--app', 'crm']);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('src/a,b:100%.ts:1 calls GET /v1.0/calendar/users/{userId}/calendars; app crm lacks Calendar.Event.Read → request it: https://open-dev.dingtalk.com/appscope/apply?content=dingcrmscan%23Calendar.Event.Read');
    expect(lines[1]).toBe('src/sync.ts:7 calls GET /v1.0/calendar/users/{userId}/calendars; app crm lacks Calendar.Event.Read → request it: https://open-dev.dingtalk.com/appscope/apply?content=dingcrmscan%23Calendar.Event.Read');
    expect(r.stdout).not.toContain('sync.ts:4'); // Contact.User.Read is granted
    expect(r.stdout).toContain('app crm lacks Calendar.Event.Read (2 call sites)');
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });

  it('-q drops the "Next:" line', async () => {
    const loud = await scan(['--check', '--app', 'crm']);
    const quiet = await scan(['--check', '--app', 'crm', '-q']);
    expect(loud.stdout).toMatch(/^Next: /m);
    expect(quiet.stdout).not.toMatch(/^Next: /m);
    expect(quiet.stdout).toBe(loud.stdout.split('\n').filter((l) => !l.startsWith('Next: ')).join('\n'));
  });

  it('github: ::error file=…,line=…,title=…:: per finding, properties %-escaped as GitHub\'s toolkit does', async () => {
    const r = await scan(['--check', '--app', 'crm', '--format', 'github']);
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^::error file=src\/a%2Cb%3A100%25\.ts,line=1,title=App crm lacks DingTalk scope Calendar\.Event\.Read[^,:]*::calls GET /);
    expect(errors[1]).toMatch(/^::error file=src\/sync\.ts,line=7,title=/);
  });

  it('json: the scan document plus check.findings', async () => {
    const r = await scan(['--check', '--app', 'crm', '--json']);
    const doc = JSON.parse(r.stdout) as { command: string; check: { app: string; missing: string[]; findings: Array<{ file: string; line: number; scope: string }> } };
    expect(doc.command).toBe('scan');
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schema/scan.json'), 'utf8')) as object);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.check.app).toBe('crm');
    expect(doc.check.missing).toEqual(['Calendar.Event.Read']);
    expect(doc.check.findings.map((f) => `${f.file}:${f.line} ${f.scope}`)).toEqual(['src/a,b:100%.ts:1 Calendar.Event.Read', 'src/sync.ts:7 Calendar.Event.Read']);
  });

  it('sarif: valid SARIF 2.1.0, one rule per missing scope, an error with a physicalLocation per call site', async () => {
    const r = await scan(['--check', '--app', 'crm', '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as { version: string; runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(log.version).toBe('2.1.0');
    const [run] = log.runs;
    expect(run!.tool.driver.rules.map((x) => x.id)).toEqual(['Calendar.Event.Read']);
    expect(run!.results.map((x) => `${x.level} ${x.ruleId} ${x.locations[0]!.physicalLocation.artifactLocation.uri}:${x.locations[0]!.physicalLocation.region.startLine}`)).toEqual([
      'error Calendar.Event.Read src/a%2Cb%3A100%25.ts:1',
      'error Calendar.Event.Read src/sync.ts:7',
    ]);
  });

  it('a wrong secret: exit 3 with the reason, no secret printed', async () => {
    const r = await runCli(['scopes', 'scan', 'src', '--check', '--app', 'crm'], { cwd: ws.dir, env: ws.env({ CRM_SECRET: 'wrong-secret-0000', DINGTALK_API_BASE: fake.url }) });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('app crm could not be checked');
    expect(`${r.stdout}${r.stderr}`).not.toContain('wrong-secret-0000');
  });
});

describe('scopes scan --format sarif, offline', () => {
  it('every call site with the scope it needs, level note; valid against the SARIF 2.1.0 schema', async () => {
    const r = await runCli(['scopes', 'scan', '--format', 'sarif', 'test/fixtures/scan/js']);
    expect(r.code, r.stderr).toBe(0);
    const log = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const [run] = log.runs;
    expect(run!.results.every((x) => x.level === 'note')).toBe(true);
    const at = run!.results.map((x) => `${x.ruleId} ${x.locations[0]!.physicalLocation.artifactLocation.uri}:${x.locations[0]!.physicalLocation.region.startLine}`);
    expect(at).toContain('Contact.User.Read test/fixtures/scan/js/src/contact.ts:19');
    expect(at).toContain('qyapi_get_member test/fixtures/scan/js/src/legacy.js:3');
    expect(at).not.toContain('qyapi_get_member test/fixtures/scan/js/src/legacy.js:2'); // a URL in a comment is not a call
    expect(new Set(run!.tool.driver.rules.map((x) => x.id))).toEqual(new Set(run!.results.map((x) => x.ruleId)));
  });

  it('the schema rejects a broken log (the validation can fail)', () => {
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
  });
});

describe('scopes scan --check with dws on PATH', () => {
  it("reads the app's console through dws beside the probes: the same findings, dws asked, no secret passed to it", async () => {
    const dws = fakeDws({
      loggedIn: true,
      user: '张三',
      corp: '示例科技',
      apps: {
        dingcrmscan: {
          unifiedAppId: 'u-crm-scan',
          permissions: [
            { scopeValue: 'Contact.User.Read', scopeName: '通讯录个人信息读权限', authStatus: 'AUTHED', requiredApproval: false, allowedActions: ['view', 'detail', 'remove'] },
            { scopeValue: 'Calendar.Event.Read', scopeName: '日历应用中日程读权限', authStatus: 'UNAUTHED', requiredApproval: false, allowedActions: ['view', 'detail', 'apply'] },
          ],
        },
      },
    });
    try {
      const r = await runCli(['scopes', 'scan', 'src', '--check', '--app', 'crm', '--json'], { cwd: ws.dir, env: ws.env({ CRM_SECRET: SECRET, DINGTALK_API_BASE: fake.url, ...dws.env() }) });
      expect(r.code, r.stderr).toBe(1);
      const doc = JSON.parse(r.stdout) as { check: { missing: string[]; findings: Array<{ file: string; line: number }> } };
      expect(doc.check.missing).toEqual(['Calendar.Event.Read']);
      expect(doc.check.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/a,b:100%.ts:1', 'src/sync.ts:7']);
      expect(dws.commands().some((c) => c.includes('permission'))).toBe(true);
      expect(JSON.stringify(dws.calls())).not.toContain(SECRET);
    } finally {
      dws.remove();
    }
  });
});
