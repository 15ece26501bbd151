/**
 * A run of one command registers only that command in full (src/cli.ts, with `commandWord`): the others
 * by name. Nothing a user sees may change: a command's help is the same as through `help <command>`
 * (which registers every command), and options of the other commands are still refused as unknown.
 */
import { describe, expect, it } from 'vitest';
import { commandWord } from '../src/commands/shared.js';
import { runCli } from './helpers/run-cli.js';

describe('one command registered per run', () => {
  it('finds the command word past global options and their values', () => {
    const argv = (...words: string[]) => ['node', 'dingtalk-doctor', ...words];
    const commandOf = (words: string[]) => commandWord(words, ['diagnose', 'check', 'scopes', 'completion'], ['--format', '--lang']);
    expect(commandOf(argv('diagnose', 'x.json'))).toBe('diagnose');
    expect(commandOf(argv('--lang', 'zh', '--format', 'json', 'scopes', 'show', 'X'))).toBe('scopes');
    expect(commandOf(argv('--json', 'check', '--app', 'crm'))).toBe('check');
    // every command is registered for help, an unknown word (suggestions), no command
    for (const words of [['help', 'check'], ['diagnos'], ['--version'], [], ['--', 'check']]) expect(commandOf(argv(...words))).toBeUndefined();
  });

  it('each command prints the same help as `help <command>`', async () => {
    for (const command of ['diagnose', 'check', 'scopes', 'init', 'explain']) {
      const direct = await runCli([command, '--help']);
      const viaHelp = await runCli(['help', command]);
      expect(direct.code).toBe(0);
      expect(direct.stdout).toContain(`Usage: dingtalk-doctor ${command}`);
      expect(direct.stdout).toBe(viaHelp.stdout);
    }
  });

  it('a global option with a value before the command (the value is not taken for the command)', async () => {
    const r = await runCli(['--lang', 'zh', '--format', 'json', 'scopes', 'show', 'Contact.User.Read']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).command).toBe('scopes show');
  });

  it("another command's option is still an unknown option (exit 2)", async () => {
    const r = await runCli(['diagnose', '--all-apps', 'x.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--all-apps'");
  });
});
