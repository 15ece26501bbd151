/**
 * Advice is data: the core returns `{ id, params }`, the texts live in src/messages/en.json and
 * zh.json, render/messages.ts fills them in. These tests read the real message files, the real
 * cause table (src/core/cause-fixes.json), the sources that name ids, the published schemas, and
 * run the built CLI: `--json` does not change with the locale, only with --lang.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAUSE_FIX_TABLE } from '../src/core/advice-steps.js';
import fc from 'fast-check';
import { fillPlaceholders, message } from '../src/render/messages.js';
import { ROOT, runCli } from './helpers/run-cli.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const en = JSON.parse(read('src/messages/en.json')) as Record<string, string>;
const zh = JSON.parse(read('src/messages/zh.json')) as Record<string, string>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message tables', () => {
  it('en and zh have the same ids, and each id the same placeholders in both languages', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const id of Object.keys(en)) expect(placeholders(zh[id]!), id).toEqual(placeholders(en[id]!));
  });

  it('every id the sources name exists (step(…), message(…), `cause.${cause}`)', () => {
    const files = ['src/core', 'src/render', 'src/commands', 'src/dingtalk'].flatMap((dir) =>
      readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`),
    );
    const named = new Set<string>();
    for (const file of files) {
      for (const m of read(file).matchAll(/\b(?:step|message)\(\s*'([a-z][\w.-]+)'/g)) named.add(m[1]!);
      // ids picked by a condition: step(cond ? 'a' : 'b'), step(note?.granter ?? 'b')
      for (const m of read(file).matchAll(/'((?:step|app|granter|source|cause|text|action|explain)\.[a-z0-9.-]+)'/g)) named.add(m[1]!);
    }
    expect(named.size).toBeGreaterThan(20);
    for (const id of named) expect(en[id], `${id} is not in src/messages/en.json`).toBeDefined();
    for (const cause of Object.keys(CAUSE_FIX_TABLE)) expect(en[`cause.${cause}`], `cause.${cause}`).toBeDefined();
  });

  it('cause-fixes.json: every step exists and its params are exactly its text\'s placeholders', () => {
    for (const [cause, { steps, sources }] of Object.entries(CAUSE_FIX_TABLE)) {
      expect(sources.length, cause).toBeGreaterThan(0);
      for (const s of steps) {
        expect(en[s.id], s.id).toBeDefined();
        expect([...(s.params ?? [])].sort(), s.id).toEqual(placeholders(en[s.id]!));
      }
    }
  });

  it('cause-codes.json: every group has a cause of the Cause union and a source; no code is in two groups', () => {
    const table = JSON.parse(read('src/core/cause-codes.json')) as Record<'newApi' | 'legacy', Array<{ cause: string; codes: string[]; source: string }>>;
    const seen = new Set<string>();
    for (const group of [...table.newApi, ...table.legacy]) {
      expect(Object.keys(CAUSE_FIX_TABLE), group.cause).toContain(group.cause);
      expect(group.source.length, group.codes.join()).toBeGreaterThan(5);
      for (const code of group.codes) {
        expect(seen.has(code), code).toBe(false);
        seen.add(code);
      }
    }
  });

  it('the schemas document every step id, the same in diagnose, check and scopes', () => {
    const stepIds = Object.keys(en).filter((id) => id.startsWith('step.') || id === 'text.untranslated').sort();
    for (const name of ['diagnose', 'check', 'scopes', 'explain']) {
      const schema = JSON.parse(read(`schema/${name}.json`)) as { $defs: { step: { properties: { id: { examples: string[] } } } } };
      expect([...schema.$defs.step.properties.id.examples].sort(), `${name}: run node scripts/schema-step-ids.mjs`).toEqual(stepIds);
    }
  });
});

describe('message()', () => {
  it('fills placeholders, a message parameter in the same language', () => {
    const app = { id: 'app.with-key', params: { appKey: 'dingK' } };
    expect(message('step.request-scope', { app, scope: 'Contact.User.Read' }, 'en')).toBe(
      'Open the app (AppKey dingK) → Manage permissions (权限管理) → search Contact.User.Read → Request permission (申请权限).',
    );
    expect(message('step.request-scope', { app, scope: 'Contact.User.Read' }, 'zh')).toBe('打开应用（AppKey dingK） → 权限管理 → 搜索 Contact.User.Read → 申请权限。');
    expect(message('cause.throttled', {}, 'zh')).toBe('调用被限流');
  });

  it('an unknown id or a missing parameter is a bug, not a blank', () => {
    expect(() => message('step.no-such-step', {}, 'en')).toThrow(/no message "step.no-such-step"/);
    expect(() => message('step.sign-in', {}, 'en')).toThrow(/lacks the parameter "consoleUrl"/);
  });
});

describe('--json is locale-independent', () => {
  const file = join(ROOT, 'examples/legacy-60020.json');

  it('the same document under LANG=zh_CN and LANG=en_US; ids and params with the text', async () => {
    const zhLocale = await runCli(['diagnose', file, '--json'], { env: { LANG: 'zh_CN.UTF-8' } });
    const enLocale = await runCli(['diagnose', file, '--json'], { env: { LANG: 'en_US.UTF-8' } });
    expect(zhLocale.code).toBe(1);
    expect(zhLocale.stdout).toBe(enLocale.stdout);
    const [f] = (JSON.parse(zhLocale.stdout) as { findings: Array<{ steps: string[]; advice: Array<{ id: string; params: Record<string, unknown>; text: string }> }> }).findings;
    expect(f!.advice.map((a) => a.id)).toEqual(['step.ip-not-listed', 'step.ip-add-internal', 'step.ip-fixed-egress']);
    expect(f!.advice.map((a) => a.text)).toEqual(f!.steps);
    expect(f!.steps[0]).toMatch(/^The server's egress IP \S+ is not in/);
  });

  it('--lang zh changes only the texts', async () => {
    const en = JSON.parse((await runCli(['diagnose', file, '--json'])).stdout) as { findings: Array<{ advice: Array<{ id: string; params: unknown; text: string }> }> };
    const zhDoc = JSON.parse((await runCli(['diagnose', file, '--json', '--lang', 'zh'])).stdout) as typeof en;
    const strip = (d: typeof en) => d.findings.map((f) => f.advice.map(({ id, params }) => ({ id, params })));
    expect(strip(zhDoc)).toEqual(strip(en));
    expect(zhDoc.findings[0]!.advice[0]!.text).toMatch(/^服务器出口 IP/);
  });
});

describe('fillPlaceholders', () => {
  it("fills exactly what template.replace(/\\{(\\w+)\\}/g, …) does, on every message and on random templates", () => {
    const byRegex = (t: string, value: (name: string) => string) => t.replace(/\{(\w+)\}/g, (_, name: string) => value(name));
    const value = (name: string) => `<${name.length}:${name}>`;
    for (const lang of ['en', 'zh']) {
      const table = JSON.parse(readFileSync(join(ROOT, 'src', 'messages', `${lang}.json`), 'utf8')) as Record<string, string>;
      for (const template of Object.values(table)) expect(fillPlaceholders(template, value)).toBe(byRegex(template, value));
    }
    const piece = fc.constantFrom('{', '}', '{a}', '{{b}}', '{a_1}', '{}', '{ x}', '{é}', 'a', '_', '9', ' ', '中', '\\', '{{', '}}');
    fc.assert(fc.property(fc.array(piece, { maxLength: 24 }), (parts) => {
      const t = parts.join('');
      expect(fillPlaceholders(t, value)).toBe(byRegex(t, value));
    }), { numRuns: 3000 });
  });
});
