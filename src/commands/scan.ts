/**
 * `scopes scan [dir...]`: find DingTalk API use in a source tree and the scopes it needs;
 * with --check, probe the app for those scopes and point at each call site that will fail.
 * Its options here; what it runs in scan-run.ts, loaded by a scan only.
 */
import type { Command } from 'commander';
import { addAppOptions } from './app-options.js';
import { lazyAction, withExamples } from './shared.js';

export function registerScan(scopes: Command): void {
  const scan = scopes
    .command('scan')
    .argument('[dir...]', 'directories or files to scan (default: .)')
    .description('read a codebase and list the DingTalk APIs it calls and the scopes they need')
    .option('--check', "probe the app (--app) for the scopes found: each call site whose scope the app lacks is a finding at its file and line")
    .option('--write-config', "merge the found scopes into the app's `required` list in the config file");
  addAppOptions(scan, { allApps: false }).action(lazyAction(async () => (await import('./scan-run.js')).runScan));
  withExamples(scan, [
    ['dingtalk-doctor scopes scan', 'scan the current directory'],
    ['dingtalk-doctor scopes scan src services/api --json', 'scan two directories, machine-readable'],
    ['dingtalk-doctor scopes scan --format markdown > SCOPES.md', 'a table for a README or PR'],
    ['dingtalk-doctor scopes scan --check --app crm --format github', 'annotate each call site whose scope app "crm" lacks'],
    ['dingtalk-doctor scopes scan --format sarif > dingtalk.sarif', 'every call site with its scope, for GitHub code scanning'],
    ['dingtalk-doctor scopes scan --write-config --app crm', 'add the found scopes to apps.crm.required'],
  ]);
}
