/** The figures of ../shared/fixtures/EXPECTED.md, read from its Markdown tables. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './sessions.js';

/** The markdown tables of a section of EXPECTED.md, each as rows of header → cell. */
export function tables(section: string): Array<Array<Record<string, string>>> {
  const text = readFileSync(join(FIXTURES, 'EXPECTED.md'), 'utf8');
  const start = text.indexOf(section);
  const next = text.indexOf('\n## ', start + section.length);
  const body = text.slice(start, next < 0 ? undefined : next);
  const found: Array<Array<Record<string, string>>> = [];
  let current: string[][] = [];
  for (const line of [...body.split('\n'), '']) {
    if (line.startsWith('|')) {
      current.push(
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim().replace(/^`|`$/g, '')),
      );
    } else if (current.length > 0) {
      const [header, , ...rows] = current;
      found.push(rows.map((cells) => Object.fromEntries((header ?? []).map((name, i) => [name, cells[i] ?? '']))));
      current = [];
    }
  }
  return found;
}

export const int = (text: string | undefined): number => Number((text ?? '').replace(/,/g, ''));
