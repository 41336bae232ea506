/**
 * The optimizer's child process (app/optimizer-jobs.server.ts): its own connection to the app's
 * database, one run at a time. It tells the server which run it is fitting, so a crash can be
 * recorded against that run by the next child.
 */
import { openDatabase } from '../db/client';
import { failDiedRun, setRunWaker } from './models/parameters.server';
import { OPTIMIZER_WORKER_ENV, OPTIMIZER_WORKER_POOL_SIZE, optimizerLoop, type OptimizerWorkerData, type OptimizerWorkerMessage } from './optimizer-jobs.server';

const { target, pollMs, sweepMs, died } = JSON.parse(process.env[OPTIMIZER_WORKER_ENV] ?? 'null') as OptimizerWorkerData;
const report = (err: unknown) => console.error(`[stride] optimizer: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
const tell = (message: OptimizerWorkerMessage) => {
  if (process.connected) process.send!(message);
};
// The server is gone (or stopped this child): so is the child.
process.on('disconnect', () => process.exit(0));

openDatabase(target, { poolSize: OPTIMIZER_WORKER_POOL_SIZE }).then(async ({ db }) => {
  if (died) await failDiedRun({ db, runId: died.runId, how: died.how, now: new Date() }).catch(report);
  const loop = optimizerLoop({ db, pollMs, sweepMs, onError: report, onClaimed: (runId) => tell({ running: runId }), onFinished: () => tell({ idle: true }) });
  // The sweep's own requests queue runs in this process: they wake this loop.
  setRunWaker(loop.wake);
  process.on('message', (message) => {
    if (message === 'wake') loop.wake();
  });
}, report);
