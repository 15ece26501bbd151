/**
 * The library's explainError({ app, config }): the AppKey and type of a configured app, read
 * synchronously (explainError is sync) from a JSON or YAML config file, or from a config object.
 * No secret is read or resolved; a `${VAR}` AppKey is taken from the environment.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { uiError } from '../render/messages.js';
import { selectApps } from './load.js';
import { validateConfig } from './schema.js';
import { appKeyOf } from './types.js';
import type { AppType } from '../core/types.js';

export interface ConfiguredApp {
  appKey: string | null;
  appType: AppType;
  from: { via: 'config'; app: string; source: string };
}

export function configuredAppSync(config: string | object, app: string | undefined, env: Record<string, string | undefined> = process.env): ConfiguredApp {
  const source = typeof config === 'string' ? config : 'the config object';
  let raw: unknown = config;
  if (typeof config === 'string') {
    const text = readFileSync(config, 'utf8');
    raw = /\.json$/i.test(config) ? JSON.parse(text) : parse(text);
  }
  const validated = validateConfig(raw, source);
  if ('error' in validated) throw uiError(validated.error.id, validated.error.params);
  const [name] = selectApps(validated.config, { app });
  const found = validated.config.apps[name!]!;
  const key = appKeyOf(found);
  const ref = key ? /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(key.trim()) : null;
  return { appKey: ref ? env[ref[1]!]?.trim() || null : key, appType: found.type, from: { via: 'config', app: name!, source } };
}
