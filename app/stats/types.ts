/**
 * The figures of the statistics pages, as the loaders (app/models/stats.server.ts) return them
 * and the pages (app/routes/stats.tsx, the class page) draw them: plain JSON-safe data. Days are
 * study days 'YYYY-MM-DD' in the student's time zone and rollover hour; times are milliseconds.
 */

/** The span a student's statistics page covers. */
export const statsPeriods = ['month', 'year', 'all'] as const;
export type StatsPeriod = (typeof statsPeriods)[number];

/** Passed and failed first reviews of the day (Anki's true retention); rate null when there are none. */
export interface PassFail {
  passed: number;
  failed: number;
  rate: number | null;
}

/** A histogram: bins [from, to) in `unit`, the last one closed. */
export interface Histogram {
  unit: string;
  bins: { from: number; to: number; count: number }[];
  total: number;
  mean: number | null;
  median: number | null;
}

/** Predicted retrievability at review time, in bins, against the share actually recalled. */
export interface CalibrationBin {
  from: number;
  to: number;
  /** Mean predicted retrievability of the reviews in the bin. */
  predicted: number;
  /** Share of them recalled (rating above Again). */
  actual: number;
  count: number;
}

export interface FamilyStats {
  family: string;
  reviews: number;
  /** Share of the family's reviews (of cards past learning) recalled. */
  retention: PassFail;
  medianMs: number | null;
  misconception: { id: string; count: number } | null;
  /** Calibration in one number pair: mean predicted retrievability of its reviews, and the share recalled (null: no predicted reviews). */
  predicted: number | null;
  actual: number | null;
}

export interface StudentStats {
  period: StatsPeriod;
  /** null: every bank the student studies. */
  bankId: string | null;
  banks: { id: string; title: string }[];
  timeZone: string;
  today: string;
  /** First study day the period covers (null: all time). */
  periodStart: string | null;
  todayCounts: { reviews: number; correct: number; timeMs: number; learning: number; relearning: number; young: number; mature: number; new: number };
  /** Reviews due per day for the next 30 days, each card counted once, on the day it falls due; backlog = overdue now. */
  forecast: { backlog: number; days: { day: string; due: number }[] };
  /** Reviews per study day over the year to today (heatmap). */
  heatmap: { from: string; to: string; days: { day: string; reviews: number }[] };
  /** Reviews per study day in the period by the card's kind before the review, and time spent. */
  perDay: { day: string; learning: number; young: number; mature: number; relearning: number; timeMs: number; /** First reviews of new cards (Anki counts them with learning). */ new: number }[];
  /** Each card counted once: suspended first, then buried (buriedUntil in the future), then by state; new includes items never studied. */
  cardCounts: { new: number; learning: number; young: number; mature: number; suspended: number; buried: number; total: number; relearning: number };
  /** Intervals of cards in review, in days, with the cumulative share up to each bin's end. */
  intervals: { bins: { from: number; to: number; count: number; cumulativeShare: number }[]; total: number };
  stability: Histogram;
  difficulty: Histogram;
  retrievability: Histogram;
  /** Estimated total knowledge: the sum of current retrievabilities, at the end of each day. */
  knowledge: { day: string; total: number }[];
  /** The knowledge series' step in study days: 1 = every day; longer periods are sampled (the last point is always today). */
  knowledgeEvery: number;
  /** Anki's true retention: today, yesterday, last week, last month, last year, all time. */
  trueRetention: { span: 'today' | 'yesterday' | 'week' | 'month' | 'year' | 'all'; young: PassFail; mature: PassFail; total: PassFail }[];
  calibration: { bins: CalibrationBin[]; reviews: number };
  families: FamilyStats[];
}

export interface ItemRetention {
  itemId: string;
  title: string;
  family: string | null;
  students: number;
  reviews: number;
  retention: PassFail;
  /** Mean predicted retrievability of its reviews, against the share recalled. */
  predicted: number | null;
  actual: number | null;
}

export interface ClassFamilyStats extends FamilyStats {
  students: number;
  calibration: CalibrationBin[];
  /** Retention over the last 30 days and the 30 before. */
  recent: PassFail;
  previous: PassFail;
  /** Why the class is forgetting this family, or null when it is not. */
  forgetting: string | null;
}

export interface ClassStats {
  classId: number;
  className: string;
  students: number;
  reviews: number;
  desiredRetention: number;
  calibration: { bins: CalibrationBin[]; reviews: number };
  items: ItemRetention[];
  families: ClassFamilyStats[];
}
