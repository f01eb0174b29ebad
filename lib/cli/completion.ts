/**
 * Shell completion scripts, written from the commands' declarations: their words, their flags,
 * and what each flag's value may be (Flag.complete). bash gets a completion function; zsh runs
 * the same one through bashcompinit; fish gets `complete` lines and two helper functions.
 */
import { commandWord, type Command, type CompletionKind, type Flag } from '../base/command.js';
import type { Shell } from './shells.js';

/** What completion knows besides the commands: the names of a kind. */
export interface CompletionNames {
  datasets: readonly string[];
  /** Each dataset's fields; a dataset of free fields (jsonl) has none. */
  fields: ReadonlyMap<string, readonly string[]>;
}

/** A command as completion sees it: where it is typed, and what follows it. */
interface Node {
  /** The words that reach it: `seq cache info`. */
  path: string;
  command: Command;
  children: string[];
}

function nodes(command: Command, path = command.name): Node[] {
  const children = command.subcommands ?? [];
  return [{ path, command, children: children.map(commandWord) }, ...children.flatMap((child) => nodes(child, `${path} ${commandWord(child)}`))];
}

/** The words a flag is typed as: --name and -a. */
function spellings(name: string, flag: Flag): string[] {
  return [`--${name}`, ...(flag.alias === undefined ? [] : [flag.alias.length === 1 ? `-${flag.alias}` : `--${flag.alias}`])];
}

/** Every flag's spellings, and --no-NAME where the help offers it (a flag on by default). */
function flagNames(command: Command): string[] {
  return [
    ...Object.entries(command.flags).flatMap(([name, flag]) => [
      ...spellings(name, flag),
      ...(flag.type === 'boolean' && flag.help.includes(`--no-${name}`) ? [`--no-${name}`] : []),
    ]),
    '--help',
    '--version',
  ];
}

/** What a command's operands may be: "words W...", "files", or nothing. */
function operands(node: Node): string[] {
  if (node.command.operands !== undefined) return ['words', ...node.command.operands];
  return node.children.length > 0 || node.command.maxOperands === 0 ? [] : ['files'];
}

function valued(command: Command): string[] {
  return Object.entries(command.flags).flatMap(([name, flag]) => (flag.type === 'boolean' ? [] : spellings(name, flag)));
}

/** Text quoted for a shell's single quotes. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function allFields(names: CompletionNames): string[] {
  return [...new Set([...names.fields.values()].flat())].sort();
}

function bashScript(programs: readonly Command[], names: CompletionNames): string {
  const all = programs.flatMap((program) => nodes(program));
  const cases = (pick: (node: Node) => string[]): string =>
    all
      .map((node) => ({ node, words: pick(node) }))
      .filter(({ words }) => words.length > 0)
      .map(({ node, words }) => `    ${quote(node.path)}) echo ${quote(words.join(' '))} ;;`)
      .join('\n');
  const values = all
    .flatMap((node) =>
      Object.entries(node.command.flags).flatMap(([name, flag]) => {
        if (flag.type === 'boolean' || flag.complete === undefined) return [];
        const what = typeof flag.complete === 'string' ? flag.complete : `words ${flag.complete.join(' ')}`;
        return [
          `    ${spellings(name, flag)
            .map((spelling) => quote(`${node.path} ${spelling}`))
            .join('|')}) echo ${quote(what)} ;;`,
        ];
      }),
    )
    .join('\n');
  const fields = [...names.fields.entries()]
    .filter(([, list]) => list.length > 0)
    .map(([dataset, list]) => `    ${quote(dataset)}) echo ${quote(list.join(' '))} ;;`)
    .join('\n');
  return `# seq completion for bash: add to ~/.bashrc
#   source <(seq completion bash)
# Written by \`seq completion bash\` from the commands' own declarations.

_seq_children() {
  case "$1" in
${cases((node) => node.children)}
  esac
}

_seq_flags() {
  case "$1" in
${cases((node) => flagNames(node.command))}
  esac
}

_seq_valued() {
  case "$1" in
${cases((node) => valued(node.command))}
  esac
}

_seq_operands() {
  case "$1" in
${cases(operands)}
  esac
}

# What the value of flag $2 of command $1 may be: a kind of name, or "words W...".
_seq_value() {
  case "$1 $2" in
${values}
  esac
}

_seq_fields() {
  case "$1" in
${fields}
    *) echo ${quote(allFields(names).join(' '))} ;;
  esac
}

_seq() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local path=\${COMP_WORDS[0]##*/} dataset= i=1 word
  # The command the line is in, and its dataset, from the words before the cursor.
  while [ "$i" -lt "$COMP_CWORD" ]; do
    word=\${COMP_WORDS[i]}
    if [[ " $(_seq_valued "$path") " == *" $word "* ]]; then
      case "$word" in --dataset|-d) dataset=\${COMP_WORDS[i+1]} ;; esac
      i=$((i + 2))
      continue
    fi
    if [[ "$word" != -* && " $(_seq_children "$path") " == *" $word "* ]]; then path="$path $word"; fi
    i=$((i + 1))
  done
  COMPREPLY=()
  local what
  if [[ " $(_seq_valued "$path") " == *" $prev "* ]]; then
    what=$(_seq_value "$path" "$prev")
    case "$what" in
      words\\ *)
        # A comma-separated list (--phases spec,exec): complete its last item.
        local head= last=$cur
        if [[ "$cur" == *,* ]]; then head=\${cur%,*},; last=\${cur##*,}; fi
        COMPREPLY=($(compgen -P "$head" -W "\${what#words }" -- "$last")) ;;
      datasets) COMPREPLY=($(compgen -W ${quote(names.datasets.join(' '))} -- "$cur")) ;;
      fields)
        # A comma-separated list (and --sort's -FIELD): complete its last item.
        local head= last=$cur
        if [[ "$cur" == *,* ]]; then head=\${cur%,*},; last=\${cur##*,}; fi
        if [[ "$last" == -* ]]; then head=$head-; last=\${last#-}; fi
        COMPREPLY=($(compgen -P "$head" -W "$(_seq_fields "$dataset")" -- "$last")) ;;
      specs)
        local file=\${cur#@}
        COMPREPLY=($(compgen -P @ -f -X '!*.json' -- "$file") $(compgen -P @ -S / -d -- "$file")) ;;
      files) COMPREPLY=($(compgen -f -- "$cur")) ;;
      folders) COMPREPLY=($(compgen -d -- "$cur")) ;;
    esac
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_seq_flags "$path")" -- "$cur"))
    return 0
  fi
  what=$(_seq_operands "$path")
  case "$what" in
    words\\ *) COMPREPLY=($(compgen -W "$(_seq_children "$path") \${what#words }" -- "$cur")) ;;
    files) COMPREPLY=($(compgen -f -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "$(_seq_children "$path")" -- "$cur")) ;;
  esac
}

