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

export function stage<In, Out>(handlers: StageHandlers<In, Out>, options: { bytesIn?: boolean; textOut?: boolean } = {}): Transform {
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
  return t;
}
