/**
 * The `.dingtalkrc.yml` that `dingtalk-doctor init` writes: one app, commented like
 * .dingtalkrc.example, its secrets as `${ENV_VAR}` references (the answers hold variable names,
 * never secret values). Pure: the command asks and writes.
 */
import type { AppType } from './types.js';

/** The fields each app type keeps in environment variables, with the default variable's suffix. */
export const SECRET_ENV: Record<AppType, Array<{ field: string; suffix: string; what: string }>> = {
  internal: [{ field: 'appSecret', suffix: 'APP_SECRET', what: 'AppSecret, shown as "Client Secret" in the Developer Console' }],
  'third-party-enterprise': [
    { field: 'suiteSecret', suffix: 'SUITE_SECRET', what: 'SuiteSecret of the third-party app' },
    { field: 'suiteTicket', suffix: 'SUITE_TICKET', what: 'the latest suiteTicket DingTalk pushed to your callback' },
  ],
  'third-party-personal': [
    { field: 'clientSecret', suffix: 'CLIENT_SECRET', what: 'Client Secret of the app' },
    { field: 'refreshToken', suffix: 'REFRESH_TOKEN', what: "a user's refresh token (OAuth 2 login)" },
  ],
};

/** The field the key goes to, per type, and how the console names it. */
export const KEY_FIELD: Record<AppType, { field: string; label: string }> = {
  internal: { field: 'appKey', label: 'AppKey (shown as "Client ID" in the Developer Console)' },
  'third-party-enterprise': { field: 'suiteKey', label: 'SuiteKey of the third-party app' },
  'third-party-personal': { field: 'clientId', label: 'Client ID of the app' },
};

export interface InitAnswers {
  app: string;
  type: AppType;
  /** AppKey, SuiteKey or Client ID (KEY_FIELD). */
  key: string;
  /** Secret field → the environment variable that holds it. */
  env: Record<string, string>;
  /** Third-party enterprise apps: the customer organisation's corpId. */
  authCorpId?: string;
  required: string[];
  /** Where `required` came from (`scopes scan <dir>`), for the comment. */
  scanned?: string;
}

export const APP_NAME = /^[\w.-]+$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Keys and corpIds are plain identifiers: nothing that could break out of a YAML scalar. */
export const PLAIN_ID = /^[A-Za-z0-9_.-]+$/;

/** `crm` → `CRM_APP_SECRET`. */
export const defaultEnvName = (app: string, suffix: string) => `${app.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'DINGTALK'}_${suffix}`;

const line = (text: string, comment: string, width = 38) => `${text.padEnd(width)} # ${comment}`;

export function renderInitConfig(answers: InitAnswers): string {
  const { app, type } = answers;
  const out = [
    '# dingtalk-doctor config, written by `dingtalk-doctor init`. Every field is explained in',
    '# .dingtalkrc.example of the dingtalk-doctor package. Secrets are ${ENV_VAR} references: set the',
    '# variables (in CI, from the repository secrets); never write the values into this file.',
    `defaultApp: ${app}`,
    '',
    'apps:',
    `  ${app}:`,
    line(`    type: ${type}`, 'internal | third-party-enterprise | third-party-personal'),
    line(`    ${KEY_FIELD[type].field}: ${answers.key}`, KEY_FIELD[type].label),
  ];
  if (type === 'third-party-enterprise') out.push(line(`    authCorpId: ${answers.authCorpId ?? ''}`, 'corpId of the organisation that installed the app'));
  for (const { field, what } of SECRET_ENV[type]) {
    const variable = answers.env[field]!;
    out.push(line(`    ${field}: \${${variable}}`, what));
  }
  if (type === 'internal') out.push(line('    # corpId: dingcorpxxxxxxxx', 'optional: the org-scoped token flow'));
  if (answers.required.length === 0) {
    out.push(line('    required: []', 'scope codes or "METHOD /path" APIs; `dingtalk-doctor scopes scan` finds them'));
  } else {
    out.push(line('    required:', `what the app needs; \`dingtalk-doctor check\` probes each one${answers.scanned ? ` (from scopes scan ${answers.scanned})` : ''}`));
    for (const scope of answers.required) out.push(`      - ${/^[A-Za-z][\w.-]*$/.test(scope) ? scope : JSON.stringify(scope)}`);
  }
  return `${out.join('\n')}\n`;
}
