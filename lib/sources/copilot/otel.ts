/**
 * Copilot CLI's OpenTelemetry file export: one span or metric per line, a span written when it
 * ends (children before their parent). Each `chat` span is one model request, counted in place
 * of its session's totals from the session state (UsageEvent.exported). An `invoke_agent` span
 * sums its chat spans, so it is counted only for a trace none of whose chat spans came before
 * it (a cut-short export). Tool spans and metrics carry
 * nothing the session-state files do not: messages and tool calls are read from those.
 *
 * A span is one request wherever it is found (a copied or concatenated export, one file reached
 * by two paths): its usage is told with `traceId:spanId` as its message id, and the usage
 * dataset keeps one per id.
 */
import { inexactCount, type EventSink, type UsageTokens } from '../common/events.js';
import type { ReaderNeeds } from '../common/source.js';
import { isObject, nonEmptyStr, type Json } from '../common/json-values.js';
import { decodeLine, isCount, modelName } from './json.js';

/** The service and scope names Copilot CLI exports under (VS Code's Copilot Chat writes `copilot-chat`, another format). */
const SERVICE = 'github-copilot';
const SCOPE = 'github.copilot';
const OPERATIONS = new Set(['chat', 'invoke_agent', 'execute_tool']);

/** Each count under every name Copilot CLI has written it, the current first. */
const INPUT = ['gen_ai.usage.input_tokens'];
const OUTPUT = ['gen_ai.usage.output_tokens'];
const CACHE_READ = ['gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens'];
const CACHE_WRITE = ['gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_creation_input_tokens', 'gen_ai.usage.cache_write.input_tokens'];
const REASONING = ['gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.reasoning_tokens'];

/**
 * How many traces with chat spans are remembered: an invoke_agent span comes right after its
 * trace's chat spans (one trace is one prompt), so a few suffice, and the state stays small in a
 * file that grows for months.
 */
const RECENT_TRACES = 64;

/**
 * Whether a decoded record is a span or metric of Copilot CLI's export: a span surely by its
 * service or scope, perhaps by its GenAI operation; a metric perhaps, by its name (a metric
 * names neither service nor scope, and a flush of metrics may come before the first span's).
 */
export function otelRecognition(record: Json): 'surely' | 'perhaps' | false {
  if (record.type === 'metric') return isCopilotMetric(record) ? 'perhaps' : false;
  if (record.type !== 'span' || typeof record.traceId !== 'string' || typeof record.spanId !== 'string') return false;
  const resource = isObject(record.resource) && isObject(record.resource.attributes) ? record.resource.attributes : {};
  const scope = isObject(record.instrumentationScope) ? record.instrumentationScope : {};
  if (resource['service.name'] === SERVICE || scope.name === SCOPE) return 'surely';
  const attributes = isObject(record.attributes) ? record.attributes : {};
  return OPERATIONS.has(attributes['gen_ai.operation.name'] as string) ? 'perhaps' : false;
}

/** A metric under the GenAI or Copilot names, with its data points. */
function isCopilotMetric(record: Json): boolean {
  const name = record.name;
  return typeof name === 'string' && (name.startsWith('gen_ai.') || name.startsWith(`${SCOPE}.`)) && Array.isArray(record.dataPoints);
}

/** Whether a record is one of the export's lines (a span or a metric), not a session-state event. */
export function isOtelRecord(record: Json): boolean {
  return record.type === 'span' || record.type === 'metric';
}

/** What an OTel reader knows after some lines: enough to read on from there. */
export interface OtelState {
  kind: 'otel';
  /** The session the last session event was told for. */
  session: string | undefined;
  /** The traces whose chat spans were seen last, newest last. */
  chatTraces: string[];
}

