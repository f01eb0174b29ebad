import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Row } from '../../lib/jsonl/json.js';

/** Feeds rows through a stage and collects what comes out (objects, or text joined). */
export async function through<T = unknown>(stage: Transform, rows: Row[]): Promise<T[]> {
  const out: T[] = [];
  await pipeline(
    Readable.from(rows, { objectMode: true }),
    stage,
    new Writable({
      objectMode: true,
      write(chunk: T, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return out;
}

export async function text(stage: Transform, rows: Row[]): Promise<string> {
  return (await through<string>(stage, rows)).join('');
}
