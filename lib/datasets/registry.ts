/** Every dataset seq-scan can produce, by name. Each lives in its own file beside this one. */
import { jsonlDataset } from './jsonl.js';
import { messagesDataset } from './messages.js';
import { runsDataset } from './runs.js';
import { sessionsDataset } from './sessions.js';
import { skillMentionsDataset } from './skill-mentions.js';
import { tokenDeltasDataset, tokenEventsDataset, tokenSessionsDataset } from './tokens.js';
import { toolCallsDataset } from './tool-calls.js';
import { toolOutputsDataset } from './tool-outputs.js';
import type { Catalog } from '../spec/catalog.js';
import type { FilterSpec, FormatSpec, GroupSpec, ScanSpec } from '../spec/types.js';
import { checkFieldNames } from '../spec/field-names.js';
import type { JsonValue } from '../jsonl/json.js';
import type { Dataset, FieldInfo } from './types.js';
import { usageDataset } from './usage.js';
import { AGENT_NAMES } from '../sources/agents.js';

// As `seq datasets` lists them: the session logs' first, then the run store, and the generic reader of any JSON Lines.
const DATASETS: readonly Dataset[] = [
  messagesDataset,
  skillMentionsDataset,
  tokenEventsDataset,
  tokenDeltasDataset,
  tokenSessionsDataset,
  toolCallsDataset,
  toolOutputsDataset,
  usageDataset,
  sessionsDataset,
  runsDataset,
  jsonlDataset,
];

export function datasetNames(): string[] {
  return DATASETS.map((d) => d.name);
}

export function findDataset(name: string): Dataset | undefined {
  return DATASETS.find((d) => d.name === name);
}

export function allDatasets(): readonly Dataset[] {
  return DATASETS;
}

/** A dataset as a table: its columns, and whether its rows hold exactly those (else their input's own keys too). */
export interface DatasetTable {
  fields: FieldInfo[];
  exact: boolean;
}

/** The table of a dataset under these params, or why it has none (it keeps its input's own fields). */
export function datasetTable(name: string, params: Record<string, JsonValue>): DatasetTable | string {
  const dataset = findDataset(name);
  if (dataset?.fields === undefined) return `dataset "${name}" keeps its input's own fields, so it has no table`;
  // A session dataset builds its rows from its fields; the others keep their records' keys beside them.
  return { fields: dataset.rowFields?.(params) ?? dataset.fields, exact: dataset.kind === 'session' };
}

/** The columns of a dataset whose rows are a table (an SQL engine's), or why they are not. */
export function sqlTable(name: string, params: Record<string, JsonValue>): FieldInfo[] | string {
  const table = datasetTable(name, params);
  if (typeof table === 'string') return table;
  return table.exact ? table.fields : `dataset "${name}" keeps its records' own keys beside its fields, so its rows are no table's`;
}

/** Refuses a spec's field names that no row of its dataset has, where the dataset declares all of its rows' fields. */
export function checkSpecFields(scan: ScanSpec, filter: FilterSpec, group?: GroupSpec, format?: FormatSpec, more: readonly string[] = []): void {
  const table = sqlTable(scan.dataset, scan.params);
  if (typeof table === 'string') return;
  const names = new Set(table.map((field) => field.name));
  // A declared name ending in _N stands for each number (has_section_N: has_section_1, ...).
  const others = (findDataset(scan.dataset)?.fields ?? [])
    .map((field) => field.name)
    .filter((name) => !names.has(name))
    .map((name) => (name.endsWith('_N') ? new RegExp(`^${name.slice(0, -1)}\\d+$`) : name));
  const otherParams = (name: string): boolean => others.some((other) => (typeof other === 'string' ? other === name : other.test(name)));
  checkFieldNames(scan.dataset, [...table, ...more.map((name) => ({ name, type: 'string' }))], filter, group, format, otherParams);
}

/** The datasets and the agents as the spec reader knows them. */
export const CATALOG: Catalog = {
  names: DATASETS.map((d) => d.name),
  sources: AGENT_NAMES,
  params: (name) => findDataset(name)?.params,
};
