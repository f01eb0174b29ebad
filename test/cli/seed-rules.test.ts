/**
 * The seed script's rules, on rollouts written for each: skill blocks and $ mentions, snippets
 * and lengths in characters, token deltas as raw differences, segment bases, ops in any case.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, run, tempFiles } from '../helpers/cli.js';

const META = {
  timestamp: '2026-03-02T10:00:00Z',
  type: 'session_meta',
  payload: { id: '22222222-2222-4222-8222-222222222222', timestamp: '2026-03-02T10:00:00Z', cwd: '/tmp' },
};
const user = (at: string, ...texts: string[]): object => ({
  timestamp: at,
  type: 'response_item',
  payload: { type: 'message', role: 'user', content: texts.map((text) => ({ type: 'input_text', text })) },
});
const counts = (at: string, input: number, output: number): object => ({
  timestamp: at,
  type: 'event_msg',
  payload: {
    type: 'token_count',
    info: {
      total_token_usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: output, reasoning_output_tokens: 0, total_tokens: input + output },
      model_context_window: 1000,
    },
  },
});
const rollout = (...lines: object[]): string => `${[META, ...lines].map((line) => JSON.stringify(line)).join('\n')}\n`;
const NAME = 'rollout-2026-03-02T10-00-00-22222222-2222-4222-8222-222222222222.jsonl';

function query(args: string[], root: string, extra: string[] = []): unknown[] {
  const r = run('seq', ['query', '--no-cache', '--format', 'jsonl', ...args, ...extra, root], { env: { HOME: root } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return jsonLines(r.stdout);
}

describe('skill mentions as the seed script finds them', () => {
  it('a bare <skill> with no name is no block: $ mentions count; --no-blocks keeps them; a blank name is none', () => {
    const root = tempFiles({
      [NAME]: rollout(
        user('2026-03-02T10:01:00Z', '<skill><name>tk</name><name>   </name></skill> also use $fix'),
        user('2026-03-02T10:02:00Z', 'pasted <skill> docs, then: run $fix'),
      ),
    });
    mkdirSync(join(root, 'skills/fix'), { recursive: true });
    const rank = (extra: string[] = []): unknown[] =>
      query(['--dataset', 'skill_mentions', '--by', 'skill', '--sort', 'skill'], root, [
        '--param',
        `skills_dirs=${JSON.stringify([join(root, 'skills')])}`,
        ...extra,
      ]);
    expect(rank()).toEqual([
      { skill: 'fix', count: 1 },
      { skill: 'tk', count: 1 },
    ]);
    expect(rank(['--param', 'include_blocks=false'])).toEqual([{ skill: 'fix', count: 2 }]);
  });

  it('a snippet is 240 characters, never half of an emoji; lengths count characters', () => {
    const root = tempFiles({
      [NAME]: rollout(user('2026-03-02T10:01:00Z', `${'x'.repeat(239)}😀 <skill><name>tk</name></skill>`), user('2026-03-02T10:02:00Z', 'fix it 😀')),
    });
    const [mention] = query(['--dataset', 'skill_mentions', '--select', 'snippet'], root) as Array<{ snippet: string }>;
    expect(mention?.snippet).toBe(`${'x'.repeat(239)}😀`);
    expect(query(['--dataset', 'messages', '--select', 'text_len'], root)).toEqual([{ text_len: 271 }, { text_len: 8 }]);
  });
});

describe('token deltas as the seed script computes them', () => {
  const root = tempFiles({
    [NAME]: rollout(counts('2026-03-02T10:01:00Z', 180, 20), counts('2026-03-02T10:02:00Z', 200, 15), counts('2026-03-02T10:03:00Z', 40, 10)),
  });
  const select = ['--dataset', 'token_deltas', '--no-cost', '--select', 'segment,delta_input_tokens,delta_output_tokens,delta_total_tokens'];

  it('a part that fell is a negative delta, and the parts add up to the total; a request counts no negative tokens', () => {
    expect(query(select, root)).toEqual([
      { segment: 0, delta_input_tokens: 180, delta_output_tokens: 20, delta_total_tokens: 200 },
      { segment: 0, delta_input_tokens: 20, delta_output_tokens: -5, delta_total_tokens: 15 },
      { segment: 1, delta_input_tokens: 40, delta_output_tokens: 10, delta_total_tokens: 50 },
    ]);
    expect(query(['--dataset', 'token_sessions', '--select', 'total_input_tokens,total_output_tokens,total_total_tokens'], root)).toEqual([
      { total_input_tokens: 240, total_output_tokens: 25, total_total_tokens: 265 },
    ]);
    expect(query(['--dataset', 'usage', '--no-cost', '--select', 'input_tokens,output_tokens,total_tokens'], root)[1]).toEqual({
      input_tokens: 20,
      output_tokens: 0,
      total_tokens: 20,
    });
  });

  it('without its base, a segment begins with a snapshot that added nothing: include_zero keeps it', () => {
    const rows = query([...select, '--param', 'include_base=false', '--param', 'include_zero=true'], root);
    expect(rows).toEqual([
      { segment: 0, delta_input_tokens: 0, delta_output_tokens: 0, delta_total_tokens: 0 },
      { segment: 0, delta_input_tokens: 20, delta_output_tokens: -5, delta_total_tokens: 15 },
      { segment: 1, delta_input_tokens: 0, delta_output_tokens: 0, delta_total_tokens: 0 },
    ]);
    expect(query([...select, '--param', 'include_base=false'], root)).toEqual([rows[1]]);
  });
});

describe('specs as the seed script reads them', () => {
  it('ops in any case; a metric without op counts', () => {
    const root = tempFiles({ [NAME]: rollout(user('2026-03-02T10:01:00Z', 'a'), user('2026-03-02T10:02:00Z', 'b')) });
    const spec = {
      dataset: 'messages',
      where: [{ field: 'role', op: 'EQ', value: 'user' }],
      group_by: ['role'],
      metrics: [{ op: 'COUNT', as: 'n' }, { as: 'all' }],
    };
    expect(query(['--spec', JSON.stringify(spec)], root)).toEqual([{ role: 'user', n: 2, all: 2 }]);
    const bad = run('seq', ['query', '--spec', JSON.stringify({ ...spec, where: [{ field: 'role', op: 'EQQ', value: 'user' }] }), root]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('spec.where[0].op: unknown op "EQQ"');
  });
});
