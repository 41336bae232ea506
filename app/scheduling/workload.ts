/**
 * Expected reviews a day at a desired retention, estimated by simulating the student's own cards
 * forward with ts-fsrs (Anki's "workload" estimate, done the simple way). Pure: the card states,
 * the settings, the instant and the seed are arguments.
 *
 * Method: every card (and `newPerDay` new cards introduced at the start of each day) is answered
 * whenever it falls due within the horizon (`days`, from `now`), never capped by the daily limits
 * (this is the demand the limits then ration). Each answer is right with the card's predicted
 * retrievability R at that instant (a new card's first answer: FIRST_ANSWER_RIGHT), drawn from a
 * seeded generator, one stream per card, so the same card meets the same draws at every
 * retention; a right answer is rated Good, a wrong one Again, and the card is rescheduled by
 * ts-fsrs with the student's steps and maximum interval, fuzz off. Reviews a day = every answer
 * but a new card's first, divided by the days of the horizon.
 */
import { createEmptyCard, Rating, type Card } from 'ts-fsrs';
import { createRng } from '../../engine/random';
import { schedulerFor, toFsrsCard, type CardState, type SchedulerSettings } from './scheduler';

const DAY_MS = 86_400_000;

/** The chance a new card's first answer is right: no history to predict it from, so a fixed guess, stated on the page. */
export const FIRST_ANSWER_RIGHT = 0.75;
/** The retentions the settings page compares (the allowed range's ends and the usual choices). */
export const COMPARED_RETENTIONS = [0.7, 0.8, 0.85, 0.9, 0.95, 0.97] as const;
export const HORIZON_DAYS = 30;
/**
 * At most this many of the student's cards are simulated, an even sample (every k-th), the count
 * scaled up: ts-fsrs takes about 12 µs an answer, and 5,000 cards at 6 retentions took 2 s whole; an 800-card sample stays within 5% of it (workload.test.ts).
 */
export const MAX_SIMULATED_CARDS = 800;
/** Likewise at most this many new cards a day are simulated (they are alike: only their draws differ), scaled to newPerDay. */
export const MAX_SIMULATED_NEW_PER_DAY = 8;
/** A card answered wrong this many times in one simulation is left there: it would be suspended as a leech long before. */
const MAX_ANSWERS_PER_CARD = 60;

export interface WorkloadInput {
  /** The student's studied cards (not suspended); New cards among them count as introduced on day one. */
  cards: readonly CardState[];
  newPerDay: number;
  settings: SchedulerSettings;
  now: Date;
  days?: number;
  seed?: number;
}

export interface Workload {
  desiredRetention: number;
  /** Every answer but new cards' first, per day of the horizon. */
  reviewsPerDay: number;
  reviews: number;
  newCards: number;
  days: number;
}

/** Answers one card from `start` until the horizon ends; returns how many answers were not its first as a new card. */
function simulateCard(card: Card, end: number, settings: SchedulerSettings, draw: () => number): number {
  const f = schedulerFor(settings);
  let reviews = 0;
  for (let answers = 0; answers < MAX_ANSWERS_PER_CARD && card.due.getTime() < end; answers++) {
    const at = card.due;
    const isNew = card.reps === 0;
    const recall = isNew ? FIRST_ANSWER_RIGHT : f.get_retrievability(card, at, false);
    const right = draw() < recall;
    card = f.next(card, at, right ? Rating.Good : Rating.Again).card;
    if (!isNew) reviews++;
  }
  return reviews;
}

/** The expected reviews a day at `settings.desiredRetention` (method above). */
export function simulateWorkload({ cards, newPerDay, settings, now, days = HORIZON_DAYS, seed = 1 }: WorkloadInput): Workload {
  const sim: SchedulerSettings = { ...settings, fuzz: false };
  const start = now.getTime();
  const end = start + days * DAY_MS;
  let reviews = 0;
  // One stream per simulated card, numbered in the order they are simulated: the same at every retention.
  let stream = 0;
  const rngFor = () => {
    const rng = createRng(seed * 1_000_003 + stream++);
    return () => rng.next();
  };
  const step = Math.max(1, cards.length / MAX_SIMULATED_CARDS);
  let sampled = 0;
  let own = 0;
  for (let k = 0; Math.floor(k) < cards.length; k += step) {
    const state = cards[Math.floor(k)]!;
    // An overdue card is answered now, not in the past.
    own += simulateCard(toFsrsCard({ ...state, due: Math.max(state.due, start) }), end, sim, rngFor());
    sampled++;
  }
  if (sampled > 0) reviews += (own * cards.length) / sampled;
  const newSimulated = Math.min(newPerDay, MAX_SIMULATED_NEW_PER_DAY);
  let fresh = 0;
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < newSimulated; i++) fresh += simulateCard(createEmptyCard(new Date(start + day * DAY_MS)), end, sim, rngFor());
  }
  if (newSimulated > 0) reviews += (fresh * newPerDay) / newSimulated;
  return { desiredRetention: settings.desiredRetention, reviewsPerDay: reviews / days, reviews, newCards: newPerDay * days, days };
}

/** simulateWorkload at each retention (the student's own added in order), for the settings page's table. */
export function workloadByRetention(input: WorkloadInput, retentions: readonly number[] = COMPARED_RETENTIONS): Workload[] {
  const all = [...new Set([...retentions, input.settings.desiredRetention])].sort((a, b) => a - b);
  return all.map((desiredRetention) => simulateWorkload({ ...input, settings: { ...input.settings, desiredRetention } }));
}
