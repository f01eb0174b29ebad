/**
 * What ties a file's rows to other files: the identities of its records that a scan matches
 * across files (a copy's repeated records, replays.ts; a request's copies, requests.ts). A file
 * none of whose identities another file has gives the same rows read alone as read with the
 * rest, for a dataset whose rows do not gather a session's files (SessionDatasetImpl
 * gathersSessions), which is what lets a kept table be patched with such a file read again
 * (table-patch.ts).
 *
 * Identities are kept as 53-bit hashes: two that collide only make two files look tied, which
 * costs a patch, never a wrong row.
 */
import type { LogEvent } from '../sources/common/events.js';

/** A 53-bit hash of a text (cyrb53, in the public domain), seeded by the kind of identity. */
export function hash53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function add(out: number[], identity: string | undefined, seed: number): void {
  if (identity !== undefined && identity !== '') out.push(hash53(identity, seed));
}

/** Adds the identities of a record that tie it to other files. */
export function linksOf(event: LogEvent, out: number[]): void {
  switch (event.kind) {
    case 'tool_call':
    case 'tool_output':
      add(out, event.callId, 1);
      break;
    case 'message':
      add(out, event.id, 2);
      break;
    case 'token_count':
      add(out, event.session, 3);
      break;
    case 'usage':
      add(out, event.messageId, 4);
      break;
  }
}

/** A file's identities, each once, ascending. */
export function distinct(hashes: readonly number[]): Float64Array {
  const sorted = Float64Array.from(hashes).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
  return sorted.subarray(0, n);
}
