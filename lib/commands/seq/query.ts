/** `seq query`: scan, filter, group and format in one process, objects passed between stages. */
import type { Transform } from 'node:stream';
import { CATALOG, findDataset } from '../../datasets/registry.js';
import { fileOutput, stdoutOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { UsageError } from '../../base/errors.js';
import { explainPipeline } from '../../cli/explain.js';
import { formatOptions } from '../../stages/format-options.js';
import { noteTerminalInput } from '../../cli/inputs.js';
import { specFrom } from '../../cli/options.js';
import { runChain } from '../../cli/pipeline.js';
import type { Program } from '../../base/program.js';
import { filterSpecOf, formatSpecOf, groupSpecOf, scanSpecOf, stageFlags } from '../../spec/flags.js';
import { defaultFormat } from '../../spec/types.js';
import { filterStage } from '../../stages/filter.js';
import { formatStage } from '../../stages/format.js';
import { groupStage } from '../../stages/group.js';
import { scanStage } from '../../scan/scan.js';
import { lastString } from '../../base/args.js';

export async function query(args: Record<string, unknown>, paths: string[], program: Program): Promise<number> {
  const { spec, source } = specFrom(args, CATALOG);
  const flags = stageFlags(args);
  const scan = scanSpecOf(spec, flags, paths, CATALOG);
  const filter = filterSpecOf(spec, flags);
  const group = groupSpecOf(spec, flags);
  const format = formatSpecOf(spec, flags, group !== undefined);

  if (args.explain === true) {
    // seq-format infers the default format from the spec alone; say it when flags changed it.
    const inferred = spec.format ?? defaultFormat(spec.group !== undefined);
    process.stdout.write(
      explainPipeline({
        spec: source?.argument,
        flags,
        paths,
        strict: args.strict === true,
        color: lastString(args.color),
        width: lastString(args.width),
        format: flags.format === undefined && inferred !== format.format ? format.format : undefined,
        output: lastString(args.output),
      }) + '\n',
    );
    return 0;
  }

  const outputPath = lastString(args.output);
  if (outputPath === '') throw new UsageError('--output needs a file name');
  const options = formatOptions(args, program, outputPath !== undefined);
  // The output is opened before any input is read: a bad path fails at once.
  const output = outputPath === undefined ? stdoutOutput() : fileOutput(outputPath);
  noteTerminalInput(findDataset(scan.dataset)?.readsStdin === true, scan.roots, program);
  const problems = new InputProblems(args.strict === true, program.warn);
  const reader = scanStage(scan, problems, args.cache !== false);
  const stages: Transform[] = [];
  if (filter.where.length > 0) stages.push(filterStage(filter));
  if (group) stages.push(groupStage(group));
  stages.push(formatStage(format, options));
  return runChain(program, reader, stages, output, problems, args.quiet === true);
}
