/**
 * How a session-log dataset is declared (its fields, params and a factory of its logic), the
 * fields every row starts with, and several datasets combined to be read in one scan. The scan
 * that runs them over files is in lib/scan.
 */
import { AGENTS } from '../sources/registry.js';
import type { JsonValue, Row } from '../jsonl/json.js';
import type { SourceName } from '../sources/common/events.js';
import type { ParamInfo } from '../spec/catalog.js';
import { bucketsAt } from '../time/buckets.js';
import { instantMs, rowTime } from '../time/iso.js';
import type { Emit, FieldInfo, RowIdentity, ScanContext, SessionDataset, SessionDatasetImpl } from './types.js';
import type { ReaderNeeds } from '../sources/common/source.js';

/** The row fields every session dataset has, with their types, for dataset-schema. */
export const BASE_FIELDS = [
  { name: 'source', type: 'string', description: `the agent whose log it is: ${AGENTS.map((agent) => agent.name).join(', ')}` },
  { name: 'session_id', type: 'string', description: 'the session (a Claude subagent counts toward its parent)' },
  { name: 'path', type: 'string', description: 'the file the row comes from', private: 'path' },
  { name: 'timestamp', type: 'string', description: 'when (ISO 8601, UTC), where the log says' },
  { name: 'day', type: 'string', description: 'YYYY-MM-DD in --tz' },
  { name: 'week', type: 'string', description: 'ISO week YYYY-Www in --tz' },
  { name: 'month', type: 'string', description: 'YYYY-MM in --tz' },
] as const;

/** `ms`: the timestamp's instant, when the caller has it already. */
export function rowBase(
  source: SourceName,
  sessionId: string | undefined,
  path: string,
  timestamp: string | undefined,
  zone: string,
  ms = timestamp === undefined ? NaN : instantMs(timestamp),
): Row {
  const buckets = Number.isNaN(ms) ? undefined : bucketsAt(ms, zone);
  return {
    source,
    session_id: sessionId ?? null,
    path,
    timestamp: timestamp === undefined ? null : rowTime(timestamp, ms),
    day: buckets?.day ?? null,
    week: buckets?.week ?? null,
    month: buckets?.month ?? null,
  };
}

/** A row of one of several datasets read together (combineSessionDatasets), with its dataset's place among them. */
export interface PartRow extends Row {
  part: number;
  row: Row;
}

/**
 * Several session datasets from one reading of the files: each file is read once, with what any
 * of them needs, and its events go to each dataset in turn; each row comes out as a PartRow.
 */
export function combineSessionDatasets(impls: SessionDatasetImpl[]): SessionDatasetImpl {
  const needs: ReaderNeeds = {
    messages: impls.some((impl) => impl.needs.messages),
    toolCalls: impls.some((impl) => impl.needs.toolCalls),
    tokens: impls.some((impl) => impl.needs.tokens),
    toolOutputs: impls.some((impl) => impl.needs.toolOutputs === true),
  };
  // The scan's emit is one function for the whole scan: each part's is made from it once.
  let parts: Emit[] | undefined;
  const emitters = (emit: Emit): Emit[] =>
    (parts ??= impls.map(
      (_, part): Emit =>
        (row) =>
          emit({ part, row } satisfies PartRow),
    ));
  return {
    needs,
    gathersSessions: impls.some((impl) => impl.gathersSessions === true),
    file(context) {
      const consumers = impls.map((impl) => impl.file(context));
      return {
        event(event, emit) {
          const emits = emitters(emit);
          for (let i = 0; i < consumers.length; i++) consumers[i]?.event(event, emits[i] as Emit);
        },
        finish(emit) {
          const emits = emitters(emit);
          consumers.forEach((consumer, i) => {
            consumer.finish?.(emits[i] as Emit);
          });
        },
      };
    },
    *end() {
      for (let part = 0; part < impls.length; part++) {
        for (const row of impls[part]?.end?.() ?? []) yield { part, row } satisfies PartRow;
      }
    },
  };
}

export interface SessionDatasetDefinition {
  name: string;
  description: string;
  /** The dataset's own fields, after the ones every row has. */
  fields: FieldInfo[];
  params: ParamInfo[];
  identity?: RowIdentity;
  inputsKey?(params: Record<string, JsonValue>): string;
  /** Its own fields under these params, where they depend on them (after the ones every row has). */
  rowFields?(params: Record<string, JsonValue>): FieldInfo[];
  create(params: Record<string, JsonValue>, scan: ScanContext): SessionDatasetImpl;
}

export function sessionDataset(definition: SessionDatasetDefinition): SessionDataset {
  return {
    name: definition.name,
    description: definition.description,
    fields: [...BASE_FIELDS.map((f) => ({ ...f })), ...definition.fields],
    params: definition.params,
    ...(definition.identity === undefined ? {} : { identity: definition.identity }),
    ...(definition.inputsKey === undefined ? {} : { inputsKey: definition.inputsKey }),
    ...(definition.rowFields === undefined
      ? {}
      : { rowFields: (params: Record<string, JsonValue>) => [...BASE_FIELDS.map((f) => ({ ...f })), ...(definition.rowFields?.(params) ?? [])] }),
    kind: 'session',
    readsStdin: false,
    logic: (scan) => definition.create(scan.params, scan),
  };
}

/** A boolean param's value (the spec reader has checked its type). */
export function flag(params: Record<string, JsonValue>, name: string): boolean {
  return params[name] === true;
}
