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

/**
 * A column's bytes for one block, in chunks (never copied to grow), which the next block
 * writes over: a table is written a block at a time, and its memory is one block's.
 */
class Bytes {
  private readonly chunks: Buffer[] = [Buffer.allocUnsafe(1 << 10)];
  /** The lengths of the chunks before the one being written. */
  private readonly lengths: number[] = [];
  private index = 0;
  private doneBytes = 0;
  buffer = this.chunks[0] as Buffer;
  length = 0;

  /** Room for `n` more bytes in the chunk being written. */
  private room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    this.lengths[this.index] = this.length;
    this.doneBytes += this.length;
    this.index++;
    let next = this.chunks[this.index];
    if (next === undefined || next.length < n) {
      next = Buffer.allocUnsafe(Math.max(n, Math.min(1 << 16, this.doneBytes)));
      this.chunks[this.index] = next;
    }
    this.buffer = next;
    this.length = 0;
  }

  /** The bytes written since the last `clear`, valid until the next write after it. */
  parts(): Buffer[] {
    const out: Buffer[] = [];
    for (let i = 0; i < this.index; i++) out.push((this.chunks[i] as Buffer).subarray(0, this.lengths[i]));
    out.push(this.buffer.subarray(0, this.length));
    return out;
  }

  /** Empty again, its chunks kept to be written over. */
  clear(): void {
    this.index = 0;
    this.doneBytes = 0;
    this.buffer = this.chunks[0] as Buffer;
    this.length = 0;
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
    if (most < 0x80) {
      // Its length fits one byte whatever its characters: written in place.
      const written = this.buffer.write(value, this.length + 1, 'utf8');
      this.buffer[this.length] = written;
      this.length += written + 1;
      return;
    }
    // The length goes first: written into the room left for the longest varint, then moved back.
    const at = this.length;
    const written = this.buffer.write(value, at + 8, 'utf8');
    this.varint(written);
    this.buffer.copyWithin(this.length, at + 8, at + 8 + written);
    this.length += written;
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

  /** The last text shared, and its number: the rows of one file or session repeat their texts one after another. */
  private lastText: string | undefined;
  private lastShared = 0;

  private text(value: string): void {
    const out = this.bytes;
    const shared = this.shared;
    this.texts++;
    if (value === this.lastText && shared !== undefined) {
      out.byte(TEXT_REF);
      out.varint(this.lastShared);
      return;
    }
    if (shared === undefined || value.length > LONGEST_SHARED) {
      out.byte(TEXT);
      out.text(value);
      return;
    }
    const known = shared.get(value);
    if (known !== undefined) {
      this.lastText = value;
      this.lastShared = known;
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
    this.lastText = value;
    this.lastShared = shared.size;
    shared.set(value, shared.size);
    out.byte(TEXT_NEW);
    out.text(value);
  }
}

/** Rows a block holds at most: a table is written block by block, so that memory does not follow its size. */
const BLOCK_ROWS = 16_384;

/** A table's rows: the shapes (key lists), the fields by number, and how many rows each block holds. */
export interface RowsLayout {
  shapes: string[][];
  fields: string[];
  blocks: number[];
}

/** One block's columns, each in chunks: the column of shapes, then each field's by its number (empty where the block has none). */
export type EncodedBlock = Buffer[][];

/**
 * Rows in, columns out, a block at a time: `add` gives a block each time one fills, `flush` the
 * last; a block's bytes are written over by the next. A field's shared texts are numbered across
 * blocks: its blocks are read in order.
 */
export class RowEncoder {
  private readonly shapes: string[][] = [];
  private readonly shapeIds = new Map<string, number>();
  private readonly shapeColumn = new Bytes();
  private readonly fields: string[] = [];
  private readonly columns = new Map<string, ColumnWriter>();
  private lastKeys: string[] | undefined;
  private lastShape = -1;
  private lastWriters: ColumnWriter[] = [];
  private blockRows = 0;
  private readonly blocks: number[] = [];

  add(row: Row): EncodedBlock | undefined {
    // Most rows have the keys of the row before: told without making a list of them.
    const last = this.lastKeys;
    let same = last !== undefined;
    let count = 0;
    for (const key in row) {
      if (same && (last as string[])[count] !== key) same = false;
      count++;
    }
    if (!same || count !== (last as string[]).length) this.shape(Object.keys(row));
    const keys = this.lastKeys as string[];
    this.shapeColumn.varint(this.lastShape);
    const writers = this.lastWriters;
    for (let i = 0; i < keys.length; i++) (writers[i] as ColumnWriter).write(row[keys[i] as string]);
    return ++this.blockRows === BLOCK_ROWS ? this.flush() : undefined;
  }

  /** The block begun, if it has any row; the next row begins another, over the same memory: write a block before the next `add`. */
  flush(): EncodedBlock | undefined {
    if (this.blockRows === 0) return undefined;
    const block = [this.shapeColumn.parts(), ...this.fields.map((field) => (this.columns.get(field) as ColumnWriter).bytes.parts())];
    this.blocks.push(this.blockRows);
    this.blockRows = 0;
    this.shapeColumn.clear();
    for (const column of this.columns.values()) column.bytes.clear();
    return block;
  }

  /** The layout of the blocks flushed so far. */
  layout(): RowsLayout {
    return { shapes: this.shapes, fields: this.fields, blocks: this.blocks };
  }

  private shape(keys: string[]): void {
    const id = JSON.stringify(keys);
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
        this.fields.push(key);
      }
      return column;
    });
  }
}

