/**
 * `check` as a CI gate that cannot pass by mistake: the built CLI against the fake DingTalk on
 * 127.0.0.1. A typo in `required` is exit 2 before any request (the fake records none); a learned
 * scope counts as known; --allow-unknown-scope lets an unknown code through as unverifiable;
 * unverifiable scopes are listed apart in every format and --fail-on unverifiable fails on them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDingTalk, type FakeDingTalk } from './fake-dingtalk/server.js';
import { workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

const SECRET = 'gate-secret-5a6b7c';
let fake: FakeDingTalk;
let ws: Workspace;

const config = (required: string[]) => `apps:\n  crm:\n    type: internal\n    appKey: dinggatekey\n    appSecret: \${CRM_SECRET}\n    required: [${required.join(', ')}]\n`;

function check(required: string[], args: string[], extraEnv: Record<string, string> = {}) {
  ws.write('.dingtalkrc.yml', config(required));
  return runCli(['check', '--base-url', fake.url, ...args], { cwd: ws.dir, env: ws.env({ CRM_SECRET: SECRET, ...extraEnv }) });
}

beforeAll(async () => {
  fake = await startFakeDingTalk({ apps: { crm: { type: 'internal', appKey: 'dinggatekey', appSecret: SECRET, grants: ['Contact.User.Read'] } } });
  ws = workspace();
});
afterAll(async () => {
  await fake.close();
  ws.remove();
});

describe('an unknown scope code is a usage error before any network', () => {
  it('Contact.User.Raed: exit 2, one line naming it and the suggestion, no request sent, stdout empty', async () => {
    fake.requests.length = 0;
    const r = await check(['Contact.User.Raed', 'Calendar.Event.Write'], ['--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not a scope code the catalog knows: "Contact\.User\.Raed" \(app "crm"\)/);
    expect(r.stderr).toMatch(/did you mean Contact\.User\.Read/);
    expect(r.stderr).toMatch(/--allow-unknown-scope/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fake.requests).toHaveLength(0);
  });

  it('--allow-unknown-scope: checked, the unknown code reported unverifiable (exit 0 by default)', async () => {
    const r = await check(['Contact.User.Raed', 'Contact.User.Read'], ['--allow-unknown-scope', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { summary: { unverified: Array<{ scope: string; detail: string }>; granted: number } };
    expect(doc.summary.granted).toBe(1);
    expect(doc.summary.unverified).toEqual([{ app: 'crm', scope: 'Contact.User.Raed', detail: expect.stringMatching(/not a scope code the catalog knows; did you mean Contact\.User\.Read/) }]);
  });

  it('a scope code only the learned file knows counts as known', async () => {
    const config = join(ws.dir, 'xdg');
    mkdirSync(join(config, 'dingtalk-doctor'), { recursive: true });
    writeFileSync(
      join(config, 'dingtalk-doctor', 'learned.json'),
      JSON.stringify({ version: 1, entries: [{ method: 'GET', path: '/v1.0/made/up', scopes: ['Learned.Only.Scope'], seenAt: '2026-12-01T00:00:00Z' }] }),
    );
    const r = await check(['Learned.Only.Scope'], ['--json'], { XDG_CONFIG_HOME: config });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { summary: { unverifiable: number } }).summary.unverifiable).toBe(1);
  });
});

describe('unverifiable scopes are listed apart, and --fail-on unverifiable fails on them', () => {
  // Contact.User.mobile has no safe read-only probe in the catalog; Contact.User.Read is granted.
  const required = ['Contact.User.Read', 'Contact.User.mobile', '"GET /v1.0/not/in/catalog"'];

  it('default: exit 0, and each format lists them apart from the table', async () => {
    const text = await check(required, []);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Not verified \(2\): this run did not test them/m);
    expect(text.stdout).toMatch(/^ {2}crm {2}Contact\.User\.mobile — no safe read-only probe/m);
    expect(text.stdout).toMatch(/^ {2}crm {2}GET \/v1\.0\/not\/in\/catalog — /m);
    expect(text.stdout).toMatch(/^Summary: 0 missing, 1 granted, 2 unverifiable, 0 errors$/m);

    const md = await check(required, ['--format', 'markdown']);
    expect(md.stdout).toContain('### Not verified (2)');
    expect(md.stdout).toContain('- `Contact.User.mobile` (app `crm`): no safe read-only probe');

    const gh = await check(required, ['--format', 'github']);
    expect(gh.stdout).toContain('dingtalk-doctor check: not verified (2): Contact.User.mobile (app crm), GET /v1.0/not/in/catalog (app crm)');

    const json = await check(required, ['--json']);
    expect((JSON.parse(json.stdout) as { summary: { unverified: Array<{ scope: string }> } }).summary.unverified.map((u) => u.scope)).toEqual(['Contact.User.mobile', 'GET /v1.0/not/in/catalog']);
  });

  it('--fail-on unverifiable: exit 1 with the same document', async () => {
    const r = await check(required, ['--fail-on', 'unverifiable', '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { summary: { unverifiable: number } }).summary.unverifiable).toBe(2);
  });

  it('--fail-on with another value is a usage error (exit 2)', async () => {
    const r = await check(required, ['--fail-on', 'everything']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fail-on/);
  });
});
