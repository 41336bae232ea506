/**
 * Fitting FSRS parameters to a review history with fsrs-rs (@open-spaced-repetition/binding),
 * and deciding whether a fitted set is kept: pure functions over plain review records, no
 * database. The history is split by time (the oldest reviews train, the newest are held out);
 * a candidate replaces the set in use only when the binding's evaluation on the held-out
 * reviews says it predicts them better. app/models/parameters.server.ts reads the histories
 * and records the runs; decision record 0019 states the rules.
 */
import { computeParameters, FSRSBinding, FSRSBindingItem, FSRSBindingReview, type ModelEvaluation } from '@open-spaced-repetition/binding';
import { FSRS_PARAMETER_COUNT, RELEARNING_STEPS } from './scheduler';

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
 * The fewest reviews a fit is attempted on. fsrs-rs sets no floor that protects the student: it
 * returns its defaults below 8 usable items and fits only the four initial stabilities below 64
 * (training.rs), and Anki dropped its 400-review floor in 24.06 on the strength of a benchmark
 * (ankitects/anki#3094: about 200 reviews for a set that holds up over the next 1,000). So the
 * floor is ours: 200 reviews leave a held-out fifth of some 40 items to judge the fit on, and
 * below that the held-out log loss moves more between two random fifths than between two
 * parameter sets. A student with a few hundred reviews can fit; a worse fit is not kept.
 */
export const MIN_REVIEWS = 200;
/** The share of FSRS items (the newest) held out for evaluation. */
export const HELD_OUT_SHARE = 0.2;
/** The fewest FSRS items (reviews on a later day than the card's last) a fit is attempted on: fsrs-rs needs 8 to train on. */
export const MIN_ITEMS = 10;

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
 * The history as FSRS items: for each card, one item per review on a later study day than the
 * card's review before it, holding the card's reviews up to that one, each with the days since
 * the one before (0 within a day: a short-term review, which shapes the state but is not itself
 * predicted). Same-day reviews are not items, as in fsrs-rs's own conversion of Anki's logs
 * (convertor.rs keeps an item only when its last delta_t > 0): FSRS predicts R(0) = 1 for them,
 * and an item with no review on a later day aborts the whole process inside the binding
 * ("at least one review with delta_t > 0 is required" is a Rust panic, not a thrown error).
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
      const deltaT = i === 0 ? 0 : Math.max(0, r.day - list[i - 1]!.day);
      reviews.push(new FSRSBindingReview(r.rating, deltaT));
      if (deltaT > 0) items.push({ item: new FSRSBindingItem(reviews.slice()), at: r.reviewedAt });
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

function checked(parameters: readonly number[], what: string): number[] {
  if (parameters.length !== FSRS_PARAMETER_COUNT || !parameters.every(Number.isFinite)) {
    throw new Error(`${what}: expected ${FSRS_PARAMETER_COUNT} finite numbers, got ${parameters.length} (${parameters.join(', ')})`);
  }
  return [...parameters];
}

function bindingMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The binding's evaluation (log loss, RMSE over bins) of `parameters` (null: the defaults) on
 * `items`. Throws a plain Error on no items or a damaged set (the binding's own words kept).
 */
export function evaluate(parameters: readonly number[] | null, items: FSRSBindingItem[]): ModelEvaluation {
  if (items.length === 0) throw new Error('cannot evaluate a parameter set on no reviews');
  const w = parameters ? checked(parameters, 'cannot evaluate the parameter set') : undefined;
  try {
    return new FSRSBinding(w).evaluate(items);
  } catch (e) {
    throw new Error(`the optimizer could not evaluate the parameter set on ${items.length} reviews: ${bindingMessage(e)}`, { cause: e });
  }
}

export interface FitOptions {
  /**
   * Progress, as `done` of `total` training steps (epochs × items). Called from the binding's
   * poller every `timeout` ms while the fit runs, so a fit shorter than that may report nothing;
   * never called after the fit settles. If it throws, the fit stops and rejects with its error.
   */
  progress?: (done: number, total: number) => void;
  /**
   * The binding's progress poll, in ms. The fit waits for the poller's last sleep before it
   * resolves, so this is also the smallest time a fit takes (the binding's default is 500).
   */
  timeout?: number;
  /** Stride schedules learning steps within a day: fit the short-term parameters too. */
  enableShortTerm?: boolean;
  /** How many relearning steps the student's set runs with (bounds w17 and w18); absent: Stride's default. */
  numRelearningSteps?: number;
}

/** The progress poll used when FitOptions.timeout is absent: progress four times a second at most. */
export const FIT_POLL_MS = 250;

/**
 * fsrs-rs's fit of `train`; resolves to 21 numbers. With fewer than 8 usable items fsrs-rs
 * returns its defaults and below 64 fits only the initial stabilities: neither is an error, and
 * `verdict` judges what comes back like any other candidate. A binding failure rejects with an
 * Error that says so (the binding's words kept as its cause).
 */
export async function fit(train: FSRSBindingItem[], options: FitOptions = {}): Promise<number[]> {
  if (train.length === 0) throw new Error('cannot fit a parameter set to no reviews');
  let settled = false;
  let progressError: unknown = null;
  const progress = options.progress;
  let parameters: number[];
  try {
    parameters = await computeParameters(train, {
      enableShortTerm: options.enableShortTerm ?? true,
      numRelearningSteps: options.numRelearningSteps ?? RELEARNING_STEPS.length,
      timeout: options.timeout ?? FIT_POLL_MS,
      progress: progress
        ? (done, total) => {
            if (settled || progressError !== null) return progressError === null;
            try {
              progress(done, total);
              return true;
            } catch (e) {
              // Returning false asks the binding to stop; its rejection then says only "Interrupted".
              progressError = e;
              return false;
            }
          }
        : undefined,
    });
  } catch (e) {
    if (progressError !== null) throw progressError instanceof Error ? progressError : new Error(String(progressError));
    throw new Error(`the optimizer failed on ${train.length} reviews: ${bindingMessage(e)}`, { cause: e });
  } finally {
    settled = true;
  }
  if (progressError !== null) throw progressError instanceof Error ? progressError : new Error(String(progressError));
  return checked(parameters, 'the optimizer returned a damaged parameter set');
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
  if (history.items.length < MIN_ITEMS) {
    return `too few reviews on a later day: ${history.items.length} reviews follow a review of their card on an earlier day, and a fit needs ${MIN_ITEMS}`;
  }
  return null;
}
