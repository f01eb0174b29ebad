import { InputProblems } from '../jsonl/problems.js';
import { readRecords, type PlacedRow } from '../jsonl/read.js';
import { UsageError } from '../cli/errors.js';
import { stageInputs } from '../cli/inputs.js';
import { commandLine, helpOrVersion, lastString, positionals, strings } from '../cli/options.js';
import { runProgram } from '../cli/run.js';
import { SpecError } from '../spec/errors.js';
import { readRuns, runFromFlags, type RunFlags } from '../runs/record.js';
import type { MetricRun } from '../runs/schema.js';
import { appendRuns, storePath } from '../runs/store.js';

const NAME = 'seq-record';

const RUN_OPTIONS: Record<string, [keyof RunFlags, string]> = {
  issues: ['issues', 'Issue numbers, comma-separated (required)'],
  outcome: ['outcome', 'success, partial or failed (required)'],
  phases: ['phases', 'Phases run, comma-separated: spec, security-review, testgen, exec, test, qa, loop'],
  duration: ['duration', 'Run time in seconds'],
  model: ['model', 'Model used, e.g. opus'],
  'files-changed': ['filesChanged', 'Files changed'],
  'lines-added': ['linesAdded', 'Lines added'],
  'qa-iterations': ['qaIterations', 'QA retries'],
  'acceptance-criteria': ['acceptanceCriteria', 'Acceptance criteria'],
  'tokens-used': ['tokensUsed', 'Total tokens (input + output)'],
  'input-tokens': ['inputTokens', 'Input tokens'],
  'output-tokens': ['outputTokens', 'Output tokens'],
  'cache-tokens': ['cacheTokens', 'Cache tokens (creation + read)'],
  'failure-category': ['failureCategory', 'context_overflow, api_error, hook_failure, build_error, timeout, rate_limit, billing or unknown'],
  id: ['id', 'The run id (a UUID; generated when absent)'],
  date: ['date', 'When the run happened (ISO 8601; now when absent)'],
};

const TEXT = {
  usage: `${NAME} [FILE...] [--store PATH]\n       ${NAME} run --issues N[,N...] --outcome OUTCOME [run flags] [--store PATH]`,
  description:
    'Append workflow runs to the local run store (Sequant\'s metrics.json, version 1): JSON Lines of runs from the FILEs or stdin, or one run from flags with "run". Every run is checked first; one invalid run means nothing is written.',
  examples: [
    [`${NAME} run --issues 12,13 --outcome success --phases spec,exec,qa --duration 510 --model opus --flags=--chain --files-changed 6 --lines-added 380 --qa-iterations 1 --acceptance-criteria 4`, 'record one run'],
    [`seq-scan --dataset jsonl old-runs.jsonl | ${NAME} --store .seq/metrics.json`, 'record runs kept as JSON Lines'],
    [`jq -c '.runs[]' .sequant/metrics.json | ${NAME}`, 'copy the runs of a Sequant store into this project\'s store'],
  ] as Array<[string, string]>,
  epilogue: [
    'The store: --store, else $SEQ_STORE, else .seq/metrics.json (an existing',
    '.sequant/metrics.json is extended when there is no .seq store). Writes are atomic',
    '(a temporary file in the store\'s folder, renamed) and serialised by a lock file,',
    'so concurrent recorders lose nothing. A store that does not parse is never',
    'overwritten. Only the schema\'s fields are stored: a run with any other field is',
    'refused by name, and no path, code, title or error text can reach the store.',
    'A run whose id is stored already changes nothing. Write flags as --flags=--chain.',
    '',
    'Exit status: 0 recorded; 1 the store cannot be read or written; 2 a usage error',
    'or an invalid run (then nothing is written).',
  ].join('\n'),
};

async function collect(inputs: string[], problems: InputProblems): Promise<PlacedRow[]> {
  const rows: PlacedRow[] = [];
  for await (const item of readRecords(inputs, problems, { placed: true }).records) rows.push(item as PlacedRow);
  return rows;
}

export function main(argv: string[]): Promise<void> {
  return runProgram(NAME, async (program) => {
    let parser = commandLine(NAME, argv, TEXT)
      .option('store', { type: 'string', description: 'The run store file (default: $SEQ_STORE, else .seq/metrics.json)' })
      .option('quiet', { alias: 'q', type: 'boolean', description: 'Say nothing on success' })
      .option('flags', { type: 'string', description: 'A flag of the run, repeatable: --flags=--chain' });
    for (const [flag, [, description]] of Object.entries(RUN_OPTIONS)) parser = parser.option(flag, { type: 'string', description: `run: ${description}` });
    const args = parser.parseSync();
    if (await helpOrVersion(parser, args)) return;

    const paths = positionals(args);
    const runMode = paths[0] === 'run';
    const given = Object.keys(RUN_OPTIONS).filter((flag) => args[flag] !== undefined);
    if (args.flags !== undefined) given.push('flags');
    let runs: MetricRun[];
    if (runMode) {
      if (paths.length > 1) throw new UsageError(`unexpected argument "${paths[1]}" after run`);
      const flags: RunFlags = { flags: strings(args.flags) };
      for (const [flag, [field]] of Object.entries(RUN_OPTIONS)) {
        if (field !== 'flags') (flags as Record<string, string | undefined>)[field] = lastString(args[flag]);
      }
      runs = [runFromFlags(flags)];
    } else {
      if (given.length > 0) throw new UsageError(`--${given[0]} describes one run`, `write ${NAME} run --${given[0]} ...`);
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

    const path = storePath(lastString(args.store));
    const { added, alreadyStored } = appendRuns(path, runs);
    if (runMode) process.stdout.write(`${runs[0]?.id ?? ''}\n`);
    if (args.quiet !== true) {
      const noun = added === 1 ? 'run' : 'runs';
      program.warn(`recorded ${added} ${noun} in ${path}${alreadyStored > 0 ? ` (${alreadyStored} already there, unchanged)` : ''}`);
    }
    return 0;
  });
}
