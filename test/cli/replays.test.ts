/**
 * The replay rule (lib/datasets/replays.ts), run as a user runs it: a record that a copy of a
 * session repeats is counted once, and every dataset agrees on it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, run, tempFiles } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, requireFixtures } from '../helpers/sessions.js';

type Row = Record<string, unknown>;

function rows(dataset: string, paths: string[], extra: string[] = []): Row[] {
  const r = run('seq-scan', ['--dataset', dataset, '--no-cache', ...extra, ...paths]);
  expect(r.status, r.stderr).toBe(0);
  return jsonLines(r.stdout) as Row[];
}

/** What a dataset counts, whatever file or session the rows name. */
function counted(dataset: string, paths: string[], extra: string[] = []): { rows: number; tokens: number } {
  const found = rows(dataset, paths, extra);
  return { rows: found.length, tokens: found.reduce((sum, row) => sum + (typeof row.total_tokens === 'number' ? row.total_tokens : 0), 0) };
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('a resumed Claude session', () => {
  // A generated session that calls the Skill tool, and its resumed copy: Claude Code copies the
  // conversation so far into a new file under a new session id, then goes on in it.
  const examples = generatedSessions();
  const original = files(join(examples, 'claude')).find((f) => f.endsWith('.jsonl') && readFileSync(f, 'utf8').includes('"name":"Skill"')) as string;
  const resumedId = '7e5d0000-0000-4000-8000-00000000beef';
  const newTurn = [
    {
      parentUuid: null,
      isSidechain: false,
      sessionId: resumedId,
      version: '2.1.17',
      type: 'user',
      message: { role: 'user', content: 'Now use $tk on the parser, then tell me what changed.' },
      uuid: 'r-user-1',
      timestamp: '2027-09-01T10:00:00.000Z',
    },
    {
      parentUuid: 'r-user-1',
      isSidechain: false,
      sessionId: resumedId,
      version: '2.1.17',
      message: {
        model: 'claude-opus-4-6',
        id: 'msg_resumed_1',
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'text', text: 'Launching the skill.' },
          { type: 'tool_use', id: 'toolu_resumed_1', name: 'Skill', input: { skill: 'tk' } },
        ],
        usage: { input_tokens: 5, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000, output_tokens: 20 },
      },
      requestId: 'req_resumed_1',
      type: 'assistant',
      uuid: 'r-assistant-1',
      timestamp: '2027-09-01T10:00:05.000Z',
    },
  ];
  const copied = readFileSync(original, 'utf8')
    .split(/(?<=\n)/)
    .map((line) => line.replaceAll(/"sessionId":"[^"]*"/g, `"sessionId":"${resumedId}"`));
  const dir = tempFiles({});
  mkdirSync(join(dir, 'project'));
  copyFileSync(original, join(dir, 'project/original.jsonl'));
  writeFileSync(join(dir, 'project/resumed.jsonl'), copied.join('') + newTurn.map((line) => `${JSON.stringify(line)}\n`).join(''));
  const pair = [join(dir, 'project')];
  const resumedAlone = [join(dir, 'project/resumed.jsonl')];
  const skills = ['--skills-dir', join(examples, 'skills')];

  it('counts each copied record once: the pair gives what the resumed file gives alone', () => {
    expect(readFileSync(original, 'utf8')).toContain('"name":"Skill"');
    for (const dataset of ['tool_calls', 'tool_outputs', 'messages', 'usage', 'sessions']) {
      const alone = counted(dataset, resumedAlone);
      expect(alone.rows, dataset).toBeGreaterThan(0);
      if (dataset === 'sessions') expect(counted(dataset, pair).tokens, dataset).toBe(alone.tokens);
      else expect(counted(dataset, pair), dataset).toEqual(alone);
    }
    expect(counted('skill_mentions', pair, skills)).toEqual(counted('skill_mentions', resumedAlone, skills));
  });

  it('agrees across skill_mentions, tool_calls, messages and usage', () => {
    const calls = rows('tool_calls', pair);
    const skillCalls = calls.filter((row) => row.tool === 'Skill');
    const byTool = rows('skill_mentions', pair, skills).filter((row) => row.types === 'tool');
    // Each Skill call is one call and one mention, in the same session and file.
    expect(byTool.map((row) => [row.session_id, row.path, row.timestamp])).toEqual(skillCalls.map((row) => [row.session_id, row.path, row.timestamp]));
    expect(byTool.length).toBeGreaterThan(1);
    // The copied part stays with the original session; the resumed one has only its new turn.
    const sessionOf = (list: Row[]): Set<unknown> => new Set(list.map((row) => row.session_id));
    for (const dataset of ['tool_calls', 'messages', 'usage']) {
      const found = rows(dataset, pair).filter((row) => row.session_id === resumedId);
      expect(found.length, dataset).toBe(dataset === 'tool_calls' || dataset === 'usage' ? 1 : 2);
    }
    expect(sessionOf(rows('usage', pair)).size).toBe(2);
    const sessions = rows('sessions', pair);
    expect(sessions.map((row) => [row.session_id === resumedId ? 'resumed' : 'original', row.turns, row.tool_calls, row.requests])).toEqual([
      [
        'original',
        rows('messages', [original]).filter((row) => row.role === 'user').length,
        rows('tool_calls', [original]).length,
        rows('usage', [original]).length,
      ],
      ['resumed', 1, 1, 1],
    ]);
  });
});

