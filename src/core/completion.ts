/**
 * Shell completion scripts, generated from the command tree (pure). Fixed values (the choices
 * of --format, --lang, --app-type…, the shells of `completion <shell>`) are written into the
 * script; dynamic ones — configured app names (from the `--config` on the same line, if any) and
 * scope codes — are fetched at completion time by calling `dingtalk-doctor completion --values
 * apps|scopes`, so the script never goes stale. fish gets the descriptions too.
 */
export interface OptionNode {
  /** Every spelling: ['--quiet', '-q']. */
  flags: string[];
  description: string;
  /** The values it accepts, when it has a fixed list. */
  choices: string[] | null;
}

export interface CommandNode {
  name: string;
  description: string;
  options: OptionNode[];
  /** The fixed values of its first positional argument (`completion <shell>`), if any. */
  argChoices: string[] | null;
  subcommands: CommandNode[];
}

export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

/** Options whose next word is an app name / a scope code. */
const APP_OPTIONS = ['--app'];
const SCOPE_OPTIONS = ['--scope'];
/** Subcommands whose positional argument is a scope code. */
const SCOPE_ARG_PATHS = ['scopes show'];

interface Row {
  path: string; // "" for the root, "scopes" for `scopes`
  node: CommandNode;
  words: string[];
  /** Positional values: argChoices, or nothing. */
  args: string[];
}

function rows(node: CommandNode, globals: OptionNode[], path = ''): Row[] {
  const options = [...node.options, ...globals];
  const words = [...node.subcommands.map((c) => c.name), ...options.flatMap((o) => o.flags)];
  const here: Row = { path, node, words: [...new Set(words)], args: node.argChoices ?? [] };
  return [here, ...node.subcommands.flatMap((c) => rows(c, globals, path ? `${path} ${c.name}` : c.name))];
}

/** flag → its fixed values, over the whole tree (a flag means the same everywhere it appears). */
function choicesOf(tree: CommandNode): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (n: CommandNode) => {
    for (const o of n.options) if (o.choices) for (const f of o.flags) out.set(f, o.choices);
    n.subcommands.forEach(visit);
  };
  visit(tree);
  return out;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fnName = (bin: string) => `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}`;

function bash(bin: string, table: Row[], choices: Map<string, string[]>): string {
  const fn = fnName(bin);
  const cases = table.map((r) => `    ${quote(r.path)}) words=${quote(r.words.join(' '))} ;;`).join('\n');
  const argCases = table.filter((r) => r.args.length).map((r) => `    ${quote(r.path)}) if [[ "$cur" != -* ]]; then COMPREPLY=($(compgen -W ${quote(r.args.join(' '))} -- "$cur")); return; fi ;;`);
  const choiceCases = [...choices].map(([flag, values]) => `    ${flag}) COMPREPLY=($(compgen -W ${quote(values.join(' '))} -- "$cur")); return ;;`);
  const names = new Set(table.flatMap((r) => r.path.split(' ')).filter(Boolean));
  return `# bash completion for ${bin}; add to ~/.bashrc:  source <(${bin} completion bash)
${fn}() {
  local cur prev cmdpath="" words w i
  local -a cfg=()
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case " ${[...names].join(' ')} " in *" $w "*) cmdpath="\${cmdpath:+$cmdpath }$w" ;; esac
    # app names come from the config file named on this line, if any
    if [[ "$w" == --config && $((i + 1)) -lt COMP_CWORD ]]; then cfg=(--config "\${COMP_WORDS[i+1]}"); fi
    if [[ "$w" == --config=* ]]; then cfg=(--config "\${w#--config=}"); fi
  done
  case "$prev" in
    ${APP_OPTIONS.join('|')}) COMPREPLY=($(compgen -W "$(${bin} completion --values apps "\${cfg[@]}" 2>/dev/null)" -- "$cur")); return ;;
    ${SCOPE_OPTIONS.join('|')}) COMPREPLY=($(compgen -W "$(${bin} completion --values scopes 2>/dev/null)" -- "$cur")); return ;;
${choiceCases.join('\n')}
  esac
  case "$cmdpath" in
    ${SCOPE_ARG_PATHS.map(quote).join('|')}) if [[ "$cur" != -* ]]; then COMPREPLY=($(compgen -W "$(${bin} completion --values scopes 2>/dev/null)" -- "$cur")); return; fi ;;
${argCases.join('\n')}
  esac
  case "$cmdpath" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F ${fn} ${bin}
`;
}

