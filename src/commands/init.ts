/**
 * `dingtalk-doctor init`: writes a commented `.dingtalkrc.yml` for one app. On a terminal it asks
 * for what the flags did not give (app name, type, AppKey, the names of the environment variables
 * for its secrets — never a secret value); elsewhere it takes flags. `--from-scan [dir]` fills
 * `required:` from `scopes scan`. An existing file is kept unless `--force`.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ErrorParam } from '../errors.js';
import { errorText, message, uiError } from '../render/messages.js';
import { findConfig } from '../config/load.js';
import { APP_NAME, defaultEnvName, ENV_NAME, KEY_FIELD, PLAIN_ID, renderInitConfig, SECRET_ENV, type InitAnswers } from '../config/init-template.js';
import type { AppType } from '../config/types.js';
import type { StepParam } from '../core/types.js';
import type { Lang } from '../render/output.js';
import type { Renderers } from '../render/output.js';
import { splitBase } from '../render/scan.js';
import { scanTree } from '../scan/index.js';
import { action, withExamples } from './shared.js';

const TYPES: AppType[] = ['internal', 'third-party-enterprise', 'third-party-personal'];

interface InitOptions {
  app?: string;
  appType?: AppType;
  appKey?: string;
  authCorpId?: string;
  secretEnv?: string;
  ticketEnv?: string;
  tokenEnv?: string;
  fromScan?: boolean | string;
  config?: string;
  force?: boolean;
}

interface InitResult {
  file: string;
  answers: InitAnswers;
}

/** Asks one question on the terminal (prompts on stderr: stdout is the result). */
type Ask = (question: string, fallback?: string) => Promise<string>;

