/**
 * What each rating would give an item in the student's daily review now, read from their card
 * (or a new one, for an item not yet studied) and their settings. Read-only: the quiz's practice
 * mode shows it and nothing is scheduled (docs/decisions/0008-quizzes-and-scheduling.md).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { cards, users } from '../../db/schema';
import { ratingIntervals, type RatingInterval } from '../scheduling/intervals';
import { newCardState } from '../scheduling/scheduler';
import { cardStateOf } from './card.server';
import { REVIEW_ERRORS, schedulerColumns, schedulerSettingsOf } from './review.server';

/** The intervals per item id, for each of `itemIds` (inside a transaction, pass its `tx`). */
export async function dailyReviewIntervals({ db, userId, itemIds, now }: { db: Db | Tx; userId: number; itemIds: readonly string[]; now: Date }): Promise<Map<string, RatingInterval[]>> {
  const shown = new Map<string, RatingInterval[]>();
  if (itemIds.length === 0) return shown;
  const [user] = await db.select(schedulerColumns()).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(REVIEW_ERRORS.noUser(userId));
  const settings = schedulerSettingsOf(user);
  const rows = await db
    .select()
    .from(cards)
    .where(and(eq(cards.userId, userId), inArray(cards.itemId, [...new Set(itemIds)])));
  const byItem = new Map(rows.map((r) => [r.itemId, r]));
  for (const itemId of itemIds) {
    const row = byItem.get(itemId);
    shown.set(itemId, ratingIntervals(row ? cardStateOf(row) : newCardState(now), now, settings));
  }
  return shown;
}
