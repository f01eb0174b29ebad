/**
 * Node's modules that most starts never use, loaded at their first use: loading crypto,
 * child_process or worker_threads costs a start some milliseconds each (`seq --version`, a
 * stage in a pipe), and most runs of most commands need none of them.
 */
import { createRequire } from 'node:module';

type Crypto = typeof import('node:crypto');
type ChildProcess = typeof import('node:child_process');
type WorkerThreads = typeof import('node:worker_threads');

const load = createRequire(import.meta.url);
let crypto: Crypto | undefined;
let childProcess: ChildProcess | undefined;
let workerThreads: WorkerThreads | undefined;

export const nodeCrypto = (): Crypto => (crypto ??= load('node:crypto') as Crypto);
export const nodeChildProcess = (): ChildProcess => (childProcess ??= load('node:child_process') as ChildProcess);
export const nodeWorkerThreads = (): WorkerThreads => (workerThreads ??= load('node:worker_threads') as WorkerThreads);
