/** Start-up: open and migrate the database, then load the banks of content/ into it. */
import { getDatabase } from '../db/client';
import { loadContentBanks } from './content.server';

let done = false;

export function bootstrap(): void {
  if (done) return;
  getDatabase();
  loadContentBanks();
  done = true;
}
