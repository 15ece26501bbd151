/**
 * The zod schema of a config file. Only loaded (dynamically) by commands that read a
 * config, so that zod never costs `diagnose` or `scopes` their cold start.
 */
import * as z from 'zod';
// No message table here (this module is loaded lazily, apart from the CLI): the texts are filled in where printed.
import { errorText, type ErrorText } from '../errors.js';
import type { DoctorConfig } from './types.js';

// The messages of our own rules are message ids (src/messages): describeIssue fills them in the user's language.
const text = z.string().trim().min(1, 'err.schema.non-empty');
/** Ids are often written as numbers in YAML (agentId: 123456); keep them as strings. */
const id = z.union([text, z.number().int().nonnegative()]).transform(String);
/** A scope code (Contact.User.Read, qyapi_get_member) or an API ("GET /v1.0/contact/users/{userId}"). */
const requirement = z
  .string()
  .trim()
  .regex(
    /^(?:[A-Za-z][\w.-]*|(?:GET|POST|PUT|PATCH|DELETE|HEAD) \S+)$/,
    'err.schema.requirement',
  );

const common = {
  required: z.array(requirement).default([]),
  appId: id.optional(),
  agentId: id.optional(),
  description: z.string().optional(),
};

const internal = z.strictObject({
  type: z.literal('internal'),
  appKey: text,
  appSecret: text,
  corpId: text.optional(),
  ...common,
});

const enterprise = z.strictObject({
  type: z.literal('third-party-enterprise'),
  suiteKey: text,
  suiteSecret: text,
  authCorpId: text,
  suiteTicket: text,
  ...common,
});

const personal = z
  .strictObject({
    type: z.literal('third-party-personal'),
    accessToken: text.optional(),
    refreshToken: text.optional(),
    clientId: text.optional(),
    clientSecret: text.optional(),
    ...common,
  })
  .superRefine((app, ctx) => {
    if (app.accessToken) return;
    if (!app.refreshToken) ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'err.schema.personal-token' });
    else for (const key of ['clientId', 'clientSecret'] as const) {
      if (!app[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'err.schema.needed-with-refresh', params: { key } });
    }
  });

export const APP_TYPES = ['internal', 'third-party-enterprise', 'third-party-personal'] as const;

/** Type defaults to internal; internal apps may say clientId/clientSecret (the console's names) instead of appKey/appSecret. */
function normaliseApp(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const app = { ...(raw as Record<string, unknown>) };
  if (app.type === undefined) app.type = 'internal';
  if (app.type === 'internal') {
    if (app.appKey === undefined && app.clientId !== undefined) app.appKey = app.clientId;
    if (app.appSecret === undefined && app.clientSecret !== undefined) app.appSecret = app.clientSecret;
    delete app.clientId;
    delete app.clientSecret;
  }
  return app;
}

const app = z.preprocess(normaliseApp, z.discriminatedUnion('type', [internal, enterprise, personal]));

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    defaultApp: text.optional(),
    apps: z.record(z.string().regex(/^[\w.-]+$/, 'err.schema.app-name'), app),
  })
  .superRefine((config, ctx) => {
    if (config.defaultApp && !(config.defaultApp in config.apps)) {
      ctx.addIssue({ code: 'custom', path: ['defaultApp'], message: 'err.schema.default-app', params: { apps: Object.keys(config.apps).join(', ') || '-' } });
    }
  });

const OWN_MESSAGE = /^err\.schema\.[a-z-]+$/;

/** What is wrong, as a message: our own rules' ids, the common zod issues, else zod's words. */
function describeIssue(issue: z.core.$ZodIssue): ErrorText {
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'type') return errorText('err.schema.one-of', { values: APP_TYPES.join(' | ') });
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') return errorText('err.schema.type', { values: APP_TYPES.join(' | ') });
  if (issue.code === 'unrecognized_keys') {
    const known = ['type', 'appKey', 'appSecret', 'corpId', 'suiteKey', 'suiteSecret', 'authCorpId', 'suiteTicket', 'accessToken', 'refreshToken', 'clientId', 'clientSecret', 'appId', 'agentId', 'required', 'description', 'defaultApp', 'apps'];
    const hints = issue.keys.map((k) => known.find((n) => n.toLowerCase() === k.toLowerCase().replace(/[-_]/g, ''))).filter(Boolean);
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    const see = hints.length ? errorText('err.schema.did-you-mean', { near: hints.join(', ') }) : errorText('err.schema.see-example');
    return errorText(issue.keys.length > 1 ? 'err.schema.unknown-keys' : 'err.schema.unknown-key', { keys, see });
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return errorText('err.schema.missing', { expected: issue.expected });
  if (issue.code === 'invalid_type') {
    const received = /received (\w+)/.exec(issue.message)?.[1];
    return received ? errorText('err.schema.invalid-type-received', { expected: issue.expected, received }) : errorText('err.schema.invalid-type', { expected: issue.expected });
  }
  if (OWN_MESSAGE.test(issue.message)) return errorText(issue.message, { api: 'GET /v1.0/contact/users/{userId}', ...(issue.code === 'custom' ? (issue.params as ErrorText['params']) : {}) });
  return errorText('text.untranslated', { text: issue.message.replace(/^Invalid input: /, '') });
}

/** Validates a loaded config object; returns it or the one-line error (message ids) naming the source, the path and what was expected. */
export function validateConfig(raw: unknown, source: string): { config: DoctorConfig } | { error: ErrorText } {
  const result = configSchema.safeParse(raw);
  if (result.success) {
    const { defaultApp, apps } = result.data;
    return { config: { source, ...(defaultApp ? { defaultApp } : {}), apps: apps as DoctorConfig['apps'] } };
  }
  // A misspelt key explains the "missing" one it causes: report it first.
  const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const issue = issues[0]!;
  const path = issue.path.map(String).join('.') || errorText('err.schema.top-level');
  const others = result.error.issues.length - 1;
  const more = others === 0 ? '' : others === 1 ? errorText('err.schema.one-more') : errorText('err.schema.more', { n: others });
  return { error: errorText('err.schema.issue', { source, path, problem: describeIssue(issue), more }) };
}
