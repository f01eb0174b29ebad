/** What the output allows: colour only on a terminal and never with NO_COLOR; the width. */
import { ANSI_STYLE, NO_STYLE, type Style } from './formats/types.js';

export type ColorChoice = 'auto' | 'always' | 'never';

/** Whether the output goes to a terminal: stdout when it is one (a file given by --output is not). */
export function outputIsTerminal(toFile: boolean): boolean {
  return !toFile && process.stdout.isTTY === true;
}

export function colorEnabled(choice: ColorChoice, terminal: boolean): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  const noColor = process.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return terminal;
}

export function styleFor(choice: ColorChoice, terminal: boolean): Style {
  return colorEnabled(choice, terminal) ? ANSI_STYLE : NO_STYLE;
}

/** The terminal's columns when writing to one, else COLUMNS when set, else 80. */
export function outputWidth(terminal: boolean): number {
  if (terminal && process.stdout.columns > 0) return process.stdout.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : 80;
}
