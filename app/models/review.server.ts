/**
 * Reviews: each answer is written with its card update in one transaction, a user's reviews one
 * after another (their row locked on PostgreSQL; SQLite has one writer). A retried submission,
 * known by its client review id, is stored once; undo puts the card back to its stored before-state.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../db/client';
import { cards, items, reviews, users, type ReviewRow } from '../../db/schema';
import { regionsColumn } from '../analytics/regions';
import { lockRows, prepared, statementsIn } from '../../db/sql';
import { env } from '../env.server';
import { LEARNING_STEPS, newCardState, parseCardState, parseParameters, RELEARNING_STEPS, retrievability, scheduleReview, State, type CardState, type Grade, type SchedulerSettings } from '../scheduling/scheduler';
import { storedSteps } from '../scheduling/steps';
import type { ReviewOrigin } from '../../db/schema';
import { studyDayStart } from '../scheduling/study-day';
import { cardColumnsOf, cardStateOf, promotionOf } from './card.server';
import { planForExam } from './exam-schedule.server';

export interface SubmitReviewInput {
  db?: Db;
  userId: number;
  itemId: string;
  /** Chosen by the client; the same id for the same user is stored once. */
  clientReviewId: string;
  /** Variant seed of a generated item; null for facts. */
  seed: number | null;
  rawAnswer: string;
  /** The value as the grader read it (JSON-safe), or null when unread. */
  readAs: unknown;
  correct: boolean;
  misconception: string | null;
  /** The rating applied (the student's choice). */
  rating: Grade;
  /** The rating the app suggested (app/scheduling/rating.ts). */
  suggestedRating: Grade;
  durationMs: number;
  hinted: boolean;
  now: Date;
  /** How the card reached the student; by default read from the card (promoted or not). */
  origin?: ReviewOrigin;
}

export interface SubmittedReview {
  review: ReviewRow;
  card: CardState;
  /** True when this client review id was already stored: nothing was written. */
  duplicate: boolean;
  /** True when this review made the card a leech. */
  becameLeech: boolean;
}

export const REVIEW_ERRORS = {
  rating: (r: unknown) => `rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), got ${String(r)}`,
  duration: (d: unknown) => `durationMs must be a non-negative integer, got ${String(d)}`,
  clientReviewId: 'clientReviewId must be a non-empty string of at most 100 characters',
  noUser: (id: number) => `no user ${id}`,
} as const;

function checkGrade(r: unknown): asserts r is Grade {
  if (r !== 1 && r !== 2 && r !== 3 && r !== 4) throw new RangeError(REVIEW_ERRORS.rating(r));
}

/** The columns of a user row the scheduler reads. */
export type SchedulerColumns = { desiredRetention: number; maxIntervalDays: number; learningSteps?: string; relearningSteps?: string; fsrsParameters?: string | null };

/** The scheduler settings of a user row, fuzz from the environment. */
export function schedulerSettingsOf(user: SchedulerColumns): SchedulerSettings {
  return {
    desiredRetention: user.desiredRetention,
    maxIntervalDays: user.maxIntervalDays,
    fuzz: env().FSRS_FUZZ === 'on',
    learningSteps: user.learningSteps === undefined ? LEARNING_STEPS : storedSteps(user.learningSteps, LEARNING_STEPS),
    relearningSteps: user.relearningSteps === undefined ? RELEARNING_STEPS : storedSteps(user.relearningSteps, RELEARNING_STEPS),
    ...(user.fsrsParameters ? { parameters: parseParameters(user.fsrsParameters) } : {}),
  };
}

/** The user columns schedulerSettingsOf reads, for a select. */
export const schedulerColumns = () => ({
  desiredRetention: users.desiredRetention,
  maxIntervalDays: users.maxIntervalDays,
  learningSteps: users.learningSteps,
  relearningSteps: users.relearningSteps,
  fsrsParameters: users.fsrsParameters,
});

/**
 * Records one answer: schedules the card with the chosen rating and inserts the review, in one
 * transaction. A failed write (an unknown item, a constraint) throws and changes nothing.
 */
