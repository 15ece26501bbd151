/** Temp project directories with a config file, for CLI tests against the fake DingTalk. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliResult } from '../helpers/run-cli.js';

export interface Workspace {
  dir: string;
  /** Writes a file (mode 0600 unless given) and returns its path. */
  write(name: string, content: string, mode?: number): string;
  /** Env for runCli: HOME inside the workspace (no global config leaks in), no proxies. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  remove(): void;
}

export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'dd-online-'));
  mkdirSync(join(dir, 'home'));
  return {
    dir,
    write(name, content, mode = 0o600) {
      const file = join(dir, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content, { mode });
      return file;
    },
    env: (extra = {}) => ({
      HOME: join(dir, 'home'),
      HTTP_PROXY: undefined,
      HTTPS_PROXY: undefined,
      NO_PROXY: undefined,
      CI: undefined,
      ...extra,
    }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every secret and token must stay out of what the CLI prints. */
export function leaked(result: CliResult, secrets: readonly string[]): string[] {
  const all = `${result.stdout}\n${result.stderr}`;
  return secrets.filter((s) => s && all.includes(s));
}
