/**
 * `seq query` prints byte for byte what the pipe of separate executables prints, over generated
 * records and specs (fast-check). Each case runs five real processes, so there are few cases;
 * the stage properties themselves run by the thousand in test/unit/properties.test.ts.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sh, tempFiles } from '../helpers/cli.js';

const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'y', 'a,b', 'say "hi"', 'Ünï'), fc.constant(null));
const record = fc.record({ a: value, b: value, n: fc.integer({ min: -100, max: 100 }) }, { requiredKeys: [] });

const spec = fc.record(
  {
    where: fc.array(
      fc.oneof(
        fc.record({ field: fc.constantFrom('a', 'b'), op: fc.constant('eq'), value }),
        fc.record({ field: fc.constant('n'), op: fc.constantFrom('gt', 'lte'), value: fc.integer({ min: -50, max: 50 }) }),
        fc.record({ field: fc.constantFrom('a', 'b'), op: fc.constant('exists') }),
      ),
      { maxLength: 2 },
    ),
    group_by: fc.subarray(['a', 'b']),
    metrics: fc.subarray(
      [
        { op: 'count', as: 'count' },
        { op: 'sum', field: 'n', as: 'total' },
        { op: 'max', field: 'a' },
      ],
      { minLength: 1 },
    ),
    sort: fc.subarray(['a', '-b', 'n', '-count']),
    limit: fc.integer({ min: 0, max: 5 }),
    format: fc.constantFrom('table', 'jsonl', 'json', 'csv', 'markdown'),
  },
  { requiredKeys: ['format'] },
);

describe('seq query against the pipe', () => {
  it('prints byte for byte what seq-scan | seq-filter | seq-group | seq-format prints', () => {
    const dir = tempFiles({});
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), spec, (rows, raw) => {
        const file = join(dir, 'records.jsonl');
        writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
        const text = JSON.stringify({ dataset: 'jsonl', ...raw });
        writeFileSync(join(dir, 'spec.json'), text);
        const one = sh(`seq query --spec @spec.json records.jsonl`, { cwd: dir });
        const pipe = sh(
          `seq-scan --spec @spec.json records.jsonl | seq-filter --spec @spec.json | seq-group --spec @spec.json | seq-format --spec @spec.json`,
          { cwd: dir },
        );
        // Each executable names itself in what it says: the stage that says it in the pipe, seq in one process.
        const said = (stderr: string): string => stderr.replace(/^seq(-[a-z]+)?: /gm, 'seq: ');
        expect(said(pipe.stderr)).toBe(said(one.stderr));
        expect(pipe.status).toBe(one.status);
        expect(pipe.stdout).toBe(one.stdout);
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
