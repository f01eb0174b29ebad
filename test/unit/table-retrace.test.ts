/**
 * A kept table's walk retraced from stats alone (lib/scan/walk.ts retraced) is the walk
 * that walking the roots again makes, or there is none: over a tree of logs changed in the
 * ways a history changes, each retraced walk is compared with walkRoots'.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowEncoder } from '../../lib/cache/row-codec.js';
import type { Listing, StoredTable } from '../../lib/cache/table-file.js';
import { readTable } from '../../lib/cache/table-read.js';
import { TableWriter } from '../../lib/cache/table-write.js';
import { retraced, type Walk, walkRoots } from '../../lib/scan/walk.js';

const KEY = 'a retraced walk';

/** A history: two Claude projects (one with a subagent), a Codex rollout and its archived copy. */
function history(): string {
  const root = mkdtempSync(join(tmpdir(), 'seq-retrace-'));
  const files: Record<string, string> = {
    'claude/projects/-home-a/11111111-0000-4000-8000-000000000001.jsonl': '{"a":1}\n',
    'claude/projects/-home-a/11111111-0000-4000-8000-000000000001/subagents/agent-1.jsonl': '{"a":2}\n',
    'claude/projects/-home-b/22222222-0000-4000-8000-000000000002.jsonl': '{"b":1}\n',
    'codex/sessions/2026/01/02/rollout-2026-01-02T00-00-00-33333333-0000-4000-8000-000000000003.jsonl': '{"c":1}\n',
    'codex/archived_sessions/rollout-2026-01-01T00-00-00-44444444-0000-4000-8000-000000000004.jsonl': '{"d":1}\n',
    'codex/notes.txt': 'not a log\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/**
 * Keeps a table of the roots' walk in a folder of its own, and reads it back. `settled`: its
 * listings are taken as made long after the folders last changed (else as made now, just after
 * they were, so that a retrace lists them again).
 */
function kept(roots: string[], settled: boolean, walk = walkRoots(roots, undefined)): StoredTable {
  const listings = new Map<string, Listing>(
    [...walk.listings()].map(([folder, listing]) => [folder, settled ? { ...listing, listedAt: Date.now() + 60_000 } : listing]),
  );
  const folder = mkdtempSync(join(tmpdir(), 'seq-retrace-tables-'));
  const writer = TableWriter.open(KEY, folder);
  if (typeof writer === 'string') throw new Error(writer);
  const rows = new RowEncoder();
  rows.add({ n: 1 });
  writer.block(rows.flush() as never);
  const failure = writer.commit({
    walk: walk.digest,
    walkText: walk.text,
    stats: walk.stats,
    paths: walk.items.flatMap((item) => ('file' in item ? [item.file] : [])),
    files: walk.files,
    bytes: walk.bytes,
    listings,
    retrace: walk.retrace,
    problems: [],
    layout: rows.layout(),
    runs: undefined,
    links: undefined,
  });
  if (failure !== undefined) throw new Error(failure);
  const table = readTable(KEY, folder);
  if (table === undefined) throw new Error('the table was not kept');
  return table;
}

/** What of a walk a table and a patch depend on. */
function seen(walk: Walk): unknown {
  return {
    digest: walk.digest,
    text: walk.text,
    files: walk.files,
    bytes: walk.bytes,
    items: walk.items,
    paths: walk.paths,
    told: walk.told,
    stats: [...walk.stats],
    retrace: walk.retrace,
  };
}

/** The folders' entries a walk leaves for the next table, in its order, and which were listed again now (not long before the walk). */
function listed(walk: Walk, since: number): unknown {
  return [...walk.listings()].map(([folder, { names, kinds, listedAt }]) => [folder, names, kinds, listedAt >= since]);
}

/** The retraced walk, checked against a full one; undefined where there is none. */
function retrace(table: StoredTable, roots: string[]): Walk | undefined {
  const since = Date.now();
  const quick = retraced(table, roots);
  if (quick !== undefined) {
    const full = walkRoots(roots, table.listings);
    expect(seen(quick)).toEqual(seen(full));
    expect(listed(quick, since)).toEqual(listed(full, since));
  }
  return quick;
}

const rollout = 'codex/sessions/2026/01/02/rollout-2026-01-02T00-00-00-33333333-0000-4000-8000-000000000003.jsonl';
const transcript = 'claude/projects/-home-a/11111111-0000-4000-8000-000000000001.jsonl';

/**
 * Changes to a history, and whether a walk is retraced after them (true) or the roots walked
 * (false): a folder may have other files, not other folders or links, and a Codex rollout
 * (kept in two places) is walked.
 */
const changes: Record<string, [(root: string) => void, boolean]> = {
  nothing: [() => undefined, true],
  'a transcript appended to': [(root) => appendFileSync(join(root, transcript), '{"a":3}\n'), true],
  'a rollout rewritten': [(root) => writeFileSync(join(root, rollout), '{"c":2,"more":true}\n'), true],
  'a transcript added': [(root) => writeFileSync(join(root, 'claude/projects/-home-b/55555555-0000-4000-8000-000000000005.jsonl'), '{}\n'), true],
  'transcripts added first and last in a project, one removed from another': [
    (root) => {
      writeFileSync(join(root, 'claude/projects/-home-b/00000000-0000-4000-8000-000000000006.jsonl'), '{}\n');
      writeFileSync(join(root, 'claude/projects/-home-b/ffffffff-0000-4000-8000-000000000007.jsonl'), '{}\n');
      rmSync(join(root, transcript));
    },
    true,
  ],
  'a subagent removed': [(root) => rmSync(join(root, 'claude/projects/-home-a/11111111-0000-4000-8000-000000000001/subagents/agent-1.jsonl')), true],
  'a subagent added beside one': [
    (root) => writeFileSync(join(root, 'claude/projects/-home-a/11111111-0000-4000-8000-000000000001/subagents/agent-0.jsonl'), '{}\n'),
    true,
  ],
  'a file not a log added': [(root) => writeFileSync(join(root, 'claude/projects/-home-a/notes.md'), 'notes\n'), true],
  'a transcript renamed': [
    (root) => renameSync(join(root, transcript), join(root, 'claude/projects/-home-a/99999999-0000-4000-8000-000000000009.jsonl')),
    true,
  ],
  'a project added': [(root) => mkdirSync(join(root, 'claude/projects/-home-c')), false],
  'a project removed': [(root) => rmSync(join(root, 'claude/projects/-home-b'), { recursive: true }), false],
  'a rollout added': [
    (root) => writeFileSync(join(root, 'codex/sessions/2026/01/02/rollout-2026-01-02T01-00-00-66666666-0000-4000-8000-000000000006.jsonl'), '{}\n'),
    false,
  ],
  'a rollout archived': [(root) => renameSync(join(root, rollout), join(root, 'codex/archived_sessions', rollout.split('/').pop() as string)), false],
  'a link to a folder of logs added': [(root) => symlinkSync(join(root, 'claude/projects/-home-b'), join(root, 'codex/linked')), false],
};

describe('a kept walk retraced', () => {
  for (const settled of [true, false]) {
    describe(settled ? 'listings made long after the folders changed' : 'listings made just after the folders changed (listed again)', () => {
      it.each(Object.keys(changes))('%s', (name) => {
        const [change, retraces] = changes[name] as [(root: string) => void, boolean];
        const root = history();
        const table = kept([root], settled);
        expect(table.retrace).toBeDefined();
        change(root);
        const walk = retrace(table, [root]);
        expect(walk !== undefined).toBe(retraces);
        // The same files with the same stats: the table stands.
        if (name === 'nothing' || name === 'a file not a log added') expect(walk?.digest).toBe(table.walk);
        else if (walk !== undefined) expect(walk.digest).not.toBe(table.walk);
        // The listings are the table's own where no folder was listed again: a patch keeps them as they are.
        if (walk !== undefined) expect(walk.keptListings).toBe(settled && (name === 'nothing' || name.includes('appended') || name.includes('rewritten')));
      });
    });
  }

  it('several roots, one of them a link: each root leads where it led, or the roots are walked', () => {
    const root = history();
    const copy = mkdtempSync(join(tmpdir(), 'seq-retrace-copy-'));
    cpSync(join(root, 'claude'), join(copy, 'claude'), { recursive: true });
    const link = join(mkdtempSync(join(tmpdir(), 'seq-retrace-link-')), 'claude');
    symlinkSync(join(root, 'claude'), link);
    const roots = [link, join(root, 'codex')];
    const table = kept(roots, true);
    expect(retrace(table, roots)?.digest).toBe(table.walk);
    // The same files under another folder: the link's real path tells, though the names are the same.
    rmSync(link);
    symlinkSync(join(copy, 'claude'), link);
    expect(retrace(table, roots)).toBeUndefined();
    // Other roots are another walk.
    expect(retrace(table, [join(root, 'codex')])).toBeUndefined();
  });

  it('a root that was a file and is now a folder, or the other way, is walked', () => {
    const root = history();
    const file = join(root, transcript);
    const table = kept([file], true);
    expect(retrace(table, [file])?.digest).toBe(table.walk);
    rmSync(file);
    mkdirSync(file);
    writeFileSync(join(file, 'b.jsonl'), '{}\n');
    expect(retrace(table, [file])).toBeUndefined();
    const folder = join(root, 'claude/projects/-home-b');
    const again = kept([folder], true);
    rmSync(folder, { recursive: true });
    writeFileSync(folder, '{}\n');
    expect(retrace(again, [folder])).toBeUndefined();
  });

  it('a root whose log files are all gone is walked (the walk tells of it no more)', () => {
    const root = history();
    const roots = [join(root, 'claude'), join(root, 'codex')];
    const table = kept(roots, true);
    rmSync(join(root, transcript));
    rmSync(join(root, 'claude/projects/-home-b/22222222-0000-4000-8000-000000000002.jsonl'));
    rmSync(join(root, 'claude/projects/-home-a/11111111-0000-4000-8000-000000000001/subagents/agent-1.jsonl'));
    expect(retrace(table, roots)).toBeUndefined();
    expect(walkRoots(roots, table.listings).items.filter((item) => 'root' in item)).toEqual([{ root: join(root, 'codex') }, { root: undefined }]);
  });

  it('a walk that met a link, or told of a root it could not read, is walked again', () => {
    const root = history();
    symlinkSync(join(root, 'claude/projects/-home-b'), join(root, 'codex/linked'));
    expect(kept([root], true).retrace).toBeUndefined();
    expect(walkRoots([root, join(root, 'missing')], undefined).retrace).toBeUndefined();
    // A root inside another is told of (read already): no retrace either.
    expect(walkRoots([root, join(root, 'claude')], undefined).retrace).toBeUndefined();
  });
});

describe('kept walks retraced after changes one after another', () => {
  const projects = ['-home-a', '-home-b', '-home-c'];
  // Names that sort before, between and after the others (and "-", "." and "/" sort differently in walk order).
  const name = (most: number) => fc.string({ unit: fc.constantFrom('0', '9', 'a', 'f', '-', '.'), minLength: 1, maxLength: most });
  const op = fc.oneof(
    fc.record({ add: fc.constantFrom(...projects), name: name(3) }),
    fc.record({ remove: fc.nat(20) }),
    fc.record({ append: fc.nat(20) }),
    fc.record({ note: fc.constantFrom(...projects) }),
    fc.record({ subagent: fc.nat(20), name: name(2) }),
    fc.record({ project: name(2) }),
  );

  /** The Claude transcripts and subagents of a history, in a stable order. */
  const logs = (root: string): string[] => walkRoots([root], undefined).paths.filter((path) => path.includes('/claude/'));

  it('each walk, retraced or walked, is the one walking the roots makes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        (steps, settled, twoRoots) => {
          const root = history();
          mkdirSync(join(root, 'claude/projects/-home-c'), { recursive: true });
          const roots = twoRoots ? [join(root, 'claude'), join(root, 'codex')] : [root];
          let table = kept(roots, settled);
          for (const step of steps) {
            for (const change of step) {
              const files = logs(root);
              const pick = (n: number): string | undefined => files[n % Math.max(1, files.length)];
              if ('add' in change) writeFileSync(join(root, 'claude/projects', change.add, `${change.name}-0000.jsonl`), '{}\n');
              else if ('remove' in change) {
                const file = pick(change.remove);
                if (file !== undefined) rmSync(file, { force: true });
              } else if ('append' in change) {
                const file = pick(change.append);
                if (file !== undefined) appendFileSync(file, '{"more":1}\n');
              } else if ('note' in change) writeFileSync(join(root, 'claude/projects', change.note, 'notes.md'), 'notes\n');
              else if ('subagent' in change) {
                const file = pick(change.subagent);
                if (file !== undefined && !file.includes('/subagents/')) {
                  const folder = join(file.replace(/\.jsonl$/, ''), 'subagents');
                  mkdirSync(folder, { recursive: true });
                  writeFileSync(join(folder, `agent-${change.name}.jsonl`), '{}\n');
                }
              } else mkdirSync(join(root, 'claude/projects', `-home-${change.project}`), { recursive: true });
            }
            // Checked against a full walk inside; either way the next table is kept from the walk made.
            const walk = retrace(table, roots) ?? walkRoots(roots, table.listings);
            table = kept(roots, settled, walk);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
