/**
 * Secrets never leak: every command × every output format × with and without --verbose,
 * in every situation that prints something unusual — a token refused, a config that does
 * not parse or validate, a missing ${ENV} variable, a closed port, probes that fail at the
 * transport after the token was issued, env-only mode, a world-readable config with literal
 * secrets. The configured appSecret / suiteSecret / suiteTicket / clientSecret /
 * refreshToken / accessToken, the wrong secrets, old tokens pasted into a replay, and every
 * token the fake DingTalk issued must never appear in stdout, stderr or
 * $GITHUB_STEP_SUMMARY (nor, with --write-config, in the config file written back).
 * Hostile servers too (issue 13 §2): a token endpoint that echoes the secrets it received in
 * its code, message and requestid (plain, URL-encoded, form-encoded, base64, JSON-escaped), APIs
 * whose 403 echoes the token in message, requestid and Location, and a 302 carrying the token.
 * One test per command × format (each runs every scenario, with and without --verbose), so a
 * failure names its case. The tests run concurrently; CLI children three at a time across them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeDingTalk, TOKEN_PATH, type FakeDingTalk } from './fake-dingtalk/server.js';
import { workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { ROOT, runCli, type CliResult } from './helpers/run-cli.js';

const rand = (label: string) => `${label}-${randomBytes(10).toString('hex')}`;

/** Distinctive random values: a hit can only be a leak. */
const S = {
  // characters that URL-, form-, JSON- and GitHub-escaping change: each encoded form is looked for too
  crmSecret: `${rand('crmsec')}+/=&%2Fx`,
  suiteSecret: rand('suitesec'),
  suiteTicket: rand('ticket'),
  personalSecret: rand('psec'),
  refreshToken: rand('refresh'),
  userToken: rand('usertok'),
  wrongCrmSecret: rand('wrongsec'),
  wrongTicket: rand('wrongticket'),
  oldToken: rand('oldtok'),
  envOnlySecret: rand('envsec'),
  sourceSecret: rand('srcsec'),
  sourceToken: rand('srctok'),
};

const FORMATS = ['text', 'json', 'github', 'markdown'] as const;
const VERBOSITY = [false, true] as const;

const CONFIG = `defaultApp: crm
apps:
  crm:
    type: internal
    appKey: dingleakkey
    appSecret: \${CRM_SECRET}
    required: [Contact.User.Read, Calendar.Event.Write, qyapi_addresslist_edu_read]
  isv:
    type: third-party-enterprise
    suiteKey: suiteleakkey
    suiteSecret: \${SUITE_SECRET}
    authCorpId: dingcustomer01
    suiteTicket: \${SUITE_TICKET}
    required: [Contact.User.Read]
  personal:
    type: third-party-personal
    clientId: dingpersonal
    clientSecret: \${PERSONAL_SECRET}
    refreshToken: \${REFRESH_TOKEN}
    required: [Contact.User.Read]
  user:
    type: third-party-personal
    accessToken: \${USER_TOKEN}
    required: [Contact.User.Read]
`;

const literal = (text: string) =>
  text
    .replace('${CRM_SECRET}', S.crmSecret)
    .replace('${SUITE_SECRET}', S.suiteSecret)
    .replace('${SUITE_TICKET}', S.suiteTicket)
    .replace('${PERSONAL_SECRET}', S.personalSecret)
    .replace('${REFRESH_TOKEN}', S.refreshToken)
    .replace('${USER_TOKEN}', S.userToken);

const GOOD_ENV = {
  CRM_SECRET: S.crmSecret,
  SUITE_SECRET: S.suiteSecret,
  SUITE_TICKET: S.suiteTicket,
  PERSONAL_SECRET: S.personalSecret,
  REFRESH_TOKEN: S.refreshToken,
  USER_TOKEN: S.userToken,
};

interface Scenario {
  name: string;
  ws: Workspace;
  env: Record<string, string | undefined>;
  base: () => string;
  /** Runs of commands that only make sense with a loadable config (replay of isv). */
  configLoads: boolean;
}