complete -o filenames -F _seq ${programs.map((program) => program.name).join(' ')}
`;
}

function zshScript(programs: readonly Command[], names: CompletionNames): string {
  return `# seq completion for zsh: add to ~/.zshrc
#   source <(seq completion zsh)
# zsh runs the bash completion through bashcompinit (compinit first, where the shell has not run it).
(( $+functions[compdef] )) || { autoload -U +X compinit && compinit; }
autoload -U +X bashcompinit && bashcompinit
${bashScript(programs, names)
  .split('\n')
  .filter((line) => !line.startsWith('# seq completion for bash') && !line.startsWith('#   source'))
  .join('\n')}`;
}

/** fish: a function that finds the command the line is in, and `complete` lines per command and flag. */
function fishScript(programs: readonly Command[], names: CompletionNames): string {
  const all = programs.flatMap((program) => nodes(program));
  const lines: string[] = [];
  const fieldCases = [...names.fields.entries()]
    .filter(([, list]) => list.length > 0)
    .map(([dataset, list]) => `        case ${quote(dataset)}\n            printf '%s\\n' ${list.map(quote).join(' ')}`)
    .join('\n');
  for (const node of all) {
    const program = node.path.split(' ')[0];
    const here = `-n '__seq_path_is ${node.path}'`;
    const words = operands(node);
    if (words[0] === 'words') lines.push(`complete -c ${program} ${here} -f -a ${quote(words.slice(1).join(' '))}`);
    else if (words.length === 0) lines.push(`complete -c ${program} ${here} -f`);
    for (const child of node.command.subcommands ?? []) {
      lines.push(`complete -c ${program} ${here} -f -a ${quote(commandWord(child))} -d ${quote(child.summary ?? child.text.description.split('. ')[0])}`);
    }
    for (const [name, flag] of Object.entries(node.command.flags)) {
      const short = flag.alias !== undefined && flag.alias.length === 1 ? ` -s ${flag.alias}` : '';
      const help = quote(flag.help.split('; ')[0].slice(0, 80));
      let value = '';
      if (flag.type !== 'boolean') {
        const kind: readonly string[] | CompletionKind | undefined = flag.complete;
        if (kind === undefined) value = ' -x';
        else if (typeof kind !== 'string') value = ` -x -a ${quote(kind.join(' '))}`;
        else if (kind === 'datasets') value = ` -x -a ${quote(names.datasets.join(' '))}`;
        else if (kind === 'fields') value = ` -x -a '(__seq_fields)'`;
        else if (kind === 'specs') value = ` -x -a '(__seq_specs)'`;
        else if (kind === 'folders') value = ` -x -a '(__fish_complete_directories)'`;
        else value = ' -r -F';
      }
      lines.push(`complete -c ${program} ${here} -l ${name}${short}${value} -d ${help}`);
    }
  }
  return `# seq completion for fish: save as ~/.config/fish/completions/seq.fish
#   seq completion fish > ~/.config/fish/completions/seq.fish
# (and the same file as seq-scan.fish, seq-filter.fish... for the stages)

# Whether the words before the cursor are in the command $argv (\`seq cache info\`).
function __seq_path_is
    set -l words (commandline -opc)
    set -l path (string replace -r '.*/' '' -- $words[1])
    for word in $words[2..-1]
        if contains -- "$path $word" ${all
          .filter((node) => node.path.includes(' '))
          .map((node) => quote(node.path))
          .join(' ')}
            set path "$path $word"
        end
    end
    test "$path" = "$argv"
end

# The fields of the dataset the line names (--dataset or -d), else every dataset's.
function __seq_fields
    set -l words (commandline -opc)
    set -l dataset
    set -l i 1
    while test $i -lt (count $words)
        if contains -- $words[$i] --dataset -d
            set dataset $words[(math $i + 1)]
        end
        set i (math $i + 1)
    end
    switch "$dataset"
${fieldCases}
        case '*'
            printf '%s\\n' ${allFields(names).map(quote).join(' ')}
    end
end

# Spec files as --spec takes them: @file.json.
function __seq_specs
    set -l token (string replace -r '^@' '' -- (commandline -ct))
    for file in $token*.json $token*/
        printf '@%s\\n' $file
    end
end

${lines.join('\n')}
`;
}

export function completionScript(shell: Shell, programs: readonly Command[], names: CompletionNames): string {
  if (shell === 'bash') return bashScript(programs, names);
  if (shell === 'zsh') return zshScript(programs, names);
  return fishScript(programs, names);
}
