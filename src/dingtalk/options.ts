/**
 * Options shared by `check` and `diagnose --replay`. Kept free of heavy imports: it is
 * loaded when the CLI registers its commands.
 */
import { Option, type Command } from 'commander';
import { usageError } from '../errors.js';
import { DEFAULT_POLICY } from './http.js';

export function addAppOptions(command: Command, { allApps }: { allApps: boolean }): Command {
  command
    .option('--config <file>', 'config file (default: search .dingtalkrc, dingtalk.config.*, package.json#dingtalk upward from the cwd)')
    .option('--app <name>', 'the configured app to use (default: defaultApp, or the only app)');
  if (allApps) command.option('--all-apps', 'every configured app');
  return command
    .addOption(new Option('--base-url <url>', 'new-API base URL (default https://api.dingtalk.com; env DINGTALK_API_BASE)'))
    .addOption(new Option('--oapi-base-url <url>', 'legacy oapi base URL (default: --base-url if given, else https://oapi.dingtalk.com; env DINGTALK_OAPI_BASE)'))
    .option('--timeout <ms>', `per-request timeout in ms (default ${DEFAULT_POLICY.timeoutMs})`);
}

export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`${flag} must be a positive whole number, got "${value}"`);
  return n;
}

