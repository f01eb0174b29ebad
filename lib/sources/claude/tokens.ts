/** Anthropic's usage counts in the common vocabulary of tokens. */
import { isObject, type Json } from '../common/json-values.js';
import type { UsageTokens } from '../common/events.js';
import { keyTable, type KeyTable, sameBytes, skipSpace, skipString, slotOf, walkObject, type MemberVisitor } from '../common/json-bytes.js';

/** The members of a usage that claudeTokens counts, nested ones dotted. */
export const COUNT_MEMBERS = [
  'input_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
  'cache_creation.ephemeral_1h_input_tokens',
  'output_tokens',
  'output_tokens_details.thinking_tokens',
] as const;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function tokensOf(input: number, cacheRead: number, cacheWrite: number, cacheWriteHour: number, output: number, thinking: number): UsageTokens {
  return {
    input_tokens: input,
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    cache_write_1h_tokens: Math.min(cacheWrite, cacheWriteHour),
    output_tokens: output,
    reasoning_tokens: Math.min(output, thinking),
    total_tokens: input + cacheRead + cacheWrite + output,
  };
}

/** Anthropic usage in the one vocabulary: input excludes cache reads and writes. */
export function claudeTokens(usage: Json): UsageTokens {
  const details = isObject(usage.output_tokens_details) ? usage.output_tokens_details : undefined;
  const creation = isObject(usage.cache_creation) ? usage.cache_creation : undefined;
  return tokensOf(
    count(usage.input_tokens),
    count(usage.cache_read_input_tokens),
    count(usage.cache_creation_input_tokens),
    count(creation?.ephemeral_1h_input_tokens),
    count(usage.output_tokens),
    count(details?.thinking_tokens),
  );
}

// The members read from the bytes: their place in `UsageBytes.counts`.
const INPUT = 0;
const CACHE_READ = 1;
const CACHE_WRITE = 2;
const OUTPUT = 3;
const THINKING = 4;
const DETAILS = 5;
const WRITE_HOUR = 6;
const CREATION = 7;

const USAGE_TABLE = keyTable([
  ['input_tokens', INPUT],
  ['cache_read_input_tokens', CACHE_READ],
  ['cache_creation_input_tokens', CACHE_WRITE],
  ['output_tokens', OUTPUT],
  ['output_tokens_details', DETAILS],
  ['cache_creation', CREATION],
]);
const DETAILS_TABLE = keyTable([['thinking_tokens', THINKING]]);
const CREATION_TABLE = keyTable([['ephemeral_1h_input_tokens', WRITE_HOUR]]);
const EMPTY: KeyTable = [];

