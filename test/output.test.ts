/**
 * How the CLI decides colour, spinner and language (src/render/output.ts resolveOutput), and
 * the same rules seen from outside: the built CLI run under pipes and under a real
 * pseudo-terminal (util-linux `script`), with and without CI / FORCE_COLOR / NO_COLOR.
 * Build first (`npm run build`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { langFromEnv, printable, resolveOutput, type GlobalFlags, type Terminal } from '../src/render/output.js';
import { loadColour, styler } from '../src/render/style.js';
import { renderDiagnoseGithub, renderDiagnoseMarkdown } from '../src/render/diagnose.js';
import { renderCheckGithub, renderCheckMarkdown } from '../src/render/check.js';
import type { DiagnoseResult } from '../src/core/diagnose.js';
import type { AppCheck } from '../src/core/check.js';
import type { Finding } from '../src/core/types.js';
import { mkdirSync, readFileSync } from 'node:fs';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { BIN, ROOT, runCli } from './helpers/run-cli.js';

const ANSI = /\u001b\[/;

const term = (env: Record<string, string | undefined> = {}, tty = true, errTty = tty): Terminal => ({ env, stdoutIsTTY: tty, stderrIsTTY: errTty });
const resolve = (flags: GlobalFlags, t: Terminal) => resolveOutput(flags, t);

describe('resolveOutput: supports-color conventions', () => {
  it('FORCE_COLOR=0 / false forbid colour on a TTY; TERM=dumb has none unless FORCE_COLOR forces it', () => {
    expect(resolve({}, term({})).color).toBe(true);
    expect(resolve({}, term({ FORCE_COLOR: '0' })).color).toBe(false);
    expect(resolve({}, term({ FORCE_COLOR: 'false' })).color).toBe(false);
    expect(resolve({}, term({ TERM: 'dumb' })).color).toBe(false);
    expect(resolve({}, term({ TERM: 'dumb', FORCE_COLOR: '1' })).color).toBe(true);
    expect(resolve({}, term({ FORCE_COLOR: '' }, false)).color).toBe(true);
  });
});

describe('resolveOutput: CI', () => {
  it('CI set: no spinner and no colour even on a TTY', () => {
    const o = resolve({}, term({ CI: 'true' }));
    expect(o).toMatchObject({ ci: true, color: false, spinner: false, format: 'text' });
  });

  it('CI=1 and CI=yes count too; CI=false, CI=0 and CI= do not', () => {
    for (const v of ['1', 'yes', 'TRUE']) expect(resolve({}, term({ CI: v })).ci).toBe(true);
    for (const v of ['false', '0', '']) {
      const o = resolve({}, term({ CI: v }));
      expect(o).toMatchObject({ ci: false, color: true, spinner: true });
    }
  });

  it('CI with FORCE_COLOR: colour back on (even on a pipe), still no spinner', () => {
    expect(resolve({}, term({ CI: 'true', FORCE_COLOR: '1' }))).toMatchObject({ color: true, spinner: false });
    expect(resolve({}, term({ CI: 'true', FORCE_COLOR: '1' }, false))).toMatchObject({ color: true, spinner: false });
    expect(resolve({}, term({ CI: 'true', FORCE_COLOR: '0' }))).toMatchObject({ color: false });
  });
});

describe('resolveOutput: colour', () => {
  it('a TTY gets colour, a pipe does not', () => {
    expect(resolve({}, term({}, true)).color).toBe(true);
    expect(resolve({}, term({}, false)).color).toBe(false);
  });

  it('NO_COLOR (non-empty) turns colour off and beats FORCE_COLOR; an empty NO_COLOR is ignored', () => {
    expect(resolve({}, term({ NO_COLOR: '1' })).color).toBe(false);
    expect(resolve({}, term({ NO_COLOR: '1', FORCE_COLOR: '1' })).color).toBe(false);
    expect(resolve({}, term({ NO_COLOR: '' })).color).toBe(true);
  });

  it('--no-color turns colour off, even with FORCE_COLOR', () => {
    expect(resolve({ color: false }, term({})).color).toBe(false);
    expect(resolve({ color: false }, term({ FORCE_COLOR: '1' })).color).toBe(false);
  });

  it('JSON is never coloured and never spins (--json or --format json)', () => {
    for (const flags of [{ json: true }, { format: 'json' }] as GlobalFlags[]) {
      expect(resolve(flags, term({ FORCE_COLOR: '3' }))).toMatchObject({ format: 'json', color: false, spinner: false });
    }
  });

  it('styler: plain text when off, ANSI when on (once through the sink)', async () => {
    expect(styler(false).red('x')).toBe('x');
    expect(styler(false).bold('a', 'b')).toBe('a b'); // as chalk joins its arguments
    // chalk loads only for a run with colour (commands/shared.ts's action does this)
    await loadColour();
    // Our codes travel as a mark that only the sink turns into ESC …
    expect(styler(true).red('x')).not.toMatch(ANSI);
    expect(printable(styler(true).red('x'))).toBe('\u001b[31mx\u001b[39m');
    expect(printable(styler(true).bold(`a ${styler(true).cyan('b')}`))).toBe('\u001b[1ma \u001b[36mb\u001b[39m\u001b[22m');
    // … so an ESC that came with the text is shown escaped, inside our colours too.
    expect(printable(styler(true).red('a\u001b[2Jb'))).toBe('\u001b[31ma\\x1b[2Jb\u001b[39m');
  });
});

describe('resolveOutput: spinner', () => {
  it('only for text on a TTY stderr, not quiet, not CI', () => {
    expect(resolve({}, term({})).spinner).toBe(true);
    expect(resolve({}, term({}, true, false)).spinner).toBe(false);
    expect(resolve({ quiet: true }, term({})).spinner).toBe(false);
    expect(resolve({ format: 'github' }, term({})).spinner).toBe(false);
    expect(resolve({ format: 'markdown' }, term({})).spinner).toBe(false);
    // stdout piped, stderr a TTY (`check | tee`): the spinner still helps the person watching.
    expect(resolve({}, term({}, false, true))).toMatchObject({ spinner: true, color: false });
  });
});

describe('resolveOutput: language', () => {
  it('from LC_ALL, then LC_MESSAGES, then LANG; zh variants → zh, anything else → en', () => {
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(langFromEnv({ LANG: 'zh_TW.UTF-8' })).toBe('zh');
    expect(langFromEnv({ LANG: 'zh-Hans' })).toBe('zh');
    expect(langFromEnv({ LANG: 'zh' })).toBe('zh');
    expect(langFromEnv({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(langFromEnv({ LANG: 'C' })).toBe('en');
    expect(langFromEnv({})).toBe('en');
    expect(langFromEnv({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(langFromEnv({ LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(langFromEnv({ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh');
  });

  it('--lang beats the environment', () => {
    expect(resolve({ lang: 'en' }, term({ LANG: 'zh_CN.UTF-8' })).lang).toBe('en');
    expect(resolve({ lang: 'zh' }, term({ LANG: 'en_US.UTF-8' })).lang).toBe('zh');
    expect(resolve({}, term({ LC_ALL: 'zh_CN.UTF-8' })).lang).toBe('zh');
  });
});

// ---------------------------------------------------------------- github / markdown escaping (pure renderers)

/** Hostile text as a log or a server could hand it over: every character the two formats treat specially. */
const NASTY = 'a,b:c%25 50% <!-- hide | pipe\r\nnext\rline`tick`';

