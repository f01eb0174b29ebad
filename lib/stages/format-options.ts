/** The output settings of seq-format and seq: style, chart width, and where warnings go. */
import type { FormatOptions } from './format.js';
import { lastString } from '../base/args.js';
import { UsageError } from '../base/errors.js';
import type { Program } from '../base/program.js';
import { outputIsTerminal, outputWidth, styleFor, type ColorChoice } from './terminal.js';

/** `toFile`: the output is a file (--output), so it is formatted as for a pipe. */
export function formatOptions(args: Record<string, unknown>, program: Program, toFile = false): FormatOptions {
  const terminal = outputIsTerminal(toFile);
  return { style: styleFor(colorChoice(args), terminal), width: chartWidth(args, () => outputWidth(terminal)), warn: program.warn };
}

export function colorChoice(args: Record<string, unknown>): ColorChoice {
  const value = lastString(args.color) ?? 'auto';
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  throw new UsageError(`--color: expected auto, always or never, got "${value}"`);
}

export function chartWidth(args: Record<string, unknown>, fallback: () => number): number {
  const value = lastString(args.width);
  if (value === undefined) return fallback();
  if (!/^\d+$/.test(value) || Number(value) < 20) throw new UsageError(`--width: expected a number of columns (20 or more), got "${value}"`);
  return Number(value);
}
