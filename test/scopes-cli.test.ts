// `scopes` subcommands through the built CLI (run `npm run build` first).
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

const xdg = mkdtempSync(join(tmpdir(), 'dd-scopes-'));
afterAll(() => rmSync(xdg, { recursive: true, force: true }));
const env = { XDG_CONFIG_HOME: xdg };
const scopes = (...args: string[]) => runCli(['scopes', ...args], { env });
const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>;

/** Bad input: exit 2, exactly one line on stderr, nothing on stdout, no stack trace. */
function expectUsageError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('scopes list', () => {
  it('filters by kind, as JSON', async () => {
    const r = await scopes('list', '--kind', 'special', '--json');
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'scopes list', count: 5 });
    expect(doc.scopes.map((s: { code: string }) => s.code)).toEqual(['Document.AIAssistant.Read', 'Notable.Base.Read', 'Notable.Base.Write', 'qyapi_manage_addresslist', 'qyapi_recruitment_plugin']);
  });

  it('prints a markdown table by product', async () => {
    const r = await scopes('list', '--product', 'contact', '--format', 'markdown');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\| scope \| kind \| flags \| apis \| probe \| name \|\n\| --- /);
    expect(r.stdout).toContain('| Contact.User.Read | unknown |');
  });

  it('unknown product: exit 2 with close products', async () => {
    expectUsageError(await scopes('list', '--product', 'contcat'), /no scope belongs to product "contcat" — try: .*contact/);
  });
});

describe('scopes search', () => {
  it('ranks the exact scope first', async () => {
    const r = await scopes('search', 'contact', 'user', 'read', '--json');
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc.command).toBe('scopes search');
    expect(doc.results[0]).toMatchObject({ rank: 1, code: 'Contact.User.Read', why: 'code: contact, user, read; phrase: contact user read' });
  });

  it('finds by Chinese name in a text table', async () => {
    const r = await scopes('search', '多维表');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toMatch(/^1\s+Notable\.Base\./);
  });

  it('nothing found: exit 2 with a hint', async () => {
    expectUsageError(await scopes('search', 'xyzzyqq'), /no scope matches "xyzzyqq" — try fewer or shorter words/);
  });
});

describe('scopes show', () => {
  it('shows names, steps per app type, APIs and links', async () => {
    const r = await scopes('show', 'contact.user.read');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Contact.User.Read');
    expect(r.stdout).toContain('通讯录个人信息读权限 / Read permission for contact profiles');
    expect(r.stdout).toContain('How to get it — internal app:');
    expect(r.stdout).toContain('How to get it — third-party enterprise app:');
    expect(r.stdout).toContain('GET /v1.0/contact/users/{unionId}');
    expect(r.stdout).toContain('docs: https://open.dingtalk.com/document/development/dingtalk-retrieve-user-information');
  });

  it('base scope: nothing to request; sensitive scope: its own procedure', async () => {
    const base = json((await scopes('show', 'qyapi_base', '--json')).stdout);
    expect(base.scope).toMatchObject({ code: 'qyapi_base', base: true });
    expect(base.steps[0].steps[0]).toMatch(/nothing to request/);
    const sensitive = json((await scopes('show', 'qyapi_manage_addresslist', '--json', '--app-type', 'internal')).stdout);
    expect(sensitive.scope).toMatchObject({ sensitive: true, kind: 'special' });
    expect(sensitive.steps).toHaveLength(1);
    expect(sensitive.steps[0].steps.join(' ')).toMatch(/DingTalk support/);
    expect(sensitive.links.docs).toContain('https://open.dingtalk.com/document/development/use-sensitive-permissions');
  });

  it('with an app key: the direct apply link', async () => {
    const doc = json((await scopes('show', 'Calendar.Event.Write', '--app-key', 'dingabc', '--json')).stdout);
    expect(doc.links.console).toBe('https://open-dev.dingtalk.com/appscope/apply?content=dingabc%23Calendar.Event.Write');
  });

  it('unknown scope: exit 2 with close matches', async () => {
    expectUsageError(await scopes('show', 'Contact.User.Reed'), /unknown scope "Contact\.User\.Reed" — did you mean: Contact\.User\.Read/);
  });
});

