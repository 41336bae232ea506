/**
 * The class spreading rule, pure: a bank published to a class with a start date and a "learn by"
 * date has its new items introduced evenly over the study days from the later of the start and
 * today up to and including the learn-by day, so that every item is introduced by then.
 *
 * On a study day d in [startsOn, learnBy], with R items not introduced when d began and
 * D = learnBy − d + 1 days left (d and learnBy both counted), d's quota is ceil(R / D). The quota
 * is fixed for the day (R is counted at the day's start), so answering cards does not move it. Before
 * startsOn the quota is 0; without a learn-by date, or on or after it, the quota is all of R.
 * The quota comes out of the student's new-cards-per-day budget first (class banks before
 * self-chosen ones); when the budget is smaller, the budget wins and the bank falls behind, which
 * classProgress says.
 */

/** A class bank's dates: study days 'YYYY-MM-DD' in each member's own calendar; null when not set. */
export interface ClassBankDates {
  startsOn: string | null;
  learnBy: string | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === text;
}

/** b − a in whole days, for ISO dates. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** The ISO date `n` days after `day`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * How many of the bank's new items study day `today` introduces, `remaining` being those not
 * introduced when today began.
 */
export function classQuota(dates: ClassBankDates, today: string, remaining: number): number {
  if (remaining <= 0) return 0;
  if (dates.startsOn !== null && today < dates.startsOn) return 0;
  if (dates.learnBy === null || today >= dates.learnBy) return remaining;
  return Math.ceil(remaining / (daysBetween(today, dates.learnBy) + 1));
}

export interface ClassProgress {
  total: number;
  introduced: number;
  /** The study day the last item is introduced if the student studies every day; null when nothing remains. */
  finishesOn: string | null;
  /** True when finishesOn is on or before learnBy (always, without a learn-by date). */
  onTrack: boolean;
}

/**
 * Where a student stands on a class bank: what is introduced, and the day the last item will be
 * if they study each day with `budget` new cards a day (the class quota first). `introducedToday`
 * are the ones introduced since today began, already inside `introduced`.
 */
export function classProgress(
  dates: ClassBankDates,
  today: string,
  counts: { total: number; introduced: number; introducedToday: number },
  budget: number,
): ClassProgress {
  const { total, introduced, introducedToday } = counts;
  let remaining = total - introduced;
  if (remaining <= 0) return { total, introduced, finishesOn: null, onTrack: true };
  let day = today;
  // Today: what is left of today's quota and budget.
  let todayLeft = Math.min(classQuota(dates, today, remaining + introducedToday) - introducedToday, budget - introducedToday);
  remaining -= Math.max(0, todayLeft);
  // A budget of 0 never finishes: say so rather than loop.
  for (let i = 0; remaining > 0 && i < 100_000 && budget > 0; i++) {
    day = addDays(day, 1);
    remaining -= Math.min(classQuota(dates, day, remaining), budget);
  }
  const finishesOn = remaining > 0 ? null : day;
  return { total, introduced, finishesOn, onTrack: finishesOn !== null && (dates.learnBy === null || finishesOn <= dates.learnBy) };
}
