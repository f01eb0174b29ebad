/**
 * Stands in for the `string-width` package inside yargs (an esbuild alias, see package.json):
 * help text is measured by the same display width as tables, and no start pays for the
 * Unicode tables that string-width builds when it loads.
 */
import { displayWidth } from '../stages/formats/width.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character starts what it removes
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

export default function stringWidth(text: string): number {
  return displayWidth(text.includes('\x1b') ? text.replace(ANSI, '') : text);
}
