/**
 * The parts of a table's patch in process (fast-check): the kept rows with some files' runs
 * replaced come out as a whole reading would give them, rows that do not match the runs are
 * refused, the files' identities after a patch are those a whole reading would keep, and a
 * patch that fails half-way leaves the table as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../lib/jsonl/json.js';
import { mergedRows, mergePlan, planOf, type RowSource } from '../../lib/cache/table-merge.js';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RowEncoder } from '../../lib/cache/row-codec.js';
import { readTable } from '../../lib/cache/table-read.js';
import { appendPatch, TableWriter } from '../../lib/cache/table-write.js';
import { countOf, distinct, fileLinks, hash53, linksTogether, TableIdentities } from '../../lib/scan/links.js';

function source(rows: Row[]): RowSource {
  let at = 0;
  return { next: () => rows[at++] };
}

function drain(rows: RowSource): Row[] {
  const out: Row[] = [];
  for (let row = rows.next(); row !== undefined; row = rows.next()) out.push(row);
  return out;
}

/** Per file, per phase, how many rows were kept, and which files are replaced, with how many new rows. */
const plan = fc.integer({ min: 1, max: 12 }).chain((files) =>
  fc.record({
    runs: fc.array(fc.nat({ max: 3 }), { minLength: 2 * files, maxLength: 2 * files }),
    replaced: fc.uniqueArray(fc.integer({ min: 0, max: files - 1 }), { maxLength: files }).map((list) => list.sort((a, b) => a - b)),
    counts: fc.array(fc.nat({ max: 3 }), { minLength: 2 * files, maxLength: 2 * files }),
  }),
);

describe('mergedRows', () => {
  it('gives each file its kept rows, or its new ones where it is replaced, phase by phase', () => {
    fc.assert(
      fc.property(plan, ({ runs, replaced, counts }) => {
        const files = runs.length / 2;
        const kept: Row[] = [];
        const fresh: Row[] = [];
        const expected: Row[] = [];
        for (let phase = 0; phase < 2; phase++) {
          for (let file = 0; file < files; file++) {
            const old = Array.from({ length: runs[phase * files + file] as number }, (_, n) => ({ from: 'kept', phase, file, n }));
            kept.push(...old);
            const i = replaced.indexOf(file);
            if (i < 0) expected.push(...old);
            else {
              const rows = Array.from({ length: counts[2 * i + phase] as number }, (_, n) => ({ from: 'new', phase, file, n }));
              fresh.push(...rows);
              expected.push(...rows);
            }
          }
        }
        const layout = { files, runs: Uint32Array.from(runs) };
        const which = { files: replaced, counts: counts.slice(0, 2 * replaced.length) };
        const merge = mergePlan(layout, which, undefined);
        expect(drain(mergedRows(source(kept), source(fresh), merge))).toEqual(expected);
        // Rows that are not what the runs say: refused, never given as others.
        if (kept.length > 0) expect(() => drain(mergedRows(source(kept.slice(1)), source(fresh), merge))).toThrow(/damaged rows/);
        expect(() => drain(mergedRows(source([...kept, { extra: true }]), source(fresh), merge))).toThrow(/damaged rows/);
        if (merge.length > 0) expect(() => drain(mergedRows(source(kept), source(fresh), merge.subarray(1)))).toThrow(/damaged rows/);
        // Read back from its bytes: the same plan, and one of other rows or unknown steps refused before any row.
        const bytes = new Uint8Array(merge.buffer, merge.byteOffset, merge.byteLength);
        expect(planOf(bytes, kept.length, fresh.length)).toEqual(merge);
        expect(() => planOf(bytes, kept.length + 1, fresh.length)).toThrow(/damaged rows/);
        if (merge.length > 0) expect(() => planOf(bytes.subarray(4), kept.length, fresh.length)).toThrow(/damaged rows/);
        if (merge.length > 0)
          expect(() => planOf(Uint8Array.from([...bytes.subarray(0, bytes.length - 8), 7, 0, 0, 0, 1, 0, 0, 0]), kept.length, fresh.length)).toThrow(
            /damaged rows/,
          );
      }),
      { numRuns: 500 },
    );
  });
});

