/**
 * The differential test of spellings: every shared fixture and every generated example, written
 * again in other valid spellings of the same records (fast-check picks the whitespace, key order,
 * escapes, line ends, byte-order mark), gives every session dataset the same rows, and the same
 * line problems, as the files written the agents' own way.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../lib/jsonl/json.js';
import { InputProblems } from '../../lib/jsonl/problems.js';
import { scanBranches } from '../../lib/reports/engine.js';
import { readSpec } from '../../lib/spec/validate.js';
import { CATALOG } from '../../lib/datasets/registry.js';
import { random, respell, spell, type Spelling } from '../helpers/serialize.js';
import { FIXTURES, generatedSessions, requireFixtures } from '../helpers/sessions.js';
import { scanSpecOf } from '../../lib/spec/from-flags.js';

const DATASETS = ['messages', 'skill_mentions', 'token_events', 'token_deltas', 'token_sessions', 'tool_calls', 'tool_outputs', 'usage', 'sessions'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Every dataset's rows (paths made relative to the root) and line problems, from one root. */
async function read(root: string, params: Record<string, string[]>): Promise<Record<string, { rows: Row[]; problems: string[] }>> {
  const out: Record<string, { rows: Row[]; problems: string[] }> = {};
  for (const dataset of DATASETS) {
    const problems = new InputProblems(false, () => undefined);
    const spec = readSpec({ dataset, params: dataset === 'skill_mentions' ? params : {} }, CATALOG);
    const [rows = []] = await scanBranches(scanSpecOf(spec, {}, [root], CATALOG), [], [{}], { program: 'spellings', problems, progress: false, cache: false });
    const local = (text: string): string => text.split(`${root}/`).join('');
    out[dataset] = { rows: rows.map((row) => JSON.parse(local(JSON.stringify(row))) as Row), problems: problems.summary().map(local) };
  }
  return out;
}

/** The session files of `root` written again in `spelling` under `to` (a G0 document as one JSON value). */
function rewrite(root: string, to: string, spelling: Spelling, seed: number): void {
  files(root).forEach((file, i) => {
    if (!/\.jsonl?$/.test(file)) return;
    const target = join(to, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    const text = readFileSync(file, 'utf8');
    writeFileSync(target, file.endsWith('.json') ? spell(JSON.parse(text), spelling, random(seed + i)) : respell(text, spelling, seed + i));
  });
}

const spelling: fc.Arbitrary<Spelling> = fc.record({
  space: fc.constantFrom(0, 0.1, 0.5, 1),
  shuffle: fc.constantFrom(0, 0.5, 1),
  escape: fc.constantFrom(0, 0.01, 0.2),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  pad: fc.boolean(),
});

const corpora: Array<{ name: string; root: () => string; params: () => Record<string, string[]>; needsFixtures: boolean }> = [
  { name: 'the shared fixtures', root: () => FIXTURES, params: () => ({ skills_dirs: [] }), needsFixtures: true },
  {
    name: 'the generated examples',
    root: () => generatedSessions(),
    params: () => ({ skills_dirs: [join(generatedSessions(), 'skills')] }),
    needsFixtures: false,
  },
];

describe('any spelling of the same records', () => {
  for (const corpus of corpora) {
    it.runIf(!corpus.needsFixtures || requireFixtures())(
      `gives ${corpus.name} the same rows in every dataset`,
      async () => {
        const root = corpus.root();
        const expected = await read(root, corpus.params());
        // The records reach every dataset: a spelling that lost them all would agree too easily.
        for (const dataset of DATASETS) expect(expected[dataset]?.rows.length, dataset).toBeGreaterThan(0);
        const work = mkdtempSync(join(tmpdir(), 'seq-spellings-'));
        await fc.assert(
          fc.asyncProperty(spelling, fc.nat(), async (chosen, seed) => {
            const to = join(work, String(seed));
            rewrite(root, to, chosen, seed);
            try {
              expect(await read(to, corpus.params())).toEqual(expected);
            } finally {
              rmSync(to, { recursive: true, force: true });
            }
          }),
          {
            // The examples count among the runs: four random spellings come after them.
            numRuns: Number(process.env.SEQ_SPELLING_RUNS ?? 9),
            examples: [
              [{ space: 0.5, shuffle: 0.5, escape: 0.05, crlf: true, bom: true, pad: true }, 5],
              [{ space: 1, shuffle: 0, escape: 0, crlf: false, bom: false, pad: false }, 1],
              [{ space: 0, shuffle: 1, escape: 0, crlf: false, bom: false, pad: false }, 2],
              [{ space: 0, shuffle: 0, escape: 0.2, crlf: false, bom: false, pad: false }, 3],
              [{ space: 0, shuffle: 0, escape: 0, crlf: true, bom: true, pad: true }, 4],
            ],
          },
        );
      },
      240_000,
    );
  }
});
