/** The optimizer worker thread (app/optimizer-jobs.server.ts): its own connection to the app's database, one run at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/client';
import { setRunWaker } from './models/parameters.server';
import { OPTIMIZER_WORKER_POOL_SIZE, optimizerLoop, type OptimizerWorkerData } from './optimizer-jobs.server';

const { target, pollMs, sweepMs } = workerData as OptimizerWorkerData;
const report = (err: unknown) => console.error(`[stride] optimizer: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);

openDatabase(target, { poolSize: OPTIMIZER_WORKER_POOL_SIZE }).then(({ db }) => {
  const loop = optimizerLoop({ db, pollMs, sweepMs, onError: report });
  // The sweep's own requests queue runs in this thread: they wake this loop.
  setRunWaker(loop.wake);
  parentPort!.on('message', (message) => {
    if (message === 'wake') loop.wake();
  });
}, report);
