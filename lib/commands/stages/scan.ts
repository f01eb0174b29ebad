/** The `seq-scan` command: its flags and help; its run loads its work, scan-work.ts (`seq query` chains it with the other stages). */
import { STAGE_EXIT_STATUS } from '../../cli/command-line.js';
import type { Command } from '../../base/command.js';
import { stageKeys } from '../../spec/types.js';
import { DATASET_FLAGS, sourceFlags, SPEC_FLAGS, WINDOW_FLAGS } from '../../spec/flags.js';
import { AGENT_NAMES, placesHelp } from '../../sources/agents.js';

const NAME = 'seq-scan';

export const SCAN_COMMAND_FLAGS = { ...SPEC_FLAGS, ...DATASET_FLAGS, ...sourceFlags(AGENT_NAMES), ...WINDOW_FLAGS };

export const SEQ_SCAN: Command<typeof SCAN_COMMAND_FLAGS> = {
  name: NAME,
  flags: SCAN_COMMAND_FLAGS,
  specKeys: stageKeys('scan'),
  text: {
    usage: `${NAME} --dataset NAME [PATH...] [--param NAME=VALUE]... [--since WHEN] [--until WHEN] [--tz ZONE] [--spec SPEC]`,
    description:
      'Read agent session logs (or any JSON Lines) and emit the records of one dataset as JSON Lines. PATHs are files or folders; with none, the default places of every agent (below).',
    examples: [
      [`${NAME} --dataset usage | seq-group --by day --metric sum:total_tokens:tokens`, 'tokens per day, every agent, from their default places'],
      [`${NAME} --dataset tool_calls --source codex --since 2026-11-01`, 'Codex tool calls since the first of November (UTC)'],
      [`${NAME} --dataset skill_mentions --skills-dir ~/.codex/skills ~/.codex/sessions`, 'skills named in Codex sessions'],
      [`${NAME} --dataset sessions --tz Europe/Paris | jq -c 'select(.total_tokens > 1e6)'`, 'sessions of over a million tokens, days in Paris time'],
      [`${NAME} --dataset jsonl ~/.codex/sessions | seq-group --by type`, 'every line of every rollout, grouped by type'],
      ['seq datasets', 'the datasets; seq dataset-schema --dataset NAME for the fields and params of one'],
    ] as Array<[string, string]>,
    epilogue: [
      `Default places of the logs: ${placesHelp('logs')}.`,
      '',
      `Default places of the skills (--skills-dir): ${placesHelp('skills')}.`,
      '',
      "Folders are searched recursively for *.jsonl, *.jsonl.zst and the other files an agent writes (Gemini's and Amp's JSON documents, OpenCode's database; docs/formats); each file's source is told by its content. The jsonl dataset reads *.jsonl and *.ndjson alone. --since and --until take 2026-11-01 (that whole day), 2026-11-01T09:30, or with a zone (Z, +02:00); times without a zone, and day/week/month, are in --tz. A row needs a timestamp to pass them. On a terminal, a scan of more than a second shows its progress on stderr. On three cores or more, once a scan has 16 MB to read, files are read on up to four more threads (the output is the same); SEQ_THREADS=N sets the reading threads, SEQ_THREADS=0 reads in one.",
      '',
      STAGE_EXIT_STATUS,
    ].join('\n'),
  },
  run: (values, paths, program) => import('./scan-work.js').then((work) => work.runScan(values, paths, program)),
};
