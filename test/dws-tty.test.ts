/**
 * `check --apply` on a real terminal: the CLI runs in a pseudo-terminal (test/helpers/pty-answers.py,
 * python3's pty module), the fake dws on PATH. The request (`permission add --yes`) is made only
 * after a "y" typed at the prompt; "n" leaves it at the dry-run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { fakeDws, type FakeDws, type FakeDwsState } from './fake-dws/setup.js';
import { cliOnTerminal } from './helpers/pty.js';

const SECRET = 'crm-secret-9f8e7d';

const STATE = (): FakeDwsState => ({
  loggedIn: true,
  apps: {
    dingcrmkey: {
      unifiedAppId: 'u-crm-123',
      permissions: [
        { scopeValue: 'Contact.User.Read', scopeName: '通讯录个人信息读权限', authStatus: 'AUTHED', requiredApproval: false },
        { scopeValue: 'Contact.User.mobile', scopeName: '个人手机号信息', authStatus: 'UNAUTHED', requiredApproval: false, allowedActions: ['view', 'apply'] },
      ],
    },
  },
});

let fake: FakeDingTalk;
let ws: Workspace;
let dws: FakeDws;

/** The CLI in a pty, answering the prompt with `answer`; what the terminal showed and the exit code. */
const onTerminal = (args: string[], answer: string) => cliOnTerminal(args, [answer], { cwd: ws.dir, env: ws.env({ ...dws.env(), CRM_SECRET: SECRET }) });

const adds = () => dws.calls().filter((c) => c.argv.slice(0, 4).join(' ') === 'dev app permission add').map((c) => c.argv.slice(4));

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: { crm: { type: 'internal', appKey: 'dingcrmkey', appSecret: SECRET, grants: ['Contact.User.Read'] } } });
  ws = workspace();
  ws.write('.dingtalkrc.yml', `apps:\n  crm:\n    type: internal\n    appKey: dingcrmkey\n    appSecret: \${CRM_SECRET}\n    required: [Contact.User.Read, Contact.User.mobile]\n`);
  dws = fakeDws(STATE());
});

afterAll(async () => {
  await fake.close();
  ws.remove();
  dws.remove();
});

beforeEach(() => {
  dws.setState(STATE());
  dws.clearCalls();
});

describe('check --apply on a terminal', () => {
  it('asks after the dry-run; "y" makes the request with --yes', async () => {
    const r = await onTerminal(['check', '--base-url', fake.url, '--apply'], 'y');
    expect(r.shown).toContain('[answered 1]');
    expect(r.shown).toContain('dws dry-run for app "crm": would request Contact.User.mobile for unifiedAppId u-crm-123');
    expect(r.shown).toContain('Request 1 scope for app "crm" through dws? [y/N]: ');
    expect(r.shown).toContain('app crm (unifiedAppId u-crm-123): requested Contact.User.mobile');
    expect(adds()).toEqual([
      ['--unified-app-id', 'u-crm-123', '--scope-values', 'Contact.User.mobile', '--dry-run', '--format', 'json'],
      ['--unified-app-id', 'u-crm-123', '--scope-values', 'Contact.User.mobile', '--yes', '--format', 'json'],
    ]);
    expect(r.code).toBe(1);
    expect(r.shown).not.toContain(SECRET);
  });

  it('"n" (or anything but y/yes): only the dry-run, nothing requested', async () => {
    const r = await onTerminal(['check', '--base-url', fake.url, '--apply'], 'n');
    expect(r.shown).toContain('[answered 1]');
    expect(r.shown).toContain('app crm (unifiedAppId u-crm-123): not requested Contact.User.mobile — not confirmed: nothing requested');
    expect(adds()).toEqual([['--unified-app-id', 'u-crm-123', '--scope-values', 'Contact.User.mobile', '--dry-run', '--format', 'json']]);
    expect(dws.state().apps.dingcrmkey!.permissions[1]!.authStatus).toBe('UNAUTHED');
  });
});
