/**
 * Changing the rating of the review just made: the student sees the suggested rating after
 * answering and may pick another before moving on. The card is rescheduled from the review's
 * before-state as if the new rating had been given at the same instant, in one transaction.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Grade } from 'ts-fsrs';
import { getDb, type Db } from '../../db/client';
import { cards, reviews, users, type ReviewRow } from '../../db/schema';
import { lockRows } from '../../db/sql';
import { parseCardState, scheduleReview } from '../scheduling/scheduler';
import { cardColumnsOf } from './card.server';
import { planForExam } from './exam-schedule.server';
import { REVIEW_ERRORS, schedulerColumns, schedulerSettingsOf } from './review.server';

export const RATING_CHANGE_ERRORS = {
  notLatest: 'only your latest review can be re-rated',
} as const;

export async function changeLastRating({ db = getDb(), userId, clientReviewId, rating }: { db?: Db; userId: number; clientReviewId: string; rating: Grade }): Promise<ReviewRow> {
  if (rating !== 1 && rating !== 2 && rating !== 3 && rating !== 4) throw new RangeError(REVIEW_ERRORS.rating(rating));
  return db.transaction(async (tx) => {
    // The same lock as submitReview: no review of this user lands between reading the latest and rewriting it.
    await lockRows(tx, users, eq(users.id, userId));
    const [latest] = await tx.select().from(reviews).where(eq(reviews.userId, userId)).orderBy(desc(reviews.reviewedAt), desc(reviews.id)).limit(1);
    if (!latest || latest.clientReviewId !== clientReviewId) throw new Error(RATING_CHANGE_ERRORS.notLatest);
    if (latest.rating === rating) return latest;
    const [settings] = await tx.select({ ...schedulerColumns(), timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, userId));
    if (!settings) throw new Error(REVIEW_ERRORS.noUser(userId));
    const scheduler = schedulerSettingsOf(settings);
    // The exam plan, as submitReview applies it, at the review's own instant.
    const plan = await planForExam(tx, {
      userId,
      itemId: latest.itemId,
      cardId: latest.cardId,
      after: scheduleReview(parseCardState(latest.stateBefore), rating, latest.reviewedAt, scheduler),
      now: latest.reviewedAt,
      ...(scheduler.parameters ? { parameters: scheduler.parameters } : {}),
      calendar: { timeZone: settings.timeZone, rolloverHour: settings.rolloverHour },
    });
    const after = plan.state;
    await tx
      .update(cards)
      .set({ ...cardColumnsOf(after), plannedForExam: plan.examId })
      .where(and(eq(cards.id, latest.cardId), eq(cards.userId, userId)));
    const [changed] = await tx
      .update(reviews)
      .set({ rating, stateAfter: JSON.stringify(after) })
      .where(eq(reviews.id, latest.id))
      .returning();
    return changed!;
  });
}
