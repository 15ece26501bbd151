import type { Command } from 'commander';
import { action, withExamples } from './shared.js';

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description("probe an app's permissions against DingTalk and list the scopes it is missing")
    .action(
      action(async (out) => {
        out.info('check: not implemented yet', true);
        return 2;
      }),
    );
  withExamples(command, [['dingtalk-doctor check --app crm', 'probe the scopes app "crm" needs']]);
}
