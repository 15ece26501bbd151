import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/run-cli.js';

describe('cli wiring', () => {
  it('prints help with examples and exit codes, exit 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes');
  });

  it('prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    const { version } = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')));
    expect(r.stdout.trim()).toBe(version);
  });

  it('no command (or a command group without its subcommand) is a usage error: help on stderr, exit 2; `help` itself is exit 0 on stdout', async () => {
    for (const args of [[], ['scopes']]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage: dingtalk-doctor');
    }
    for (const args of [['help'], ['help', 'check'], ['scopes', '--help']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: dingtalk-doctor');
    }
  });

  it('an unknown option is a usage error: exit 2, no stack trace', async () => {
    const r = await runCli(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('help', () => {
  const commands = [
    [],
    ['diagnose'],
    ['check'],
    ['scopes'],
    ['scopes', 'list'],
    ['scopes', 'search'],
    ['scopes', 'show'],
    ['scopes', 'for'],
    ['scopes', 'stats'],
    ['scopes', 'learned'],
    ['scopes', 'scan'],
    ['completion'],
  ];
  it.each(commands)('%s --help has examples and exits 0', async (...path) => {
    const r = await runCli([...path, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}# .+\n {2}\$ .*dingtalk-doctor /);
  });
});

describe('one presenter: a format a command lacks is a usage error that lists the ones it has', () => {
  it('scopes show --format github: exit 2, nothing on stdout, the formats it has on stderr', async () => {
    const r = await runCli(['scopes', 'show', 'Contact.User.Read', '--format', 'github']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('dingtalk-doctor: scopes show has no --format github — use one of: text, json, markdown');
  });

  it('the check is made before the command runs: check --format sarif does not read a config or probe anything', async () => {
    const r = await runCli(['check', '--format', 'sarif', '--config', '/nonexistent/.dingtalkrc.yml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('check has no --format sarif');
    expect(r.stderr).not.toContain('nonexistent');
  });

  it('completion bash --json is a usage error (a script is text)', async () => {
    const r = await runCli(['completion', 'bash', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('completion has no --format json — use one of: text');
  });

  it('--json with --format github is a usage error, not a silent pick; --json with --format json is fine', async () => {
    const r = await runCli(['diagnose', 'examples/403-missing-scope.json', '--json', '--format', 'github']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^dingtalk-doctor: --json and --format github ask for two formats/);
    const ok = await runCli(['diagnose', 'examples/403-missing-scope.json', '--json', '--format', 'json']);
    expect(ok.code).toBe(1);
    expect(JSON.parse(ok.stdout).schemaVersion).toBe(1);
  });
});

describe('-q/--quiet: results only, no hints and no "Next:" lines', () => {
  it.each([
    [['scopes', 'scan', 'test/fixtures/scan/js'], /^Next: /m],
    [['scopes', 'for', 'GET /v1.0/contact/users/0123'], /^Run `dingtalk-doctor scopes show/m],
  ])('%s', async (args, hint) => {
    const loud = await runCli(args);
    const quiet = await runCli([...args, '-q']);
    expect(loud.stdout).toMatch(hint);
    expect(quiet.stdout).not.toMatch(hint);
    // the results themselves are unchanged
    const results = (text: string) => text.split('\n').filter((l) => !hint.test(l) && l.trim() !== '');
    expect(results(quiet.stdout)).toEqual(results(loud.stdout));
  });
});

describe('subcommand --help: inherited global options and a "Learn more" line', () => {
  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
  const anchors = new Set(
    readFileSync(join(ROOT, 'README.md'), 'utf8')
      .split('\n')
      .filter((l) => /^#{1,4} /.test(l))
      .map((l) => `#${l.replace(/^#+ /, '').toLowerCase().replace(/[^\p{L}\p{N} -]/gu, '').replace(/ /g, '-')}`),
  );
  it.each([['check'], ['diagnose'], ['scopes', 'show'], ['scopes', 'scan'], ['completion']])('%s %s --help', async (...path) => {
    const r = await runCli([...path, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nGlobal Options:\n(.*\n)*\s+--json\s/);
    expect(r.stdout).toMatch(/--lang <lang>/);
    const learn = /\nLearn more: https:\/\/github\.com\/[^/]+\/dingtalk-doctor(#[\w-]+)\n$/.exec(r.stdout);
    expect(learn, r.stdout.slice(-200)).not.toBeNull();
    expect(anchors.has(learn![1]!), `${learn![1]} is a README heading`).toBe(true);
  });
});
