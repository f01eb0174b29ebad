/**
 * The cache's index written around a few news (lib/cache/index-write.ts writeAround) is the
 * index merged line by line (writeIndex of mergeLines), byte for byte, with the same use of
 * each segment: over random indexes, news (entries and drops) and files gone.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropLine, IndexReader, Journal, mergeLines } from '../../lib/cache/index-file.js';
import { fewNews, writeAround, writeIndex } from '../../lib/cache/index-write.js';
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
          const use = writeAround(around, HEAD, newest, few, gone);
          newest.close();

          expect(readFileSync(around, 'utf8')).toBe(readFileSync(merged, 'utf8'));
          expect(use).toEqual(expectedUse);
          // What it says of the segments is what it holds.
          expect(IndexReader.open(around, HEAD)?.usage()?.bytes).toEqual(expectedUse);
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
    expect(writeAround(index, HEAD, newest, new Map([['/r/b', entry('/r/b', 'seg-1', 5, 2)]]), new Set())).toBeUndefined();
    newest.close();
    expect(readFileSync(index, 'utf8')).toBe(text);
  });
});
