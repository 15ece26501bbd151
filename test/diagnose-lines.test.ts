/**
 * Issue 14 §2: `diagnose` prints each finding in 3–6 lines, gh style, with the action on the first
 * line (`✖ App crm lacks Contact.User.Read → request it: <apply link>`). Counted on the built CLI over
 * the real fixtures of every kind of finding — their public sources are named where each fixture is
 * tested (examples/README in the README, test/realworld*.test.ts, test/sdk-frames.test.ts) — in both
 * languages; a kind whose text grows past 6 lines fails here.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';

/** The findings of a text output: from a `✖`/`!` line to the blank line after it. */
function findings(stdout: string): string[][] {
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const line of stdout.split('\n')) {
    if (/^(✖|!) /.test(line)) out.push((current = [line]));
    else if (line === '') current = null;
    else current?.push(line);
  }
  return out;
}

interface Kind {
  kind: string;
  args: string[];
  /** What the first line must say (the action), in English. */
  first: RegExp;
}

const RR = 'test/fixtures/diagnose/realworld';
const KINDS: Kind[] = [
  { kind: 'missing scope, new API 403 (scope named)', args: ['examples/403-missing-scope.json'], first: /^✖ Missing permission · Contact\.User\.Read → request it: https:\/\/open-dev\.dingtalk\.com\// },
  { kind: 'missing scope, the app from the config', args: ['--config', 'examples/demo-dingtalkrc.yml', 'examples/403-missing-scope.json'], first: /^✖ App crm lacks Contact\.User\.Read → request it: https:\/\/open-dev\.dingtalk\.com\/appscope\/apply\?content=dingdemoappkey0001%23Contact\.User\.Read$/ },
  { kind: 'missing scope, scope from the catalog (SDK stack frame)', args: ['test/fixtures/diagnose/sdk-frames/python-acronym-traceback.txt'], first: /→ request it: / },
  { kind: 'missing scope, two scopes', args: ['test/fixtures/diagnose/two-scopes.json'], first: /Calendar\.Event\.Read, Calendar\.Event\.Write → request it: / },
  { kind: 'legacy 60011, no API', args: ['examples/legacy-60011.json'], first: /→ the error names no scope: name the failing API/ },
  { kind: 'legacy 88 / sub_code 60011 with the apply link', args: ['examples/legacy-88-wrapper.json'], first: /^✖ App dingc9aa7hnd3kbxyzqe lacks qyapi_get_department_list → request it: https:\/\/open-dev\.dingtalk\.com\/appscope\/apply/ },
  { kind: 'legacy 60020, IP allow-list', args: ['examples/legacy-60020.json'], first: /→ add 198\.51\.100\.23 to the app's IP allow-list: / },
  { kind: 'new API 403, IP allow-list', args: [`${RR}/axios-inspect-ip.txt`], first: /→ add 198\.51\.100\.23 to the app's IP allow-list: / },
  { kind: 'IP allow-list, third-party enterprise app', args: ['--app-type', 'third-party-enterprise', 'examples/legacy-60020.json'], first: /→ add 198\.51\.100\.23 to the app's IP allow-list: https:\/\/open-dev\.dingtalk\.com\/fe\/app#\/isv\/app$/ },
  { kind: 'non-permission error', args: [`${RR}/requests-python.log`], first: /^! DingTalk error \(not a permission problem\) → check the request against the API document$/ },
  { kind: 'non-permission error (invalid ApiName 22)', args: [`${RR}/invalid-apiname-22.json`], first: /^! .* → check the request/ },
  { kind: 'invalid token', args: [`${RR}/oapi-curl-token.txt`], first: /→ get a fresh access token .*: https:\/\/open-dev\.dingtalk\.com\// },
  { kind: 'rate limit', args: [`${RR}/oapierror-90002.log`], first: /→ slow down and retry with back-off$/ },
  { kind: 'organization authentication', args: [`${RR}/go-test-tab-orgauth.txt`], first: /→ the organization's admin completes its authentication$/ },
  { kind: 'unrecognised refusal', args: [`${RR}/axios-tojson.json`], first: /→ check the app's permissions, IP allow-list and authorization: / },
  { kind: 'special scope', args: ['examples/sdk-message.txt'], first: /Document\.AIAssistant\.Read → request it as an Admin, with a written description: / },
  { kind: 'special scope, third-party enterprise app', args: ['--app-type', 'third-party-enterprise', 'examples/sdk-message.txt'], first: /→ request it as an Admin, with a written description: https:\/\/open-dev\.dingtalk\.com\/fe\/app#\/isv\/app$/ },
  { kind: 'special scope, third-party personal app', args: ['--app-type', 'third-party-personal', 'examples/sdk-message.txt'], first: /→ request it, signed in as the personal app's developer .*: https:\/\/open-dev\.dingtalk\.com\/ \(the Developer Console's home: / },
  { kind: 'sensitive scope', args: ['--api', 'POST /v1.0/contact/seniorSettings', 'examples/legacy-60011.json'], first: /qyapi_manage_addresslist → ask DingTalk support to open it/ },
  { kind: 'base scope', args: ['--api', 'GET /auth/scopes', 'examples/legacy-60011.json'], first: /qyapi_base → nothing to request/ },
  { kind: 'name-only API', args: ['--api', 'GET /v1.0/datacenter/activeUserData', 'examples/legacy-60011.json'], first: /→ search its official name 「数据服务目录通讯录统计读权限」/ },
  { kind: 'name-only API, a unique name match', args: ['--api', 'POST /v1.0/devicemng/devices', 'examples/legacy-60011.json'], first: /^✖ Missing permission → search its official name 「制造业设备信息写权限」/ },
  { kind: 'API closed to new applications', args: ['--api', 'POST /v1.0/aiInteraction/finish', 'examples/legacy-60011.json'], first: /→ no request can succeed: DingTalk accepts no new applications/ },
  { kind: 'third-party personal app', args: ['--app-type', 'third-party-personal', 'examples/403-missing-scope.json'], first: /→ request it, signed in as the personal app's developer/ },
  { kind: 'third-party enterprise app', args: ['--app-type', 'third-party-enterprise', 'examples/403-missing-scope.json'], first: /→ request it: https:\/\/open-dev\.dingtalk\.com\/fe\/app#\/isv\/app$/ },
  { kind: 'third-party enterprise app, legacy 60011 without API', args: ['--app-type', 'third-party-enterprise', 'examples/legacy-60011.json'], first: /→ the error names no scope/ },
  { kind: 'API the catalog does not know', args: ['--api', 'POST /v1.0/nothing/here', 'examples/legacy-60011.json'], first: /→ the error names no scope: look it up in the API document's Permissions section$/ },
];

const diagnose = async (args: string[], lang: 'en' | 'zh') => {
  const r = await runCli(['diagnose', '--lang', lang, ...args]);
  expect(r.stderr).toBe('');
  return findings(r.stdout);
};

describe('diagnose text: 3–6 lines per finding, the action on the first line', () => {
  it.each(KINDS)('$kind', async ({ args, first }) => {
    for (const lang of ['en', 'zh'] as const) {
      const found = await diagnose(args, lang);
      expect(found.length).toBeGreaterThan(0);
      for (const lines of found) {
        expect(lines.length, `${lang}:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(3);
        expect(lines.length, `${lang}:\n${lines.join('\n')}`).toBeLessThanOrEqual(6);
        // the action is on the first line: `→ …`
        expect(lines[0]).toMatch(/ → /);
      }
      if (lang === 'en') expect(found[0]![0]).toMatch(first);
    }
  });

  it('every finding of every fixture in examples/ and test/fixtures/diagnose/ stays within 6 lines', async () => {
    const dirs = ['examples', 'test/fixtures/diagnose', `${RR}`, 'test/fixtures/diagnose/sdk-frames'];
    const inputs = dirs.flatMap((d) => readdirSync(join(ROOT, d), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => `${d}/${e.name}`));
    // one run per input: a bad input (binary, empty) exits 2 alone and does not hide the others
    let counted = 0;
    // four runs at a time: ≈ 90 CLI runs one after another took 30 s on a loaded 2-core machine
    for (let i = 0; i < inputs.length; i += 4) {
      const batch = inputs.slice(i, i + 4);
      const runs = await Promise.all(batch.map((input) => runCli(['diagnose', input])));
      runs.forEach((r, j) => {
        for (const lines of findings(r.stdout)) {
          counted++;
          expect(lines.length, `${batch[j]}:\n${lines.join('\n')}`).toBeLessThanOrEqual(6);
          expect(lines.length, `${batch[j]}:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(3);
        }
      });
    }
    expect(counted).toBeGreaterThan(60);
  }, 120_000);
});
