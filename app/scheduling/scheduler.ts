/**
 * ts-fsrs, configured per user: the user's learning and relearning steps (1 m and 10 m, and
 * 10 m, by default), desired retention and maximum interval. The card state travels as `CardState` (plain
 * numbers, JSON-safe) between the database, the review log and ts-fsrs.
 */
import { createEmptyCard, fsrs, Rating, State, type Card, type FSRS, type Grade } from 'ts-fsrs';
import type { Steps } from './steps';

export { Rating, State };
export type { Grade };

export const LEARNING_STEPS = ['1m', '10m'] as const;
export const RELEARNING_STEPS = ['10m'] as const;
/** A card whose lapses reach this count is flagged a leech. */
export const LEECH_LAPSES = 8;

export interface SchedulerSettings {
  /** ts-fsrs request_retention, in (0, 1). */
  desiredRetention: number;
  maxIntervalDays: number;
  /** Interval fuzz; ts-fsrs seeds it from the card and the review time, so it is reproducible. */
  fuzz: boolean;
  /** Absent: LEARNING_STEPS and RELEARNING_STEPS. */
  learningSteps?: Steps;
  relearningSteps?: Steps;
  /** The FSRS parameters (21 numbers, FSRS-6); absent: ts-fsrs's defaults. */
  parameters?: readonly number[];
}

/** How many numbers an FSRS-6 parameter set has (ts-fsrs 5 and fsrs-rs alike). */
export const FSRS_PARAMETER_COUNT = 21;

/**
 * A stored parameter set (users.fsrsParameters, optimizer_runs.parameters), checked: 21 finite
 * numbers. Throws saying what is wrong, so a damaged set never schedules anyone silently.
 */
export function parseParameters(json: string): number[] {
  const v: unknown = JSON.parse(json);
  if (!Array.isArray(v) || v.length !== FSRS_PARAMETER_COUNT || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new Error(`stored FSRS parameters: expected ${FSRS_PARAMETER_COUNT} finite numbers, got ${json.slice(0, 200)}`);
  }
  return v as number[];
}

/** One card's scheduling state; times in epoch milliseconds. Mirrors the cards table. */
export interface CardState {
  due: number;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: State;
  lastReview: number | null;
  leech: boolean;
}

// One per distinct settings; many students share a set (the defaults, a class's), and a cache
// that only grows is bounded by the sets ever fitted, which each replace the one before.
const schedulers = new Map<string, FSRS>();

/** The ts-fsrs scheduler for these settings (one instance per distinct settings). */
export function schedulerFor(settings: SchedulerSettings): FSRS {
  const learning = settings.learningSteps ?? LEARNING_STEPS;
  const relearning = settings.relearningSteps ?? RELEARNING_STEPS;
  const key = `${settings.desiredRetention}|${settings.maxIntervalDays}|${settings.fuzz}|${learning.join(',')}|${relearning.join(',')}|${settings.parameters?.join(',') ?? ''}`;
  let f = schedulers.get(key);
  if (!f) {
    f = fsrs({
      request_retention: settings.desiredRetention,
      maximum_interval: settings.maxIntervalDays,
      enable_fuzz: settings.fuzz,
      enable_short_term: true,
      learning_steps: [...learning],
      relearning_steps: [...relearning],
      ...(settings.parameters ? { w: [...settings.parameters] } : {}),
    });
    schedulers.set(key, f);
  }
  return f;
}

export function newCardState(now: Date): CardState {
  return fromFsrsCard(createEmptyCard(now), false);
}

export function toFsrsCard(s: CardState): Card {
  return {
    due: new Date(s.due),
    stability: s.stability,
    difficulty: s.difficulty,
    elapsed_days: s.elapsedDays,
    scheduled_days: s.scheduledDays,
    learning_steps: s.learningSteps,
    reps: s.reps,
    lapses: s.lapses,
    state: s.state,
    ...(s.lastReview === null ? {} : { last_review: new Date(s.lastReview) }),
  };
}

export function fromFsrsCard(c: Card, leech: boolean): CardState {
  return {
    due: c.due.getTime(),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsedDays: c.elapsed_days,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    lastReview: c.last_review ? c.last_review.getTime() : null,
    leech,
  };
}

/**
 * The card after answering with `rating` at `now`. A leech stays a leech; a card becomes one
 * when its lapses reach LEECH_LAPSES.
 */
export function scheduleReview(before: CardState, rating: Grade, now: Date, settings: SchedulerSettings): CardState {
  const { card } = schedulerFor(settings).next(toFsrsCard(before), now, rating);
  return fromFsrsCard(card, before.leech || card.lapses >= LEECH_LAPSES);
}

/**
 * Probability of recall at `now` (ts-fsrs forgetting curve R(t, S) = (1 + F·t/S)^C). A card
 * never reviewed has none: it returns 0.
 */
export function retrievability(s: CardState, now: Date, settings: SchedulerSettings): number {
  if (s.state === State.New) return 0;
  return schedulerFor(settings).get_retrievability(toFsrsCard(s), now, false);
}

/** Parses a stored CardState; throws if the JSON is not one. */
export function parseCardState(json: string): CardState {
  const v = JSON.parse(json) as Partial<CardState>;
  const numbers = ['due', 'stability', 'difficulty', 'elapsedDays', 'scheduledDays', 'learningSteps', 'reps', 'lapses', 'state'] as const;
  for (const k of numbers) {
    if (typeof v[k] !== 'number') throw new Error(`stored card state: ${k} is not a number in ${json}`);
  }
  if (v.lastReview !== null && typeof v.lastReview !== 'number') throw new Error(`stored card state: lastReview is neither a number nor null in ${json}`);
  if (typeof v.leech !== 'boolean') throw new Error(`stored card state: leech is not a boolean in ${json}`);
  return v as CardState;
}
