/**
 * The zod schema of a config file. Only loaded (dynamically) by commands that read a
 * config, so that zod never costs `diagnose` or `scopes` their cold start.
 */
import * as z from 'zod';
import type { DoctorConfig } from './types.js';

const text = z.string().trim().min(1, 'expected a non-empty string');
/** Ids are often written as numbers in YAML (agentId: 123456); keep them as strings. */
const id = z.union([text, z.number().int().nonnegative()]).transform(String);
/** A scope code (Contact.User.Read, qyapi_get_member) or an API ("GET /v1.0/contact/users/{userId}"). */
const requirement = z
  .string()
  .trim()
  .regex(
    /^(?:[A-Za-z][\w.-]*|(?:GET|POST|PUT|PATCH|DELETE|HEAD) \S+)$/,
    'expected a scope code like "Contact.User.Read" or an API like "GET /v1.0/contact/users/{userId}"',
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
    if (!app.refreshToken) ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'expected accessToken, or refreshToken with clientId and clientSecret' });
    else for (const key of ['clientId', 'clientSecret'] as const) {
      if (!app[key]) ctx.addIssue({ code: 'custom', path: [key], message: `expected ${key} (needed with refreshToken)` });
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
    apps: z.record(z.string().regex(/^[\w.-]+$/, 'expected an app name of letters, digits, "_", "-" or "."'), app),
  })
  .superRefine((config, ctx) => {
    if (config.defaultApp && !(config.defaultApp in config.apps)) {
      ctx.addIssue({ code: 'custom', path: ['defaultApp'], message: `expected one of the configured apps (${Object.keys(config.apps).join(', ') || 'none'})` });
    }
  });

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'type') return `expected one of ${APP_TYPES.join(' | ')}`;
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') return `expected type: ${APP_TYPES.join(' | ')}`;
  if (issue.code === 'unrecognized_keys') {
    const known = ['type', 'appKey', 'appSecret', 'corpId', 'suiteKey', 'suiteSecret', 'authCorpId', 'suiteTicket', 'accessToken', 'refreshToken', 'clientId', 'clientSecret', 'appId', 'agentId', 'required', 'description', 'defaultApp', 'apps'];
    const hints = issue.keys.map((k) => known.find((n) => n.toLowerCase() === k.toLowerCase().replace(/[-_]/g, ''))).filter(Boolean);
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${hints.length ? ` (did you mean ${hints.join(', ')}?)` : ' (see .dingtalkrc.example)'}`;
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `missing (expected ${issue.expected})`;
  return issue.message.replace(/^Invalid input: /, '');
}

/** Validates a loaded config object; returns it or one line naming the source, the path and what was expected. */
export function validateConfig(raw: unknown, source: string): { config: DoctorConfig } | { error: string } {
  const result = configSchema.safeParse(raw);
  if (result.success) {
    const { defaultApp, apps } = result.data;
    return { config: { source, ...(defaultApp ? { defaultApp } : {}), apps: apps as DoctorConfig['apps'] } };
  }
  // A misspelt key explains the "missing" one it causes: report it first.
  const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const issue = issues[0]!;
  const path = issue.path.map(String).join('.') || '(top level)';
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem${result.error.issues.length > 2 ? 's' : ''})` : '';
  return { error: `${source}: ${path}: ${describeIssue(issue)}${more}` };
}
