/** What `seq query` runs: its declaration (query.ts) loads this when it runs. */
import type { Transform } from 'node:stream';
import { CATALOG, checkSpecFields, findDataset, sqlTable } from '../../datasets/registry.js';
import type { FieldInfo } from '../../datasets/types.js';
import { openOutput } from '../../jsonl/output.js';
import { InputProblems } from '../../jsonl/problems.js';
import { explainPipeline } from '../../cli/explain.js';
import { formatOptions, outputPath } from '../../stages/format-options.js';
import { noteTerminalInput } from '../../cli/inputs.js';
import { runChain } from '../../cli/pipeline.js';
import { defaultFormat } from '../../spec/types.js';
import { filterStage } from '../../stages/filter.js';
import { declaredStage, mismatchWarnings } from '../../engines/declared.js';
import { teamRows } from '../../engines/team-query.js';
import { checkName, MACHINE_FIELD } from '../../engines/clickhouse.js';
import { UsageError } from '../../base/errors.js';
import { formatStage } from '../../stages/format.js';
import { groupStage } from '../../stages/group.js';
import { scanStage } from '../../scan/scan.js';
import { fieldsRead } from '../../spec/fields-read.js';
import { SEQ_SCAN } from '../stages/scan.js';
import { SEQ_FILTER } from '../stages/filter.js';
import { SEQ_GROUP } from '../stages/group.js';
import { SEQ_FORMAT } from '../stages/format.js';
import { notOneOf } from '../../base/suggestion.js';
import { ENGINES, type QUERY_FLAGS } from './query.js';
import type { Values } from '../../base/command.js';
import type { Program } from '../../base/program.js';
import { filterSpecOf, formatSpecOf, givenSpec, groupSpecOf, scanSpecOf } from '../../spec/from-flags.js';

export async function runQuery(values: Values<typeof QUERY_FLAGS>, paths: string[], program: Program): Promise<number | undefined> {
  const { spec, source } = givenSpec(values, CATALOG);
  const scan = scanSpecOf(spec, values, paths, CATALOG);
  const filter = filterSpecOf(spec, values);
  const group = groupSpecOf(spec, values);
  const format = formatSpecOf(spec, values, group !== undefined);
  const output = outputPath(values);
  const engine = values.engine ?? 'stages';
  if (!(ENGINES as readonly string[]).includes(engine)) throw notOneOf('--engine', engine, ENGINES, 'seq query');
  // A team's rows have the machine they were pushed from beside the dataset's fields.
  checkSpecFields(scan, filter, group, format, engine === 'clickhouse' ? [MACHINE_FIELD.name] : []);
  const server = (['clickhouse', 'database', 'table'] as const).find((flag) => values[flag] !== undefined);
  if (server !== undefined && engine !== 'clickhouse') throw new UsageError(`--${server} is for --engine clickhouse`, undefined, 'seq query');

  if (values.explain === true) {
    if (engine !== 'stages')
      throw new UsageError('--explain prints the pipe of the stages', 'seq sql prints the SELECT that --engine duckdb runs', 'seq query');
    // seq-format infers the default format from the spec alone; say it when flags changed it.
    const inferred = spec.format ?? defaultFormat(spec.group !== undefined);
    const formatFlag = values.format ?? (inferred !== format.format ? format.format : undefined);
    const withSpec = source !== undefined;
    const stages = [
      { command: SEQ_SCAN, needed: true },
      { command: SEQ_FILTER, needed: withSpec || values.where !== undefined },
      { command: SEQ_GROUP, needed: withSpec || values.by !== undefined || values.metric !== undefined },
      { command: SEQ_FORMAT, needed: true },
    ];
    const given = { ...values, spec: source?.argument, format: formatFlag };
    process.stdout.write(`${explainPipeline(stages, given, paths, output)}\n`);
    return 0;
  }

  const options = formatOptions(values, program, output !== undefined);
  // The SQL engines run over the dataset's table: its declared fields.
  const table = engine === 'stages' ? undefined : sqlTable(scan.dataset, scan.params);
  if (typeof table === 'string')
    throw new UsageError(
      `--engine ${engine}: ${table}`,
      engine === 'clickhouse' ? 'push one of the session datasets' : 'run it with --engine stages',
      'seq query',
    );
  if (engine === 'clickhouse' && table !== undefined) {
    if (scan.roots.length > 0) throw new UsageError('--engine clickhouse reads the rows pushed to the server, not files', 'leave the paths out', 'seq query');
    if (scan.project !== undefined)
      throw new UsageError(
        '--project keeps the sessions of this machine by their folders, which seq push leaves on it',
        'use --where on a pushed column instead',
        'seq query',
      );
    if (scan.tz !== 'UTC')
      throw new UsageError(
        `the pushed rows' day, week and month are in UTC, not in "${scan.tz}" (from --tz, or the spec's tz)`,
        'add --tz UTC, or leave tz out of the spec',
        'seq query',
      );
    if (values.clickhouse === undefined) throw new UsageError('--engine clickhouse needs the server', 'give --clickhouse http://HOST:8123', 'seq query');
    const out = openOutput(output);
    let team: Awaited<ReturnType<typeof teamRows>>;
    try {
      team = await teamRows({
        address: values.clickhouse,
        database: checkName(values.database ?? 'default', '--database'),
        view: checkName(values.table ?? scan.dataset, '--table'),
        dataset: scan.dataset,
        params: scan.params,
        fields: table,
        where: filter.where,
        group,
        sort: format.sort,
        limit: format.limit,
        select: format.select,
        source: scan.source,
        window: scan.window,
      });
    } catch (error) {
      out.abort();
      throw error;
    }
    try {
      return await runChain(program, team.reader, [formatStage(format, options)], out, new InputProblems(false, program.warn), true);
    } finally {
      await team.close();
    }
  }
  const dataset = findDataset(scan.dataset);
  const stages: Transform[] = [];
  const mismatched = new Map<string, number>();
  const fields: FieldInfo[] | undefined = table;
  if (fields === undefined) {
    if (filter.where.length > 0) stages.push(filterStage(filter));
    if (group) stages.push(groupStage(group));
  }
  // The output is opened before any input is read (or DuckDB loaded): a bad path fails at once.
  const out = openOutput(output);
  if (fields !== undefined) {
    try {
      const { duckdbStage } = await import('../../engines/duckdb.js');
      const query = { table: scan.dataset, fields, where: filter.where, group, sort: format.sort, limit: format.limit, select: format.select };
      stages.push(declaredStage(fields, mismatched), await duckdbStage(query));
    } catch (error) {
      out.abort();
      throw error;
    }
  }
  stages.push(formatStage(format, options));
  noteTerminalInput(dataset?.readsStdin === true, scan.roots, program);
  const problems = new InputProblems(values.strict === true, program.warn);
  const reader = scanStage(scan, problems, {
    cache: values.cache !== false,
    fields: fields === undefined ? fieldsRead(filter.where, group, format) : undefined,
  });
  const status = await runChain(program, reader, stages, out, problems, values.quiet === true);
  if (fields !== undefined) for (const line of mismatchWarnings(fields, mismatched, 'read')) program.warn(line);
  return status;
}
