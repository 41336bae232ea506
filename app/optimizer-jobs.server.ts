/**
 * The optimizer's worker thread (decision record 0020). A fit of a year's reviews takes seconds
 * of CPU: it never runs on a request. The server starts one thread (app/optimizer.worker.ts,
 * bundled to build/optimizer.worker.js by `npm run build`) with its own database connection; it
 * executes queued runs one at a time, and every hour (and at start) queues the automatic runs
 * that are due. A request queues a run (requestRun) and posts a wake-up; a run queued by another
 * process on the same PostgreSQL is found by polling.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/client';
import { dueAutoRuns, executeRun, nextQueuedRun, requestRun, requeueStaleRuns, setRunWaker } from './models/parameters.server';

/** How often the worker looks for runs another process queued. */
export const OPTIMIZER_POLL_MS = 30_000;
/** How often it queues the automatic runs that are due. */
export const OPTIMIZER_SWEEP_MS = 3_600_000;
/** Connections the worker keeps to a PostgreSQL server: one run at a time, and its progress writes. */
export const OPTIMIZER_WORKER_POOL_SIZE = 2;

export interface OptimizerWorkerData {
  /** The SQLite path or PostgreSQL URL the worker opens its own connection to. */
  target: string;
  pollMs: number;
  sweepMs: number;
}

/** Executes the queued runs, oldest first, until none is left; returns how many this process ran. */
export async function workQueuedRuns({ db, now = () => new Date() }: { db: Db; now?: () => Date }): Promise<number> {
  let ran = 0;
  for (let id = await nextQueuedRun({ db }); id !== null; id = await nextQueuedRun({ db })) {
    // Null: another process claimed it first; the next queued one is looked up all the same.
    if (await executeRun({ db, runId: id, now: now() })) ran++;
  }
  return ran;
}

/** The hourly sweep: runs left `running` by a dead process are queued again, and the automatic runs that are due are queued. */
export async function sweepDueRuns({ db, now }: { db: Db; now: Date }): Promise<number> {
  await requeueStaleRuns({ db, now });
  const due = await dueAutoRuns({ db, now });
  for (const owner of due) await requestRun({ db, ...owner }, { trigger: 'auto', now });
  return due.length;
}

/**
 * The worker's loop on `db`: work at every wake-up, every poll and after every sweep, never two
 * at once (a wake-up during a run is remembered and worked after it). Returns its wake-up and its stop.
 */
export function optimizerLoop({ db, pollMs, sweepMs, onError }: { db: Db; pollMs: number; sweepMs: number; onError: (err: unknown) => void }): { wake: () => void; stop: () => void } {
  let working = false;
  let again = false;
  let stopped = false;
  const work = () => {
    if (stopped) return;
    if (working) {
      again = true;
      return;
    }
    working = true;
    void workQueuedRuns({ db })
      .catch(onError)
      .finally(() => {
        working = false;
        if (again) {
          again = false;
          work();
        }
      });
  };
  const sweep = () => {
    if (stopped) return;
    void sweepDueRuns({ db, now: new Date() }).catch(onError).finally(work);
  };
  const poll = setInterval(work, pollMs);
  const hourly = setInterval(sweep, sweepMs);
  sweep();
  return {
    wake: work,
    stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(hourly);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The thread, seen from the server

/** The worker: its bundle beside the server bundle, or (development, tests) its source through tsx, as app/bank-jobs.server.ts does. */
function startWorker(workerData: OptimizerWorkerData): Worker {
  const built = new URL('./optimizer.worker.js', import.meta.url);
  const current = existsSync(fileURLToPath(built)) && statSync(fileURLToPath(built)).mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs;
  if (current) return new Worker(built, { workerData });
  for (const source of [new URL('./optimizer.worker.ts', import.meta.url), new URL('../app/optimizer.worker.ts', import.meta.url)]) {
    if (!existsSync(fileURLToPath(source))) continue;
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
    const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`;
    return new Worker(code, { eval: true, workerData });
  }
  throw new Error('no optimizer worker: run `npm run build` (it bundles app/optimizer.worker.ts to build/optimizer.worker.js)');
}

let worker: { thread: Worker; target: string } | null = null;

/**
 * Starts the optimizer thread on the database at `target` (once per process; the server's
 * bootstrap calls it), and makes requestRun wake it. It does not keep the process alive.
 */
export function startOptimizerWorker(target: string, { pollMs = OPTIMIZER_POLL_MS, sweepMs = OPTIMIZER_SWEEP_MS }: { pollMs?: number; sweepMs?: number } = {}): Worker {
  if (worker?.target === target) return worker.thread;
  if (worker) void stopOptimizerWorker();
  const thread = startWorker({ target, pollMs, sweepMs });
  thread.unref();
  thread.on('error', (err) => console.error(`[stride] the optimizer worker failed: ${err.stack ?? err.message}`));
  thread.on('exit', () => {
    if (worker?.thread !== thread) return;
    worker = null;
    setRunWaker(null);
  });
  worker = { thread, target };
  setRunWaker(() => thread.postMessage('wake'));
  return thread;
}

/** Stops the thread (tests, before their database is dropped). A run it was fitting stays `running` and is queued again after STALE_RUN_MS. */
export async function stopOptimizerWorker(): Promise<void> {
  const stopping = worker;
  if (!stopping) return;
  worker = null;
  setRunWaker(null);
  await stopping.thread.terminate();
}
