/**
 * What `check` and `diagnose --replay` share: opening a run (config → selected apps →
 * base URLs → HTTP client → token store). The flags are parsed in src/commands/app-options.ts.
 */
import { DoctorError, type ErrorText } from '../errors.js';
import { loadConfig, resolveApp, selectApps } from '../config/load.js';
import { appSecretsOf, type DoctorConfig, type ResolvedApp } from '../config/types.js';
import { addSecretsFromEnv, redactor } from '../redact.js';
import { resolveBases, type Bases } from './hosts.js';
import { createHttp, DEFAULT_POLICY, type Http } from './http.js';
import { TokenStore } from './tokens.js';

export interface SessionOptions {
  /** An explicit config file (else searched upward from the cwd). */
  configPath?: string;
  app?: string;
  allApps?: boolean;
  baseUrl?: string;
  oapiBaseUrl?: string;
  /** Per-request timeout. */
  timeoutMs: number;
  /** The whole run's deadline, from now. */
  deadlineMs: number;
}

export interface Session {
  config: DoctorConfig;
  apps: ResolvedApp[];
  /** With --all-apps: the apps that could not be resolved (a variable not set, a short secret); the others still run. */
  unresolved: Array<{ name: string; error: DoctorError }>;
  bases: Bases;
  http: Http;
  tokens: TokenStore;
  /** When the total deadline passes (ms since epoch). */
  deadlineAt: number;
  close(): Promise<void>;
}

export async function openSession(
  options: SessionOptions,
  io: { cwd: string; env: Record<string, string | undefined>; warn(text: ErrorText): void },
): Promise<Session> {
  const { timeoutMs, deadlineMs } = options;
  const bases = resolveBases(options, io.env);
  const { config } = await loadConfig({ configPath: options.configPath, cwd: io.cwd, env: io.env, warn: io.warn });
  registerSecrets(config, io.env);
  const { apps, unresolved } = resolveSelected(config, selectApps(config, { app: options.app, allApps: options.allApps, envApp: io.env.DINGTALK_APP }), io.env, Boolean(options.allApps));
  const deadlineAt = Date.now() + deadlineMs;
  const http = await createHttp({ ...DEFAULT_POLICY, timeoutMs, deadlineAt, deadlineMs }, io.env);
  return { config, apps, unresolved, bases, http, tokens: new TokenStore(http, bases), deadlineAt, close: () => http.close() };
}

/** The selected apps resolved; with --all-apps one that fails is set aside, unless none is left. */
function resolveSelected(config: DoctorConfig, names: string[], env: Record<string, string | undefined>, allApps: boolean): Pick<Session, 'apps' | 'unresolved'> {
  const apps: ResolvedApp[] = [];
  const unresolved: Session['unresolved'] = [];
  for (const name of names) {
    try {
      apps.push(resolveApp(config, name, env));
    } catch (error) {
      if (!allApps || !(error instanceof DoctorError)) throw error;
      unresolved.push({ name, error });
    }
  }
  if (apps.length === 0 && unresolved[0]) throw unresolved[0].error;
  return { apps, unresolved };
}

/** Every secret of every configured app (after `${ENV}` expansion) goes to the run's redactor, not only the selected apps'. */
function registerSecrets(config: DoctorConfig, env: Record<string, string | undefined>): void {
  // (the sink adds these too, but answers are masked as they arrive: before anything is printed)
  addSecretsFromEnv(redactor, env);
  for (const name of Object.keys(config.apps)) {
    try {
      redactor.add(...appSecretsOf(resolveApp(config, name, env)));
    } catch {
      // an app whose variables are not set: nothing of it can be printed (and selecting it fails below)
    }
  }
}
