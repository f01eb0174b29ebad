/**
 * The engines run as a user runs them: every spec in specs/ through `seq query --engine duckdb`
 * gives what the stages give, byte for byte; the SELECT `seq sql` prints, in each dialect, runs
 * on a real DuckDB and on ClickHouse's engine (chdb) over the dataset's Parquet export and gives
 * the same rows.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { SELECT_SETTINGS } from '../../lib/engines/clickhouse.js';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { chdbSession, requireChdb } from '../helpers/chdb.js';
import { jsonLines, ROOT, run, tempFiles } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';

const INPUTS = [generatedSessions(), ...(hasFixtures ? [FIXTURES] : [])];
const SPECS = readdirSync(join(ROOT, 'specs')).filter((name) => name.endsWith('.json'));

interface SpecFile {
  dataset: string;
  sort?: string[];
  limit?: number;
}

const specOf = (name: string): SpecFile => JSON.parse(readFileSync(join(ROOT, 'specs', name), 'utf8')) as SpecFile;

describe('seq query --engine duckdb', () => {
  it.each(SPECS)('%s: the output of the stages, byte for byte', (name) => {
    const stages = run('seq', ['query', '--spec', `@specs/${name}`, ...INPUTS]);
    const duckdb = run('seq', ['query', '--engine', 'duckdb', '--spec', `@specs/${name}`, ...INPUTS]);
    expect(stages.status).toBe(0);
    if (specOf(name).dataset === 'jsonl') {
      expect(duckdb).toEqual({
        status: 2,
        stdout: '',
        stderr: 'seq: --engine duckdb: dataset "jsonl" keeps its input\'s own fields, so it has no table; run it with --engine stages\n',
      });
      return;
    }
    expect(duckdb).toEqual(stages);
    expect(stages.stdout.split('\n').length).toBeGreaterThan(2);
  });

  it('refuses what it cannot run as the stages do, before reading anything, with the spec path', () => {
    const r = run('seq', ['query', '--engine', 'duckdb', '--dataset', 'usage', '--where', 'model ~ (a)\\1', '/nonexistent']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "seq: spec.where[0].value: back-references have no RE2 form; no SQL engine gives the stages' answer to it (seq query --engine stages does)\n",
    );
    const refused: Array<[string[], string]> = [
      [['--engine', 'sqlite', '--dataset', 'usage'], 'seq: --engine: "sqlite" is not one of stages, duckdb, clickhouse (see seq query --help)\n'],
      [
        ['--engine', 'duckdb', '--explain', '--dataset', 'usage'],
        'seq: --explain prints the pipe of the stages; seq sql prints the SELECT that --engine duckdb runs\n',
      ],
      [
        ['--engine', 'duckdb', '--dataset', 'runs'],
        'seq: --engine duckdb: dataset "runs" keeps its records\' own keys beside its fields, so its rows are no table\'s; run it with --engine stages\n',
      ],
      [
        ['--engine', 'duckdb', '--dataset', 'usage', '--where', 'metrics.x exists'],
        'seq: spec.where[0].field: "metrics.x" is no field of usage (seq dataset-schema --dataset usage lists them)\n',
      ],
    ];
    for (const [args, stderr] of refused) expect(run('seq', ['query', ...args, '/nonexistent'])).toEqual({ status: 2, stdout: '', stderr });
  });
});

describe('values and patterns the engines read otherwise', () => {
  // One Claude request per tool name: a leading U+FEFF, Greek capitals, a line feed, a NUL.
  const tools = ['\ufeffRead', 'Read', 'ΟΔΟΣ', 'a\nb', 'a012b', 'a\u0000b'];
  const logs = tempFiles({
    's.jsonl': tools
      .map((name, i) =>
        JSON.stringify({
          type: 'assistant',
          sessionId: 's1',
          uuid: `u${i}`,
          requestId: `r${i}`,
          timestamp: `2026-03-01T10:00:0${i}.000Z`,
          message: {
            id: `m${i}`,
            role: 'assistant',
            model: 'claude-opus-4-6',
            content: [{ type: 'tool_use', id: `t${i}`, name, input: {} }],
            usage: { input_tokens: 1, output_tokens: 1 },
          },
        }),
      )
      .join('\n'),
  });
  it.each([
    [['--by', 'tool', '--format', 'jsonl']],
    [['--where', 'tool ~ a\\012b', '--select', 'tool']],
    [['--where', 'tool ~ ^a\\08?b', '--select', 'tool']],
    [['--where', 'tool ~ (?<$x>R)ead', '--select', 'tool']],
    [['--where', 'tool icontains ΟΔΟΣ', '--select', 'tool']],
    [['--where', '{"field":"tool","op":"eq","value":"a\\u0000b"}', '--select', 'tool']],
  ])('%j: the rows of the stages', (args) => {
    const stages = run('seq', ['query', '--dataset', 'tool_calls', ...args, logs]);
    expect(stages.status).toBe(0);
    expect(stages.stdout).not.toBe('');
    expect(run('seq', ['query', '--engine', 'duckdb', '--dataset', 'tool_calls', ...args, logs])).toEqual(stages);
  });

  it('a pattern DuckDB cannot compile is refused before any log is read', () => {
    const r = run('seq', ['query', '--engine', 'duckdb', '--dataset', 'tool_calls', '--where', 'tool ~ (?:\\w{50}){30}', '/nonexistent']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^seq: --engine duckdb cannot run this query: .*repetition.*; run it with --engine stages\n$/);
  });
});

describe('DuckDB is loaded only where it runs', () => {
  it('a plain seq query never loads it; --engine duckdb and seq export --format parquet do', () => {
    const dir = tempFiles({});
    const hook = join(dir, 'hook.cjs');
    // Preloaded into each run: writes a file when anything requires the DuckDB package.
    writeFileSync(
      hook,
      `const Module = require('node:module'); const fs = require('node:fs'); const load = Module._load;
Module._load = function (request, ...rest) { if (request === '@duckdb/node-api') fs.writeFileSync(process.env.SEQ_TEST_MARK, 'loaded'); return load.call(this, request, ...rest); };`,
    );
    const loads = (args: string[]): boolean => {
      const mark = join(dir, `mark-${args.join('-').replace(/[^a-z]/g, '')}`);
      const r = run('seq', args, { env: { NODE_OPTIONS: `--require ${hook}`, SEQ_TEST_MARK: mark } });
      expect(r.status, r.stderr).toBe(0);
      return existsSync(mark);
    };
    const query = ['query', '--dataset', 'usage', '--by', 'model', ...INPUTS];
    expect(loads(query)).toBe(false);
    expect(loads(['export', '--dataset', 'usage', '--format', 'csv', ...INPUTS])).toBe(false);
    expect(loads([...query, '--engine', 'duckdb'])).toBe(true);
    expect(loads(['export', '--dataset', 'usage', '--output', join(dir, 'u.parquet'), ...INPUTS])).toBe(true);
  });
});

describe('seq sql', () => {
  const withTables = SPECS.filter((name) => specOf(name).dataset !== 'jsonl');
  const parquets = new Map<string, string>();
  const parquetOf = (dataset: string): string => {
    let file = parquets.get(dataset);
    if (file === undefined) {
      file = join(tempFiles({}), `${dataset}.parquet`);
      expect(run('seq', ['export', '--dataset', dataset, '--output', file, ...INPUTS]).status).toBe(0);
      parquets.set(dataset, file);
    }
    return file;
  };

  /** Without the rows' order, ties may come in another order: the sort keys' values must agree, and the rows as a set when all are there. */
  function agree(name: string, rows: Array<Record<string, unknown>>): void {
    const spec = specOf(name);
    const ours = jsonLines(run('seq', ['query', '--spec', `@specs/${name}`, '--format', 'jsonl', ...INPUTS]).stdout) as Array<Record<string, unknown>>;
    const keys = (spec.sort ?? []).map((key) => key.replace(/^-/, ''));
    const project = (list: Array<Record<string, unknown>>): unknown[] => list.map((row) => keys.map((key) => row[key]));
    expect(project(rows)).toEqual(project(ours));
    if (spec.limit === undefined) expect(rows.map((row) => JSON.stringify(row)).sort()).toEqual(ours.map((row) => JSON.stringify(row)).sort());
    expect(rows.length).toBe(ours.length);
  }

  it.each(withTables)('%s: its DuckDB SELECT, run by DuckDB on the Parquet export, gives the same rows', async (name) => {
    const sql = run('seq', ['sql', '--spec', `@specs/${name}`]);
    expect(sql.status).toBe(0);
    expect(sql.stdout).toMatch(/^SELECT [\s\S]*;\n$/);
    const dataset = specOf(name).dataset;
    const db = await DuckDBInstance.create(':memory:');
    const duck = await db.connect();
    await duck.run(`CREATE VIEW "${dataset}" AS SELECT * FROM '${parquetOf(dataset)}'`);
    const rows = (await duck.runAndReadAll(sql.stdout))
      .getRowObjects()
      .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value])));
    duck.closeSync();
    db.closeSync();
    agree(name, rows);
  });

  it.skipIf(!requireChdb()).each(withTables)('%s: its ClickHouse SELECT, run by chdb on the Parquet export, gives the same rows', (name) => {
    const sql = run('seq', ['sql', '--dialect', 'clickhouse', '--spec', `@specs/${name}`]);
    expect(sql.status).toBe(0);
    const dataset = specOf(name).dataset;
    const session = chdbSession();
    try {
      session.query(`CREATE VIEW "${dataset}" AS SELECT * FROM file('${parquetOf(dataset)}', Parquet)`);
      const out = session.query(`${sql.stdout.replace(/;\n$/, '')}\n${SELECT_SETTINGS}`, 'JSONEachRow');
      agree(
        name,
        out
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      );
    } finally {
      session.close();
    }
  });

  it.skipIf(!requireChdb())('a name with a backslash or a quote is written as ClickHouse reads it', () => {
    const sql = run('seq', ['sql', '--dialect', 'clickhouse', '--dataset', 'tool_calls', '--by', 'kind', '--metric', 'count::x\\', '--metric', 'count::a"b']);
    expect(sql.status).toBe(0);
    const session = chdbSession();
    try {
      session.query(`CREATE VIEW "tool_calls" AS SELECT * FROM file('${parquetOf('tool_calls')}', Parquet)`);
      const first = session.query(sql.stdout.replace(/;\n$/, ''), 'JSONEachRow').split('\n')[0] as string;
      expect(Object.keys(JSON.parse(first) as object)).toEqual(['kind', 'x\\', 'a"b']);
    } finally {
      session.close();
    }
  });

  it('prints nothing but the SELECT, and refuses what it does not know', () => {
    expect(run('seq', ['sql', '--dataset', 'usage', '--by', 'day', '--metric', 'sum:total_tokens:tokens', '--sort', 'day'])).toEqual({
      status: 0,
      stdout: [
        'SELECT "day" AS "day",',
        '  (CASE WHEN isfinite(coalesce(sum(CAST("total_tokens" AS DOUBLE)), 0)) THEN coalesce(sum(CAST("total_tokens" AS DOUBLE)), 0) END) AS "tokens"',
        'FROM "usage"',
        'GROUP BY "day"',
        'ORDER BY "day" ASC NULLS LAST;',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(run('seq', ['sql', '--dataset', 'usage', '--dialect', 'sqlite'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'seq: --dialect: "sqlite" is not one of duckdb, clickhouse (see seq sql --help)\n',
    });
    expect(run('seq', ['sql', '--dataset', 'jsonl']).status).toBe(2);
    expect(run('seq', ['sql', '--dataset', 'runs']).stderr).toBe(
      'seq: dataset "runs" keeps its records\' own keys beside its fields, so its rows are no table\'s (see seq sql --help)\n',
    );
    expect(run('seq', ['sql', '--dataset', 'usage', '--select', 'model,typo']).stderr).toBe(
      'seq: spec.select[1]: "typo" is no field of usage (seq dataset-schema --dataset usage lists them)\n',
    );
    expect(run('seq', ['sql', '--dataset', 'usage', '--by', 'model', '--sort', '-cnt']).stderr).toBe(
      'seq: spec.sort[0]: "cnt" is no column of the grouped rows (they are model, count)\n',
    );
  });
});
