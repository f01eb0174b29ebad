import type { Source } from '../spec/types.js';
import type { SourceName } from './common/events.js';

/** Whether a scan for `wanted` (an agent's name, or auto) reads a file of `source`. */
export function sourceWanted(wanted: Source, source: SourceName): boolean {
  return wanted === 'auto' || wanted === source;
}
