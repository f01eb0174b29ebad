/** The generated examples: deterministic, every dataset non-empty, and each tricky case present. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, ROOT, run, sh, tempFiles } from '../helpers/cli.js';
import { generatedSessions } from '../helpers/sessions.js';

function query(args: string[]): Array<Record<string, unknown>> {
  const r = run('seq', ['query', ...args, '--format', 'jsonl']);
  expect(r.stderr).toBe('');
  return jsonLines(r.stdout) as Array<Record<string, unknown>>;
}

describe('examples/generate.ts', () => {
  const dir = generatedSessions();

  it('writes the same bytes for the same seed', () => {
    const again = mkdtempSync(join(tmpdir(), 'seq-examples-again-'));
    execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'examples/generate.ts'), '--out', again], { stdio: 'ignore' });
    expect(sh(`diff -r ${dir} ${again} && echo same`).stdout).toBe('same\n');
  });

  it('gives every dataset rows', () => {
    const names = (JSON.parse(run('seq', ['datasets', '--format', 'json']).stdout) as Array<{ name: string }>).map((d) => d.name);
    // Every session-log dataset (jsonl reads any JSON Lines; runs reads the run store).
    for (const name of names.filter((n) => n !== 'jsonl' && n !== 'runs')) {
      const rows = query(['--dataset', name, '--skills-dir', `${dir}/skills`, `${dir}/codex`, `${dir}/claude`]);
      expect(rows.length, name).toBeGreaterThan(0);
    }
  });

  it('names skills in every way: Codex blocks and $tokens, Claude Skill calls and slash commands', () => {
    const types = query(['--dataset', 'skill_mentions', '--by', 'types', '--skills-dir', `${dir}/skills`, dir]).map((r) => r.types);
    expect(new Set(types)).toEqual(new Set(['block', 'dollar', 'tool', 'command']));
    // With a skills folder that holds no skill, $tokens name no known skill; one that is not there is an error.
    const empty = tempFiles({});
    expect(query(['--dataset', 'skill_mentions', '--by', 'types', '--where', 'types == dollar', '--skills-dir', empty, dir])).toEqual([]);
    expect(run('seq', ['query', '--dataset', 'skill_mentions', '--skills-dir', `${dir}/nowhere`, dir])).toMatchObject({
      status: 1,
      stderr: `seq: cannot read the skills folder ${dir}/nowhere: no such file or folder\n`,
    });
  });

  it('has subagents, repeated token events, and a fork whose replayed history is not counted again', () => {
    expect(query(['--dataset', 'sessions', '--where', 'log_files > 1', '--select', 'source', dir]).length).toBeGreaterThan(0);
    const all = query(['--dataset', 'token_events', '--param', 'dedupe=false', '--metric', 'count::n', dir])[0]?.n as number;
    const once = query(['--dataset', 'token_events', '--metric', 'count::n', dir])[0]?.n as number;
    expect(all).toBeGreaterThan(once);
    const fork = query(['--dataset', 'sessions', '--where', 'parent_session_id exists', '--select', 'session_id,total_tokens', dir]);
    expect(fork).toHaveLength(1);
    const file = readdirSync(join(dir, 'codex/sessions'), { recursive: true })
      .map(String)
      .find((f) => f.includes(String(fork[0]?.session_id)));
    // The fork's own counters start afresh: its usage is its last snapshot's total, the parent's not added.
    const last = query([
      '--dataset',
      'jsonl',
      '--where',
      'payload.type == token_count',
      '--select',
      'payload.info.total_token_usage.total_tokens',
      join(dir, 'codex/sessions', file ?? ''),
    ]).pop();
    expect(fork[0]?.total_tokens).toBe(last?.['payload.info.total_token_usage.total_tokens']);
  });
});
