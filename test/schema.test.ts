/**
 * The published JSON Schemas (schema/*.json) against the REAL --json output of every command
 * of the built CLI (run `npm run build` first): diagnose over the examples, every `scopes`
 * subcommand, `scopes scan` over the fixtures, `check` and `diagnose --replay` against the
 * fake DingTalk on 127.0.0.1, and the library's explainError. Each output must be exactly one
 * JSON document with schemaVersion and command, and the schemas must reject drift.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { ROOT, runCli, type CliResult } from './helpers/run-cli.js';

const SCHEMAS = ['diagnose', 'check', 'scopes', 'scan'] as const;
type SchemaName = (typeof SCHEMAS)[number];

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validators = {} as Record<SchemaName, ValidateFunction>;
for (const name of SCHEMAS) {
  validators[name] = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', `${name}.json`), 'utf8')) as object);
}

const errorsOf = (v: ValidateFunction) => ajv.errorsText(v.errors, { separator: '\n' });

/** Exactly one JSON document with schemaVersion and command; returns it. */
function oneDocument(r: CliResult): Record<string, unknown> {
  const text = r.stdout.trim();
  expect(text.startsWith('{') && text.endsWith('}'), `stdout is one JSON object:\n${r.stdout.slice(0, 300)}\nstderr: ${r.stderr}`).toBe(true);
  const doc = JSON.parse(text) as Record<string, unknown>; // throws on two documents or trailing text
  expect(doc.schemaVersion).toBe(1);
  expect(typeof doc.command).toBe('string');
  return doc;
}

function expectValid(name: SchemaName, doc: unknown): void {
  const ok = validators[name](doc);
  expect(ok, `${name} schema:\n${errorsOf(validators[name])}`).toBe(true);
}

async function cliDoc(schema: SchemaName, args: string[], opts: Parameters<typeof runCli>[1] = {}, codes: number[] = [0, 1]) {
  const r = await runCli(args, opts);
  expect(codes, `exit ${r.code} of ${args.join(' ')}: ${r.stderr}`).toContain(r.code);
  const doc = oneDocument(r);
  expectValid(schema, doc);
  return doc;
}

describe('the schemas themselves', () => {
  it('compile under ajv strict mode (draft 2020-12) and carry $id and title', () => {
    for (const name of SCHEMAS) {
      const s = JSON.parse(readFileSync(join(ROOT, 'schema', `${name}.json`), 'utf8')) as Record<string, string>;
      expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s.$id).toBe(`https://unpkg.com/dingtalk-doctor/schema/${name}.json`);
      expect(s.title).toContain('dingtalk-doctor');
    }
  });
});

describe('diagnose --json', () => {
  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => !f.endsWith('.yml'));

  it.each(examples)('examples/%s', async (file) => {
    const doc = await cliDoc('diagnose', ['diagnose', '--json', `examples/${file}`], {}, [1]);
    expect(doc.command).toBe('diagnose');
    expect((doc.findings as unknown[]).length).toBeGreaterThan(0);
  });

  it('all examples at once, in Chinese, with an AppKey, app type and --api', async () => {
    const files = examples.map((f) => `examples/${f}`);
    const doc = await cliDoc('diagnose', ['diagnose', '--json', '--lang', 'zh', '--app-key', 'dingabc123', '--app-type', 'third-party-enterprise', '--api', 'POST /topapi/v2/user/get', ...files], {}, [1]);
    const causes = new Set((doc.findings as Array<{ cause: string }>).map((f) => f.cause));
    // The examples cover the causes that matter: the schema sees each shape.
    for (const c of ['missing-scope', 'ip-not-allowed', 'invalid-token', 'throttled', 'org-auth-level']) expect(causes).toContain(c);
  });

  it('nothing found (stdin): empty findings, exit 0', async () => {
    const doc = await cliDoc('diagnose', ['diagnose', '--json'], { input: 'INFO all good\n' }, [0]);
    expect(doc.findings).toEqual([]);
    expect(doc.inputs).toEqual(['-']);
  });
});

