/** Decoding a Copilot CLI line, and the few checks on its values that both of its log kinds need. */
import { isUtf8 } from 'node:buffer';
import type { EventSink } from '../common/events.js';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A line decoded as one JSON object; undefined (told as malformed) where it is not one. */
export function decodeLine(buffer: Buffer, start: number, end: number, lineNumber: number, sink: EventSink): Json | undefined {
  if (buffer[start] !== 0x7b) {
    sink.malformed(lineNumber, 'not a JSON object');
    return undefined;
  }
  if (buffer[end - 1] !== 0x7d) {
    sink.malformed(lineNumber, 'incomplete line (cut short, or still being written)');
    return undefined;
  }
  if (!isUtf8(buffer.subarray(start, end))) sink.repaired(lineNumber, 'invalid UTF-8 replaced by U+FFFD');
  let value: unknown;
  try {
    value = JSON.parse(buffer.toString('utf8', start, end));
  } catch (error) {
    sink.malformed(lineNumber, error instanceof Error ? error.message.slice(0, 120) : 'not JSON');
    return undefined;
  }
  if (!isObject(value)) {
    sink.malformed(lineNumber, 'JSON but not an object');
    return undefined;
  }
  return value;
}

/** Whether a value is a token count seq can add exactly: a whole number from 0 to 2^53. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The model as a price table knows it: Copilot names its 1M-context variants with a suffix that is no model of its own. */
export function modelName(model: string | undefined): string | undefined {
  return model?.replace(/-1m(?:-internal)?$/, '');
}
