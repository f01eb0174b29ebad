/** Bad input never stops a scan: each case is skipped or handled, counted, and reported once. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, run, sh, tempFiles } from '../helpers/cli.js';
import { FIXTURES, requireFixtures } from '../helpers/sessions.js';

const ready = requireFixtures();
const CODEX = 'codex/sessions/2026/01/02/rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl';
const CLAUDE = 'claude/projects/-Users-dain-workspace-danieldemmel-me-next/5ed31c36-bca8-40fd-8d24-f1a1f0af7901.jsonl';

function total(root: string, extra: string[] = []): { status: number | null; rows: unknown[]; stderr: string } {
  const r = run('seq', ['query', '--dataset', 'usage', '--by', 'source', '--metric', 'sum:total_tokens:t', '--format', 'jsonl', ...extra, root]);
  return { status: r.status, rows: jsonLines(r.stdout), stderr: r.stderr };
}

describe.skipIf(!ready)('bad session input', () => {
  const codex = (): string => readFileSync(join(FIXTURES, CODEX), 'utf8');

  it('a truncated last line (a session still being written) is skipped and reported with its place', () => {
    const text = codex();
    const cut = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 40); // the last line, cut after 40 bytes
    const dir = tempFiles({ 'rollout-a.jsonl': cut });
    const lines = cut.split('\n').length;
    const r = total(dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`seq: skipped 1 malformed line (first: ${dir}/rollout-a.jsonl:${lines})\n`);
    expect(r.rows).toEqual([{ source: 'codex', t: 22774 }]);
  });

  it('an empty file gives nothing and says nothing; binary garbage is not a session log', () => {
    const dir = tempFiles({ 'empty.jsonl': '', 'garbage.jsonl': Buffer.from([0, 159, 146, 150, 255, 10, 1, 2, 3]) });
    const r = total(dir);
    expect(r.status).toBe(0);
    expect(r.rows).toEqual([]);
    expect(r.stderr).toBe(
      `seq: skipped 1 file that is not a session log (first: ${dir}/garbage.jsonl: not a session log of any agent seq reads (line 1 is none of theirs; seq sources lists them))\n`,
    );
  });

  it('invalid UTF-8 is read with replacement characters, and counted', () => {
    const text = readFileSync(join(FIXTURES, CLAUDE));
    const at = text.indexOf('"text":"') + 8;
    const broken = Buffer.concat([text.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff]), text.subarray(at)]);
    const dir = tempFiles({ 's.jsonl': broken });
    // The messages dataset decodes the user line that holds the bad bytes.
    const r = run('seq', ['query', '--dataset', 'messages', '--where', 'text ~ \ufffd', '--select', 'role', '--format', 'jsonl', dir]);
    expect(jsonLines(r.stdout)).toEqual([{ role: 'user' }]);
    expect(r.stderr).toBe(`seq: read 1 line with a repair (first: ${dir}/s.jsonl:1: invalid UTF-8 replaced by U+FFFD)\n`);
  });

  it('a line of 100 MB is skipped without being held, and reported', () => {
    const huge = `{"timestamp":"2026-01-02T16:40:00Z","type":"event_msg","payload":{"type":"agent_message","message":"${'x'.repeat(100 * 1024 * 1024)}"}}\n`;
    const dir = tempFiles({ 'rollout-b.jsonl': codex() + huge });
    const r = sh(`/usr/bin/time -f '%M' seq query --dataset usage --metric sum:total_tokens:t --format jsonl ${dir} 2>&1 >/dev/null | tail -1`);
    const peakKb = Number(r.stdout.trim());
    const q = total(dir);
    expect(q.rows).toEqual([{ source: 'codex', t: 22774 }]);
    expect(q.stderr).toBe(`seq: skipped 1 malformed line (first: ${dir}/rollout-b.jsonl:27)\n`);
    if (Number.isFinite(peakKb) && peakKb > 0) expect(peakKb).toBeLessThan(150 * 1024);
  });

  it('JSON that is not an object, and a token_count whose info is null, are handled', () => {
    const extra = [
      '[1,2,3]',
      '"text"',
      '{"timestamp":"2026-01-02T16:41:00Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":null}}',
    ].join('\n');
    const dir = tempFiles({ 'rollout-c.jsonl': `${codex() + extra}\n` });
    const r = total(dir);
    expect(r.rows).toEqual([{ source: 'codex', t: 22774 }]);
    expect(r.stderr).toBe(`seq: skipped 2 malformed lines (first: ${dir}/rollout-c.jsonl:27)\n`);
    expect(r.status).toBe(0);
  });

  it('--strict makes the first bad line fatal: status 1, with its place', () => {
    const dir = tempFiles({ 'rollout-d.jsonl': `${codex()}oops\n` });
    const r = total(dir, ['--strict']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`seq: ${dir}/rollout-d.jsonl:27: malformed line (not a Codex rollout record); stopped by --strict\n`);
  });

  it('a token_count with counters of the wrong type is reported, not summed', () => {
    const bad =
      '{"timestamp":"2026-01-02T16:42:00Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":"lots","output_tokens":-5}}}}';
    const dir = tempFiles({ 'rollout-e.jsonl': `${codex() + bad}\n` });
    const r = total(dir);
    expect(r.rows).toEqual([{ source: 'codex', t: 22774 }]);
    expect(r.stderr).toBe(`seq: skipped 1 malformed line (first: ${dir}/rollout-e.jsonl:27)\n`);
  });

  it('a token count that is a fraction, text or negative is read with a repair, and reported', () => {
    // A fraction is rounded and the rest count as 0, in the figures and in the notice alike.
    const usage = (id: string, counts: string): string =>
      `{"cwd":"/x","sessionId":"s1","version":"2.0.0","message":{"model":"claude-sonnet-4-5-20250929","id":"${id}","role":"assistant","content":[],"usage":{${counts}}},"requestId":"r${id}","type":"assistant","uuid":"u${id}","timestamp":"2026-11-01T10:00:00Z"}`;
    const claude = tempFiles({
      's1.jsonl': `${[
        usage('a', '"input_tokens":"5","cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1.5'),
        usage('b', '"input_tokens":7,"cache_creation_input_tokens":-3,"cache_read_input_tokens":0,"output_tokens":2'),
        usage('c', '"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3'),
      ].join('\n')}\n`,
    });
    const r = total(claude);
    expect(r.rows).toEqual([{ source: 'claude', t: 2 + 7 + 2 + 11 + 3 }]);
    expect(r.stderr).toBe(`seq: read 2 lines with a repair (first: ${claude}/s1.jsonl:1: token count input_tokens is "5", read as 0)\n`);
    const counters =
      '{"timestamp":"2026-01-02T16:42:00Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":9000000,"cached_input_tokens":0,"output_tokens":20.4,"reasoning_output_tokens":0,"total_tokens":9000020.4}}}}';
    const dir = tempFiles({ 'rollout-f.jsonl': `${codex() + counters}\n` });
    const codexTotal = total(dir);
    expect(codexTotal.stderr).toBe(`seq: read 1 line with a repair (first: ${dir}/rollout-f.jsonl:27: token count output_tokens is 20.4, read as 20)\n`);
    const clean = total(tempFiles({ 'rollout-f.jsonl': `${codex() + counters.replace(/\.4/g, '')}\n` }));
    expect(clean.stderr).toBe('');
    expect(codexTotal.rows).toEqual(clean.rows);
  });
});

describe('bad JSON Lines input to the stages', () => {
  it('a 40 MB line from a pipe costs linear time (no re-splitting), and its record passes', () => {
    const dir = tempFiles({});
    writeFileSync(join(dir, 'big.jsonl'), `{"a":"${'y'.repeat(40 * 1024 * 1024)}"}\n{"a":"small"}\n`);
    const started = Date.now();
    const r = sh(`cat ${dir}/big.jsonl | seq-filter --where 'a == small'`);
    expect(r.stdout).toBe('{"a":"small"}\n');
    expect(r.status).toBe(0);
    // Not a timing test of speed: a quadratic splitter took minutes here; linear takes about a second.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('records nested deeper than 1000 levels are malformed lines, the same in one process and in a pipe', () => {
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const dir = tempFiles({ 'deep.jsonl': `{"type":"x"}\n${deep}\n{"type":"y"}\n` });
    const filtered = run('seq-filter', [`${dir}/deep.jsonl`]);
    expect(filtered.stdout).toBe('{"type":"x"}\n{"type":"y"}\n');
    expect(filtered.stderr).toBe(`seq-filter: skipped 1 malformed line (first: ${dir}/deep.jsonl:2)\n`);
    const query = run('seq', ['query', '--dataset', 'jsonl', '--by', 'type', `${dir}/deep.jsonl`]);
    const pipe = sh(run('seq', ['query', '--dataset', 'jsonl', '--by', 'type', `${dir}/deep.jsonl`, '--explain']).stdout);
    expect(pipe.stdout).toBe(query.stdout);
  });

  it('numbers a double cannot hold mean the same in one process and in a pipe, and are reported', () => {
    const dir = tempFiles({ 'big.jsonl': '{"a":1,"x":1e400}\n{"a":2,"x":"1e999"}\n{"a":1,"x":5}\n{"a":3,"x":12345678901234567891}\n' });
    const args = ['query', '--dataset', 'jsonl', '--by', 'a', '--metric', 'sum:x', '--metric', 'max:x', `${dir}/big.jsonl`];
    const query = run('seq', args);
    const pipe = sh(run('seq', [...args, '--explain']).stdout);
    expect(query.stdout).toBe(pipe.stdout);
    expect(query.stdout).toBe(
      'a                 sum_x  max_x\n-  --------------------  --------------------\n1                     5  5\n2                     0  1e999\n3  12345678901234567000  12345678901234567000\n',
    );
    expect(query.stderr).toBe(`seq: read 2 lines with a repair (first: ${dir}/big.jsonl:1: a number too large for a double was read as null)\n`);
  });

  it('an integer a double rounds is reported; one it holds exactly, a fraction, an exponent or a string is not', () => {
    const repairs = (line: string): string => run('seq-filter', [], { input: `${line}\n` }).stderr;
    expect(repairs('{"n":12345678901234567}')).toBe('seq-filter: read 1 line with a repair (first: stdin:1: an integer beyond 2^53 lost its last digits)\n');
    expect(repairs('{"n":1234567890123456789012}')).toBe(
      'seq-filter: read 1 line with a repair (first: stdin:1: an integer beyond 2^53 lost its last digits)\n',
    );
    // What seq wrote (a double by its shortest digits) reads back with nothing lost, through a pipe.
    expect(sh(`echo '{"n":12345678901234567}' | seq-filter 2>/dev/null | seq-filter`)).toMatchObject({ stdout: '{"n":12345678901234568}\n', stderr: '' });
    expect(repairs('{"n":[1,-9007199254740993]}')).toBe(
      'seq-filter: read 1 line with a repair (first: stdin:1: an integer beyond 2^53 lost its last digits)\n',
    );
    for (const line of [
      '{"n":10000000000000000}',
      '{"n":72053952785719220}',
      '{"n":1000000000000000000000}',
      '{"n":1.5e300}',
      '{"n":1.2345678901234567}',
      '{"n":12345678901234567e2}',
      '{"n":0e12345678901234567}',
      '{"n":1.5e-12345678901234567}',
      '{"s":"12345678901234567"}',
      '{"s":"a\\"12345678901234567"}',
      '{"12345678901234567":1}',
    ])
      expect(repairs(line), line).toBe('');
  });

  it('--strict keeps what came before the bad line, the same in one process and in a pipe', () => {
    const good = Array.from({ length: 100_000 }, (_, i) => JSON.stringify({ i, k: i % 3 })).join('\n');
    const dir = tempFiles({ 'bad.jsonl': `${good}\noops\n{"i":-1,"k":9}\n` });
    const lines = sh(`seq-filter --strict ${dir}/bad.jsonl | wc -l`);
    expect(lines.stdout.trim()).toBe('100000');
    const args = ['query', '--dataset', 'jsonl', '--by', 'k', '--strict', `${dir}/bad.jsonl`];
    const query = run('seq', args);
    expect(query.status).toBe(1);
    expect(query.stdout).toBe('k  count\n-  -----\n0  33334\n1  33333\n2  33333\n');
    const pipe = sh(run('seq', [...args, '--explain']).stdout);
    expect(pipe.stdout).toBe(query.stdout);
    expect(pipe.status).toBe(1);
  });
});
