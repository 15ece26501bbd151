/**
 * `explain <code>` on the built CLI: any DingTalk error code offline, in every format, the JSON
 * validated against schema/explain.json; an unknown code is exit 2 with near matches. The codes are
 * DingTalk's own (its server-api-error-codes table, dingtalk-facts.md §2 and §4).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';

const validate = new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'explain.json'), 'utf8')) as object);
type Doc = { code: string; cause: string; denial: boolean; rows: Array<{ httpStatus: string | null; message: string }>; explanation: string | null; steps: string[]; advice: Array<{ id: string; params: Record<string, unknown> }> };

async function json(args: string[]): Promise<Doc> {
  const r = await runCli(['explain', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as Doc;
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return doc;
}

describe('explain <code>', () => {
  it('60011: the table entry, missing-scope, the steps that name what to pass', async () => {
    const doc = await json(['60011']);
    expect(doc).toMatchObject({ code: '60011', cause: 'missing-scope', denial: true });
    expect(doc.rows).toEqual([expect.objectContaining({ httpStatus: null, message: '没有调用该接口的权限' })]);
    expect(doc.explanation).toMatch(/^没有调用该接口的权限。需要修改appkey对应的权限点/);
    expect(doc.advice.map((a) => a.id)).toContain('step.find-scope-with-api');
  });

  it('Forbidden.AccessDenied.IpNotInWhiteList: ip-not-allowed; --app-type third-party-enterprise gives the suite allow-list step', async () => {
    const internal = await json(['Forbidden.AccessDenied.IpNotInWhiteList']);
    expect(internal).toMatchObject({ cause: 'ip-not-allowed', denial: true });
    expect(internal.rows[0]!.httpStatus).toBe('403');
    expect(internal.advice.map((a) => a.id)).toEqual(['step.ip-not-listed-unknown', 'step.ip-add-internal-unknown', 'step.ip-fixed-egress']);
    const isv = await json(['Forbidden.AccessDenied.IpNotInWhiteList', '--app-type', 'third-party-enterprise']);
    expect(isv.advice[1]!.id).toBe('step.ip-add-isv-unknown');
  });

  it('40035: not a permission problem, DingTalk\'s explanation not repeated as a step', async () => {
    const doc = await json(['40035']);
    expect(doc).toMatchObject({ cause: 'other-error', denial: false });
    expect(doc.explanation).toMatch(/^不合法的参数/);
    expect(doc.advice.map((a) => a.id)).toEqual(['step.check-request']);
  });

  it('InvalidParameter: the 60 rows listed (JSON all, text the first 8), no single row picked as the explanation', async () => {
    const doc = await json(['InvalidParameter']);
    expect(doc.rows.length).toBeGreaterThan(40);
    expect(doc.explanation).toBeNull();
    const text = await runCli(['explain', 'InvalidParameter']);
    expect(text.stdout).toMatch(/DingTalk's table has \d+ rows for this code/);
    expect(text.stdout).toMatch(/… \d+ more \(--json lists all\)/);
  });

  it('a code only public material documents (22) is explained; text, markdown, github and --lang zh', async () => {
    const text = await runCli(['explain', '22']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^! 22 — DingTalk error \(not a permission problem\)$/m);
    expect(text.stdout).toContain('不合法的ApiName');
    const md = await runCli(['explain', '60011', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^### `60011` — Missing permission$/m);
    const gh = await runCli(['explain', '60011', '--format', 'github']);
    expect(gh.stdout).toMatch(/^::notice title=DingTalk 60011%3A Missing permission::/);
    const zh = await runCli(['explain', '60011', '--lang', 'zh']);
    expect(zh.stdout).toMatch(/^✖ 60011 — 缺少接口权限$/m);
    expect(zh.stdout).toContain('这是拒绝');
  });

  it('an unknown code: exit 2, one line on stderr with near matches, stdout empty', async () => {
    const r = await runCli(['explain', '6001', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/"6001" is not a DingTalk error code this tool knows — did you mean .*60011/);
    const typo = await runCli(['explain', 'Forbiden.AccessDenied.IpNotInWhitelist']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean Forbidden\.AccessDenied\.IpNotInWhiteList/);
  });
});
