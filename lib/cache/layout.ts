/**
 * The persistent cache of what the readers extracted from each session file, so that a second
 * scan reads only what changed. One folder per set of reader needs (a usage scan
 * keeps no message text), under `$XDG_CACHE_HOME/seq` (default `~/.cache/seq`):
 *
 *   events-<format>/<needs>/index.jsonl    a header, then one line per file, sorted in walk order:
 *                                           path, size, mtime, inode, where its events are, the read
 *                                           point (to read on after an append), fingerprints, checksums
 *   events-<format>/<needs>/index.news.jsonl  the lines of files read or dropped since, over that
 *                                           index (index-news.ts): a save of a few writes only these
 *   events-<format>/<needs>/seg-*.dat       the events, as event-codec lines, entry after entry
 *   events-<format>/<needs>/journal-*.tmp   a running scan's new index lines (index-file.ts)
 *
 * A scan writes new entries to a segment of its own, then, under the index's lock, writes them
 * with the index's news, or merges them into the newest index as a stream, and renames the file
 * into place: a scan killed at any moment leaves the old files whole, and its segment,
 * referenced by nothing, is removed by a later scan. Every entry
 * is checked (the index line's own checksum, the data's SHA-1) before it is used; a damaged
 * one is ignored and its file read again. An index from another format or seq version is
 * ignored as a whole, so a new seq never trusts what an old one wrote.
 */
import { AGENTS } from '../sources/registry.js';
import { xdgFolder } from '../base/xdg.js';
import { join } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import type { ReaderNeeds } from '../sources/common/source.js';

/**
 * The cache's format. Bump it whenever a reader's events, the codec or the read point change:
 * test/unit/cache.test.ts pins a digest of those sources to this number to make sure of it.
 */
export const CACHE_FORMAT = 10;
// V8's too: the reasons kept for malformed lines are its JSON.parse messages.
// Each agent's reader format too: adding an agent, or changing what one reads, leaves no entry trusted.
const READERS = AGENTS.map((agent) => `${agent.name}:${agent.readerFormat}`).join(',');
/** What a kept entry or table was made by: it is trusted only by the same. */
export const VERSION = `${CACHE_FORMAT}/${READERS}/${pkg.version}/${process.versions.v8}`;

/** `$XDG_CACHE_HOME/seq`, else `~/.cache/seq` (a relative XDG_CACHE_HOME is ignored, as the spec says). */
export function cacheRoot(): string {
  return join(xdgFolder('XDG_CACHE_HOME', '.cache'), 'seq');
}

/**
 * Below the cache's folder, what `seq push` keeps of what each table acknowledged: no scan can make
 * it again, so `seq cache clear` leaves it.
 */
export const PUSH_STATE = 'push';

export function formatFolder(root = cacheRoot()): string {
  return join(root, `events-${CACHE_FORMAT}`);
}

/** The folder name of a set of needs: the events kept depend on them and on nothing else. */
export function needsKey(needs: ReaderNeeds): string {
  const parts = [needs.messages && 'messages', needs.toolCalls && 'tool_calls', needs.toolOutputs === true && 'tool_outputs', needs.tokens && 'tokens'];
  return parts.filter((part) => part !== false).join('+') || 'sessions';
}

/** The first line of an index: the cache's version and the needs its entries serve. */
export function header(key: string): string {
  return `${JSON.stringify({ seq_cache: VERSION, needs: key })}\n`;
}
