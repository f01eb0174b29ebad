/**
 * A file's events and line problems as text: one JSON array per line, its first element the
 * kind, its fields by position (no key names: an array parses faster than an object with the
 * same fields).
 * The cache keeps them so (read on every run), and reading threads send them so (one string
 * crosses between threads far cheaper than the objects it stands for). Only what this codec
 * wrote is ever decoded (a cache entry's checksum is checked first), so decoding trusts the shape.
 */
import type { EventSink, LogEvent, TokenCounts, UsageTokens } from './common/events.js';

/** What a reader told about a line, kept with the events so that a cached file reports it again. */
export type LineProblem = { kind: 'malformed'; line: number; text: string } | { kind: 'repaired'; line: number; text: string };
export type CachedItem = LogEvent | LineProblem;

type Cell = string | number | boolean | null | Cell[];

const KINDS = ['session', 'message', 'tool_call', 'token_count', 'usage', 'tool_output', 'malformed', 'repaired'] as const;
const CODE = new Map<string, number>(KINDS.map((kind, i) => [kind, i]));

// undefined has no JSON form: null stands for it (no field here is ever null itself).
const out = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
const back = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

const COUNTS = ['input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens', 'total_tokens'] as const;
const USAGE = [
  'input_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'output_tokens',
  'reasoning_tokens',
  'total_tokens',
] as const;

function countsOut(counts: TokenCounts | undefined): number[] | null {
  return counts === undefined ? null : COUNTS.map((key) => counts[key]);
}

function countsBack(cells: number[] | null): TokenCounts | undefined {
  if (cells === null) return undefined;
  const [input_tokens = 0, cached_input_tokens = 0, output_tokens = 0, reasoning_output_tokens = 0, total_tokens = 0] = cells;
  return { input_tokens, cached_input_tokens, output_tokens, reasoning_output_tokens, total_tokens };
}

/** One line of the cache (with its newline). */
export function encodeItem(item: CachedItem): string {
  const code = CODE.get(item.kind) as number;
  let cells: Cell[];
  switch (item.kind) {
    case 'session':
      cells = [item.sessionId, out(item.parentSessionId), out(item.start), out(item.cwd), out(item.client), out(item.version), item.sidechain];
      break;
    case 'message':
      cells = [item.role, item.text, out(item.timestamp), out(item.command), out(item.id)];
      break;
    case 'tool_call':
      cells = [
        item.callKind,
        item.tool,
        out(item.callId),
        out(item.argumentsLength),
        out(item.inputLength),
        out(item.status),
        out(item.timestamp),
        out(item.skill),
        out(item.filesChanged),
        out(item.linesAdded),
      ];
      break;
    case 'token_count':
      cells = [
        out(item.timestamp),
        out(item.model),
        countsOut(item.total),
        countsOut(item.last),
        out(item.modelContextWindow),
        countsOut(item.baseline),
        out(item.session),
      ];
      break;
    case 'usage':
      cells = [
        out(item.sessionId),
        out(item.timestamp),
        out(item.model),
        out(item.messageId),
        out(item.requestId),
        item.sidechain,
        ...USAGE.map((key) => item.tokens[key]),
        // Trailing cells only where a source has them: most usage has none.
        ...(item.loggedCostUsd === undefined && item.sessionTotals === undefined && item.exported === undefined
          ? []
          : [out(item.loggedCostUsd), out(item.sessionTotals?.requests), out(item.sessionTotals?.since), item.exported === true]),
      ];
      break;
    case 'tool_output':
      cells = [out(item.callId), out(item.timestamp), item.outputLength, out(item.originalTokenCount), out(item.isError)];
      break;
    case 'malformed':
    case 'repaired':
      cells = [item.line, item.text];
      break;
  }
  return `${JSON.stringify([code, ...cells])}\n`;
}