class Cursor {
  buffer: Buffer = Buffer.alloc(0);
  at = 0;

  /** Reads `buffer` from its start. */
  reset(buffer: Buffer): void {
    this.buffer = buffer;
    this.at = 0;
  }

  get ended(): boolean {
    return this.at === this.buffer.length;
  }

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
  /** The field's shared texts, numbered across blocks. */
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
 * The rows of a table, one at a time, block after block. Each shape's rows are made by a function
 * that writes the object literal with its keys (one hidden class per shape, as the scan's own
 * rows have). `only`: the rows have only these of their fields (the other columns are not read).
 */
export class RowDecoder {
  private readonly shapeColumn = new Cursor();
  /** The columns read: the fields' numbers, and their readers. */
  private readonly read: Array<[number, ColumnReader]> = [];
  private readonly makers: Array<() => Row>;
  private block = -1;
  private left = 0;

  /** `part(block, i)`: a block's i-th column (0: the shapes; then each field's, by number), asked for only for the fields the rows have. */
  constructor(
    private readonly layout: RowsLayout,
    private readonly part: (block: number, part: number) => Buffer,
    only?: ReadonlySet<string>,
  ) {
    const readers = new Map<string, ColumnReader>();
    layout.fields.forEach((name, i) => {
      if (only !== undefined && !only.has(name)) return;
      const reader = new ColumnReader();
      readers.set(name, reader);
      this.read.push([i, reader]);
    });
    this.makers = layout.shapes.map((shape) => {
      const keys = only === undefined ? shape : shape.filter((key) => only.has(key));
      return maker(
        keys,
        keys.map((key) => readers.get(key)),
      );
    });
  }

  /** Every column the rows are read from, block by block, as the rows will ask for them. */
  *columns(): Generator<[block: number, part: number]> {
    for (let block = 0; block < this.layout.blocks.length; block++) {
      yield [block, 0];
      for (const [field] of this.read) yield [block, field + 1];
    }
  }

  /** The next row, or undefined after the last. */
  next(): Row | undefined {
    while (this.left === 0) {
      // Every column of a block read to its end, and no further: else the rows were not those written.
      if (this.block >= 0 && (!this.shapeColumn.ended || this.read.some(([, reader]) => !reader.ended)))
        throw new Error('damaged rows: a column does not end with its block');
      if (++this.block >= this.layout.blocks.length) {
        this.block = this.layout.blocks.length;
        return undefined;
      }
      this.left = this.layout.blocks[this.block] as number;
      this.shapeColumn.reset(this.part(this.block, 0));
      for (const [field, reader] of this.read) reader.reset(this.part(this.block, field + 1));
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
