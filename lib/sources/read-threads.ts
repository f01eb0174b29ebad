/**
 * Reading on every core: once a scan has asked for enough bytes to be worth it,
 * files are read by worker threads (read-worker.ts), several ahead of the one the scan uses,
 * while the scan's thread does what comes after the reader: the dataset, grouping, output (and,
 * with one worker, reads a part of the files itself: ownShare). A worker sends its events
 * encoded (event-codec lines, in a buffer that is transferred, not copied), and the cache keeps
 * that text as it is. How they talk: read-protocol.ts. Files are given to workers in walk order,
 * the order the scan uses them in: the flow control cannot deadlock only because of that (a
 * file asked for at its turn is read in the scan's thread: ReadRequest.now).
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { Source } from '../spec/types.js';
import { decodeItems, tellItems } from './event-codec.js';
import type { EventSink } from './common/events.js';
import { consumedSlot, jobsSlot, STATE, stateBytes, type Batch, type Job, type WorkerSetup } from './read-protocol.js';
import { openAtTurn, InThreadOpener, type FileHandler, type FileOpener, type FileRead, type ReadRequest } from './session-reader.js';
import type { ReaderNeeds } from './common/source.js';
import { nodeWorkerThreads } from '../base/builtins.js';

/** Below this much to read, starting threads (each a new V8 isolate) costs more than they save. */
const WORTH_THREADS_BYTES = 16 * 1024 * 1024;
/**
 * Jobs given to a worker whose last batch the scan has not received: enough that a worker seldom
 * waits for the scan to give it more, and no more, because every file opened ahead is held long
 * enough to reach the old generation of the heap, which raises the peak.
 */
const JOBS_PER_WORKER = 32;
/**
 * The part of the files the scan's thread reads itself, given the workers. Using a worker's
 * output (the dataset, the walk, decoding) costs the scan's thread about half of what reading
 * costs a worker, so with one worker, reading a quarter of the files itself keeps both threads
 * busy; with two or more, their output is all it can use.
 */
export function ownShare(workers: number): number {
  return Math.max(0, 0.5 - 0.25 * workers);
}
/** The longest the scan's thread waits for a batch before it lets its event loop turn (progress, Ctrl-C). */
const WAIT_MS = 25;

/** The worker's script: built beside the executables (dist/read-worker.cjs). Run from the sources, there is none. */
const WORKER_SCRIPT = fileURLToPath(new URL('./read-worker.cjs', import.meta.url));

/** How a scan reads: on this many reading threads, once it has asked for this many bytes. */
export interface ThreadPlan {
  threads: number;
  afterBytes: number;
}

/**
 * The most reading threads a scan starts by itself: the scan's own thread uses every worker's
 * output (the walk, decoding their events, the datasets), and past four it is the limit.
 */
const MOST_THREADS = 4;

/**
 * SEQ_THREADS=N: N reading threads, from the first file (0: none, every file is read in the
 * scan's thread). Unset: one per core but the scan's own, at most MOST_THREADS, once the scan
 * has 16 MB to read; none on one or two cores, where a reading thread's own costs (a second heap
 * and compiler, its events encoded and decoded) take what it saves. None where the worker's
 * script is not built (running from the sources).
 */
export function threadPlan(): ThreadPlan {
  const setting = process.env.SEQ_THREADS;
  const given = setting !== undefined && setting.trim() !== '';
  const cores = availableParallelism();
  const threads = given ? Number(setting) : cores > 2 ? Math.min(cores - 1, MOST_THREADS) : 0;
  if (!Number.isInteger(threads) || threads < 1 || !existsSync(WORKER_SCRIPT)) return { threads: 0, afterBytes: 0 };
  return { threads: Math.min(threads, 64), afterBytes: given ? 0 : WORTH_THREADS_BYTES };
}

/** Opens files in this thread until enough bytes were asked for, then on reading threads. */
export class ReadThreads implements FileOpener {
  private readonly here: InThreadOpener;
  private pool: Pool | undefined;
  private asked = 0;
  private closed = false;

  constructor(
    private readonly needs: ReaderNeeds,
    private readonly source: Source,
    private readonly plan: ThreadPlan,
  ) {
    this.here = new InThreadOpener(needs);
  }

  get readsAhead(): boolean {
    return this.pool !== undefined && !this.pool.full;
  }

