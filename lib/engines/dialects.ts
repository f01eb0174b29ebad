/** The SQL dialects seq writes: its SQL engines' (`seq sql --dialect`). */
export const DIALECTS = ['duckdb', 'clickhouse'] as const;
export type Dialect = (typeof DIALECTS)[number];
