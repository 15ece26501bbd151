/**
 * Issue 14 §3 and §2, on the built CLI over examples/legacy-60011.json (DingTalk's legacy 60011 body,
 * dingtalk-facts.md §4) and examples/403-missing-scope.json (the new-API 403, §2):
 * - an API whose official page prints only a permission name (shared/catalog/supplement/
 *   api-scope-names-only.tsv) with one scope officially so named: the scope is `via: "name-match"` —
 *   an inference, said so in the text and the JSON (schema/diagnose.json), never a scope to request;
 * - a third-party personal app's console link is the Developer Console's home, and the advice says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';

type Scope = { code: string; via: string; kind: string };
type Advice = { id: string; params: Record<string, unknown>; text: string };
type Finding = { scopes: Scope[]; consoleUrl: string; advice: Advice[]; api: { via: string } | null };
type Doc = { findings: Finding[]; summary: { missingScopes: string[] } };

const schema = JSON.parse(readFileSync(join(ROOT, 'schema/diagnose.json'), 'utf8')) as { $defs: { scope: { properties: { via: { enum: string[]; description: string } } } } };
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

async function json(args: string[]): Promise<Doc> {
  const r = await runCli(['diagnose', '--json', ...args]);
  expect(r.stderr).toBe('');
  const doc = JSON.parse(r.stdout) as Doc;
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return doc;
}
const text = async (args: string[]) => (await runCli(['diagnose', ...args])).stdout;

const DEVICES = ['--api', 'POST /v1.0/devicemng/devices', 'examples/legacy-60011.json'];

describe('a unique exact-name match is an inference: via "name-match"', () => {
  it('JSON: the scope carries via name-match; not a scope to request; no apply link for it', async () => {
    const doc = await json(['--app-key', 'dingc9aa7hnd3kbxyzqe', ...DEVICES]);
    const [f] = doc.findings;
    expect(f!.scopes.map((s) => [s.code, s.via])).toEqual([['Manufacture.DeviceData.Write', 'name-match']]);
    expect(f!.api!.via).toBe('option');
    expect(doc.summary.missingScopes).toEqual([]);
    // the steps search the official name; the console link is the app list, not an apply link for a guess
    expect(f!.advice.map((a) => a.id)).toEqual(['step.search-permission-name', 'step.scope-by-name-match', 'step.per-app']);
    expect(f!.consoleUrl).toBe('https://open-dev.dingtalk.com/fe/app#/corp/app');
  });

  it('the schema documents name-match as an inference', () => {
    const via = schema.$defs.scope.properties.via;
    expect(via.enum).toContain('name-match');
    expect(via.description).toMatch(/name-match: an inference/);
  });

  it('text: the scope line says via: name-match, an inference; the first line does not put the guess forward', async () => {
    const out = await text(DEVICES);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^✖ Missing permission → search its official name 「制造业设备信息写权限」 in Manage permissions/);
    expect(lines.find((l) => l.startsWith('  scope '))).toMatch(/Manufacture\.DeviceData\.Write — .* · via: name-match — an inference: the only scope officially named 「制造业设备信息写权限」/);
    expect(out).not.toMatch(/Scopes to request/);
    expect(await text(['--lang', 'zh', ...DEVICES])).toMatch(/via: name-match — 推断：官方名称为「制造业设备信息写权限」的唯一权限/);
  });

  it('a name-only API without a unique match names no scope', async () => {
    const doc = await json(['--api', 'GET /v1.0/datacenter/activeUserData', 'examples/legacy-60011.json']);
    expect(doc.findings[0]!.scopes).toEqual([]);
    expect(doc.findings[0]!.advice[0]!.id).toBe('step.search-permission-name');
  });
});

describe('a third-party personal app: the console home, said plainly', () => {
  it('without an AppKey the link is the console home, and the step and the first line say it is the home', async () => {
    const args = ['--app-type', 'third-party-personal', 'examples/403-missing-scope.json'];
    const [f] = (await json(args)).findings;
    expect(f!.consoleUrl).toBe('https://open-dev.dingtalk.com/');
    const signIn = f!.advice.find((a) => a.id === 'step.sign-in-personal')!;
    expect(signIn.params).toMatchObject({ consoleUrl: 'https://open-dev.dingtalk.com/', page: { id: 'page.console-home' } });
    expect(signIn.text).toMatch(/the Developer Console's home \(no public link to a personal app's own page is known/);
    const first = (await text(args)).split('\n')[0]!;
    expect(first).toMatch(/→ request it, signed in as the personal app's developer \(no organization admin\): https:\/\/open-dev\.dingtalk\.com\/ \(the Developer Console's home: no public link/);
  });

  it('with an AppKey it is the apply link, and no "home" is claimed', async () => {
    const args = ['--app-type', 'third-party-personal', '--app-key', 'dingpersonal0001', 'examples/403-missing-scope.json'];
    const [f] = (await json(args)).findings;
    expect(f!.consoleUrl).toBe('https://open-dev.dingtalk.com/appscope/apply?content=dingpersonal0001%23Contact.User.Read');
    expect(f!.advice.find((a) => a.id === 'step.sign-in-personal')!.params).toMatchObject({ page: { id: 'page.apply' } });
    expect(await text(args)).not.toMatch(/home/);
  });
});
