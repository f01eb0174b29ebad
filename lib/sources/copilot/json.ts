/** Decoding a Copilot CLI line, and the few checks on its values that both of its log kinds need. */
import type { EventSink } from '../common/events.js';
import { decodeObject, type Json } from '../common/json-values.js';

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
  return decodeObject(buffer, start, end, lineNumber, sink);
}

/** Whether a value is a token count seq can add exactly: a whole number from 0 to 2^53. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The model as a price table knows it: Copilot names its 1M-context variants with a suffix that is no model of its own. */
export function modelName(model: string | undefined): string | undefined {
  return model?.replace(/-1m(?:-internal)?$/, '');
}