describe('scopes --json', () => {
  let config: string;
  beforeAll(() => {
    config = mkdtempSync(join(tmpdir(), 'dd-schema-learned-'));
  });
  afterAll(() => rmSync(config, { recursive: true, force: true }));

  const cases: Array<[string, string[]]> = [
    ['list', ['scopes', 'list']],
    ['list --kind special', ['scopes', 'list', '--kind', 'special']],
    ['list --product contact', ['scopes', 'list', '--product', 'contact']],
    ['search (en)', ['scopes', 'search', 'user', 'read']],
    ['search (zh)', ['scopes', 'search', '通讯录']],
    ['show', ['scopes', 'show', 'Contact.User.Read']],
    ['show (base scope)', ['scopes', 'show', 'qyapi_base']],
    ['show (sensitive, per app)', ['scopes', 'show', 'qyapi_manage_addresslist', '--app-key', 'dingabc', '--app-type', 'internal']],
    ['for METHOD /path', ['scopes', 'for', 'GET', '/v1.0/contact/users/0123']],
    ['for legacy URL', ['scopes', 'for', 'https://oapi.dingtalk.com/topapi/v2/user/get?access_token=x']],
    ['for SDK name', ['scopes', 'for', 'contact_1_0', 'getUser']],
    ['for ambiguous', ['scopes', 'for', '/v1.0/contact/users/{userId}']],
    ['stats', ['scopes', 'stats']],
  ];

  it.each(cases)('scopes %s', async (_label, args) => {
    const doc = await cliDoc('scopes', [...args, '--json']);
    expect(doc.command).toBe(`scopes ${args[1]}`);
  });

  it('scopes learned: empty, then after diagnose --learn', async () => {
    const env = { XDG_CONFIG_HOME: config };
    const empty = await cliDoc('scopes', ['scopes', 'learned', '--json'], { env }, [0]);
    expect(empty.entries).toEqual([]);
    await runCli(['diagnose', '--learn', 'examples/curl-v.txt', 'examples/browser.har'], { env });
    const filled = await cliDoc('scopes', ['scopes', 'learned', '--json'], { env }, [0]);
    expect((filled.entries as unknown[]).length).toBeGreaterThan(0);
  });

  it('the command key picks the right shape: a list document relabelled as show fails', async () => {
    const doc = await cliDoc('scopes', ['scopes', 'list', '--json']);
    expect(validators.scopes({ ...doc, command: 'scopes show' })).toBe(false);
    expect(validators.scopes({ ...doc, command: 'scopes nope' })).toBe(false);
  });
});

