/**
 * A plain `diagnose` or `scopes show|search|for` runs without commander (src/commands/plain-args.ts):
 * whatever command line plainCall accepts, commander must read the same way — the same options (with
 * the program's), the same arguments, and no error. Checked on generated command lines against the
 * real program (src/program.ts), and end to end: the CLI prints the same by either way.
 */
import { CommanderError, type Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainDiagnoseArgs } from '../src/commands/diagnose.js';
import { GLOBAL_OPTIONS } from '../src/commands/global-options.js';
import { actionArgs, parsePlain, plainCall } from '../src/commands/plain-args.js';
import { PLAIN_SCOPES } from '../src/commands/scopes.js';
import { buildProgram } from '../src/program.js';
import { runCli } from './helpers/run-cli.js';

type Read = { opts: Record<string, unknown>; args: unknown[] } | 'error';

/** What commander hands the action of `<path> <words>` (its action replaced, nothing run or printed). */
async function viaCommander(path: string[], words: string[]): Promise<Read> {
  const argv = ['node', 'dingtalk-doctor', ...path, ...words];
  const program = await buildProgram('en', argv);
  const silent = { writeOut: () => {}, writeErr: () => {}, outputError: () => {} };
  let command: Command = program;
  for (const name of path) {
    command.configureOutput(silent);
    command = command.commands.find((c) => c.name() === name)!;
  }
  command.configureOutput(silent);
  let read: Read | undefined;
  command.action((...commanderArgs: unknown[]) => {
    const self = commanderArgs[commanderArgs.length - 1] as Command;
    read = { opts: self.optsWithGlobals(), args: commanderArgs.slice(0, -2) };
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return 'error';
    throw error;
  }
  return read ?? 'error';
}

// every flag diagnose knows (its own, the replay's, the program's), the forms around them, values and operands
const WORDS = [
  '--json', '--format', '--format=json', '--format=sarif', '--format=', '--no-color', '--color', '-q', '--quiet', '-qq', '--verbose',
  '--lang', '--lang=zh', '--lang=fr', '--json=1', '--api', '--api=GET /v1.0/x', '--api=', '--app-key', '--app-type', '--app-type=internal',
  '--learn', '--apply', '--yes', '--replay', '--allow-write', '--data', '--entry', '--config', '--app', '--base-url', '--timeout',
  '-h', '--help', '-V', '--', '-', '-5', '-x', '--unknown',
  'zh', 'en', 'fr', 'json', 'text', 'markdown', 'sarif', 'internal', 'third-party-personal', 'bad', 'GET /v1.0/contact/users/me', '',
  'a.json', 'b.log', 'diagnose', 'help', 'curl', 'ding1234',
];

describe('a plain diagnose command line', () => {
  it('reads as commander reads it, whenever plainCall accepts it', async () => {
    let plain = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }), async (words) => {
        const ours = plainDiagnoseArgs(words);
        if (!ours) return;
        plain++;
        expect(await viaCommander(['diagnose'], words), JSON.stringify(words)).toEqual(ours);
      }),
      { numRuns: 400 },
    );
    // (not vacuous: a good share of the generated lines are plain)
    expect(plain).toBeGreaterThan(40);
  });

  it('takes the common lines and leaves the rest to commander', async () => {
    const cases: Array<[string[], boolean]> = [
      [['err.json'], true],
      [['app.log', '--json'], true],
      [['-', '--lang', 'zh', '-q'], true],
      [['--format=markdown', 'browser.har', '--api', 'POST /topapi/v2/user/get'], true],
      [[], true],
      [['--replay', 'GET https://api.dingtalk.com/v1.0/contact/users/me'], false],
      [['--help'], false],
      [['--json', '--json'], false],
      [['--lang', 'fr'], false],
      [['--api'], false],
      [['--', '-x'], false],
    ];
    for (const [words, isPlain] of cases) expect(plainDiagnoseArgs(words) !== undefined, JSON.stringify(words)).toBe(isPlain);
    // and what it gives is what commander gives, defaults included (`--no-color` makes color true)
    expect(plainDiagnoseArgs(['x.json'])).toEqual({ opts: { color: true }, args: [['x.json']] });
    expect(await viaCommander(['diagnose'], ['x.json'])).toEqual({ opts: { color: true }, args: [['x.json']] });
  });

  it('leaves to commander a spec of a form it does not read', () => {
    const specs = [{ flags: '--depth [n]', description: 'optional value' }, { flags: '--ids <id...>', description: 'variadic' }, { flags: '-v, --verbose', description: 'short and long' }];
    expect(parsePlain(['--depth', '2'], specs)).toBeUndefined();
    expect(parsePlain(['--ids', 'a'], specs)).toBeUndefined();
    expect(parsePlain(['-v', 'x'], specs)).toEqual({ opts: { verbose: true }, operands: ['x'] });
  });

  it('prints the same as the commander way, end to end', async () => {
    // a program option before the command word is not plain: that run goes through commander
    const lines: string[][] = [
      ['examples/403-missing-scope.json'],
      ['examples/403-missing-scope.json', '--json'],
      ['examples/java-exception.txt', '--format', 'markdown', '--lang', 'zh'],
      ['no-such-file.json'],
      ['examples/403-missing-scope.json', '--json', '--format', 'text'],
      ['-', '--api', 'POST /topapi/v2/user/get'],
    ];
    for (const words of lines) {
      expect(plainDiagnoseArgs(words), JSON.stringify(words)).toBeDefined();
      const input = '{"errcode":60011,"errmsg":"没有调用该接口的权限"}';
      const [plain, viaProgram] = await Promise.all([runCli(['diagnose', ...words], { input }), runCli(['--no-color', 'diagnose', ...words], { input })]);
      expect(plain, JSON.stringify(words)).toEqual(viaProgram);
    }
  });
});