export async function submitReview(input: SubmitReviewInput): Promise<SubmittedReview> {
  const { db = getDb(), userId, itemId, clientReviewId, now } = input;
  checkGrade(input.rating);
  checkGrade(input.suggestedRating);
  if (!Number.isInteger(input.durationMs) || input.durationMs < 0) throw new RangeError(REVIEW_ERRORS.duration(input.durationMs));
  if (clientReviewId.length === 0 || clientReviewId.length > 100) throw new RangeError(REVIEW_ERRORS.clientReviewId);

  return db.transaction(async (tx) => {
    const st = statementsIn(db, tx, reviewStatements);
    // The user's row lock (PostgreSQL) serialises their reviews: a retried post waits for the
    // first, then finds it stored; two reviews of one card never read the same before-state.
    await lockRows(tx, users, eq(users.id, userId));
    const [stored] = await st.existing.execute({ userId, clientReviewId });
    if (stored) return { review: stored, card: parseCardState(stored.stateAfter), duplicate: true, becameLeech: false };

    const [settings] = await st.settings.execute({ userId });
    if (!settings) throw new Error(REVIEW_ERRORS.noUser(userId));
    const [row] = await st.card.execute({ userId, itemId });
    const before = row ? cardStateOf(row) : newCardState(now);
    const scheduler = schedulerSettingsOf(settings);
    // ts-fsrs's schedule, then the exam plan (app/scheduling/exam-plan.ts): an in-scope card of an
    // exam ahead may come due earlier. The stored after-state is the placed one.
    const plan = await planForExam(tx, {
      userId,
      itemId,
      ...(row ? { cardId: row.id } : {}),
      after: scheduleReview(before, input.rating, now, scheduler),
      now,
      ...(scheduler.parameters ? { parameters: scheduler.parameters } : {}),
      calendar: { timeZone: settings.timeZone, rolloverHour: settings.rolloverHour },
    });
    const after = plan.state;

    let cardId: number;
    if (row) {
      cardId = row.id;
      await st.updateCard.execute({ ...cardColumnsOf(after), plannedForExam: plan.examId, cardId });
    } else {
      const [inserted] = await st.insertCard.execute({ userId, itemId, ...cardColumnsOf(after), plannedForExam: plan.examId });
      cardId = inserted!.id;
    }
    // The variant's regions, kept so the analytics can regroup history (engine/regions).
    const [item] = input.seed === null ? [] : await st.item.execute({ itemId });
    const [review] = await st.insertReview.execute({
      userId,
      clientReviewId,
      itemId,
      cardId,
      variantSeed: input.seed,
      rawAnswer: input.rawAnswer,
      readAs: input.readAs === null || input.readAs === undefined ? null : JSON.stringify(input.readAs),
      correct: input.correct,
      misconception: input.misconception,
      rating: input.rating,
      suggestedRating: input.suggestedRating,
      durationMs: input.durationMs,
      hinted: input.hinted,
      stateBefore: JSON.stringify(before),
      stateAfter: JSON.stringify(after),
      reviewedAt: now,
      // A promoted card's review says so: the day's limits do not count it (queue.server.ts).
      origin: input.origin ?? (row ? promotionOf(row) : 'queue'),
      predictedRecall: before.state === State.New ? null : retrievability(before, now, scheduler),
      regions: item ? regionsColumn(item, input.seed) : null,
    });
    return { review: review!, card: after, duplicate: false, becameLeech: after.leech && !before.leech };
  });
}

/** A placeholder for each column cardColumnsOf fills, named as its key. */
function cardPlaceholders() {
  const p = sql.placeholder;
  return {
    due: p('due'),
    stability: p('stability'),
    difficulty: p('difficulty'),
    elapsedDays: p('elapsedDays'),
    scheduledDays: p('scheduledDays'),
    learningSteps: p('learningSteps'),
    reps: p('reps'),
    lapses: p('lapses'),
    state: p('state'),
    lastReview: p('lastReview'),
    leech: p('leech'),
  } satisfies Record<keyof ReturnType<typeof cardColumnsOf>, unknown>;
}

