/**
 * What `check` and `diagnose --replay` share: the options to pick apps and hosts, and
 * opening a run (config → selected apps → base URLs → HTTP client → token store).
 */
import { loadConfig, resolveApp, selectApps } from '../config/load.js';
import type { DoctorConfig, ResolvedApp } from '../config/types.js';
import { resolveBases, type Bases } from './hosts.js';
import { createHttp, DEFAULT_POLICY, type Http } from './http.js';
import { TokenStore } from './tokens.js';
import { positiveInt } from './options.js';

export interface SessionFlags {
  config?: string;
  app?: string;
  allApps?: boolean;
  baseUrl?: string;
  oapiBaseUrl?: string;
  timeout?: string;
  deadline?: string;
}

export interface Session {
  config: DoctorConfig;
  apps: ResolvedApp[];
  bases: Bases;
  http: Http;
  tokens: TokenStore;
  /** When the total deadline passes (ms since epoch). */
  deadlineAt: number;
  close(): Promise<void>;
}

export async function openSession(
  flags: SessionFlags,
  io: { cwd: string; env: Record<string, string | undefined>; warn(text: string): void },
  defaults: { deadlineMs: number },
): Promise<Session> {
  const timeoutMs = positiveInt(flags.timeout, '--timeout', DEFAULT_POLICY.timeoutMs);
  const deadlineMs = positiveInt(flags.deadline, '--deadline', defaults.deadlineMs);
  const bases = resolveBases(flags, io.env);
  const { config, warnings } = await loadConfig({ configPath: flags.config, cwd: io.cwd, env: io.env });
  for (const warning of warnings) io.warn(warning);
  const apps = selectApps(config, { app: flags.app, allApps: flags.allApps }).map((name) => resolveApp(config, name, io.env));
  const deadlineAt = Date.now() + deadlineMs;
  const http = await createHttp({ ...DEFAULT_POLICY, timeoutMs, deadlineAt, deadlineMs }, io.env);
  return { config, apps, bases, http, tokens: new TokenStore(http, bases), deadlineAt, close: () => http.close() };
}
