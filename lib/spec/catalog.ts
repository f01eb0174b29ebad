/**
 * What the spec reader knows of datasets and agents: the datasets' names and params, and the
 * agents' names (the values of `source`). The registries give it to the commands that own the
 * spec's scan keys (seq-scan, seq query, the reports); the other stages read those keys for
 * their shape only.
 */
import type { JsonValue } from '../jsonl/json.js';

export type ParamType = 'boolean' | 'integer' | 'string' | 'string[]';

export interface ParamInfo {
  name: string;
  type: ParamType;
  default: JsonValue;
  help: string;
  /** For a string param, or each string of a list: the values it may take. */
  choices?: readonly string[];
  /** It names a file of this machine: machines with other paths for it still give the same dataset. */
  local?: boolean;
}

export interface Catalog {
  /** The datasets' names. */
  readonly names: readonly string[];
  /** The agents' names. */
  readonly sources: readonly string[];
  /** The dataset's params; undefined for a name the catalog does not have. */
  params(dataset: string): readonly ParamInfo[] | undefined;
}
