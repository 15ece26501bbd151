/**
 * Options as data, and a parser for the plain command lines commander would read the same way.
 *
 * Why: commander is a good part of a short run's start (its program, options and parse: ≈ 6.7 M instructions,
 * 5.5 % of a one-body `diagnose`). A command registers its options from these specs (addOptions),
 * and `diagnose` and the `scopes` questions also hand them to plainCall: a command line made only of
 * them and operands runs without commander. Anything else — an unknown or repeated flag, `--`, a
 * value that starts with `-` or is not one of its choices, `-h`, a wrong number of operands — is
 * not plain (undefined) and goes to commander, which says what is wrong. test/plain-args.test.ts holds plainCall to what commander hands the action.
 */
import type { Command } from 'commander';

/** One option: commander's flags (`-q, --quiet`, `--no-color`, `--api <"METHOD /path">`) and help text. */
export interface OptionSpec {
  readonly flags: string;
  readonly description: string;
  readonly choices?: readonly string[];
  /** The value when the option is not given (commander's `.default()`). */
  readonly default?: string;
}

/** One operand, as commander declares it (`<scope>`, `<words...>`, `[inputs...]`), and its help text. */
export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
}

/** Adds the options to a command, in order (as .option() / .addOption() would). */
export function addOptions(command: Command, specs: readonly OptionSpec[]): Command {
  for (const spec of specs) {
    const option = command.createOption(spec.flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default);
    command.addOption(option);
  }
  return command;
}

/** Adds the operands to a command, in order (as .argument() would). */
export function addArguments(command: Command, specs: readonly ArgumentSpec[]): Command {
  for (const spec of specs) command.argument(spec.name, spec.description);
  return command;
}

/** What parsePlain needs of a spec: its words, the property it sets (commander's camel case), and whether it takes a value. */
interface Flag {
  readonly short: string | undefined;
  readonly long: string;
  readonly key: string;
  readonly negate: boolean;
  readonly value: boolean;
  readonly choices: readonly string[] | undefined;
  readonly fallback: string | undefined;
}

/** commander's attribute name: `app-key` → `appKey`. */
const camelCase = (name: string) => name.split('-').reduce((all, word) => all + word[0]!.toUpperCase() + word.slice(1));

/**
 * The flag a spec declares, or undefined for a form parsePlain leaves to commander (an optional or
 * variadic value…). Read by hand: a pattern here would be compiled at every run's start.
 */
function flagOf(spec: OptionSpec): Flag | undefined {
  let rest = spec.flags;
  let short: string | undefined;
  if (rest[0] === '-' && rest[1] !== '-') {
    if (rest.slice(2, 4) !== ', ') return undefined;
    short = rest.slice(0, 2);
    rest = rest.slice(4);
  }
  const space = rest.indexOf(' ');
  const long = space === -1 ? rest : rest.slice(0, space);
  const arg = space === -1 ? '' : rest.slice(space + 1);
  if (!long.startsWith('--') || long.length < 3 || (arg !== '' && !(arg.startsWith('<') && arg.endsWith('>') && !arg.endsWith('...>')))) return undefined;
  const negate = long.startsWith('--no-');
  return { short, long, key: camelCase(long.slice(negate ? 5 : 2)), negate, value: arg !== '', choices: spec.choices, fallback: spec.default };
}

export interface PlainArgs {
  /** The options as commander's optsWithGlobals() gives them (a `--no-x` is true unless given). */
  readonly opts: Record<string, string | boolean>;
  readonly operands: string[];
}

/**
 * The words after the command name, read with `specs` alone; undefined when they are not plain.
 * A word is an operand (`-` included), a flag of a spec (`-q`, `--json`, `--no-color`), or a flag
 * with its value (`--lang zh`, `--lang=zh`). Each flag at most once.
 */
export function parsePlain(words: readonly string[], specs: readonly OptionSpec[]): PlainArgs | undefined {
  const flags = new Map<string, Flag>();
  const opts: Record<string, string | boolean> = {};
  for (const spec of specs) {
    const flag = flagOf(spec);
    if (!flag) continue;
    flags.set(flag.long, flag);
    if (flag.short) flags.set(flag.short, flag);
    // commander: a `--no-x` without an `--x` makes x true by default
    if (flag.negate) opts[flag.key] = true;
    if (flag.fallback !== undefined) opts[flag.key] = flag.fallback;
  }
  const seen = new Set<Flag>();
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-' || !word.startsWith('-')) {
      operands.push(word);
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = flags.get(eq === -1 ? word : word.slice(0, eq));
    if (!flag || seen.has(flag)) return undefined;
    seen.add(flag);
    if (!flag.value) {
      if (eq !== -1) return undefined; // `--json=1`: commander's error
      opts[flag.key] = !flag.negate;
      continue;
    }
    const value = eq === -1 ? words[++i] : word.slice(eq + 1);
    // no value, one that reads as a flag (commander's program would take a global one for itself), or a bad choice
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (flag.choices && !flag.choices.includes(value)) return undefined;
    opts[flag.key] = value;
  }
  return { opts, operands };
}

/**
 * The operands as commander hands them to the action: one value per declared argument (undefined
 * for a missing optional one), a variadic one as the array of the rest. Undefined when commander
 * would refuse their number (a required one missing, one too many).
 */
export function actionArgs(operands: readonly string[], specs: readonly ArgumentSpec[]): unknown[] | undefined {
  const args: unknown[] = [];
  for (let i = 0; i < specs.length; i++) {
    const { name } = specs[i]!;
    if (name.startsWith('<') && i >= operands.length) return undefined; // a required one missing
    if (name.endsWith('...>') || name.endsWith('...]')) {
      args.push(operands.slice(i));
      return args;
    }
    args.push(operands[i]);
  }
  return operands.length > specs.length ? undefined : args;
}

/** A command's options and operands as data: what it registers, and what a plain command line of it is read with. */
export interface PlainCommand {
  readonly options: readonly OptionSpec[];
  readonly args: readonly ArgumentSpec[];
}

/**
 * The words after a command's name read with its specs and the program's (`globals`), as the
 * options and arguments commander would hand its action; undefined when they are not plain.
 */
export function plainCall(words: readonly string[], command: PlainCommand, globals: readonly OptionSpec[]): { opts: Record<string, string | boolean>; args: unknown[] } | undefined {
  const plain = parsePlain(words, [...globals, ...command.options]);
  const args = plain && actionArgs(plain.operands, command.args);
  return plain && args ? { opts: plain.opts, args } : undefined;
}
