/**
 * Estimated total knowledge (Anki's "estimated total knowledge"): at the end of each study day,
 * the sum over the student's cards of the probability of recalling each one then, the card's
 * memory state being the one its latest review before that instant left (stateAfter).
 */
import { computeDecayFactor, default_w, roundTo } from 'ts-fsrs';
import { State } from '../scheduling/scheduler';

const DAY_MS = 86_400_000;

/** A card's memory after a review, as the replay needs it. */
export interface MemoryAfter {
  state: State;
  stability: number;
  lastReview: number | null;
}

/**
 * A review as the replay reads it: its card, its instant, and its after-state, which `after`
 * gives on demand (parsing it is most of the replay's cost, and only the latest review of a card
 * before each day end is ever read).
 */
export interface KnowledgeReview {
  cardId: number;
  at: number;
}

/** At most this many points in the series: a longer period is sampled every `every` days. */
export const KNOWLEDGE_MAX_POINTS = 366;

/**
 * The forgetting curve of a parameter set, R(t, S) = (1 + F·t/S)^(−w₂₀) with F = 0.9^(−1/w₂₀) − 1,
 * t in whole days elapsed, rounded to 8 places: ts-fsrs's forgetting_curve and get_retrievability
 * (scheduler.ts `retrievability`), with the decay and factor computed once per set instead of
 * once per call (the knowledge series evaluates it millions of times).
 */
export function recallCurve(parameters: readonly number[]): (stability: number, lastReview: number, at: number) => number {
  const { decay, factor } = computeDecayFactor(parameters);
  return (stability, lastReview, at) => roundTo(Math.pow(1 + (factor * Math.max(0, Math.floor((at - lastReview) / DAY_MS))) / stability, decay), 8);
}

/** The recall probability at `at` of a card last reviewed at `lastReview` with `stability` (recallCurve, once). */
export function recallAt(stability: number, lastReview: number, at: number, parameters: readonly number[]): number {
  return recallCurve(parameters)(stability, lastReview, at);
}

/** The step that keeps `days` within KNOWLEDGE_MAX_POINTS. */
export function knowledgeStep(days: number): number {
  return Math.max(1, Math.ceil(days / KNOWLEDGE_MAX_POINTS));
}

/**
 * The knowledge at each day end of `ends` (ascending), from `reviews` in time order, `after(i)`
 * being the after-state of reviews[i]. One pass: each card's pointer into its reviews only moves
 * forward, so the cost is days × cards + reviews, and each after-state is read at most once.
 * parameters: the user's set (null: ts-fsrs's defaults).
 */
export function knowledgeSeries(
  reviews: readonly KnowledgeReview[],
  ends: readonly { day: string; end: number }[],
  parameters: readonly number[] | null,
  after: (index: number) => MemoryAfter,
): { day: string; total: number }[] {
  const recall = recallCurve(parameters ?? default_w);
  const byCard = new Map<number, number[]>();
  reviews.forEach((r, i) => {
    const list = byCard.get(r.cardId);
    if (list) list.push(i);
    else byCard.set(r.cardId, [i]);
  });
  const histories = [...byCard.values()];
  const pointers = new Array<number>(histories.length).fill(0);
  const current: (MemoryAfter | null)[] = new Array<MemoryAfter | null>(histories.length).fill(null);
  return ends.map(({ day, end }) => {
    let total = 0;
    for (let c = 0; c < histories.length; c++) {
      const h = histories[c]!;
      let p = pointers[c]!;
      const was = p;
      while (p < h.length && reviews[h[p]!]!.at < end) p++;
      if (p === 0) continue;
      if (p !== was || current[c] === null) {
        pointers[c] = p;
        current[c] = after(h[p - 1]!);
      }
      const s = current[c]!;
      if (s.state === State.New || s.lastReview === null) continue;
      total += recall(s.stability, s.lastReview, end);
    }
    return { day, total };
  });
}

/** Every `every`-th of `ends`, counted back from the last, so today is always a point. */
export function sampleEnds<T>(ends: readonly T[], every: number): T[] {
  return ends.filter((_, i) => (ends.length - 1 - i) % every === 0);
}
