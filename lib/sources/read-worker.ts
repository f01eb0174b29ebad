/**
 * A reading thread (read-protocol.ts says how it talks to the scan): reads the files it is given,
 * in order, with the scan's own reader, and posts what the reader told, its events encoded.
 * Everything here is synchronous: jobs are taken with receiveMessageOnPort, and the thread
 * sleeps on the shared counters (Atomics) when it has no job or too much waiting unused.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { encodingSink } from './event-codec.js';
import type { EventSink } from './common/events.js';
import {
  BATCH_TEXT,
  consumedSlot,
  jobsSlot,
  MESSAGE_BATCHES,
  MESSAGE_TEXT,
  MESSAGES_AHEAD,
  STATE,
  type Batch,
  type Job,
  type HandlerNote,
  type WorkerSetup,
} from './read-protocol.js';
import { SessionFileReader, type FileHandler } from './session-reader.js';
import { errorReason } from '../base/errors.js';
import { sourceWanted } from './wanted.js';

if (parentPort === null) throw new Error('read-worker runs as a worker thread');
const jobs = parentPort;
const setup = workerData as WorkerSetup;
const state = new Int32Array(setup.state);
const consumed = consumedSlot(setup.worker);
const announced = jobsSlot(setup.worker);
/** The longest sleep before the stop flag is looked at again. */
const WAIT_MS = 200;

/** Sleeps on a slot until it changes (or WAIT_MS pass). */
function wait(slot: number, value: number): void {
  Atomics.wait(state, slot, value, WAIT_MS);
}

let posted = 0;
let message: Batch[] = [];
let transfer: ArrayBuffer[] = [];
let messageText = 0;
let pieces: string[] = [];
let piecesText = 0;

const stopped = (): boolean => Atomics.load(state, STATE.STOP) !== 0;

function post(): void {
  if (message.length === 0) return;
  for (;;) {
    if (stopped()) return;
    const used = Atomics.load(state, consumed);
    if (posted - used < MESSAGES_AHEAD) break;
    wait(consumed, used);
  }
  setup.port.postMessage(message, transfer);
  posted++;
  message = [];
  transfer = [];
  messageText = 0;
  Atomics.add(state, STATE.SIGNAL, 1);
  Atomics.notify(state, STATE.SIGNAL);
}

/** Ends the job's current batch (with what the reader told, if anything). */
function cut(job: number, bytes: number, note: HandlerNote | undefined, done: boolean): void {
  let events: Uint8Array | undefined;
  if (pieces.length > 0) {
    const text = pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
    // A buffer of its own (not from Buffer's shared pool), so that it can be transferred.
    events = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    Buffer.from(events.buffer).write(text);
    transfer.push(events.buffer as ArrayBuffer);
    messageText += events.length;
  }
  pieces = [];
  piecesText = 0;
  message.push({ job, events, bytes, note, done });
  if (messageText >= MESSAGE_TEXT || message.length >= MESSAGE_BATCHES) post();
}

/** The scan waits for this job, or for one before it that this message holds: post now. */
function wanted(job: number): boolean {
  const first = message[0]?.job ?? job;
  return Math.min(first, job) <= Atomics.load(state, STATE.WANTED);
}

function read({ job, path, from }: Job): void {
  let reader: SessionFileReader | undefined;
  const tell = (note: HandlerNote): void => cut(job, reader?.bytesRead ?? 0, note, false);
  const sink: EventSink = encodingSink({ event() {}, malformed() {}, repaired() {} }, (text) => {
    pieces.push(text);
    piecesText += text.length;
  });
  const handler: FileHandler = {
    source: (source) => {
      tell({ kind: 'source', source });
      return sourceWanted(setup.source, source);
    },
    unknown: (reason) => tell({ kind: 'unknown', reason }),
    point: (point, edges, settled) => tell({ kind: 'point', point, edges, settled }),
    unreadable: (reason) => tell({ kind: 'unreadable', reason }),
  };
  try {
    try {
      reader = new SessionFileReader(path, setup.needs, sink, handler, from);
    } catch (error) {
      tell({ kind: 'unreadable', reason: errorReason(error) });
      cut(job, 0, undefined, true);
      return;
    }
    while (!reader.done) {
      if (stopped()) {
        reader.close();
        return;
      }
      reader.pump();
      if (piecesText >= BATCH_TEXT) cut(job, reader.bytesRead, undefined, false);
      if (wanted(job)) {
        if (pieces.length > 0) cut(job, reader.bytesRead, undefined, false);
        post();
      }
    }
    cut(job, reader.bytesRead, undefined, true);
  } catch (error) {
    reader?.close();
    pieces = [];
    piecesText = 0;
    cut(
      job,
      reader?.bytesRead ?? 0,
      { kind: 'failed', reason: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined },
      true,
    );
  }
  if (wanted(job)) post();
}

while (!stopped()) {
  const seen = Atomics.load(state, announced);
  const next = receiveMessageOnPort(jobs);
  if (next !== undefined) {
    read(next.message as Job);
    continue;
  }
  // Nothing to read: what waits is posted, then the thread sleeps until a job is announced.
  post();
  wait(announced, seen);
}