function zsh(bin: string, table: Row[], choices: Map<string, string[]>): string {
  const fn = fnName(bin);
  const cases = table.map((r) => `    ${quote(r.path)}) cands=(${r.words.map(quote).join(' ')}) ;;`).join('\n');
  const argCases = table.filter((r) => r.args.length).map((r) => `    ${quote(r.path)}) if [[ "$PREFIX" != -* ]]; then compadd -- ${r.args.map(quote).join(' ')}; return; fi ;;`);
  const choiceCases = [...choices].map(([flag, values]) => `    ${flag}) compadd -- ${values.map(quote).join(' ')}; return ;;`);
  const names = new Set(table.flatMap((r) => r.path.split(' ')).filter(Boolean));
  return `#compdef ${bin}
# zsh completion for ${bin}; add to ~/.zshrc:  source <(${bin} completion zsh)
${fn}() {
  local cmdpath="" w prev="\${words[CURRENT-1]}" i
  local -a cands names cfg
  names=(${[...names].map(quote).join(' ')})
  for w in "\${(@)words[2,CURRENT-1]}"; do
    if (( \${names[(Ie)$w]} )); then cmdpath="\${cmdpath:+$cmdpath }$w"; fi
  done
  # app names come from the config file named on this line, if any
  for (( i = 2; i < CURRENT - 1; i++ )); do
    if [[ "\${words[i]}" == --config ]]; then cfg=(--config "\${words[i+1]}"); fi
  done
  case "$prev" in
    ${APP_OPTIONS.join('|')}) compadd -- \${(f)"$(${bin} completion --values apps $cfg 2>/dev/null)"}; return ;;
    ${SCOPE_OPTIONS.join('|')}) compadd -- \${(f)"$(${bin} completion --values scopes 2>/dev/null)"}; return ;;
${choiceCases.join('\n')}
  esac
  if [[ "$cmdpath" == (${SCOPE_ARG_PATHS.join('|').replace(/ /g, '\\ ')}) && "$PREFIX" != -* ]]; then
    compadd -- \${(f)"$(${bin} completion --values scopes 2>/dev/null)"}; return
  fi
  case "$cmdpath" in
${argCases.join('\n')}
  esac
  case "$cmdpath" in
${cases}
  esac
  compadd -- $cands
  _files
}
compdef ${fn} ${bin}
`;
}

function fishOption(bin: string, condition: string | null, o: OptionNode): string | null {
  const long = o.flags.find((f) => f.startsWith('--'));
  const short = o.flags.find((f) => /^-[^-]$/.test(f));
  if (!long) return null;
  const values = o.choices ? ` -x -a ${quote(o.choices.join(' '))}` : '';
  return `complete -c ${bin}${condition ? ` -n ${quote(condition)}` : ''} -l ${long.slice(2)}${short ? ` -s ${short.slice(1)}` : ''}${values} -d ${quote(o.description)}`;
}

function fish(bin: string, table: Row[], globals: OptionNode[]): string {
  const apps = `__${fnName(bin).slice(1)}_apps`;
  const lines = [
    `# fish completion for ${bin}; save as ~/.config/fish/completions/${bin}.fish`,
    `complete -c ${bin} -f`,
    '# app names come from the config file named on this line, if any',
    `function ${apps}`,
    '    set -l tokens (commandline -opc)',
    '    set -l cfg',
    '    for i in (seq (count $tokens))',
    '        if test "$tokens[$i]" = --config; and test $i -lt (count $tokens)',
    '            set cfg --config $tokens[(math $i + 1)]',
    '        end',
    '    end',
    `    ${bin} completion --values apps $cfg 2>/dev/null`,
    'end',
  ];
  for (const row of table) {
    const parts = row.path ? row.path.split(' ') : [];
    const condition = parts.length ? `__fish_seen_subcommand_from ${parts[parts.length - 1]}` : '__fish_use_subcommand';
    for (const sub of row.node.subcommands) lines.push(`complete -c ${bin} -n ${quote(condition)} -a ${quote(sub.name)} -d ${quote(sub.description)}`);
    for (const value of row.args) lines.push(`complete -c ${bin} -n ${quote(condition)} -a ${quote(value)}`);
    for (const o of row.node.options) {
      const line = fishOption(bin, condition, o);
      if (line) lines.push(line);
    }
  }
  // the global options, after any command
  for (const o of globals) {
    const line = fishOption(bin, null, o);
    if (line) lines.push(line);
  }
  lines.push(`complete -c ${bin} -l app -x -a '(${apps})'`);
  lines.push(`complete -c ${bin} -l scope -x -a '(${bin} completion --values scopes 2>/dev/null)'`);
  lines.push(`complete -c ${bin} -n '__fish_seen_subcommand_from show' -a '(${bin} completion --values scopes 2>/dev/null)'`);
  lines.push(`complete -c ${bin} -n '__fish_seen_subcommand_from diagnose' -F`);
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, bin: string, tree: CommandNode): string {
  // --version only makes sense at the top; every other root option works after any subcommand.
  const globals = tree.options.filter((o) => !o.flags.includes('--version'));
  const root: CommandNode = { ...tree, options: tree.options.filter((o) => o.flags.includes('--version')) };
  const table = rows(root, globals);
  if (shell === 'bash') return bash(bin, table, choicesOf(tree));
  if (shell === 'zsh') return zsh(bin, table, choicesOf(tree));
  return fish(bin, table, globals);
}
