/**
 * The GitHub Action (action.yml at the root): its metadata validated against the action
 * metadata schema (SchemaStore's github-action.json, vendored in test/fixtures/schemas with its
 * source), and its composite steps run here as GitHub runs them — each `run:` as a script under
 * `bash --noprofile --norc -eo pipefail`, `${{ inputs.* }}` / `${{ github.action_path }}` filled
 * in, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files — against the fake DingTalk on 127.0.0.1.
 * `uses:` steps (actions/setup-node) are not run: the step before them decides, and this
 * machine's Node is new enough (asserted).
 */
import { Ajv } from 'ajv';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FakeDingTalk } from './fake-dingtalk/server.js';
import type { Workspace } from './fake-dingtalk/workspace.js';
import { startCrmApp, stopCrmApp } from './helpers/crm-app.js';
import { ROOT, TEST_CACHE_DIR } from './helpers/run-cli.js';

interface Step { name?: string; id?: string; if?: string; uses?: string; run?: string; shell?: string; env?: Record<string, string>; 'working-directory'?: string; with?: Record<string, string> }
interface ActionYml { inputs: Record<string, { default?: string }>; outputs: Record<string, { value: string }>; runs: { using: string; steps: Step[] } }

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const SECRET = 'crm-secret-action-9191';
let fake: FakeDingTalk;
let ws: Workspace;

beforeAll(async () => {
  ({ fake, ws } = await startCrmApp({ appKey: 'dingcrmaction', secret: SECRET, grants: ['Contact.User.Read'], required: ['Contact.User.Read', 'Calendar.Event.Write'], secretVar: 'CRM_APP_SECRET' }));
  ws.write('src/sync.ts', "export const calendars = (userId: string) => fetch('https://api.dingtalk.com/v1.0/calendar/users/' + userId + '/calendars');\n");
});

afterAll(() => stopCrmApp({ fake, ws }));

/** GitHub's expressions this action uses; any other one fails the test (add it here when action.yml needs it). */
function fill(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expr);
    if (input) return inputs[input[1]!] ?? action.inputs[input[1]!]?.default ?? '';
    if (expr === 'github.action_path') return ROOT;
    throw new Error(`expression not handled by this test: ${expr}`);
  });
}

interface StepRun { code: number | null; stdout: string; stderr: string; outputs: Record<string, string> }

/** A child process, awaited: the fake DingTalk answers from this process's event loop (no spawnSync). */
function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs the composite's steps in order, as the runner would, until one fails. */
async function runAction(inputs: Record<string, string>, secrets: Record<string, string> = {}) {
  const outputs: Record<string, Record<string, string>> = {};
  const summary = ws.write('step-summary.md', '');
  const runs: StepRun[] = [];
  for (const [i, step] of action.runs.steps.entries()) {
    if (step.if) {
      // the one condition: setup-node only when the runner's Node is too old
      expect(step.if).toBe("steps.node.outputs.setup == 'true'");
      expect(outputs.node?.setup).toBe('false');
      continue;
    }
    if (step.uses) throw new Error(`an unconditional uses: step (${step.uses}) cannot run here`);
    expect(step.shell).toBe('bash');
    const outputFile = ws.write(`output-${i}.txt`, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH!,
      HOME: join(ws.dir, 'home'),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summary,
      DINGTALK_DOCTOR_CACHE_DIR: TEST_CACHE_DIR,
      DINGTALK_API_BASE: fake.url,
      ...secrets,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, fill(v, inputs)])),
    };
    const script = ws.write(`step-${i}.sh`, fill(step.run!, inputs));
    const cwd = step['working-directory'] ? fill(step['working-directory'], inputs) : ws.dir;
    const r = await bash(script, cwd, env);
    const stepOutputs = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
    if (step.id) outputs[step.id] = stepOutputs;
    runs.push({ code: r.status, stdout: r.stdout, stderr: r.stderr, outputs: stepOutputs });
    if (r.status !== 0) break;
  }
  return { last: runs.at(-1)!, summary: readFileSync(summary, 'utf8'), outputs };
}

describe('action.yml', () => {
  it('is valid action metadata (SchemaStore github-action.json), a composite with the inputs command, app, config, args', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/schemas/github-action.json'), 'utf8')) as object);
    expect(validate(action), JSON.stringify(validate.errors)).toBe(true);
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['command', 'app', 'config', 'args']));
    expect(action.outputs['exit-code']!.value).toBe('${{ steps.run.outputs.exit-code }}');
    // the schema can fail: a run step without its shell is not valid metadata
    const broken = structuredClone(action);
    delete broken.runs.steps.find((s) => s.run)!.shell;
    expect(validate(broken)).toBe(false);
  });

  it('command check: annotations at the config line, the job summary, exit-code 1 as output and exit code', async () => {
    const { last, summary } = await runAction({ command: 'check' }, { CRM_APP_SECRET: SECRET });
    expect(last.code, last.stdout + last.stderr).toBe(1);
    expect(last.outputs['exit-code']).toBe('1');
    expect(last.stdout).toMatch(/^::error file=\.dingtalkrc\.yml,line=6,title=Missing DingTalk scope Calendar\.Event\.Write \(app crm\)::/m); // the line of `required: [...]`
    expect(summary).toContain('| `Calendar.Event.Write` |');
    expect(`${last.stdout}${last.stderr}${summary}`).not.toContain(SECRET);
  });

  it('command scan with app: the call site that will fail, as an annotation at its line', async () => {
    const { last } = await runAction({ command: 'scan', app: 'crm', args: 'src' }, { CRM_APP_SECRET: SECRET });
    expect(last.code, last.stderr).toBe(1);
    expect(last.stdout).toMatch(/^::error file=src\/sync\.ts,line=1,title=App crm lacks DingTalk scope Calendar\.Event\.Read/m);
  });

  it('command diagnose with args: offline annotations for a log', async () => {
    writeFileSync(join(ws.dir, 'app.log'), readFileSync(join(ROOT, 'examples/app.log')));
    const { last, summary } = await runAction({ command: 'diagnose', args: 'app.log' });
    expect(last.code).toBe(1);
    expect(last.stdout).toMatch(/^::error file=app\.log,line=3,title=DingTalk%3A Missing permission · Contact\.User\.Read::/m);
    expect(summary).toContain('dingtalk-doctor');
  });

  it('an unknown command is exit 2 with an annotation; an input is never run as shell code', async () => {
    const bad = await runAction({ command: 'bogus' });
    expect(bad.last.code).toBe(2);
    expect(bad.last.stdout).toContain("::error title=dingtalk-doctor::input command must be check, diagnose or scan, got 'bogus'");
    const injected = await runAction({ command: 'diagnose', args: '$(touch pwned) app.log;touch pwned2' });
    expect(injected.last.stderr).toMatch(/\$\(touch|no such file|pwned/);
    expect(spawnSync('ls', [ws.dir], { encoding: 'utf8' }).stdout).not.toMatch(/pwned/);
  });

  it('examples/github-actions.yml uses this action (uses: ./) and never npx: no unclaimed package name runs with the secrets', () => {
    const text = readFileSync(join(ROOT, 'examples/github-actions.yml'), 'utf8');
    const workflow = parse(text) as { jobs: Record<string, { steps: Step[] }> };
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.map((st) => st.uses).filter(Boolean));
    expect(uses.filter((u) => u === './')).toHaveLength(3);
    expect(text).not.toMatch(/\bnpx\b|npm (i|install) (-g|--global)/);
  });
});
