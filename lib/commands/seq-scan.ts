import { encodeLines } from '../jsonl/encode.js';
import { stdoutOutput } from '../jsonl/output.js';
import { InputProblems } from '../jsonl/problems.js';
import { findDataset } from '../datasets/registry.js';
import { noteTerminalInput } from '../cli/inputs.js';
import { addScanOptions, addSpecOption, commandLine, helpOrVersion, positionals, specFrom, stageFlags } from '../cli/options.js';
import { runChain } from '../cli/pipeline.js';
import { runProgram } from '../cli/run.js';
import { scanSpecOf } from '../spec/flags.js';
import { scanStage } from '../stages/scan.js';

const NAME = 'seq-scan';

const TEXT = {
  usage: `${NAME} --dataset NAME [PATH...] [--param NAME=VALUE]... [--since WHEN] [--until WHEN] [--tz ZONE] [--spec SPEC]`,
  description:
    'Read files and emit the records of one dataset as JSON Lines (the spec\'s "dataset", "params", "roots", "source", "since", "until", "tz"). PATHs are files or folders; "-" is stdin.',
  examples: [
    [`${NAME} --dataset jsonl ~/.codex/sessions | seq-group --by type`, 'every line of every rollout, grouped by type'],
    [`${NAME} --dataset jsonl --since 2026-11-01 --until 2026-11-07 events.jsonl`, 'only records whose timestamp is in that week (UTC)'],
    [`${NAME} --spec @specs/line-types.json ~/.claude/projects | seq-group --spec @specs/line-types.json`, 'the scan of a spec'],
    ['seq datasets', 'the datasets there are, and seq dataset-schema --dataset NAME for one'],
  ] as Array<[string, string]>,
  epilogue: [
    'Folders are searched recursively, in name order, following links (never in a',
    'loop). --since and --until take 2026-11-01, 2026-11-01T09:30, or with a zone',
    '(Z, +02:00); a date alone means that whole day; without a zone, times are in',
    '--tz. With --since or --until, a record needs a timestamp to pass.',
    '',
    'Exit status: 0 done; 1 an input could not be read, or --strict met a bad line;',
    '2 a usage or spec error.',
  ].join('\n'),
};

export function main(argv: string[]): Promise<void> {
  return runProgram(NAME, async (program) => {
    const parser = addScanOptions(addSpecOption(commandLine(NAME, argv, TEXT)));
    const args = parser.parseSync();
    if (await helpOrVersion(parser, args)) return;
    const { spec } = specFrom(args);
    const scan = scanSpecOf(spec, stageFlags(args), positionals(args));
    noteTerminalInput(findDataset(scan.dataset)?.readsStdin === true, scan.roots, program);
    const problems = new InputProblems(args.strict === true, program.warn);
    const reader = scanStage(scan, problems);
    return runChain(program, reader, [encodeLines()], stdoutOutput(), problems);
  });
}
