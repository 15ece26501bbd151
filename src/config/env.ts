/**
 * Env-only mode (CI, no config file): one app built from DINGTALK_* variables.
 * Values are taken literally (they already come from the environment).
 */
import type { ErrorText } from '../errors.js';
import { englishOf, errorText } from '../render/messages.js';
import type { AppConfig, DoctorConfig } from './types.js';

/** An env-only config problem: one line, and its message ids for the user's language. */
function failure(id: string, params: ErrorText['params'] = {}): { error: string; text: ErrorText } {
  const text = errorText(id, params);
  return { error: englishOf(text).message, text };
}

/** Field of the app ← environment variable (first one set wins). Documented in .dingtalkrc.example. */
export const ENV_FIELDS: Record<string, string[]> = {
  type: ['DINGTALK_APP_TYPE'],
  appKey: ['DINGTALK_APP_KEY', 'DINGTALK_CLIENT_ID'],
  appSecret: ['DINGTALK_APP_SECRET', 'DINGTALK_CLIENT_SECRET'],
  corpId: ['DINGTALK_CORP_ID'],
  suiteKey: ['DINGTALK_SUITE_KEY'],
  suiteSecret: ['DINGTALK_SUITE_SECRET'],
  authCorpId: ['DINGTALK_AUTH_CORP_ID'],
  suiteTicket: ['DINGTALK_SUITE_TICKET'],
  accessToken: ['DINGTALK_ACCESS_TOKEN'],
  refreshToken: ['DINGTALK_REFRESH_TOKEN'],
  clientId: ['DINGTALK_CLIENT_ID', 'DINGTALK_APP_KEY'],
  clientSecret: ['DINGTALK_CLIENT_SECRET', 'DINGTALK_APP_SECRET'],
  appId: ['DINGTALK_APP_ID'],
  agentId: ['DINGTALK_AGENT_ID'],
};

const NEEDED: Record<AppConfig['type'], string[]> = {
  internal: ['appKey', 'appSecret'],
  'third-party-enterprise': ['suiteKey', 'suiteSecret', 'authCorpId', 'suiteTicket'],
  'third-party-personal': [],
};

const TYPES = Object.keys(NEEDED);

/**
 * The app from DINGTALK_* variables, or `config: null` when none of the credential
 * variables is set (so "no config at all" can be told apart from "incomplete env").
 */
export function configFromEnv(env: Record<string, string | undefined>): { config: DoctorConfig | null } | { error: string; text: ErrorText } {
  const get = (field: string) => ENV_FIELDS[field]!.map((name) => env[name]?.trim()).find((v) => v);
  const credentials = ['appKey', 'suiteKey', 'accessToken', 'refreshToken'];
  if (!credentials.some((f) => get(f))) return { config: null };

  // Only personal apps use a user access/refresh token; DINGTALK_CLIENT_ID alone is an internal AppKey (the console's name).
  const inferred = get('suiteKey') ? 'third-party-enterprise' : get('accessToken') || get('refreshToken') ? 'third-party-personal' : 'internal';
  const type = (get('type') ?? inferred) as AppConfig['type'];
  if (!TYPES.includes(type)) return failure('err.env.type', { type, types: TYPES.join(' | ') });
  for (const field of NEEDED[type]) {
    if (!get(field)) return failure(type === 'internal' ? 'err.env.not-set-internal' : 'err.env.not-set', { variable: ENV_FIELDS[field]![0]!, type });
  }

  const fields =
    type === 'internal'
      ? ['appKey', 'appSecret', 'corpId']
      : type === 'third-party-enterprise'
        ? ['suiteKey', 'suiteSecret', 'authCorpId', 'suiteTicket']
        : ['accessToken', 'refreshToken', 'clientId', 'clientSecret'];
  const app: Record<string, unknown> = { type };
  for (const field of [...fields, 'appId', 'agentId']) {
    const value = get(field);
    if (value) app[field] = value;
  }
  if (type === 'third-party-personal' && !app.accessToken && !(app.refreshToken && app.clientId && app.clientSecret)) {
    return failure('err.env.personal');
  }
  app.required = (env.DINGTALK_REQUIRED ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // DINGTALK_APP picks an app of a config file; with no file it names the one app.
  const name = env.DINGTALK_APP_NAME?.trim() || env.DINGTALK_APP?.trim() || 'default';
  return { config: { source: 'environment', defaultApp: name, apps: { [name]: app as unknown as AppConfig } } };
}
