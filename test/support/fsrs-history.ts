/**
 * A simulated student's review history, for the optimizer's tests and benchmark and for any test
 * that needs a realistic history (statistics, runs). Deterministic per seed.
 *
 * Two models run side by side for every card:
 * - the student's MEMORY follows FSRS under known TRUE parameters (`parameters`; TRUE_PARAMETERS
 *   is a set far from the defaults). Time in the memory model is the study day, as the optimizer
 *   sees it: at a review t study days after the card's last one, the student recalls with
 *   probability R(t, S) (ts-fsrs's forgetting curve for the true set), then the true memory state
 *   moves on with ts-fsrs's `next_state` (t = 0: a short-term review). A card's first review
 *   (state New) has nothing to recall: its rating is a seeded draw (FIRST_RATING).
 * - Stride's SCHEDULER schedules the card as the app would for a user with `schedulingParameters`
 *   (null, the default: ts-fsrs's defaults, as for a new user): scheduleReview with learning steps
 *   1m 10m, relearning 10m, desired retention 0.9, fuzz on. `stateBefore`/`stateAfter` and
 *   `predictedRecall` (null for a New card) are that scheduler's, as submitReview stores them.
 *
 * A day: at `sessionHour` hours past the study day's start the student studies until nothing is
 * left for the day: learning cards whose step is due, then the cards due by the study day's end
 * (oldest due first), then up to `newPerDay` new cards; when only learning steps remain later in
 * the day the student waits for them. `reviewsPerDay` caps a day's reviews (the rest wait for a
 * later day, overdue); `skipDayChance` makes the student miss whole days. A fail is rated Again,
 * a pass Hard, Good or Easy by a seeded draw (PASS_RATING).
 */
import { fsrs, State } from 'ts-fsrs';
import { dayNumber, type HistoryReview } from '../../app/scheduling/optimizer';
import { newCardState, retrievability, scheduleReview, type CardState, type SchedulerSettings } from '../../app/scheduling/scheduler';
import { studyDay, studyDayBounds } from '../../app/scheduling/study-day';
import { createRng, type Rng } from '../../engine/random';

/**
 * The truth the tests recover, far from the defaults where they matter most: initial stabilities
 * about 4, 2.3, 3.5 and 2.4 times the defaults' (1, 3, 8, 20 days against 0.21, 1.29, 2.31,
 * 8.30), stability growing half as fast on a success (w8 1.0 against 1.87) and a steeper
 * forgetting curve (decay 0.45 against 0.1542). Scheduled by the defaults, this student is
 * reviewed at a true recall well off the defaults' 0.9, so they predict the student badly (a
 * held-out log loss some 0.02 to 0.03 above the true set's). Other weights are the defaults'.
 */
export const TRUE_PARAMETERS: readonly number[] = [
  1, 3, 8, 20, 6.4133, 0.8334, 3.0194, 0.001, 1.0, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.45,
];

/** A first review's rating (nothing to recall yet): Again, Hard, Good, Easy. */
const FIRST_RATING = [0.25, 0.1, 0.55, 0.1] as const;
/** A pass's rating: Hard, Good, Easy. */
const PASS_RATING = [0.15, 0.75, 0.1] as const;

export interface SimulatedReview {
  /** 1 … cards. */
  cardId: number;
  /** cardId − 1: the card's item in a bank of `cards` items, for tests that store the history. */
  itemIndex?: number;
  reviewedAt: Date;
  rating: 1 | 2 | 3 | 4;
  stateBefore: CardState;
  stateAfter: CardState;
  /** The scheduler's retrievability just before the review; null for a New card. */
  predictedRecall: number | null;
  durationMs: number;
}

export interface SimulationOptions {
  /** The student's TRUE parameters; null: ts-fsrs's defaults. */
  parameters: readonly number[] | null;
  /** How many cards the student meets (introduced `newPerDay` a day). */
  cards: number;
  /** Study days simulated. */
  days: number;
  seed: number;
  /** A cap on one day's reviews; absent: no cap. */
  reviewsPerDay?: number;
  /** New cards a day; absent: all cards introduced in the first half of the days. */
  newPerDay?: number;
  /** The first study day contains this instant; absent: 2025-01-06T12:00Z. */
  start?: Date;
  timeZone?: string;
  rolloverHour?: number;
  /** Hours after the study day's start the session begins; absent: 14 (18:00 with rollover 4). */
  sessionHour?: number;
  /** The chance the student misses a day; absent: 0. */
  skipDayChance?: number;
  /** The parameters Stride schedules with; absent or null: the defaults. */
  schedulingParameters?: readonly number[] | null;
}

export interface SimulatedHistory {
  reviews: SimulatedReview[];
  /** The true parameters used (the defaults written out when `parameters` was null). */
  parameters: number[];
  settings: SchedulerSettings;
  timeZone: string;
  rolloverHour: number;
  /** Cards introduced (≤ cards). */
  cardsIntroduced: number;
  /** The study days, first and last ('YYYY-MM-DD'). */
  firstDay: string;
  lastDay: string;
}

