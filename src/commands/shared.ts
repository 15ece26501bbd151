/**
 * Glue every command uses: the resolved output options and the sinks to write to.
 * Commands stay thin: options → core → renderer → out.
 */
import { appendFileSync } from 'node:fs';
import type { Command } from 'commander';
import { resolveOutput, type GlobalFlags, type OutputOptions } from '../render/output.js';

export interface Out {
  opts: OutputOptions;
  /** Human or machine output (stdout). */
  print(text: string): void;
  /** Exactly one JSON document on stdout. */
  json(doc: unknown): void;
  /** Diagnostics (stderr); suppressed by --quiet unless `always`. */
  info(text: string, always?: boolean): void;
}

export function outFor(command: Command): Out {
  const flags = command.optsWithGlobals() as GlobalFlags;
  const opts = resolveOutput(flags, {
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  });
  return {
    opts,
    print: (text) => {
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    json: (doc) => {
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    },
    info: (text, always = false) => {
      if (!opts.quiet || always) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}

/**
 * Appends to GitHub's job summary when $GITHUB_STEP_SUMMARY is set. The summary is extra: a path
 * we cannot write warns in one line and leaves the exit code to the findings.
 */
export function appendJobSummary(out: Out, markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  } catch (error) {
    out.info(`dingtalk-doctor: cannot append the job summary to $GITHUB_STEP_SUMMARY (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, true);
  }
}

let exitCode = 0;
/** The exit code the last command asked for (0 ok, 1 something needs fixing). */
export const commandExitCode = () => exitCode;

/**
 * Wraps a command body: it gets its positional args, its own options and the Out,
 * and returns 0 or 1. Failures are thrown as DoctorError and mapped in cli.ts.
 */
export function action<A extends unknown[]>(
  body: (out: Out, opts: Record<string, unknown>, ...args: A) => Promise<number>,
) {
  return async (...commanderArgs: unknown[]) => {
    const command = commanderArgs[commanderArgs.length - 1] as Command;
    const opts = command.optsWithGlobals() as Record<string, unknown>;
    const positional = commanderArgs.slice(0, -2) as A;
    exitCode = await body(outFor(command), opts, ...positional);
  };
}

/** Appends an "Examples:" block to a command's --help: a comment line, then the command (as `gh` does). */
export function withExamples(command: Command, examples: Array<[string, string]>): Command {
  const lines = examples.map(([cmd, what]) => `  # ${what}\n  $ ${cmd}`);
  return command.addHelpText('after', `\nExamples:\n${lines.join('\n\n')}\n`);
}
