/**
 * A file read the two ways a Claude reader may read its lines (sources/common/decode-first.ts):
 * walked over, and decoded whole wherever it may be; what each way told, in order.
 */
import { DecodeBudget } from '../../lib/sources/common/decode-first.js';
import type { ReaderNeeds } from '../../lib/sources/common/source.js';
import { InThreadOpener } from '../../lib/sources/session-reader.js';

export type Told = Array<[string, ...unknown[]]>;

function told(path: string, needs: ReaderNeeds, decode: DecodeBudget | undefined): Told {
  const out: Told = [];
  const read = new InThreadOpener(needs, decode).open(
    path,
    {
      event: (event) => out.push(['event', event]),
      malformed: (line, reason) => out.push(['malformed', line, reason]),
      repaired: (line, what) => out.push(['repaired', line, what]),
    },
    {
      source: () => true,
      unknown: (reason) => out.push(['unknown', reason]),
      unreadable: (reason) => out.push(['unreadable', reason]),
      point: (point) => out.push(['point', point]),
    },
  );
  while (!read.done) read.pump();
  read.close();
  return out;
}

/** The needs of the datasets whose lines a Claude reader walks (usage, alone or with others). */
export const WALKED_NEEDS: ReaderNeeds[] = [
  { messages: false, toolCalls: false, tokens: true },
  { messages: false, toolCalls: true, tokens: true },
];

/** What the file told walked, and decoded whole wherever it may be. */
export function bothWays(path: string, needs: ReaderNeeds): { walked: Told; decoded: Told } {
  return { walked: told(path, needs, undefined), decoded: told(path, needs, new DecodeBudget(Number.POSITIVE_INFINITY)) };
}
