/**
 * Glue every command uses: the resolved output options and the sinks to write to.
 * Commands stay thin: options → core → `{ result, exit }` → present() → out.
 */
import { Command } from 'commander';
import type { ErrorText } from '../errors.js';
import { message, uiError } from '../render/messages.js';
import { assertFormat, present, resolveOutput, sink, sinkFor, type GlobalFlags, type Outcome, type Renderers, type Sink } from '../render/output.js';
import { loadColour } from '../render/style.js';
import { isTerminal } from '../terminal.js';

export interface Out extends Sink {
  /** Diagnostics (stderr); suppressed by --quiet unless `always`. A message (ids) is said in the --lang language. */
  info(text: string | ErrorText, always?: boolean): void;
}

export function outFor(command: Command): Out {
  const flags = command.optsWithGlobals() as GlobalFlags;
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
 * The root command. Commander drops an action's return value, so the exit code of the command
 * that ran travels to main() on this instance (not in module state).
 */
export class Program extends Command {
  exit = 0;
}

/** The command as the user typed it, without the program name: "scopes show". */
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Wraps a command body: it gets the Out, its typed options and its positional args, and returns
 * `{ result, exit }`; `present()` prints the result with the renderer of the chosen format.
 * A format without a renderer fails before the body runs. Failures are thrown as DoctorError and
 * mapped to exit codes in cli.ts.
 */
export function action<O, A extends unknown[], R>(
  renderers: Renderers<R>,
  body: (out: Out, opts: O, ...args: A) => Promise<Outcome<R>>,
) {
  return async (...commanderArgs: unknown[]) => {
    const command = commanderArgs[commanderArgs.length - 1] as Command;
    const out = outFor(command);
    if (out.opts.color) await loadColour();
    assertFormat(renderers as Renderers<never>, out.opts.format, pathOf(command));
    const opts = command.optsWithGlobals() as O;
    const positional = commanderArgs.slice(0, -2) as A;
    const outcome = await body(out, opts, ...positional);
    present(out, renderers, outcome);
    let root: Command = command;
    while (root.parent) root = root.parent;
    if (root instanceof Program) root.exit = outcome.exit;
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
