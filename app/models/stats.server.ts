/**
 * The statistics pages' loaders: a student's figures (app/routes/stats.tsx) and a class's (the
 * instructor's class page). One read of the student's reviews and one of their cards, then the
 * pure computations of app/stats/*.ts; the definitions are in those files' comments.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lte, type SQL } from 'drizzle-orm';
import { default_request_retention, default_w } from 'ts-fsrs';
import { getDb, type Db } from '../../db/client';
import { banks, cards, classBanks, items, memberships, reviews, subscriptions, users } from '../../db/schema';
import { retrievability, State } from '../scheduling/scheduler';
import { studyDay } from '../scheduling/study-day';
import { calibrationBins, calibrationPair, type Prediction } from '../stats/calibration';
import { addDays, dayEnds, dayRange, daysBetween, studyDayOf } from '../stats/days';
import { classFamilyStats, familyStats, predictionsOf, retentionOf, type FamilyReview } from '../stats/families';
import { forecast } from '../stats/forecast';
import { difficultyHistogram, intervalHistogram, retrievabilityHistogram, stabilityHistogram } from '../stats/histograms';
import { knowledgeSeries, knowledgeStep, recallCurve, sampleEnds, type KnowledgeReview } from '../stats/knowledge';
import { intervalOf, lastReviewOf, stabilityOf, stateOf } from '../stats/state-fields';
import { reviewKind, trueRetention, type RetentionReview, type ReviewKind } from '../stats/retention';
import type { ClassStats, ItemRetention, StatsPeriod, StudentStats } from '../stats/types';
import { studiedBankCondition } from './access.server';
import { cardStateOf } from './card.server';
import { itemText } from './cards-page.server';
import { getTaughtClass } from './class.server';
import { MASTERED_INTERVAL_DAYS } from './dashboard.server';
import { schedulerColumns, schedulerSettingsOf } from './review.server';

/** A statistics request for something the user may not see (a bank they do not study): the route answers 404. */
export class StatsNotFound extends Error {
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = 'StatsNotFound';
  }
}

export const STATS_ERRORS = {
  noUser: (id: number) => `no user ${id}`,
  notStudied: (bankId: string) => `bank ${bankId} is not one you study`,
} as const;

/** Study days each period covers, today included (null: all time). */
export const PERIOD_DAYS: Record<StatsPeriod, number | null> = { month: 30, year: 365, all: null };
/** The heatmap always covers the year to today. */
const HEATMAP_DAYS = 365;

/** Where a review carries no prediction: the forgetting curve of ts-fsrs's defaults. */
const defaultRecall = recallCurve(default_w);

/** A review's kind, from its before-state (the interval read only for a card in review). */
function kindBefore(stateBefore: string): { state: State; kind: ReviewKind } {
  const state = stateOf(stateBefore) as State;
  return { state, kind: reviewKind(state, state === State.Review ? intervalOf(stateBefore)! : 0, MASTERED_INTERVAL_DAYS) };
}

/**
 * The prediction of a review: stored, else recomputed from its before-state under the defaults
 * (retrievability at review time, as submitReview computes it); null for a new card.
 */
function predictionOf(state: State, predictedRecall: number | null, stateBefore: string, reviewedAt: Date): number | null {
  if (state === State.New) return null;
  if (predictedRecall !== null) return predictedRecall;
  const lastReview = lastReviewOf(stateBefore);
  return lastReview === null ? null : defaultRecall(stabilityOf(stateBefore)!, lastReview, reviewedAt.getTime());
}

const kindOf = (state: number, interval: number): ReviewKind => reviewKind(state as State, interval, MASTERED_INTERVAL_DAYS);

/**
 * The review columns every figure reads: plain columns only (drizzle maps those fastest), the
 * before-state as its text, read by app/stats/state-fields.ts. No join: families come from a map of the items.
 */
function reviewColumns() {
  return {
    itemId: reviews.itemId,
    reviewedAt: reviews.reviewedAt,
    rating: reviews.rating,
    durationMs: reviews.durationMs,
    misconception: reviews.misconception,
    predictedRecall: reviews.predictedRecall,
    stateBefore: reviews.stateBefore,
  };
}

