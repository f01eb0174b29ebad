/** The output settings of seq-format, seq and the reports: style, chart width, the output file, and where warnings go. */
import type { FormatOptions } from './format.js';
import type { Flags, Values } from '../base/command.js';
import { UsageError } from '../base/errors.js';
import type { Program } from '../base/program.js';
import { outputIsTerminal, outputWidth, styleFor, type ColorChoice } from './terminal.js';

/** How text output looks. */
export const STYLE_FLAGS = {
  color: {
    type: 'string',
    complete: ['auto', 'always', 'never'],
    negated: 'never',
    help: 'Colour: auto (on a terminal without NO_COLOR), always or never; --no-color is never',
  },
  width: { type: 'string', help: 'Columns for charts (default: the terminal width, else $COLUMNS, else 80)' },
} as const satisfies Flags;

/** Where a command that may write a report file writes. */
export const OUTPUT_FLAGS = {
  output: { type: 'string', alias: 'o', complete: 'files', help: 'Write to FILE (replaced only when the run succeeds) instead of stdout' },
} as const satisfies Flags;

export type StyleValues = Values<typeof STYLE_FLAGS>;

/** --json and --html, where a command has them: shorthands of --format, read by formatShorthand. */
export const JSON_FLAG = { json: { type: 'boolean', help: 'As JSON: the same as --format json' } } as const satisfies Flags;
export const HTML_FLAG = { html: { type: 'boolean', help: 'As one self-contained HTML page: the same as --format html' } } as const satisfies Flags;

/**
 * --json and --html, where a command has them: shorthands of --format. One of the three may be
 * given; the --format they mean, or --format's own value.
 */
export function formatShorthand(
  values: { format?: string | undefined; json?: boolean | undefined; html?: boolean | undefined },
  command?: string,
): string | undefined {
  const given = (['html', 'json', 'format'] as const).filter((flag) => (flag === 'format' ? values.format !== undefined : values[flag] === true));
  if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} both say how to write`, 'give one of them', command);
  return values.html === true ? 'html' : values.json === true ? 'json' : values.format;
}

/** --output's file, undefined for stdout. */
/** The file of --output; none (stdout) for `-`, as Unix tools read it. */
export function outputPath(values: Values<typeof OUTPUT_FLAGS>): string | undefined {
  if (values.output === '') throw new UsageError('--output needs a file name');
  return values.output === '-' ? undefined : values.output;
}

/** `toFile`: the output is a file (--output), so it is formatted as for a pipe. */
export function formatOptions(values: StyleValues, program: Program, toFile = false): FormatOptions {
  const terminal = outputIsTerminal(toFile);
  return { style: styleFor(colorChoice(values), terminal), width: chartWidth(values, () => outputWidth(terminal)), warn: program.warn };
}

export function colorChoice(values: StyleValues): ColorChoice {
  const value = values.color ?? 'auto';
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  throw new UsageError(`--color: expected auto, always or never, got "${value}"`);
}

export function chartWidth(values: StyleValues, fallback: () => number): number {
  const value = values.width;
  if (value === undefined) return fallback();
  if (!/^\d+$/.test(value) || Number(value) < 20) throw new UsageError(`--width: expected a number of columns (20 or more), got "${value}"`);
  return Number(value);
}
