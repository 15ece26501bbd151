/**
 * `dingtalk-doctor init` (issue 16.6) through the built CLI: the file it writes is a valid, commented
 * config that `check` then uses against the fake DingTalk; secrets only as variable names; an
 * existing file kept unless --force; flags off a terminal, questions on one (a real pty,
 * test/helpers/pty-answers.py); --from-scan fills required: like `scopes scan`.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
import { validateConfig } from '../src/config/schema.js';
import { message } from '../src/render/messages.js';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { leaked, workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { cliOnTerminal } from './helpers/pty.js';
import { runCli } from './helpers/run-cli.js';

const SCAN_FIXTURE = fileURLToPath(new URL('./fixtures/scan/js', import.meta.url));
const SECRET = 'init-secret-4477abcd';
let fake: FakeDingTalk;
const spaces: Workspace[] = [];

const space = () => {
  const ws = workspace();
  spaces.push(ws);
  return ws;
};
const init = (ws: Workspace, args: string[]) => runCli(['init', ...args], { cwd: ws.dir, env: ws.env() });
const written = (ws: Workspace, name = '.dingtalkrc.yml') => readFileSync(join(ws.dir, name), 'utf8');
const valid = (text: string) => {
  const result = validateConfig(parse(text), 'written');
  if ('error' in result) throw new Error(message(result.error.id, result.error.params));
  return result.config;
};

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: { crm: { type: 'internal', appKey: 'dinginitkey', appSecret: SECRET, grants: ['Contact.User.Read'] } } });
});
afterAll(async () => {
  await fake.close();
  for (const ws of spaces) ws.remove();
});

describe('init with flags (not on a terminal)', () => {
  it('writes a commented, valid .dingtalkrc.yml (0600) with ${VAR} references, which check then uses', async () => {
    const ws = space();
    const r = await init(ws, ['--app', 'crm', '--app-key', 'dinginitkey']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote .dingtalkrc.yml: app "crm" (internal), 0 required scopes');
    expect(r.stdout).toContain('Next: put the secret in the environment variable CRM_APP_SECRET');
    const text = written(ws);
    expect(text).toMatch(/^# dingtalk-doctor config, written by `dingtalk-doctor init`/);
    expect(text).toContain('appSecret: ${CRM_APP_SECRET}');
    expect(valid(text).apps.crm).toMatchObject({ type: 'internal', appKey: 'dinginitkey', appSecret: '${CRM_APP_SECRET}', required: [] });
    expect(statSync(join(ws.dir, '.dingtalkrc.yml')).mode & 0o777).toBe(0o600);

    const checked = await runCli(['check', '--json', '--base-url', fake.url, '--scope', 'Contact.User.Read'], { cwd: ws.dir, env: ws.env({ CRM_APP_SECRET: SECRET }) });
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout).apps[0]).toMatchObject({ name: 'crm', results: [{ scope: 'Contact.User.Read', status: 'granted' }] });
    expect(leaked(checked, [SECRET, ...fake.issuedTokens])).toEqual([]);
  });

  it('refuses to overwrite without --force (exit 2, the file unchanged); --force overwrites', async () => {
    const ws = space();
    ws.write('.dingtalkrc.yml', 'mine: true\n');
    const r = await init(ws, ['--app', 'crm', '--app-key', 'dinginitkey']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['dingtalk-doctor: .dingtalkrc.yml already exists — pass --force to overwrite it, or --config <file> to write another file']);
    expect(written(ws)).toBe('mine: true\n');
    const forced = await init(ws, ['--app', 'crm', '--app-key', 'dinginitkey', '--force']);
    expect(forced.code).toBe(0);
    expect(valid(written(ws)).apps.crm!.type).toBe('internal');
  });

  it('without a terminal a missing --app-key is exit 2 naming the flag; a secret where a variable name belongs is refused, not echoed', async () => {
    const ws = space();
    const r = await init(ws, ['--app', 'crm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('init needs --app-key <key> when not run on a terminal');
    const looksLikeSecret = 'Zq9/xW+r8s7T6u5v==';
    const r2 = await init(ws, ['--app', 'crm', '--app-key', 'dinginitkey', '--secret-env', looksLikeSecret]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('--secret-env <VAR>: expected an environment variable name like CRM_APP_SECRET');
    expect(leaked(r2, [looksLikeSecret])).toEqual([]);
  });

  it('a third-party enterprise app: suiteKey, authCorpId, and two variables', async () => {
    const ws = space();
    const r = await init(ws, ['--app', 'isv', '--app-type', 'third-party-enterprise', '--app-key', 'suiteinit', '--auth-corp-id', 'dingcorpinit', '--ticket-env', 'TICKET']);
    expect(r.code).toBe(0);
    expect(valid(written(ws)).apps.isv).toMatchObject({ type: 'third-party-enterprise', suiteKey: 'suiteinit', authCorpId: 'dingcorpinit', suiteSecret: '${ISV_SUITE_SECRET}', suiteTicket: '${TICKET}' });
  });

  it('--from-scan fills required: with what scopes scan finds (scopes granted by default left out)', async () => {
    const ws = space();
    const scan = await runCli(['scopes', 'scan', '--json', SCAN_FIXTURE], { cwd: ws.dir, env: ws.env() });
    const catalog = getCatalog();
    const expected = (JSON.parse(scan.stdout).summary.scopes as string[]).filter((code) => !catalog.scope(code)?.base);
    expect(expected.length).toBeGreaterThan(0);
    const r = await init(ws, ['--app', 'crm', '--app-key', 'dinginitkey', '--from-scan', SCAN_FIXTURE, '--config', 'ci/rc.yml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${expected.length} required scopes from scopes scan`);
    expect(valid(written(ws, 'ci/rc.yml')).apps.crm!.required).toEqual(expected);
  });
});

/** init in a pty, typing `answers` at its questions. */
const onTerminal = (ws: Workspace, args: string[], answers: string[]) => cliOnTerminal(['init', ...args], answers, { cwd: ws.dir, env: ws.env() });

describe('init on a terminal', () => {
  it('asks for the name, type, AppKey and the variable name (re-asking when given a secret), defaults on Enter', async () => {
    const ws = space();
    const secretTyped = 'Zq9/xW+r8s7T6u5v==';
    const r = await onTerminal(ws, [], ['crm', '', 'dinginitkey', secretTyped, '']);
    expect(r.shown).toContain('[answered 5]');
    expect(r.shown).toContain('App name (how you will call it: --app <name>)');
    expect(r.shown).toContain('App type (internal | third-party-enterprise | third-party-personal) [internal]: ');
    expect(r.shown).toContain('AppKey (shown as "Client ID" in the Developer Console): ');
    expect(r.shown).toContain('its name, not the secret [CRM_APP_SECRET]: ');
    expect(r.shown).toContain('expected an environment variable name like CRM_APP_SECRET');
    expect(r.code).toBe(0);
    const text = written(ws);
    expect(valid(text).apps.crm).toMatchObject({ type: 'internal', appKey: 'dinginitkey', appSecret: '${CRM_APP_SECRET}' });
    expect(text).not.toContain(secretTyped);
  });

  it('flags given are not asked again', async () => {
    const ws = space();
    const r = await onTerminal(ws, ['--app', 'hr', '--app-type', 'internal', '--secret-env', 'HR_SECRET'], ['dinghrkey']);
    expect(r.shown).toContain('[answered 1]');
    expect(r.shown).not.toContain('App name');
    expect(r.code).toBe(0);
    expect(valid(written(ws)).apps.hr).toMatchObject({ appKey: 'dinghrkey', appSecret: '${HR_SECRET}' });
  });
});
