/** How a session-log dataset is declared: its fields, params and a factory of its logic. */
import type { JsonValue } from '../jsonl/json.js';
import { BASE_FIELDS, openSessionScan, type SessionDatasetImpl } from './session-scan.js';
import type { Dataset, FieldInfo, ParamInfo, ScanContext } from './types.js';

export interface SessionDatasetDefinition {
  name: string;
  description: string;
  /** The dataset's own fields, after the ones every row has. */
  fields: FieldInfo[];
  params: ParamInfo[];
  create(params: Record<string, JsonValue>, scan: ScanContext): SessionDatasetImpl;
}

export function sessionDataset(definition: SessionDatasetDefinition): Dataset {
  return {
    name: definition.name,
    description: definition.description,
    fields: [...BASE_FIELDS.map((f) => ({ ...f })), ...definition.fields],
    params: definition.params,
    readsStdin: false,
    open: (scan) => openSessionScan(scan, definition.create(scan.params, scan)),
    logic: (scan) => definition.create(scan.params, scan),
  };
}

/** A boolean param's value (the spec reader has checked its type). */
export function flag(params: Record<string, JsonValue>, name: string): boolean {
  return params[name] === true;
}