interface Case {
  id: string;
  /** The command label and format of the test this case belongs to. */
  command: string;
  format: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  input?: string;
  /** A file whose content must also be free of secrets after the run. */
  alsoCheck?: string[];
}

let fake: FakeDingTalk;
let faulty: FakeDingTalk;
let hostileToken: FakeDingTalk;
let hostileApi: FakeDingTalk;
let hostileRedirect: FakeDingTalk;
let closedPort: number;
const scenarios: Scenario[] = [];
const spaces: Workspace[] = [];
let scanDir = '';

function space(): Workspace {
  const ws = workspace();
  spaces.push(ws);
  return ws;
}

async function freePortThatIsClosed(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const FAKE_APPS = {
  crm: { type: 'internal' as const, appKey: 'dingleakkey', appSecret: S.crmSecret, grants: ['Contact.User.Read'] },
  isv: { type: 'third-party-enterprise' as const, suiteKey: 'suiteleakkey', suiteSecret: S.suiteSecret, authCorpId: 'dingcustomer01', suiteTicket: S.suiteTicket, grants: [] },
  personal: { type: 'third-party-personal' as const, clientId: 'dingpersonal', clientSecret: S.personalSecret, refreshToken: S.refreshToken, grants: ['Contact.User.Read'] },
  user: { type: 'third-party-personal' as const, accessToken: S.userToken, grants: [] },
  env: { type: 'internal' as const, appKey: 'dingenvkey', appSecret: S.envOnlySecret, grants: [] },
};

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: FAKE_APPS });
  // Tokens are issued, then every probe's connection is reset (retried, then an error).
  faulty = await startFakeDingTalk({ apps: FAKE_APPS, faults: [{ kind: 'reset' }] });
  hostileToken = await startFakeDingTalk({ apps: FAKE_APPS, faults: [{ kind: 'echoSecret', match: TOKEN_PATH }] });
  hostileApi = await startFakeDingTalk({ apps: FAKE_APPS, faults: [{ kind: 'echoToken' }] });
  hostileRedirect = await startFakeDingTalk({ apps: FAKE_APPS, faults: [{ kind: 'echoToken', status: 302 }] });
  closedPort = await freePortThatIsClosed();

  const good = space();
  good.write('.dingtalkrc.yaml', CONFIG);
  const readable = space();
  readable.write('.dingtalkrc.yaml', literal(CONFIG), 0o644); // literal secrets, world-readable: a warning path
  const rejected = space();
  rejected.write('.dingtalkrc.yaml', CONFIG);
  const missing = space();
  missing.write('.dingtalkrc.yaml', CONFIG);
  const badType = space();
  // A secret in a misspelt key, a secret next to a wrong-typed field.
  badType.write('.dingtalkrc.json', JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'dingleakkey', appSecret: S.crmSecret, apSecret: S.suiteSecret, required: 5 } } }));
  const badEnum = space();
  badEnum.write('.dingtalkrc.json', JSON.stringify({ apps: { crm: { type: 'internl', appKey: 'dingleakkey', appSecret: S.crmSecret, suiteTicket: S.suiteTicket } } }));
  const badYaml = space();
  // Unclosed quote right at the secret: parsers like to quote the offending line.
  badYaml.write('.dingtalkrc.yaml', `apps:\n  crm:\n    type: internal\n    appKey: dingleakkey\n    appSecret: "${S.crmSecret}\n    suiteTicket: ${S.suiteTicket}\n`);
  const badJson = space();
  badJson.write('.dingtalkrc.json', `{"apps": {"crm": {"type": "internal", "appKey": "dingleakkey", "appSecret": "${S.crmSecret}",, "x": 1}}}`);
  const envOnly = space();

  const base = () => fake.url;
  scenarios.push(
    { name: 'ok', ws: good, env: GOOD_ENV, base, configLoads: true },
    { name: 'literal-world-readable', ws: readable, env: {}, base, configLoads: true },
    { name: 'token-refused', ws: rejected, env: { ...GOOD_ENV, CRM_SECRET: S.wrongCrmSecret, SUITE_TICKET: S.wrongTicket }, base, configLoads: true },
    { name: 'missing-env', ws: missing, env: { ...GOOD_ENV, CRM_SECRET: undefined }, base, configLoads: false },
    { name: 'schema-type', ws: badType, env: GOOD_ENV, base, configLoads: false },
    { name: 'schema-enum', ws: badEnum, env: GOOD_ENV, base, configLoads: false },
    { name: 'yaml-broken', ws: badYaml, env: GOOD_ENV, base, configLoads: false },
    { name: 'json-broken', ws: badJson, env: GOOD_ENV, base, configLoads: false },
    { name: 'closed-port', ws: good, env: GOOD_ENV, base: () => `http://127.0.0.1:${closedPort}`, configLoads: true },
    { name: 'probes-reset', ws: good, env: GOOD_ENV, base: () => faulty.url, configLoads: true },
    { name: 'hostile-token-echo', ws: good, env: GOOD_ENV, base: () => hostileToken.url, configLoads: true },
    { name: 'hostile-api-echo', ws: good, env: GOOD_ENV, base: () => hostileApi.url, configLoads: true },
    { name: 'hostile-redirect-echo', ws: good, env: GOOD_ENV, base: () => hostileRedirect.url, configLoads: true },
    {
      name: 'env-only',
      ws: envOnly,
      env: { DINGTALK_APP_KEY: 'dingenvkey', DINGTALK_APP_SECRET: S.envOnlySecret, DINGTALK_REQUIRED: 'Contact.User.Read,qyapi_addresslist_edu_read' },
      base,
      configLoads: true,
    },
  );

  // A codebase for `scopes scan` with secrets hard-coded next to DingTalk URLs.
  const code = space();
  code.write(
    'src/dingtalk.ts',
    [
      `const SECRET = '${S.sourceSecret}';`,
      `export const tokenUrl = 'https://oapi.dingtalk.com/gettoken?appkey=dingleakkey&appsecret=${S.sourceSecret}';`,
      `export const user = (id: string) => fetch(\`https://oapi.dingtalk.com/topapi/v2/user/get?access_token=${S.sourceToken}&userid=\${id}\`);`,
      `export const me = () => fetch('https://api.dingtalk.com/v1.0/contact/users/me', { headers: { 'x-acs-dingtalk-access-token': '${S.sourceToken}' } });`,
      `export const odd = () => fetch('https://api.dingtalk.com/v1.0/nosuch/thing?access_token=${S.sourceToken}');`,
      '',
    ].join('\n'),
  );
  scanDir = code.dir;
}, 30_000);

