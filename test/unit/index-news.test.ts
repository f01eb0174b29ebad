/**
 * The index seen through its news (lib/cache/index-news.ts): after saves of a few news each, its
 * lines are those of the index merged with every save's news, line by line, wherever a lookup
 * seeks, and the bytes each segment's entries use are what those lines use. News over another
 * index, or damaged, are none; too many are written into the index.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropLine, type LineSource } from '../../lib/cache/index-file.js';
import { IndexView, newsPath } from '../../lib/cache/index-news.js';
import { FEW_NEWS, writeIndex } from '../../lib/cache/index-write.js';
import { walkOrder } from '../../lib/sources/files.js';

const HEAD = '{"seq_cache":"test","needs":"tokens"}\n';

/** A line of an entry: its path, where its events are, and the rest (what the index does not read). */
function entry(path: string, segment: string, length: number, tag: number): string {
  return `${JSON.stringify(path)}\t${segment}\t${tag * 10}\t${length}\t[${tag}]\t00000000`;
}

// Paths that sort in walk order otherwise than as text: "/" before any other character.
const path = fc.array(fc.constantFrom('a', 'b', 'a-b', 'a.b', 'é'), { minLength: 1, maxLength: 3 }).map((parts) => `/r/${parts.join('/')}`);
const line = fc.record({ path, segment: fc.constantFrom('seg-1', 'seg-2', 'seg-3'), length: fc.nat(50), tag: fc.nat(1000) });
const save = fc.record({
  news: fc.array(
    fc.oneof(
      line,
      path.map((gone) => ({ drop: gone })),
    ),
    { maxLength: 12 },
  ),
  gone: fc.array(path, { maxLength: 4 }),
});

function all(lines: LineSource): string[] {
  const out: string[] = [];
  for (let l = lines.next(); l !== undefined; l = lines.next()) out.push(l.text);
  return out;
}

/** The lines from the cursor's to the last. */
function onFrom(view: IndexView): string[] {
  const out: string[] = [];
  for (; view.current !== undefined; view.next()) out.push(view.current.text);
  return out;
}

/** The bytes each segment's entries use in these lines. */
function usageOf(lines: Iterable<string>): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const text of lines) {
    const [, segment, , length] = text.split('\t');
    if (Number(length) > 0) bytes.set(segment as string, (bytes.get(segment as string) ?? 0) + Number(length));
  }
  return bytes;
}

function openView(index: string): IndexView {
  const view = IndexView.open(index, HEAD);
  if (view === undefined) throw new Error('no index');
  return view;
}

/** An index of these lines (by path), written whole. */
function indexOf(folder: string, byPath: Map<string, string>): string {
  const index = join(folder, 'index.jsonl');
  writeIndex(
    index,
    HEAD,
    [...byPath.keys()].sort(walkOrder).map((p) => byPath.get(p) as string),
  );
  return index;
}

