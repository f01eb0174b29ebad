/** What `seq sql` runs: its declaration (sql.ts) loads this when it runs. */
import { UsageError } from '../../base/errors.js';
import { CATALOG, checkSpecFields, sqlTable } from '../../datasets/registry.js';
import { compileSql } from '../../engines/sql.js';
import { notOneOf } from '../../base/suggestion.js';
import type { SQL_FLAGS } from './sql.js';
import type { Values } from '../../base/command.js';
import { DIALECTS, type Dialect } from '../../engines/dialects.js';
import { filterSpecOf, formatSpecOf, givenSpec, groupSpecOf, scanSpecOf } from '../../spec/from-flags.js';

export async function runSql(values: Values<typeof SQL_FLAGS>, paths: string[]): Promise<number | undefined> {
  const { spec } = givenSpec(values, CATALOG);
  const scan = scanSpecOf(spec, values, paths, CATALOG);
  const dialect = values.dialect ?? 'duckdb';
  if (!(DIALECTS as readonly string[]).includes(dialect)) throw notOneOf('--dialect', dialect, DIALECTS, 'seq sql');
  const fields = sqlTable(scan.dataset, scan.params);
  if (typeof fields === 'string') throw new UsageError(fields, undefined, 'seq sql');
  const filter = filterSpecOf(spec, values);
  const group = groupSpecOf(spec, values);
  const format = formatSpecOf(spec, values, group !== undefined);
  checkSpecFields(scan, filter, group, format);
  const query = {
    table: scan.dataset,
    fields,
    where: filter.where,
    group,
    sort: format.sort,
    limit: format.limit,
    select: format.select,
  };
  process.stdout.write(`${compileSql(query, dialect as Dialect).sql};\n`);
  return 0;
}
