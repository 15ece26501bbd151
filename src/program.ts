/**
 * The program as commander sees it: every command, its options and help, and commander's own
 * errors as message ids. A plain `diagnose` never loads this (cli.ts, commands/plain-args.ts).
 */
import { Command, CommanderError } from 'commander';
import { addOptions } from './commands/plain-args.js';
import { GLOBAL_OPTIONS } from './commands/global-options.js';
import { commandWord, exitOf, withExamples } from './commands/shared.js';
import { VERSION } from './version.js';
import { message as uiMessage } from './render/messages.js';
import type { Lang } from './render/output.js';
import { sink } from './render/output.js';
import { writeText } from './terminal.js';

type Register = (program: Command) => void;

/**
 * The top-level commands, in the order help lists them, each with its module: a file of its own in
 * the build (scripts/build.mjs), loaded only by a run that registers the command in full.
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Register>]> = [
  ['diagnose', async () => (await import('./commands/diagnose.js')).registerDiagnose],
  ['check', async () => (await import('./commands/check.js')).registerCheck],
  ['scopes', async () => (await import('./commands/scopes.js')).registerScopes],
  ['completion', async () => (await import('./commands/completion.js')).registerCompletion],
  ['init', async () => (await import('./commands/init.js')).registerInit],
  ['explain', async () => (await import('./commands/explain.js')).registerExplain],
];

/** `--version` (or -V) with no command: commander prints the version before it looks at any command. */
function asksVersionOnly(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const words = argv.slice(2, end === -1 ? undefined : end);
  return words.some((a) => a === '--version' || a === '-V') && !words.some((a) => a === '--help' || a === '-h' || a === 'help');
}

/**
 * The program; given the command line, the command it names is registered in full and the others by
 * name alone: a run of one command neither loads the code of five others nor builds their options,
 * examples and help. `completion` describes every command, so it gets them all; so do help, an
 * unknown word (suggestions) and no command — but not `--version`, which needs none.
 */
export async function buildProgram(lang: Lang = 'en', argv?: readonly string[]): Promise<Command> {
  const program = new Command('dingtalk-doctor')
    .description('Permission doctor for the DingTalk (钉钉) open platform: explains refused API calls and names the scope to request.')
    .version(VERSION, '-V, --version');
  addOptions(program, GLOBAL_OPTIONS)
    .showHelpAfterError(uiMessage('ui.cmd.see-help', {}, lang))
    // Subcommands list the global options they accept (gh's "INHERITED FLAGS").
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    // commander's own errors quote the argument: they go out through the sink too.
    // Help and version are commander's own text; they go out as our output does (terminal.ts).
    .configureOutput({ writeOut: (str) => writeText(1, str), writeErr: (str) => writeText(2, str), outputError: (str) => sink.stderr(commanderText(str, lang)) });

  // the global options that take a value, from the program itself: the word after one is not the command
  const valueOptions = program.options.filter((o) => o.required || o.optional).map((o) => o.long!);
  const word = argv && commandWord(argv, COMMANDS.map(([name]) => name), valueOptions);
  const only = word === 'completion' ? undefined : word;
  const full = (name: string) => (only === undefined ? !(argv && asksVersionOnly(argv)) : name === only);
  const registers = await Promise.all(COMMANDS.map(([name, load]) => (full(name) ? load() : undefined)));
  COMMANDS.forEach(([name], i) => {
    const register = registers[i];
    if (register) register(program);
    else program.command(name);
  });

  withExamples(program, [
    ['dingtalk-doctor diagnose error.json', 'explain a 403 body, an SDK error, curl output, a HAR file or a log'],
    ['kubectl logs deploy/api | dingtalk-doctor diagnose', 'scan a log from stdin'],
    ['dingtalk-doctor check --app crm', 'probe the scopes the app "crm" needs'],
    ['dingtalk-doctor scopes for "GET /v1.0/contact/users/0123"', 'which scope an API needs'],
    ['dingtalk-doctor scopes show Contact.User.Read', 'how to get a scope'],
    ['dingtalk-doctor scopes scan src/', 'which scopes a codebase will need'],
  ]);
  program.addHelpText('after', '\nExit codes: 0 all good, 1 something needs fixing, 2 bad input or config, 3 network or auth failure.\n');
  addLearnMore(program);
  return program;
}

