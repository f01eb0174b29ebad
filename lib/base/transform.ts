/**
 * The one way a stage is built: a through2 transform with a typed record handler. Stages take
 * objects; the JSON Lines decoder takes bytes (`bytesIn`). readable-stream's Transform is Node's
 * stream API, so it is typed here as Node's.
 */
import type { Transform } from 'node:stream';
import { objectTransform, transform } from 'through2';

export interface StageHandlers<In, Out> {
  /** Called for each incoming record (or chunk of bytes); `push` sends output downstream. */
  record(row: In, push: (out: Out) => void): void;
  /** Called once after the last record. */
  end?(push: (out: Out) => void): void;
}

/** What stage() made each stage of: its handlers and options (fused() composes them). */
const made = new WeakMap<Transform, { handlers: StageHandlers<unknown, unknown>; options: StageOptions }>();

interface StageOptions {
  bytesIn?: boolean;
  textOut?: boolean;
}

export function stage<In, Out>(handlers: StageHandlers<In, Out>, options: StageOptions = {}): Transform {
  let self: Transform | undefined;
  const push = (out: Out): void => {
    self?.push(out);
  };
  const onChunk = (chunk: In, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void => {
    try {
      handlers.record(chunk, push);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  };
  const onEnd = (callback: (error?: Error | null) => void): void => {
    try {
      handlers.end?.(push);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  };
  const t = (options.bytesIn
    ? transform({ readableObjectMode: true, readableHighWaterMark: 256 }, onChunk, onEnd)
    : options.textOut
      ? // Out go chunks of ~64 KB of text: a few are plenty, and more only sit in memory.
        objectTransform({ writableHighWaterMark: 256, readableHighWaterMark: 4 }, onChunk, onEnd)
      : objectTransform({ highWaterMark: 256 }, onChunk, onEnd)) as unknown as Transform;
  self = t;
  made.set(t, { handlers: handlers as StageHandlers<unknown, unknown>, options });
  return t;
}

/** The handlers of a stage that stage() made. */
export function stageHandlers(t: Transform): StageHandlers<unknown, unknown> | undefined {
  return made.get(t)?.handlers;
}

/**
 * Stages that stage() made, as one: each record goes through their handlers in turn, with no
 * stream between them; each stage's end is called after the one before it has ended (and pushed
 * what it held into the next). Undefined where one was made otherwise (or there are none).
 */
export function fused(stages: Transform[]): Transform | undefined {
  const parts = stages.map((t) => made.get(t));
  if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
  if (stages.length === 1) return stages[0];
  const all = parts as Array<{ handlers: StageHandlers<unknown, unknown>; options: StageOptions }>;
  // pushes[i]: where stage i pushes, the next stage's record (made once, not per record).
  let out: (chunk: unknown) => void = () => undefined;
  const pushes: Array<(chunk: unknown) => void> = [(chunk) => out(chunk)];
  for (let i = all.length - 1; i > 0; i--) {
    const next = (all[i] as (typeof all)[number]).handlers;
    const after = pushes[0] as (chunk: unknown) => void;
    pushes.unshift((chunk) => next.record(chunk, after));
  }
  const first = (all[0] as (typeof all)[number]).handlers;
  const into = pushes[0] as (chunk: unknown) => void;
  return stage<unknown, unknown>(
    {
      record(row, push) {
        out = push;
        first.record(row, into);
      },
      end(push) {
        out = push;
        for (const [i, part] of all.entries()) part.handlers.end?.(pushes[i] as (chunk: unknown) => void);
      },
    },
    { bytesIn: all[0]?.options.bytesIn, textOut: all[all.length - 1]?.options.textOut },
  );
}