  open(path: string, sink: EventSink, handler: FileHandler, request: ReadRequest = {}): FileRead {
    if (this.pool === undefined && !this.closed) {
      this.asked += request.from !== undefined ? request.from.size - request.from.point.offset : (request.size ?? sizeOf(path));
      if (this.asked >= this.plan.afterBytes) this.start();
    }
    // Nothing to read (a file unchanged since the cache's entry): its reader only ends it, here.
    const nothing = request.from !== undefined && request.from.point.offset >= request.from.size;
    if (this.pool === undefined || nothing || request.now === true) return this.here.open(path, sink, handler, request);
    if (this.pool.ownTurn()) return new LaterRead(() => openAtTurn(this.here, path, sink, handler, request));
    return new PooledRead(path, this.pool, this.pool.submit(path, request.from), sink, handler, request.text);
  }

  /** Starts the workers; where threads cannot be made (a limit on processes), every file is read here. */
  private start(): void {
    try {
      this.pool = new Pool(this.needs, this.source, this.plan.threads);
    } catch {
      this.closed = true;
    }
  }

  close(): void {
    this.closed = true;
    this.pool?.close();
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // reported when it is read
  }
}

/**
 * A file the scan's thread reads itself, opened only when the scan gets to it (files are opened
 * well ahead of their turn, and an open file holds a descriptor).
 */
class LaterRead implements FileRead {
  private read: FileRead | undefined;
  private finished = false;

  constructor(private readonly open: () => FileRead) {}

  get done(): boolean {
    return this.finished || (this.read?.done ?? false);
  }

  get bytesRead(): number {
    return this.read?.bytesRead ?? 0;
  }

  pump(): void {
    if (this.finished) return;
    this.read ??= this.open();
    this.read.pump();
  }

  close(): void {
    this.finished = true;
    this.read?.close();
  }
}

/** A file read by a worker, used here batch by batch: to the scan, the same as a reader of its own. */
class PooledRead implements FileRead {
  private finished = false;
  bytesRead = 0;

  constructor(
    private readonly path: string,
    private readonly pool: Pool,
    private readonly job: number,
    private readonly sink: EventSink,
    private readonly handler: FileHandler,
    private readonly text: ((text: string) => void) | undefined,
  ) {}

  get done(): boolean {
    return this.finished;
  }

  /** Uses the job's next batch; when it is not here yet, waits a little, then returns (pump again). */
  pump(): void {
    if (this.finished) return;
    const batch = this.pool.take(this.job);
    if (batch === undefined) return;
    this.bytesRead = batch.bytes;
    const events = batch.events;
    if (events !== undefined) {
      const text = Buffer.from(events.buffer, events.byteOffset, events.length).toString('utf8');
      this.text?.(text);
      tellItems(decodeItems(text), this.sink, () => this.finished);
    }
    const note = batch.note;
    if (note !== undefined && !this.finished) {
      switch (note.kind) {
        case 'source':
          this.handler.source(note.source); // the worker asked the same question of the scan's source
          break;
        case 'unknown':
          this.handler.unknown(note.reason);
          break;
        case 'point':
          this.handler.point?.(note.point, note.edges, note.settled);
          break;
        case 'unreadable':
          this.handler.unreadable(note.reason);
          break;
        case 'failed': {
          const error = new Error(`a reading thread failed on ${this.path}: ${note.reason}`);
          if (note.stack !== undefined) error.stack = note.stack; // shown with SEQ_DEBUG=1
          throw error;
        }
      }
    }
    if (batch.done) this.finished = true;
  }

  close(): void {
    if (this.finished) return;
    this.finished = true;
    this.pool.cancel(this.job);
  }
}

interface Waiting {
  batch: Batch;
  /** The worker whose message this batch ends: using it frees the worker to post another. */
  ends: number | undefined;
}

class Pool {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly state: Int32Array;
  /** Each job's batches received and not used yet. */
  private readonly waiting = new Map<number, Waiting[]>();
  /** Jobs given to each worker and not finished. */
  private readonly unfinished: number[];
  /** Which worker reads each unfinished job. */
  private readonly reader = new Map<number, number>();
  private readonly cancelled = new Set<number>();
  private nextJob = 0;
  /** The part of the files the scan's thread reads itself (ownShare), and the count of each kind so far. */
  private readonly share: number;
  private own = 0;
  private given = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(needs: ReaderNeeds, source: Source, threads: number) {
    const shared = new SharedArrayBuffer(stateBytes(threads));
    this.state = new Int32Array(shared);
    Atomics.store(this.state, STATE.WANTED, -1);
    this.unfinished = new Array<number>(threads).fill(0);
    this.share = ownShare(threads);
    try {
      for (let worker = 0; worker < threads; worker++) this.startWorker(worker, { needs, source, state: shared });
    } catch (error) {
      this.close();
      throw error;
    }
  }