describe('the index seen through its news', () => {
  it('is the index merged with every save, wherever it is sought', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 30 }),
        fc.array(save, { minLength: 1, maxLength: 4 }),
        fc.array(path, { maxLength: 4 }),
        (lines, saves, sought) => {
          const folder = mkdtempSync(join(tmpdir(), 'seq-index-news-'));
          const model = new Map(lines.map((l) => [l.path, entry(l.path, l.segment, l.length, l.tag)]));
          const index = indexOf(folder, model);
          const indexText = readFileSync(index, 'utf8');
          for (const { news, gone } of saves) {
            const fresh = new Map<string, string>();
            for (const item of news)
              fresh.set('drop' in item ? item.drop : item.path, 'drop' in item ? dropLine(item.drop) : entry(item.path, item.segment, item.length, item.tag));
            // As a merge line by line (index-file.ts mergeLines) has them.
            for (const p of gone) if (!fresh.has(p)) model.delete(p);
            for (const [p, text] of fresh) {
              if (text.endsWith('\t-')) model.delete(p);
              else model.set(p, text);
            }
            const view = openView(index);
            const bytes = view.save(HEAD, fresh, new Set(gone));
            view.close();
            const expected = [...model.keys()].sort(walkOrder).map((p) => model.get(p) as string);
            expect(bytes).toEqual(usageOf(expected));
            const seen = openView(index);
            expect(all(seen.lines())).toEqual(expected);
            // The cursor from the first line, and from wherever a lookup seeks.
            expect(onFrom(seen)).toEqual(expected);
            for (const target of sought) {
              seen.seek(target);
              const at = [...model.keys()].sort(walkOrder).findIndex((p) => walkOrder(p, target) >= 0);
              expect(onFrom(seen)).toEqual(at < 0 ? [] : expected.slice(at));
            }
            seen.close();
          }
          // A few news each time: the index itself was never written again.
          expect(readFileSync(index, 'utf8')).toBe(indexText);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are none over another index, or damaged', () => {
    const folder = mkdtempSync(join(tmpdir(), 'seq-index-news-'));
    const index = indexOf(folder, new Map([['/r/a', entry('/r/a', 'seg-1', 5, 1)]]));
    const view = openView(index);
    view.save(HEAD, new Map([['/r/b', entry('/r/b', 'seg-2', 7, 2)]]), new Set());
    view.close();
    const linesOf = (): string[] => {
      const seen = openView(index);
      const out = all(seen.lines());
      seen.close();
      return out;
    };
    expect(linesOf()).toEqual([entry('/r/a', 'seg-1', 5, 1), entry('/r/b', 'seg-2', 7, 2)]);
    const news = readFileSync(newsPath(index), 'utf8');

    // Damaged: the last line no longer checks.
    writeFileSync(newsPath(index), news.replace('"seg-2":7', '"seg-2":8'));
    expect(linesOf()).toEqual([entry('/r/a', 'seg-1', 5, 1)]);
    // Cut short.
    writeFileSync(newsPath(index), news.slice(0, -3));
    expect(linesOf()).toEqual([entry('/r/a', 'seg-1', 5, 1)]);
    // A line that names no file: the last line counts what it had, so none of them is used.
    writeFileSync(newsPath(index), news.replace('"/r/b"', '/r/b'));
    expect(linesOf()).toEqual([entry('/r/a', 'seg-1', 5, 1)]);
    // And a save over them counts the bytes of the lines a lookup sees.
    const over = openView(index);
    expect(over.save(HEAD, new Map([['/r/c', entry('/r/c', 'seg-3', 2, 3)]]), new Set())).toEqual(
      new Map([
        ['seg-1', 5],
        ['seg-3', 2],
      ]),
    );
    over.close();
    expect(linesOf()).toEqual([entry('/r/a', 'seg-1', 5, 1), entry('/r/c', 'seg-3', 2, 3)]);
    writeFileSync(newsPath(index), news);
    expect(linesOf()).toEqual([entry('/r/a', 'seg-1', 5, 1), entry('/r/b', 'seg-2', 7, 2)]);

    // Another index in its place (written whole by a save that left the news behind).
    indexOf(folder, new Map([['/r/a', entry('/r/a', 'seg-1', 5, 3)]]));
    expect(linesOf()).toEqual([entry('/r/a', 'seg-1', 5, 3)]);
  });

  it('are written into the index once there would be more than a few', () => {
    const folder = mkdtempSync(join(tmpdir(), 'seq-index-news-'));
    const name = (n: number): string => `/r/f${String(n).padStart(4, '0')}`;
    const model = new Map<string, string>();
    for (let n = 0; n < 50; n++) model.set(name(n), entry(name(n), 'seg-1', 3, n));
    const index = indexOf(folder, model);
    // Saves of 100 news each: the third brings them over FEW_NEWS.
    for (let round = 0; round < 3; round++) {
      const fresh = new Map<string, string>();
      for (let n = round * 100; n < round * 100 + 100; n++) fresh.set(name(n), entry(name(n), 'seg-2', 4, n));
      for (const [p, text] of fresh) model.set(p, text);
      const view = openView(index);
      const bytes = view.save(HEAD, fresh, new Set());
      view.close();
      expect(bytes).toEqual(usageOf(model.values()));
      expect(existsSync(newsPath(index))).toBe((round + 1) * 100 <= FEW_NEWS);
    }
    const expected = [...model.keys()].sort(walkOrder).map((p) => model.get(p) as string);
    expect(readFileSync(index, 'utf8').split('\n').slice(1, -2)).toEqual(expected);
    const seen = openView(index);
    expect(all(seen.lines())).toEqual(expected);
    seen.close();
  });
});
