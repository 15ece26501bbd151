/**
 * Glue every command uses: the resolved output options and the sinks to write to.
 * Commands stay thin: options → core → `{ result, exit }` → present() → out.
 */
import type { Command } from 'commander';
import type { ErrorText } from '../errors.js';
import { message, uiError } from '../render/messages.js';
import { assertFormat, present, resolveOutput, sink, sinkFor, type GlobalFlags, type Outcome, type Renderers, type Sink } from '../render/output.js';
import { loadColour } from '../render/style.js';
import { isTerminal } from '../terminal.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { plainCall, type PlainCommand } from './plain-args.js';

export interface Out extends Sink {
  /** Diagnostics (stderr); suppressed by --quiet unless `always`. A message (ids) is said in the --lang language. */
  info(text: string | ErrorText, always?: boolean): void;
}

/** The Out of a run with these flags (the program's own: --json, --format, --lang…). */
export function outFor(flags: GlobalFlags): Out {
  if (flags.json && flags.format !== undefined && flags.format !== 'json') {
    throw uiError('ui.err.two-formats', { format: flags.format }, { id: 'ui.err.two-formats-hint', params: {} });
  }
  const opts = resolveOutput(flags, {
    env: process.env,
    stdoutIsTTY: isTerminal(1),
    stderrIsTTY: isTerminal(2),
  });
  return {
    ...sinkFor(opts),
    info: (text, always = false) => {
      if (!opts.quiet || always) sink.stderr(typeof text === 'string' ? text : message(text.id, text.params, opts.lang));
    },
  };
}

/**
 * Runs a command body: it gets the Out and its typed options, and returns `{ result, exit }`;
 * `present()` prints the result with the renderer of the chosen format, and the exit code is returned.
 * A format without a renderer fails before the body runs. Failures are thrown as DoctorError and
 * mapped to exit codes in cli.ts. `opts`: the command's options with the program's.
 */
export async function runCommand<O extends GlobalFlags, R>(renderers: Renderers<R>, path: string, opts: O, body: (out: Out, opts: O) => Promise<Outcome<R>>): Promise<number> {
  const out = outFor(opts);
  if (out.opts.color) await loadColour();
  assertFormat(renderers as Renderers<never>, out.opts.format, path);
  const outcome = await body(out, opts);
  present(out, renderers, outcome);
  return outcome.exit;
}

/**
 * Runs a command body for a plain command line of `command` (commands/plain-args.ts), without
 * commander: the exit code, or undefined for a line commander is to read (--help, a typo…).
 * `path`: the command as typed ("scopes show"); the body gets the arguments as commander's action would.
 */
export async function runPlainCommand<R>(
  words: readonly string[],
  command: PlainCommand,
  path: string,
  renderers: Renderers<R>,
  body: (out: Out, opts: never, ...args: never[]) => Promise<Outcome<R>>,
): Promise<number | undefined> {
  const call = plainCall(words, command, GLOBAL_OPTIONS);
  if (!call) return undefined;
  return runCommand(renderers, path, call.opts as GlobalFlags, (out, opts) => body(out, opts as never, ...(call.args as never[])));
}

/**
 * Commander drops an action's return value, so the exit code of the command that ran travels to
 * main() by the program (not in module state): exitOf(program) after the parse.
 */
const exits = new WeakMap<Command, number>();
export const exitOf = (program: Command): number => exits.get(program) ?? 0;

/** The command as the user typed it, without the program name: "scopes show". */
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** A command body as commander's action: its options (with the program's) and its positional args, run by runCommand. */
export function action<O, A extends unknown[], R>(
  renderers: Renderers<R>,
  body: (out: Out, opts: O, ...args: A) => Promise<Outcome<R>>,
) {
  return async (...commanderArgs: unknown[]) => {
    const command = commanderArgs[commanderArgs.length - 1] as Command;
    const positional = commanderArgs.slice(0, -2) as A;
    const exit = await runCommand(renderers, pathOf(command), command.optsWithGlobals() as O & GlobalFlags, (out, opts) => body(out, opts, ...positional));
    let root: Command = command;
    while (root.parent) root = root.parent;
    exits.set(root, exit);
  };
}

/**
 * A command's action in a module of its own, loaded when the command runs: its registration (options,
 * help) does not load the code it runs. `load` gives what action() made in that module.
 */
export function lazyAction(load: () => Promise<(...commanderArgs: unknown[]) => Promise<void>>) {
  return async (...commanderArgs: unknown[]) => (await load())(...commanderArgs);
}

/** Appends an "Examples:" block to a command's --help: a comment line, then the command (as `gh` does). */
export function withExamples(command: Command, examples: Array<[string, string]>): Command {
  const lines = examples.map(([cmd, what]) => `  # ${what}\n  $ ${cmd}`);
  return command.addHelpText('after', `\nExamples:\n${lines.join('\n\n')}\n`);
}

/**
 * The command a command line names (its first operand) when it is one of `commands`; undefined for
 * none, `help` or an unknown word. `valueOptions`: the global options whose value is the next word.
 */
export function commandWord(argv: readonly string[], commands: readonly string[], valueOptions: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return undefined;
    if (valueOptions.includes(word)) i++;
    else if (!word.startsWith('-')) return commands.includes(word) ? word : undefined;
  }
  return undefined;
}
