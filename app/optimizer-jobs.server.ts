/**
 * The optimizer's process (decision record 0020). A fit of a year's reviews takes seconds of
 * CPU: it never runs on a request. The server forks one child process (app/optimizer.worker.ts,
 * bundled to build/optimizer.worker.js by `npm run build`) with its own database connection; it
 * executes queued runs one at a time, and every hour (and at start) queues the automatic runs
 * that are due. A request queues a run (requestRun) and sends a wake-up; a run queued by another
 * process on the same PostgreSQL is found by polling.
 *
 * A process, not a thread: fsrs-rs can panic inside the binding (an item with no later-day
 * review did: decision 0019), and a Rust panic aborts the whole process it is in. In a child it
 * takes only the child: the server restarts it, and the run it was fitting is recorded failed
 * with how the child died, not retried into the same crash.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  /** The run the previous optimizer process died fitting, and how it died: recorded failed at start. */
  died?: { runId: number; how: string };
}

/** The environment variable that carries OptimizerWorkerData to the child. */
export const OPTIMIZER_WORKER_ENV = 'STRIDE_OPTIMIZER_WORKER';

/** What the child tells the server: which run it is fitting, and when it is idle again. */
export type OptimizerWorkerMessage = { running: number } | { idle: true };

/** Executes the queued runs, oldest first, until none is left; returns how many this process ran. */
export async function workQueuedRuns({ db, now = () => new Date(), onClaimed, onFinished }: { db: Db; now?: () => Date; onClaimed?: (runId: number) => void; onFinished?: () => void }): Promise<number> {
  let ran = 0;
  for (let id = await nextQueuedRun({ db }); id !== null; id = await nextQueuedRun({ db })) {
    // Null: another process claimed it first; the next queued one is looked up all the same.
    try {
      if (await executeRun({ db, runId: id, now: now(), onClaimed })) ran++;
    } finally {
      onFinished?.();
    }
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
export function optimizerLoop({
  db,
  pollMs,
  sweepMs,
  onError,
  onClaimed,
  onFinished,
}: {
  db: Db;
  pollMs: number;
  sweepMs: number;
  onError: (err: unknown) => void;
  onClaimed?: (runId: number) => void;
  onFinished?: () => void;
}): { wake: () => void; stop: () => void } {
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
    void workQueuedRuns({ db, onClaimed, onFinished })
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
// The child, seen from the server

/** After the child dies, the wait before the next one starts; it doubles on each death in a row, up to RESTART_MAX_MS. */
export const RESTART_FIRST_MS = 1_000;
const RESTART_MAX_MS = 60_000;

/** The child: its bundle beside the server bundle, or (development, tests) its source through tsx, as app/bank-jobs.server.ts does for its thread. */
function forkChild(data: OptimizerWorkerData): ChildProcess {
  const env = { ...process.env, [OPTIMIZER_WORKER_ENV]: JSON.stringify(data) };
  const built = new URL('./optimizer.worker.js', import.meta.url);
  const current = existsSync(fileURLToPath(built)) && statSync(fileURLToPath(built)).mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs;
  if (current) return fork(fileURLToPath(built), [], { env, execArgv: [] });
  for (const source of [new URL('./optimizer.worker.ts', import.meta.url), new URL('../app/optimizer.worker.ts', import.meta.url)]) {
    if (!existsSync(fileURLToPath(source))) continue;
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    return fork(fileURLToPath(source), [], { env, execArgv: ['--import', tsx] });
  }
  throw new Error('no optimizer worker: run `npm run build` (it bundles app/optimizer.worker.ts to build/optimizer.worker.js)');
}

interface Running {
  child: ChildProcess;
  target: string;
  options: { pollMs: number; sweepMs: number };
  /** The run the child said it is fitting, if any. */
  fitting: number | null;
  deaths: number;
  stopping: boolean;
  restart: ReturnType<typeof setTimeout> | null;
}

let worker: Running | null = null;

function launch(state: Omit<Running, 'child'> & { child?: ChildProcess }, died?: OptimizerWorkerData['died']): Running {
  const child = forkChild({ target: state.target, ...state.options, ...(died ? { died } : {}) });
  const running = Object.assign(state, { child, fitting: null }) as Running;
  // Neither the child nor its channel keeps the server alive; the child leaves when its channel closes.
  child.unref();
  child.channel?.unref();
  child.on('message', (message: OptimizerWorkerMessage) => {
    if ('running' in message) {
      running.fitting = message.running;
      running.deaths = 0;
    } else running.fitting = null;
  });
  child.on('error', (err) => console.error(`[stride] the optimizer process failed: ${err.stack ?? err.message}`));
  child.on('exit', (code, signal) => {
    if (worker !== running || running.stopping) return;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    console.error(`[stride] the optimizer process died (${how})${running.fitting === null ? '' : ` while fitting run ${running.fitting}`}; starting another`);
    const diedDuring = running.fitting === null ? undefined : { runId: running.fitting, how };
    running.deaths++;
    running.restart = setTimeout(() => {
      running.restart = null;
      if (worker === running && !running.stopping) launch(running, diedDuring);
    }, Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** (running.deaths - 1)));
    running.restart.unref();
  });
  return running;
}

/**
 * Starts the optimizer process on the database at `target` (once per process; the server's
 * bootstrap calls it), and makes requestRun wake it. It does not keep the server alive, and a
 * child that dies is replaced.
 */
export function startOptimizerWorker(target: string, { pollMs = OPTIMIZER_POLL_MS, sweepMs = OPTIMIZER_SWEEP_MS }: { pollMs?: number; sweepMs?: number } = {}): ChildProcess {
  if (worker?.target === target) return worker.child;
  if (worker) void stopOptimizerWorker();
  const running = launch({ target, options: { pollMs, sweepMs }, fitting: null, deaths: 0, stopping: false, restart: null });
  worker = running;
  setRunWaker(() => {
    if (running.child.connected) running.child.send('wake');
  });
  return running.child;
}

/** The optimizer process now and the run it says it is fitting (a test kills it to see it replaced), or null. */
export function optimizerWorkerProcess(): { child: ChildProcess; fitting: number | null } | null {
  return worker ? { child: worker.child, fitting: worker.fitting } : null;
}

/** Stops the child (tests, before their database is dropped). A run it was fitting stays `running` and is queued again after STALE_RUN_MS. */
export async function stopOptimizerWorker(): Promise<void> {
  const stopping = worker;
  if (!stopping) return;
  worker = null;
  stopping.stopping = true;
  setRunWaker(null);
  if (stopping.restart) clearTimeout(stopping.restart);
  const { child } = stopping;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
