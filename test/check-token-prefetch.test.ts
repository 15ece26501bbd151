/**
 * `check` asks for every app's token at once, before its first probe: fetched lazily, each app's
 * token request waited until the pool reached that app. The fake DingTalk on 127.0.0.1 answers
 * token requests slowly (a latency fault on the token endpoints), and the order in which it
 * received the requests shows whether the second app's token was asked for before any probe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDingTalk, TOKEN_PATH, type FakeDingTalk } from './fake-dingtalk/server.js';
import { workspace, type Workspace } from './fake-dingtalk/workspace.js';
import { runCli } from './helpers/run-cli.js';

let fake: FakeDingTalk;
let ws: Workspace;

beforeAll(async () => {
  fake = await startFakeDingTalk({
    apps: {
      crm: { type: 'internal', appKey: 'dingcrmkey', appSecret: 'crm-secret-prefetch', grants: ['Contact.User.Read'] },
      hr: { type: 'internal', appKey: 'dinghrkey', appSecret: 'hr-secret-prefetch', grants: ['Calendar.Event.Write'] },
    },
    faults: [{ kind: 'latency', ms: 300, match: TOKEN_PATH }],
  });
  ws = workspace();
  ws.write(
    '.dingtalkrc.yml',
    [
      'apps:',
      '  crm: { type: internal, appKey: dingcrmkey, appSecret: "${CRM_SECRET}", required: [Contact.User.Read, Calendar.Event.Write] }',
      '  hr: { type: internal, appKey: dinghrkey, appSecret: "${HR_SECRET}", required: [Contact.User.Read, Calendar.Event.Write] }',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await fake.close();
  ws.remove();
});

describe('check: tokens', () => {
  it("requests both apps' tokens before the first probe, one request each, and judges each app on its own token", async () => {
    fake.requests.length = 0;
    // one probe in flight: lazily, hr's token would be requested only after crm's probes
    const r = await runCli(['check', '--all-apps', '--json', '--concurrency', '1', '--base-url', fake.url], {
      cwd: ws.dir,
      env: ws.env({ CRM_SECRET: 'crm-secret-prefetch', HR_SECRET: 'hr-secret-prefetch' }),
    });
    expect(r.code, r.stderr).toBe(1);
    expect(fake.requests.map((q) => q.kind).slice(0, 2)).toEqual(['token', 'token']);
    expect(fake.tokenRequests().map((q) => JSON.parse(q.body).appKey).sort()).toEqual(['dingcrmkey', 'dinghrkey']);
    const doc = JSON.parse(r.stdout) as { apps: Array<{ name: string; results: Array<{ scope: string; status: string }> }> };
    expect(Object.fromEntries(doc.apps.map((a) => [a.name, a.results.map((x) => `${x.scope} ${x.status}`)]))).toEqual({
      crm: ['Contact.User.Read granted', 'Calendar.Event.Write missing'],
      hr: ['Contact.User.Read missing', 'Calendar.Event.Write granted'],
    });
  });
});
