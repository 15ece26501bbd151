/**
 * The shape of a dingtalk-doctor config once validated (types only, no zod here so that
 * importing the types costs nothing at runtime).
 */
import type { AppType } from '../core/types.js';

interface AppCommon {
  /** Scope codes and/or "METHOD /path" APIs this app needs (checked by `check`). */
  required: string[];
  /** Ids used to build Developer Console links. */
  appId?: string;
  agentId?: string;
  description?: string;
}

export interface InternalApp extends AppCommon {
  type: 'internal';
  /** AppKey, shown as "Client ID" in the console. */
  appKey: string;
  /** AppSecret, shown as "Client Secret". */
  appSecret: string;
  /** When set, the org-scoped token flow `POST /v1.0/oauth2/{corpId}/token` is used. */
  corpId?: string;
}

export interface EnterpriseApp extends AppCommon {
  type: 'third-party-enterprise';
  suiteKey: string;
  suiteSecret: string;
  authCorpId: string;
  suiteTicket: string;
}

export interface PersonalApp extends AppCommon {
  type: 'third-party-personal';
  /** Either a ready user access token, or refreshToken + clientId + clientSecret. */
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
}

export type AppConfig = InternalApp | EnterpriseApp | PersonalApp;

/** A validated config; secrets may still be `${ENV_VAR}` references until `resolveApp`. */
export interface DoctorConfig {
  /** Where it came from: a file path, or "environment" for env-only mode. */
  source: string;
  defaultApp?: string;
  apps: Record<string, AppConfig>;
}

/** An app ready to use: name attached, every `${VAR}` substituted. */
export type ResolvedApp = AppConfig & { name: string };

/** The fields that hold secrets: never printed, warned about when literal in a readable file. */
export const SECRET_FIELDS = ['appSecret', 'suiteSecret', 'suiteTicket', 'accessToken', 'refreshToken', 'clientSecret'] as const;

/** Every secret value of a resolved app (for redaction of anything we print). */
export function appSecretsOf(app: ResolvedApp): string[] {
  const record = app as unknown as Record<string, unknown>;
  return SECRET_FIELDS.map((f) => record[f]).filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

/**
 * The key that names the app in console apply links. For third-party apps the console
 * shows the SuiteKey / Client ID; that the apply link accepts it the same way as an
 * internal AppKey is assumed, not confirmed by our sources.
 */
export function appKeyOf(app: AppConfig): string | null {
  if (app.type === 'internal') return app.appKey;
  if (app.type === 'third-party-enterprise') return app.suiteKey;
  return app.clientId ?? null;
}

export type { AppType };