describe.runIf(requireFixtures())('a Codex rollout kept twice', () => {
  const rollout = join(FIXTURES, 'codex/sessions/2025/11/17/rollout-2025-11-17T15-30-28-019a93b9-f380-7600-98ff-940e6b99603c.jsonl');

  it('in sessions/, compressed beside itself and in a backup, is counted once by every dataset', () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, 'sessions/2025/11/17'), { recursive: true });
    mkdirSync(join(dir, 'backup'));
    const at = join(dir, 'sessions/2025/11/17', 'rollout-2025-11-17T15-30-28-019a93b9-f380-7600-98ff-940e6b99603c.jsonl');
    copyFileSync(rollout, at);
    try {
      execFileSync('zstd', ['-q', '-k', at, '-o', `${at}.zst`]);
    } catch {
      // no zstd on this machine: the plain copies are enough for the rule
    }
    copyFileSync(rollout, join(dir, 'backup/rollout-copy.jsonl'));
    for (const dataset of ['messages', 'tool_calls', 'tool_outputs', 'usage', 'token_deltas', 'token_sessions', 'sessions']) {
      const once = counted(dataset, [rollout]);
      expect(once.rows, dataset).toBeGreaterThan(0);
      if (dataset === 'token_sessions' || dataset === 'sessions') {
        expect(counted(dataset, [dir]).tokens, dataset).toBe(once.tokens);
        continue;
      }
      expect(counted(dataset, [dir]), dataset).toEqual(once);
    }
  });

  it('going on in a second file: the second counts from where the first stopped', () => {
    const id = '0199eeee-0000-7000-8000-000000000001';
    const at = (s: number): string => `2026-03-01T00:00:0${s}.000Z`;
    const snapshot = (s: number, total: number): string =>
      JSON.stringify({
        timestamp: at(s),
        type: 'event_msg',
        payload: {
          type: 'token_count',
          info: { total_token_usage: { input_tokens: total, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: total } },
        },
      });
    const meta = JSON.stringify({
      timestamp: at(0),
      type: 'session_meta',
      payload: { id, timestamp: at(0), cwd: '/w', originator: 'codex_cli_rs', cli_version: '0.149.0' },
    });
    const dir = tempFiles({
      'a.jsonl': `${[meta, snapshot(1, 100), snapshot(2, 200)].join('\n')}\n`,
      'b.jsonl': `${[meta, snapshot(3, 250), snapshot(4, 300)].join('\n')}\n`,
    });
    expect(rows('usage', [dir]).map((row) => row.total_tokens)).toEqual([100, 100, 50, 50]);
    expect(rows('token_sessions', [dir]).map((row) => row.total_total_tokens)).toEqual([200, 100]);
  });

  it('grown in its copy: only what the copy adds is counted', () => {
    const lines = readFileSync(rollout, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    const cut = lines.findLastIndex((line) => line.includes('"token_count"') && line.includes('"total_token_usage"'));
    const dir = tempFiles({ 'a-early.jsonl': `${lines.slice(0, cut).join('\n')}\n`, 'b-whole.jsonl': `${lines.join('\n')}\n` });
    expect(counted('usage', [dir])).toEqual(counted('usage', [rollout]));
    expect(counted('token_deltas', [dir]).tokens).toBe(counted('token_deltas', [rollout]).tokens);
  });
});
