/**
 * A plain `diagnose` runs without commander (src/commands/plain-args.ts): whatever command line
 * parsePlain accepts, commander must read the same way — the same options (with the program's)
 * and the same inputs, and no error. Checked on generated command lines against the real program
 * (src/program.ts), and end to end: the CLI prints the same by either way.
 */
import { CommanderError, type Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainDiagnoseArgs } from '../src/commands/diagnose.js';
import { parsePlain } from '../src/commands/plain-args.js';
import { buildProgram } from '../src/program.js';
import { runCli } from './helpers/run-cli.js';

type Read = { opts: Record<string, unknown>; operands: string[] } | 'error';

/** What commander hands diagnose's action for `diagnose <words>` (its action replaced, nothing run or printed). */
async function viaCommander(words: string[]): Promise<Read> {
  const argv = ['node', 'dingtalk-doctor', 'diagnose', ...words];
  const program = await buildProgram('en', argv);
  const diagnose = program.commands.find((c) => c.name() === 'diagnose')!;
  let read: Read | undefined;
  diagnose.action((inputs: string[], _opts: unknown, command: Command) => {
    read = { opts: command.optsWithGlobals(), operands: inputs };
  });
  const silent = { writeOut: () => {}, writeErr: () => {}, outputError: () => {} };
  program.configureOutput(silent);
  diagnose.configureOutput(silent);
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
  it('reads as commander reads it, whenever parsePlain accepts it', async () => {
    let plain = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }), async (words) => {
        const ours = plainDiagnoseArgs(words);
        if (!ours) return;
        plain++;
        expect(await viaCommander(words), JSON.stringify(words)).toEqual({ opts: ours.opts, operands: ours.operands });
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
    expect(plainDiagnoseArgs(['x.json'])).toEqual({ opts: { color: true }, operands: ['x.json'] });
    expect(await viaCommander(['x.json'])).toEqual({ opts: { color: true }, operands: ['x.json'] });
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
