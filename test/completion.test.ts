/** Completion scripts: generated from the real command tree, exercised in a real bash. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './helpers/run-cli.js';

let bashScript: string;
let binDir: string;

beforeAll(async () => {
  const r = await runCli(['completion', 'bash']);
  expect(r.code).toBe(0);
  bashScript = r.stdout;
  // The script calls `dingtalk-doctor completion --values …`: put our bin on PATH under that name.
  binDir = mkdtempSync(join(tmpdir(), 'dd-compl-'));
  writeFileSync(join(binDir, 'dingtalk-doctor'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(binDir, 'dingtalk-doctor'), 0o755);
});

/** Completes the last word of `line` in bash and returns the candidates. */
function complete(line: string, cwd?: string): string[] {
  const words = line.split(' ');
  const script = `${bashScript}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_dingtalk_doctor
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd, env: { PATH: `${binDir}:${process.env.PATH}`, HOME: binDir } });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('completion', () => {
  it('bash: completes subcommands, sub-subcommands and options', () => {
    expect(complete('dingtalk-doctor ')).toEqual(expect.arrayContaining(['diagnose', 'check', 'scopes', 'completion']));
    expect(complete('dingtalk-doctor scopes s').sort()).toEqual(['scan', 'search', 'show', 'stats']);
    expect(complete('dingtalk-doctor check --all-a')).toEqual(['--all-apps']);
    expect(complete('dingtalk-doctor diagnose --js')).toEqual(['--json']);
  });

  it('bash: completes scope codes from the catalog after --scope and for `scopes show`', () => {
    expect(complete('dingtalk-doctor check --scope Contact.User.Re')).toContain('Contact.User.Read');
    expect(complete('dingtalk-doctor scopes show qyapi_robot_se')).toContain('qyapi_robot_sendmsg');
  });

  it('bash: completes configured app names after --app', () => {
    const project = mkdtempSync(join(tmpdir(), 'dd-compl-apps-'));
    writeFileSync(
      join(project, '.dingtalkrc.json'),
      JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'k', appSecret: '${CRM_SECRET}' }, hr: { type: 'internal', appKey: 'k2', appSecret: '${HR_SECRET}' } } }),
    );
    expect(complete('dingtalk-doctor check --app ', project).sort()).toEqual(['crm', 'hr']);
  });

  it('zsh and fish scripts name every command', async () => {
    for (const shell of ['zsh', 'fish']) {
      const r = await runCli(['completion', shell]);
      expect(r.code).toBe(0);
      for (const word of ['diagnose', 'check', 'scopes', 'learned', 'scan']) expect(r.stdout).toContain(word);
    }
  });

  const has = (shell: string) => spawnSync(shell, ['--version'], { encoding: 'utf8' }).status === 0;
  const scriptFile = async (shell: string) => {
    const r = await runCli(['completion', shell]);
    expect(r.code).toBe(0);
    const file = join(binDir, `completion.${shell}`);
    writeFileSync(file, r.stdout);
    return file;
  };
  const env = () => ({ PATH: `${binDir}:${process.env.PATH}`, HOME: binDir });

  it.skipIf(!has('zsh'))('zsh: the script parses (zsh -n) and its function completes subcommands, app names and scope codes', async () => {
    const file = await scriptFile('zsh');
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    const project = mkdtempSync(join(tmpdir(), 'dd-compl-zsh-'));
    writeFileSync(join(project, '.dingtalkrc.json'), JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'k', appSecret: '${X}' } } }));
    // Outside the completion system: compadd/_files stubbed to print the candidates.
    const run = (words: string[]) => {
      const script = `compdef() { :; }\nsource ${file}\ncompadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }\n_files() { :; }\nwords=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; PREFIX='${words.at(-1)}'\n_dingtalk_doctor`;
      const r = spawnSync('zsh', ['-f', '-c', script], { encoding: 'utf8', cwd: project, env: env() });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(run(['dingtalk-doctor', 'scopes', ''])).toEqual(expect.arrayContaining(['list', 'search', 'show', 'for', 'stats', 'learned', 'scan']));
    expect(run(['dingtalk-doctor', 'check', ''])).toEqual(expect.arrayContaining(['--all-apps', '--scope', '--app']));
    expect(run(['dingtalk-doctor', 'check', '--app', ''])).toEqual(['crm']);
    expect(run(['dingtalk-doctor', 'check', '--scope', 'Contact.'])).toContain('Contact.User.Read');
    expect(run(['dingtalk-doctor', 'scopes', 'show', 'qyapi_'])).toContain('qyapi_robot_sendmsg');
  });

  it.skipIf(!has('fish'))('fish: the script parses (fish -n) and `complete -C` completes subcommands, options, app names and scope codes', async () => {
    const file = await scriptFile('fish');
    expect(spawnSync('fish', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    const project = mkdtempSync(join(tmpdir(), 'dd-compl-fish-'));
    writeFileSync(join(project, '.dingtalkrc.json'), JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'k', appSecret: '${X}' }, hr: { type: 'internal', appKey: 'k2', appSecret: '${Y}' } } }));
    const run = (line: string) => {
      const r = spawnSync('fish', ['--no-config', '-c', `source ${file}; complete -C '${line}'`], { encoding: 'utf8', cwd: project, env: env() });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
    };
    expect(run('dingtalk-doctor ')).toEqual(expect.arrayContaining(['check', 'completion', 'diagnose', 'explain', 'init', 'scopes']));
    expect(run('dingtalk-doctor ').filter((w) => w.startsWith('-'))).toEqual([]);
    expect(run('dingtalk-doctor scopes s').sort()).toEqual(['scan', 'search', 'show', 'stats']);
    expect(run('dingtalk-doctor check --all-a')).toEqual(['--all-apps']);
    expect(run('dingtalk-doctor check --app ').sort()).toEqual(['crm', 'hr']);
    expect(run('dingtalk-doctor check --scope Contact.User.Re')).toContain('Contact.User.Read');
    expect(run('dingtalk-doctor scopes show qyapi_robot_se')).toContain('qyapi_robot_sendmsg');
  });

  it('bash: the script parses (bash -n)', () => {
    const file = join(binDir, 'completion.bash');
    writeFileSync(file, bashScript);
    expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
  });

  it('an unknown shell is a usage error (exit 2)', async () => {
    const r = await runCli(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/powershell/);
  });

  it('bash: the values of --format, --lang, --app-type, completion <shell>', () => {
    expect(complete('dingtalk-doctor check --format ').sort()).toEqual(['github', 'json', 'junit', 'markdown', 'sarif', 'text']);
    expect(complete('dingtalk-doctor diagnose --lang ').sort()).toEqual(['en', 'zh']);
    expect(complete('dingtalk-doctor diagnose --app-type third').sort()).toEqual(['third-party-enterprise', 'third-party-personal']);
    expect(complete('dingtalk-doctor completion ').sort()).toEqual(['bash', 'fish', 'zsh']);
  });

  const twoConfigs = () => {
    const project = mkdtempSync(join(tmpdir(), 'dd-compl-cfg-'));
    writeFileSync(join(project, '.dingtalkrc.json'), JSON.stringify({ apps: { crm: { type: 'internal', appKey: 'k', appSecret: '${X}' } } }));
    writeFileSync(join(project, 'other.json'), JSON.stringify({ apps: { billing: { type: 'internal', appKey: 'k3', appSecret: '${Z}' } } }));
    return project;
  };

  it('bash: app names honour --config on the same line', () => {
    const project = twoConfigs();
    expect(complete('dingtalk-doctor check --app ', project)).toEqual(['crm']);
    expect(complete('dingtalk-doctor check --config other.json --app ', project)).toEqual(['billing']);
    expect(complete('dingtalk-doctor check --config=other.json --app ', project)).toEqual(['billing']);
  });

  it.skipIf(!has('zsh'))('zsh: choices, shells and --config on the line', async () => {
    const file = await scriptFile('zsh');
    const project = twoConfigs();
    const run = (words: string[]) => {
      const script = `compdef() { :; }\nsource ${file}\ncompadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }\n_files() { :; }\nwords=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; PREFIX='${words.at(-1)}'\n_dingtalk_doctor`;
      const r = spawnSync('zsh', ['-f', '-c', script], { encoding: 'utf8', cwd: project, env: env() });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(run(['dingtalk-doctor', 'check', '--format', '']).sort()).toEqual(['github', 'json', 'junit', 'markdown', 'sarif', 'text']);
    expect(run(['dingtalk-doctor', 'completion', '']).sort()).toEqual(['bash', 'fish', 'zsh']);
    expect(run(['dingtalk-doctor', 'check', '--config', 'other.json', '--app', ''])).toEqual(['billing']);
  });

  it.skipIf(!has('fish'))('fish: descriptions, choices, shells and --config on the line', async () => {
    const file = await scriptFile('fish');
    const project = twoConfigs();
    const run = (line: string) => {
      const r = spawnSync('fish', ['--no-config', '-c', `source ${file}; complete -C '${line}'`], { encoding: 'utf8', cwd: project, env: env() });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(run('dingtalk-doctor ')).toContain("check\tprobe an app's permissions against DingTalk and list the scopes it is missing");
    expect(run('dingtalk-doctor check --all-a')).toEqual(['--all-apps\tevery configured app']);
    expect(run('dingtalk-doctor check --format ').map((l) => l.split('\t')[0]).sort()).toEqual(['github', 'json', 'junit', 'markdown', 'sarif', 'text']);
    expect(run('dingtalk-doctor completion ').map((l) => l.split('\t')[0]).sort()).toEqual(['bash', 'fish', 'zsh']);
    expect(run('dingtalk-doctor check --config other.json --app ').map((l) => l.split('\t')[0])).toEqual(['billing']);
  });
});