/** Whether [from, to) is printable ASCII without a backslash: text that JSON.parse reads as it is. */
function plain(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i] as number;
    if (c === 0x5c || c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

const LITERALS = ['true', 'false', 'null'].map((word) => Buffer.from(word));
const NOT_PLAIN = -1;

/**
 * Reads a usage object whose members are all plain: counts (non-negative integers of at most 15
 * digits, so exact and under 2^53), plain strings, true, false, null, and objects of those. A
 * fraction, an exponent, a sign, an escape, an array, anything JSON does not allow: not plain,
 * and the caller decodes the object instead.
 */
class UsageBytes {
  readonly counts = new Float64Array(8);
  /** Where the last plain value read ends. */
  private end = 0;
  /** Whether the last plain value read is a number or null (a count as written), not text, true or false. */
  private number = true;

  read(bytes: Buffer, start: number, end: number): UsageTokens | undefined {
    this.counts.fill(0);
    if (walkObject(bytes, start, end, this.visitUsage) !== end) return undefined;
    const c = this.counts;
    return tokensOf(c[INPUT] as number, c[CACHE_READ] as number, c[CACHE_WRITE] as number, c[WRITE_HOUR] as number, c[OUTPUT] as number, c[THINKING] as number);
  }

  private member(bytes: Buffer, keyStart: number, keyEnd: number, valueStart: number, limit: number, table: KeyTable): number {
    if (!plain(bytes, keyStart, keyEnd)) return -1;
    const slot = slotOf(bytes, keyStart, keyEnd, table);
    // The last of a repeated key counts, as in JSON.parse: a details or cache_creation member resets what it holds.
    if (slot === DETAILS) this.counts[THINKING] = 0;
    if (slot === CREATION) this.counts[WRITE_HOUR] = 0;
    const count = slot >= 0 && slot !== DETAILS && slot !== CREATION;
    if (bytes[valueStart] === 0x7b) {
      // A count written as an object is read with a repair, which the decoded usage reports.
      if (count) return -1;
      // A nested object (cache_creation, server_tool_use, output_tokens_details): plain members only.
      const visit = slot === DETAILS ? this.visitDetails : slot === CREATION ? this.visitCreation : this.visitOther;
      return walkObject(bytes, valueStart, limit, visit);
    }
    const value = this.plainValue(bytes, valueStart, limit);
    if (value === NOT_PLAIN) return -1;
    if (count) {
      // A count written as text, true or false is read with a repair, which the decoded usage reports.
      if (!this.number) return -1;
      this.counts[slot] = value;
    }
    return this.end;
  }

  private readonly visitUsage: MemberVisitor = (b, keyStart, keyEnd, valueStart, limit) => this.member(b, keyStart, keyEnd, valueStart, limit, USAGE_TABLE);
  private readonly visitDetails: MemberVisitor = (b, keyStart, keyEnd, valueStart, limit) => this.member(b, keyStart, keyEnd, valueStart, limit, DETAILS_TABLE);
  private readonly visitCreation: MemberVisitor = (b, keyStart, keyEnd, valueStart, limit) =>
    this.member(b, keyStart, keyEnd, valueStart, limit, CREATION_TABLE);
  private readonly visitOther: MemberVisitor = (b, keyStart, keyEnd, valueStart, limit) => this.member(b, keyStart, keyEnd, valueStart, limit, EMPTY);

  /** A plain value's count (0 for a string, true, false or null), its end left in `end` and whether it is a count (a number or null) in `number`; NOT_PLAIN for any other value. */
  private plainValue(bytes: Buffer, start: number, limit: number): number {
    const first = bytes[start] as number;
    this.number = first !== 0x22 && first !== 0x74 && first !== 0x66; // not a string, true or false
    if (first >= 0x30 && first <= 0x39) {
      let i = start;
      let value = 0;
      for (let c = first; c >= 0x30 && c <= 0x39 && i < limit; c = bytes[++i] as number) value = value * 10 + (c - 0x30);
      // JSON allows no leading zero. (A fraction or an exponent stops the walk after the digits: not plain.)
      if (i - start > 15 || (first === 0x30 && i - start > 1)) return NOT_PLAIN;
      this.end = i;
      return value;
    }
    if (first === 0x22) {
      const stringEnd = skipString(bytes, start, limit);
      if (stringEnd < 0 || !plain(bytes, start + 1, stringEnd - 1)) return NOT_PLAIN;
      this.end = stringEnd;
      return 0;
    }
    for (const literal of LITERALS) {
      if (limit - start >= literal.length && sameBytes(bytes, start, literal)) {
        this.end = start + literal.length;
        return 0;
      }
    }
    return NOT_PLAIN;
  }
}

const usageBytes = new UsageBytes();

/**
 * The tokens of the usage object at [start, end) (from its `{` to just after its `}`), read from
 * its bytes where every member is plain (UsageBytes): what claudeTokens gives for it decoded.
 * Undefined where the bytes hold anything else: the caller decodes it.
 */
export function claudeTokensAt(bytes: Buffer, start: number, end: number): UsageTokens | undefined {
  if (bytes[skipSpace(bytes, start, end)] !== 0x7b) return undefined;
  return usageBytes.read(bytes, start, end);
}
