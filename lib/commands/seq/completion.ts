/** `seq completion bash|zsh|fish`: a shell's completion script for seq and its stage executables. */
import type { Command } from '../../base/command.js';
import { SHELLS } from '../../cli/shells.js';

/** `programs`: the executables to complete, read when the command runs (seq's own list holds this command). */
export function completionCommand(programs: () => readonly Command[]): Command<Record<string, never>> {
  return {
    name: 'seq completion',
    summary: 'Print a shell completion script (bash, zsh or fish)',
    flags: {},
    maxOperands: 1,
    operands: SHELLS,
    text: {
      usage: 'seq completion bash|zsh|fish',
      description:
        "Print the completion script of a shell for seq and its stages (seq-scan, seq-filter, seq-group, seq-format, seq-record): commands, flags, dataset names, the fields of the line's dataset, spec files and the values each flag takes.",
      examples: [
        ['source <(seq completion bash)', 'in ~/.bashrc'],
        ['source <(seq completion zsh)', 'in ~/.zshrc'],
        ['seq completion fish > ~/.config/fish/completions/seq.fish', 'for fish'],
      ],
    },
    run: (_values, [shell]) => import('./completion-work.js').then((work) => work.runCompletion(shell, programs())),
  };
}
