/**
 * The walk over a Claude Code line's bytes: where each member the reader needs starts and ends
 * (the top-level ones, and those of its message), and the line's type where it is written plainly.
 */
import { keyTable, sameBytes, skipString, valueAt } from '../common/json-bytes.js';

/** The members of a line read from its bytes (and those of its message): each has a start and an end in `Walk.at`. */
export const TOP_KEYS = ['type', 'message', 'sessionId', 'timestamp', 'requestId', 'isSidechain', 'agentId', 'cwd', 'version', 'entrypoint'] as const;
export const MESSAGE_KEYS = ['id', 'model', 'usage'] as const;
export type Member = (typeof TOP_KEYS)[number] | `message.${(typeof MESSAGE_KEYS)[number]}`;
export const SLOT = Object.fromEntries([...TOP_KEYS.map((k, i) => [k, i]), ...MESSAGE_KEYS.map((k, i) => [`message.${k}`, TOP_KEYS.length + i])]) as Record<
  Member,
  number
>;
export const SLOTS = TOP_KEYS.length + MESSAGE_KEYS.length;

export const TOP_TABLE = keyTable(TOP_KEYS.map((key, i) => [key, i] as const));
export const MESSAGE_TABLE = keyTable(MESSAGE_KEYS.map((key, i) => [key, TOP_KEYS.length + i] as const));

const TYPE_MEMBER = Buffer.from('"type":"');

/**
 * The line's type where it is written as Claude Code writes it, before any nested object or
 * array (user lines, and assistant lines of 2.1): found by native searches, not by a walk. A
 * `"type":"` right after a `{` or `,`, with no `{` or `[` before it but the line's own, is a
 * member of the line itself: inside a string its quotes would be escaped, and a key ending in an
 * escaped quote has a backslash before it. Undefined when the line is written otherwise.
 */
export function compactType(view: Buffer): string | undefined {
  const at = plainTypeMember(view);
  if (at < 0) return undefined;
  const valueStart = at + TYPE_MEMBER.length - 1;
  const valueEnd = skipString(view, valueStart, view.length);
  if (valueEnd < 0) return undefined;
  return typeAt(view, valueStart, valueEnd);
}

/** Where in `view` (a line) its type member's key begins where compactType reads it; -1 where it is written otherwise. */
export function plainTypeMember(view: Buffer): number {
  const at = view.indexOf(TYPE_MEMBER);
  if (at < 1 || (view[at - 1] !== 0x7b && view[at - 1] !== 0x2c)) return -1;
  if (view.lastIndexOf(0x7b, at) > 0 || view.lastIndexOf(0x5b, at) >= 0) return -1;
  return at;
}

const TYPE_NAMES = ['user', 'assistant'].map((name) => ({ name, bytes: Buffer.from(JSON.stringify(name)) }));

/** A type written as a plain string, read without making a string of it where it is one the reader knows. */
export function typeAt(bytes: Buffer, start: number, end: number): string {
  for (const { name, bytes: quoted } of TYPE_NAMES) {
    if (end - start === quoted.length && sameBytes(bytes, start, quoted)) return name;
  }
  const type = valueAt(bytes, start, end);
  return typeof type === 'string' ? type : '';
}

/** What the walk over one line found, and what it decided. */
export class Walk {
  readonly at = new Int32Array(SLOTS * 2);
  type: string | undefined;
  /** The line must be decoded whole: it is needed as a whole, or the walk could not tell. */
  decode = false;
  /** The line walked: [start, end) of its buffer. */
  start = 0;
  end = 0;

  reset(start: number, end: number): void {
    this.at.fill(-1);
    this.type = undefined;
    this.decode = false;
    this.start = start;
    this.end = end;
  }

  has(member: Member): boolean {
    return (this.at[SLOT[member] * 2] as number) >= 0;
  }

  value(bytes: Buffer, member: Member): unknown {
    const slot = SLOT[member];
    return valueAt(bytes, this.at[slot * 2] as number, this.at[slot * 2 + 1] as number);
  }
}
