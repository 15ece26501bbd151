import type { Command } from 'commander';
import { action, withExamples } from './shared.js';

export function registerDiagnose(program: Command): void {
  const command = program
    .command('diagnose')
    .description('explain DingTalk errors in files, stdin or logs: cause, scope to request, and how')
    .argument('[inputs...]', 'files to read, or - for stdin (default: stdin when piped)')
    .action(
      action(async (out) => {
        out.info('diagnose: not implemented yet', true);
        return 2;
      }),
    );
  withExamples(command, [['dingtalk-doctor diagnose examples/403-missing-scope.json', 'explain a 403 body']]);
}
