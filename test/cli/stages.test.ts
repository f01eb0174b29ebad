/** The executables as a user runs them: real processes, real pipes, real files. */
import { lstatSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { jsonLines, lines, run, sh, tempFiles } from '../helpers/cli.js';

const DATA = 'test/data/records.jsonl';
const EXECUTABLES = ['seq', 'seq-scan', 'seq-filter', 'seq-group', 'seq-format', 'seq-record'];

/** A JSON Lines text of n records. */
function records(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += `${JSON.stringify({ i, k: `k${i % 7}`, v: i % 100 })}\n`;
  return out;
}

describe('every executable', () => {
  it.each(EXECUTABLES)('%s --help shows usage and real examples; --version the version', (name) => {
    const help = run(name, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: /);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain(`${name === 'seq' ? 'seq ' : name}`);
    const version = run(name, ['--version']);
    expect(version).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it.each(EXECUTABLES)('%s refuses an unknown option with status 2 and one line with a hint', (name) => {
    const r = run(name, name === 'seq' ? ['query', '--frobnicate'] : ['--frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const where = name === 'seq' ? 'seq query' : name;
    // A subcommand's mistake points to the subcommand's help.
    expect(r.stderr).toBe(`${name}: unknown option --frobnicate (see ${where} --help)\n`);
  });

  it('offers the near name of a mistyped option, value, command or dataset, and reads seq help CMD, seq version and a dataset named alone', () => {
    const refused: Array<[string[], string]> = [
      [['daily', '--sinse', '2026-01-01'], 'seq: unknown option --sinse; did you mean --since? (see seq daily --help)'],
      [
        ['export', '--dataset', 'usage', '--format', 'parqet'],
        'seq: --format: "parqet" is not one of parquet, csv, jsonl; did you mean parquet? (see seq export --help)',
      ],
      [
        ['query', '--engine', 'duckb', '--dataset', 'usage'],
        'seq: --engine: "duckb" is not one of stages, duckdb, clickhouse; did you mean duckdb? (see seq query --help)',
      ],
      [['dialy'], 'seq: unknown command "dialy"; did you mean daily?; the commands are'],
    ];
    for (const [args, message] of refused) {
      const r = run('seq', args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.startsWith(message), r.stderr).toBe(true);
    }
    expect(run('seq-group', ['--by', 'a', '--metirc', 'count']).stderr).toBe(
      'seq-group: unknown option --metirc; did you mean --metric? (see seq-group --help)\n',
    );
    expect(run('seq', ['help', 'daily'])).toEqual(run('seq', ['daily', '--help']));
    const mistyped = run('seq', ['help', 'dailly']);
    expect(mistyped.status).toBe(2);
    expect(mistyped.stdout).toBe('');
    expect(mistyped.stderr).toBe(run('seq', ['dailly']).stderr);
    expect(mistyped.stderr).toMatch(/^seq: unknown command "dailly"; did you mean daily\?/);
    // At every level, as the command line without help; help and version name seq itself.
    expect(run('seq', ['help', 'cache', 'nope'])).toEqual(run('seq', ['cache', 'nope']));
    expect(run('seq', ['help', 'cache', 'info'])).toEqual(run('seq', ['cache', 'info', '--help']));
    for (const word of ['help', 'version']) expect(run('seq', ['help', word])).toEqual(run('seq', ['--help']));
    expect(run('seq', ['version'])).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(run('seq', ['dataset-schema', 'usage'])).toEqual(run('seq', ['dataset-schema', '--dataset', 'usage']));
  });

  it('reads a value joined to its short option as getopt does, and says which flag lacks its value', () => {
    const input = '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n';
    const csv = 'a,b\n1,x\n2,y\n';
    expect(run('seq-format', ['-fcsv'], { input }).stdout).toBe(csv);
    expect(run('seq-format', ['-sa,b', '-fcsv'], { input }).stdout).toBe(csv);
    expect(run('seq-format', ['-n1'], { input }).stdout).toBe('{"a":1,"b":"x"}\n');
    expect(run('seq-filter', ['-wa>1'], { input }).stdout).toBe('{"a":2,"b":"y"}\n');
    expect(run('seq', ['-fcsv', '-n1', 'query', '--dataset', 'jsonl', '--select', 'a'], { input }).stdout).toBe('a\n1\n');
    for (const [command, args, name, help] of [
      ['seq-filter', ['--where'], 'where', 'seq-filter'],
      ['seq-group', ['--by'], 'by', 'seq-group'],
      ['seq-format', ['--limit'], 'limit', 'seq-format'],
      ['seq-format', ['-n'], 'limit', 'seq-format'],
      ['seq', ['query', '--dataset'], 'dataset', 'seq query'],
    ] as const) {
      expect(run(command, [...args], { input })).toEqual({ status: 2, stdout: '', stderr: `${command}: --${name} needs a value (see ${help} --help)\n` });
    }
    // --no-color is --color never; another flag that takes a value has no --no- form.
    expect(run('seq-format', ['--no-color', '--format', 'table'], { input }).stdout).toBe(
      run('seq-format', ['--color', 'never', '--format', 'table'], { input }).stdout,
    );
    expect(run('seq-filter', ['--no-where', 'a>1'], { input }).stderr).toBe(
      'seq-filter: --no-where: --where takes a value, and has no --no- form (see seq-filter --help)\n',
    );
  });

  it.each([
    ['seq-scan', ['--dataset', 'jsonl']],
    ['seq-filter', ['--where', 'v >= 0']],
    ['seq-group', ['--by', 'i']],
    ['seq-format', ['--format', 'csv']],
    ['seq', ['query', '--dataset', 'jsonl']],
  ])('%s stops quietly with status 0 when its reader goes away (| head -1)', (name, args) => {
    const big = tempFiles({ 'big.jsonl': records(200_000) });
    const r = sh(`${name} ${args.map((a) => `'${a}'`).join(' ')} < ${big}/big.jsonl | head -1; echo "status \${PIPESTATUS[0]}" >&2`);
    expect(r.stderr).toBe('status 0\n');
    expect(lines(r.stdout)).toHaveLength(1);
  });

  it.each([
    ['seq-scan', ['--dataset', 'jsonl']],
    ['seq-filter', []],
    ['seq-format', []],
  ])('%s writes all of a large output to a slow reader (never cut short)', (name, args) => {
    const big = tempFiles({ 'big.jsonl': records(150_000) });
    const r = sh(`${name} ${args.join(' ')} < ${big}/big.jsonl | (sleep 0.5; wc -l)`);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('150000');
  });
});

describe('input', () => {
  it('reads stdin when given no file, and files in order otherwise, - for stdin', () => {
    const dir = tempFiles({ 'a.jsonl': '{"n":1}\n{"n":2}\n', 'b.jsonl': '{"n":3}' });
    expect(run('seq-filter', [], { input: '{"n":0}\n' }).stdout).toBe('{"n":0}\n');
    expect(run('seq-filter', [`${dir}/b.jsonl`, '-', `${dir}/a.jsonl`], { input: '{"n":0}\n' }).stdout).toBe('{"n":3}\n{"n":0}\n{"n":1}\n{"n":2}\n');
  });

  it('skips, counts and reports malformed lines once, with the place of the first', () => {
    const input = `${['{"a":1}', '', 'not json', '{"a":2}', '[1,2]', '   ', '{"a":', '"text"', '{"a":3}'].join('\n')}\n`;
    const r = run('seq-group', ['--by', 'a'], { input });
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      { a: 1, count: 1 },
      { a: 2, count: 1 },
      { a: 3, count: 1 },
    ]);
    expect(r.stderr).toBe('seq-group: skipped 4 malformed lines (first: stdin:3)\n');
  });

  it('names the file and line of a malformed line; CRLF, a BOM and a last line without newline are fine', () => {
    const dir = tempFiles({ 'x.jsonl': '\uFEFF{"a":1}\r\n{"a":2}\r\n{oops}\r\n{"a":3}' });
    const r = run('seq-filter', [`${dir}/x.jsonl`]);
    expect(r.stdout).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
    expect(r.stderr).toBe(`seq-filter: skipped 1 malformed line (first: ${dir}/x.jsonl:3)\n`);
    expect(r.status).toBe(0);
  });

  it('--strict stops at the first malformed line with status 1', () => {
    const input = '{"a":1}\n{"a":2}\nnope\n{"a":3}\n';
    const r = run('seq-filter', ['--strict'], { input });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^seq-filter: stdin:3: malformed line \(.+\); stopped by --strict\n$/);
    const q = run('seq', ['query', '--dataset', 'jsonl', '--strict'], { input });
    expect(q.status).toBe(1);
    expect(q.stderr).toMatch(/^seq: stdin:3: malformed line/);
  });

  it('a file that cannot be read is reported, the others are still read, and the status is 1', () => {
    const dir = tempFiles({ 'ok.jsonl': '{"a":1}\n' });
    const r = run('seq-filter', [`${dir}/missing.jsonl`, `${dir}/ok.jsonl`]);
    expect(r.stdout).toBe('{"a":1}\n');
    expect(r.stderr).toBe(`seq-filter: cannot read ${dir}/missing.jsonl: no such file or folder\n`);
    expect(r.status).toBe(1);
  });

  it('seq-scan walks folders in name order, reads *.jsonl and *.ndjson, follows links without looping', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, 'b/deeper'), { recursive: true });
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'b/deeper/3.jsonl'), '{"n":3}\n');
    writeFileSync(join(dir, 'b/2.ndjson'), '{"n":2}\n');
    writeFileSync(join(dir, 'a/1.jsonl'), '{"n":1}\n');
    writeFileSync(join(dir, 'a/notes.txt'), 'not records\n');
    symlinkSync(dir, join(dir, 'b/loop'));
    const r = run('seq-scan', ['--dataset', 'jsonl', dir]);
    expect(r.stderr).toBe(`seq-scan: not following ${dir}/b/loop: it leads to ${realpathSync(dir)}, which is read already\n`);
    expect(r.stdout).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    expect(r.status).toBe(0);
  });

  it('seq-scan keeps records inside --since/--until, read in --tz; a date alone is the whole day', () => {
    const ids = (args: string[]): unknown[] => jsonLines(run('seq-scan', ['--dataset', 'jsonl', DATA, ...args]).stdout).map((r) => (r as { id: number }).id);
    expect(ids(['--since', '2026-01-03', '--until', '2026-01-03'])).toEqual([5, 6]);
    expect(ids(['--since', '2026-01-03', '--until', '2026-01-03', '--tz', 'America/New_York'])).toEqual([6]);
    expect(ids(['--since', '2026-01-02T23:59:59.999Z', '--until', '2026-01-03T00:00:00Z'])).toEqual([3, 5]);
  });
});

