/**
 * Study days as the statistics count them: calendar arithmetic on 'YYYY-MM-DD' (dates, so no
 * zone is involved), and the study day of many instants read in time order (the zone's rules,
 * through study-day.ts, asked once per day instead of once per review).
 */
import { dayNumber } from '../scheduling/optimizer';
import { studyDayBounds } from '../scheduling/study-day';

const DAY_MS = 86_400_000;

/** The study day `n` days after `day` (before, for n < 0), by the calendar. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** How many days `to` is after `from` (negative when before). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Every day from `from` to `to`, both included, oldest first (empty when to < from). */
export function dayRange(from: string, to: string): string[] {
  const n = daysBetween(from, to);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDays(from, i));
}

/**
 * The study day of an instant (epoch ms), remembering the bounds of the last day asked: reviews
 * read in time order cost one zone computation per study day, not one per review.
 */
export function studyDayOf(timeZone: string, rolloverHour: number): (t: number) => string {
  let start = Infinity;
  let end = -Infinity;
  let day = '';
  return (t) => {
    if (t < start || t >= end) {
      const b = studyDayBounds(new Date(t), timeZone, rolloverHour);
      start = b.start.getTime();
      end = b.end.getTime();
      day = b.day;
    }
    return day;
  };
}

/**
 * The last `count` study days up to the one containing `now`, each with the instant it ends
 * (the next one's start: 23 or 25 hours after its own across a DST change), oldest first.
 */
export function dayEnds(now: Date, count: number, timeZone: string, rolloverHour: number): { day: string; end: number }[] {
  const out: { day: string; end: number }[] = [];
  let b = studyDayBounds(now, timeZone, rolloverHour);
  for (let i = 0; i < count; i++) {
    out.push({ day: b.day, end: b.end.getTime() });
    b = studyDayBounds(new Date(b.start.getTime() - 1), timeZone, rolloverHour);
  }
  return out.reverse();
}