/** Reviews `where` selects (the class's: no order, its figures are sums and counts). */
function readReviews(db: Db, where: SQL | undefined) {
  return db.select({ userId: reviews.userId, ...reviewColumns() }).from(reviews).where(where);
}

/** A student's, in time order, with each card and the after-state the knowledge replay reads. */
function readReviewsWithAfter(db: Db, where: SQL | undefined) {
  return db
    .select({ ...reviewColumns(), cardId: reviews.cardId, correct: reviews.correct, stateAfter: reviews.stateAfter })
    .from(reviews)
    .where(where)
    .orderBy(asc(reviews.reviewedAt), asc(reviews.id));
}

/** The items of `bankIds` (null: every bank) that have a family: item id → family. */
async function familiesOf(db: Db, bankIds: string[] | null): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: items.id, family: items.family })
    .from(items)
    .where(and(isNotNull(items.family), bankIds === null ? undefined : inArray(items.bankId, bankIds)));
  return new Map(rows.map((r) => [r.id, r.family!]));
}

export interface StudentStatsInput {
  db?: Db;
  userId: number;
  now: Date;
  period: StatsPeriod;
  /** One bank the student studies, or null for all of them; another bank throws StatsNotFound. */
  bankId: string | null;
}

/** The student's statistics page: every figure of StudentStats (app/stats/types.ts). */
export async function studentStats({ db = getDb(), userId, now, period, bankId }: StudentStatsInput): Promise<StudentStats> {
  const [user] = await db.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour, ...schedulerColumns() }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(STATS_ERRORS.noUser(userId));
  const studied = await db.select({ id: banks.id, title: banks.title }).from(banks).where(studiedBankCondition(db, userId)).orderBy(asc(banks.title), asc(banks.id));
  if (bankId !== null && !studied.some((b) => b.id === bankId)) throw new StatsNotFound(STATS_ERRORS.notStudied(bankId));
  const settings = schedulerSettingsOf(user);
  const { timeZone, rolloverHour } = user;
  const dayOf = studyDayOf(timeZone, rolloverHour);
  const today = studyDay(now, timeZone, rolloverHour);
  const t = now.getTime();

  // The history: all the student's reviews (of the bank), to now; one pass makes the per-review figures.
  const bankItems = bankId === null ? undefined : inArray(reviews.itemId, db.select({ id: items.id }).from(items).where(eq(items.bankId, bankId)));
  const history = await readReviewsWithAfter(db, and(eq(reviews.userId, userId), lte(reviews.reviewedAt, now), bankItems));
  const families = await familiesOf(db, bankId === null ? null : [bankId]);

  const periodDays = PERIOD_DAYS[period];
  const firstDay = history.length > 0 ? dayOf(history[0]!.reviewedAt.getTime()) : today;
  const periodStart = periodDays === null ? null : addDays(today, -(periodDays - 1));
  const from = periodStart ?? (firstDay < today ? firstDay : today);
  const heatmapFrom = addDays(today, -(HEATMAP_DAYS - 1));

  const todayCounts = { reviews: 0, correct: 0, timeMs: 0, learning: 0, relearning: 0, young: 0, mature: 0, new: 0 };
  const perDayByDay = new Map(dayRange(from, today).map((day) => [day, { day, learning: 0, young: 0, mature: 0, relearning: 0, timeMs: 0, new: 0 }]));
  const heatmapCounts = new Map(dayRange(heatmapFrom, today).map((day) => [day, 0]));
  // One object per review serves true retention and the knowledge replay both.
  const perReview: (RetentionReview & KnowledgeReview)[] = [];
  const predictions: Prediction[] = [];
  const familyReviews: FamilyReview[] = [];
  for (const r of history) {
    const at = r.reviewedAt.getTime();
    const day = dayOf(at);
    const { state, kind } = kindBefore(r.stateBefore);
    perReview.push({ cardId: r.cardId, day, kind, rating: r.rating, at });
    const onHeatmap = heatmapCounts.get(day);
    if (onHeatmap !== undefined) heatmapCounts.set(day, onHeatmap + 1);
    if (day === today) {
      todayCounts.reviews++;
      if (r.correct) todayCounts.correct++;
      todayCounts.timeMs += r.durationMs;
      todayCounts[kind]++;
    }
    if (day < from) continue;
    const d = perDayByDay.get(day)!;
    d[kind]++;
    d.timeMs += r.durationMs;
    const predicted = predictionOf(state, r.predictedRecall, r.stateBefore, r.reviewedAt);
    if (predicted !== null) predictions.push({ predicted, rating: r.rating });
    const family = families.get(r.itemId);
    if (family !== undefined) familyReviews.push({ family, userId, at, kind, rating: r.rating, durationMs: r.durationMs, misconception: r.misconception, predicted });
  }

  // The cards: of the banks studied (or the one bank), their items live.
  const bankFilter = bankId === null ? studiedBankCondition(db, userId) : eq(banks.id, bankId);
  const cardRows = await db
    .select({ card: cards, bankId: items.bankId })
    .from(cards)
    .innerJoin(items, eq(items.id, cards.itemId))
    .innerJoin(banks, eq(banks.id, items.bankId))
    .where(and(eq(cards.userId, userId), isNull(items.retiredAt), bankFilter));
  const liveItems = await db
    .select({ id: items.id })
    .from(items)
    .innerJoin(banks, eq(banks.id, items.bankId))
    .where(and(isNull(items.retiredAt), bankFilter));
  const off = await banksTurnedOff(db, userId);

  const cardCounts = { new: liveItems.length - cardRows.length, learning: 0, relearning: 0, young: 0, mature: 0, suspended: 0, buried: 0, total: liveItems.length };
  const intervals: number[] = [];
  const stabilities: number[] = [];
  const difficulties: number[] = [];
  const recalls: number[] = [];
  for (const { card } of cardRows) {
    if (card.suspended) cardCounts.suspended++;
    else if (card.buriedUntil !== null && card.buriedUntil.getTime() > t) cardCounts.buried++;
    else cardCounts[card.state === State.New ? 'new' : kindOf(card.state, card.scheduledDays) as Exclude<ReviewKind, 'new'>]++;
    if (card.state === State.New) continue;
    if (card.state === State.Review) intervals.push(card.scheduledDays);
    stabilities.push(card.stability);
    difficulties.push(card.difficulty);
    recalls.push(retrievability(cardStateOf(card), now, settings));
  }

  // By due date, so dayOf's memory of the last day hits: one zone computation per day, not per card.
  const forecastCards = cardRows
    .filter((r) => !off.has(r.bankId))
    .map(({ card }) => ({ due: card.due.getTime(), state: card.state as State, suspended: card.suspended, buriedUntil: card.buriedUntil?.getTime() ?? null }))
    .sort((a, b) => a.due - b.due);

  // Estimated knowledge: the card states after each review, replayed over the period's day ends.
  const knowledgeDays = periodDays ?? daysBetween(from, today) + 1;
  const every = knowledgeStep(knowledgeDays);
  const ends = sampleEnds(dayEnds(now, knowledgeDays, timeZone, rolloverHour), every);

  return {
    period,
    bankId,
    banks: studied,
    timeZone,
    today,
    periodStart,
    todayCounts,
    forecast: forecast(forecastCards, t, today, dayOf),
    heatmap: { from: heatmapFrom, to: today, days: [...heatmapCounts].map(([day, n]) => ({ day, reviews: n })) },
    perDay: [...perDayByDay.values()],
    cardCounts,
    intervals: intervalHistogram(intervals),
    stability: stabilityHistogram(stabilities),
    difficulty: difficultyHistogram(difficulties),
    retrievability: retrievabilityHistogram(recalls),
    knowledge: knowledgeSeries(perReview, ends, settings.parameters ?? null, (i) => {
      const r = history[i]!;
      return { state: stateOf(r.stateAfter) as State, stability: stabilityOf(r.stateAfter)!, lastReview: lastReviewOf(r.stateAfter) };
    }),
    knowledgeEvery: every,
    trueRetention: trueRetention(perReview, today),
    calibration: { bins: calibrationBins(predictions), reviews: predictions.length },
    families: familyStats(familyReviews),
  };
}

