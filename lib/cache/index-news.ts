/**
 * The index's news: the lines of the files read or dropped since the index was written, kept in
 * a small file beside it (news.jsonl), so that a save of a few news writes that file and not the
 * index, whose size follows the history. The news name the index they are over (its size,
 * inode and last line's check): news over another index are none, as a save that wrote the
 * index whole leaves them. Whatever the news are, each line is checked when read and each entry
 * against its file and its data, so news taken for none cost a read again, never a wrong event.
 *
 * Lookups see the index through its news (IndexView). Once the news would be more than
 * FEW_NEWS, a save writes them into the index (index-write.ts writeAround) and removes them.
 */
import { closeSync, fstatSync, openSync, rmSync } from 'node:fs';
import { walkOrder } from '../sources/files.js';
import { writeFileAtomically } from '../storage/atomic-write.js';
import { dropLine, IndexReader, isDrop, type Line, type LineSource, linePath, readAt } from './index-file.js';
import { FEW_NEWS, indexUsage, lastUsage, type Usage, usageLine, useLine, writeAround } from './index-write.js';

/** The news file beside an index. */
export function newsPath(index: string): string {
  return index.replace(/\.jsonl$/, '.news.jsonl');
}

/** The most bytes news are read from: FEW_NEWS lines of any reasonable entry. */
const LARGEST_NEWS = 16 << 20;

/** What names an index (the news file's second line): its size, inode and last line's check. */
function indexMark(index: IndexReader, usage: Usage): string {
  return `@${index.size}\t${fstatSync(index.fd).ino}\t${usage.check}\n`;
}

/** The news over `index` (whose last line is `usage`), and the bytes each segment's entries use with them; undefined where there are none over it. */
function readNews(path: string, head: string, index: IndexReader, usage: Usage): { lines: Line[]; usage: Usage } | undefined {
  let bytes: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > LARGEST_NEWS) return undefined;
      bytes = readAt(fd, size, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // none, or unreadable: the save writes the index whole
  }
  const mark = indexMark(index, usage);
  if (bytes.toString('utf8', 0, head.length + mark.length) !== head + mark) return undefined;
  const last = lastUsage(bytes, 0);
  if (last === undefined) return undefined;
  const lines: Line[] = [];
  const text = bytes.toString('utf8', head.length + mark.length, last.at);
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end);
    at = end + 1;
    const path = linePath(line);
    // A line out of order or without a path is skipped, as an index's is (index-file.ts LineFile).
    if (path !== undefined && (lines.length === 0 || walkOrder(path, (lines[lines.length - 1] as Line).path) > 0))
      lines.push({ path, text: line, start: 0, end: 0 });
  }
  return { lines, usage: last };
}

/** Lines of an index (without their news) and of its news, in walk order: the news' line of a path stands for the index's, and a drop for none. */
class Merged implements LineSource {
  private head: Line | undefined;

  constructor(
    private readonly base: LineSource,
    private readonly news: Line[],
    private k: number,
  ) {
    this.head = base.next();
  }

  next(): Line | undefined {
    for (;;) {
      const fresh = this.news[this.k];
      const old = this.head;
      if (fresh === undefined && old === undefined) return undefined;
      const order = fresh === undefined ? 1 : old === undefined ? -1 : walkOrder(fresh.path, old.path);
      if (order > 0) {
        this.head = this.base.next();
        return old;
      }
      this.k++;
      if (order === 0) this.head = this.base.next();
      if (!isDrop(fresh?.text as string)) return fresh;
    }
  }
}

/** The lines of an IndexReader's cursor from where it stands. */
function fromCursor(index: IndexReader): LineSource {
  let first = true;
  return {
    next: () => {
      if (first) first = false;
      else index.next();
      return index.current;
    },
  };
}

/** The first news at or after `path`. */
function firstFrom(news: Line[], path: string): number {
  let lo = 0;
  let hi = news.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (walkOrder((news[mid] as Line).path, path) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * An index seen through its news, open for lookups as IndexReader is: `seek` to the first line
 * at or after a path, `next` on. The files are kept open: a scan reads one version of them.
 */
export class IndexView {
  private merged: Merged;
  current: Line | undefined;

  private constructor(
    readonly index: IndexReader,
    /** What the index's own last line says (undefined: nothing that checks; it then has no news). */
    private readonly indexUsage: Usage | undefined,
    private readonly news: Line[],
    /** The bytes each segment's entries use, news included. */
    private readonly usage: Usage | undefined,
    private readonly path: string,
  ) {
    this.merged = new Merged(index.lines(), news, 0);
    this.current = this.merged.next();
  }

  /** The index at `path` with its news; undefined when there is none or it is of another version (IndexReader.open). */
  static open(path: string, head: string): IndexView | undefined {
    const index = IndexReader.open(path, head);
    if (index === undefined) return undefined;
    try {
      const usage = indexUsage(index);
      const news = usage === undefined ? undefined : readNews(newsPath(path), head, index, usage);
      return new IndexView(index, usage, news?.lines ?? [], news?.usage ?? usage, path);
    } catch (error) {
      index.close();
      throw error;
    }
  }

  seek(path: string): void {
    this.index.seek(path);
    this.merged = new Merged(fromCursor(this.index), this.news, firstFrom(this.news, path));
    this.current = this.merged.next();
  }

  next(): void {
    this.current = this.merged.next();
  }

  /** All its lines from the first, read apart from the cursor. */
  lines(): LineSource {
    return new Merged(this.index.lines(), this.news, 0);
  }

  /**
   * Saves a scan's news (`fresh` lines by path; `gone`: files dropped unless `fresh` has them)
   * with those it has: in the news file while they are few, else written into the index, and
   * the news file removed. Returns the bytes each segment's entries use; undefined where
   * neither could be (the index does not say what its entries use, or is out of order), and
   * the index is to be merged whole. The view's cursor is not to be used after.
   */
  save(head: string, fresh: Map<string, string>, gone: Set<string>): Map<string, number> | undefined {
    if (this.indexUsage === undefined || this.usage === undefined) return undefined;
    const news = new Map(this.news.map((line) => [line.path, line.text]));
    const bytes = new Map(this.usage.bytes);
    for (const path of new Set([...fresh.keys(), ...gone])) {
      const line = fresh.get(path) ?? dropLine(path);
      this.index.seek(path);
      const indexed = this.index.current?.path === path ? this.index.current.text : undefined;
      const was = news.get(path) ?? indexed;
      if (was !== undefined) useLine(bytes, was, -1);
      useLine(bytes, line, 1);
      // A drop of a file the index does not have: no news.
      if (isDrop(line) && indexed === undefined) news.delete(path);
      else news.set(path, line);
    }
    if (news.size > FEW_NEWS) {
      const written = writeAround(this.path, head, this.index, news, new Set());
      if (written !== undefined) removeNews(this.path);
      return written;
    }
    const mark = indexMark(this.index, this.indexUsage);
    const sorted = [...news.keys()].sort(walkOrder);
    const text = function* (): Generator<string> {
      yield head + mark;
      for (const path of sorted) yield `${news.get(path)}\n`;
      yield `${usageLine(bytes)}\n`;
    };
    writeFileAtomically(newsPath(this.path), text(), 0o600, false);
    return bytes;
  }

  close(): void {
    this.index.close();
  }
}

/** Removes an index's news (after the index was written whole, they are over another index). */
export function removeNews(index: string): void {
  rmSync(newsPath(index), { force: true });
}
