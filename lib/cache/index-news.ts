/**
 * The index's news: the lines of the files read or dropped since the index was written, kept in
 * a small file beside it (index.news.jsonl), so that a save of a few news writes that file and
 * not the index, whose size follows the history. The news name the index they are over (its
 * size, inode and last line's check): news over another index are none, as are news that do
 * not check whole; the files they told of are read again. Whatever the news are, each entry is
 * checked against its file and its data when used, so news taken for none cost a read again,
 * never a wrong event, and the bytes each segment's entries use are always those of the lines
 * a lookup sees.
 *
 * Lookups see the index through its news (IndexView). Once the news would be more than
 * FEW_NEWS, a save writes them into the index (index-write.ts writeAround) and removes them.
 */
import { closeSync, fstatSync, rmSync } from 'node:fs';
import { walkOrder } from '../sources/files.js';
import { writeFileAtomically } from '../storage/atomic-write.js';
import { dropLine, IndexReader, isDrop, type Line, type LineSource, linePath, openIfThere, readAt } from './index-file.js';
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

/** A news file's bytes; undefined where there is none, or it is larger than any news (not ours). Throws where it cannot be read, as IndexReader.open does. */
function newsBytes(path: string): Buffer | undefined {
  const fd = openIfThere(path);
  if (fd === undefined) return undefined;
  try {
    const size = fstatSync(fd).size;
    return size > LARGEST_NEWS ? undefined : readAt(fd, size, 0);
  } finally {
    closeSync(fd);
  }
}

interface News {
  lines: Line[];
  usage: Usage;
}

/** The news in `bytes`, where they are over the index of this mark and check whole; 'other' where they are over another index; undefined where they do not check. */
function newsOver(bytes: Buffer, head: string, mark: string): News | 'other' | undefined {
  if (bytes.toString('utf8', 0, head.length + mark.length) !== head + mark) return 'other';
  const last = lastUsage(bytes, 0);
  if (last === undefined) return undefined;
  const lines: Line[] = [];
  const text = bytes.toString('utf8', head.length + mark.length, last.at);
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end);
    at = end + 1;
    const path = linePath(line);
    // A line without a path or out of order: the bytes the last line counts are not those of the lines.
    if (path === undefined || (lines.length > 0 && walkOrder(path, (lines[lines.length - 1] as Line).path) <= 0)) return undefined;
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
    /** What names the index (undefined where its last line does not check: it then has no news). */
    private readonly mark: string | undefined,
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
    for (let again = true; ; again = false) {
      // The news before the index: a save that writes the index whole removes the news after it
      // renamed the index, so news read first are this index's or an older one's (then read again).
      const bytes = newsBytes(newsPath(path));
      const index = IndexReader.open(path, head);
      if (index === undefined) return undefined;
      try {
        const usage = indexUsage(index);
        const mark = usage === undefined ? undefined : indexMark(index, usage);
        const news = mark === undefined || bytes === undefined ? undefined : newsOver(bytes, head, mark);
        if (news === 'other' && again) {
          index.close();
          continue;
        }
        const kept = news === 'other' ? undefined : news;
        return new IndexView(index, mark, kept?.lines ?? [], kept?.usage ?? usage, path);
      } catch (error) {
        index.close();
        throw error;
      }
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
    const mark = this.mark;
    if (mark === undefined || this.usage === undefined) return undefined;
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
      const written = writeAround(this.path, head, this.index, news);
      if (written !== undefined) removeNews(this.path);
      return written;
    }
    if (news.size === 0) {
      removeNews(this.path);
      return bytes;
    }
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
  try {
    rmSync(newsPath(index), { force: true });
  } catch {
    // left: news over another index are none, and the next save writes over them
  }
}