/**
 * The banks the student turned off, as the queue reads them: a content bank's stored 'off'; a
 * class bank's reads as on while they are a member.
 */
async function banksTurnedOff(db: Db, userId: number): Promise<Set<string>> {
  const rows = await db.select({ bankId: subscriptions.bankId }).from(subscriptions).where(and(eq(subscriptions.userId, userId), eq(subscriptions.state, 'off')));
  if (rows.length === 0) return new Set();
  const classBankRows = await db
    .select({ bankId: classBanks.bankId })
    .from(classBanks)
    .innerJoin(memberships, eq(memberships.classId, classBanks.classId))
    .where(eq(memberships.userId, userId));
  const inClass = new Set(classBankRows.map((r) => r.bankId));
  return new Set(rows.map((r) => r.bankId).filter((id) => !inClass.has(id)));
}

export interface ClassStatsInput {
  db?: Db;
  instructorId: number;
  classId: number;
  now: Date;
}

/**
 * A class's statistics for its instructor (AccessDenied for anyone else, as classAnalytics): the
 * members' reviews of the banks published to the class, to now; retention and calibration per
 * item and per family, and the families the class is forgetting. The class's desired retention
 * is the mean of its members' (ts-fsrs's default, 0.9, without members).
 */
export async function classStats({ db = getDb(), instructorId, classId, now }: ClassStatsInput): Promise<ClassStats> {
  const taught = await getTaughtClass({ db, userId: instructorId, classId });
  const memberIds = taught.members.map((m) => m.id);
  const bankIds = taught.banks.map((b) => b.id);
  const retentions = memberIds.length === 0 ? [] : await db.select({ desiredRetention: users.desiredRetention }).from(users).where(inArray(users.id, memberIds));
  const desiredRetention = retentions.length === 0 ? default_request_retention : retentions.reduce((a, r) => a + r.desiredRetention, 0) / retentions.length;

  const itemRows =
    bankIds.length === 0
      ? []
      : await db
          .select({ id: items.id, kind: items.kind, content: items.content, family: items.family })
          .from(items)
          .where(and(inArray(items.bankId, bankIds), isNull(items.retiredAt)))
          .orderBy(asc(items.bankId), asc(items.position));
  const facts =
    bankIds.length === 0 || memberIds.length === 0
      ? []
      : await readReviews(db, and(inArray(reviews.itemId, db.select({ id: items.id }).from(items).where(inArray(items.bankId, bankIds))), inArray(reviews.userId, memberIds), lte(reviews.reviewedAt, now)));
  const families = await familiesOf(db, bankIds);

  const byItem = new Map<string, FamilyReview[]>();
  const all: FamilyReview[] = [];
  const familyReviews: FamilyReview[] = [];
  for (const r of facts) {
    const family = families.get(r.itemId);
    const { state, kind } = kindBefore(r.stateBefore);
    const review: FamilyReview = {
      family: family ?? '',
      userId: r.userId,
      at: r.reviewedAt.getTime(),
      kind,
      rating: r.rating,
      durationMs: r.durationMs,
      misconception: r.misconception,
      predicted: predictionOf(state, r.predictedRecall, r.stateBefore, r.reviewedAt),
    };
    all.push(review);
    if (family !== undefined) familyReviews.push(review);
    const list = byItem.get(r.itemId);
    if (list) list.push(review);
    else byItem.set(r.itemId, [review]);
  }
  const itemStats: ItemRetention[] = itemRows.map((it) => {
    const list = byItem.get(it.id) ?? [];
    return {
      itemId: it.id,
      title: itemText(it.kind, it.content),
      family: it.family,
      students: new Set(list.map((r) => r.userId)).size,
      reviews: list.length,
      retention: retentionOf(list),
      ...calibrationPair(predictionsOf(list)),
    };
  });
  const predictions = predictionsOf(all);
  return {
    classId,
    className: taught.class.name,
    students: memberIds.length,
    reviews: facts.length,
    desiredRetention,
    calibration: { bins: calibrationBins(predictions), reviews: predictions.length },
    items: itemStats,
    families: classFamilyStats(familyReviews, now.getTime(), desiredRetention),
  };
}
