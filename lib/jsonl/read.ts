/**
 * Reading JSON Lines: each input (a file, or `-` for stdin) is split into lines and decoded in
 * order; a line that is not a JSON object is skipped and counted with its place (`file:line`).
 */
import { createReadStream } from 'node:fs';
import { PassThrough, type Readable, type Transform } from 'node:stream';
import split2 from 'split2';
import { errorReason } from '../sources/files.js';
import { isJsonObject, type Row } from './json.js';
import type { InputProblems } from './problems.js';

const BLANK = /^\s*$/;

/** A JSON.parse message without the V8 wording that repeats the whole line. */
function parseReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^(Unexpected .*?)(, ".*" is not valid JSON)$/s, '$1').slice(0, 200);
}

/** A record with the place it was read from, for callers that report per record (seq-record). */
export interface PlacedRow {
  row: Row;
  place: string;
}

/**
 * Splits bytes into lines and decodes each into a record; `name` is the place in messages.
 * With `placed`, each record comes wrapped with its `file:line`.
 */
export function decodeLines(name: string, problems: InputProblems, placed = false): Transform {
  let line = 0;
  return split2('\n', (text: string): Row | PlacedRow | undefined => {
    line++;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0 || (text.length < 64 && BLANK.test(text))) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      problems.malformedLine(`${name}:${line}`, parseReason(error));
      return undefined;
    }
    if (!isJsonObject(value)) {
      problems.malformedLine(`${name}:${line}`, `a JSON ${Array.isArray(value) ? 'list' : typeof value === 'object' ? 'null' : typeof value}, not an object`);
      return undefined;
    }
    return placed ? { row: value, place: `${name}:${line}` } : value;
  }) as unknown as Transform;
}

export interface RecordReader {
  records: Readable;
  /** Stops reading: the records stream ends cleanly after what was already decoded. */
  stop(): void;
}

/** The records of every input, in order; `-` is stdin. Unreadable inputs are reported and skipped. */
export function readRecords(inputs: string[], problems: InputProblems, options: { stdin?: Readable; placed?: boolean } = {}): RecordReader {
  const stdin = options.stdin ?? process.stdin;
  const out = new PassThrough({ objectMode: true, highWaterMark: 256 });
  let current: { source: Readable; decoder: Transform } | undefined;
  let stopped = false;

  const next = (index: number): void => {
    if (stopped) return;
    const input = inputs[index];
    if (input === undefined) {
      out.end();
      return;
    }
    const isStdin = input === '-';
    const source: Readable = isStdin ? stdin : createReadStream(input, { highWaterMark: 1 << 20 });
    const name = isStdin ? 'stdin' : input;
    const decoder = decodeLines(name, problems, options.placed === true);
    current = { source, decoder };
    source.on('error', (error) => {
      problems.unreadable(name, errorReason(error));
      source.unpipe(decoder);
      decoder.end();
    });
    decoder.on('error', (error) => out.destroy(error));
    decoder.on('end', () => next(index + 1));
    source.pipe(decoder);
    decoder.pipe(out, { end: false });
  };

  next(0);
  return {
    records: out,
    stop() {
      if (stopped) return;
      stopped = true;
      if (current) {
        current.decoder.unpipe(out);
        current.source.unpipe(current.decoder);
        current.source.destroy();
      }
      out.end();
    },
  };
}