/** `[seconds, nanoseconds]` since the epoch as an ISO time; undefined when it is not that. */
function isoOf(time: unknown): string | undefined {
  if (!Array.isArray(time) || time.length !== 2) return undefined;
  const [seconds, nanos] = time as unknown[];
  if (typeof seconds !== 'number' || typeof nanos !== 'number' || !Number.isFinite(seconds) || !Number.isFinite(nanos)) return undefined;
  const date = new Date(seconds * 1000 + Math.floor(nanos / 1e6));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The first of `names` that the attributes hold. */
function first(attributes: Json, names: readonly string[]): { name: string; value: unknown } | undefined {
  for (const name of names) if (attributes[name] !== undefined && attributes[name] !== null) return { name, value: attributes[name] };
  return undefined;
}

export class OtelReader {
  private session: string | undefined;
  private readonly chatTraces: string[];

  constructor(
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
    from?: OtelState,
  ) {
    this.session = from?.session;
    this.chatTraces = from?.chatTraces.slice() ?? [];
  }

  state(): OtelState {
    return { kind: 'otel', session: this.session, chatTraces: this.chatTraces.slice() };
  }

  line(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    // Spans hold usage and what sessions they are of, which only the usage datasets need.
    if (!this.needs.tokens) return;
    const record = decodeLine(buffer, start, end, lineNumber, this.sink);
    if (record !== undefined) this.record(record, lineNumber);
  }

  record(record: Json, lineNumber: number): void {
    if (!this.needs.tokens || record.type === 'metric') return;
    if (record.type !== 'span') {
      this.sink.malformed(
        lineNumber,
        `a record of type ${JSON.stringify(record.type)} in a Copilot CLI OpenTelemetry export, where seq knows "span" and "metric": skipped; a newer Copilot CLI may need a newer seq`,
      );
      return;
    }
    const attributes = record.attributes;
    const traceId = nonEmptyStr(record.traceId);
    const spanId = nonEmptyStr(record.spanId);
    if (!isObject(attributes) || traceId === undefined || spanId === undefined) {
      this.sink.malformed(lineNumber, 'a span without traceId, spanId or attributes: skipped');
      return;
    }
    const name = nonEmptyStr(record.name) ?? '';
    const operation = nonEmptyStr(attributes['gen_ai.operation.name']) ?? name.slice(0, Math.max(0, name.indexOf(' ')));
    if (operation !== 'chat' && operation !== 'invoke_agent') return;
    const end = isoOf(record.endTime) ?? isoOf(record.startTime);
    if (end === undefined) {
      this.sink.malformed(
        lineNumber,
        `span ${traceId}:${spanId} has no endTime as [seconds, nanoseconds] (found ${JSON.stringify(record.endTime)?.slice(0, 60)}): an export format seq does not know; skipped`,
      );
      return;
    }
    const sessionId = nonEmptyStr(attributes['gen_ai.conversation.id']);
    this.announce(sessionId, isoOf(record.startTime) ?? end, record);
    if (operation === 'chat') {
      this.noteChatTrace(traceId);
    } else if (this.chatTraces.includes(traceId)) {
      return; // the roll-up of chat spans already counted
    }
    const tokens = this.tokens(attributes, `${name || operation} span ${traceId}:${spanId}`, lineNumber);
    if (tokens === undefined) return;
    const model = modelName(nonEmptyStr(attributes['gen_ai.response.model']) ?? nonEmptyStr(attributes['gen_ai.request.model']));
    const key = `${traceId}:${spanId}`;
    this.sink.event({
      kind: 'usage',
      sessionId,
      timestamp: end,
      model,
      messageId: key,
      // The response's id is the request's; a roll-up is no one response, so it is known by its span.
      requestId: (operation === 'chat' ? nonEmptyStr(attributes['gen_ai.response.id']) : undefined) ?? key,
      sidechain: false,
      tokens,
      exported: true,
    });
  }

  /** A session event for the span's session when it is not the one last told, and for each prompt's root span (the earliest of its trace). */
  private announce(sessionId: string | undefined, start: string, record: Json): void {
    if (sessionId === undefined) return;
    if (sessionId === this.session && nonEmptyStr(record.parentSpanId) !== undefined) return;
    this.session = sessionId;
    const resource = isObject(record.resource) && isObject(record.resource.attributes) ? record.resource.attributes : {};
    this.sink.event({
      kind: 'session',
      sessionId,
      parentSessionId: undefined,
      start,
      cwd: undefined,
      client: undefined,
      version: nonEmptyStr(resource['service.version']),
      sidechain: false,
    });
  }

  private noteChatTrace(traceId: string): void {
    if (this.chatTraces[this.chatTraces.length - 1] === traceId) return;
    const at = this.chatTraces.indexOf(traceId);
    if (at >= 0) this.chatTraces.splice(at, 1);
    this.chatTraces.push(traceId);
    if (this.chatTraces.length > RECENT_TRACES) this.chatTraces.shift();
  }

  /**
   * A span's tokens. Its input count holds the cache reads and writes (the GenAI conventions, and
   * Copilot's own sums), its output count the reasoning. Undefined for a span without usage (a
   * failed request) and for one whose counts are no counts (told as malformed).
   */
  private tokens(attributes: Json, what: string, lineNumber: number): UsageTokens | undefined {
    const input = first(attributes, INPUT);
    const output = first(attributes, OUTPUT);
    if (input === undefined && output === undefined) return undefined;
    const counts = [input, output, first(attributes, CACHE_READ), first(attributes, CACHE_WRITE), first(attributes, REASONING)];
    for (const count of counts) {
      if (count === undefined || isCount(count.value)) continue;
      const inexact = inexactCount({ [count.name]: count.value });
      this.sink.malformed(
        lineNumber,
        inexact ?? `${what}: ${count.name} is ${JSON.stringify(count.value)?.slice(0, 40)}, not a token count; the span is skipped`,
      );
      return undefined;
    }
    const [inputAll, out, read, write, reasoning] = counts.map((count) => (count?.value as number | undefined) ?? 0) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const uncached = Math.max(0, inputAll - read - write);
    return {
      input_tokens: uncached,
      cache_read_tokens: read,
      cache_write_tokens: write,
      cache_write_1h_tokens: 0,
      output_tokens: out,
      reasoning_tokens: reasoning,
      total_tokens: uncached + read + write + out,
    };
  }
}
