/**
 * Estimated total knowledge (Anki's "estimated total knowledge"): at the end of each study day,
 * the sum over the student's cards of the probability of recalling each one then, the card's
 * memory state being the one its latest review before that instant left (stateAfter).
 */
import { default_w, forgetting_curve } from 'ts-fsrs';
import { State } from '../scheduling/scheduler';

const DAY_MS = 86_400_000;

/** A review's outcome as the replay needs it: the card's state, stability and last review after it. */
export interface KnowledgeReview {
  cardId: number;
  at: number;
  state: State;
  stability: number;
  lastReview: number | null;
}

/** At most this many points in the series: a longer period is sampled every `every` days. */
export const KNOWLEDGE_MAX_POINTS = 366;

/**
 * The recall probability at `at` of a card last reviewed at `lastReview` with `stability`:
 * FSRS's forgetting curve R(t, S) = (1 + F·t/S)^(−w₂₀) over whole days elapsed, as ts-fsrs's
 * get_retrievability computes it (scheduler.ts `retrievability`), without building a card.
 */
export function recallAt(stability: number, lastReview: number, at: number, parameters: readonly number[]): number {
  const days = Math.max(0, Math.floor((at - lastReview) / DAY_MS));
  // forgetting_curve only reads the set (its w₂₀); its type asks for a mutable array.
  return forgetting_curve(parameters as number[], days, stability);
}

/** The step that keeps `days` within KNOWLEDGE_MAX_POINTS. */
export function knowledgeStep(days: number): number {
  return Math.max(1, Math.ceil(days / KNOWLEDGE_MAX_POINTS));
}

/**
 * The knowledge at each day end of `ends` (ascending), from `reviews` in time order. One pass:
 * each card's pointer into its reviews only moves forward, so the cost is days × cards + reviews.
 * parameters: the user's set (null: ts-fsrs's defaults).
 */
export function knowledgeSeries(reviews: readonly KnowledgeReview[], ends: readonly { day: string; end: number }[], parameters: readonly number[] | null): { day: string; total: number }[] {
  const w = parameters ?? default_w;
  const byCard = new Map<number, KnowledgeReview[]>();
  for (const r of reviews) {
    const list = byCard.get(r.cardId);
    if (list) list.push(r);
    else byCard.set(r.cardId, [r]);
  }
  const histories = [...byCard.values()];
  const pointers = new Array<number>(histories.length).fill(0);
  return ends.map(({ day, end }) => {
    let total = 0;
    histories.forEach((h, i) => {
      let p = pointers[i]!;
      while (p < h.length && h[p]!.at < end) p++;
      pointers[i] = p;
      if (p === 0) return;
      const s = h[p - 1]!;
      if (s.state === State.New || s.lastReview === null) return;
      total += recallAt(s.stability, s.lastReview, end, w);
    });
    return { day, total };
  });
}

/** Every `every`-th of `ends`, counted back from the last, so today is always a point. */
export function sampleEnds<T>(ends: readonly T[], every: number): T[] {
  return ends.filter((_, i) => (ends.length - 1 - i) % every === 0);
}
