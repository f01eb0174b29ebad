/**
 * The one rule for records that a copy of a session repeats: a resumed Claude session's file
 * (the conversation so far, copied under a new session id), a Codex rollout kept in two places
 * (sessions/ and archived_sessions/, a .jsonl beside its .jsonl.zst, a backup), an excerpt. Each
 * record is counted once, in the first file read that holds it (files are read in the walk's
 * order: names sorted, which for rollouts is the order they were begun), by an identity that
 * every copy keeps:
 *
 * | record | identity |
 * |---|---|
 * | tool call, tool output | the tool-use id (Claude `tool_use.id`, Codex `call_id`) |
 * | Claude model request | `message.id` and `requestId` (the largest copy kept: requests.ts) |
 * | message | Claude: the line's uuid and block; Codex: the session, the line's time, the role and a digest of the text |
 * | Codex token snapshot | the session and the line's time (a copy holds a stretch of the session from its start) |
 *
 * A record without an identity (a log that gives none, or an empty one) is always counted. A
 * fork's or subagent's replay of its parent's history is not a copy of it: the Codex reader
 * leaves it out. The identities are the readers' (events.ts); the scan applies the rule.
 */
import type { LogEvent, TokenCountEvent, TokenCounts } from '../sources/common/events.js';
import { KeySlots } from './key-slots.js';

/**
 * The records counted so far in one scan: the scan asks it of every event, before any dataset
 * sees one, so every dataset (and every dataset read in the same scan) counts the same records.
 */
export class Replays {
  private readonly seen = new KeySlots();
  /** Per Codex session: where its counting stands. */
  private readonly timelines = new Map<string, Timeline>();
  private files = 0;

  /** The filter of the next file's events: the event to count (a snapshot perhaps with the total it follows on from), or undefined for a repeat. */
  file(): (event: LogEvent) => LogEvent | undefined {
    const snapshots = new SnapshotReplays(this.timelines, ++this.files);
    return (event) => {
      switch (event.kind) {
        case 'tool_call':
          return this.first('c', event.callId) ? event : undefined;
        case 'tool_output':
          return this.first('o', event.callId) ? event : undefined;
        case 'message':
          return this.first('m', event.id) ? event : undefined;
        case 'token_count':
          return snapshots.next(event);
        default:
          return event;
      }
    };
  }

  /** True the first time an identity is seen (it is then counted); false for a repeat. No identity (none, or empty): always true. */
  private first(kind: string, identity: string | undefined): boolean {
    return identity === undefined || identity === '' || this.seen.intern(`${kind}\u0000${identity}`).added;
  }
}

/** Where a Codex session's counting stands: the file counting it, its last snapshot's time and total. */
interface Timeline {
  file: number;
  last: string;
  total: TokenCounts;
}

/**
 * One Codex file's token snapshots less those counted from another copy of the rollout. A
 * session's snapshots come in time order, and a copy holds a stretch of them from the start: a
 * snapshot at or before the last one counted for its session from another file is a repeat. The
 * first snapshot counted after another file's starts from where that file's counters stood, as
 * the first one after a fork's replay starts from the parent's: only what the copy adds is counted.
 */
class SnapshotReplays {
  /** Set from the first snapshot on, once this file is known to go on from another file's counting. */
  private followsOn: TokenCounts | undefined;

  constructor(
    private readonly timelines: Map<string, Timeline>,
    private readonly file: number,
  ) {}

  /** The snapshot to count (with the total it follows on from), or undefined for a repeat. */
  next(event: TokenCountEvent): TokenCountEvent | undefined {
    const { session, timestamp } = event;
    if (session === undefined || timestamp === undefined) return event;
    const counted = this.timelines.get(session);
    if (counted !== undefined && counted.file !== this.file) {
      if (timestamp <= counted.last) {
        this.followsOn = event.total;
        return undefined;
      }
      this.followsOn ??= counted.total;
    }
    if (counted === undefined || counted.file !== this.file) this.timelines.set(session, { file: this.file, last: timestamp, total: event.total });
    else if (timestamp >= counted.last) {
      counted.last = timestamp;
      counted.total = event.total;
    }
    if (this.followsOn === undefined) return event;
    const baseline = event.baseline ?? this.followsOn;
    this.followsOn = undefined;
    return { ...event, baseline };
  }
}
