/**
 * `seq`: the front door. `seq query` chains the stages in one process; the other subcommands
 * list what there is. Options may come before or after the subcommand.
 */
import type { Argv } from 'yargs';
import yargs from 'yargs';
import { meantForCoreutils, runCoreutilsSeq } from '../cli/coreutils-seq.js';
import { UsageError } from '../base/errors.js';
import {
  addFilterOptions,
  addFormatOptions,
  addGroupOptions,
  addScanOptions,
  addSpecOption,
  commandLine,
  helpOrVersion,
  joinDashValues,
  positionals,
  VERSION,
  type CommandText,
} from '../cli/options.js';
import { runProgram, type Program } from '../base/program.js';
import { suggestion } from '../spec/validate.js';
import { datasets, datasetSchema } from './seq/datasets.js';
import { query } from './seq/query.js';
import { REPORTS } from './seq/reports.js';
import { stats, statsOptions, STATS_TEXT } from './seq/stats.js';
import { cache, cacheOptions, CACHE_TEXT } from './seq/cache.js';

interface Subcommand {
  name: string;
  summary: string;
  text: CommandText;
  options(parser: Argv): Argv;
  run(args: Record<string, unknown>, paths: string[], program: Program): Promise<number>;
}

const QUERY_EPILOGUE = [
  'The spec keys: dataset, params, where, group_by, metrics, select, sort, limit,',
  'format, roots, source, since, until, tz (see README). Each flag overrides the',
  'same key of the spec; --where adds to its where. A spec error names its place',
  '(spec.where[1].op) and exits 2 before any file is read.',
  '',
  'Exit status: 0 done; 1 an input could not be read, or --strict met a bad line;',
  '2 a usage or spec error.',
].join('\n');

const SUBCOMMANDS: Subcommand[] = [
  {
    name: 'query',
    summary: 'Run a spec: scan, filter, group and format in one process',
    text: {
      usage: 'seq query [--spec SPEC] [PATH...] [stage flags] [--explain] [--output FILE]',
      description:
        'Run a query spec in one process: seq-scan, seq-filter, seq-group and seq-format chained, objects passed between them. The flags of every stage work here too.',
      examples: [
        ['seq query --spec @specs/tokens-by-day.json', 'tokens per day from the Codex and Claude Code logs of this machine'],
        ["seq query --dataset tool_calls --by tool --sort -count --limit 10 --format chart", 'the ten most used tools, as bars'],
        ['seq query --spec @specs/line-types.json ~/.codex/sessions', 'how many lines of each type the rollouts hold'],
        ["seq query --dataset jsonl --by type --sort -count --format chart ~/.claude/projects", 'the same as a bar chart, without a spec file'],
        ["seq query --spec '{\"dataset\":\"jsonl\",\"where\":[{\"field\":\"type\",\"op\":\"eq\",\"value\":\"user\"}]}' a.jsonl", 'an inline spec'],
        ['seq query --spec @specs/line-types.json --explain', 'print the same query as a pipe of seq-scan | seq-filter | seq-group | seq-format'],
        ['seq query --spec @specs/line-types.json --format markdown --output types.md', 'write a report file (replaced only when the run succeeds)'],
      ],
      epilogue: QUERY_EPILOGUE,
    },
    options: (parser) =>
      addFormatOptions(addGroupOptions(addFilterOptions(addScanOptions(addSpecOption(parser)))))
        .option('explain', { type: 'boolean', description: 'Print the equivalent pipe of separate executables instead of running' })
        .option('output', { alias: 'o', type: 'string', description: 'Write to FILE (atomically) instead of stdout' }),
    run: query,
  },
  {
    name: 'datasets',
    summary: 'List the datasets seq-scan can produce',
    text: {
      usage: 'seq datasets [--format FORMAT]',
      description: 'List the datasets: name, number of fields and params, and what each holds.',
      examples: [
        ['seq datasets', 'as a table'],
        ['seq datasets --format json', 'as JSON, for programs'],
      ],
    },
    options: addFormatOptions,
    run: (args, _paths, program) => datasets(args, program),
  },
  {
    name: 'dataset-schema',
    summary: "A dataset's fields with types, params with defaults",
    text: {
      usage: 'seq dataset-schema --dataset NAME [--format FORMAT]',
      description: "Show one dataset's description, fields with their types, and params with their defaults.",
      examples: [
        ['seq dataset-schema --dataset jsonl', 'for people'],
        ['seq dataset-schema --dataset jsonl --format json', 'for programs'],
      ],
    },
    options: (parser) =>
      addFormatOptions(parser).option('dataset', { alias: 'd', type: 'string', description: 'The dataset to describe' }),
    run: (args, _paths, program) => datasetSchema(args, program),
  },
  ...REPORTS,
  {
    name: 'stats',
    summary: 'Recorded runs: success, averages, tokens, insights',
    text: STATS_TEXT,
    options: statsOptions,
    run: (args, _paths, program) => stats(args, program),
  },
  {
    name: 'cache',
    summary: 'What the cache of session files holds (info), or remove it (clear)',
    text: CACHE_TEXT,
    options: cacheOptions,
    run: cache,
  },
];

