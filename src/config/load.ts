/**
 * Finding, reading and validating the config (zod loaded lazily), env-only mode for CI,
 * `${ENV_VAR}` secrets, and picking the apps a run is about.
 *
 * The search reads data only (JSON, YAML, package.json#dingtalk): a checkout under test must not
 * run code in a CI job that has the app secrets in its environment. So it is our own walk, not
 * cosmiconfig's explorer, which always reads (and runs) cosmiconfig's meta-config
 * `.config/config.*` in the working directory, and follows `$import`s. A JavaScript config loads
 * only when the user names it (`--config`, DINGTALK_CONFIG) or opts in (DINGTALK_DOCTOR_ALLOW_JS_CONFIG=1).
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DoctorError, type ErrorText } from '../errors.js';
import { errorText, uiError } from '../render/messages.js';
import { configFromEnv } from './env.js';
import { configBaseDir, homeDir, userConfigDir } from './paths.js';
import { isJsConfig, parseDataConfig, readDataConfig, readDataText, readJsConfig, type ConfigFile } from './read.js';
import { SECRET_FIELDS, type AppConfig, type DoctorConfig, type ResolvedApp } from './types.js';
// Secrets and tokens shorter than this are refused (see resolveApp): the redactor could not tell them from words.
import { MIN_SECRET_LENGTH } from '../redact.js';

/** Searched for in each directory from the working directory up to the home directory (or /), in this order. */
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
/** Then in the user's own directory (~/.config/dingtalk-doctor/). */
export const USER_PLACES = ['config.yml', 'config.yaml', 'config.json'];

/** Opt-in for the search to load JavaScript configs (a trusted checkout). */
export const ALLOW_JS_ENV = 'DINGTALK_DOCTOR_ALLOW_JS_CONFIG';

export interface LoadOptions {
  /** `--config <file>`: skips the search. */
  configPath?: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Warnings for stderr (a JS config skipped, a literal secret in a readable file); dropped when absent. */
  /** Warnings of the search, as messages (said in the user's language). */
  warn?: (text: ErrorText) => void;
}

export interface LoadedConfig {
  config: DoctorConfig;
}

export interface FoundConfig extends ConfigFile {
  file: string;
}

// Synchronous on purpose: the search stats up to 14 names per directory, and each async stat is a
// thread-pool round trip (≈ 2 ms of every diagnose for a search that finds nothing).
const fileStats = (path: string): Stats | null => {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? stats : null;
};
const isFile = (path: string): boolean => fileStats(path) !== null;

/**
 * `dir` ready for a name to be appended: what join(dir, name) gives for a normalized directory (the
 * search's are resolved), without join's walk over every character (≈ 30 k instructions a call,
 * 56 calls for 4 directories, measured). A root already ends in the separator (`/`, `C:\`).
 */
export const dirPrefix = (dir: string, separator: string = sep): string => (dir.endsWith(separator) ? dir : dir + separator);

/** isJsConfig for the names of SEARCH_PLACES, without path.extname (whose first call costs ≈ 0.2 M instructions, measured). */
export const isJsPlace = (place: string): boolean => place.endsWith('.js') || place.endsWith('.cjs') || place.endsWith('.mjs');

function* projectDirs(cwd: string, env: Record<string, string | undefined>): Generator<string> {
  const home = resolve(homeDir(env));
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    yield dir;
    if (dir === home || dirname(dir) === dir) return;
  }
}

/** The file named by --config or DINGTALK_CONFIG (no search at all), or null. */
export async function namedConfigFile(options: LoadOptions): Promise<string | null> {
  const named = options.configPath ?? (options.env.DINGTALK_CONFIG?.trim() || undefined);
  if (!named) return null;
  const file = resolve(options.cwd, named);
  if (!isFile(file)) {
    throw uiError('err.config.not-found', { file: named }, options.configPath ? 'err.config.not-found-flag-hint' : 'err.config.not-found-env-hint');
  }
  return file;
}

/**
 * Whether JSON text may have a "dingtalk" key at some depth: `"dingtalk"` then `:`. Text with a
 * backslash may spell the key with escapes (`"\u0064ingtalk"`), so it may.
 */
export function mayHaveDingtalkKey(text: string): boolean {
  if (text.includes('\\')) return true;
  for (let at = text.indexOf('"dingtalk"'); at !== -1; at = text.indexOf('"dingtalk"', at + 1)) {
    let next = at + '"dingtalk"'.length;
    while (text[next] === ' ' || text[next] === '\t' || text[next] === '\n' || text[next] === '\r') next++;
    if (text[next] === ':') return true;
  }
  return false;
}