function terminalAsk(): { ask: Ask; close(): void } {
  // readline and fs/promises load when init runs, not at every start of the CLI
  const rl = process.getBuiltinModule('node:readline/promises').createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return {
    ask: async (question, fallback) => (await rl.question(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim() || fallback || '',
    close: () => rl.close(),
  };
}

/** A value from a flag, else from the terminal (asked until valid), else an error naming the flag. */
async function value(given: string | undefined, ask: Ask | null, spec: { flag: string; question: string; fallback?: string; valid: RegExp; expected: ErrorParam }, lang: Lang): Promise<string> {
  const check = (text: string, from: string) => {
    if (!spec.valid.test(text)) throw uiError('err.init.expected', { flag: from, expected: spec.expected });
    return text;
  };
  if (given !== undefined) return check(given.trim(), spec.flag);
  if (!ask) {
    if (spec.fallback !== undefined) return spec.fallback;
    throw uiError('err.init.needs-flag', { flag: spec.flag }, 'err.init.needs-flag-hint');
  }
  for (;;) {
    const answer = await ask(spec.question, spec.fallback);
    if (spec.valid.test(answer)) return answer;
    process.stderr.write(`  ${message('ui.init.expected', { expected: spec.expected }, lang)}\n`);
  }
}

/** The answers: flags first, the terminal for the rest. Secrets are asked for by variable name only. */
async function gather(opts: InitOptions, ask: Ask | null, cwd: string, lang: Lang): Promise<Omit<InitAnswers, 'required'>> {
  const q = (id: string, params: Record<string, string> = {}) => message(`ui.init.ask.${id}`, params, lang);
  const suggestedName = basename(cwd).replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'default';
  const app = await value(opts.app, ask, { flag: '--app <name>', question: q('app'), fallback: suggestedName, valid: APP_NAME, expected: errorText('err.init.expect-app-name') }, lang);
  const type = (await value(opts.appType, ask, { flag: '--app-type <type>', question: q('type', { types: TYPES.join(' | ') }), fallback: 'internal', valid: new RegExp(`^(${TYPES.join('|')})$`), expected: TYPES.join(' | ') }, lang)) as AppType;
  const key = await value(opts.appKey, ask, { flag: '--app-key <key>', question: q(`key.${type}`), valid: PLAIN_ID, expected: errorText('err.init.expect-key') }, lang);
  const authCorpId = type === 'third-party-enterprise' ? await value(opts.authCorpId, ask, { flag: '--auth-corp-id <corpId>', question: q('corp-id'), valid: PLAIN_ID, expected: errorText('err.init.expect-corp-id') }, lang) : undefined;
  const flags = [opts.secretEnv, type === 'third-party-enterprise' ? opts.ticketEnv : opts.tokenEnv];
  const flagNames = ['--secret-env <VAR>', type === 'third-party-enterprise' ? '--ticket-env <VAR>' : '--token-env <VAR>'];
  const env: Record<string, string> = {};
  for (const [i, { field, suffix }] of SECRET_ENV[type].entries()) {
    env[field] = await value(flags[i], ask, {
      flag: flagNames[i]!,
      question: q('secret-env', { field, what: message(`ui.init.secret.${field}`, {}, lang) }),
      fallback: defaultEnvName(app, suffix),
      valid: ENV_NAME,
      expected: errorText('err.init.expect-env-name'),
    }, lang);
  }
  return { app, type, key, env, ...(authCorpId ? { authCorpId } : {}) };
}

/** `--from-scan [dir]`: the scopes `scopes scan` finds there (those granted by default left out). */
async function scannedScopes(fromScan: InitOptions['fromScan'], cwd: string): Promise<{ required: string[]; scanned?: string }> {
  if (!fromScan) return { required: [] };
  const dir = typeof fromScan === 'string' ? fromScan : '.';
  const result = await scanTree([dir], { cwd });
  return { required: splitBase(result.scopes).toRequest.map((s) => s.code), scanned: dir };
}

const renderers: Renderers<InitResult> = {
  text: ({ file, answers }, o) => {
    const t = (id: string, params: Record<string, StepParam> = {}) => message(id, params, o.lang);
    const vars = Object.values(answers.env);
    const count = answers.required.length;
    const scopes = { id: count === 1 ? 'ui.init.required.one' : 'ui.init.required.other', params: { n: count } };
    const scanned = answers.scanned ? { id: 'ui.init.from-scan', params: { dir: answers.scanned } } : '';
    return [
      t('ui.init.wrote', { file, app: answers.app, type: o.lang === 'zh' ? t(`ui.app-type.${answers.type}`) : answers.type, scopes, scanned }),
      t(vars.length > 1 ? 'ui.init.next-many' : 'ui.init.next-one', { vars: vars.join(', '), scopes: count ? '' : { id: 'ui.init.next-scopes', params: {} } }),
    ].join('\n');
  },
};

export function registerInit(program: Command): void {
  const command = program
    .command('init')
    .description('write a commented .dingtalkrc.yml for one app (asks on a terminal; never for a secret, only its variable name)')
    .option('--app <name>', 'the app name (default: the directory name)')
    .addOption(program.createOption('--app-type <type>', 'app type (default: internal)').choices(TYPES))
    .option('--app-key <key>', 'AppKey / Client ID (SuiteKey for a third-party-enterprise app)')
    .option('--auth-corp-id <corpId>', 'third-party-enterprise: the corpId of the organisation that installed the app')
    .option('--secret-env <VAR>', 'the environment variable for the app secret (default: <APP>_APP_SECRET, …)')
    .option('--ticket-env <VAR>', 'third-party-enterprise: the variable for the suiteTicket')
    .option('--token-env <VAR>', 'third-party-personal: the variable for the refresh token')
    .option('--from-scan [dir]', 'fill required: with the scopes `scopes scan` finds in dir (default: .)')
    .option('--config <file>', 'the file to write (default: .dingtalkrc.yml)')
    .option('--force', 'overwrite the file if it exists')
    .action(
      action(renderers, async (out, opts: InitOptions) => {
        const cwd = process.cwd();
        const target = resolve(cwd, opts.config ?? '.dingtalkrc.yml');
        const shown = relative(cwd, target) || target;
        if (existsSync(target) && !opts.force) throw uiError('err.init.exists', { file: shown }, 'err.init.exists-hint');
        const terminal = process.stdin.isTTY && process.stderr.isTTY ? terminalAsk() : null;
        let answers: InitAnswers;
        try {
          answers = { ...(await gather(opts, terminal?.ask ?? null, cwd, out.opts.lang)), ...(await scannedScopes(opts.fromScan, cwd)) };
        } finally {
          terminal?.close();
        }
        // Another config that the search meets first would be used instead: say so.
        const first = opts.config ? null : await findConfig({ cwd, env: process.env }).catch(() => null);
        const { mkdir, writeFile } = process.getBuiltinModule('node:fs/promises');
        await mkdir(dirname(target), { recursive: true })
          .then(() => writeFile(target, renderInitConfig(answers), { mode: 0o600, flag: opts.force ? 'w' : 'wx' }))
          .catch((error: NodeJS.ErrnoException) => {
            throw error.code === 'EEXIST' ? uiError('err.init.exists', { file: shown }) : uiError('err.init.cannot-write', { file: shown, reason: error.code ?? error.message });
          });
        if (first && first.file !== target) out.info(errorText('note.init.shadowed', { first: relative(cwd, first.file) || first.file, file: shown }), true);
        return { result: { file: shown, answers }, exit: 0 };
      }),
    );
  withExamples(command, [
    ['dingtalk-doctor init', 'on a terminal: asks for the app name, type, AppKey and the variable names for its secrets'],
    ['dingtalk-doctor init --app crm --app-key dingxxxxxxxx --from-scan src', 'in a script: flags, and required: from the scopes src/ needs'],
    ['dingtalk-doctor init --app isv --app-type third-party-enterprise --app-key suitexxxx --auth-corp-id dingcorpxxxx', 'a third-party app'],
  ]);
}