describe('mergedRows, with files added and gone', () => {
  it('gives the files now in their order: each kept run, or its new rows, the runs of files gone left out', () => {
    const layoutOf = fc.integer({ min: 0, max: 8 }).chain((baseFiles) =>
      fc.record({
        runs: fc.array(fc.nat({ max: 3 }), { minLength: 2 * baseFiles, maxLength: 2 * baseFiles }),
        // Each base file kept or gone, and files added before each place.
        keptBase: fc.array(fc.boolean(), { minLength: baseFiles, maxLength: baseFiles }),
        added: fc.array(fc.nat({ max: 2 }), { minLength: baseFiles + 1, maxLength: baseFiles + 1 }),
        patchedKept: fc.array(fc.boolean(), { minLength: baseFiles, maxLength: baseFiles }),
        counts: fc.array(fc.nat({ max: 3 }), { minLength: 64, maxLength: 64 }),
      }),
    );
    fc.assert(
      fc.property(layoutOf, ({ runs, keptBase, added, patchedKept, counts }) => {
        const baseFiles = runs.length / 2;
        // The files now: per file its base run (-1: added), and whether its rows are new.
        const now: Array<{ from: number; fresh: boolean }> = [];
        for (let b = 0; b <= baseFiles; b++) {
          for (let k = 0; k < (added[b] as number); k++) now.push({ from: -1, fresh: true });
          if (b < baseFiles && keptBase[b]) now.push({ from: b, fresh: patchedKept[b] as boolean });
        }
        const replacedFiles = now.flatMap((file, i) => (file.fresh ? [i] : []));
        const replacedCounts = replacedFiles.flatMap((_, i) => [counts[2 * i] as number, counts[2 * i + 1] as number]);
        const kept: Row[] = [];
        const fresh: Row[] = [];
        const expected: Row[] = [];
        for (let phase = 0; phase < 2; phase++) {
          for (let b = 0; b < baseFiles; b++) for (let n = 0; n < (runs[phase * baseFiles + b] as number); n++) kept.push({ base: b, phase, n });
          now.forEach((file, i) => {
            const r = replacedFiles.indexOf(i);
            if (r >= 0) {
              const rows = Array.from({ length: replacedCounts[2 * r + phase] as number }, (_, n) => ({ now: i, phase, n }));
              fresh.push(...rows);
              expected.push(...rows);
            } else {
              for (let n = 0; n < (runs[phase * baseFiles + file.from] as number); n++) expected.push({ base: file.from, phase, n });
            }
          });
        }
        const placed = { files: now.length, kept: Int32Array.from(now.map((file) => file.from)) };
        const rows = mergedRows(
          source(kept),
          source(fresh),
          mergePlan({ files: baseFiles, runs: Uint32Array.from(runs) }, { files: replacedFiles, counts: replacedCounts }, placed),
        );
        expect(drain(rows)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("a patch's identities", () => {
  const ids = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 8 }).map((list) => distinct(list.map((n) => hash53(`id${n}`, 4))));

  it('are, after files were read again, added or gone, what the files have now, as a whole reading keeps them', () => {
    fc.assert(
      fc.property(
        fc.array(ids, { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { maxLength: 10 }),
        fc.array(fc.tuple(fc.nat(), ids), { maxLength: 3 }),
        fc.array(fc.tuple(fc.boolean(), ids), { maxLength: 14 }),
        (before, stays, added, readAgain) => {
          // The files now: those of `before` that stay, in their order, and some added among them (-1).
          const kept: number[] = before.map((_, i) => i).filter((i) => stays[i] !== false);
          for (const [at] of added) kept.splice(at % (kept.length + 1), 0, -1);
          const moved = kept.length !== before.length || kept.some((from, i) => from !== i);
          // Read again: every file added, and some others; each with its identities now.
          const again = new Map<number, Float64Array>();
          kept.forEach((from, file) => {
            const [read, hashes] = readAgain[file] ?? [false, new Float64Array(0)];
            if (from < 0 || read) again.set(file, hashes);
          });
          const files = [...again.keys()].sort((a, b) => a - b);
          const identities = new TableIdentities(
            linksTogether(before),
            moved ? Int32Array.from(kept) : undefined,
            files,
            fileLinks(files.map((file) => again.get(file) as Float64Array)),
          );
          const now = kept.map((from, file) => again.get(file) ?? (before[from] as Float64Array));
          for (const [file, hashes] of now.entries()) expect(identities.own(file)).toEqual(hashes);
          const all = linksTogether(now).sorted;
          for (let n = 0; n <= 40; n++) {
            const hash = hash53(`id${n}`, 4);
            expect(identities.count(hash)).toBe(countOf(all, hash));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('of a text are 53 bits, the same each time, and differ by kind', () => {
    const hash = hash53('msg_01ABC', 4);
    expect(Number.isSafeInteger(hash)).toBe(true);
    expect(hash53('msg_01ABC', 4)).toBe(hash);
    expect(hash53('msg_01ABC', 2)).not.toBe(hash);
    expect(hash53('msg_01ABD', 4)).not.toBe(hash);
  });
});

describe('appendPatch', () => {
  it('leaves the table as it was when the patch fails half-way, and gives the patched rows when it does not', () => {
    const folder = mkdtempSync(join(tmpdir(), 'seq-patch-table-'));
    const key = 'a key';
    // Rows of some size: patches are appended while they are smaller than the table written whole.
    const rows = [0, 1, 2].map((file) => ({ path: `f${file}`, n: file, text: `${file}`.repeat(4000) }));
    const writer = TableWriter.open(key, folder);
    if (typeof writer === 'string') throw new Error(writer);
    const encoder = new RowEncoder();
    for (const row of rows) encoder.add(row);
    writer.block(encoder.flush() as never);
    const links = linksTogether([distinct([1]), distinct([2]), distinct([3])]);
    const stats = Float64Array.from({ length: 12 }, (_, i) => i);
    const runs = { files: 3, runs: Uint32Array.from([1, 1, 1, 0, 0, 0]) };
    const end = {
      walk: 'w0',
      walkText: 't',
      stats,
      paths: ['f0', 'f1', 'f2'],
      files: 3,
      bytes: 0,
      listings: new Map(),
      retrace: undefined,
      problems: [],
      layout: encoder.layout(),
      runs,
      links,
    };
    expect(writer.commit(end)).toBeUndefined();
    const path = join(folder, readdirSync(folder).find((name) => name.endsWith('.tbl')) as string);
    const size = statSync(path).size;
    // File 1 read again: its stats and identities now.
    const patchOf = (patch: RowEncoder) => ({
      walk: 'w1',
      bytes: 0,
      listings: new Map(),
      retrace: undefined,
      layout: patch.layout(),
      goesOn: false,
      replaced: { files: [1], counts: [1, 0] },
      stats: Float64Array.of(40, 41, 42, 43),
      links: fileLinks([distinct([5, 4])]),
      resume: [null],
    });
    const failing = readTable(key, folder);
    if (failing === undefined) throw new Error('no table');
    expect(() =>
      appendPatch(
        key,
        failing,
        (block) => {
          const patch = new RowEncoder();
          patch.add({ path: 'f1', n: 10 });
          block(patch.flush() as never);
          throw new Error('the disk is full');
        },
        folder,
      ),
    ).not.toThrow();
    failing.close();
    expect(statSync(path).size).toBe(size);
    const before = readTable(key, folder);
    expect(before?.walk).toBe('w0');
    expect(drain(before?.rows() as RowSource)).toEqual(rows);
    const table = readTable(key, folder);
    if (table === undefined) throw new Error('no table');
    const failure = appendPatch(
      key,
      table,
      (block) => {
        const patch = new RowEncoder();
        patch.add({ path: 'f1', n: 10 });
        block(patch.flush() as never);
        return patchOf(patch);
      },
      folder,
    );
    table.close();
    expect(failure).toBeUndefined();
    const after = readTable(key, folder);
    expect(after?.walk).toBe('w1');
    // What the next patch starts from: the files' stats now, the kept rows' identities, and the patch's.
    const basis = after?.basis();
    expect([...(basis?.stats ?? [])]).toEqual([0, 1, 2, 3, 40, 41, 42, 43, 8, 9, 10, 11]);
    expect(basis?.links).toEqual(links);
    expect(basis?.again).toEqual(fileLinks([distinct([4, 5])]));
    expect(drain(after?.rows() as RowSource)).toEqual([rows[0], { path: 'f1', n: 10 }, rows[2]]);
    after?.close();
    // File 1 grew again: a patch that goes on from this one, its new rows in a part of their own, with a text of the first part's again.
    for (const n of [11, 12]) {
      const grown = readTable(key, folder);
      if (grown === undefined) throw new Error('no table');
      const parts = grown.patchParts();
      expect(
        appendPatch(
          key,
          grown,
          (block) => {
            const patch = new RowEncoder();
            patch.add({ path: 'f1', n, model: 'same text' });
            block(patch.flush() as never);
            return { ...patchOf(patch), goesOn: true, replaced: { files: [1], counts: [n - 9, 0] } };
          },
          folder,
        ),
      ).toBeUndefined();
      grown.close();
      expect(readTable(key, folder)?.patchParts()).toBe(parts + 1);
    }
    // A patch that goes on with no new row (the file grew by lines that make none): the parts as they were.
    const none = readTable(key, folder);
    if (none === undefined) throw new Error('no table');
    const parts = none.patchParts();
    expect(appendPatch(key, none, () => ({ ...patchOf(new RowEncoder()), goesOn: true, replaced: { files: [1], counts: [3, 0] } }), folder)).toBeUndefined();
    none.close();
    expect(readTable(key, folder)?.patchParts()).toBe(parts);
    const twice = readTable(key, folder);
    expect(drain(twice?.patchRows() as RowSource)).toEqual([
      { path: 'f1', n: 10 },
      { path: 'f1', n: 11, model: 'same text' },
      { path: 'f1', n: 12, model: 'same text' },
    ]);
    twice?.close();
    expect(drain(readTable(key, folder)?.rows() as RowSource)).toEqual([
      rows[0],
      { path: 'f1', n: 10 },
      { path: 'f1', n: 11, model: 'same text' },
      { path: 'f1', n: 12, model: 'same text' },
      rows[2],
    ]);
  });
});