/** The review loop's statements (the hot path), prepared once where the engine allows (statementsIn). */
function reviewStatements(h: Db) {
  const p = sql.placeholder;
  return {
    existing: prepared(h.select().from(reviews).where(and(eq(reviews.userId, p('userId')), eq(reviews.clientReviewId, p('clientReviewId')))), 'review_existing'),
    settings: prepared(h.select({ ...schedulerColumns(), timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, p('userId'))), 'review_settings'),
    card: prepared(h.select().from(cards).where(and(eq(cards.userId, p('userId')), eq(cards.itemId, p('itemId')))), 'review_card'),
    item: prepared(h.select({ bankId: items.bankId, id: items.id, content: items.content }).from(items).where(eq(items.id, p('itemId'))), 'review_item'),
    // drizzle encodes a placeholder in SET by its column (a Date, a boolean) though its types
    // allow none there; a scheduled card always has its lastReview, so no encoder meets a null.
    updateCard: prepared(
      h
        .update(cards)
        .set({ ...cardPlaceholders(), plannedForExam: p('plannedForExam') } as unknown as Partial<typeof cards.$inferInsert>)
        .where(eq(cards.id, p('cardId'))),
      'review_update_card',
    ),
    insertCard: prepared(
      h
        .insert(cards)
        .values({ userId: p('userId'), itemId: p('itemId'), ...cardPlaceholders(), plannedForExam: p('plannedForExam') })
        .returning({ id: cards.id }),
      'review_insert_card',
    ),
    insertReview: prepared(
      h
        .insert(reviews)
        .values({
          userId: p('userId'),
          clientReviewId: p('clientReviewId'),
          itemId: p('itemId'),
          cardId: p('cardId'),
          variantSeed: p('variantSeed'),
          rawAnswer: p('rawAnswer'),
          readAs: p('readAs'),
          correct: p('correct'),
          misconception: p('misconception'),
          rating: p('rating'),
          suggestedRating: p('suggestedRating'),
          durationMs: p('durationMs'),
          hinted: p('hinted'),
          stateBefore: p('stateBefore'),
          stateAfter: p('stateAfter'),
          reviewedAt: p('reviewedAt'),
          origin: p('origin'),
          predictedRecall: p('predictedRecall'),
          regions: p('regions'),
        })
        .returning(),
      'review_insert',
    ),
  };
}

export interface UndoneReview {
  review: ReviewRow;
  /** The card as it is again: the review's before-state. */
  card: CardState;
}

/**
 * Takes back the user's latest review if it was made in the current study day: the card
 * returns exactly to the state stored before it, and the review is deleted. Null when there
 * is nothing to undo.
 */
export async function undoLastReview({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<UndoneReview | null> {
  return db.transaction(async (tx) => {
    // The same lock as submitReview: the latest review cannot change while it is taken back.
    await lockRows(tx, users, eq(users.id, userId));
    const [user] = await tx.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, userId));
    if (!user) throw new Error(REVIEW_ERRORS.noUser(userId));
    const last = await latestReview(tx, userId);
    if (!last || last.reviewedAt < studyDayStart(now, user.timeZone, user.rolloverHour)) return null;
    return takeBackReview(tx, userId, last);
  });
}

/** The user's latest review (by time, then id), or undefined. */
export async function latestReview(tx: Tx, userId: number): Promise<ReviewRow | undefined> {
  const [last] = await tx.select().from(reviews).where(eq(reviews.userId, userId)).orderBy(desc(reviews.reviewedAt), desc(reviews.id)).limit(1);
  return last;
}

/**
 * Takes back `review` inside the caller's transaction (the user's row lock held): its card returns
 * to the stored before-state and the review is deleted. undoLastReview and undo.server.ts's undoLast
 * both come here. The exam-plan marker is cleared: it says the plan placed the card's due, and the
 * before-state's due is not the one this review placed (whether an earlier review placed it is not
 * stored); the card is due again today, and its next review plans it afresh (decision 0022).
 */
export async function takeBackReview(tx: Tx, userId: number, review: ReviewRow): Promise<UndoneReview> {
  const before = parseCardState(review.stateBefore);
  await tx
    .update(cards)
    .set({ ...cardColumnsOf(before), plannedForExam: null })
    .where(and(eq(cards.id, review.cardId), eq(cards.userId, userId)));
  await tx.delete(reviews).where(and(eq(reviews.id, review.id), eq(reviews.userId, userId)));
  return { review, card: before };
}
