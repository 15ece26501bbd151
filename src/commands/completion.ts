import type { Command } from 'commander';
import { completionScript, SHELLS, type CommandNode, type OptionNode, type Shell } from '../core/completion.js';
import { getCatalog } from '../catalog/index.js';
import { loadConfig } from '../config/load.js';
import { uiError } from '../render/messages.js';
import type { Renderers } from '../render/output.js';
import { action, withExamples } from './shared.js';

interface CompletionOptions {
  values?: string;
  config?: string;
}

/** A completion script (or a list of values) is text for a shell: it has no JSON or other form. */
const renderers: Renderers<string> = { text: (script) => script };

function treeOf(command: Command): CommandNode {
  const options: OptionNode[] = command.options
    .filter((o) => !o.hidden && (command.parent === null || o.long !== '--version'))
    .map((o) => ({ flags: [o.long, o.short].filter((f): f is string => Boolean(f)), description: o.description, choices: o.argChoices ?? null }));
  return {
    name: command.name(),
    description: command.description(),
    options: [...options, { flags: ['--help', '-h'], description: 'display help for command', choices: null }],
    argChoices: command.registeredArguments[0]?.argChoices ?? null,
    subcommands: command.commands.filter((c) => c.name() !== 'help').map(treeOf),
  };
}

/** Values for dynamic completion; failures print nothing (completion must never error). */
async function values(kind: string, opts: CompletionOptions): Promise<string[]> {
  if (kind === 'scopes') {
    return getCatalog().allScopes().map((s) => s.code);
  }
  if (kind === 'apps') {
    const { config } = await loadConfig({ configPath: opts.config, cwd: process.cwd(), env: process.env });
    return Object.keys(config.apps);
  }
  throw uiError('err.completion.values', { kind }, 'err.completion.values-hint');
}

export function registerCompletion(program: Command): void {
  const command = program
    .command('completion')
    .description('print a shell completion script (commands, options, app names, scope codes)')
    .addArgument(program.createArgument('[shell]', 'shell to complete for').choices(SHELLS))
    .addOption(program.createOption('--values <kind>', 'list completion values (used by the scripts)').choices(['apps', 'scopes']).hideHelp())
    .option('--config <file>', 'config file to read app names from')
    .action(
      action(renderers, async (_out, opts: CompletionOptions, shell?: Shell) => {
        if (typeof opts.values === 'string') {
          const list = await values(opts.values, opts).catch(() => []);
          return { result: list.join('\n'), exit: 0 };
        }
        if (!shell) throw uiError('ui.err.which-shell', {}, { id: 'ui.err.which-shell-hint', params: {} });
        return { result: completionScript(shell, program.name(), treeOf(program)), exit: 0 };
      }),
    );
  withExamples(command, [
    ['source <(dingtalk-doctor completion bash)', 'bash, for this shell'],
    ['dingtalk-doctor completion zsh > "${fpath[1]}/_dingtalk-doctor"', 'zsh, installed'],
    ['dingtalk-doctor completion fish > ~/.config/fish/completions/dingtalk-doctor.fish', 'fish'],
  ]);
}