afterAll(async () => {
  for (const server of [fake, faulty, hostileToken, hostileApi, hostileRedirect]) await server?.close();
  for (const ws of spaces) ws.remove();
});

function secrets(): Array<[string, string]> {
  const named: Array<[string, string]> = Object.entries(S);
  for (const server of [fake, faulty, hostileToken, hostileApi, hostileRedirect]) for (const t of server.issuedTokens) named.push(['issued token', t]);
  return named;
}

/** The forms a printed secret could take: as is, URL- and form-encoded, base64, JSON-escaped, GitHub-escaped. */
function encodings(value: string): string[] {
  return [
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    Buffer.from(value).toString('base64'),
    JSON.stringify(value).slice(1, -1),
    value.replace(/%/g, '%25').replace(/:/g, '%3A').replace(/,/g, '%2C'),
  ].filter((form) => form !== value);
}

/** Full values and their encodings, and a 12-character slice from the middle (a truncated print is a leak too). */
function findLeaks(text: string): string[] {
  const hits: string[] = [];
  for (const [name, value] of secrets()) {
    const mid = value.slice(Math.floor(value.length / 2) - 6, Math.floor(value.length / 2) + 6);
    if (text.includes(value)) hits.push(name);
    else if (text.includes(mid)) hits.push(`${name} (partial)`);
    else if (encodings(value).some((form) => text.includes(form))) hits.push(`${name} (encoded)`);
  }
  return hits;
}