const HOUR_MS = 3_600_000;

function draw<T>(rng: Rng, weights: readonly number[], values: readonly T[]): T {
  let u = rng.next();
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return values[i]!;
  }
  return values[values.length - 1]!;
}

interface SimCard {
  id: number;
  state: CardState;
  memory: { stability: number; difficulty: number } | null;
  /** Study day number of the last review. */
  lastDay: number;
}

export function simulateHistory(options: SimulationOptions): SimulatedHistory {
  const timeZone = options.timeZone ?? 'UTC';
  const rolloverHour = options.rolloverHour ?? 4;
  const sessionHour = options.sessionHour ?? 14;
  const reviewsPerDay = options.reviewsPerDay ?? Infinity;
  const newPerDay = options.newPerDay ?? Math.ceil(options.cards / Math.max(1, Math.ceil(options.days / 2)));
  const skipDayChance = options.skipDayChance ?? 0;
  const rng = createRng(options.seed);
  const truth = fsrs({ enable_short_term: true, ...(options.parameters ? { w: [...options.parameters] } : {}) });
  const settings: SchedulerSettings = {
    desiredRetention: 0.9,
    maxIntervalDays: 36500,
    fuzz: true,
    ...(options.schedulingParameters ? { parameters: options.schedulingParameters } : {}),
  };

  const cards: SimCard[] = [];
  const reviews: SimulatedReview[] = [];
  let bounds = studyDayBounds(options.start ?? new Date('2025-01-06T12:00:00Z'), timeZone, rolloverHour);
  const firstDay = bounds.day;
  let lastDay = bounds.day;

  for (let d = 0; d < options.days; d++, bounds = studyDayBounds(bounds.end, timeZone, rolloverHour)) {
    lastDay = bounds.day;
    if (rng.chance(skipDayChance)) continue;
    const today = dayNumber(bounds.day);
    const end = bounds.end.getTime();
    let clock = bounds.start.getTime() + sessionHour * HOUR_MS;
    const due = cards.filter((c) => c.state.due < end).sort((a, b) => a.state.due - b.state.due || a.id - b.id);
    const learning: SimCard[] = [];
    let next = 0;
    let introduced = 0;
    let done = 0;

    const review = (card: SimCard): void => {
      const before = card.state;
      const now = new Date(clock);
      let rating: 1 | 2 | 3 | 4;
      if (card.memory === null) {
        rating = draw(rng, FIRST_RATING, [1, 2, 3, 4] as const);
      } else {
        const recalled = rng.chance(truth.forgetting_curve(today - card.lastDay, card.memory.stability));
        rating = recalled ? draw(rng, PASS_RATING, [2, 3, 4] as const) : 1;
      }
      card.memory = truth.next_state(card.memory, card.memory === null ? 0 : today - card.lastDay, rating);
      card.lastDay = today;
      card.state = scheduleReview(before, rating, now, settings);
      const durationMs = rng.int(3_000, 15_000);
      reviews.push({
        cardId: card.id,
        itemIndex: card.id - 1,
        reviewedAt: now,
        rating,
        stateBefore: before,
        stateAfter: card.state,
        predictedRecall: before.state === State.New ? null : retrievability(before, now, settings),
        durationMs,
      });
      clock += durationMs;
      done++;
      if (card.state.due < end) learning.push(card);
    };

    while (done < reviewsPerDay && clock < end) {
      learning.sort((a, b) => a.state.due - b.state.due || a.id - b.id);
      if (learning.length > 0 && learning[0]!.state.due <= clock) review(learning.shift()!);
      else if (next < due.length) review(due[next++]!);
      else if (introduced < newPerDay && cards.length < options.cards) {
        const card: SimCard = { id: cards.length + 1, state: newCardState(new Date(clock)), memory: null, lastDay: today };
        cards.push(card);
        introduced++;
        review(card);
      } else if (learning.length > 0) clock = Math.max(clock, learning[0]!.state.due);
      else break;
    }
  }

  return {
    reviews,
    parameters: options.parameters ? [...options.parameters] : [...truth.parameters.w],
    settings,
    timeZone,
    rolloverHour,
    cardsIntroduced: cards.length,
    firstDay,
    lastDay,
  };
}

/** The optimizer's input: each review with its study day in `timeZone` at `rolloverHour`. */
export function toHistory(reviews: readonly SimulatedReview[], timeZone: string, rolloverHour: number): HistoryReview[] {
  return reviews.map((r) => ({
    cardId: r.cardId,
    day: dayNumber(studyDay(r.reviewedAt, timeZone, rolloverHour)),
    reviewedAt: r.reviewedAt.getTime(),
    rating: r.rating,
  }));
}

