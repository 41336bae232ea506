/**
 * Forecasts kept between page loads. A Monte Carlo forecast costs tenths of a second (a student)
 * to seconds (a class), and the dashboard, the statistics page and the exam page ask for the same
 * one. An entry serves a request whose key matches: a digest of what the forecast rests on and the
 * FORECAST_SLOT_MS slot of `now`, so a review or a changed setting makes a new key, and no entry
 * outlives its slot. In-process and bounded (the least recently used go first); each process of a
 * shared database keeps its own.
 */
import { createHash } from 'node:crypto';

export const FORECAST_SLOT_MS = 10 * 60_000;
const MAX_KEPT = 500;
// One cache per database handle: two databases (tests' temporary files) never share an entry.
const keptBy = new WeakMap<object, Map<string, unknown>>();

/** The key of a forecast resting on `parts` (JSON-safe), asked for at `now`. */
export function forecastKey(kind: string, parts: unknown, now: Date): string {
  return `${kind}:${Math.floor(now.getTime() / FORECAST_SLOT_MS)}:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url')}`;
}

/** The kept value of `key` on database `db`, else `compute()`'s, kept. Callers must not change what they get. */
export async function keptForecast<T>(db: object, key: string, compute: () => T | Promise<T>): Promise<T> {
  let kept = keptBy.get(db);
  if (!kept) keptBy.set(db, (kept = new Map()));
  if (kept.has(key)) {
    const hit = kept.get(key) as T;
    kept.delete(key);
    kept.set(key, hit);
    return hit;
  }
  const value = await compute();
  kept.set(key, value);
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  return value;
}
