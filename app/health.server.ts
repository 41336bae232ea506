import { getDatabase } from '../db/client';

/** Whether the database answers a trivial query; never throws. */
export function checkDatabase(): { ok: true } | { ok: false; error: string } {
  try {
    const row = getDatabase().sqlite.prepare('select 1 as one').get() as { one: number } | undefined;
    return row?.one === 1 ? { ok: true } : { ok: false, error: 'unexpected answer from select 1' };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