function nastyFinding(over: Partial<Finding> = {}): Finding {
  return {
    cause: 'missing-scope',
    scopes: [
      { code: 'Contact.User.Read', kind: 'standard', name: { zh: null, en: 'x <b>|</b>' }, via: 'error' },
      { code: 'Calendar.Event.Write', kind: 'special', name: { zh: null, en: null }, via: 'error' },
    ],
    requestId: 'R1',
    httpStatus: 403,
    code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied',
    subCode: null,
    message: NASTY,
    api: { method: 'GET', path: '/v1.0/a|b`c', host: null, template: null },
    source: { input: 'logs/x,y:z%.log', line: 7 },
    count: 1,
    consoleUrl: 'https://open-dev.dingtalk.com/appscope/apply?content=dingk%23Contact.User.Read',
    explanation: null,
    steps: [{ id: 'text.untranslated', params: { text: 'step one' } }],
    callerIp: null,
    appKey: null,
    ...over,
  } as Finding;
}
const diagnosis = (f: Finding): DiagnoseResult => ({ findings: [f], summary: { missingScopes: f.scopes.map((s) => s.code), findings: 1, occurrences: 1, byCause: { [f.cause]: 1 }, otherPlatform: 0 }, notes: [] });

/** Splits `::level props::data` the way the runner does (first `::` after the properties). */
function workflowCommand(line: string): { level: string; props: Record<string, string>; data: string } {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  expect(m, line).not.toBeNull();
  const props = Object.fromEntries(m![2]!.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return { level: m![1]!, props, data: m![3]! };
}
// GitHub's toolkit: data %→%25, CR→%0D, LF→%0A; properties also :→%3A and ,→%2C. Decoding reverses it.
const unescapeGh = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

describe('--format github: workflow-command escaping', () => {
  it('diagnose: one ::error per scope; file/title properties and data escaped per the toolkit rules, and decode back', () => {
    const out = renderDiagnoseGithub(diagnosis(nastyFinding()), 'en');
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(3); // two annotations + the summary line: nothing leaked onto a line of its own
    const cmds = lines.slice(0, 2).map(workflowCommand);
    expect(cmds.map((c) => c.level)).toEqual(['error', 'error']);
    for (const c of cmds) {
      expect(Object.keys(c.props)).toEqual(['file', 'line', 'title']);
      expect(c.props.file).toBe('logs/x%2Cy%3Az%25.log');
      expect(unescapeGh(c.props.file!)).toBe('logs/x,y:z%.log');
      expect(c.props.line).toBe('7');
      expect(c.props.title).not.toMatch(/[,:\r\n]/);
      expect(c.data).not.toMatch(/[\r\n]/);
      expect(unescapeGh(c.data)).toContain('https://open-dev.dingtalk.com/appscope/apply?content=dingk%23Contact.User.Read');
    }
    expect(unescapeGh(cmds[0]!.props.title!)).toBe('DingTalk: Missing permission · Contact.User.Read');
    expect(unescapeGh(cmds[1]!.props.title!)).toBe('DingTalk: Missing permission · Calendar.Event.Write');
  });

  it('diagnose: a non-permission error is a ::warning', () => {
    const out = renderDiagnoseGithub(diagnosis(nastyFinding({ cause: 'other-error', scopes: [] })), 'en');
    expect(workflowCommand(out.split('\n')[0]!).level).toBe('warning');
  });

  it('check: ::error per missing scope, ::warning per unverifiable; app names and details with , : % CR LF escaped', () => {
    const app: AppCheck = {
      name: 'crm,eu:1%',
      type: 'internal',
      appKey: 'dingk',
      results: [
        { scope: 'Calendar.Event.Write', name: { zh: null, en: 'w' }, status: 'missing', kind: 'standard', base: false, sensitive: false, probe: null, detail: 'd', consoleUrl: 'https://x/apply?content=dingk%23Calendar.Event.Write', source: 'probe' },
        { scope: 'Contact.User.mobile', name: { zh: null, en: null }, status: 'unverifiable', kind: 'unknown', base: false, sensitive: false, probe: null, detail: NASTY, source: 'catalog' },
      ],
      unmappedApis: [],
    };
    const lines = renderCheckGithub([app], { missing: [{ app: app.name, scope: 'Calendar.Event.Write' }], granted: 0, unverifiable: 1, errors: 0, unverified: [] }, resolveOutput({}, term({}, false)))
      .split('\n');
    expect(lines).toHaveLength(3);
    const [missing, unverified] = lines.slice(0, 2).map(workflowCommand);
    expect(missing!.level).toBe('error');
    expect(unescapeGh(missing!.props.title!)).toBe('Missing DingTalk scope Calendar.Event.Write (app crm,eu:1%)');
    expect(missing!.props.title).not.toMatch(/[,:]/);
    expect(unescapeGh(missing!.data)).toContain('content=dingk%23Calendar.Event.Write');
    expect(unverified!.level).toBe('warning');
    expect(unverified!.data).not.toMatch(/[\r\n]/);
    expect(unescapeGh(unverified!.data)).toBe(NASTY); // decodes to the exact text
  });
});

describe('--format markdown: table cells cannot break the table or open HTML', () => {
  /** Cells of a GFM table row, splitting on unescaped pipes. */
  const cellsOf = (row: string) => row.slice(2, -2).split(/(?<!\\) \| /);

  it('diagnose: one row per finding with six cells; |, CR, LF, <, > and backticks neutralised', () => {
    const md = renderDiagnoseMarkdown(diagnosis(nastyFinding({ cause: 'other-error', code: 'x|y<!--', scopes: [] })), 'en');
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Cause') );
    expect(rows).toHaveLength(1);
    expect(cellsOf(rows[0]!)).toHaveLength(6);
    expect(md).not.toContain('<!--');
    expect(md).not.toMatch(/\r/);
    expect(rows[0]).toContain('403 x\\|y&lt;!--');
    expect(rows[0]).toContain('`` GET /v1.0/a\\|b`c ``'); // a backtick inside: a longer fence
    expect(rows[0]).toContain('`logs/x,y:z%.log:7`');
    expect(md).toContain('<summary>DingTalk error (not a permission problem) — logs/x,y:z%.log:7</summary>');
  });

  it('diagnose: the input name in <summary> is HTML-escaped', () => {
    const md = renderDiagnoseMarkdown(diagnosis(nastyFinding({ source: { input: 'a<!--b|c', line: 1 } })), 'en');
    expect(md).toContain('<summary>Missing permission · Contact.User.Read, Calendar.Event.Write — a&lt;!--b\\|c:1</summary>');
    expect(md).toContain('`Contact.User.Read` x &lt;b&gt;\\|&lt;/b&gt; (standard)<br>`Calendar.Event.Write` (special)');
  });

  it('check: details and app errors from the server stay inside their cell', () => {
    const app: AppCheck = {
      name: 'crm',
      type: 'internal',
      appKey: 'dingk',
      results: [{ scope: 'Contact.User.Read', name: { zh: null, en: 'n' }, status: 'error', kind: 'standard', base: false, sensitive: false, probe: null, detail: NASTY, source: 'probe' }],
      unmappedApis: [{ api: 'GET /v1.0/x|y', detail: 'no <b>' }],
      error: { cause: 'token-failed', code: null, message: 'refused <!-- x\r\ny | z', steps: [{ id: 'text.untranslated', params: { text: 'do <this>' } }] },
    } as AppCheck;
    const md = renderCheckMarkdown([app], { missing: [], granted: 0, unverifiable: 1, errors: 1, unverified: [] }, resolveOutput({}, term({}, false)));
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Scope'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(cellsOf(row)).toHaveLength(5);
    expect(md).not.toContain('<!--');
    expect(md).not.toMatch(/\r/);
    expect(md).toContain('> **token-failed**: refused &lt;!-- x y \\| z');
    expect(md).toContain('> - do &lt;this&gt;');
    expect(rows[1]).toBe('| `GET /v1.0/x\\|y` |  | unknown | ⚠️ unverifiable | no &lt;b&gt; |');
  });
});

// ---------------------------------------------------------------- the built CLI

let fake: FakeDingTalk;
let ws: Workspace;
const SECRET = 'crm-secret-output-1';

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: { crm: { type: 'internal', appKey: 'dingcrmkey', appSecret: SECRET, grants: ['Contact.User.Read'] } } });
  ws = workspace();
  ws.write('.dingtalkrc.yml', `apps:\n  crm:\n    type: internal\n    appKey: dingcrmkey\n    appSecret: \${CRM_SECRET}\n    required: [Contact.User.Read, Calendar.Event.Write]\n`);
});
afterAll(async () => {
  await fake?.close();
  ws?.remove();
});

