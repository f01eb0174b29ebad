/** The options that say where a team's ClickHouse tables are: seq push writes them, seq query --engine clickhouse reads them. */
import type { Flags } from '../../base/command.js';

export const CLICKHOUSE_FLAGS = {
  clickhouse: { type: 'string', help: "The team's ClickHouse server: http://[USER:PASSWORD@]HOST:8123 (or CLICKHOUSE_USER, CLICKHOUSE_PASSWORD)" },
  database: { type: 'string', help: 'The database of the tables (default: default)' },
  table: { type: 'string', help: "The table's name (default: the dataset's; its rows are in TABLE_rows)" },
} as const satisfies Flags;
