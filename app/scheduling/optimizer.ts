/**
 * Fitting FSRS parameters to a review history with fsrs-rs (@open-spaced-repetition/binding),
 * and deciding whether a fitted set is kept: pure functions over plain review records, no
 * database. The history is split by time (the oldest reviews train, the newest are held out);
 * a candidate replaces the set in use only when the binding's evaluation on the held-out
 * reviews says it predicts them better. app/models/parameters.server.ts reads the histories
 * and records the runs; decision record 0019 states the rules.
 */
import { computeParameters, FSRSBinding, FSRSBindingItem, FSRSBindingReview, type ModelEvaluation } from '@open-spaced-repetition/binding';
import { FSRS_PARAMETER_COUNT } from './scheduler';

/** One review as the optimizer needs it. All variants of a generated item are one card: key by card. */
export interface HistoryReview {
  cardId: number;
  /** The reviewer's study day as a day number (days since 1970-01-01 of the 'YYYY-MM-DD' study day). */
  day: number;
  /** Epoch ms: orders the reviews and the time split. */
  reviewedAt: number;
  rating: 1 | 2 | 3 | 4;
}

/**
 * The fewest reviews a fit is attempted on. Each review after a card's first is one FSRS item;
 * a fifth of them is held out, so 200 reviews leave about 40 to judge the fit on. Below that,
 * the held-out log loss moves more between two random fifths than between two parameter sets.
 */
export const MIN_REVIEWS = 200;
/** The share of FSRS items (the newest) held out for evaluation. */
export const HELD_OUT_SHARE = 0.2;

/** The day number of a study day 'YYYY-MM-DD'. */
export function dayNumber(studyDay: string): number {
  return Math.round(Date.parse(`${studyDay}T00:00:00Z`) / 86_400_000);
}

export interface Items {
  /** FSRS items, oldest last review first, each with the time of the review it predicts. */
  items: { item: FSRSBindingItem; at: number }[];
  reviews: number;
  cards: number;
}

/**
 * The history as FSRS items: for each card, one item per review after its first, holding the
 * card's reviews up to that one, each with the days since the one before (0 within a day: a
 * short-term review).
 */
export function itemsOf(history: readonly HistoryReview[]): Items {
  const byCard = new Map<number, HistoryReview[]>();
  for (const r of history) {
    const list = byCard.get(r.cardId);
    if (list) list.push(r);
    else byCard.set(r.cardId, [r]);
  }
  const items: { item: FSRSBindingItem; at: number }[] = [];
  for (const list of byCard.values()) {
    list.sort((a, b) => a.reviewedAt - b.reviewedAt);
    const reviews: FSRSBindingReview[] = [];
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      reviews.push(new FSRSBindingReview(r.rating, i === 0 ? 0 : Math.max(0, r.day - list[i - 1]!.day)));
      if (i > 0) items.push({ item: new FSRSBindingItem(reviews.slice()), at: r.reviewedAt });
    }
  }
  items.sort((a, b) => a.at - b.at);
  return { items, reviews: history.length, cards: byCard.size };
}

export interface Split {
  train: FSRSBindingItem[];
  test: FSRSBindingItem[];
}

/** The oldest items train, the newest HELD_OUT_SHARE are held out: the fit never sees the future it is judged on. */
export function timeSplit(items: Items['items'], heldOutShare = HELD_OUT_SHARE): Split {
  const cut = Math.round(items.length * (1 - heldOutShare));
  return { train: items.slice(0, cut).map((i) => i.item), test: items.slice(cut).map((i) => i.item) };
}

/** The binding's evaluation (log loss, RMSE over bins) of `parameters` (null: the defaults) on `items`. */
export function evaluate(parameters: readonly number[] | null, items: FSRSBindingItem[]): ModelEvaluation {
  return new FSRSBinding(parameters ? [...parameters] : undefined).evaluate(items);
}

export interface FitOptions {
  /** Called as the binding reports progress (done of total). */
  progress?: (done: number, total: number) => void;
  /** Stride schedules learning steps within a day: fit the short-term parameters too. */
  enableShortTerm?: boolean;
  numRelearningSteps?: number;
}

/** fsrs-rs's fit of `train`; resolves to 21 numbers. */
export async function fit(train: FSRSBindingItem[], options: FitOptions = {}): Promise<number[]> {
  const parameters = await computeParameters(train, {
    enableShortTerm: options.enableShortTerm ?? true,
    numRelearningSteps: options.numRelearningSteps ?? 1,
    progress: options.progress ? (done, total) => void options.progress!(done, total) : undefined,
  });
  if (parameters.length !== FSRS_PARAMETER_COUNT || !parameters.every(Number.isFinite)) {
    throw new Error(`the optimizer returned ${parameters.length} parameters (${parameters.join(', ')}), not ${FSRS_PARAMETER_COUNT} finite numbers`);
  }
  return parameters;
}

/** Whether a candidate set replaces the baseline, and the words that say why. */
export interface Verdict {
  kept: boolean;
  reason: string;
}

const f4 = (x: number) => x.toFixed(4);

/**
 * A candidate is kept only when it predicts the held-out reviews better: lower log loss and
 * RMSE(bins) no higher than the baseline's. A trade (one better, one worse) keeps the baseline:
 * a set in use is not replaced on mixed evidence.
 */
export function verdict(candidate: ModelEvaluation, baseline: ModelEvaluation, baselineName: string): Verdict {
  const lossBetter = candidate.logLoss < baseline.logLoss;
  const rmseNoWorse = candidate.rmseBins <= baseline.rmseBins;
  const figures = `log loss ${f4(candidate.logLoss)} against ${f4(baseline.logLoss)}, RMSE(bins) ${f4(candidate.rmseBins)} against ${f4(baseline.rmseBins)} for ${baselineName}`;
  if (lossBetter && rmseNoWorse) return { kept: true, reason: `kept: predicts the held-out reviews better (${figures})` };
  if (!lossBetter && !rmseNoWorse) return { kept: false, reason: `not kept: predicts the held-out reviews worse (${figures})` };
  return { kept: false, reason: `not kept: ${lossBetter ? 'lower log loss but higher RMSE(bins)' : 'lower RMSE(bins) but no lower log loss'} (${figures})` };
}

/** Why a history is too short to fit, or null when it is long enough. */
export function tooShort(history: Items, minReviews = MIN_REVIEWS): string | null {
  if (history.reviews < minReviews) return `too few reviews: ${history.reviews} of the ${minReviews} a fit needs`;
  const { train, test } = timeSplit(history.items);
  if (test.length === 0 || train.length === 0) return `too few repeated reviews: ${history.items.length} reviews follow an earlier review of their card`;
  return null;
}