describe('scopes for', () => {
  it('METHOD /path with a real id', async () => {
    const r = await scopes('for', 'GET', '/v1.0/contact/users/0123', '--json');
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'scopes for', ambiguous: false });
    expect(doc.matches).toHaveLength(1);
    expect(doc.matches[0]).toMatchObject({ path: '/v1.0/contact/users/{unionId}', scopes: ['Contact.User.Read'] });
    expect(doc.matches[0].scopeInfo[0]).toMatchObject({ code: 'Contact.User.Read', via: 'catalog' });
  });

  it('a method the path does not have: answers for the known one, and says so', async () => {
    const r = await scopes('for', 'POST', '/v1.0/contact/users/0123');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Note: the catalog knows this path only as GET, not POST.');
    expect(r.stdout).toContain('Contact.User.Read');
  });

  it('a legacy oapi URL with a query string', async () => {
    const r = await scopes('for', 'https://oapi.dingtalk.com/topapi/v2/user/get?access_token=abc');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('POST oapi /topapi/v2/user/get');
    expect(r.stdout).toContain('qyapi_get_member');
  });

  it('an SDK name', async () => {
    const doc = json((await scopes('for', 'contact_1_0', 'getUserWithOptions', '--json')).stdout);
    expect(doc.matches.map((m: { id: string }) => m.id)).toEqual(['contact_1.0/GetUser']);
  });

  it('ambiguous: lists the candidates', async () => {
    const r = await scopes('for', '/v1.0/calendar/users/u1/calendars/primary/events');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 APIs match and need different scopes/);
    expect(r.stdout).toContain('Calendar.Event.Read');
    expect(r.stdout).toContain('Calendar.Event.Write');
  });

  it('ambiguous SDK method: asks for the module, not for an HTTP method', async () => {
    const r = await scopes('for', 'GetUser');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^3 APIs match and need different scopes; name the SDK module, e\.g\. "contact_1_0 getUser":/);
    const zh = await scopes('for', 'GetUser', '--lang', 'zh');
    expect(zh.stdout).toMatch(/^匹配到 3 个接口，所需权限不同；请写上 SDK 模块，例如 "contact_1_0 getUser"：/);
  });

  it('known API without a documented scope: says so, exit 0', async () => {
    const r = await scopes('for', 'GET', '/v1.0/edu/schools/classes/courses');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The catalog has no documented scope for this API');
  });

  it('uses learned pairs, labelled observed', async () => {
    mkdirSync(join(xdg, 'dingtalk-doctor'), { recursive: true });
    const entries = [{ method: 'GET', path: '/v1.0/edu/schools/classes/courses', scopes: ['Edu.Course.Read'], seenAt: '2026-01-01T00:00:00Z' }];
    writeFileSync(join(xdg, 'dingtalk-doctor', 'learned.json'), JSON.stringify({ version: 1, entries }));
    try {
      const doc = json((await scopes('for', 'GET', '/v1.0/edu/schools/classes/courses', '--json')).stdout);
      expect(doc.matches[0].scopeInfo).toEqual([expect.objectContaining({ code: 'Edu.Course.Read', via: 'observed' })]);
      const learned = json((await scopes('learned', '--json')).stdout);
      expect(learned).toMatchObject({ command: 'scopes learned', entries: [{ path: '/v1.0/edu/schools/classes/courses', inCatalog: 'no-scope' }] });
    } finally {
      rmSync(join(xdg, 'dingtalk-doctor'), { recursive: true, force: true });
    }
  });

  it('nothing matched / unreadable target: exit 2 with a hint', async () => {
    expectUsageError(await scopes('for', 'POST', '/v1.0/nope/nothing'), /no DingTalk API in the catalog matches "POST \/v1\.0\/nope\/nothing" — check the path/);
    expectUsageError(await scopes('for', 'hello', 'world', 'there'), /cannot read "hello world there" as an API/);
    expectUsageError(await scopes('for', 'contact_1_0', 'noSuchThing'), /no DingTalk API .* — check the SDK module and method/);
  });
});

describe('scopes stats and learned', () => {
  it('stats prints the coverage report', async () => {
    const doc = json((await scopes('stats', '--json')).stdout);
    expect(doc.command).toBe('scopes stats');
    expect(doc.coverage.documentedApis).toEqual({ inCatalog: 1361, total: 1361 });
    expect(doc.coverage.sdkOperations.total).toBeGreaterThan(2700);
    const text = await scopes('stats');
    expect(text.stdout).toMatch(/documented APIs in catalog\s+1361\/1361/);
  });

  it('learned with no file says so; a damaged file is exit 2', async () => {
    const r = await scopes('learned');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Nothing learned yet/);
    mkdirSync(join(xdg, 'dingtalk-doctor'), { recursive: true });
    writeFileSync(join(xdg, 'dingtalk-doctor', 'learned.json'), '{not json');
    try {
      expectUsageError(await scopes('learned'), /learned file .* is not valid JSON/);
    } finally {
      rmSync(join(xdg, 'dingtalk-doctor'), { recursive: true, force: true });
    }
  });

  it('every subcommand has --help with examples', async () => {
    for (const sub of ['list', 'search', 'show', 'for', 'stats', 'learned']) {
      const r = await scopes(sub, '--help');
      expect(r.code, sub).toBe(0);
      expect(r.stdout, sub).toContain('Examples:');
    }
  });
});
