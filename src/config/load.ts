/**
 * Finding, reading and validating the config (cosmiconfig + zod, both loaded lazily),
 * env-only mode for CI, `${ENV_VAR}` secrets, and picking the apps a run is about.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import { configFromEnv } from './env.js';
import { SECRET_FIELDS, type AppConfig, type DoctorConfig, type ResolvedApp } from './types.js';
import { commonjsExports } from '../interop.js';

export const MODULE_NAME = 'dingtalk';
export const SEARCH_PLACES = [
  'package.json',
  '.dingtalkrc',
  '.dingtalkrc.json',
  '.dingtalkrc.yaml',
  '.dingtalkrc.yml',
  '.dingtalkrc.js',
  '.dingtalkrc.cjs',
  '.dingtalkrc.mjs',
  'dingtalk.config.json',
  'dingtalk.config.yaml',
  'dingtalk.config.yml',
  'dingtalk.config.js',
  'dingtalk.config.cjs',
  'dingtalk.config.mjs',
];

export interface LoadOptions {
  /** `--config <file>`: skips the search. */
  configPath?: string;
  cwd: string;
  env: Record<string, string | undefined>;
}

export interface LoadedConfig {
  config: DoctorConfig;
  /** Printed on stderr by the command (e.g. a literal secret in a world-readable file). */
  warnings: string[];
}

const firstLine = (text: string) => text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;

export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const { cosmiconfig } = commonjsExports(await import('cosmiconfig'), 'cosmiconfig');
  // yaml loads only for a YAML (or extension-less) file: a JSON or JS config never pays for it.
  const yamlLoader = async (filepath: string, content: string) => {
    const { parse: parseYaml } = commonjsExports(await import('yaml'), 'parse');
    try {
      return parseYaml(content) as unknown;
    } catch (error) {
      throw usageError(`${filepath}: not valid YAML or JSON: ${firstLine((error as Error).message)}`);
    }
  };
  const explorer = cosmiconfig(MODULE_NAME, {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: 'global',
    loaders: { '.yaml': yamlLoader, '.yml': yamlLoader, noExt: yamlLoader },
    cache: false,
  });

  let result: { config: unknown; filepath: string; isEmpty?: boolean } | null;
  try {
    if (options.configPath) {
      const file = resolve(options.cwd, options.configPath);
      const exists = await stat(file).then((s) => s.isFile(), () => false);
      if (!exists) throw usageError(`config file ${options.configPath} not found`, 'check the path given to --config');
      result = await explorer.load(file);
    } else {
      result = await explorer.search(options.cwd);
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'DoctorError') throw error;
    const file = (error as { filepath?: string }).filepath ?? options.configPath ?? 'config';
    throw usageError(`${file}: cannot read config: ${firstLine((error as Error).message)}`);
  }

  if (!result) {
    const fromEnv = configFromEnv(options.env);
    if ('error' in fromEnv) throw usageError(fromEnv.error);
    if (fromEnv.config) return { config: fromEnv.config, warnings: [] };
    throw usageError(
      'no dingtalk-doctor config found',
      'create a .dingtalkrc (see .dingtalkrc.example), pass --config <file>, or set DINGTALK_APP_KEY and DINGTALK_APP_SECRET',
    );
  }
  if (result.isEmpty || result.config === null || result.config === undefined) {
    throw usageError(`${result.filepath}: config is empty`, 'see .dingtalkrc.example for the shape');
  }

  const { validateConfig } = await import('./schema.js');
  const validated = validateConfig(result.config, result.filepath);
  if ('error' in validated) throw usageError(validated.error);
  const warnings = await literalSecretWarnings(result.filepath, validated.config);
  return { config: validated.config, warnings };
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const isOnlyReference = (value: string) => /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value.trim());

/** A config file that others may read must not hold literal secrets. */
async function literalSecretWarnings(file: string, config: DoctorConfig): Promise<string[]> {
  const mode = await stat(file).then((s) => s.mode, () => 0);
  if ((mode & 0o044) === 0) return [];
  // Only values written in the file itself count (a .js config reading process.env is fine).
  const text = await readFile(file, 'utf8').catch(() => '');
  const literal: string[] = [];
  for (const [name, app] of Object.entries(config.apps)) {
    for (const field of SECRET_FIELDS) {
      const value = (app as unknown as Record<string, unknown>)[field];
      if (typeof value === 'string' && !isOnlyReference(value) && text.includes(value)) literal.push(`apps.${name}.${field}`);
    }
  }
  if (literal.length === 0) return [];
  const who = mode & 0o004 ? 'all users' : 'its group';
  return [
    `warning: ${file} is readable by ${who} and holds a literal secret (${literal.join(', ')}); use \${ENV_VAR} references or chmod 600 ${file}`,
  ];
}

/** Picks the apps of this run: `--app`, `--all-apps`, the defaultApp, or the only app. */
export function selectApps(config: DoctorConfig, pick: { app?: string; allApps?: boolean }): string[] {
  const names = Object.keys(config.apps);
  const list = names.join(', ') || 'none';
  if (pick.app && pick.allApps) throw usageError('use either --app or --all-apps, not both');
  if (pick.allApps) {
    if (names.length === 0) throw usageError(`${config.source}: no apps configured`);
    return names;
  }
  if (pick.app) {
    if (!(pick.app in config.apps)) throw usageError(`unknown app "${pick.app}" in ${config.source}; configured apps: ${list}`);
    return [pick.app];
  }
  if (config.defaultApp) return [config.defaultApp];
  if (names.length === 1) return names;
  if (names.length === 0) throw usageError(`${config.source}: no apps configured`);
  throw usageError(`several apps configured (${list}): pick one with --app <name> or --all-apps, or set defaultApp`);
}

/** Substitutes `${ENV_VAR}` in every string of the app; a missing variable names itself and the app. */
export function resolveApp(config: DoctorConfig, name: string, env: Record<string, string | undefined>): ResolvedApp {
  const app = config.apps[name];
  if (!app) throw usageError(`unknown app "${name}"; configured apps: ${Object.keys(config.apps).join(', ') || 'none'}`);
  const substitute = (value: string, field: string): string =>
    value.replace(ENV_REF, (_, variable: string) => {
      const got = env[variable];
      if (got === undefined || got === '') {
        throw usageError(
          `environment variable ${variable} is not set (used by apps.${name}.${field} in ${config.source}, app "${name}")`,
          `export ${variable}=… or put the value in a file readable only by you`,
        );
      }
      return got;
    });
  const out: Record<string, unknown> = { name };
  for (const [field, value] of Object.entries(app as AppConfig)) {
    if (typeof value === 'string') out[field] = substitute(value, field);
    else if (Array.isArray(value)) out[field] = value.map((v) => (typeof v === 'string' ? substitute(v, field) : v));
    else out[field] = value;
  }
  return out as unknown as ResolvedApp;
}