const CHECK = () => ['check', '--base-url', fake.url];
/** [name, args, exit code]: diagnose and check find something to fix (1), scopes answers (0). */
const COMMANDS: Array<[string, () => string[], number]> = [
  ['diagnose', () => ['diagnose', `${ROOT}examples/app.log`], 1],
  ['scopes show', () => ['scopes', 'show', 'Contact.User.Read'], 0],
  ['scopes for', () => ['scopes', 'for', 'GET', '/v1.0/contact/users/1'], 0],
  ['check', CHECK, 1],
];
const envFor = (extra: Record<string, string | undefined>) => ws.env({ CRM_SECRET: SECRET, ...extra });

describe('CLI on pipes', () => {
  it.each(COMMANDS)('%s with CI=true: no ANSI escape in stdout or stderr', async (_name, args, code) => {
    const r = await runCli(args(), { cwd: ws.dir, env: envFor({ CI: 'true' }) });
    expect(r.code).toBe(code);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stderr).not.toMatch(ANSI);
  });

  it.each(COMMANDS.slice(0, 3))('%s with CI=true and FORCE_COLOR=1: coloured text', async (_name, args) => {
    const r = await runCli(args(), { cwd: ws.dir, env: envFor({ CI: 'true', FORCE_COLOR: '1' }) });
    expect(r.stdout).toMatch(ANSI);
  });

  it('FORCE_COLOR=1 with --json: still plain JSON', async () => {
    const r = await runCli(['scopes', 'show', 'Contact.User.Read', '--json'], { env: { CI: 'true', FORCE_COLOR: '1' } });
    expect(r.stdout).not.toMatch(ANSI);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'scopes show' });
  });

  it('FORCE_COLOR=1 with --no-color or NO_COLOR=1: plain', async () => {
    const a = await runCli(['scopes', 'show', 'Contact.User.Read', '--no-color'], { env: { FORCE_COLOR: '1' } });
    const b = await runCli(['scopes', 'show', 'Contact.User.Read'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(a.stdout).not.toMatch(ANSI);
    expect(b.stdout).not.toMatch(ANSI);
    expect(a.stdout).toContain('Contact.User.Read');
  });

  it('the language follows LANG / LC_ALL, --lang wins', async () => {
    const file = `${ROOT}examples/403-missing-scope.json`;
    const zh = await runCli(['diagnose', file], { env: { LANG: 'zh_CN.UTF-8' } });
    const en = await runCli(['diagnose', file], { env: { LANG: 'zh_CN.UTF-8', LC_ALL: 'en_US.UTF-8' } });
    const flag = await runCli(['diagnose', file, '--lang', 'en'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(zh.stdout).toContain('缺少接口权限');
    expect(en.stdout).toContain('Missing permission');
    expect(flag.stdout).toContain('Missing permission');
    expect(en.stdout).not.toContain('缺少接口权限');
  });
});

describe('CLI: $GITHUB_STEP_SUMMARY', () => {
  it('check --format github appends to the job summary (keeps what was there)', async () => {
    const file = ws.write('summary-append.md', '# earlier step\n');
    const r = await runCli([...CHECK(), '--format', 'github'], { cwd: ws.dir, env: envFor({ CI: 'true', GITHUB_STEP_SUMMARY: file }) });
    expect(r.code).toBe(1);
    const md = readFileSync(file, 'utf8');
    expect(md.startsWith('# earlier step\n## dingtalk-doctor check\n')).toBe(true);
    expect(md).toContain('| `Calendar.Event.Write` |');
  });

  it('check --format github with an unwritable $GITHUB_STEP_SUMMARY: one warning line, annotations and exit 1 kept (as diagnose)', async () => {
    const dir = `${ws.dir}/summary-is-a-dir`;
    mkdirSync(dir, { recursive: true });
    const r = await runCli([...CHECK(), '--format', 'github'], { cwd: ws.dir, env: envFor({ CI: 'true', GITHUB_STEP_SUMMARY: dir }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=\.dingtalkrc\.yml,line=\d+,title=Missing DingTalk scope Calendar\.Event\.Write/m);
    expect(r.stderr.trim().split('\n')).toEqual(['dingtalk-doctor: cannot append the job summary to $GITHUB_STEP_SUMMARY (EISDIR)']);
  });
});

// ---------------------------------------------------------------- under a pseudo-terminal

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the built CLI with stdin, stdout and stderr on a pty (util-linux `script`); stdin of
 * `script` stays open. The pty `script` makes has 0 columns unless sized with stty.
 */
function pty(
  args: string[],
  env: Record<string, string | undefined>,
  { columns = 100, timeoutMs = 15_000 }: { columns?: number; timeoutMs?: number } = {},
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  const command = `${columns > 0 ? `stty cols ${columns} rows 40; ` : ''}exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries({ PATH: process.env.PATH, LANG: 'en_US.UTF-8', TERM: 'xterm-256color', ...env })) if (v !== undefined) clean[k] = v;
  return new Promise((resolvePty, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ws.dir, env: clean, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePty({ code, output: Buffer.concat(chunks).toString('utf8'), timedOut });
    });
  });
}

describe.skipIf(!hasScript)('CLI on a TTY (util-linux script)', () => {
  it('diagnose with no input and a TTY stdin does not wait: one line, exit 2', async () => {
    const r = await pty(['diagnose'], envFor({}), { timeoutMs: 10_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.output).toContain('no input given');
    expect(r.output).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('without CI: coloured text (the control case)', async () => {
    const r = await pty(['scopes', 'show', 'Contact.User.Read'], envFor({}));
    expect(r.code).toBe(0);
    expect(r.output).toMatch(ANSI);
  });

  it.each(COMMANDS)('%s with CI=true: no ANSI escape at all (no colour, no spinner)', async (_name, args, code) => {
    const r = await pty(args(), envFor({ CI: 'true' }), { columns: 100 });
    expect(r.code).toBe(code);
    expect(r.output.length).toBeGreaterThan(0);
    expect(r.output).not.toMatch(ANSI);
  });

  it('check without CI shows the spinner (hides the cursor) on the TTY; with CI it does not', async () => {
    const interactive = await pty(CHECK(), envFor({}), { columns: 100 });
    const ci = await pty(CHECK(), envFor({ CI: 'true' }), { columns: 100 });
    expect(interactive.code).toBe(1);
    expect(interactive.output).toContain('\u001b[?25l');
    expect(ci.output).not.toContain('\u001b[?25l');
    expect(ci.output).toContain('Calendar.Event.Write');
  });

  it('check on a TTY of 0 columns (an unsized pty) finishes without a spinner instead of looping', async () => {
    const r = await pty(CHECK(), envFor({}), { columns: 0, timeoutMs: 30_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.output.length).toBeLessThan(20_000);
    expect(r.output).toContain('Summary: 1 missing');
  });

  it('NO_COLOR=1 and --no-color on a TTY: plain text', async () => {
    const a = await pty(['scopes', 'show', 'Contact.User.Read'], envFor({ NO_COLOR: '1' }));
    const b = await pty(['scopes', 'show', 'Contact.User.Read', '--no-color'], envFor({}));
    expect(a.output).not.toMatch(ANSI);
    expect(b.output).not.toMatch(ANSI);
    expect(b.output).toContain('Contact.User.Read');
  });

  it('--json on a TTY with FORCE_COLOR: plain JSON', async () => {
    const r = await pty(['diagnose', '--json', `${ROOT}examples/403-missing-scope.json`], envFor({ FORCE_COLOR: '1' }));
    expect(r.output).not.toMatch(ANSI);
    expect(JSON.parse(r.output.replace(/\r\n/g, '\n'))).toMatchObject({ command: 'diagnose' });
  });
});

if (!hasScript) {
  describe('CLI on a TTY', () => {
    it.skip('skipped: util-linux `script` is not installed, so no pseudo-terminal can be made for these tests', () => {});
  });
}
