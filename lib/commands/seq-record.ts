import { homedir } from 'node:os';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { InputProblems } from '../jsonl/problems.js';
import { readRecords, type PlacedRow } from '../jsonl/read.js';
import { UsageError, SpecError } from '../base/errors.js';
import { stageInputs } from '../cli/inputs.js';
import { runCommand } from '../cli/command-line.js';
import type { Command, Values } from '../base/command.js';
import type { Program } from '../base/program.js';
import { readRuns, RUN_FLAGS, runFromFlags, type RunFlags } from '../runs/record.js';
import type { MetricRun } from '../runs/schema.js';
import { gitChangeCounts } from '../runs/git.js';
import { runHook } from '../reports/session-end-hook.js';
import { installHook } from '../runs/install-hook.js';
import { readPending, takePending, withPendingUsage } from '../runs/pending.js';
import { appendRuns, storePath, type AppendOptions } from '../runs/store.js';

const NAME = 'seq-record';

const FLAGS = {
  store: { type: 'string', help: 'The run store file (default: $SEQ_STORE, else .seq/metrics.json)' },
  quiet: { type: 'boolean', alias: 'q', help: 'Say nothing on success' },
  ...RUN_FLAGS,
  'from-git': { type: 'string', help: 'run: files changed and lines added from git diff --numstat BASE (only the counts are kept)' },
  settings: { type: 'string', help: 'install-hook: the Claude Code settings file (default .claude/settings.json)' },
  user: { type: 'boolean', help: 'install-hook: into ~/.claude/settings.json, for every project' },
  command: { type: 'string', help: 'install-hook: the command the hook runs (default: this seq-record, by its path, with "hook")' },
} as const;

export const SEQ_RECORD: Command<typeof FLAGS> = {
  name: NAME,
  flags: FLAGS,
  text: {
    usage: `${NAME} [FILE...] [--store PATH]\n       ${NAME} run --issues N[,N...] --outcome OUTCOME [run flags] [--from-git BASE] [--store PATH]\n       ${NAME} hook [--store PATH]          (Claude Code's SessionEnd hook; reads its JSON on stdin)\n       ${NAME} install-hook [--settings FILE | --user]`,
    description:
      'Append workflow runs to the local run store (Sequant\'s metrics.json, version 1): JSON Lines of runs from the FILEs or stdin, or one run from flags with "run". Every run is checked first; one invalid run means nothing is written.',
    examples: [
      [
        `${NAME} run --issues 12,13 --outcome success --phases spec,exec,qa --duration 510 --model opus --flags=--chain --files-changed 6 --lines-added 380 --qa-iterations 1 --acceptance-criteria 4`,
        'record one run',
      ],
      [`seq-scan --dataset jsonl old-runs.jsonl | ${NAME} --store .seq/metrics.json`, 'record runs kept as JSON Lines'],
      [`jq -c '.runs[]' .sequant/metrics.json | ${NAME}`, "copy the runs of a Sequant store into this project's store"],
      [`${NAME} install-hook`, "add the SessionEnd hook to this project's .claude/settings.json, so each session's tokens are kept"],
      [`${NAME} run --issues 12 --outcome success --from-git main`, 'files changed and lines added since main; the kept session tokens are added'],
    ] as Array<[string, string]>,
    epilogue: [
      'The store: --store, else $SEQ_STORE, else .seq/metrics.json (an existing',
      '.sequant/metrics.json is extended when there is no .seq store). Writes are atomic',
      "(a temporary file in the store's folder, renamed) and serialised by a lock file,",
      'so concurrent recorders lose nothing. A store that does not parse is never',
      "overwritten. Only the schema's fields are stored: a run with any other field is",
      'refused by name, and no path, code, title or error text can reach the store.',
      'A run whose id is stored already changes nothing. Write flags as --flags=--chain.',
      '',
      'Tokens: "hook" is a Claude Code SessionEnd hook. It reads {session_id,',
      "transcript_path, cwd} on stdin, sums the session's usage from the transcript and",
      'its subagents (one usage per message.id and requestId, the largest), and keeps it',
      'in .token-usage-<session>.json beside the store. The next "run" adds what is kept',
      '(tokensUsed = input + output, cacheTokens = cache creation + read, inputTokens,',
      'outputTokens; a token flag given wins) and removes the files once the run is stored.',
      '',
      'Exit status: 0 recorded; 1 the store cannot be read or written; 2 a usage error',
      'or an invalid run (then nothing is written).',
    ].join('\n'),
  },
  run: record,
};

