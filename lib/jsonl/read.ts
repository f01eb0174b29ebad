/**
 * Reading JSON Lines: each input (a file, or `-` for stdin) is split into lines and decoded in
 * order; a line that is not a JSON object is skipped and counted with its place (`file:line`).
 * Numbers JSON can write but a double cannot hold are made safe here, once, so that a record
 * means the same in one process (`seq query`) as after a trip through a pipe.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { stage } from '../base/transform.js';
import { findJsonProblem } from './json-errors.js';
import { isJsonObject, type JsonValue, type Row } from './json.js';
import { TextLineSplitter } from './lines.js';
import type { InputProblems } from './problems.js';
import { errorReason } from '../base/errors.js';

const BLANK = /^\s*$/;
// A number with a 3-digit exponent or 16+ digits may overflow to Infinity or lose digits.
const SUSPECT_NUMBER = /\d[eE][+-]?\d{3}|\d{16}/;
/** Deeper records cannot be written back as JSON (the encoder would run out of stack). */
export const MAX_DEPTH = 1000;

/** Where a line that JSON.parse refused goes wrong: its column and what was expected there. */
function parseReason(text: string, error: unknown): string {
  const problem = findJsonProblem(text);
  if (problem === undefined) return errorReason(error).slice(0, 200);
  return `invalid JSON at column ${problem.offset + 1}: ${problem.message}`;
}

/** The index of the quote that ends the JSON string whose opening quote is at `start` (the text's length if none). */
function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return text.length;
}

/** Whether brackets outside strings nest deeper than `limit`. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = closingQuote(text, i);
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Whether an integer written in the text (a number of digits alone, outside strings) is not the
 * number it was read as: past 2^53 a double holds some integers exactly (10^16) and rounds the
 * others. A number written with a fraction or an exponent is read as its nearest double, as
 * any such number is.
 */
function lostDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = closingQuote(text, i);
      continue;
    }
    if (!isDigit(c)) continue;
    // A number of valid JSON (the text decoded): digits, then a fraction, then an exponent.
    let end = i;
    while (isDigit(text.charCodeAt(end))) end++;
    const integerEnd = end;
    if (text.charCodeAt(end) === 46) for (end++; isDigit(text.charCodeAt(end)); ) end++;
    if ((text.charCodeAt(end) | 32) === 101) {
      end++;
      if (text.charCodeAt(end) === 43 || text.charCodeAt(end) === 45) end++;
      while (isDigit(text.charCodeAt(end))) end++;
    }
    if (end === integerEnd && end - i >= 16) {
      // Lost where the double is another integer and is written otherwise (JSON.stringify
      // writes a double by its shortest digits, so a number seq wrote reads back as written).
      const digits = text.slice(i, end);
      const read = Number(digits);
      if (String(read) !== digits && BigInt(read) !== BigInt(digits)) return true;
    }
    i = end - 1;
  }
  return false;
}

interface NumberCheck {
  nonFinite: number;
}

/** Replaces numbers that overflowed to ±Infinity with null (as JSON output would), counting them. */
function safeNumbers(value: JsonValue, check: NumberCheck): JsonValue {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      check.nonFinite++;
      return null;
    }
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = safeNumbers(value[i] as JsonValue, check);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) value[key] = safeNumbers(value[key] as JsonValue, check);
  }
  return value;
}

/** Decodes one line of text into a record, or says why it is not one. */
export function decodeRecord(text: string, place: string, problems: InputProblems): Row | undefined {
  if (text.length === 0 || (text.length < 64 && BLANK.test(text))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    problems.malformedLine(place, parseReason(text, error));
    return undefined;
  }
  if (!isJsonObject(value)) {
    problems.malformedLine(place, `a JSON ${Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value}, not an object`);
    return undefined;
  }
  if (text.length > 2 * MAX_DEPTH && nestsDeeperThan(text, MAX_DEPTH)) {
    problems.malformedLine(place, `nested more than ${MAX_DEPTH} levels deep`);
    return undefined;
  }
  if (SUSPECT_NUMBER.test(text)) {
    const check = { nonFinite: 0 };
    safeNumbers(value, check);
    if (check.nonFinite > 0) problems.repaired(place, 'a number too large for a double was read as null');
    if (lostDigits(text)) problems.repaired(place, 'an integer beyond 2^53 lost its last digits');
  }
  return value;
}

