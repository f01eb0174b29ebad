/**
 * The one way a stage is built: a through2 object transform with a typed record handler.
 * readable-stream's Transform is Node's stream API, so it is typed here as Node's.
 */
import type { Transform } from 'node:stream';
import { objectTransform } from 'through2';

export interface StageHandlers<In, Out> {
  /** Called for each incoming record; `push` sends output downstream. */
  record(row: In, push: (out: Out) => void): void;
  /** Called once after the last record. */
  end?(push: (out: Out) => void): void;
}

export function stage<In, Out>(handlers: StageHandlers<In, Out>): Transform {
  let self: Transform | undefined;
  const push = (out: Out): void => {
    self?.push(out);
  };
  const t = objectTransform(
    { highWaterMark: 256 },
    function (chunk: In, _encoding: BufferEncoding, callback: (error?: Error | null) => void) {
      try {
        handlers.record(chunk, push);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
    function (callback: (error?: Error | null) => void) {
      try {
        handlers.end?.(push);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
  ) as unknown as Transform;
  self = t;
  return t;
}
