/** The forecast of reviews due (Anki's future_due graph) and the backlog. */
import { State } from '../scheduling/scheduler';
import type { StudentStats } from './types';
import { addDays, daysBetween } from './days';

export const FORECAST_DAYS = 30;

/** A card as the forecast reads it. */
export interface ForecastCard {
  due: number;
  state: State;
  suspended: boolean;
  buriedUntil: number | null;
}

/**
 * Reviews due per study day, today and the FORECAST_DAYS − 1 after, each card counted once: on
 * the day it falls due, or, buried, on the day its burial ends if later (the queue shows it no
 * sooner). backlog: the cards already due at `now` (overdue). New cards are not due (they are
 * introduced, not reviewed) and suspended cards never come; both are left out, as the queue
 * leaves them out.
 */
export function forecast(cards: readonly ForecastCard[], now: number, today: string, dayOf: (t: number) => string, days = FORECAST_DAYS): StudentStats['forecast'] {
  const due = new Array<number>(days).fill(0);
  let backlog = 0;
  for (const c of cards) {
    if (c.suspended || c.state === State.New) continue;
    const at = c.buriedUntil !== null && c.buriedUntil > now ? Math.max(c.due, c.buriedUntil) : c.due;
    if (at <= now) {
      backlog++;
      continue;
    }
    const i = daysBetween(today, dayOf(at));
    if (i < days) due[i]!++;
  }
  return { backlog, days: due.map((n, i) => ({ day: addDays(today, i), due: n })) };
}
