import { sql } from 'drizzle-orm';
import { getDatabase } from '../db/client';

/** Whether the database answers a trivial query; never throws. */
export async function checkDatabase(): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    const [row] = await getDatabase().rows<{ one: number | string }>(sql`select 1 as one`);
    return Number(row?.one) === 1 ? { ok: true } : { ok: false, error: 'unexpected answer from select 1' };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
