/** Completion scripts for bash, zsh and fish, generated from the command tree (pure). */
import type { CompletionNode, CompletionOption } from './tree.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, root: CompletionNode): string {
  return shell === 'fish' ? fish(root) : shell === 'zsh' ? zsh(root) : bash(root);
}

interface Visit {
  path: string[];
  node: CompletionNode;
}

function walk(node: CompletionNode, path: string[] = []): Visit[] {
  return [{ path, node }, ...node.commands.flatMap((c) => walk(c, [...path, c.name]))];
}

const words = (xs: string[]) => xs.join(' ');
const key = (path: string[]) => JSON.stringify(path.join(' '));

function bash(root: CompletionNode): string {
  const visits = walk(root);
  const subs = visits.map((v) => `    ${key(v.path)}) echo ${JSON.stringify(words(v.node.commands.map((c) => c.name)))} ;;`);
  const all = visits.map(
    (v) =>
      `    ${key(v.path)}) echo ${JSON.stringify(words([...v.node.commands.map((c) => c.name), ...v.node.options.flatMap((o) => o.flags)]))} ;;`,
  );
  const valued = visits.flatMap((v) =>
    v.node.options
      .filter((o) => o.takesValue)
      .flatMap((o) => o.flags.map((f) => `    ${JSON.stringify(`${v.path.join(' ')}|${f}`)}) echo ${JSON.stringify(words(o.choices))} ;;`)),
  );
  return `# runledger completion for bash: source <(runledger completion bash)
_runledger_subcommands() {
  case "$1" in
${subs.join('\n')}
  esac
}
_runledger_words() {
  case "$1" in
${all.join('\n')}
  esac
}
# The values of a flag that takes one (empty: any value, completed as a file name); fails for other words.
_runledger_values() {
  case "$1|$2" in
${valued.join('\n')}
    *) return 1 ;;
  esac
}
_runledger() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    # After --, the words are the child's command line: leave them to the shell's default completion.
    [[ $w == "--" ]] && return 0
    if [[ $w != -* && " $(_runledger_subcommands "$path") " == *" $w "* ]]; then path="\${path:+$path }$w"; fi
  done
  local values
  if values=$(_runledger_values "$path" "$prev"); then
    [[ -n $values ]] && COMPREPLY=($(compgen -W "$values" -- "$cur"))
    return 0
  fi
  COMPREPLY=($(compgen -W "$(_runledger_words "$path")" -- "$cur"))
}
complete -o default -F _runledger runledger
`;
}

function zsh(root: CompletionNode): string {
  // zsh runs bash completion functions through bashcompinit: one generator, two shells, same answers.
  return `#compdef runledger
# runledger completion for zsh: source <(runledger completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(root).replace(/^# runledger completion for bash.*\n/, '')}`;
}

function fish(root: CompletionNode): string {
  const lines = ['# runledger completion for fish: runledger completion fish | source', 'complete -c runledger -f'];
  for (const { path, node } of walk(root)) {
    const at = fishCondition(path, node);
    for (const c of node.commands) lines.push(`complete -c runledger -n ${at} -a ${quote(c.name)} -d ${quote(c.description)}`);
    for (const o of node.options) lines.push(fishOption(at, o));
  }
  return lines.join('\n') + '\n';
}

/** True when the words typed so far are exactly `path` (ignoring flags). */
function fishCondition(path: string[], node: CompletionNode): string {
  const subs = node.commands.map((c) => c.name);
  const cond = path.length === 0 ? ['__fish_use_subcommand'] : [`__fish_seen_subcommand_from ${path[path.length - 1]}`];
  if (path.length > 0 && subs.length > 0) cond.push(`not __fish_seen_subcommand_from ${subs.join(' ')}`);
  return quote(cond.join('; and '));
}

function fishOption(at: string, o: CompletionOption): string {
  const parts = [`complete -c runledger -n ${at}`];
  for (const f of o.flags) parts.push(f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`);
  if (o.takesValue) parts.push(o.choices.length > 0 ? `-x -a ${quote(o.choices.join(' '))}` : '-r -F');
  parts.push(`-d ${quote(o.description)}`);
  return parts.join(' ');
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
