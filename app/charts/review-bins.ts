/**
 * Reviews per day, grouped for drawing: a bar per day up to three months, per week up to three
 * years, per calendar month beyond (Anki's reviews graph does the same). A bar a day over a year
 * would be a thousand bars too thin to read, and each costs the server's renderer time. The
 * text alternative keeps every day.
 */
import type { StudentStats } from '~/stats/types';

export type ReviewBinUnit = 'day' | 'week' | 'month';

export function reviewBinUnit(days: number): ReviewBinUnit {
  return days <= 92 ? 'day' : days <= 3 * 366 ? 'week' : 'month';
}

type PerDay = StudentStats['perDay'][number];

export interface ReviewBin {
  /** First study day of the bin, and the day after its last. */
  from: string;
  to: string;
  new: number;
  learning: number;
  young: number;
  mature: number;
  relearning: number;
  timeMs: number;
}

const DAY_MS = 86_400_000;
const dayIndex = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOfIndex = (i: number) => new Date(i * DAY_MS).toISOString().slice(0, 10);

/** `perDay` (consecutive days, in order) summed into bins of `unit`: weeks count from the first day, months are calendar months. */
export function reviewBins(perDay: readonly PerDay[], unit: ReviewBinUnit = reviewBinUnit(perDay.length)): ReviewBin[] {
  const bins: ReviewBin[] = [];
  const first = perDay.length ? dayIndex(perDay[0]!.day) : 0;
  for (const [i, d] of perDay.entries()) {
    // Days are consecutive: the i-th is first + i, no date parsing per day.
    const from = unit === 'day' ? d.day : unit === 'month' ? `${d.day.slice(0, 7)}-01` : dayOfIndex(first + Math.floor(i / 7) * 7);
    let bin = bins.at(-1);
    if (!bin || bin.from !== from) {
      const to = unit === 'day' ? dayOfIndex(first + i + 1) : unit === 'week' ? dayOfIndex(dayIndex(from) + 7) : nextMonth(from);
      bin = { from, to, new: 0, learning: 0, young: 0, mature: 0, relearning: 0, timeMs: 0 };
      bins.push(bin);
    }
    bin.new += d.new;
    bin.learning += d.learning;
    bin.young += d.young;
    bin.mature += d.mature;
    bin.relearning += d.relearning;
    bin.timeMs += d.timeMs;
  }
  return bins;
}

function nextMonth(first: string): string {
  const [y, m] = first.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}
