/**
 * `scopes scan --write-config`: merge found scopes into `apps.<name>.required` of the config file,
 * touching nothing else. A small file-level merge (JSON keeps its indent; YAML goes through
 * yaml's Document so comments and order survive). The file is located like src/config/load.ts
 * does (its search, upward from cwd); reading/validating stays there.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { findConfig, namedConfigFile } from './load.js';
import type { ErrorText } from '../errors.js';
import { errorText, uiError } from '../render/messages.js';
import { commonjsExports } from '../interop.js';
import { isPlainObject } from '../values.js';

export interface WriteConfigOptions {
  cwd: string;
  configPath?: string;
  app?: string;
  scopes: string[];
  /** Warnings of the config search (a JavaScript config skipped). */
  warn?: (text: ErrorText) => void;
}

export interface WriteConfigResult {
  file: string;
  app: string;
  before: string[];
  after: string[];
  added: string[];
  changed: boolean;
}

/** The file `check` would read (src/config/load.ts's search: data configs only, JS ones skipped). */
async function locate(cwd: string, configPath?: string, warn?: (text: ErrorText) => void): Promise<string> {
  const options = { cwd, configPath, env: process.env, warn };
  const found = (await namedConfigFile(options)) ?? (await findConfig(options))?.file;
  if (found) return found;
  throw uiError('err.write.no-config', {}, 'err.write.no-config-hint');
}

type Obj = Record<string, unknown>;

/** The app to write to: --app, else defaultApp, else the only app. */
function pickApp(config: Obj, file: string, wanted?: string): string {
  const apps = isPlainObject(config.apps) ? config.apps : {};
  const names = Object.keys(apps);
  if (wanted) {
    if (!(wanted in apps)) throw uiError('err.write.unknown-app', { app: wanted, file: basename(file) }, names.length ? { id: 'err.write.configured-apps', params: { list: names.join(', ') } } : 'err.write.add-app-hint');
    return wanted;
  }
  if (typeof config.defaultApp === 'string' && config.defaultApp in apps) return config.defaultApp;
  if (names.length === 1) return names[0]!;
  if (names.length) throw uiError('err.write.which-app', { file: basename(file), list: names.join(', ') }, 'err.write.which-app-hint');
  throw uiError('err.write.no-apps', { file: basename(file) }, 'err.write.no-apps-hint');
}

function merge(before: string[], scopes: string[]): { after: string[]; added: string[] } {
  const have = new Set(before);
  const added = [...new Set(scopes)].filter((s) => !have.has(s)).sort();
  return { after: [...before, ...added], added };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** `required` diff: unchanged lines with two spaces, added ones with `+ `; as a message (its last line in the user's language). */
export function requiredDiff(result: WriteConfigResult): ErrorText {
  const lines = [`${result.file}: apps.${result.app}.required`];
  for (const s of result.after) lines.push(`${result.added.includes(s) ? '+' : ' '} ${s}`);
  return errorText(result.changed ? 'text.untranslated' : 'note.write.complete', { text: lines.join('\n') });
}

export interface ConfigWriter {
  file: string;
  /** Merges `scopes` into apps.<app>.required; `report` gets the diff before anything is written. */
  write(scopes: string[], report: (diff: ErrorText) => void): Promise<WriteConfigResult>;
}

/**
 * The write step both formats share: diff the app's `required` list against the scan, report the
 * diff, and only when something was added let the format-specific `save` write the file.
 */
function writerFor(display: string, app: string, appObj: Obj, save: (added: string[], after: string[]) => Promise<void>): ConfigWriter['write'] {
  return async (scopes, report) => {
    const before = strings(appObj.required);
    const { after, added } = merge(before, scopes);
    const result: WriteConfigResult = { file: display, app, before, after, added, changed: added.length > 0 };
    report(requiredDiff(result));
    if (result.changed) await save(added, after);
    return result;
  };
}

/**
 * Finds, parses and checks the config file and the app before the scan runs, so that a config
 * problem fails fast (exit 2) instead of after a long scan.
 */
export async function openConfigForWrite(options: Omit<WriteConfigOptions, 'scopes'>): Promise<ConfigWriter> {
  const file = await locate(options.cwd, options.configPath, options.warn);
  const name = basename(file);
  const rel = relative(options.cwd, file);
  const display = rel && !rel.startsWith('..') ? rel : file;
  if (/\.(c|m)?js$|\.ts$/.test(name)) {
    return {
      file: display,
      write: async (scopes) => {
        throw uiError('err.write.js-config', { file: name, app: options.app ?? '<app>' }, { id: 'text.untranslated', params: { text: scopes.map((s) => `'${s}',`).join(' ') } });
      },
    };
  }
  const text = readFileSync(file, 'utf8');

  // JSON by extension, or an extension-less .dingtalkrc that parses as JSON; else YAML.
  let json: unknown;
  let isJson = name.endsWith('.json');
  if (!isJson && !/\.ya?ml$/.test(name)) {
    try {
      json = JSON.parse(text);
      isJson = true;
    } catch {
      isJson = false;
    }
  }
  if (isJson) {
    if (json === undefined) {
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw uiError('err.write.bad-json', { file: name, reason: (error as Error).message });
      }
    }
    const root = name === 'package.json' && isPlainObject(json) ? json.dingtalk : json;
    if (!isPlainObject(root)) throw uiError('err.write.no-apps-object', { file: name });
    const app = pickApp(root, file, options.app);
    const appObj = (root.apps as Obj)[app];
    if (!isPlainObject(appObj)) throw uiError('err.write.app-not-object', { file: name, app });
    return {
      file: display,
      write: writerFor(display, app, appObj, async (added, after) => {
        appObj.required = Array.isArray(appObj.required) ? [...(appObj.required as unknown[]), ...added] : after;
        const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
        writeFileSync(file, `${JSON.stringify(json, null, indent)}${text.endsWith('\n') ? '\n' : ''}`);
      }),
    };
  }

  const YAML = commonjsExports(await import('yaml'), 'parseDocument');
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw uiError('err.write.bad-yaml', { file: name, reason: doc.errors[0]!.message.split('\n')[0]! });
  const root = doc.toJS() as unknown;
  if (!isPlainObject(root)) throw uiError('err.write.no-apps-mapping', { file: name });
  const app = pickApp(root, file, options.app);
  const appObj = (root.apps as Obj)[app];
  if (!isPlainObject(appObj)) throw uiError('err.write.app-not-mapping', { file: name, app });
  return {
    file: display,
    write: writerFor(display, app, appObj, async (added, after) => {
      const path = ['apps', app, 'required'];
      const seq = doc.getIn(path, true);
      if (YAML.isSeq(seq)) for (const s of added) seq.add(doc.createNode(s));
      else doc.setIn(path, doc.createNode(after));
      writeFileSync(file, doc.toString());
    }),
  };
}
