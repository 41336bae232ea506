/** Start-up: open and migrate the database, upgrade stored legacy ranges, then load the banks of content/ into it. */
import { getDatabase, useDatabaseFile } from '../db/client';
import { loadContentBanks } from './content.server';
import { env } from './env.server';
import { upgradeStoredRanges } from './models/range-upgrade.server';

let done = false;

export function bootstrap(): void {
  if (done) return;
  useDatabaseFile(env().DATABASE_PATH);
  getDatabase();
  upgradeStoredRanges();
  loadContentBanks();
  done = true;
}
