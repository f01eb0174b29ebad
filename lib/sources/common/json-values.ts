/**
 * A decoded log record's values, as every reader takes them: an object of anything, checked where
 * it is read; and a line's bytes decoded as one JSON object, what goes wrong told the same way.
 */
import { isUtf8 } from 'node:buffer';
import type { EventSink } from './events.js';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string as it is, the empty one too; undefined where it is not a string. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A string that says something: undefined where it is empty or not a string. */
export function nonEmptyStr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A line's bytes decoded as one JSON object: invalid UTF-8 is told as repaired; what is not JSON,
 * or JSON but not an object, is told to `bad` (the sink's malformed, unless the reader keeps
 * count of its own) and undefined.
 */
export function decodeObject(
  buffer: Buffer,
  start: number,
  end: number,
  lineNumber: number,
  sink: EventSink,
  bad?: (lineNumber: number, reason: string) => void,
): Json | undefined {
  if (!isUtf8(buffer.subarray(start, end))) sink.repaired(lineNumber, 'invalid UTF-8 replaced by U+FFFD');
  let value: unknown;
  try {
    value = JSON.parse(buffer.toString('utf8', start, end));
  } catch (error) {
    (bad ?? sink.malformed.bind(sink))(lineNumber, error instanceof Error ? error.message.slice(0, 120) : 'not JSON');
    return undefined;
  }
  if (!isObject(value)) {
    (bad ?? sink.malformed.bind(sink))(lineNumber, 'JSON but not an object');
    return undefined;
  }
  return value;
}
