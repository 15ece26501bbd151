/**
 * `scopes scan` end to end on the built CLI (`npm run build` first): fixture repos per language,
 * walker rules on temp trees (node_modules, symlinks, .gitignore), --write-config round trips.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';
import { tempDirs } from './helpers/temp-dirs.js';

const FIXTURES = join(ROOT, 'test/fixtures/scan');
const temp = tempDirs('dd-scan-');

interface ScanDoc {
  schemaVersion: number;
  command: string;
  apis: Array<{ method: string | null; path: string; scope: string | null; scopes: Array<{ code: string; kind: string }>; kind: string; locations: Array<{ file: string; line: number; comment?: boolean; ambiguous?: boolean }> }>;
  unknownApis?: Array<{ method: string | null; host: string; path: string; locations: Array<{ file: string; line: number }> }>;
  summary: { files: number; apis: number; scopes: string[] };
}

async function scanJson(args: string[], cwd: string) {
  const r = await runCli(['scopes', 'scan', '--json', ...args], { cwd });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as ScanDoc;
  return {
    doc,
    apis: doc.apis.map(
      (a) => `${a.method} ${a.path} ${a.scope ?? '-'}/${a.kind} ${a.locations.map((l) => `${l.file}:${l.line}${l.comment ? '#' : ''}${l.ambiguous ? '?' : ''}`).join(' ')}`,
    ),
  };
}

describe('scopes scan on fixture repos', () => {
  it('JS/TS: SDK calls, URLs, legacy oapi, comment URL, .gitignore, unrelated /v1.0/ paths', async () => {
    const { doc, apis } = await scanJson([], join(FIXTURES, 'js'));
    expect(doc.schemaVersion).toBe(1);
    expect(doc.command).toBe('scan');
    expect(apis).toEqual([
      'POST /topapi/v2/user/get qyapi_get_member/unknown src/legacy.js:2# src/legacy.js:3',
      'GET /v1.0/calendar/users/{userId}/calendars/{calendarId}/events Calendar.Event.Read/unknown src/legacy.js:5',
      'GET /v1.0/contact/users/{unionId} Contact.User.Read/unknown src/contact.ts:15 src/contact.ts:19',
      'POST /v1.0/oauth2/accessToken qyapi_base/standard src/contact.ts:10',
      // In the catalog, no scope: listed after the others.
      'null /user/get -/unknown src/legacy.js:4',
    ]);
    expect(doc.unknownApis).toEqual([
      { method: 'GET', host: 'api.dingtalk.com', path: '/v1.0/contact/noSuchThing/{}', locations: [{ file: 'src/legacy.js', line: 6 }] },
    ]);
    // generated/ is .gitignore'd; router.ts is read but matches nothing.
    expect(doc.summary).toEqual({
      files: 3,
      apis: 5,
      apisWithoutScope: 1,
      unknownApis: 1,
      scopes: ['Calendar.Event.Read', 'Contact.User.Read', 'qyapi_base', 'qyapi_get_member'],
      skipped: { ignored: 1, binary: 0, large: 0, symlinks: 0, unreadable: 0 },
    });
  });

  it('Java: SDK client, String.format URL, concatenated path, block comment', async () => {
    const { apis } = await scanJson([], join(FIXTURES, 'java'));
    const f = 'src/main/java/demo/ContactService.java';
    expect(apis).toEqual([
      `POST /topapi/v2/user/get qyapi_get_member/unknown ${f}:21`,
      `GET /v1.0/calendar/users/{userId}/calendars/{calendarId}/events Calendar.Event.Read/unknown ${f}:24# ${f}:26?`,
      `POST /v1.0/calendar/users/{userId}/calendars/{calendarId}/events Calendar.Event.Write/unknown ${f}:26?`,
      `GET /v1.0/contact/users/{unionId} Contact.User.Read/unknown ${f}:17`,
    ]);
  });

  it('Python: snake_case and _async SDK methods, f-strings, % formatting', async () => {
    const { apis, doc } = await scanJson(['app'], join(FIXTURES, 'python'));
    expect(apis).toEqual([
      'POST /robot/send qyapi_base/standard app/contact.py:24',
      'GET /v1.0/calendar/users/{userId}/calendars/{calendarId}/events Calendar.Event.Read/unknown app/contact.py:18# app/contact.py:19?',
      'POST /v1.0/calendar/users/{userId}/calendars/{calendarId}/events Calendar.Event.Write/unknown app/contact.py:19?',
      'GET /v1.0/contact/users/{unionId} Contact.User.Read/unknown app/contact.py:10 app/contact.py:14',
    ]);
    expect(doc.summary.scopes).toEqual(['Calendar.Event.Read', 'Calendar.Event.Write', 'Contact.User.Read', 'qyapi_base']);
  });

  it('Go: clients bound per module, Sprintf URL, an API with no known scope', async () => {
    const { apis } = await scanJson([], join(FIXTURES, 'go'));
    expect(apis).toEqual([
      'GET /chat/get qyapi_chat_read/unknown main.go:30',
      'GET /v1.0/contact/users/{unionId} Contact.User.Read/unknown main.go:19',
      'POST /v1.0/im/interactiveCards/send -/unknown main.go:25',
    ]);
  });

  it('PHP: `use …\\Vcontact_1_0\\Dingtalk as Alias`, clients bound to $this->prop, a call in a comment', async () => {
    const { apis } = await scanJson([], join(FIXTURES, 'php'));
    const f = 'src/Directory.php';
    expect(apis).toEqual([
      `POST /v1.0/calendar/users/{userId}/calendars/{calendarId}/events Calendar.Event.Write/unknown ${f}:38`,
      `GET /v1.0/contact/users/{unionId} Contact.User.Read/unknown ${f}:31# ${f}:32`,
    ]);
  });

  it('several dirs at once, paths relative to the cwd', async () => {
    const { doc } = await scanJson(['go', 'java'], FIXTURES);
    expect(doc.summary.files).toBe(2);
    expect(doc.apis.find((a) => a.path === '/chat/get')?.locations).toEqual([{ file: 'go/main.go', line: 30 }]);
  });

  it('text output lists scopes with kind and names, no-scope APIs apart', async () => {
    const r = await runCli(['scopes', 'scan', '--no-color'], { cwd: join(FIXTURES, 'go') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Scanned 1 file: 3 DingTalk APIs, 2 scopes.');
    expect(r.stdout).toMatch(/APIs with no known scope[\s\S]*POST\s+\/v1\.0\/im\/interactiveCards\/send[\s\S]*main\.go:25/);
    expect(r.stdout).toMatch(/scope Contact\.User\.Read \(unknown\)\s+Read permission for contact profiles \/ 通讯录个人信息读权限/);
    expect(r.stdout).toMatch(/Scopes to request \(2\)\n\s+Contact\.User\.Read\s+unknown\s+Read permission for contact profiles/);
  });

  it('base scopes are listed as granted by default, not as scopes to request', async () => {
    const r = await runCli(['scopes', 'scan', '--no-color'], { cwd: join(FIXTURES, 'js') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Scanned 3 files: 5 DingTalk APIs, 4 scopes.');
    expect(r.stdout).toMatch(/Scopes to request \(3\)\n\s+Calendar\.Event\.Read[^\n]*\n\s+Contact\.User\.Read[^\n]*\n\s+qyapi_get_member[^\n]*\n\n/);
    expect(r.stdout).toContain('Granted by default, nothing to request: qyapi_base');
    const md = await runCli(['scopes', 'scan', '--format', 'markdown'], { cwd: join(FIXTURES, 'js') });
    expect(md.stdout).toContain('Scopes to request: `Calendar.Event.Read`, `Contact.User.Read`, `qyapi_get_member`\n\nGranted by default, nothing to request: `qyapi_base`');
    const gh = await runCli(['scopes', 'scan', '--format', 'github'], { cwd: join(FIXTURES, 'js') });
    expect(gh.stdout.trimEnd().split('\n').at(-1)).toBe('Scopes to request: Calendar.Event.Read, Contact.User.Read, qyapi_get_member (granted by default: qyapi_base)');
  });

  it('markdown table', async () => {
    const r = await runCli(['scopes', 'scan', '--format', 'markdown'], { cwd: join(FIXTURES, 'go') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| `GET /v1.0/contact/users/{unionId}` | `Contact.User.Read` | unknown | Read permission for contact profiles / 通讯录个人信息读权限 | `main.go:19` |');
  });

  it('GitHub annotations', async () => {
    const r = await runCli(['scopes', 'scan', '--format', 'github'], { cwd: join(FIXTURES, 'go') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('::notice file=main.go,line=19::DingTalk API GET /v1.0/contact/users/{unionId} needs Contact.User.Read\n');
  });

  it('a missing dir is exit 2 with one line', async () => {
    const r = await runCli(['scopes', 'scan', 'no/such/dir'], { cwd: FIXTURES });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no such directory: no/such/dir');
  });
});

describe('walker rules', () => {
  const dingtalkFile = "export const u = (id) => fetch(`https://api.dingtalk.com/v1.0/contact/users/${id}`);\n";

  it('skips node_modules, dist, vendor, .gitignore entries, binaries; never follows symlinks out of the tree', async () => {
    const outside = temp();
    writeFileSync(join(outside, 'secret.ts'), dingtalkFile);
    const root = temp();
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/ok.ts'), dingtalkFile);
    for (const dir of ['node_modules/@alicloud/dingtalk', 'dist', 'vendor/x', 'ignored']) {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, 'a.js'), dingtalkFile);
    }
    writeFileSync(join(root, '.gitignore'), 'ignored/\n*.gen.ts\n');
    writeFileSync(join(root, 'src/client.gen.ts'), dingtalkFile);
    writeFileSync(join(root, 'src/blob.js'), Buffer.concat([Buffer.from(dingtalkFile), Buffer.from([0, 1, 2])]));
    writeFileSync(join(root, 'src/huge.js'), dingtalkFile + '//'.padEnd(2 * 1024 * 1024, 'x'));
    writeFileSync(join(root, 'src/notes.md'), dingtalkFile);
    symlinkSync(outside, join(root, 'src/linked-dir'));
    symlinkSync(join(outside, 'secret.ts'), join(root, 'src/linked-file.ts'));
    const { doc } = await scanJson([], root);
    expect(doc.apis.map((a) => a.locations)).toEqual([[{ file: 'src/ok.ts', line: 1 }]]);
    expect(doc.summary.files).toBe(1);
    // ignored/ and src/client.gen.ts; dist, vendor and node_modules are skipped by name, uncounted.
    expect(doc.summary).toMatchObject({ skipped: { ignored: 2, binary: 1, large: 1, symlinks: 2, unreadable: 0 } });
  });

  it('a nested .gitignore can re-include a file', async () => {
    const root = temp();
    mkdirSync(join(root, 'a'));
    writeFileSync(join(root, '.gitignore'), '*.ts\n');
    writeFileSync(join(root, 'a/.gitignore'), '!keep.ts\n');
    writeFileSync(join(root, 'a/keep.ts'), dingtalkFile);
    writeFileSync(join(root, 'a/drop.ts'), dingtalkFile);
    const { doc } = await scanJson([], root);
    expect(doc.apis[0]?.locations).toEqual([{ file: 'a/keep.ts', line: 1 }]);
  });
});

describe('--write-config', () => {
  const repo = () => {
    const dir = temp();
    cpSync(join(FIXTURES, 'go'), dir, { recursive: true });
    return dir;
  };

  it('JSON: merges into apps.<app>.required, shows the diff, keeps the rest, is idempotent', async () => {
    const dir = repo();
    const config = { defaultApp: 'crm', apps: { crm: { type: 'internal', appKey: 'k', appSecret: '${SECRET}', required: ['Contact.User.Read', 'GET /v1.0/x'] }, hr: { type: 'internal', required: [] } } };
    writeFileSync(join(dir, '.dingtalkrc.json'), `${JSON.stringify(config, null, 4)}\n`);
    const r = await runCli(['scopes', 'scan', '--write-config', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.scopes).toEqual(['Contact.User.Read', 'qyapi_chat_read']);
    expect(r.stderr).toContain('apps.crm.required\n  Contact.User.Read\n  GET /v1.0/x\n+ qyapi_chat_read\n');
    const written = readFileSync(join(dir, '.dingtalkrc.json'), 'utf8');
    expect(JSON.parse(written)).toEqual({ ...config, apps: { ...config.apps, crm: { ...config.apps.crm, required: ['Contact.User.Read', 'GET /v1.0/x', 'qyapi_chat_read'] } } });
    expect(written).toMatch(/^ {4}"defaultApp"/m); // indent kept
    const again = await runCli(['scopes', 'scan', '--write-config', '-q'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already complete, nothing to write');
    expect(readFileSync(join(dir, '.dingtalkrc.json'), 'utf8')).toBe(written);
  });

  it('YAML: keeps comments, writes the chosen --app, found upward from a subdirectory', async () => {
    const dir = repo();
    const yaml = '# my apps\napps:\n  crm:\n    type: internal # the CRM\n    required:\n      - qyapi_chat_read\n  hr:\n    type: internal\n';
    writeFileSync(join(dir, '.dingtalkrc.yaml'), yaml);
    mkdirSync(join(dir, 'sub'));
    cpSync(join(dir, 'main.go'), join(dir, 'sub/main.go'));
    const r = await runCli(['scopes', 'scan', '.', '--write-config', '--app', 'hr', '-q'], { cwd: join(dir, 'sub') });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('apps.hr.required\n+ Contact.User.Read\n+ qyapi_chat_read');
    const written = readFileSync(join(dir, '.dingtalkrc.yaml'), 'utf8');
    expect(written).toBe(`${yaml}    required:\n      - Contact.User.Read\n      - qyapi_chat_read\n`);
    const r2 = await runCli(['scopes', 'scan', '--write-config', '--app', 'crm', '--config', '.dingtalkrc.yaml', '-q'], { cwd: dir });
    expect(r2.code).toBe(0);
    expect(readFileSync(join(dir, '.dingtalkrc.yaml'), 'utf8')).toContain('    type: internal # the CRM\n    required:\n      - qyapi_chat_read\n      - Contact.User.Read\n');
  });

  it('base scopes are not written (granted by default), and the diff says so', async () => {
    const dir = temp();
    cpSync(join(FIXTURES, 'python'), dir, { recursive: true });
    writeFileSync(join(dir, '.dingtalkrc.yaml'), 'apps:\n  bot:\n    type: internal\n');
    const r = await runCli(['scopes', 'scan', '--write-config', '-q'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('apps.bot.required\n+ Calendar.Event.Read\n+ Calendar.Event.Write\n+ Contact.User.Read\n');
    expect(r.stderr).toContain('not written, granted by default: qyapi_base');
    expect(readFileSync(join(dir, '.dingtalkrc.yaml'), 'utf8')).toBe(
      'apps:\n  bot:\n    type: internal\n    required:\n      - Calendar.Event.Read\n      - Calendar.Event.Write\n      - Contact.User.Read\n',
    );
  });

  it('no config file → exit 2 with a hint; unknown app → exit 2 listing apps; JS config → exit 2 with the lines to add', async () => {
    const dir = repo();
    const none = await runCli(['scopes', 'scan', '--write-config'], { cwd: dir, env: { HOME: dir } });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe(''); // checked before the scan
    expect(none.stderr).toContain('no config file found');
    expect(none.stderr).toContain('.dingtalkrc.example');

    writeFileSync(join(dir, '.dingtalkrc.yml'), 'apps:\n  crm:\n    type: internal\n');
    const unknown = await runCli(['scopes', 'scan', '--write-config', '--app', 'nope'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('configured apps: crm');
    rmSync(join(dir, '.dingtalkrc.yml'));

    writeFileSync(join(dir, 'dingtalk.config.js'), 'export default { apps: {} };\n');
    // The search skips JS configs (they run code), and says so; named with --config, it is the one to write to.
    const searched = await runCli(['scopes', 'scan', '--write-config', '--app', 'crm'], { cwd: dir });
    expect(searched.code).toBe(2);
    expect(searched.stderr).toContain('warning: ignored dingtalk.config.js: JavaScript configs run code; pass --config to use it');
    const js = await runCli(['scopes', 'scan', '--write-config', '--app', 'crm', '--config', 'dingtalk.config.js'], { cwd: dir });
    expect(js.code).toBe(2);
    expect(js.stderr).toContain("can't rewrite a JS config");
    expect(js.stderr).toContain("'Contact.User.Read', 'qyapi_chat_read',");
    expect(readFileSync(join(dir, 'dingtalk.config.js'), 'utf8')).toBe('export default { apps: {} };\n');
  });
});

describe('scopes scan --format markdown escapes what comes from the tree', () => {
  it('a file name with | and ` stays inside its table cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-scan-md-'));
    try {
      writeFileSync(join(dir, 'we|ird`name.js'), "// dingtalk client\nfetch('https://api.dingtalk.com/v1.0/contact/users/me');\n");
      const r = await runCli(['scopes', 'scan', '--format', 'markdown'], { cwd: dir });
      expect(r.code).toBe(0);
      const row = r.stdout.split('\n').find((l) => l.includes('we'))!;
      expect(row).toContain('we\\|ird`name.js:2');
      expect(row).toMatch(/`` we\\\|ird`name\.js:2 ``/);
      // the row still has exactly the table's 5 cells
      expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