/** A record with the place it was read from, for callers that report per record (seq-record). */
export interface PlacedRow {
  row: Row;
  place: string;
}

/**
 * Splits bytes into lines and decodes each into a record; `name` is the place in messages.
 * With `placed`, each record comes wrapped with its `file:line`. `abandon()` before `end()`: the
 * reading was cut (stopped, or the source failed), so the unfinished line at the end of what was
 * read is no line and is dropped, not reported.
 */
export function decodeLines(name: string, problems: InputProblems, placed = false): Transform & { abandon(): void } {
  let out: ((item: Row | PlacedRow) => void) | undefined;
  let chunkValid = true;
  let abandoned = false;
  const splitter = new TextLineSplitter({
    line(text, lineNumber) {
      if (problems.halted) return;
      const place = `${name}:${lineNumber}`;
      // Invalid bytes decode to U+FFFD; a chunk that was valid UTF-8 needs no look per line.
      if (!chunkValid && text.includes('\ufffd')) problems.repaired(place, 'invalid UTF-8 replaced by U+FFFD');
      const row = decodeRecord(lineNumber === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, place, problems);
      if (row !== undefined) out?.(placed ? { row, place } : row);
    },
    tooLong(lineNumber, characters) {
      problems.malformedLine(`${name}:${lineNumber}`, `a line of ${Math.round(characters / 1048576)} MB, longer than any record; skipped`);
    },
  });
  const decoder = stage<Buffer, Row | PlacedRow>(
    {
      record(chunk, push) {
        out = push;
        // A chunk may end inside a character; isUtf8 then says no, and lines are looked at one by one.
        chunkValid = isUtf8(chunk);
        splitter.push(chunk);
      },
      end() {
        if (!abandoned) splitter.end();
      },
    },
    { bytesIn: true },
  );
  return Object.assign(decoder, {
    abandon() {
      abandoned = true;
    },
  });
}

export interface RecordReader {
  records: Readable;
  /**
   * The rows one at a time, where they are at hand (a kept table's): a chain may take them so,
   * without the stream. A reader is read one way, never both.
   */
  pull?(): Row | undefined;
  /**
   * Where the rows are another reader's, known once work that gives none is done (a patch's
   * reading): that reader. A chain may wait for it and read it instead; `stop` stops both.
   */
  ready?(): Promise<RecordReader>;
  /** Stops reading: the records stream ends cleanly after what was already decoded. */
  stop(): void;
  /** How far a scan of many files has come, for the progress line. */
  progress?(): { files: number; bytes: number };
}

/** The records of every input, in order; `-` is stdin. Unreadable inputs are reported and skipped. */
export function readRecords(inputs: string[], problems: InputProblems, options: { stdin?: Readable; placed?: boolean } = {}): RecordReader {
  const stdin = options.stdin ?? process.stdin;
  const out = new PassThrough({ objectMode: true, highWaterMark: 256 });
  let current: { source: Readable; decoder: ReturnType<typeof decodeLines> } | undefined;
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
      decoder.abandon();
      decoder.end();
    });
    decoder.on('error', (error) => out.destroy(error));
    decoder.on('end', () => (stopped ? out.end() : next(index + 1)));
    source.pipe(decoder);
    decoder.pipe(out, { end: false });
  };

  const reader: RecordReader = {
    records: out,
    // Stops the source; the decoder still hands on what it decoded before, then the stream ends.
    stop() {
      if (stopped) return;
      stopped = true;
      if (current) {
        current.source.unpipe(current.decoder);
        current.source.destroy();
        current.decoder.abandon();
        current.decoder.end();
      } else {
        out.end();
      }
    },
  };
  problems.onStop(() => reader.stop());
  next(0);
  return reader;
}
