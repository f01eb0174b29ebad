/**
 * The cache's index written around a few news (lib/cache/index-write.ts writeAround) is the
 * index merged line by line (writeIndex of mergeLines), byte for byte, with the same use of
 * each segment: over random indexes, news (entries and drops) and files gone. And a seek in a
 * large index (lib/cache/index-file.ts IndexReader) finds what reading it from the start finds.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropLine, IndexReader, Journal, mergeLines } from '../../lib/cache/index-file.js';
import { fewNews, indexUsage, writeAround, writeIndex } from '../../lib/cache/index-write.js';
import { walkOrder } from '../../lib/sources/files.js';

const HEAD = '{"seq_cache":"test","needs":"tokens"}\n';

/** A line of an entry: its path, where its events are, and the rest (what the merge does not read). */
function entry(path: string, segment: string, length: number, tag: number): string {
  return `${JSON.stringify(path)}\t${segment}\t${tag * 10}\t${length}\t[${tag}]\t00000000`;
}

// Paths that sort in walk order otherwise than as text: "/" before any other character.
const path = fc.array(fc.constantFrom('a', 'b', 'a-b', 'a.b', 'é'), { minLength: 1, maxLength: 3 }).map((parts) => `/r/${parts.join('/')}`);
const line = fc.record({ path, segment: fc.constantFrom('seg-1', 'seg-2', 'seg-3'), length: fc.nat(50), tag: fc.nat(1000) });
const news = fc.array(
  fc.oneof(
    line,
    path.map((gone) => ({ drop: gone })),
  ),
  { maxLength: 12 },
);

describe('the index written around a few news', () => {
  it('is the index merged line by line', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 40 }),
        fc.array(news, { minLength: 1, maxLength: 3 }),
        fc.array(path, { maxLength: 5 }),
        (lines, runs, goneList) => {
          const folder = mkdtempSync(join(tmpdir(), 'seq-index-write-'));
          const index = join(folder, 'index.jsonl');
          // The index: one line per path, in walk order, written whole.
          const byPath = new Map(lines.map((l) => [l.path, entry(l.path, l.segment, l.length, l.tag)]));
          writeIndex(
            index,
            HEAD,
            [...byPath.keys()].sort(walkOrder).map((p) => byPath.get(p) as string),
          );
          // The news, as a scan's journal has them: runs in walk order, each path at most once.
          const journal = new Journal(join(folder, 'journal.tmp'));
          for (const run of runs) {
            const seen = new Map<string, string>();
            for (const item of run) {
              if ('drop' in item) seen.set(item.drop, dropLine(item.drop));
              else seen.set(item.path, entry(item.path, item.segment, item.length, item.tag));
            }
            for (const p of [...seen.keys()].sort(walkOrder)) journal.add(p, seen.get(p) as string);
          }
          const gone = new Set(goneList);
          const merged = join(folder, 'merged.jsonl');
          writeFileSync(merged, readFileSync(index));
          const around = join(folder, 'around.jsonl');
          writeFileSync(around, readFileSync(index));

          const whole = IndexReader.open(merged, HEAD);
          const opened = journal.open();
          const expectedUse = writeIndex(
            merged,
            HEAD,
            mergeLines(whole?.lines(), opened?.runs ?? [], (p) => gone.has(p)),
          );
          whole?.close();

          const newest = IndexReader.open(around, HEAD);
          if (newest === undefined) throw new Error('no index');
          const again = journal.open();
          const few = fewNews(again?.runs ?? [], 256);
          if (few === undefined) throw new Error('too many news');
          // A file gone without news of its own is dropped.
          for (const p of gone) if (!few.has(p)) few.set(p, dropLine(p));
          const use = writeAround(around, HEAD, newest, few);
          newest.close();

          expect(readFileSync(around, 'utf8')).toBe(readFileSync(merged, 'utf8'));
          expect(use).toEqual(expectedUse);
          // What it says of the segments is what it holds.
          expect(indexUsage(IndexReader.open(around, HEAD) as IndexReader)?.bytes).toEqual(expectedUse);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is not written where the index does not say what its entries use', () => {
    const folder = mkdtempSync(join(tmpdir(), 'seq-index-write-'));
    const index = join(folder, 'index.jsonl');
    const text = `${HEAD}${entry('/r/a', 'seg-1', 5, 1)}\n`;
    writeFileSync(index, text);
    const newest = IndexReader.open(index, HEAD);
    if (newest === undefined) throw new Error('no index');
    expect(writeAround(index, HEAD, newest, new Map([['/r/b', entry('/r/b', 'seg-1', 5, 2)]]))).toBeUndefined();
    newest.close();
    expect(readFileSync(index, 'utf8')).toBe(text);
  });
});

describe('a seek in an index of many lines', () => {
  it('finds the first line at or after the path sought, as reading from the start does, and reads on from there', () => {
    // Long names (the index spans many of the spans a seek bisects down to), some a folder deeper.
    const pathOf = (n: number): string => {
      const name = n.toString(36);
      return `/r/${n % 3 === 0 ? `${name.slice(0, 1)}/${name.slice(1)}` : name}-${'x'.repeat(200)}`;
    };
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(100_000), { minLength: 1, maxLength: 600 }),
        fc.array(fc.nat(100_000), { minLength: 1, maxLength: 8 }),
        (numbers, sought) => {
          const paths = numbers.map(pathOf).sort(walkOrder);
          const folder = mkdtempSync(join(tmpdir(), 'seq-index-seek-'));
          const index = join(folder, 'index.jsonl');
          writeIndex(
            index,
            HEAD,
            paths.map((p, i) => entry(p, 'seg-1', 1, i)),
          );
          const reader = IndexReader.open(index, HEAD);
          if (reader === undefined) throw new Error('no index');
          try {
            for (const target of [...sought.map(pathOf), paths[0] as string, `${paths[paths.length - 1]}z`]) {
              reader.seek(target);
              const at = paths.findIndex((p) => walkOrder(p, target) >= 0);
              expect(reader.current?.path).toBe(at < 0 ? undefined : paths[at]);
              // And on from there, line by line, to the end.
              const rest: string[] = [];
              for (; reader.current !== undefined; reader.next()) rest.push(reader.current.path);
              expect(rest).toEqual(at < 0 ? [] : paths.slice(at));
            }
          } finally {
            reader.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
