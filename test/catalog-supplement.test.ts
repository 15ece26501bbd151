/**
 * The supplement (../shared/catalog/supplement/*.tsv, merged by scripts/build-catalog.mjs through
 * scripts/catalog-supplement.mjs) in the committed catalog data, with its source per fact, and in
 * the advice the built CLI prints. The 403 body without accessdenieddetail is DingTalk's new-API
 * refusal as dingtalk-facts.md §2 quotes it (code, requestid, message).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCatalog } from '../src/catalog/index.js';
// @ts-expect-error plain ESM script without type declarations
import { generateCatalog } from '../scripts/build-catalog.mjs';
import { ROOT, runCli } from './helpers/run-cli.js';

const catalog = getCatalog();
const dir = mkdtempSync(join(tmpdir(), 'dd-supplement-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BARE_403 = JSON.stringify({ code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', requestid: 'F1E2D3C4-0000-4000-8000-000000000001', message: '没有调用该接口的权限' });
const named403 = (scope: string) => JSON.stringify({ ...JSON.parse(BARE_403), accessdenieddetail: { requiredScopes: [scope] } });
type Doc = { findings: Array<{ advice: Array<{ id: string; params: Record<string, unknown>; text: string }>; steps: string[] }>; summary: { missingScopes: string[] } };

async function diagnose(body: string, args: string[] = []): Promise<Doc> {
  const file = join(dir, `body-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, body);
  const r = await runCli(['diagnose', file, '--json', ...args]);
  expect(r.code, r.stderr).toBe(1);
  return JSON.parse(r.stdout) as Doc;
}
const ids = (doc: Doc) => doc.findings[0]!.advice.map((a) => a.id);

describe('scope facts, each with its source', () => {
  it('the 【敏感】 prefix makes AIPaaS.Model.Read and qyapi_addresslist_edu_read sensitive', () => {
    for (const code of ['AIPaaS.Model.Read', 'qyapi_addresslist_edu_read']) {
      const s = catalog.scope(code)!;
      expect(s.sensitive, code).toBe(true);
      expect(s.sources.some((x) => x.startsWith('kind sensitive: supplement/scope-kinds.tsv: apolloyyu/kb-dingtalk-open-platform@'))).toBe(true);
    }
  });

  it('qyapi_recruitment_plugin is special, registration through support first; the unverified Chat.Message.Read is labelled, not acted on', () => {
    expect(catalog.scope('qyapi_recruitment_plugin')).toMatchObject({ kind: 'special', notes: { registerFirst: true } });
    const chat = catalog.scope('Chat.Message.Read')!;
    expect(chat.kind).toBe('unknown');
    expect(chat.notes).toMatchObject({ unconfirmedKind: 'special', confidence: 'low' });
    expect(chat.sources.filter((s) => s.includes('(low confidence)')).length).toBeGreaterThanOrEqual(2);
  });

  it('edition gates, closed applications, token kinds, official English names, new codes', () => {
    expect(catalog.scope('Premium.Workflow.ReadWrite.All')!.notes).toMatchObject({ edition: 'OA高级版' });
    expect(catalog.scope('Premium.Ding.Write')!.notes).toMatchObject({ edition: '钉钉专业版/专属版' });
    expect(catalog.scope('Custom.Ding.Send')!.notes).toMatchObject({ edition: '专属钉钉' });
    expect(catalog.scope('Notable.Base.Write')!.notes).toMatchObject({ closed: true });
    expect(catalog.scope('Contact.User.Read')!.notes).toMatchObject({ access: 'delegated' });
    expect(catalog.scope('qyapi_chat_read')!.notes).toMatchObject({ access: 'application' });
    expect(catalog.scope('qyapi_get_member')!.name.en).toBe('Read permission for user information');
    expect(catalog.scope('qyapi_get_member')!.sources).toContain('name.en: supplement/scope-names-en.tsv: https://help.dingtalk.io/open/development/queries-the-details-of-a-dedicated-account');
    // the rest keep the "derived" label
    expect(catalog.scope('Calendar.Acl.Write')!.sources).toContain('name.en derived from the code');
    expect(catalog.scope('fieldMobile')).toMatchObject({ name: { zh: '企业员工手机号信息' }, notes: { confidence: 'low' } });
  });

  it('API facts: a name-only permission, a closed one, a name match kept apart from scopes', () => {
    const [activeUsers] = catalog.matchApi('GET', '/v1.0/datacenter/activeUserData');
    expect(activeUsers!.scopes).toEqual([]);
    expect(activeUsers!.permission).toEqual({ zh: '数据服务目录通讯录统计读权限' });
    expect(activeUsers!.sources.some((s) => s.startsWith('permission: supplement/api-scope-names-only.tsv: '))).toBe(true);
    expect(catalog.matchApi('POST', '/v1.0/aiInteraction/finish')[0]!.permission).toMatchObject({ closed: true });
    const [devices] = catalog.matchApi('POST', '/v1.0/devicemng/devices');
    expect(devices!.permission).toMatchObject({ zh: '制造业设备信息写权限', nameMatch: 'Manufacture.DeviceData.Write' });
    expect(devices!.scopes).not.toContain('Manufacture.DeviceData.Write');
  });

  it('scopes stats shows the new coverage', async () => {
    const r = await runCli(['scopes', 'stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/scopes with an English name\s+\d+\/\d+ \(.*\) from DingTalk's pages, \d+ derived from the code/);
    expect(r.stdout).toMatch(/APIs with only a permission name\s+107/);
    expect(r.stdout).toMatch(/APIs closed to new applications\s+117/);
    expect(r.stdout).toMatch(/APIs whose name matches one scope\s+14/);
    expect(r.stdout).toMatch(/scopes gated by an edition\s+\d+/);
  });

  it.skipIf(!existsSync(join(ROOT, '..', 'shared', 'catalog', 'supplement')))('the generator reads every supplement file (no row left unmatched)', () => {
    const { supplement } = (generateCatalog() as { report: { supplement: Record<string, number> } }).report;
    expect(supplement).toMatchObject({ unmatched: 0, nameOnly: 107, closed: 117, nameMatch: 14, namesEn: 16 });
  });
});

describe('the advice uses them', () => {
  it('an edition gate comes first: no request helps without OA高级版', async () => {
    const doc = await diagnose(named403('Premium.Workflow.ReadWrite.All'));
    expect(ids(doc)[0]).toBe('step.edition-required');
    expect(doc.findings[0]!.steps[0]).toMatch(/only for organizations on DingTalk OA高级版: no request helps/);
  });

  it('a closed API gets "no new applications", not steps that cannot work', async () => {
    const doc = await diagnose(BARE_403, ['--api', 'POST /v1.0/aiInteraction/finish']);
    expect(ids(doc)).toEqual(['step.api-closed']);
    expect(doc.findings[0]!.steps[0]).toMatch(/accepts no new applications for the permission of POST \/v1\.0\/aiInteraction\/finish/);
  });

  it('a name-only API: search the official name; a unique name match is said to be an inference', async () => {
    const named = await diagnose(BARE_403, ['--api', 'GET /v1.0/datacenter/activeUserData']);
    expect(ids(named)).toEqual(['step.search-permission-name', 'step.per-app']);
    expect(named.findings[0]!.steps[0]).toContain('search 「数据服务目录通讯录统计读权限」 in the Developer Console');
    const matched = await diagnose(BARE_403, ['--api', 'POST /v1.0/devicemng/devices']);
    expect(ids(matched)).toEqual(['step.search-permission-name', 'step.scope-by-name-match', 'step.per-app']);
    expect(matched.findings[0]!.steps[1]).toMatch(/is Manufacture\.DeviceData\.Write \(an inference from the exact name/);
    // an inference is not a scope to request
    expect(matched.summary.missingScopes).toEqual([]);
  });

  it('a delegated scope refused to an internal app: says a user token is needed', async () => {
    const doc = await diagnose(named403('Contact.User.Read'), ['--app-type', 'internal']);
    expect(ids(doc)).toContain('step.needs-user-token');
    const plain = await diagnose(named403('Contact.User.Read'));
    expect(ids(plain)).not.toContain('step.needs-user-token');
  });

  it('registration first for qyapi_recruitment_plugin; a low-confidence code says so', async () => {
    expect(ids(await diagnose(named403('qyapi_recruitment_plugin')))[0]).toBe('step.register-first');
    expect(ids(await diagnose(named403('fieldMobile')))[0]).toBe('step.scope-low-confidence');
  });
});
