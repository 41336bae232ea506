/** The bank-jobs worker thread (app/bank-jobs.server.ts): its own connection to the app's database (a SQLite file or a PostgreSQL URL), one job at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/client';
import { BANK_WORKER_POOL_SIZE, outcomeOf, type BankJob, type JobOutcome, type BankWorkerData } from './bank-jobs.server';

const opened = openDatabase((workerData as BankWorkerData).target, { poolSize: BANK_WORKER_POOL_SIZE });
// Jobs run in the order they arrive, each after the one before; a database that would not open fails each job with its reason.
let queue: Promise<void> = Promise.resolve();
opened.catch(() => {}); // reported with each job, not as an unhandled rejection

async function run(id: number, job: BankJob): Promise<void> {
  let outcome: JobOutcome;
  try {
    outcome = await outcomeOf(job, (await opened).db);
  } catch (err) {
    outcome = { failed: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage({ id, outcome });
}

parentPort!.on('message', ({ id, job }: { id: number; job: BankJob }) => {
  queue = queue.then(() => run(id, job));
});