function flags(format: string, verbose: boolean): string[] {
  return ['--format', format, ...(verbose ? ['--verbose'] : [])];
}

/** The commands of the matrix (one test each per format). */
const ONLINE = ['check --all-apps', 'check --app', 'replay METHOD URL', 'replay curl (isv)', 'replay legacy (user)', 'completion --values apps'] as const;
const OFFLINE: Array<[string, string[], string?]> = [
  ['diagnose file', ['diagnose', join(ROOT, 'examples', '403-missing-scope.json')]],
  ['diagnose log', ['diagnose', join(ROOT, 'examples', 'app.log')]],
  ['diagnose stdin', ['diagnose', '-'], `{"requestid":"R1","code":"Forbidden.AccessDenied.AccessTokenPermissionDenied","message":"应用尚未开通所需的权限：[Contact.User.Read]","accessdenieddetail":{"requiredScopes":["Contact.User.Read"]}}\n`],
  ['scopes list', ['scopes', 'list']],
  ['scopes search', ['scopes', 'search', 'contact']],
  ['scopes show', ['scopes', 'show', 'Contact.User.Read']],
  ['scopes for', ['scopes', 'for', 'GET', '/v1.0/contact/users/0']],
  ['scopes stats', ['scopes', 'stats']],
  ['scopes learned', ['scopes', 'learned']],
  ['scopes scan', ['scopes', 'scan', '<scanDir>']],
  ['completion --values scopes', ['completion', '--values', 'scopes']],
  ['explain', ['explain', '60011']],
];
const COMMANDS = [...ONLINE, ...OFFLINE.map(([what]) => what), 'scan --write-config'];

/** The cases of one command × format: every scenario (online commands), with and without --verbose. */
function buildCases(command: string, format: string): Case[] {
  const cases: Case[] = [];
  for (const verbose of VERBOSITY) {
    const tag = `${format}${verbose ? '+verbose' : ''}`;
    const summary = (id: string) => join(scenarios[0]!.ws.dir, `summary-${id.replace(/[^a-z0-9]+/gi, '_')}.md`);
    for (const sc of scenarios) {
      const b = sc.base();
      const add = (what: string, args: string[], input?: string) => {
        if (what !== command) return;
        // A config that does not load stops the command before any format is looked at: cli.ts
        // prints the same one line on stderr in every format. Text and JSON cover it.
        if (!sc.configLoads && (format === 'github' || format === 'markdown')) return;
        const id = `${sc.name} · ${what} · ${tag}`;
        const file = summary(id);
        cases.push({ id, command, format, args: [...args, ...flags(format, verbose)], cwd: sc.ws.dir, env: sc.ws.env({ ...sc.env, GITHUB_STEP_SUMMARY: file }), input, alsoCheck: [file] });
      };
      // Config errors stop every command at the same place: one check is enough there.
      // With probes that fail at the transport, retries make each run slow: one scope, one app, a short deadline.
      if (sc.configLoads && sc.name !== 'probes-reset') add('check --all-apps', ['check', '--all-apps', '--base-url', b]);
      add('check --app', ['check', ...(sc.name === 'env-only' ? [] : ['--app', 'crm']), '--base-url', b, '--scope', 'Contact.User.Read', ...(sc.name === 'probes-reset' ? ['--deadline', '1500'] : [])]);
      add('replay METHOD URL', ['diagnose', '--replay', 'GET', `${b}/v1.0/contact/users/0?access_token=${S.oldToken}`, ...(sc.name === 'env-only' ? [] : ['--app', 'crm']), '--base-url', b]);
      if (sc.configLoads && sc.name !== 'env-only' && sc.name !== 'probes-reset') {
        add('replay curl (isv)', ['diagnose', '--replay', `curl -H 'x-acs-dingtalk-access-token: ${S.oldToken}' '${b}/v1.0/contact/users/0'`, '--app', 'isv', '--base-url', b]);
        add('replay legacy (user)', ['diagnose', '--replay', 'GET', `${b}/topapi/edu/dept/get?access_token=${S.oldToken}`, '--app', 'user', '--base-url', b]);
      }
      // Completion reads the config only (no server): once per workspace and environment.
      const firstAlike = scenarios.find((o) => o.ws === sc.ws && JSON.stringify(o.env) === JSON.stringify(sc.env));
      if (firstAlike === sc) add('completion --values apps', ['completion', '--values', 'apps']);
    }
    // Offline commands: run where a world-readable config with literal secrets sits and every secret is in the env.
    const sc = scenarios[1]!;
    const env = sc.ws.env({ ...GOOD_ENV, GITHUB_STEP_SUMMARY: summary(`offline-${command}-${tag}`) });
    for (const [what, args, input] of OFFLINE) {
      if (what !== command) continue;
      const argv = args.map((a) => (a === '<scanDir>' ? scanDir : a));
      cases.push({ id: `offline · ${what} · ${tag}`, command, format, args: [...argv, ...flags(format, verbose)], cwd: sc.ws.dir, env, input, alsoCheck: [env.GITHUB_STEP_SUMMARY!] });
    }
    if (command === 'scan --write-config') {
      // --write-config must keep ${ENV} placeholders, never write the expanded secret back.
      const copy = join(scenarios[0]!.ws.dir, `write-${tag}`);
      mkdirSync(copy, { recursive: true });
      copyFileSync(join(scenarios[0]!.ws.dir, '.dingtalkrc.yaml'), join(copy, '.dingtalkrc.yaml'));
      writeFileSync(join(copy, 'app.ts'), "fetch('https://api.dingtalk.com/v1.0/calendar/users/0/calendars');\n");
      cases.push({
        id: `scan --write-config · ${tag}`,
        command,
        format,
        args: ['scopes', 'scan', '.', '--write-config', '--app', 'crm', ...flags(format, verbose)],
        cwd: copy,
        env: scenarios[0]!.ws.env(GOOD_ENV),
        alsoCheck: [join(copy, '.dingtalkrc.yaml')],
      });
    }
  }
  return cases;
}

