/** What the terminal allows: colour only on a terminal and never with NO_COLOR; its width. */
import { ANSI_STYLE, NO_STYLE, type Style } from '../stages/formats/types.js';

export type ColorChoice = 'auto' | 'always' | 'never';

export function colorEnabled(choice: ColorChoice, stream: { isTTY?: boolean } = process.stdout): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  const noColor = process.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return stream.isTTY === true;
}

export function styleFor(choice: ColorChoice): Style {
  return colorEnabled(choice) ? ANSI_STYLE : NO_STYLE;
}

/** The terminal's columns when stdout is one, else COLUMNS when set, else 80. */
export function terminalWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : 80;
}
