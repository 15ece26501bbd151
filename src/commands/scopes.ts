import type { Command } from 'commander';
import { withExamples } from './shared.js';
import { registerScan } from './scan.js';

export function registerScopes(program: Command): void {
  const scopes = program.command('scopes').description('ask the offline scope catalog: list, search, show, for, stats, learned, scan');
  registerScan(scopes);
  withExamples(scopes, [['dingtalk-doctor scopes show Contact.User.Read', 'how to get one scope']]);
}
