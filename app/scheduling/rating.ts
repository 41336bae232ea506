/**
 * The rating suggested from a graded answer (docs/decisions/0005-rating-thresholds.md):
 * wrong → Again; right after a hint, or slow → Hard; right and fast → Easy; else Good.
 * The student sees it and may change it; both are stored.
 */
import { Rating, type Grade } from 'ts-fsrs';

/** Faster than this fraction of the expected time is "fast". */
export const FAST_FRACTION = 0.5;
/** Slower than this multiple of the expected time is "slow". */
export const SLOW_MULTIPLE = 2;
/** Slower than this is "slow" whatever the item: nobody recalls fluently after a minute. */
export const SLOW_CEILING_MS = 60_000;

/** Expected answering time by item kind; generated items by difficulty (1–3). */
export const EXPECTED_MS = {
  basic: 8_000,
  cloze: 8_000,
  choice: 10_000,
  generated: { 1: 15_000, 2: 25_000, 3: 40_000 },
} as const;

export type ItemKind = 'basic' | 'cloze' | 'choice' | 'generated' | 'network';

/** The time a fluent student takes on an item of this kind (and difficulty, for generated). */
export function expectedAnswerMs(kind: ItemKind, difficulty: 1 | 2 | 3 = 2): number {
  // A network item (one workbench question) is timed as a generated question of middle difficulty.
  if (kind === 'network') return EXPECTED_MS.generated[2];
  return kind === 'generated' ? EXPECTED_MS.generated[difficulty] : EXPECTED_MS[kind];
}

export interface GradedAnswer {
  correct: boolean;
  hinted: boolean;
  durationMs: number;
  expectedMs: number;
}

/** fast ⇔ duration < FAST_FRACTION · expected */
export function isFast(durationMs: number, expectedMs: number): boolean {
  return durationMs < FAST_FRACTION * expectedMs;
}

/** slow ⇔ duration > min(SLOW_MULTIPLE · expected, SLOW_CEILING_MS) */
export function isSlow(durationMs: number, expectedMs: number): boolean {
  return durationMs > Math.min(SLOW_MULTIPLE * expectedMs, SLOW_CEILING_MS);
}

export function suggestRating(a: GradedAnswer): Grade {
  if (!a.correct) return Rating.Again;
  if (a.hinted || isSlow(a.durationMs, a.expectedMs)) return Rating.Hard;
  if (isFast(a.durationMs, a.expectedMs)) return Rating.Easy;
  return Rating.Good;
}