/**
 * CLI children in flight at once, across the matrix's tests: they run concurrently and share
 * these slots, so no test's slow last case leaves the others idle.
 */
const CHILDREN = 3;
let running = 0;
const waiting: Array<() => void> = [];
async function limited<R>(fn: () => Promise<R>): Promise<R> {
  if (running < CHILDREN) running++;
  else await new Promise<void>((resume) => waiting.push(resume)); // the slot is handed over
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** Every run of the matrix, by case id (the last tests check across them). */
const results = new Map<string, CliResult>();
let cacheDir = '';
let filesChecked = 0;

function leaksOf(c: Case, r: CliResult): string[] {
  const leaks: string[] = [];
  for (const hit of findLeaks(r.stdout)) leaks.push(`${c.id}: ${hit} in stdout`);
  for (const hit of findLeaks(r.stderr)) leaks.push(`${c.id}: ${hit} in stderr`);
  for (const file of c.alsoCheck ?? []) {
    if (!existsSync(file)) continue;
    filesChecked++;
    for (const hit of findLeaks(readFileSync(file, 'utf8'))) leaks.push(`${c.id}: ${hit} in ${file}`);
  }
  return leaks;
}

function problemsOf(c: Case, r: CliResult): string[] {
  const problems: string[] = [];
  if (![0, 1, 2, 3].includes(r.code ?? -1)) problems.push(`${c.id}: exit ${r.code} ${r.stderr.slice(0, 200)}`);
  if (!c.args.includes('--verbose') && /\n\s+at .+:\d+:\d+\)?\n/.test(r.stderr)) problems.push(`${c.id}: stack trace without --verbose`);
  return problems;
}

