/**
 * The command-line side of `check` and `diagnose --replay`: the options to pick apps and
 * hosts, and turning their values into the typed options of a session. Kept free of heavy
 * imports: it is loaded when the CLI registers its commands.
 */
import type { Command } from 'commander';
import { uiError } from '../render/messages.js';
import { DEFAULT_POLICY } from '../dingtalk/policy.js';
import type { SessionOptions } from '../dingtalk/session.js';

export function addAppOptions(command: Command, { allApps }: { allApps: boolean }): Command {
  command
    .option('--config <file>', 'config file, may be JavaScript (default: $DINGTALK_CONFIG, else the JSON/YAML .dingtalkrc*, dingtalk.config.*, package.json#dingtalk upward from the cwd, then ~/.config/dingtalk-doctor/config.yml)')
    .option('--app <name>', 'the configured app to use (default: $DINGTALK_APP, defaultApp, or the only app)');
  if (allApps) command.option('--all-apps', 'every configured app');
  return command
    .addOption(command.createOption('--base-url <url>', 'new-API base URL (default https://api.dingtalk.com; env DINGTALK_API_BASE)'))
    .addOption(command.createOption('--oapi-base-url <url>', 'legacy oapi base URL (default: --base-url if given, else https://oapi.dingtalk.com; env DINGTALK_OAPI_BASE)'))
    .option('--timeout <ms>', `per-request timeout in ms (default ${DEFAULT_POLICY.timeoutMs})`);
}

export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw uiError('err.flag.positive', { flag, value });
  return n;
}

/** The flags addAppOptions (and check's --deadline) declare, as commander hands them over. */
export interface AppFlags {
  config?: string;
  app?: string;
  allApps?: boolean;
  baseUrl?: string;
  oapiBaseUrl?: string;
  timeout?: string;
  deadline?: string;
}

/** The flags, checked and parsed (a bad number is a usage error, exit 2). */
export function sessionOptions(flags: AppFlags, defaults: { deadlineMs: number }): SessionOptions {
  return {
    configPath: flags.config,
    app: flags.app,
    allApps: flags.allApps,
    baseUrl: flags.baseUrl,
    oapiBaseUrl: flags.oapiBaseUrl,
    timeoutMs: positiveInt(flags.timeout, '--timeout', DEFAULT_POLICY.timeoutMs),
    deadlineMs: positiveInt(flags.deadline, '--deadline', defaults.deadlineMs),
  };
}
