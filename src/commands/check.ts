/**
 * `check`: probe an app's permissions against DingTalk and list the scopes it is missing. Its
 * options here; what it runs in check-run.ts, loaded by a check only.
 */
import type { Command } from 'commander';
import { addAppOptions } from './app-options.js';
import { lazyAction, withExamples } from './shared.js';

const collect = (split: boolean) => (value: string, previous: string[] = []) =>
  previous.concat(split ? value.split(',').map((s) => s.trim()).filter(Boolean) : [value.trim()]);

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description("probe an app's permissions against DingTalk and list the scopes it is missing")
    .option('--scope <code>', 'also check this scope (repeatable, or comma-separated)', collect(true))
    .option('--api <"METHOD /path">', 'also check the scopes this API needs (repeatable)', collect(false))
    .option('--allow-unknown-scope', 'accept scope codes the catalog does not know (reported unverifiable) instead of failing with exit 2')
    .addOption(program.createOption('--fail-on <what>', 'exit 1 on missing scopes (default), or also on scopes that could not be tested').choices(['missing', 'unverifiable']).default('missing'));
  addAppOptions(command, { allApps: true })
    .option('--concurrency <n>', 'probes in flight at once (default 8)')
    .option('--deadline <ms>', 'give up on probes not done after this many ms in total (default 60000)')
    .addOption(program.createOption('--source <source>', "where grants are read: probes, dws (DingTalk's CLI: the Developer Console's list), or both (default: both when dws is usable, else probe)").choices(['dws', 'probe', 'both']))
    .option('--apply', 'request the missing scopes through dws: a dry-run, then the request after you confirm (on a terminal)')
    .option('--yes', 'with --apply: request without asking (CI)')
    .action(lazyAction(async () => (await import('./check-run.js')).runCheckAction));
  withExamples(command, [
    ['dingtalk-doctor check --app crm', 'probe the scopes app "crm" needs (its `required` list)'],
    ['dingtalk-doctor check --all-apps --json', 'every configured app, one JSON document'],
    ['dingtalk-doctor check --scope Contact.User.Read --api "GET /v1.0/contact/users/{userId}"', 'check these too'],
    ['DINGTALK_APP_KEY=… DINGTALK_APP_SECRET=… DINGTALK_REQUIRED=Contact.User.Read dingtalk-doctor check --format github', 'CI without a config file'],
    ['dingtalk-doctor check --source dws', "read the app's grants from the Developer Console through dws (logged in with dws auth login)"],
    ['dingtalk-doctor check --apply', 'request the missing scopes through dws, after a dry-run and your yes'],
  ]);
}

