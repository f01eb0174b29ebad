import type { Transform } from 'node:stream';
import type { Row } from './json.js';
import { stage } from '../base/transform.js';
import { TextBatch } from './batch.js';

/** Records out as JSON Lines, in large chunks: the output of seq-scan, seq-filter, seq-group. */
export function encodeLines(): Transform {
  let batch: TextBatch | undefined;
  return stage<Row, string>(
    {
      record(row, push) {
        batch ??= new TextBatch(push);
        batch.add(`${JSON.stringify(row)}\n`);
      },
      end() {
        batch?.flush();
      },
    },
    { textOut: true },
  );
}