describe('a plain scopes question', () => {
  // the questions' own flags and forms, values and operands (a scope code, words, an API)
  const SCOPES_WORDS = [
    '--json', '--lang', 'zh', '-q', '--no-color', '--format', 'markdown', 'sarif', '--limit', '--limit=3', '3', '0', '-1', '--app-type', 'internal', 'bad',
    '--app-key', 'dingkey', '--kind', 'special', '-h', '--', '-', 'Contact.User.Read', 'qyapi_get_member', '通讯录', 'GET', '/v1.0/contact/users/{unionId}',
    'https://oapi.dingtalk.com/topapi/v2/user/get', 'show', 'for', '',
  ];
  for (const [name, spec] of Object.entries(PLAIN_SCOPES)) {
    it(`scopes ${name}: reads as commander reads it, whenever plainCall accepts it`, async () => {
      let plain = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom(...SCOPES_WORDS), { maxLength: 5 }), async (words) => {
          const ours = plainCall(words, spec, GLOBAL_OPTIONS);
          if (!ours) return;
          plain++;
          expect(await viaCommander(['scopes', name], words), JSON.stringify(words)).toEqual(ours);
        }),
        { numRuns: 250 },
      );
      expect(plain).toBeGreaterThan(20);
    });
  }

  it('the number of operands is held to the arguments, as commander holds it', () => {
    const one = [{ name: '<scope>', description: '' }];
    const many = [{ name: '<words...>', description: '' }];
    const maybe = [{ name: '[inputs...]', description: '' }];
    expect(actionArgs([], one)).toBeUndefined();
    expect(actionArgs(['a'], one)).toEqual(['a']);
    expect(actionArgs(['a', 'b'], one)).toBeUndefined();
    expect(actionArgs([], many)).toBeUndefined();
    expect(actionArgs(['a', 'b'], many)).toEqual([['a', 'b']]);
    expect(actionArgs([], maybe)).toEqual([[]]);
    expect(actionArgs(['a'], [{ name: '[x]', description: '' }])).toEqual(['a']);
    expect(actionArgs([], [{ name: '[x]', description: '' }])).toEqual([undefined]);
  });

  it('prints the same as the commander way, end to end', async () => {
    const lines: string[][] = [
      ['show', 'Contact.User.Read'],
      ['show', 'Contact.User.Raed', '--lang', 'zh'],
      ['show', 'qyapi_get_member', '--app-type', 'third-party-enterprise', '--app-key', 'dingabc', '--json'],
      ['search', '通讯录', '--limit', '3'],
      ['search', 'robot', 'send', '--format', 'markdown'],
      ['search', 'zzzqqq'],
      ['for', 'GET', '/v1.0/contact/users/{unionId}'],
      ['for', 'https://oapi.dingtalk.com/topapi/v2/user/get', '--json'],
      ['for', 'nothing'],
    ];
    for (const words of lines) {
      const [name, ...rest] = words as [keyof typeof PLAIN_SCOPES, ...string[]];
      expect(plainCall(rest, PLAIN_SCOPES[name], GLOBAL_OPTIONS), JSON.stringify(words)).toBeDefined();
      const [plain, viaProgram] = await Promise.all([runCli(['scopes', ...words]), runCli(['--no-color', 'scopes', ...words])]);
      expect(plain, JSON.stringify(words)).toEqual(viaProgram);
    }
  });
});