describe('scopes scan --json', () => {
  const dirs = readdirSync(join(ROOT, 'test', 'fixtures', 'scan'));
  it.each(dirs)('test/fixtures/scan/%s', async (dir) => {
    const doc = await cliDoc('scan', ['scopes', 'scan', '--json', `test/fixtures/scan/${dir}`]);
    expect(doc.command).toBe('scan');
    expect((doc.apis as unknown[]).length).toBeGreaterThan(0);
  });

  it('all fixtures at once (unknown APIs included when present)', async () => {
    await cliDoc('scan', ['scopes', 'scan', '--json', 'test/fixtures/scan']);
  });

  it('an empty directory', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dd-schema-empty-'));
    try {
      const doc = await cliDoc('scan', ['scopes', 'scan', '--json', empty]);
      expect(doc.apis).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('check --json and diagnose --replay --json (fake DingTalk on 127.0.0.1)', () => {
  let fake: FakeDingTalk;
  let ws: Workspace;
  const SECRET = 'crm-secret-schema-1';
  const CONFIG = `
defaultApp: crm
apps:
  crm:
    type: internal
    appKey: dingcrmkey
    appSecret: \${CRM_SECRET}
    required:
      - Contact.User.Read
      - Calendar.Event.Write
      - qyapi_base
      - Contact.User.mobile
      - qyapi_get_department_list
      - GET /v1.0/nothing/here/at/all
  isv:
    type: third-party-enterprise
    suiteKey: suiteisvkey
    suiteSecret: \${CRM_SECRET}
    authCorpId: dingcustomer01
    suiteTicket: wrong-ticket-123
    required: [Contact.User.Read]
`;

  beforeAll(async () => {
    fake = await startFakeDingTalk({
      apps: {
        crm: { type: 'internal', appKey: 'dingcrmkey', appSecret: SECRET, grants: ['Contact.User.Read'] },
        isv: { type: 'third-party-enterprise', suiteKey: 'suiteisvkey', suiteSecret: SECRET, authCorpId: 'dingcustomer01', suiteTicket: 'the-right-ticket', grants: [] },
      },
    });
    ws = workspace();
    ws.write('.dingtalkrc.yml', CONFIG);
  });
  afterAll(async () => {
    await fake?.close();
    ws?.remove();
  });

  const run = (_args: string[]) => ({ cwd: ws.dir, env: ws.env({ CRM_SECRET: SECRET }) });

  it('check: granted, missing (with steps and link), unverifiable, base and an unmapped API', async () => {
    const doc = await cliDoc('check', ['check', '--base-url', fake.url, '--json'], run([]), [1]);
    const statuses = new Set((doc.apps as Array<{ results: Array<{ status: string }> }>)[0]!.results.map((r) => r.status));
    expect([...statuses].sort()).toEqual(['granted', 'missing', 'unverifiable']);
    expect((doc.apps as Array<{ unmappedApis: unknown[] }>)[0]!.unmappedApis).toHaveLength(1);
  });

  it('check --all-apps: an app whose token is refused carries an error', async () => {
    const doc = await cliDoc('check', ['check', '--all-apps', '--base-url', fake.url, '--json'], run([]), [1, 3]);
    const isv = (doc.apps as Array<{ name: string; error?: { cause: string } }>).find((a) => a.name === 'isv')!;
    expect(isv.error?.cause).toBeTruthy();
  });

  it('check with the server gone: every app errors, still one valid document', async () => {
    const gone = await startFakeDingTalk({ apps: {} });
    const url = gone.url;
    await gone.close();
    const doc = await cliDoc('check', ['check', '--base-url', url, '--json', '--timeout', '2000'], run([]), [3]);
    expect((doc.apps as Array<{ error?: { cause: string } }>)[0]!.error?.cause).toBe('token-failed');
  });

  it('diagnose --replay: the diagnose document plus the replay block', async () => {
    const doc = await cliDoc('diagnose', ['diagnose', '--replay', '--base-url', fake.url, '--json', 'GET', 'https://api.dingtalk.com/v1.0/calendar/users/u1/calendars/primary/events?access_token=old-token-1234'], run([]), [1]);
    expect(doc.replay).toMatchObject({ app: 'crm', method: 'GET', status: 403, removedTokens: ['query access_token'] });
    expect(JSON.stringify(doc)).not.toContain('old-token-1234');
    expect((doc.summary as { missingScopes: string[] }).missingScopes).toEqual(['Calendar.Event.Read']);
  });
});

describe('the library returns documents of the diagnose schema', () => {
  it('explainError over every example file', async () => {
    const lib = (await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)) as typeof import('../src/index.js');
    for (const file of readdirSync(join(ROOT, 'examples')).filter((f) => !f.endsWith('.yml'))) {
      const doc = lib.explainError(readFileSync(join(ROOT, 'examples', file), 'utf8'), { source: file, appKey: 'dingabc' });
      expectValid('diagnose', doc);
      expect(doc.findings.length, file).toBeGreaterThan(0);
    }
  });
});

describe('the schemas fail on drift', () => {
  let doc: Record<string, unknown>;
  beforeAll(async () => {
    doc = JSON.parse((await runCli(['diagnose', '--json', 'examples/app.log'])).stdout) as Record<string, unknown>;
  });
  const finding = () => structuredClone((doc.findings as Array<Record<string, unknown>>)[0]!);
  const withFinding = (f: Record<string, unknown>) => ({ ...doc, findings: [f] });

  it('the real document is valid', () => expectValid('diagnose', doc));
  it('an unknown key in a finding', () => expect(validators.diagnose(withFinding({ ...finding(), extra: 1 }))).toBe(false));
  it('a missing key in a finding', () => {
    const f = finding();
    delete f.consoleUrl;
    expect(validators.diagnose(withFinding(f))).toBe(false);
  });
  it('an unknown cause', () => expect(validators.diagnose(withFinding({ ...finding(), cause: 'missing-permission' }))).toBe(false));
  it('a renamed top-level key', () => {
    const { summary, ...rest } = doc;
    expect(validators.diagnose({ ...rest, result: summary })).toBe(false);
  });
  it('another schemaVersion', () => expect(validators.diagnose({ ...doc, schemaVersion: 2 })).toBe(false));
  it('a wrong type (count as a string)', () => expect(validators.diagnose(withFinding({ ...finding(), count: '1' }))).toBe(false));
});