const TOP: CommandText = {
  usage: 'seq <command> [options]',
  description:
    'Mine the session logs of AI coding agents with small Unix filters. The commands below; each also exists as a pipe stage (seq-scan, seq-filter, seq-group, seq-format).',
  examples: [
    ['seq query --spec @specs/skills-rank.json', 'run a spec over this machine\'s session logs'],
    ['seq query --dataset usage --by model --metric sum:total_tokens:tokens --sort -tokens', 'tokens per model'],
    ['seq datasets', 'what can be scanned'],
    ['seq query --help', "a command's own options"],
  ],
  epilogue: 'Commands:\n' + SUBCOMMANDS.map((c) => `  ${c.name.padEnd(Math.max(...SUBCOMMANDS.map((d) => d.name.length)) + 2)}${c.summary}`).join('\n'),
};

/** Every option any subcommand knows, so that options before the subcommand are read right. */
function findSubcommandName(argv: string[]): string | undefined {
  let parser: Argv = yargs(joinDashValues(argv)).help(false).version(false).exitProcess(false);
  for (const command of SUBCOMMANDS) parser = command.options(parser);
  const args = parser.parserConfiguration({ 'camel-case-expansion': false }).fail(() => undefined).parseSync();
  const first = args._[0];
  return first === undefined ? undefined : String(first);
}

export function main(argv: string[]): Promise<void> {
  return runProgram('seq', async (program) => {
    if (meantForCoreutils(argv)) {
      const status = runCoreutilsSeq(argv);
      if (status !== undefined) return status;
      throw new UsageError(`"${argv[0]}" is not a command of this seq, and no other seq (coreutils) is installed`, 'see seq --help');
    }
    const name = findSubcommandName(argv);
    const command = SUBCOMMANDS.find((c) => c.name === name);
    if (!command) {
      const top = commandLine('seq', argv, TOP);
      const args = top.parseSync();
      if (await helpOrVersion(top, args)) return;
      if (name === undefined) throw new UsageError('no command given', `try seq query --spec FILE, seq datasets, or seq --help`);
      throw new UsageError(`unknown command "${name}"${suggestion(name, SUBCOMMANDS.map((c) => c.name))}`, `the commands are ${SUBCOMMANDS.map((c) => c.name).join(', ')}`);
    }
    const parser = command.options(commandLine(`seq ${command.name}`, argv, command.text));
    const args = parser.parseSync();
    if (await helpOrVersion(parser, args)) return;
    const paths = positionals(args);
    paths.splice(paths.indexOf(command.name), 1);
    if ((command.name === 'datasets' || command.name === 'dataset-schema' || command.name === 'stats') && paths.length > 0) {
      throw new UsageError(`unexpected argument "${paths[0]}"`);
    }
    return command.run(args, paths, program);
  });
}

export { VERSION };
