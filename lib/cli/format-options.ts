/** The output settings of seq-format and seq: style, chart width, and where warnings go. */
import type { FormatOptions } from '../stages/format.js';
import { chartWidth, colorChoice } from './options.js';
import type { Program } from './run.js';
import { styleFor, terminalWidth } from './terminal.js';

export function formatOptions(args: Record<string, unknown>, program: Program): FormatOptions {
  return { style: styleFor(colorChoice(args)), width: chartWidth(args, terminalWidth), warn: program.warn };
}