/** A searched place (an existing file) as data; null when it does not count (empty, package.json without "dingtalk"). */
async function readSearched(file: string, place: string, size: number, warn: ((text: ErrorText) => void) | undefined): Promise<ConfigFile | null> {
  if (place !== 'package.json') {
    const read = await readDataConfig(file, size);
    return read.value === undefined ? null : read;
  }
  // The project's own package.json: when it is broken, that is not our config's problem.
  try {
    const text = readDataText(file, size);
    // With no one to warn (diagnose without --app/--config), one that cannot have the key is not
    // parsed: parsing could only find it broken, a warning dropped (JSON.parse of this checkout's
    // 2 KB package.json is ≈ 0.3 M instructions, measured).
    if (!warn && !mayHaveDingtalkKey(text)) return null;
    const read = await parseDataConfig(file, text);
    const value = (read.value as Record<string, unknown> | null)?.dingtalk;
    return value && typeof value === 'object' ? { value, text: read.text } : null;
  } catch (error) {
    if (!(error instanceof DoctorError)) throw error;
    warn?.(errorText('note.config.skipped', { error: error.text ? { id: error.text.id, params: error.text.params } : error.message }));
    return null;
  }
}

/**
 * The config file of this run: the one named (--config, DINGTALK_CONFIG), else the first data
 * config found upward from cwd, else the user's. A JavaScript config met on the way is named in a
 * warning and skipped, unless DINGTALK_DOCTOR_ALLOW_JS_CONFIG=1.
 */
export async function findConfig(options: LoadOptions): Promise<FoundConfig | null> {
  const warn = options.warn ?? (() => {});
  const named = await namedConfigFile(options);
  if (named) return { file: named, ...(await (isJsConfig(named) ? readJsConfig(named) : readDataConfig(named))) };
  const allowJs = options.env[ALLOW_JS_ENV] === '1';
  for (const dir of projectDirs(options.cwd, options.env)) {
    const base = dirPrefix(dir);
    for (const place of SEARCH_PLACES) {
      const file = base + place;
      // Checked before anything is awaited: most places are absent, and an await each costs.
      const stats = fileStats(file);
      if (!stats) continue;
      if (isJsPlace(place)) {
        if (allowJs) return { file, ...(await readJsConfig(file)) };
        warn(errorText('note.config.js-ignored', { file: relative(options.cwd, file) || place, variable: ALLOW_JS_ENV }));
        continue;
      }
      const read = await readSearched(file, place, stats.size, options.warn);
      if (read) return { file, ...read };
    }
  }
  const userDir = dirPrefix(userConfigDir(options.env));
  for (const place of USER_PLACES) {
    const file = userDir + place;
    const stats = fileStats(file);
    if (!stats) continue;
    const read = await readSearched(file, place, stats.size, options.warn);
    if (read) return { file, ...read };
  }
  return null;
}

/** cosmiconfig's search also read ~/.config/dingtalk/config*, undocumented; now ~/.config/dingtalk-doctor/ is the one user-level place. */
async function formerUserFile(env: Record<string, string | undefined>): Promise<string | null> {
  for (const name of ['config', 'config.json', 'config.yaml', 'config.yml']) {
    const file = join(configBaseDir(env), 'dingtalk', name);
    if (isFile(file)) return file;
  }
  return null;
}

/** The config of this run (a file, else the env-only app), or an error saying how to write one. */
export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const loaded = await loadConfigIfAny(options);
  if (loaded) return loaded;
  const former = await formerUserFile(options.env);
  throw uiError(
    'err.config.none',
    {},
    former ? { id: 'err.config.none-former-hint', params: { former, to: join(userConfigDir(options.env), 'config.yml') } } : 'err.config.none-hint',
  );
}

/**
 * loadConfig, but null when there is no config at all (no file, no DINGTALK_* app): for diagnose,
 * which needs none and would only drop the error (building it, with formerUserFile's stats, was
 * ≈ 0.3 M instructions of every diagnose, measured). A config that is there but wrong still throws.
 */
