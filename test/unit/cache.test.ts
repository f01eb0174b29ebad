/**
 * The cache's parts in process: the codec gives back every event it was given (fast-check), a
 * reader's edges of a file are the file's own bytes, the canonical timestamp test agrees with
 * the round trip it stands for, and a change to what the readers produce cannot ship without a
 * new cache format.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { LineSplitter } from '../../lib/jsonl/lines.js';
import { HEAD_BYTES, LineReader, TAIL_BYTES } from '../../lib/sources/lines.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeItems, encodeItem, type CachedItem } from '../../lib/sources/event-codec.js';
import type { TokenCounts, UsageTokens } from '../../lib/sources/common/events.js';
import { canonicalMs, instantMs, isoOfMs } from '../../lib/time/iso.js';
import { parseTime } from '../../lib/time/parse.js';
import { ROOT } from '../helpers/cli.js';
import { CACHE_FORMAT } from '../../lib/cache/layout.js';
import { TABLE_FORMAT } from '../../lib/cache/table-file.js';
import { AGENTS } from '../../lib/sources/registry.js';

const text = fc.string({ unit: 'binary', maxLength: 30 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined });
const count = fc.nat({ max: 2 ** 40 });
const counts: fc.Arbitrary<TokenCounts> = fc.record({
  input_tokens: count,
  cached_input_tokens: count,
  output_tokens: count,
  reasoning_output_tokens: count,
  total_tokens: count,
});
const usage: fc.Arbitrary<UsageTokens> = fc.record({
  input_tokens: count,
  cache_read_tokens: count,
  cache_write_tokens: count,
  cache_write_1h_tokens: count,
  output_tokens: count,
  reasoning_tokens: count,
  total_tokens: count,
});

const item: fc.Arbitrary<CachedItem> = fc.oneof(
  fc.record({
    kind: fc.constant('session' as const),
    sessionId: text,
    parentSessionId: maybe(text),
    start: maybe(text),
    cwd: maybe(text),
    client: maybe(text),
    version: maybe(text),
    sidechain: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('message' as const),
    role: text,
    text: fc.string({ unit: 'binary', maxLength: 200 }),
    timestamp: maybe(text),
    command: maybe(text),
    id: maybe(text),
  }),
  fc.record({
    kind: fc.constant('tool_call' as const),
    callKind: text,
    tool: text,
    callId: maybe(text),
    argumentsLength: maybe(count),
    inputLength: maybe(count),
    status: maybe(text),
    timestamp: maybe(text),
    skill: maybe(text),
    filesChanged: maybe(fc.array(text, { maxLength: 3 })),
    linesAdded: maybe(count),
  }),
  fc.record({
    kind: fc.constant('token_count' as const),
    timestamp: maybe(text),
    model: maybe(text),
    total: counts,
    last: maybe(counts),
    modelContextWindow: maybe(count),
    baseline: maybe(counts),
    session: maybe(text),
  }),
  fc.record({
    kind: fc.constant('usage' as const),
    sessionId: maybe(text),
    timestamp: maybe(text),
    model: maybe(text),
    messageId: maybe(text),
    requestId: maybe(text),
    sidechain: fc.boolean(),
    tokens: usage,
  }),
  fc.record({
    kind: fc.constant('tool_output' as const),
    callId: maybe(text),
    timestamp: maybe(text),
    outputLength: count,
    originalTokenCount: maybe(count),
    isError: maybe(fc.boolean()),
  }),
  fc.record({ kind: fc.constantFrom('malformed' as const, 'repaired' as const), line: fc.nat(), text }),
);

/** Fields set to undefined are absent after a round trip, which is the same to every reader of events. */
function defined(value: CachedItem): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