/** Where each command is explained in the README (GitHub's heading anchors). */
const README = 'https://github.com/OWNER/dingtalk-doctor';
const LEARN_MORE: Record<string, string> = {
  '': '',
  diagnose: '#diagnose',
  check: '#check-probe-an-apps-permissions',
  scopes: '#scopes-ask-the-catalog',
  'scopes scan': '#scopes-scan-which-scopes-a-codebase-will-need-before-the-first-403',
  completion: '#shell-completion',
  init: '#configuration-check-diagnose---replay',
};

/** A "Learn more" line at the end of every --help: the command's README section, else its parent's. */
function addLearnMore(command: Command, path: string[] = []): void {
  let anchor: string | undefined;
  for (let n = path.length; anchor === undefined && n >= 0; n--) anchor = LEARN_MORE[path.slice(0, n).join(' ')];
  command.addHelpText('after', `Learn more: ${README}${anchor ?? ''}`);
  for (const sub of command.commands) addLearnMore(sub, [...path, sub.name()]);
}

/** commander's own parse errors by their wording, as message ids with the quoted parts as parameters. */
const COMMANDER_ERRORS: Array<[RegExp, string, string[]]> = [
  [/^error: unknown option '([^']*)'/, 'ui.cmd.unknown-option', ['option']],
  [/^error: unknown command '([^']*)'/, 'ui.cmd.unknown-command', ['command']],
  [/^error: option '([^']*)' argument '([^']*)' is invalid\. Allowed choices are (.*)\./, 'ui.cmd.bad-choice', ['option', 'value', 'choices']],
  [/^error: missing required argument '([^']*)'/, 'ui.cmd.missing-argument', ['argument']],
  [/^error: too many arguments for '([^']*)'\. Expected (\d+) arguments? but got (\d+)\./, 'ui.cmd.too-many', ['command', 'expected', 'got']],
  [/^error: option '([^']*)' argument missing/, 'ui.cmd.argument-missing', ['option']],
  [/^error: command-argument value '([^']*)' is invalid for argument '([^']*)'\. Allowed choices are (.*)\./, 'ui.cmd.bad-argument-choice', ['value', 'argument', 'choices']],
  [/^\(Did you mean (?:one of )?(.*)\?\)$/, 'ui.cmd.did-you-mean', ['list']],
];

/** A commander error line in `lang`; one it does not know stays as commander wrote it. */
function commanderText(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  return text.replace(/^.*$/gm, (line) => {
    for (const [pattern, id, names] of COMMANDER_ERRORS) {
      const m = pattern.exec(line);
      if (m) return `${uiMessage(id, Object.fromEntries(names.map((n, i) => [n, m[i + 1]!])), lang)}${line.slice(m[0].length)}`;
    }
    return line;
  });
}

/**
 * `diagnose --replay curl -H '…' https://…` pasted unquoted: curl's own flags are not ours, so
 * everything from the `curl` word on is passed through as operands (as if after `--`).
 */
export function passThroughCurl(argv: readonly string[]): string[] {
  const args = [...argv];
  const diagnose = args.indexOf('diagnose');
  const replay = args.indexOf('--replay');
  const curl = args.findIndex((a, i) => i > replay && a === 'curl');
  if (diagnose !== -1 && replay > diagnose && curl !== -1 && !args.slice(0, curl).includes('--')) args.splice(curl, 0, '--');
  return args;
}

/** Parses the command line and runs the command it names; commander's own errors (already printed) as exit codes. */
export async function runProgram(argv: readonly string[], lang: Lang): Promise<number> {
  try {
    const program = await buildProgram(lang, argv);
    await program.parseAsync(passThroughCurl(argv));
    return exitOf(program);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    // `help` asked for: 0. Help shown because no (sub)command was given (on stderr): a usage error, 2.
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2;
    return 2; // commander already printed the reason
  }
}
