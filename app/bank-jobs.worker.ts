/** The bank-jobs worker thread (app/bank-jobs.server.ts): its own connection to the app's SQLite file, one job at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/client';
import { outcomeOf, type BankJob } from './bank-jobs.server';

const { db } = openDatabase((workerData as { databasePath: string }).databasePath);

parentPort!.on('message', async ({ id, job }: { id: number; job: BankJob }) => {
  parentPort!.postMessage({ id, outcome: await outcomeOf(job, db) });
});