describe('the cache codec', () => {
  it('gives back every event and line problem, in order, from their lines', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 20 }), (items) => {
        const lines = items.map(encodeItem);
        for (const line of lines) expect(line.indexOf('\n')).toBe(line.length - 1);
        const back = decodeItems(lines.join(''));
        expect(back.map(defined)).toEqual(items.map(defined));
        // Lone surrogates and every control character survive the UTF-8 of a segment too.
        expect(decodeItems(Buffer.from(lines.join('')).toString('utf8')).map(defined)).toEqual(
          items.map((i) => JSON.parse(JSON.stringify(defined(i))) as Record<string, unknown>),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe("a reader's edges of a file", () => {
  it('are the bytes at the start and before the point, as the file has them, or none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-edges-'));
    const mb = 1 << 20;
    try {
      // Sizes about the reader's chunk of 1 MB: a last read shorter than the tail, a last line
      // without its newline shorter and longer than the tail, a file shorter than the head.
      const shapes: Array<[string, number, number]> = [
        ['tiny', 40, 0],
        ['short', 200, 0],
        ['one chunk', 300_000, 0],
        ['chunk and 10', mb + 10, 0],
        ['chunk and 100', mb + 100, 0],
        ['two chunks', 2 * mb, 0],
        ['open line of 30', 500_000, 30],
        ['open line of 5000', 500_000, 5000],
        ['open line across chunks', mb + 20, 40],
      ];
      for (const [name, size, open] of shapes) {
        const bytes = Buffer.alloc(size);
        for (let i = 0; i < size; i++) bytes[i] = i % 97 === 96 ? 10 : 97 + ((i * 7) % 26);
        for (let i = size - open; i < size; i++) bytes[i] = 98;
        if (open === 0) bytes[size - 1] = 10;
        const path = join(dir, name);
        writeFileSync(path, bytes);
        const reader = new LineReader(path);
        const splitter = new LineSplitter({ line() {}, tooLong() {} });
        while (!reader.done) reader.pump(splitter);
        for (const end of [reader.completeBytes(splitter), reader.bytesRead]) {
          const edges = reader.edges(end);
          const tailStart = Math.max(0, end - TAIL_BYTES);
          if (end - TAIL_BYTES < reader.bytesRead - TAIL_BYTES) {
            // Further back than the reader kept: it says it has none.
            expect(edges, `${name} at ${end}`).toBeUndefined();
            continue;
          }
          expect(Buffer.from(edges?.head ?? []), `${name} head`).toEqual(bytes.subarray(0, Math.min(HEAD_BYTES, end)));
          expect(Buffer.from(edges?.tail ?? []), `${name} tail at ${end}`).toEqual(bytes.subarray(tailStart, end));
        }
      }
      // A read that began after the start has no head.
      const reader = new LineReader(join(dir, 'short'), 10);
      const splitter = new LineSplitter({ line() {}, tooLong() {} });
      while (!reader.done) reader.pump(splitter);
      expect(reader.edges(200)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('canonicalMs', () => {
  it('is the instant exactly when the text prints back as written, else NaN; instantMs is it, else parseTime in UTC', () => {
    const digits = (n: number, max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
    const iso = fc
      .tuple(digits(4, 9999), digits(2, 13), digits(2, 32), digits(2, 25), digits(2, 60), digits(2, 60), digits(3, 999))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    const other = fc.oneof(
      iso.map((t) => t.replace('Z', '+00:00')),
      iso.map((t) => `${t.slice(0, 19)}Z`),
      fc.string({ maxLength: 26 }),
    );
    fc.assert(
      fc.property(fc.oneof(iso, other), (t) => {
        const ms = Date.parse(t);
        const expected = !Number.isNaN(ms) && new Date(ms).toISOString() === t ? ms : NaN;
        expect(canonicalMs(t)).toBe(expected);
        const read = parseTime(t, 'UTC')?.startMs;
        expect(instantMs(t)).toBe(Number.isNaN(expected) ? (read ?? NaN) : expected);
        // Where the text names its zone, Date.parse, another reader, reads the same instant.
        if (read !== undefined && /(Z|[+-]\d\d:\d\d)$/.test(t)) expect(read).toBe(ms);
      }),
      { numRuns: 20000 },
    );
    const leapDays = [
      '2024-02-29T00:00:00.000Z',
      '2000-02-29T23:59:59.999Z',
      '2023-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '0050-01-01T00:00:00.000Z',
    ];
    expect(leapDays.map(canonicalMs)).toEqual([
      Date.parse(leapDays[0] as string),
      Date.parse(leapDays[1] as string),
      NaN,
      NaN,
      Date.parse(leapDays[4] as string),
    ]);
    expect(instantMs('0050-01-01T00:00:00+00:00')).toBe(Date.parse('0050-01-01T00:00:00.000Z'));
  });
});

describe('isoOfMs', () => {
  it('writes what toISOString writes, for instants in any order and near each other', () => {
    const instant = fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: -62_167_219_200_001, max: 253_402_300_800_000 }));
    const steps = fc.array(fc.integer({ min: -86_400_001, max: 86_400_001 }), { maxLength: 20 });
    fc.assert(
      fc.property(instant, steps, (start, moves) => {
        let ms = start;
        for (const move of [0, ...moves]) {
          ms = Math.max(-8.64e15, Math.min(8.64e15, ms + move));
          expect(isoOfMs(ms)).toBe(new Date(ms).toISOString());
        }
      }),
      { numRuns: 5000 },
    );
    for (const edge of [0, -1, 86_399_999, -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15])
      expect(isoOfMs(edge)).toBe(new Date(edge).toISOString());
  });
});

/** The first 16 hex digits of the SHA-1 of the files, in order of their paths. */
function digestOf(files: string[]): string {
  const sum = createHash('sha1');
  for (const file of [...files].sort()) sum.update(readFileSync(file));
  return sum.digest('hex').slice(0, 16);
}

function tsFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(ROOT, folder, name));
}

describe('the cache format', () => {
  // What the readers make of a file is what the cache keeps: a change to the shared reading code
  // (the line splitter, the events, the codec, the index and what is recorded when) may change
  // what an entry means. Then bump CACHE_FORMAT (lib/cache/layout.ts) and put the new digest
  // here. The registry is left out: the agents it lists are part of the cache's format already.
  const PINNED = { format: 10, digest: 'b745c7ad6e3b6d65' };
  const AGENT_FOLDERS = AGENTS.map((agent) => `lib/sources/${agent.name}/`);
  // A kept table's file and its columns: what they mean is TABLE_FORMAT's, pinned below.
  const TABLE_FILES = [
    'lib/cache/table-file.ts',
    'lib/cache/table-read.ts',
    'lib/cache/table-write.ts',
    'lib/cache/table-merge.ts',
    'lib/cache/row-codec.ts',
    'lib/scan/table-scan.ts',
    'lib/scan/walk.ts',
    'lib/scan/table-patch.ts',
    'lib/scan/patch-plan.ts',
    'lib/scan/links.ts',
  ].map((file) => join(ROOT, file));

  it('is bumped whenever the shared reading code changes', () => {
    const files = [...tsFiles('lib/sources'), ...tsFiles('lib/cache'), join(ROOT, 'lib/jsonl/lines.ts')].filter(
      (file) =>
        file !== join(ROOT, 'lib/sources/registry.ts') &&
        file !== join(ROOT, 'lib/sources/agents.ts') &&
        !AGENT_FOLDERS.some((folder) => file.startsWith(join(ROOT, folder))) &&
        !TABLE_FILES.includes(file),
    );
    expect({ format: CACHE_FORMAT, digest: digestOf(files) }).toEqual(PINNED);
  });

  // A table is trusted only by the seq that wrote it (its version has CACHE_FORMAT and seq's own), but
  // a change to how tables are written or walked, or to how their rows are made from the events
  // (the datasets, with their times and prices), is looked at here all the same: where what a
  // table keeps changes, bump TABLE_FORMAT (lib/cache/table-file.ts); then put the new digest here.
  it('the tables format is bumped whenever the table code or the rows it keeps change', () => {
    const rowFiles = [...tsFiles('lib/datasets'), ...tsFiles('lib/time'), ...tsFiles('lib/prices')];
    expect({ format: TABLE_FORMAT, digest: digestOf([...TABLE_FILES, ...rowFiles]) }).toEqual({ format: 10, digest: '7b89b3c2b36a39bf' });
  });

  // An agent's folder pins its own reader: its format.json has the format and the digest of the
  // folder's code, so a change to the reader is bumped there, in the agent's folder.
  it.each(AGENTS.map((agent) => [agent.name, agent] as const))('%s: format.json holds the digest of its reader', (name, agent) => {
    const pin = JSON.parse(readFileSync(join(ROOT, 'lib/sources', name, 'format.json'), 'utf8')) as { format: number; digest: string };
    expect(pin.format).toBe(agent.readerFormat);
    // about.ts is what help says of the agent, not how its files are read.
    const reader = tsFiles(`lib/sources/${name}`).filter((file) => basename(file) !== 'about.ts');
    expect({ format: pin.format, digest: digestOf(reader) }).toEqual(pin);
  });
});
