/** Edge cases found in review, kept as regressions: each ran wrong once. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, run, sh, tempFiles } from '../helpers/cli.js';

describe('seq query --explain', () => {
  it('leaves out the stages that have nothing to do when there is no spec, and the pipe runs', () => {
    const dir = tempFiles({ 'r.jsonl': '{"n":1}\n{"n":2}\n{"n":3}\n' });
    const args = ['query', '--dataset', 'jsonl', '--where', 'n > 1', `${dir}/r.jsonl`];
    const explain = run('seq', [...args, '--explain']).stdout;
    expect(explain).toBe(`seq-scan --dataset jsonl ${dir}/r.jsonl \\\n  | seq-filter --where 'n > 1' \\\n  | seq-format\n`);
    const pipe = sh(explain);
    expect(pipe.status).toBe(0);
    expect(pipe.stdout).toBe(run('seq', args).stdout);
  });

  it('keeps paths that look like options apart with --', () => {
    const dir = tempFiles({ '-weird.jsonl': '{"type":"a"}\n' });
    const query = run('seq', ['query', '--dataset', 'jsonl', '--by', 'type', '--', '-weird.jsonl'], { cwd: dir });
    const explain = run('seq', ['query', '--dataset', 'jsonl', '--by', 'type', '--explain', '--', '-weird.jsonl'], { cwd: dir }).stdout;
    expect(explain).toContain('seq-scan --dataset jsonl -- -weird.jsonl');
    expect(sh(explain, { cwd: dir }).stdout).toBe(query.stdout);
    expect(query.stdout).toBe('type  count\n----  -----\na         1\n');
  });
});

describe('seq and coreutils seq', () => {
  it('keeps its own short options before a subcommand: -f is --format, -s --select, -w --where', () => {
    expect(JSON.parse(run('seq', ['-f', 'json', 'datasets']).stdout)[0].name).toBe('messages');
    expect(run('seq', ['--format', 'csv', '-s', 'name', 'datasets']).stdout.split('\n')[1]).toBe('messages');
  });
});

describe('--output', () => {
  it('is formatted as for a pipe even from a terminal: no colour, 80 columns', () => {
    const dir = tempFiles({ 'r.jsonl': '{"type":"a","n":5}\n{"type":"b","n":10}\n' });
    sh(`script -qec "stty cols 150; seq query --dataset jsonl --select type,n --format chart --output ${dir}/o.txt ${dir}/r.jsonl" /dev/null`);
    const text = sh(`cat ${dir}/o.txt`).stdout;
    expect(text).not.toContain('\x1b[');
    expect(
      text
        .split('\n')
        .filter((l) => l !== '')
        .every((l) => l.length === 80),
    ).toBe(true);
  });

  it('is opened before any input is read, and refuses an empty name', () => {
    // stdin stays open for 4 s: seq must fail at once, not after reading it (timeout would say 124).
    const r = sh('timeout 3 seq query --dataset jsonl --output /nonexistent/x.txt < <(sleep 4 2>/dev/null); echo "status $?" >&2');
    expect(r.stderr).toBe('seq: cannot write /nonexistent/x.txt: no such file or folder\nstatus 1\n');
    expect(run('seq', ['query', '--dataset', 'jsonl', '--output', '']).stderr).toBe('seq: --output needs a file name (see seq query --help)\n');
  });

  it('is left as it was when an input could not be read: a query, a view, a report bundle, an export', () => {
    const dir = tempFiles({ 'r.jsonl': '{"tool":"a"}\n', 'o.txt': 'old\n' });
    for (const args of [
      ['query', '--dataset', 'jsonl', '--by', 'tool', `${dir}/r.jsonl`],
      ['daily', '--no-cache'],
      ['report-bundle', '--no-cache'],
      ['export', '--dataset', 'usage', '--format', 'parquet'],
    ]) {
      const r = run('seq', [...args, '--output', `${dir}/o.txt`, `${dir}/missing.jsonl`]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`seq: ${dir}/o.txt was not written, as an input could not be read (above); a file already there is left as it was\n`);
      expect(sh(`cat ${dir}/o.txt`).stdout).toBe('old\n');
    }
    expect(run('seq', ['query', '--dataset', 'jsonl', '--by', 'tool', '--output', `${dir}/o.txt`, `${dir}/r.jsonl`]).status).toBe(0);
    expect(sh(`cat ${dir}/o.txt`).stdout).toBe('tool  count\n----  -----\na         1\n');
  });
});

describe('odd input', () => {
  it('a pipe as a path: read as JSON Lines; refused, and said so, where session logs are read', () => {
    expect(sh(`seq query --dataset jsonl --by a --format jsonl <(echo '{"a":1}')`).stdout).toBe('{"a":1,"count":1}\n');
    expect(sh(`echo '{"a":2}' | seq query --dataset jsonl --by a --format jsonl /dev/stdin`).stdout).toBe('{"a":2,"count":1}\n');
    // A link to a pipe in a folder walked is refused too (opening it would wait for a writer).
    const dir = tempFiles({});
    const linked = sh(`mkfifo ${dir}/p && ln -s ${dir}/p ${dir}/s.jsonl && timeout 10 seq-scan --dataset usage --no-cache ${dir}; echo "status $?" >&2`);
    expect(linked.stderr).toBe(
      `seq-scan: cannot read ${dir}/s.jsonl: it is a pipe or a device, and session logs are read from files: save it to one first\nstatus 1\n`,
    );
    // A link to /dev/stdin: a pipe too (its real path names no file); the jsonl dataset reads it.
    const stdin = tempFiles({});
    sh(`ln -s /dev/stdin ${stdin}/x.jsonl`);
    expect(sh(`echo '{}' | seq-scan --dataset usage --no-cache ${stdin}; echo "status $?" >&2`).stderr).toBe(
      `seq-scan: cannot read ${stdin}/x.jsonl: it is a pipe or a device, and session logs are read from files: save it to one first\nstatus 1\n`,
    );
    expect(sh(`echo '{"a":3}' | seq query --dataset jsonl --by a --format jsonl ${stdin}`).stdout).toBe('{"a":3,"count":1}\n');
    const session = sh(`echo '{}' | seq-scan --dataset usage /dev/stdin; echo "status $?" >&2`);
    expect(session.stdout).toBe('');
    expect(session.stderr).toBe(
      'seq-scan: cannot read /dev/stdin: it is a pipe or a device, and session logs are read from files: save it to one first\nstatus 1\n',
    );
  });

  it('a broken link whose name would not be read is no error', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, 'tree'));
    writeFileSync(join(dir, 'tree/a.jsonl'), '{"a":1}\n');
    symlinkSync('/nonexistent', join(dir, 'tree/notes.txt'));
    expect(run('seq-scan', ['--dataset', 'jsonl', join(dir, 'tree')])).toEqual({ status: 0, stdout: '{"a":1}\n', stderr: '' });
    symlinkSync('/nonexistent', join(dir, 'tree/b.jsonl'));
    const r = run('seq-scan', ['--dataset', 'jsonl', join(dir, 'tree')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`seq-scan: cannot read ${dir}/tree/b.jsonl: no such file or folder\n`);
  });

  it('a field named __proto__ is a field like any other', () => {
    const input = '{"__proto__":"x","n":1}\n{"__proto__":"x","n":2}\n';
    expect(jsonLines(run('seq-group', ['--by', '__proto__'], { input }).stdout)).toEqual([JSON.parse('{"__proto__":"x","count":2}')]);
    expect(run('seq-format', ['--select', '__proto__,n', '--format', 'csv'], { input }).stdout).toBe('__proto__,n\nx,1\nx,2\n');
  });

  it('a chart of a hundred thousand rows draws', () => {
    const input = Array.from({ length: 100_000 }, (_, i) => JSON.stringify({ k: `k${i}`, n: i })).join('\n');
    const r = run('seq-format', ['--format', 'chart'], { input });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(100_001);
  });

  it('a full disk on stdout is reported once, with status 1', () => {
    const r = sh('seq-filter test/data/records.jsonl > /dev/full');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('seq-filter: cannot write output: no space left on the device\n');
  });

  it.each([
    ['a report', 'seq prices'],
    ['a page of help', 'seq-format --help'],
    ['the version', 'seq --version'],
    ['a statement of SQL', 'seq sql --dataset usage'],
  ])('a full disk under %s is reported once, with status 1', (_what, command) => {
    const r = sh(`${command} > /dev/full`);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${command.split(' ')[0]}: cannot write output: no space left on the device\n`);
  });

  it("a log's control characters quoted in a message are shown escaped, never sent to the terminal", () => {
    const dir = mkdtempSync(join(tmpdir(), 'seq-control-'));
    const line = {
      type: 'assistant',
      sessionId: 's',
      uuid: 'u1',
      timestamp: '2026-11-01T10:00:00Z',
      requestId: 'r1',
      message: { id: 'm1', role: 'assistant', model: 'evil\u001b[31mRED\u001b[0m', content: [], usage: { input_tokens: 5, output_tokens: 3 } },
    };
    writeFileSync(join(dir, 's.jsonl'), `${JSON.stringify(line)}\n`);
    const r = run('seq', ['daily', '--breakdown', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'seq: cost_usd is null where no price is known: evil\\u001b[31mRED\\u001b[0m (1 request, 8 tokens); docs/costs.md says how to add a price\n',
    );
    expect(r.stdout).toContain('evil\\u001b[31mRED\\u001b[0m');
    expect(r.stdout + r.stderr).not.toContain('\u001b');
  });

  it('the --where shorthand reads JSON values, lists and objects too', () => {
    const input = '{"tags":[1,2]}\n{"tags":[2,1]}\n{"tags":"[1,2]"}\n';
    expect(run('seq-filter', ['--where', 'tags == [1,2]'], { input }).stdout).toBe('{"tags":[1,2]}\n');
  });

  it("Python's inline regex flags and escapes work in --where regexes", () => {
    const input = '{"t":"x\\nFOO"}\n{"t":"line1-"}\n{"t":"nothing"}\n';
    expect(run('seq-filter', ['--where', '{"field":"t","op":"regex","value":"(?im)^foo"}'], { input }).stdout).toBe('{"t":"x\\nFOO"}\n');
    expect(run('seq-filter', ['--where', 't ~ line1\\-'], { input }).stdout).toBe('{"t":"line1-"}\n');
  });
});