  private startWorker(worker: number, shared: Omit<WorkerSetup, 'worker' | 'port'>): void {
    const { MessageChannel, Worker } = nodeWorkerThreads();
    const { port1, port2 } = new MessageChannel();
    const setup: WorkerSetup = { ...shared, worker, port: port2 };
    // A small young generation, as the scan's own (bin/*): a larger one raises the memory peak, not the speed.
    const thread = new Worker(WORKER_SCRIPT, { workerData: setup, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: 12 } });
    thread.on('error', (error) => {
      this.failure ??= new Error(`a reading thread failed: ${error.message}`);
    });
    thread.on('exit', (code) => {
      if (!this.closed) this.failure ??= new Error(`a reading thread stopped (exit code ${code})`);
    });
    // The scan takes their batches without its event loop (receiveMessageOnPort): workers must
    // not keep the process alive after a scan that was dropped unfinished (an error downstream).
    thread.unref();
    this.workers.push(thread);
    this.ports.push(port1);
  }

  /** Every worker has enough to read: opening more files ahead would only hold them. */
  get full(): boolean {
    return this.unfinished.every((jobs) => jobs >= JOBS_PER_WORKER);
  }

  /** Whether the next file is one for the scan's thread to read itself. */
  ownTurn(): boolean {
    // The first goes to a worker: a scan of one large file is then read on one core and used on the other.
    const mine = this.own < this.share * (this.own + this.given);
    if (mine) this.own++;
    else this.given++;
    return mine;
  }

  /** Gives a file to the worker with the fewest unfinished jobs; returns the job's number. */
  submit(path: string, from: Job['from']): number {
    const job = this.nextJob++;
    let worker = 0;
    for (let w = 1; w < this.unfinished.length; w++) if ((this.unfinished[w] as number) < (this.unfinished[worker] as number)) worker = w;
    this.unfinished[worker] = (this.unfinished[worker] as number) + 1;
    this.reader.set(job, worker);
    const message: Job = { job, path, from };
    (this.workers[worker] as Worker).postMessage(message);
    Atomics.add(this.state, jobsSlot(worker), 1);
    Atomics.notify(this.state, jobsSlot(worker));
    return job;
  }

  /** The job's next batch: taken from what the workers posted, waiting up to WAIT_MS for it. */
  take(job: number): Batch | undefined {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      const signal = Atomics.load(this.state, STATE.SIGNAL);
      this.receive();
      const next = this.waiting.get(job)?.shift();
      if (next !== undefined) {
        if (this.waiting.get(job)?.length === 0) this.waiting.delete(job);
        Atomics.store(this.state, STATE.WANTED, -1);
        this.used(next);
        return next.batch;
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      Atomics.store(this.state, STATE.WANTED, job);
      Atomics.wait(this.state, STATE.SIGNAL, signal, left);
    }
  }

  /**
   * The scan will not use this job (a cache entry's read-on, when the entry proved unusable): its
   * batches are dropped as they come. The worker still reads it (the tail appended to one file).
   */
  cancel(job: number): void {
    for (const waiting of this.waiting.get(job) ?? []) this.used(waiting);
    this.waiting.delete(job);
    if (this.reader.has(job)) this.cancelled.add(job); // still being read
  }

  private used(waiting: Waiting): void {
    if (waiting.ends === undefined) return;
    Atomics.add(this.state, consumedSlot(waiting.ends), 1);
    Atomics.notify(this.state, consumedSlot(waiting.ends));
  }

  /** Takes every message the workers posted, without waiting. */
  private receive(): void {
    const { receiveMessageOnPort } = nodeWorkerThreads();
    this.ports.forEach((port, worker) => {
      for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
        const batches = message.message as Batch[];
        batches.forEach((batch, i) => {
          const waiting: Waiting = { batch, ends: i === batches.length - 1 ? worker : undefined };
          if (batch.done) {
            this.unfinished[worker] = (this.unfinished[worker] as number) - 1;
            this.reader.delete(batch.job);
          }
          if (this.cancelled.has(batch.job)) {
            if (batch.done) this.cancelled.delete(batch.job);
            this.used(waiting);
            return;
          }
          let list = this.waiting.get(batch.job);
          if (list === undefined) {
            list = [];
            this.waiting.set(batch.job, list);
          }
          list.push(waiting);
        });
      }
    });
  }

  /** Stops every worker where it is; what they were reading is dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.state, STATE.STOP, 1);
    for (let i = 0; i < this.state.length; i++) Atomics.notify(this.state, i);
    for (const worker of this.workers) void worker.terminate();
    for (const port of this.ports) port.close();
    this.waiting.clear();
  }
}
