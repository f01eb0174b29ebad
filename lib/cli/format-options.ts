/** The output settings of seq-format and seq: style, chart width, and where warnings go. */
import type { FormatOptions } from '../stages/format.js';
import { chartWidth, colorChoice } from './options.js';
import type { Program } from './run.js';
import { outputIsTerminal, outputWidth, styleFor } from './terminal.js';

/** `toFile`: the output is a file (--output), so it is formatted as for a pipe. */
export function formatOptions(args: Record<string, unknown>, program: Program, toFile = false): FormatOptions {
  const terminal = outputIsTerminal(toFile);
  return { style: styleFor(colorChoice(args), terminal), width: chartWidth(args, () => outputWidth(terminal)), warn: program.warn };
}