describe('no secret in any output', () => {
  beforeAll(() => {
    cacheDir = join(space().dir, 'compile-cache');
  });

  for (const command of COMMANDS) {
    for (const format of FORMATS) {
      it.concurrent(`${command} · ${format} (every scenario, with and without --verbose)`, async ({ expect }) => {
        const cases = buildCases(command, format);
        expect(cases.length).toBeGreaterThan(0);
        const runs = await Promise.all(
          cases.map((c) =>
            limited(async () => {
              // a compile cache of its own (src/boot.ts): written by these runs, then searched for secrets
              const r = await runCli(c.args, { cwd: c.cwd, env: { DINGTALK_DOCTOR_CACHE_DIR: cacheDir, ...c.env }, input: c.input, timeoutMs: 60_000 });
              results.set(c.id, r);
              return { c, r };
            }),
          ),
        );
        expect(runs.flatMap(({ c, r }) => leaksOf(c, r))).toEqual([]);
        expect(runs.flatMap(({ c, r }) => problemsOf(c, r))).toEqual([]);
      }, 300_000);
    }
  }

  it('the compile cache these runs wrote holds no secret', () => {
    // V8's code cache holds compiled code, never runtime values: prove it for these runs.
    const cacheFiles = readdirSync(cacheDir);
    expect(cacheFiles.length).toBeGreaterThan(2); // diagnose, check, scopes… each wrote one
    const leaks: string[] = [];
    for (const file of cacheFiles) {
      filesChecked++;
      for (const hit of findLeaks(readFileSync(join(cacheDir, file)).toString('latin1'))) leaks.push(`compile cache ${file}: ${hit}`);
    }
    console.log(`security-leaks: ${results.size} CLI runs, ${secrets().length} secret values, ${results.size * 2 + filesChecked} outputs checked (${filesChecked} files), ${leaks.length} leaks`);
    expect(leaks).toEqual([]);
  });

  it('the matrix really exercised the failure modes and the hostile servers (a test that can fail)', () => {
    const code = (id: string) => results.get(id)?.code;
    const out = (id: string) => `${results.get(id)?.stdout ?? ''}${results.get(id)?.stderr ?? ''}`;
    expect(code('ok · check --all-apps · json')).toBe(1);
    expect(code('token-refused · check --app · text')).toBe(3);
    expect(code('missing-env · check --app · text')).toBe(2);
    expect(code('schema-type · check --app · text')).toBe(2);
    expect(code('yaml-broken · check --app · text')).toBe(2);
    expect(code('json-broken · check --app · text')).toBe(2);
    expect(code('closed-port · check --app · text')).toBe(3);
    expect(code('probes-reset · check --app · json')).toBe(3);
    expect(out('literal-world-readable · check --app · text')).toMatch(/secret|readable/i);
    expect(fake.issuedTokens.length).toBeGreaterThan(10);
    expect(faulty.issuedTokens.length).toBeGreaterThan(0);
    // The old token pasted into a replay never reached the server either.
    expect(fake.requests.some((q) => q.token === S.oldToken || q.path.includes(S.oldToken) || JSON.stringify(q.query).includes(S.oldToken))).toBe(false);

    // Hostile token endpoint: every secret was sent to it and echoed back; the refusal is printed, masked.
    expect(hostileToken.issuedTokens).toEqual([]);
    expect(code('hostile-token-echo · check --app · text')).toBe(3);
    expect(out('hostile-token-echo · check --app · text')).toMatch(/token request refused: bad-\*\*\* \(refused .*\*\*\*/);
    expect(code('hostile-token-echo · replay curl (isv) · text')).toBe(3);
    // Hostile APIs: tokens were issued and echoed in message, requestid and Location; all masked.
    expect(hostileApi.issuedTokens.length).toBeGreaterThan(3);
    expect(code('hostile-api-echo · check --app · json')).toBe(1);
    expect(out('hostile-api-echo · replay METHOD URL · text')).toMatch(/token \*\*\* \*\*\* \*\*\*/);
    expect(out('hostile-redirect-echo · replay METHOD URL · text')).toMatch(/redirected to https:\/\/evil\.example\/login\?token=\*\*\*&raw=\*\*\*/);
  });
});
