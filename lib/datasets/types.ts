import type { JsonValue } from '../jsonl/json.js';
import type { InputProblems } from '../jsonl/problems.js';
import type { RecordReader } from '../jsonl/read.js';
import type { Source } from '../spec/types.js';
import type { TimeWindow } from '../spec/time.js';
import type { SessionDatasetImpl } from './session-scan.js';

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any';

export interface FieldInfo {
  name: string;
  type: FieldType;
  description: string;
}

export type ParamType = 'boolean' | 'integer' | 'string' | 'string[]';

export interface ParamInfo {
  name: string;
  type: ParamType;
  default: JsonValue;
  help: string;
  /** For a string param: the values it may take. */
  choices?: readonly string[];
}

/** What a dataset is given to produce its rows. */
export interface ScanContext {
  /** Files or folders to read; empty means the dataset's default places (or stdin). */
  inputs: string[];
  params: Record<string, JsonValue>;
  source: Source;
  window: TimeWindow;
  tz: string;
  /** Where unreadable files and malformed lines are counted and reported. */
  problems: InputProblems;
  /** Use the cache of what earlier scans read from session files (off: every file is read afresh). */
  cache: boolean;
}

export interface Dataset {
  name: string;
  description: string;
  /** The fields of its rows, in output order; undefined when rows keep the input's own fields. */
  fields: FieldInfo[] | undefined;
  params: ParamInfo[];
  /** True when, given no input, it reads JSON Lines from stdin (rather than the agents' log folders). */
  readsStdin: boolean;
  /** The dataset's rows as an object-mode stream, with a way to stop reading early. */
  open(context: ScanContext): RecordReader;
  /** A session dataset's logic, to be read with others in one scan (combineSessionDatasets); absent for the others. */
  logic?(context: ScanContext): SessionDatasetImpl;
}
