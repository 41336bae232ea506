/**
 * What each rating would do to a card: its next due date from ts-fsrs's own `repeat()` (the
 * preview of all four outcomes; `next()` picks one of the same), and the interval written as
 * Anki writes it on its answer buttons. Pure: the card, the instant and the settings are arguments.
 *
 * Anki's rules (rslib/src/scheduler/timespan.rs, `answer_button_time`):
 * - the unit is the largest that fits: under 60 s seconds, under 1 h minutes, under 1 d hours,
 *   under a month (365/12 = 30.417 d) days, under 365 d months, else years;
 * - the unit is chosen before rounding, so 59 min 40 s is "60m" and 23 h 59 min is "24h";
 * - seconds, minutes and days are rounded to whole numbers; hours, months and years to one
 *   decimal, a trailing ".0" dropped ("1h", "1.5h", "3.2mo", "1.1y");
 * - no space: "10m", "3d", "5mo", "2y".
 * Anki writes "<10m" only for a learning card due within its learn-ahead limit (shown before it
 * is due); Stride's queue shows a learning card only once it is due, so no "<" is written.
 */
import { Rating, schedulerFor, toFsrsCard, type CardState, type Grade, type SchedulerSettings } from './scheduler';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Anki's month: 365/12 days, rounded as Anki rounds it. */
const MONTH = 30.417 * DAY;
const YEAR = 365 * DAY;

type Unit = 'seconds' | 'minutes' | 'hours' | 'days' | 'months' | 'years';

const UNITS: Record<Unit, { ms: number; short: string; one: string; many: string; decimals: 0 | 1 }> = {
  seconds: { ms: SECOND, short: 's', one: 'second', many: 'seconds', decimals: 0 },
  minutes: { ms: MINUTE, short: 'm', one: 'minute', many: 'minutes', decimals: 0 },
  hours: { ms: HOUR, short: 'h', one: 'hour', many: 'hours', decimals: 1 },
  days: { ms: DAY, short: 'd', one: 'day', many: 'days', decimals: 0 },
  months: { ms: MONTH, short: 'mo', one: 'month', many: 'months', decimals: 1 },
  years: { ms: YEAR, short: 'y', one: 'year', many: 'years', decimals: 1 },
};

export const GRADES: readonly Grade[] = [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy];

/** Anki's natural unit for a span (chosen on the unrounded span). */
function unitOf(ms: number): Unit {
  const a = Math.abs(ms);
  if (a < MINUTE) return 'seconds';
  if (a < HOUR) return 'minutes';
  if (a < DAY) return 'hours';
  if (a < MONTH) return 'days';
  if (a < YEAR) return 'months';
  return 'years';
}

/** The span in its natural unit, rounded as Anki's answer buttons round it. */
function amountOf(ms: number): { amount: number; unit: Unit } {
  const unit = unitOf(ms);
  const { ms: size, decimals } = UNITS[unit];
  const scale = decimals === 1 ? 10 : 1;
  return { amount: Math.round((ms / size) * scale) / scale, unit };
}

/** An interval as on Anki's answer buttons: "30s", "10m", "1.5h", "3d", "3.2mo", "1.1y". */
export function intervalLabel(ms: number): string {
  const { amount, unit } = amountOf(ms);
  return `${amount}${UNITS[unit].short}`;
}

/** The same interval in words, for screen readers: "10 minutes", "1 day", "3.2 months". */
export function intervalWords(ms: number): string {
  const { amount, unit } = amountOf(ms);
  return `${amount} ${amount === 1 ? UNITS[unit].one : UNITS[unit].many}`;
}

export interface RatingInterval {
  rating: Grade;
  /** When the card would next be due, epoch ms. */
  due: number;
  /** due − now, as on Anki's buttons ("3d"). */
  label: string;
  /** due − now in words ("3 days"). */
  words: string;
}

/**
 * What each rating gives a card answered at `now`, from ts-fsrs's `repeat()`: the very due date
 * `scheduleReview(state, rating, now, settings)` would store (fuzz included: ts-fsrs seeds it from
 * the card and the instant).
 */
export function ratingIntervals(state: CardState, now: Date, settings: SchedulerSettings): RatingInterval[] {
  const preview = schedulerFor(settings).repeat(toFsrsCard(state), now);
  return GRADES.map((rating) => {
    const due = preview[rating].card.due.getTime();
    const span = due - now.getTime();
    return { rating, due, label: intervalLabel(span), words: intervalWords(span) };
  });
}
