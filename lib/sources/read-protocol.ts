/**
 * What the scan and its reading threads say to each other (read-threads.ts, read-worker.ts).
 *
 * The scan posts jobs (a file to read whole, or on from an earlier read's point) to the worker
 * it chooses. A worker reads its jobs in order with the scan's own SessionFileReader and posts
 * back batches: the events as event-codec lines, and what the reader told its handler, in the
 * order it told it. The scan uses them file by file, in its own order, exactly as it would use
 * a reader of its own; so a scan on threads gives what a scan in one thread gives.
 *
 * Flow is kept with a few shared counters (STATE) rather than messages: the scan takes batches
 * with receiveMessageOnPort and waits on SIGNAL, so it never needs its event loop to turn to be
 * given work; a worker waits while MESSAGES_AHEAD of its messages are unused, so what waits in
 * memory is bounded however large a file is. That cannot deadlock because jobs are numbered,
 * given and used in walk order: the job the scan waits for is always at the head of what its
 * worker has left to send.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Source } from '../spec/types.js';
import type { SourceName } from './common/events.js';
import type { ReadPoint } from './session-reader.js';
import type { FileEdges } from './lines.js';
import type { ReaderNeeds } from './common/source.js';

/** What a reader told its handler, at its place among the events. */
export type HandlerNote =
  | { kind: 'source'; source: SourceName }
  | { kind: 'unknown'; reason: string }
  | { kind: 'point'; point: ReadPoint; edges: FileEdges | undefined; settled: boolean }
  | { kind: 'unreadable'; reason: string }
  /** The worker failed on this file (a defect, not a bad file: those are told as line problems). */
  | { kind: 'failed'; reason: string; stack: string | undefined };

/** Some of a job's output: first its events, then what it told, if anything. */
export interface Batch {
  job: number;
  /**
   * The events, as event-codec lines in UTF-8, in a buffer of their own that the message
   * transfers (not copied, and outside the scan's heap until it is used).
   */
  events: Uint8Array | undefined;
  /** Bytes of the file the reader had read by then. */
  bytes: number;
  note: HandlerNote | undefined;
  /** The job's last batch. */
  done: boolean;
}

export interface Job {
  job: number;
  path: string;
  from: { point: ReadPoint; size: number } | undefined;
}

export interface WorkerSetup {
  worker: number;
  needs: ReaderNeeds;
  source: Source;
  /** STATE counters, shared by the scan and every worker. */
  state: SharedArrayBuffer;
  /** Where the worker posts its batches (messages of Batch[]). */
  port: MessagePort;
}

/** Slots of the shared Int32Array. */
export const STATE = {
  /** Messages posted by any worker: the scan waits on it when it has nothing to use. */
  SIGNAL: 0,
  /** 1 once the scan needs nothing more: workers stop where they are. */
  STOP: 1,
  /** The job the scan waits for (-1: none): a worker holding a batch of it posts at once. */
  WANTED: 2,
} as const;

/** Worker w's slot: messages of it that the scan has used whole (it waits on this when too many are not). */
export const consumedSlot = (worker: number): number => 3 + 2 * worker;
/** Worker w's slot: jobs posted to it (it sleeps on this when it has none). */
export const jobsSlot = (worker: number): number => 4 + 2 * worker;
/** The shared counters for this many workers. */
export const stateBytes = (workers: number): number => 4 * (3 + 2 * workers);

/** A worker's messages not yet used that make it wait. */
export const MESSAGES_AHEAD = 8;
/** Events text that ends a batch, and that a message holds before it is posted. */
export const BATCH_TEXT = 64 * 1024;
export const MESSAGE_TEXT = 256 * 1024;
/** Batches that a message holds before it is posted (many small files share a message). */
export const MESSAGE_BATCHES = 128;
