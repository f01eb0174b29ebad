/**
 * seq export, run as a user runs it, and its files read back by a real DuckDB (the npm package,
 * in-process): every dataset's declared columns with their declared types, the same rows and
 * figures as seq query, and nothing left behind or replaced when a run fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDatasets } from '../../lib/datasets/registry.js';
import type { FieldInfo } from '../../lib/datasets/types.js';
import { COLUMN_TYPES } from '../../lib/engines/sql.js';

const DUCKDB_TYPES = COLUMN_TYPES.duckdb;
import { BIN, env, jsonLines, lines, run, sh, tempFiles } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';

const INPUTS = [generatedSessions(), ...(hasFixtures ? [FIXTURES] : [])];
const EXPORTABLE = allDatasets().filter((dataset) => dataset.fields !== undefined);
/** The columns of a dataset's rows under no params. */
const fieldsOf = (name: string): FieldInfo[] => {
  const dataset = EXPORTABLE.find((d) => d.name === name);
  return dataset?.rowFields?.({}) ?? dataset?.fields ?? [];
};

let db: DuckDBInstance;
let duck: DuckDBConnection;
beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  duck = await db.connect();
});
afterAll(() => {
  duck.closeSync();
  db.closeSync();
});

async function read(sql: string): Promise<Array<Record<string, unknown>>> {
  return (await duck.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
}

function seq(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return run('seq', args);
}

/** A run store of two runs, written by seq-record: the runs dataset's input. */
function runStore(): string {
  const dir = tempFiles({});
  const runs = ['0d7f6a3e-1111-4222-8333-444455556666', '0d7f6a3e-1111-4222-8333-444455556667'].map((id, i) => ({
    id,
    date: `2026-11-0${i + 1}T10:00:00.000Z`,
    issues: [7],
    phases: ['exec', 'qa'],
    outcome: i === 0 ? 'partial' : 'success',
    duration: 300,
    model: 'sonnet',
    flags: [],
    metrics: { tokensUsed: 1000, filesChanged: 2, linesAdded: 40, acceptanceCriteria: 3, qaIterations: 1 },
  }));
  const r = run('seq-record', ['-q', '--store', join(dir, 'metrics.json')], { input: runs.map((x) => `${JSON.stringify(x)}\n`).join('') });
  if (r.status !== 0) throw new Error(r.stderr);
  return join(dir, 'metrics.json');
}

describe('seq export', () => {
  const dir = tempFiles({});
  const store = runStore();
  const inputsOf = (name: string): string[] => (name === 'runs' ? [store] : INPUTS);

  it.each(EXPORTABLE.map((dataset) => dataset.name))(
    '%s: as Parquet, every declared field a column of its type, and every row seq query counts',
    async (name) => {
      const file = join(dir, `${name}.parquet`);
      const r = seq(['export', '--dataset', name, '--output', file, ...inputsOf(name)]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const columns = await read(`DESCRIBE SELECT * FROM '${file}'`);
      expect(columns.map((c) => [c.column_name, c.column_type])).toEqual(fieldsOf(name).map((f) => [f.name, DUCKDB_TYPES[f.type]]));
      const counted = jsonLines(seq(['query', '--dataset', name, '--metric', 'count::n', '--format', 'jsonl', ...inputsOf(name)]).stdout) as Array<{
        n: number;
      }>;
      expect(counted[0]?.n).toBeGreaterThan(0);
      expect(await read(`SELECT count(*)::INTEGER AS n FROM '${file}'`)).toEqual(counted);
    },
  );

  it.each(['usage', 'sessions', 'messages'])('%s: the rows of JSON Lines, in order, are the Parquet rows', async (name) => {
    const parquet = join(dir, `${name}-again.parquet`);
    expect(seq(['export', '--dataset', name, '--output', parquet, ...INPUTS]).status).toBe(0);
    const jsonl = jsonLines(seq(['export', '--dataset', name, ...INPUTS]).stdout) as Array<Record<string, unknown>>;
    const fields = fieldsOf(name);
    for (const row of jsonl) expect(Object.keys(row)).toEqual(fields.map((f) => f.name));
    const back = (await read(`SELECT * FROM '${parquet}'`)).map((row) =>
      Object.fromEntries(
        fields.map((f) => {
          const value = row[f.name];
          if (value === null) return [f.name, null];
          if (f.type === 'integer') return [f.name, Number(value)];
          return [f.name, DUCKDB_TYPES[f.type] === 'JSON' ? JSON.parse(value as string) : value];
        }),
      ),
    );
    expect(back).toEqual(jsonl);
    expect(jsonl.length).toBeGreaterThan(20);
  });

  it("messages: the section columns are the sections param's, one has_section_N per label", async () => {
    const plain = join(dir, 'messages-plain.parquet');
    const sections = join(dir, 'messages-sections.parquet');
    expect(seq(['export', '--dataset', 'messages', '--output', plain, ...INPUTS]).status).toBe(0);
    expect(seq(['export', '--dataset', 'messages', '--param', 'sections=["Summary","Tests"]', '--output', sections, ...INPUTS]).status).toBe(0);
    const names = async (file: string): Promise<unknown[]> => (await read(`DESCRIBE SELECT * FROM '${file}'`)).map((c) => `${c.column_name}:${c.column_type}`);
    const base = ['source', 'session_id', 'path', 'timestamp', 'day', 'week', 'month'].map((name) => `${name}:VARCHAR`);
    expect(await names(plain)).toEqual([...base, 'role:VARCHAR', 'text:VARCHAR', 'text_len:BIGINT']);
    expect(await names(sections)).toEqual([
      ...base,
      'role:VARCHAR',
      'text:VARCHAR',
      'text_len:BIGINT',
      'has_section_1:BIGINT',
      'has_section_2:BIGINT',
      'sections_missing:BIGINT',
      'missing_sections:JSON',
      'all_sections:BIGINT',
    ]);
    const query = jsonLines(
      seq([
        'query',
        '--dataset',
        'messages',
        '--param',
        'sections=["Summary","Tests"]',
        '--metric',
        'sum:has_section_1:a',
        '--metric',
        'sum:all_sections:b',
        '--format',
        'jsonl',
        ...INPUTS,
      ]).stdout,
    );
    expect(await read(`SELECT sum(has_section_1)::INTEGER AS a, sum(all_sections)::INTEGER AS b FROM '${sections}'`)).toEqual(query);
  });

  it('tokens per day from the Parquet file agree with seq query', async () => {
    const parquet = join(dir, 'usage-days.parquet');
    expect(seq(['export', '--dataset', 'usage', '--output', parquet, ...INPUTS]).status).toBe(0);
    const days = await read(`SELECT day, sum(total_tokens)::BIGINT::VARCHAR AS tokens FROM '${parquet}' GROUP BY day ORDER BY day`);
    const ours = jsonLines(
      seq(['query', '--dataset', 'usage', '--by', 'day', '--metric', 'sum:total_tokens:tokens', '--sort', 'day', '--format', 'jsonl', ...INPUTS]).stdout,
    ) as Array<{ day: string; tokens: number }>;
    expect(days).toEqual(ours.map((row) => ({ day: row.day, tokens: String(row.tokens) })));
  });

  it('as CSV: the declared header, the same rows as DuckDB reads them, a filter applied', async () => {
    const csv = join(dir, 'tools.csv');
    const r = seq(['export', '--dataset', 'tool_calls', '--where', 'tool ~ ^(Bash|shell)$', '--output', csv, ...INPUTS]);
    expect(r.status).toBe(0);
    const fields = fieldsOf('tool_calls').map((f) => f.name);
    expect(lines(readFileSync(csv, 'utf8'))[0]).toBe(fields.join(','));
    const jsonl = jsonLines(seq(['export', '--dataset', 'tool_calls', '--where', 'tool ~ ^(Bash|shell)$', ...INPUTS]).stdout) as Array<{ tool: string }>;
    expect(jsonl.length).toBeGreaterThan(0);
    expect(new Set(jsonl.map((row) => row.tool))).toEqual(new Set(jsonl.map((row) => row.tool).filter((t) => t === 'Bash' || t === 'shell')));
    expect(await read(`SELECT count(*)::INTEGER AS n FROM read_csv('${csv}', header = true)`)).toEqual([{ n: jsonl.length }]);
  });

  it('usage errors exit 2 with a message; a file that cannot be written exits 1', () => {
    const cases: Array<[string[], RegExp]> = [
      [['export', '--dataset', 'jsonl', dir], /dataset "jsonl" keeps its input's own fields/],
      [['export', '--dataset', 'usage', '--format', 'parquet', dir], /Parquet is written to a file; give --output/],
      [['export', '--dataset', 'usage', '--format', 'xml', dir], /--format: "xml" is not one of parquet, csv, jsonl/],
      [['export', '--dataset', 'nope', dir], /nope/],
    ];
    for (const [args, message] of cases) {
      const r = seq(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    const r = seq(['export', '--dataset', 'usage', '--output', join(dir, 'no/such/folder/u.parquet'), ...INPUTS]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*u\.parquet/);
  });

  it('a failed run (--strict at a malformed line) leaves the old file as it was and nothing beside it', () => {
    const out = tempFiles({ 'usage.parquet': 'the old export' });
    const logs = tempFiles({
      'f3333333-3333-4333-8333-333333333333.jsonl': `${JSON.stringify({ type: 'user', sessionId: 'f3333333-3333-4333-8333-333333333333', message: { role: 'user', content: 'hi' }, timestamp: '2026-01-01T00:00:00.000Z' })}\n{"type": "assistant", cut\n`,
    });
    for (const format of ['parquet', 'csv']) {
      const file = join(out, `usage.${format}`);
      if (format === 'csv') writeFileSync(file, 'the old export');
      const r = seq(['export', '--strict', '--dataset', 'usage', '--output', file, logs]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/f3333333.*:2/);
      expect(readFileSync(file, 'utf8')).toBe('the old export');
    }
    expect(readdirSync(out).sort()).toEqual(['usage.csv', 'usage.parquet']);
    expect(existsSync(join(out, 'usage.parquet'))).toBe(true);
  });
});

describe('where --output goes', () => {
  it('"-" is stdout however it is written; Parquet to stdout is refused', () => {
    const logs = generatedSessions();
    const expected = seq(['export', '--dataset', 'usage', '--format', 'jsonl', logs]).stdout;
    for (const words of [['--output', '-'], ['-o', '-'], ['--output=-']]) {
      const r = seq(['export', '--dataset', 'usage', '--format', 'jsonl', ...words, logs]);
      expect(r, words.join(' ')).toMatchObject({ status: 0, stderr: '' });
      expect(r.stdout).toBe(expected);
    }
    expect(seq(['export', '--dataset', 'usage', '--format', 'parquet', '--output', '-', logs])).toMatchObject({ status: 2, stdout: '' });
  });

  it('a pipe named by --output whose reader goes (--output /dev/stdout | head) is no error', () => {
    const r = sh(`${BIN}/seq export --dataset usage --format csv --output /dev/stdout ${generatedSessions()} | head -1; echo "status \${PIPESTATUS[0]}"`);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toEqual([expect.stringMatching(/^source,session_id,/), 'status 0']);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s while the rows are written leaves the old file and nothing beside it', async (signal, status) => {
    const out = tempFiles({ 'rows.jsonl': 'the old export\n' });
    const fifo = join(out, 'input.jsonl');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(join(BIN, 'seq'), ['query', '--dataset', 'jsonl', '--format', 'jsonl', '--output', join(out, 'rows.jsonl'), fifo], {
      env: env(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const writer = createWriteStream(fifo);
    writer.on('error', () => undefined); // the reader is stopped: what is still written goes nowhere
    writer.write(`${'{"a":1}\n'.repeat(10_000)}`);
    // The signal comes once the rows are being written beside the old file, the input still open.
    const beside = (): string[] => readdirSync(out).filter((name) => name !== 'rows.jsonl' && name !== 'input.jsonl');
    for (let i = 0; i < 500 && beside().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(beside().length).toBeGreaterThan(0);
    child.kill(signal);
    // The status as a shell reports it: 128 + the signal's number for a process that the signal ended (SIGHUP's).
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c, by) => resolve(c ?? (by === null ? null : 128 + constants.signals[by]))));
    writer.destroy();
    expect(code).toBe(status);
    expect(readFileSync(join(out, 'rows.jsonl'), 'utf8')).toBe('the old export\n');
    expect(beside()).toEqual([]);
  });
});
