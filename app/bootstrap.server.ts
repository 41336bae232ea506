/**
 * Start-up: open and migrate the database (PostgreSQL at DATABASE_URL, else the SQLite file at
 * DATABASE_PATH), upgrade stored legacy ranges, then load the banks of content/ into it; then
 * start the optimizer's child process (app/optimizer-jobs.server.ts).
 */
import { duringStartup, openProcessDatabase, useDatabase } from '../db/client';
import { loadContentBanks } from './content.server';
import { databaseTargetOf, env } from './env.server';
import { upgradeStoredRanges } from './models/range-upgrade.server';
import { startOptimizerWorker } from './optimizer-jobs.server';

let started: Promise<void> | undefined;

export function bootstrap(): Promise<void> {
  started ??= (async () => {
    useDatabase(databaseTargetOf(env()), { poolSize: env().DATABASE_POOL_SIZE });
    const database = await openProcessDatabase();
    await duringStartup(database, async () => {
      await upgradeStoredRanges();
      await loadContentBanks();
    });
    startOptimizerWorker(database.target);
  })();
  return started;
}
