/**
 * The options of `diagnose --replay`, apart from the replay itself (diagnose-replay.ts): `diagnose`
 * registers them at every run, and loads the replay's code (HTTP, tokens, the request parsers)
 * only when --replay is given.
 */
import type { Command } from 'commander';
import { addAppOptions } from './app-options.js';

/** Adds --replay and its companion options (--app, --config, --allow-write, --data, --entry, --base-url) to `diagnose`. */
export function addReplayOptions(command: Command): void {
  command
    .option('--replay', 're-send the request (curl command line, HAR file, or METHOD URL) with a fresh token and diagnose the answer')
    .option('--allow-write', 'with --replay: also send methods other than GET/HEAD (prints what it sends first)')
    .option('--data <body>', 'with --replay METHOD URL: the request body')
    .option('--entry <n>', 'with --replay of a HAR file: the entry to send (1-based; default: the first non-2xx)');
  addAppOptions(command, { allApps: false });
}
