import { stdoutOutput } from '../jsonl/output.js';
import { InputProblems } from '../jsonl/problems.js';
import { readRecords } from '../jsonl/read.js';
import { formatOptions } from '../stages/format-options.js';
import { stageInputs } from '../cli/inputs.js';
import { addFormatOptions, addSpecOption, commandLine, helpOrVersion, positionals, specFrom } from '../cli/options.js';
import { runChain } from '../cli/pipeline.js';
import { runProgram } from '../base/program.js';
import { formatSpecOf, stageFlags } from '../spec/flags.js';
import { formatStage } from '../stages/format.js';

const NAME = 'seq-format';

const TEXT = {
  usage: `${NAME} [--select F,...] [--sort [-]F,...] [--limit N] [--format FORMAT] [--spec SPEC] [FILE...]`,
  description:
    'Print JSON Lines records for people or programs: keep fields (--select), order them (--sort), cut (--limit), and write a table, JSON Lines, JSON, CSV, Markdown or a bar chart (the spec\'s "select", "sort", "limit" and "format").',
  examples: [
    [`seq-group --by tool calls.jsonl | ${NAME} --sort -count --limit 10 --format table`, 'the ten largest groups as a table'],
    [`${NAME} --select day,tokens --format chart tokens-by-day.jsonl`, 'bars: day as the label, tokens as the length'],
    [`${NAME} --select session_id,tokens --sort -tokens,session_id --format csv rows.jsonl > top.csv`, 'CSV, largest first, ties by id'],
    [`${NAME} --format markdown --spec @specs/line-types.json < counts.jsonl`, 'a Markdown table for a report'],
  ] as Array<[string, string]>,
  epilogue: [
    'Sorting is stable; -FIELD descends; missing values go last either way; numbers',
    'sort before text. With --sort and --limit only the top N rows are held in',
    'memory; with --limit alone reading stops after N rows. Default format: table',
    'when the spec groups, else jsonl. table, markdown and chart round fractions',
    'for reading; csv, json and jsonl keep every digit. Colour only on a terminal,',
    'never with NO_COLOR.',
    '',
    'Exit status: 0 done; 1 an input could not be read, or --strict met a bad line;',
    '2 a usage or spec error.',
  ].join('\n'),
};

export function main(argv: string[]): Promise<void> {
  return runProgram(NAME, async (program) => {
    const parser = addFormatOptions(addSpecOption(commandLine(NAME, argv, TEXT)));
    const args = parser.parseSync();
    if (await helpOrVersion(parser, args)) return;
    const { spec } = specFrom(args);
    const format = formatSpecOf(spec, stageFlags(args));
    const options = formatOptions(args, program);
    const problems = new InputProblems(args.strict === true, program.warn);
    const reader = readRecords(stageInputs(positionals(args), program), problems);
    return runChain(program, reader, [formatStage(format, options)], stdoutOutput(), problems);
  });
}