/** The items of whole cache lines (text that ends with a newline), in order. */
export function decodeItems(text: string): CachedItem[] {
  if (text === '') return [];
  const rows = JSON.parse(`[${text.slice(0, -1).replaceAll('\n', ',')}]`) as unknown[][];
  return rows.map(decodeRow);
}

/** Tells decoded items to a sink, in order, until `stopped` (a limit, --strict) says the scan is over. */
export function tellItems(items: CachedItem[], sink: EventSink, stopped: () => boolean): void {
  for (const item of items) {
    if (stopped()) return;
    if (item.kind === 'malformed') sink.malformed(item.line, item.text);
    else if (item.kind === 'repaired') sink.repaired(item.line, item.text);
    else sink.event(item);
  }
}

/** A sink that encodes what it is told and hands the text on before telling `sink` (what a recorder keeps). */
export function encodingSink(sink: EventSink, text: (text: string) => void): EventSink {
  return {
    event: (event) => {
      text(encodeItem(event));
      sink.event(event);
    },
    malformed: (line, reason) => {
      text(encodeItem({ kind: 'malformed', line, text: reason }));
      sink.malformed(line, reason);
    },
    repaired: (line, what) => {
      text(encodeItem({ kind: 'repaired', line, text: what }));
      sink.repaired(line, what);
    },
  };
}

function decodeRow(row: unknown[]): CachedItem {
  // biome-ignore lint/suspicious/noExplicitAny: the positions encodeItem wrote, checked by the entry's checksum
  const c = row as any[];
  switch (KINDS[c[0] as number]) {
    case 'session':
      return {
        kind: 'session',
        sessionId: c[1],
        parentSessionId: back(c[2]),
        start: back(c[3]),
        cwd: back(c[4]),
        client: back(c[5]),
        version: back(c[6]),
        sidechain: c[7],
      };
    case 'message':
      return { kind: 'message', role: c[1], text: c[2], timestamp: back(c[3]), command: back(c[4]), id: back(c[5]) };
    case 'tool_call':
      return {
        kind: 'tool_call',
        callKind: c[1],
        tool: c[2],
        callId: back(c[3]),
        argumentsLength: back(c[4]),
        inputLength: back(c[5]),
        status: back(c[6]),
        timestamp: back(c[7]),
        skill: back(c[8]),
        filesChanged: back(c[9]),
        linesAdded: back(c[10]),
      };
    case 'token_count':
      return {
        kind: 'token_count',
        timestamp: back(c[1]),
        model: back(c[2]),
        total: countsBack(c[3]) as TokenCounts,
        last: countsBack(c[4]),
        modelContextWindow: back(c[5]),
        baseline: countsBack(c[6]),
        session: back(c[7]),
      };
    case 'usage': {
      const tokens = {} as UsageTokens;
      for (const [i, key] of USAGE.entries()) tokens[key] = c[7 + i];
      const [logged, totals, since, exported] = [c[7 + USAGE.length], c[8 + USAGE.length], c[9 + USAGE.length], c[10 + USAGE.length]];
      return {
        kind: 'usage',
        sessionId: back(c[1]),
        timestamp: back(c[2]),
        model: back(c[3]),
        messageId: back(c[4]),
        requestId: back(c[5]),
        sidechain: c[6],
        tokens,
        ...(typeof logged === 'number' ? { loggedCostUsd: logged } : {}),
        ...(typeof totals === 'number' ? { sessionTotals: { requests: totals, since: back(since) } } : {}),
        ...(exported === true ? { exported: true as const } : {}),
      };
    }
    case 'tool_output':
      return { kind: 'tool_output', callId: back(c[1]), timestamp: back(c[2]), outputLength: c[3], originalTokenCount: back(c[4]), isError: back(c[5]) };
    case 'malformed':
      return { kind: 'malformed', line: c[1], text: c[2] };
    case 'repaired':
      return { kind: 'repaired', line: c[1], text: c[2] };
    default:
      throw new Error(`unknown cache item kind ${String(c[0])}`);
  }
}
