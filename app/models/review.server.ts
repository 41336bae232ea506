/**
 * Reviews: each answer is written with its card update in one synchronous transaction
 * (drizzle on better-sqlite3 takes synchronous callbacks only). A retried submission, known by
 * its client review id, is stored once; undo puts the card back to its stored before-state.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { cards, reviews, users, type ReviewRow } from '../../db/schema';
import { env } from '../env.server';
import { newCardState, parseCardState, scheduleReview, type CardState, type Grade, type SchedulerSettings } from '../scheduling/scheduler';
import { studyDayStart } from '../scheduling/study-day';
import { cardColumnsOf, cardStateOf } from './card.server';

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

/** The scheduler settings of a user row, fuzz from the environment. */
export function schedulerSettingsOf(user: { desiredRetention: number; maxIntervalDays: number }): SchedulerSettings {
  return { desiredRetention: user.desiredRetention, maxIntervalDays: user.maxIntervalDays, fuzz: env().FSRS_FUZZ === 'on' };
}

/** Prepared statements of the review loop, the hot path; one set per connection. */
function prepareReviewStatements(db: Db) {
  const p = sql.placeholder;
  return {
    existing: db
      .select()
      .from(reviews)
      .where(and(eq(reviews.userId, p('userId')), eq(reviews.clientReviewId, p('clientReviewId'))))
      .prepare(),
    settings: db
      .select({ desiredRetention: users.desiredRetention, maxIntervalDays: users.maxIntervalDays })
      .from(users)
      .where(eq(users.id, p('userId')))
      .prepare(),
    card: db
      .select()
      .from(cards)
      .where(and(eq(cards.userId, p('userId')), eq(cards.itemId, p('itemId'))))
      .prepare(),
    // Raw numbers for the update (no column encoders apply to placeholders in SET).
    updateCard: db
      .update(cards)
      .set({
        due: sql`${p('due')}`,
        stability: sql`${p('stability')}`,
        difficulty: sql`${p('difficulty')}`,
        elapsedDays: sql`${p('elapsedDays')}`,
        scheduledDays: sql`${p('scheduledDays')}`,
        learningSteps: sql`${p('learningSteps')}`,
        reps: sql`${p('reps')}`,
        lapses: sql`${p('lapses')}`,
        state: sql`${p('state')}`,
        lastReview: sql`${p('lastReview')}`,
        leech: sql`${p('leech')}`,
      })
      .where(eq(cards.id, p('cardId')))
      .prepare(),
    insertReview: db
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
      })
      .returning()
      .prepare(),
  };
}

const preparedByDb = new WeakMap<Db, ReturnType<typeof prepareReviewStatements>>();

function statementsFor(db: Db) {
  let s = preparedByDb.get(db);
  if (!s) {
    s = prepareReviewStatements(db);
    preparedByDb.set(db, s);
  }
  return s;
}

/**
 * Records one answer: schedules the card with the chosen rating and inserts the review, in one
 * transaction. A failed write (an unknown item, a constraint) throws and changes nothing.
 */
export function submitReview(input: SubmitReviewInput): SubmittedReview {
  const { db = getDb(), userId, itemId, clientReviewId, now } = input;
  checkGrade(input.rating);
  checkGrade(input.suggestedRating);
  if (!Number.isInteger(input.durationMs) || input.durationMs < 0) throw new RangeError(REVIEW_ERRORS.duration(input.durationMs));
  if (clientReviewId.length === 0 || clientReviewId.length > 100) throw new RangeError(REVIEW_ERRORS.clientReviewId);
  const st = statementsFor(db);

  return db.transaction(
    (tx) => {
      const stored = st.existing.get({ userId, clientReviewId });
      if (stored) return { review: stored, card: parseCardState(stored.stateAfter), duplicate: true, becameLeech: false };

      const settings = st.settings.get({ userId });
      if (!settings) throw new Error(REVIEW_ERRORS.noUser(userId));
      const row = st.card.get({ userId, itemId });
      const before = row ? cardStateOf(row) : newCardState(now);
      const after = scheduleReview(before, input.rating, now, schedulerSettingsOf(settings));

      let cardId: number;
      if (row) {
        cardId = row.id;
        st.updateCard.run({ ...after, leech: after.leech ? 1 : 0, cardId });
      } else {
        cardId = tx
          .insert(cards)
          .values({ userId, itemId, ...cardColumnsOf(after) })
          .returning({ id: cards.id })
          .get().id;
      }
      const review = st.insertReview.get({
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
      })!;
      return { review, card: after, duplicate: false, becameLeech: after.leech && !before.leech };
    },
    { behavior: 'immediate' },
  );
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
export function undoLastReview({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): UndoneReview | null {
  return db.transaction(
    (tx) => {
      const user = tx.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, userId)).get();
      if (!user) throw new Error(REVIEW_ERRORS.noUser(userId));
      const last = tx.select().from(reviews).where(eq(reviews.userId, userId)).orderBy(desc(reviews.reviewedAt), desc(reviews.id)).limit(1).get();
      if (!last || last.reviewedAt < studyDayStart(now, user.timeZone, user.rolloverHour)) return null;
      const before = parseCardState(last.stateBefore);
      tx.update(cards)
        .set(cardColumnsOf(before))
        .where(and(eq(cards.id, last.cardId), eq(cards.userId, userId)))
        .run();
      tx.delete(reviews)
        .where(and(eq(reviews.id, last.id), eq(reviews.userId, userId)))
        .run();
      return { review: last, card: before };
    },
    { behavior: 'immediate' },
  );
}
