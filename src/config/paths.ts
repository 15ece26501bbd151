/**
 * The one user-level directory of dingtalk-doctor: `$XDG_CONFIG_HOME/dingtalk-doctor`, by default
 * `~/.config/dingtalk-doctor`. It holds `learned.json` (diagnose --learn) and the user's own
 * `config.yml` (found by the config search after the project's directories).
 */
import { join } from 'node:path';

/** HOME, else what the system says (node:os is loaded only then: most starts never need it). */
export const homeDir = (env: Record<string, string | undefined>): string => env.HOME || process.getBuiltinModule('node:os').homedir();

/** The config base directory (XDG_CONFIG_HOME when it is absolute, as the XDG spec says; else ~/.config). */
export function configBaseDir(env: Record<string, string | undefined>): string {
  return env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homeDir(env), '.config');
}

export const userConfigDir = (env: Record<string, string | undefined>) => join(configBaseDir(env), 'dingtalk-doctor');
