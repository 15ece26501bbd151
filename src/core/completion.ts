/**
 * Shell completion scripts, generated from the command tree (pure). Dynamic values —
 * configured app names and scope codes — are fetched at completion time by calling
 * `dingtalk-doctor completion --values apps|scopes`, so the script never goes stale.
 */
export interface CommandNode {
  name: string;
  options: string[]; // every flag spelling: --json, -q, --quiet
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
  words: string[];
}

function rows(node: CommandNode, globals: string[], path = ''): Row[] {
  const own = node.options.filter((o) => !globals.includes(o));
  const words = [...node.subcommands.map((c) => c.name), ...own, ...globals];
  const here: Row = { path, words: [...new Set(words)] };
  return [here, ...node.subcommands.flatMap((c) => rows(c, globals, path ? `${path} ${c.name}` : c.name))];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(bin: string, table: Row[]): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const cases = table.map((r) => `    ${quote(r.path)}) words=${quote(r.words.join(' '))} ;;`).join('\n');
  const names = new Set(table.flatMap((r) => r.path.split(' ')).filter(Boolean));
  return `# bash completion for ${bin}; add to ~/.bashrc:  source <(${bin} completion bash)
${fn}() {
  local cur prev cmdpath="" words w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case " ${[...names].join(' ')} " in *" $w "*) cmdpath="\${cmdpath:+$cmdpath }$w" ;; esac
  done
  case "$prev" in
    ${APP_OPTIONS.join('|')}) COMPREPLY=($(compgen -W "$(${bin} completion --values apps 2>/dev/null)" -- "$cur")); return ;;
    ${SCOPE_OPTIONS.join('|')}) COMPREPLY=($(compgen -W "$(${bin} completion --values scopes 2>/dev/null)" -- "$cur")); return ;;
  esac
  case "$cmdpath" in
    ${SCOPE_ARG_PATHS.map(quote).join('|')}) if [[ "$cur" != -* ]]; then COMPREPLY=($(compgen -W "$(${bin} completion --values scopes 2>/dev/null)" -- "$cur")); return; fi ;;
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

function zsh(bin: string, table: Row[]): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const cases = table.map((r) => `    ${quote(r.path)}) cands=(${r.words.map(quote).join(' ')}) ;;`).join('\n');
  const names = new Set(table.flatMap((r) => r.path.split(' ')).filter(Boolean));
  return `#compdef ${bin}
# zsh completion for ${bin}; add to ~/.zshrc:  source <(${bin} completion zsh)
${fn}() {
  local cmdpath="" w prev="\${words[CURRENT-1]}"
  local -a cands names
  names=(${[...names].map(quote).join(' ')})
  for w in "\${(@)words[2,CURRENT-1]}"; do
    if (( \${names[(Ie)$w]} )); then cmdpath="\${cmdpath:+$cmdpath }$w"; fi
  done
  case "$prev" in
    ${APP_OPTIONS.join('|')}) compadd -- \${(f)"$(${bin} completion --values apps 2>/dev/null)"}; return ;;
    ${SCOPE_OPTIONS.join('|')}) compadd -- \${(f)"$(${bin} completion --values scopes 2>/dev/null)"}; return ;;
  esac
  if [[ "$cmdpath" == (${SCOPE_ARG_PATHS.join('|').replace(/ /g, '\\ ')}) && "$PREFIX" != -* ]]; then
    compadd -- \${(f)"$(${bin} completion --values scopes 2>/dev/null)"}; return
  fi
  case "$cmdpath" in
${cases}
  esac
  compadd -- $cands
  _files
}
compdef ${fn} ${bin}
`;
}

function fish(bin: string, table: Row[]): string {
  const lines = [`# fish completion for ${bin}; save as ~/.config/fish/completions/${bin}.fish`, `complete -c ${bin} -f`];
  for (const row of table) {
    const parts = row.path ? row.path.split(' ') : [];
    const condition = parts.length
      ? `__fish_seen_subcommand_from ${parts[parts.length - 1]}`
      : '__fish_use_subcommand';
    const subs = row.words.filter((w) => !w.startsWith('-'));
    if (subs.length) lines.push(`complete -c ${bin} -n ${quote(condition)} -a ${quote(subs.join(' '))}`);
    for (const flag of row.words.filter((w) => w.startsWith('--'))) {
      lines.push(`complete -c ${bin} -n ${quote(condition)} -l ${flag.slice(2)}`);
    }
  }
  lines.push(`complete -c ${bin} -l app -x -a '(${bin} completion --values apps 2>/dev/null)'`);
  lines.push(`complete -c ${bin} -l scope -x -a '(${bin} completion --values scopes 2>/dev/null)'`);
  lines.push(`complete -c ${bin} -n '__fish_seen_subcommand_from show' -a '(${bin} completion --values scopes 2>/dev/null)'`);
  lines.push(`complete -c ${bin} -n '__fish_seen_subcommand_from diagnose' -F`);
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, bin: string, tree: CommandNode): string {
  // --version only makes sense at the top; every other root option works after any subcommand.
  const table = rows(tree, tree.options.filter((o) => o !== '--version' && o !== '-V'));
  if (shell === 'bash') return bash(bin, table);
  if (shell === 'zsh') return zsh(bin, table);
  return fish(bin, table);
}
