/**
 * The program's own options, which every command takes (gh's "INHERITED FLAGS"): as data, for
 * commander (src/program.ts) and for a plain command line (commands/plain-args.ts).
 */
import type { OptionSpec } from './plain-args.js';

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '--json', description: 'print one JSON document (same as --format json)' },
  { flags: '--format <format>', description: 'output format', choices: ['text', 'json', 'github', 'markdown', 'sarif', 'junit'] },
  { flags: '--no-color', description: 'disable colour (also NO_COLOR)' },
  { flags: '-q, --quiet', description: 'print only results, no progress or hints' },
  { flags: '--verbose', description: 'show more detail (stack traces of unexpected errors)' },
  { flags: '--lang <lang>', description: 'language of advice (default from LANG/LC_ALL)', choices: ['zh', 'en'] },
];