export async function loadConfigIfAny(options: LoadOptions): Promise<LoadedConfig | null> {
  const found = await findConfig(options);
  if (!found) {
    const fromEnv = configFromEnv(options.env);
    if ('error' in fromEnv) throw uiError(fromEnv.text.id, fromEnv.text.params);
    return fromEnv.config ? { config: fromEnv.config } : null;
  }
  if (found.value === null || found.value === undefined) {
    throw uiError('err.config.empty', { file: found.file }, 'err.config.empty-hint');
  }

  const { validateConfig } = await import('./schema.js');
  const validated = validateConfig(found.value, found.file);
  if ('error' in validated) throw uiError(validated.error.id, validated.error.params);
  for (const warning of await literalSecretWarnings(found, validated.config)) options.warn?.(warning);
  return { config: validated.config };
}


const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const isOnlyReference = (value: string) => /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value.trim());

/** A config file that others may read must not hold literal secrets. */
async function literalSecretWarnings({ file, text }: FoundConfig, config: DoctorConfig): Promise<ErrorText[]> {
  const mode = statSync(file, { throwIfNoEntry: false })?.mode ?? 0;
  if ((mode & 0o044) === 0) return [];
  // Only values written in the file itself count (a .js config reading process.env is fine).
  const literal: string[] = [];
  for (const [name, app] of Object.entries(config.apps)) {
    for (const field of SECRET_FIELDS) {
      const value = (app as unknown as Record<string, unknown>)[field];
      if (typeof value === 'string' && !isOnlyReference(value) && text.includes(value)) literal.push(`apps.${name}.${field}`);
    }
  }
  if (literal.length === 0) return [];
  return [errorText(mode & 0o004 ? 'note.config.literal-secret-all' : 'note.config.literal-secret-group', { file, fields: literal.join(', '), ref: '${ENV_VAR}' })];
}

/** Picks the apps of this run: `--app`, `--all-apps`, DINGTALK_APP (`envApp`), the defaultApp, or the only app. */
export function selectApps(config: DoctorConfig, pick: { app?: string; allApps?: boolean; envApp?: string }): string[] {
  const names = Object.keys(config.apps);
  const list = names.join(', ') || '-';
  if (pick.app && pick.allApps) throw uiError('err.apps.app-and-all');
  if (pick.allApps) {
    if (names.length === 0) throw uiError('err.apps.none', { source: config.source });
    return names;
  }
  const app = pick.app || pick.envApp?.trim();
  if (app) {
    if (!(app in config.apps)) throw uiError(pick.app ? 'err.apps.unknown' : 'err.apps.unknown-env', { app, source: config.source, list });
    return [app];
  }
  if (config.defaultApp) return [config.defaultApp];
  if (names.length === 1) return names;
  if (names.length === 0) throw uiError('err.apps.none', { source: config.source });
  throw uiError('err.apps.several', { list });
}

/** Substitutes `${ENV_VAR}` in every string of the app; a missing variable names itself and the app. */
export function resolveApp(config: DoctorConfig, name: string, env: Record<string, string | undefined>): ResolvedApp {
  const app = config.apps[name];
  if (!app) throw uiError('err.apps.unknown', { app: name, source: config.source, list: Object.keys(config.apps).join(', ') || '-' });
  const substitute = (value: string, field: string): string =>
    value.replace(ENV_REF, (_, variable: string) => {
      const got = env[variable];
      if (got === undefined || got === '') {
        throw uiError('err.apps.env-not-set', { variable, app: name, field, source: config.source }, { id: 'err.apps.env-not-set-hint', params: { variable } });
      }
      return got;
    });
  const out: Record<string, unknown> = { name };
  for (const [field, value] of Object.entries(app as AppConfig)) {
    if (typeof value === 'string') out[field] = substitute(value, field);
    else if (Array.isArray(value)) out[field] = value.map((v) => (typeof v === 'string' ? substitute(v, field) : v));
    else out[field] = value;
  }
  for (const field of SECRET_FIELDS) {
    const value = out[field];
    // A real DingTalk secret or token is far longer; a short one could not be told apart from ordinary text when redacted.
    if (typeof value === 'string' && value.length < MIN_SECRET_LENGTH) {
      const where = config.source === 'environment' ? errorText('err.apps.field-from-env', { field }) : errorText('err.apps.field-in', { app: name, field, source: config.source });
      const intoVariable = isOnlyReference(String((app as unknown as Record<string, unknown>)[field]));
      throw uiError('err.apps.secret-short', { where, min: MIN_SECRET_LENGTH, app: name }, intoVariable ? 'err.apps.secret-short-variable-hint' : 'err.apps.secret-short-hint');
    }
  }
  return out as unknown as ResolvedApp;
}