async function collect(inputs: string[], problems: InputProblems): Promise<PlacedRow[]> {
  const rows: PlacedRow[] = [];
  for await (const item of readRecords(inputs, problems, { placed: true }).records) rows.push(item as PlacedRow);
  return rows;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The command the hook entry runs: `seq-record hook` when the seq-record found on PATH is this
 * one (a settings file shared with a team then works on every machine), else this seq-record by
 * its absolute path, which works without PATH.
 */
function hookCommand(): string {
  const self = resolve(process.argv[1] ?? 'seq-record');
  const real = (path: string): string | undefined => {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  };
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'seq-record'))
    .find((candidate) => existsSync(candidate));
  if (onPath !== undefined && real(onPath) === real(self)) return 'seq-record hook';
  const quoted = /^[A-Za-z0-9_./-]+$/.test(self) ? self : `'${self.replace(/'/g, "'\\''")}'`;
  return `${quoted} hook`;
}

const MODES = ['run', 'hook', 'install-hook'];

async function record(values: Values<typeof FLAGS>, paths: string[], program: Program): Promise<number> {
  const mode = MODES.includes(paths[0] ?? '') ? paths[0] : undefined;
  if (mode !== undefined && paths.length > 1) throw new UsageError(`unexpected argument "${paths[1]}" after ${mode}`);
  const given = [...Object.keys(RUN_FLAGS), 'from-git'].filter((flag) => values[flag as keyof typeof values] !== undefined);
  if (mode !== 'run' && given.length > 0) throw new UsageError(`--${given[0]} describes one run`, `write ${NAME} run --${given[0]} ...`);
  const say = (message: string): void => {
    if (values.quiet !== true) program.warn(message);
  };

  if (mode === 'install-hook') {
    const settings = values.settings ?? (values.user === true ? join(homedir(), '.claude', 'settings.json') : join('.claude', 'settings.json'));
    const result = installHook(settings, values.command ?? hookCommand());
    process.stdout.write(`${result.message}\n`);
    return 0;
  }
  if (mode === 'hook') {
    const { path: kept, usage, problems } = await runHook(await readStdin(), values.store, program.warn);
    for (const line of problems.summary()) program.warn(line);
    if (kept === undefined) say('nothing new in the session since the last run took its tokens; nothing kept');
    else
      say(
        `kept the session's token usage (${usage.requests} requests, ${usage.input_tokens + usage.output_tokens} input + output tokens) in ${kept} for the next run`,
      );
    return 0;
  }

  let runs: MetricRun[];
  const path = storePath(values.store);
  const options: AppendOptions = {};
  if (mode === 'run') {
    const flags: RunFlags = { ...values };
    const base = values['from-git'];
    if (base !== undefined) {
      const counts = gitChangeCounts(base);
      flags['files-changed'] ??= String(counts.filesChanged);
      flags['lines-added'] ??= String(counts.linesAdded);
    }
    runs = [runFromFlags(flags)];
    const givenFields = new Set(Object.keys(RUN_FLAGS).filter((flag) => flags[flag as keyof RunFlags] !== undefined));
    options.prepare = (fresh) => {
      const pending = readPending(path, program.warn);
      if (pending.files.length === 0 || fresh.length === 0) return { runs: fresh, stored: () => undefined };
      return {
        runs: fresh.map((run) => withPendingUsage(run, pending.total, givenFields)),
        stored: () => {
          takePending(path, pending, program.warn);
          say(`added the token usage of ${pending.files.length} ended Claude Code session${pending.files.length === 1 ? '' : 's'} to the run`);
        },
      };
    };
  } else {
    const problems = new InputProblems(false, program.warn);
    const rows = await collect(stageInputs(paths, program), problems);
    const bad = problems.firstMalformed;
    if (bad) throw new SpecError(bad.place, `not a run (${bad.reason}); nothing was recorded`);
    if (problems.failed) return 1;
    runs = readRuns(
      rows.map((r) => r.row),
      rows.map((r) => r.place),
    );
  }

  const { added, alreadyStored } = appendRuns(path, runs, options);
  if (mode === 'run') process.stdout.write(`${runs[0]?.id ?? ''}\n`);
  const noun = added === 1 ? 'run' : 'runs';
  say(`recorded ${added} ${noun} in ${path}${alreadyStored > 0 ? ` (${alreadyStored} already there, unchanged)` : ''}`);
  return 0;
}

export function main(argv: string[]): Promise<void> {
  return runCommand(SEQ_RECORD, argv);
}
