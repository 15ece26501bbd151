/**
 * `diagnose --replay`: re-send a failed request with a fresh token for the chosen app
 * and diagnose the answer. (Filled by the config/check/replay issue.)
 */
import type { Command } from 'commander';
import type { Out } from './shared.js';

/** Adds --replay and its companion options (--app, --config, --allow-write, --data, --base-url) to `diagnose`. */
export function addReplayOptions(_command: Command): void {}

/** Runs a replay; returns the exit code (0 no denial, 1 denial found). */
export async function runReplay(_out: Out, _opts: Record<string, unknown>, _target: string[]): Promise<number> {
  throw new Error('replay not implemented yet');
}
