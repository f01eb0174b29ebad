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
 * | message | where it is written (Claude: the line's uuid and block; Codex: the session and the line's time), its role and text |
 * | Codex token snapshot | the session and the line's time (a copy holds a stretch of the session from its start) |
 *
 * A record without an identity (a log that gives none, or an empty one) is always counted. A fork's or subagent's
 * replay of its parent's history is not a copy of it: the Codex reader leaves it out.
 */
import type { MessageEvent, TokenCountEvent, TokenCounts, ToolCallEvent, ToolOutputEvent } from '../sources/events.js';
import { KeySlots } from './key-slots.js';

/** The identities counted so far in a scan, for one dataset. */
export class Replays {
  private readonly seen = new KeySlots();

  /** True the first time an identity is seen (it is then counted); false for a repeat. No identity (none, or empty): always true. */
  private first(kind: string, identity: string | undefined, detail = ''): boolean {
    return identity === undefined || identity === '' || this.seen.intern(`${kind}\u0000${identity}\u0000${detail}`).added;
  }

  call(event: ToolCallEvent | ToolOutputEvent): boolean {
    return this.first(event.kind === 'tool_call' ? 'c' : 'o', event.callId);
  }

  /** `digest`: of the message's role and text, as the dataset keeps them. */
  message(event: MessageEvent, digest: string): boolean {
    return this.first('m', event.id, digest);
  }

  /** A Codex file's snapshots, less what a copy repeats. */
  snapshots(): SnapshotReplays {
    return new SnapshotReplays(this.timelines, ++this.files);
  }

  /** Per Codex session: where its counting stands. */
  private readonly timelines = new Map<string, Timeline>();
  private files = 0;
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
export class SnapshotReplays {
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
