/**
 * A Copilot CLI log is one of two kinds, told apart by its first record: an OpenTelemetry
 * export (spans and metrics: usage) or a session's events (session, messages, tool calls).
 */
import type { EventSink } from '../common/events.js';
import type { LogReader, ReaderNeeds } from '../common/source.js';
import { decodeLine } from './json.js';
import { isOtelRecord, OtelReader, type OtelState } from './otel.js';
import { EventsReader, type EventsState } from './session-state.js';

export type CopilotState = OtelState | EventsState;

export class CopilotReader implements LogReader {
  private kind: OtelReader | EventsReader | undefined;

  constructor(
    private readonly path: string,
    private readonly sink: EventSink,
    private readonly needs: ReaderNeeds,
    from?: CopilotState,
  ) {
    if (from?.kind === 'otel') this.kind = new OtelReader(sink, needs, from);
    else if (from?.kind === 'events') this.kind = new EventsReader(path, sink, needs, from);
  }

  line(buffer: Buffer, start: number, end: number, lineNumber: number): void {
    if (end === start) return;
    if (this.kind !== undefined) {
      this.kind.line(buffer, start, end, lineNumber);
      return;
    }
    const record = decodeLine(buffer, start, end, lineNumber, this.sink);
    if (record === undefined) return;
    this.kind = isOtelRecord(record) ? new OtelReader(this.sink, this.needs) : new EventsReader(this.path, this.sink, this.needs);
    this.kind.record(record, lineNumber);
  }

  state(): CopilotState | null {
    return this.kind?.state() ?? null;
  }

  finish(): void {
    if (this.kind instanceof EventsReader) this.kind.finish();
  }
}
