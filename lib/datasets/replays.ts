/**
 * The one rule for records that a copy of a session repeats: a resumed Claude session's file
 * (the conversation so far, copied under a new session id), a Codex rollout kept in two places
 * (sessions/ and archived_sessions/, a .jsonl beside its .jsonl.zst, a backup), an excerpt. Each
 * record is counted once, in the first file read that holds it, by an identity that every copy
 * keeps:
 *
 * | record | identity |
 * |---|---|
 * | tool call, tool output | the tool-use id (Claude `tool_use.id`, Codex `call_id`) |
 * | Claude model request | `message.id` and `requestId` (the largest copy kept: requests.ts) |
 * | message | where it is written (Claude: the line's uuid and block; Codex: the session and the line's time), its role and text |
 * | Codex token snapshot | the session, the line's time, and the cumulative total |
 *
 * A record without an identity (a log that gives none) is always counted. A fork's or subagent's
 * replay of its parent's history is not a copy of it: the Codex reader leaves it out.
 */
import type { MessageEvent, TokenCountEvent, TokenCounts, ToolCallEvent, ToolOutputEvent } from '../sources/events.js';
import { KeySlots } from './key-slots.js';

/** The identities counted so far in a scan, for one dataset. */
export class Replays {
  private readonly seen = new KeySlots();

  /** True the first time an identity is seen (it is then counted); false for a repeat. Undefined: always true. */
  first(identity: string | undefined): boolean {
    if (identity === undefined) return true;
    if (this.seen.find(identity) !== undefined) return false;
    this.seen.add(identity);
    return true;
  }

  call(event: ToolCallEvent | ToolOutputEvent): boolean {
    return this.first(event.callId === undefined ? undefined : `${event.kind}\u0000${event.callId}`);
  }

  /** `digest`: of the message's role and text, as the dataset keeps them. */
  message(event: MessageEvent, digest: string): boolean {
    return this.first(event.id === undefined ? undefined : `message\u0000${event.id}\u0000${digest}`);
  }

  /** A Codex file's snapshots, less what a copy repeats. */
  snapshots(): SnapshotReplays {
    return new SnapshotReplays(this);
  }
}

/**
 * One Codex file's token snapshots less those counted from another copy of the rollout. The
 * first snapshot after repeated ones starts from the last repeated total, as the first one after
 * a fork's replay starts from the parent's: only what the copy adds is counted.
 */
export class SnapshotReplays {
  private lastRepeated: TokenCounts | undefined;

  constructor(private readonly replays: Replays) {}

  /** The snapshot to count (with the total it follows on from), or undefined for a repeat. */
  next(event: TokenCountEvent): TokenCountEvent | undefined {
    const identity = event.id === undefined ? undefined : `token_count\u0000${event.id}\u0000${event.total.total_tokens}`;
    if (!this.replays.first(identity)) {
      this.lastRepeated = event.total;
      return undefined;
    }
    if (this.lastRepeated === undefined) return event;
    const baseline = event.baseline ?? this.lastRepeated;
    this.lastRepeated = undefined;
    return { ...event, baseline };
  }
}
