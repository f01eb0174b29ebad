/**
 * The agents beyond Codex and Claude Code, as their tests use them: the fixtures in
 * test/fixtures/<agent>/ and seq's per-day tokens of one source, to compare with ccusage's.
 */
import { join } from 'node:path';
import { jsonLines, ROOT, run } from './cli.js';
import type { PeerDay } from './ccusage.js';

export const AGENT_FIXTURES = join(ROOT, 'test/fixtures');

export interface SeqDay extends PeerDay {
  reasoning_tokens: number;
  requests: number;
}

const SUMS = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'total_tokens', 'cost_usd'];

/**
 * seq's per-day usage of one source under `inputs` (UTC days), as `seq query` gives it; `env`
 * for a run that finds the logs by its environment variables (then `inputs` is empty).
 */
export function seqDaily(source: string, inputs: string[], env: Record<string, string> = {}): Map<string, SeqDay> {
  const metrics = SUMS.flatMap((field) => ['--metric', `sum:${field}:${field}`]);
  const r = run(
    'seq',
    ['query', '--dataset', 'usage', '--source', source, '--by', 'day', ...metrics, '--metric', 'count::requests', '--format', 'jsonl', ...inputs],
    {
      env,
    },
  );
  if (r.status !== 0) throw new Error(`seq query failed (${r.status}): ${r.stderr}`);
  return new Map((jsonLines(r.stdout) as Array<SeqDay & { day: string }>).map(({ day, ...rest }) => [day, rest]));
}
