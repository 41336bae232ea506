/**
 * Failures injected mid-write, for the "nothing half-written" tests: a trigger that refuses one
 * kind of write to a table, on the engine of the test project (SQLite's RAISE(ABORT), a plpgsql
 * function on PostgreSQL). The transaction that meets it fails after its earlier writes.
 */
import { sql } from 'drizzle-orm';
import { testEngine, type TempDb } from './fixture';

export const INJECTED_FAILURE = 'injected failure';

export async function refuseWrites(t: TempDb, table: 'bank_versions' | 'banks' | 'class_banks' | 'items' | 'quiz_answers' | 'quiz_attempts' | 'reviews', write: 'insert' | 'update'): Promise<void> {
  const name = `refuse_${write}_${table}`;
  if (testEngine() === 'postgres') {
    await t.rows(sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin raise exception '${INJECTED_FAILURE}'; end $$`));
    await t.rows(sql.raw(`create trigger ${name} before ${write} on ${table} for each row execute function ${name}()`));
  } else {
    await t.rows(sql.raw(`create trigger ${name} before ${write} on ${table} begin select raise(abort, '${INJECTED_FAILURE}'); end`));
  }
}

/** Whether `err` (or what it wraps: drizzle's "Failed query" error keeps the driver's as its cause) is the injected failure. */
export function isInjectedFailure(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e.message.includes(INJECTED_FAILURE)) return true;
  return false;
}