describe('stage flags and specs', () => {
  it('seq-filter takes the shorthand a person types', () => {
    const ids = (where: string[]): unknown[] =>
      jsonLines(run('seq-filter', [...where.flatMap((w) => ['--where', w]), DATA]).stdout).map((r) => (r as { id: number }).id);
    expect(ids(['tool == Bash'])).toEqual([1, 4, 9]);
    expect(ids(['tokens > 1000'])).toEqual([1, 3]);
    expect(ids(['tool ~ ^mcp__'])).toEqual([3, 6]);
    expect(ids(['model in [o3,gpt-5]', 'cwd exists'])).toEqual([4]);
    expect(ids(['meta.files >= 3'])).toEqual([6, 8]);
    expect(ids(['{"field":"note","op":"contains","value":"EMOJI","case_insensitive":true}'])).toEqual([9]);
  });

  it('seq-group takes --by and repeated --metric', () => {
    const r = run('seq-group', ['--by', 'source', '--metric', 'count', '--metric', 'sum:tokens:tokens', '--metric', 'count_distinct:tool:tools', DATA]);
    expect(jsonLines(r.stdout)).toEqual([
      { source: 'claude', count: 5, tokens: 2319.5, tools: 4 },
      { source: 'codex', count: 5, tokens: 5127, tools: 5 },
    ]);
  });

  it('seq-group with nothing to group by is a usage error', () => {
    const r = run('seq-group', [], { input: '{"a":1}\n' });
    expect(r).toEqual({ status: 2, stdout: '', stderr: 'seq-group: nothing to group by; give --by FIELD, --metric OP:FIELD, or a --spec with group_by\n' });
  });

  it('a bad spec is refused with its exact place and status 2, before any input is read', () => {
    const spec = '{"dataset":"jsonl","group_by":["tool"],"metrics":[{"op":"median","field":"tokens"}]}';
    for (const name of ['seq-scan', 'seq-filter', 'seq-group', 'seq-format']) {
      const r = run(name, ['--spec', spec], { input: 'garbage that would be reported\n' });
      expect(r).toEqual({
        status: 2,
        stdout: '',
        stderr: `${name}: spec.metrics[0].op: unknown op "median"; expected one of count, sum, sum_strict, min, max, avg, count_distinct\n`,
      });
    }
  });

  it('spec files: @file, a bare .json path, and clear errors for what is neither', () => {
    const dir = tempFiles({ 'ok.json': '{"dataset":"jsonl","group_by":"tool","sort":"-count","limit":1}', 'bad.json': '{"dataset":"jsonl",\n  "where": [}\n' });
    expect(run('seq', ['query', '--spec', `@${dir}/ok.json`, DATA]).stdout).toBe('tool  count\n----  -----\nBash      3\n');
    expect(run('seq', ['query', '--spec', `${dir}/ok.json`, DATA]).stdout).toBe('tool  count\n----  -----\nBash      3\n');
    expect(run('seq', ['query', '--spec', `@${dir}/nope.json`, DATA])).toEqual({
      status: 2,
      stdout: '',
      stderr: `seq: --spec: cannot read ${dir}/nope.json: no such file or folder\n`,
    });
    const bad = run('seq', ['query', '--spec', `@${dir}/bad.json`, DATA]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`seq: ${dir}/bad.json: invalid JSON at line 2, column 13: expected a value, got "}"\n`);
    expect(run('seq', ['query', '--spec', 'skills-rank', DATA]).stderr).toBe(
      `seq: --spec: "skills-rank" is neither JSON nor a .json file; write --spec @file.json or --spec '{"dataset":"..."}'\n`,
    );
  });

  it('seq-format reads what seq-group writes: sort descending, limit, every format', () => {
    const grouped = 'seq-group --by tool test/data/records.jsonl';
    expect(sh(`${grouped} | seq-format --sort -count,tool --limit 2 --format csv`).stdout).toBe('tool,count\nBash,3\nEdit,1\n');
    expect(sh(`${grouped} | seq-format --sort=-count --limit 1`).stdout).toBe('{"tool":"Bash","count":3}\n');
    expect(sh(`${grouped} | seq-format -n 1 --sort -count -f markdown`).stdout).toBe('| tool | count |\n| ---- | ----: |\n| Bash |     3 |\n');
    expect(JSON.parse(sh(`${grouped} | seq-format --format json`).stdout)).toHaveLength(8);
  });

  it('seq-format with --limit and no sort stops reading an endless input', () => {
    // yes itself dies of SIGPIPE then; the status that matters is seq-format's.
    const r = sh(`yes '{"a":1}' | seq-format --limit 2; echo "status \${PIPESTATUS[1]}" >&2`);
    expect(r.stdout).toBe('{"a":1}\n{"a":1}\n');
    expect(r.stderr).toBe('status 0\n');
  });

  it('stopping at the limit leaves the unfinished line of the last read unread, not malformed, from a pipe or a file', () => {
    // 9-byte lines: no read of 64 KiB or 1 MiB ends at a line's end.
    const dir = tempFiles({ 'n.jsonl': '{"a":12}\n'.repeat(200_000) });
    const file = join(dir, 'n.jsonl');
    expect(sh(`cat ${file} | seq-format --limit 1 --strict; echo "status \${PIPESTATUS[1]}" >&2`)).toEqual({
      status: 0,
      stdout: '{"a":12}\n',
      stderr: 'status 0\n',
    });
    expect(run('seq-format', ['--limit', '1', '--strict', file])).toEqual({ status: 0, stdout: '{"a":12}\n', stderr: '' });
    expect(run('seq', ['query', '--dataset', 'jsonl', '--limit', '1', '--strict', file])).toEqual({ status: 0, stdout: '{"a":12}\n', stderr: '' });
  });

  it('seq query --output writes the file whole, and a failed run leaves the old one in place', () => {
    const dir = tempFiles({});
    const out = join(dir, 'report.csv');
    const ok = run('seq', ['query', '--dataset', 'jsonl', '--by', 'source', '--format', 'csv', '--output', out, DATA]);
    expect(ok).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe('source,count\nclaude,5\ncodex,5\n');
    const failed = run('seq', ['query', '--dataset', 'jsonl', '--select', 'tool', '--format', 'chart', '--output', out, DATA]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe('seq: chart needs a column of numbers to draw; the columns are tool (choose two with --select LABEL,VALUE)\n');
    expect(readFileSync(out, 'utf8')).toBe('source,count\nclaude,5\ncodex,5\n');
    expect(sh(`ls -A ${dir}`).stdout).toBe('report.csv\n');
  });

  it('--output through a link replaces the file it leads to; a pipe gets the output whole at the end; a folder is refused', () => {
    const dir = tempFiles({});
    const args = ['query', '--dataset', 'jsonl', '--by', 'source', '--format', 'csv', DATA];
    mkdirSync(join(dir, 'kept'));
    writeFileSync(join(dir, 'kept', 'report.csv'), 'old\n');
    symlinkSync(join('kept', 'report.csv'), join(dir, 'link.csv'));
    expect(run('seq', [...args, '--output', join(dir, 'link.csv')]).status).toBe(0);
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'kept', 'report.csv'), 'utf8')).toBe('source,count\nclaude,5\ncodex,5\n');
    symlinkSync('made.csv', join(dir, 'ahead.csv'));
    expect(run('seq', [...args, '--output', join(dir, 'ahead.csv')]).status).toBe(0);
    expect(readFileSync(join(dir, 'made.csv'), 'utf8')).toBe('source,count\nclaude,5\ncodex,5\n');
    const piped = sh(`seq ${args.join(' ')} --output >(tr a-z A-Z > ${join(dir, 'upper.csv')}); sleep 0.2; cat ${join(dir, 'upper.csv')}`);
    expect(piped.stdout).toBe('SOURCE,COUNT\nCLAUDE,5\nCODEX,5\n');
    const fifo = join(dir, 'fifo');
    sh(`mkfifo ${fifo}`);
    expect(
      sh(`(cat ${fifo} > ${join(dir, 'from-fifo.csv')} &); seq ${args.join(' ')} --output ${fifo}; sleep 0.2; cat ${join(dir, 'from-fifo.csv')}`).stdout,
    ).toBe('source,count\nclaude,5\ncodex,5\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const appended = join(dir, 'appended.csv');
    writeFileSync(appended, 'previous line\n');
    expect(sh(`seq ${args.join(' ')} --output /dev/stdout >> ${appended}`).status).toBe(0);
    expect(readFileSync(appended, 'utf8')).toBe('previous line\nsource,count\nclaude,5\ncodex,5\n');
    symlinkSync('second', join(dir, 'first'));
    symlinkSync(join('deeper', 'made.csv'), join(dir, 'second'));
    mkdirSync(join(dir, 'deeper'));
    expect(run('seq', [...args, '--output', join(dir, 'first')]).status).toBe(0);
    expect(lstatSync(join(dir, 'second')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'deeper', 'made.csv'), 'utf8')).toBe('source,count\nclaude,5\ncodex,5\n');
    expect(run('seq', [...args, '--output', dir])).toEqual({
      status: 1,
      stdout: '',
      stderr: `seq: cannot write ${dir}: it is a folder; give the name of a file\n`,
    });
  });

  it('seq accepts options before the subcommand, suggests near commands', () => {
    expect(run('seq', ['--dataset', 'jsonl', '--by', 'source', 'query', DATA]).stdout).toBe('source  count\n------  -----\nclaude      5\ncodex       5\n');
    expect(run('seq', ['qeury'])).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'seq: unknown command "qeury"; did you mean query?; the commands are query, sources, datasets, dataset-schema, export, sql, push, daily, weekly, monthly, session, skills-rank, skill-trend, skill-report, role-breakdown, section-audit, occurrence-export, report-bundle, token-usage, report, blocks, prices, statusline, watch, stats, cache, completion\n',
    });
  });

  it('hands number sequences to coreutils seq, which ours may shadow on PATH', () => {
    expect(sh('type -p seq').stdout).toContain('/bin/seq');
    expect(sh('seq 2 4; seq -s, 3').stdout).toBe('2\n3\n4\n1,2,3\n');
    // Cut short by `head`, it ends as coreutils' own does: killed by SIGPIPE, 141 to a shell.
    const statuses = 'echo "$' + '{PIPESTATUS[*]}"';
    expect(sh(`seq 1 1000000 | head -1; ${statuses}; /usr/bin/seq 1 1000000 | head -1; ${statuses}`).stdout).toBe('1\n141 0\n1\n141 0\n');
  });

  it('seq datasets and seq dataset-schema describe the registry', () => {
    const names = [
      'messages',
      'skill_mentions',
      'token_events',
      'token_deltas',
      'token_sessions',
      'tool_calls',
      'tool_outputs',
      'usage',
      'sessions',
      'runs',
      'jsonl',
    ];
    const listed = JSON.parse(run('seq', ['datasets', '--format', 'json']).stdout) as Array<{ name: string; description: string }>;
    expect(listed.map((d) => d.name)).toEqual(names);
    expect(listed.every((d) => d.description.length > 20)).toBe(true);
    expect(run('seq', ['datasets']).stdout).toMatch(/^name\s+fields\s+params\s+description\n-+/);
    const schema = jsonLines(run('seq', ['dataset-schema', '--dataset', 'token_deltas', '--format', 'jsonl']).stdout) as Array<Record<string, unknown>>;
    expect(schema[0]).toMatchObject({ kind: 'dataset', name: 'token_deltas' });
    expect(schema.filter((r) => r.kind === 'field').map((r) => r.name)).toContain('delta_total_tokens');
    expect(schema.filter((r) => r.kind === 'param')).toEqual([
      { kind: 'param', name: 'include_base', type: 'boolean', default: true, description: expect.any(String) },
      { kind: 'param', name: 'include_zero', type: 'boolean', default: false, description: expect.any(String) },
      { kind: 'param', name: 'dedupe', type: 'boolean', default: true, description: expect.any(String) },
      { kind: 'param', name: 'prices', type: 'string', default: '', description: expect.any(String) },
      { kind: 'param', name: 'cost', type: 'boolean', default: true, description: expect.any(String) },
    ]);
    expect(run('seq', ['dataset-schema', '--dataset', 'usage', '--select', 'name', '--format', 'csv']).stdout).toMatch(/^name\nusage\nsource\nsession_id\n/);
    expect(run('seq', ['dataset-schema', '--dataset', 'nope']).stderr).toBe(`seq: --dataset: unknown dataset "nope"; expected one of ${names.join(', ')}\n`);
  });
});

describe('terminal', () => {
  const tty = (command: string, env = ''): string =>
    sh(`script -qec ${JSON.stringify(`stty cols 60; ${env} ${command}`)} /dev/null`).stdout.replace(/\r\n/g, '\n');

  it('colours the table header on a terminal, not in a pipe, never with NO_COLOR', () => {
    const command = 'seq query --dataset jsonl --by source test/data/records.jsonl';
    expect(tty(command)).toContain('\x1b[1msource  count\x1b[22m');
    expect(tty(command, 'NO_COLOR=1')).not.toContain('\x1b[');
    expect(run('seq', ['query', '--dataset', 'jsonl', '--by', 'source', DATA]).stdout).not.toContain('\x1b[');
  });

  it('fits the chart to the terminal width, or 80 columns in a pipe', () => {
    const chart = 'seq query --dataset jsonl --by day --metric sum:tokens:t --format chart --color never test/data/records.jsonl';
    const onTerminal = lines(tty(chart));
    expect(onTerminal.length).toBe(5);
    expect(onTerminal.every((line) => line.length === 60)).toBe(true);
    const piped = lines(run('seq', chart.split(' ').slice(1)).stdout);
    expect(piped.every((line) => line.length === 80)).toBe(true);
  });
});
