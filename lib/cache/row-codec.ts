/**
 * Rows kept in columns: a table of a dataset's rows (table-file.ts) holds each field's values in
 * a column of its own, so that reading them back is a walk over a few byte arrays, and a field's
 * repeated texts (a session id, a day, a model) are decoded once. Any JSON row round-trips: the
 * same keys in the same order, the same values (a value that is not text, number, boolean or
 * null is kept as JSON).
 */
import type { JsonValue, Row } from '../jsonl/json.js';

const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const INT = 3;
const FLOAT = 4;
const TEXT_REF = 5;
const TEXT_NEW = 6;
const TEXT = 7;
const JSON_TEXT = 8;
const UNDEFINED = 9;

/** Texts longer than this are never worth a dictionary entry. */
const LONGEST_SHARED = 200;
/** A column stops sharing its texts once it has this many, or once most of its texts are new. */
const MOST_SHARED = 65_536;

class Bytes {
  buffer = Buffer.allocUnsafe(1 << 12);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  /** An unsigned integer below 2^53, seven bits a byte. */
  varint(value: number): void {
    this.room(8);
    while (value >= 0x80) {
      this.buffer[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.length++] = value;
  }

  float(value: number): void {
    this.room(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  text(value: string): void {
    const most = value.length * 3;
    this.room(most + 8);
    // The length goes first: written into the room left for the longest varint, then moved back.
    const at = this.length;
    const written = this.buffer.write(value, at + 8, 'utf8');
    this.varint(written);
    this.buffer.copyWithin(this.length, at + 8, at + 8 + written);
    this.length += written;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

class ColumnWriter {
  readonly bytes = new Bytes();
  private shared: Map<string, number> | undefined = new Map();
  /** Texts written so far: once most are new, sharing them costs more than it saves. */
  private texts = 0;

  write(value: JsonValue | undefined): void {
    const out = this.bytes;
    if (value === null) out.byte(NULL);
    else if (value === undefined) out.byte(UNDEFINED);
    else if (value === true) out.byte(TRUE);
    else if (value === false) out.byte(FALSE);
    else if (typeof value === 'number') {
      if (Number.isInteger(value) && Math.abs(value) < 2 ** 52 && !Object.is(value, -0)) {
        out.byte(INT);
        out.varint(value >= 0 ? value * 2 : -value * 2 - 1);
      } else {
        out.byte(FLOAT);
        out.float(value);
      }
    } else if (typeof value === 'string') {
      // UTF-8 has no lone surrogate (a log may escape one): such a text is kept as JSON, which does.
      if (value.isWellFormed()) this.text(value);
      else {
        out.byte(JSON_TEXT);
        out.text(JSON.stringify(value));
      }
    } else {
      out.byte(JSON_TEXT);
      out.text(JSON.stringify(value));
    }
  }

  private text(value: string): void {
    const out = this.bytes;
    const shared = this.shared;
    this.texts++;
    if (shared === undefined || value.length > LONGEST_SHARED) {
      out.byte(TEXT);
      out.text(value);
      return;
    }
    const known = shared.get(value);
    if (known !== undefined) {
      out.byte(TEXT_REF);
      out.varint(known);
      return;
    }
    if (shared.size >= MOST_SHARED || (this.texts > 1000 && shared.size * 2 > this.texts)) {
      this.shared = undefined;
      out.byte(TEXT);
      out.text(value);
      return;
    }
    shared.set(value, shared.size);
    out.byte(TEXT_NEW);
    out.text(value);
  }
}

/** A table's rows: how many, the shapes (key lists), and the fields in the order of their columns (after the column of shapes). */
export interface RowsLayout {
  rows: number;
  shapes: string[][];
  columns: Array<[string, number]>;
}

/** Rows in, columns out: `add` each row, then `finish` for the body and its layout. */
export class RowEncoder {
  private readonly shapes: string[][] = [];
  private readonly shapeIds = new Map<string, number>();
  private readonly shapeColumn = new Bytes();
  private readonly columns = new Map<string, ColumnWriter>();
  private lastKeys: string[] | undefined;
  private lastShape = -1;
  private lastWriters: ColumnWriter[] = [];
  rows = 0;

  /** The bytes held so far (to give up on a table too large to keep). */
  get size(): number {
    let total = this.shapeColumn.length;
    for (const column of this.columns.values()) total += column.bytes.length;
    return total;
  }

  add(row: Row): void {
    const keys = Object.keys(row);
    if (!sameKeys(keys, this.lastKeys)) this.shape(keys);
    this.shapeColumn.varint(this.lastShape);
    const writers = this.lastWriters;
    for (let i = 0; i < keys.length; i++) (writers[i] as ColumnWriter).write(row[keys[i] as string]);
    this.rows++;
  }

  private shape(keys: string[]): void {
    const id = keys.join('\u0000');
    let shape = this.shapeIds.get(id);
    if (shape === undefined) {
      shape = this.shapes.length;
      this.shapes.push(keys);
      this.shapeIds.set(id, shape);
    }
    this.lastKeys = keys;
    this.lastShape = shape;
    this.lastWriters = keys.map((key) => {
      let column = this.columns.get(key);
      if (column === undefined) {
        column = new ColumnWriter();
        this.columns.set(key, column);
      }
      return column;
    });
  }

  finish(): { layout: RowsLayout; body: Buffer[] } {
    const columns = [...this.columns];
    return {
      layout: { rows: this.rows, shapes: this.shapes, columns: columns.map(([name, column]) => [name, column.bytes.length]) },
      body: [this.shapeColumn.bytes(), ...columns.map(([, column]) => column.bytes.bytes())],
    };
  }
}

function sameKeys(a: string[], b: string[] | undefined): boolean {
  if (b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

class Cursor {
  constructor(
    readonly buffer: Buffer,
    public at: number,
  ) {}

  varint(): number {
    const buffer = this.buffer;
    let byte = buffer[this.at++] as number;
    if (byte < 0x80) return byte;
    let value = byte & 0x7f;
    let scale = 0x80;
    do {
      byte = buffer[this.at++] as number;
      value += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte >= 0x80);
    return value;
  }

  text(): string {
    const length = this.varint();
    const start = this.at;
    this.at += length;
    return this.buffer.toString('utf8', start, this.at);
  }
}

class ColumnReader extends Cursor {
  private readonly shared: string[] = [];

  next(): JsonValue | undefined {
    const tag = this.buffer[this.at++];
    switch (tag) {
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case INT: {
        const z = this.varint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case FLOAT: {
        const value = this.buffer.readDoubleLE(this.at);
        this.at += 8;
        return value;
      }
      case TEXT_REF:
        return this.shared[this.varint()];
      case TEXT_NEW: {
        const text = this.text();
        this.shared.push(text);
        return text;
      }
      case TEXT:
        return this.text();
      case JSON_TEXT:
        return JSON.parse(this.text()) as JsonValue;
      case UNDEFINED:
        return undefined;
      default:
        throw new Error(`damaged row column (tag ${String(tag)})`);
    }
  }
}

/**
 * The rows of a body, one at a time. Each shape's rows are made by a function that writes the
 * object literal with its keys (one hidden class per shape, as the scan's own rows have).
 * `only`: the rows have only these of their fields (the other columns are not read at all).
 */
export class RowDecoder {
  private readonly shapeColumn: Cursor;
  private readonly readers: Cursor[];
  private readonly makers: Array<() => Row>;
  private left: number;

  /** `column(i)`: the bytes of the body's i-th part (0: the shapes; then each field's, in layout order), read only for the fields the rows have. */
  constructor(layout: RowsLayout, column: (part: number) => Buffer, only?: ReadonlySet<string>) {
    this.left = layout.rows;
    this.shapeColumn = new Cursor(column(0), 0);
    const readers = new Map<string, ColumnReader>();
    layout.columns.forEach(([name], i) => {
      if (only === undefined || only.has(name)) readers.set(name, new ColumnReader(column(i + 1), 0));
    });
    this.readers = [this.shapeColumn, ...readers.values()];
    this.makers = layout.shapes.map((shape) => {
      const keys = only === undefined ? shape : shape.filter((key) => only.has(key));
      return maker(
        keys,
        keys.map((key) => readers.get(key)),
      );
    });
  }

  /** The next row, or undefined after the last. */
  next(): Row | undefined {
    if (this.left === 0) {
      // Every column read to its end, and no further: else the rows were not those written.
      if (this.readers.some((reader) => reader.at !== reader.buffer.length)) throw new Error('damaged rows: a column does not end with the last row');
      return undefined;
    }
    this.left--;
    const make = this.makers[this.shapeColumn.varint()];
    if (make === undefined) throw new Error('damaged rows: a row of no known shape');
    return make();
  }
}

function maker(keys: string[], columns: Array<ColumnReader | undefined>): () => Row {
  if (columns.some((column) => column === undefined)) throw new Error('damaged rows: a shape names a column that is not there');
  // A computed key defines an own property even for __proto__ (a plain one would set the prototype).
  const body = `return { ${keys.map((key, i) => `${key === '__proto__' ? `[${JSON.stringify(key)}]` : JSON.stringify(key)}: c[${i}].next()`).join(', ')} };`;
  // The keys are data (a dataset's field names), quoted as JSON: the function only reads columns.
  return new Function('c', body).bind(undefined, columns) as () => Row;
}
