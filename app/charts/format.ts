/**
 * How the statistics pages write their numbers, in the charts (server) and the tables (page)
 * alike: one place, so a chart's label and its table's cell never disagree.
 */
import { groupThousands } from '../../engine/answers/format';

/** A share as a percentage with one decimal ("91.3%"), Anki's precision for retention; — for none. */
export function share(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '—' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
}

/** A share as a whole percentage, for axes ("90%"). */
export function wholePercent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export const count = groupThousands;

/** A duration as a person reads it: "45 s", "12 min", "1.5 h"; — for none. */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const min = s / 60;
  if (min < 60) return `${Math.round(min)} min`;
  return `${(min / 60).toFixed(1)} h`;
}

/** Minutes, for the time-spent axis. */
export function minutes(ms: number): number {
  return ms / 60_000;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A study day 'YYYY-MM-DD' as midnight UTC: the charts draw days in UTC, so no zone moves them. */
export function dayDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** "3 Dec 2026" (with the year) or "3 Dec". */
export function dayText(day: string, { year = true } = {}): string {
  const d = dayDate(day);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year ? ` ${d.getUTCFullYear()}` : ''}`;
}

export function monthName(month: number): string {
  return MONTHS[month]!;
}

export function weekdayName(weekday: number): string {
  return WEEKDAYS[weekday]!;
}

/** A number with at most `digits` decimals, trailing zeros dropped ("2.5", "10"). */
export function decimal(x: number, digits = 1): string {
  return String(Number(x.toFixed(digits)));
}

/** Histogram units that are shares (0–1) and are written as percentages. */
export function isShareUnit(unit: string): boolean {
  return unit === 'probability' || unit === 'share' || unit === '%';
}

/** A histogram bin's range in its unit, as the chart's axis and the table both write it ("1–2", "90%–100%"). */
export function binText(from: number, to: number, unit: string): string {
  const f = (x: number) => (isShareUnit(unit) ? wholePercent(x) : decimal(x));
  return `${f(from)}–${f(to)}`;
}
