/**
 * Undo (`u` on the review page, the Undo buttons): takes back the latest of the user's last
 * review and last card-action batch, if it was made in the current study day. Last in, first out,
 * so a card a review or an action touched since is always put back before the older change is.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { cardActions, cards, users, type CardActionKind } from '../../db/schema';
import { lockRows } from '../../db/sql';
import { countOf } from '../../engine/answers';
import { studyDayStart } from '../scheduling/study-day';
import { CARD_ACTION_WORDS, parseSnapshot } from './card-actions.server';
import { latestReview, REVIEW_ERRORS, takeBackReview } from './review.server';

export type Undone = { kind: 'review'; itemId: string } | { kind: 'action'; action: CardActionKind; itemIds: string[] } | null;

/**
 * Takes back the user's latest change of this study day: a review (its card back to the stored
 * before-state, the review deleted) or a batch of card actions (every card's before-columns put
 * back, a card the action made deleted, the batch's rows deleted). A review and a batch at the
 * same instant: the batch goes first (an action on the card just answered, such as suspending it).
 */
export async function undoLast({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<Undone> {
  return db.transaction(async (tx) => {
    // The lock of reviews and card actions: nothing the user does lands while it is taken back.
    await lockRows(tx, users, eq(users.id, userId));
    const [user] = await tx.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, userId));
    if (!user) throw new Error(REVIEW_ERRORS.noUser(userId));
    const dayStart = studyDayStart(now, user.timeZone, user.rolloverHour).getTime();
    const review = await latestReview(tx, userId);
    const [action] = await tx.select().from(cardActions).where(eq(cardActions.userId, userId)).orderBy(desc(cardActions.at), desc(cardActions.id)).limit(1);
    const reviewAt = review && review.reviewedAt.getTime() >= dayStart ? review.reviewedAt.getTime() : null;
    const actionAt = action && action.at.getTime() >= dayStart ? action.at.getTime() : null;
    if (actionAt !== null && (reviewAt === null || actionAt >= reviewAt)) {
      const rows = await tx
        .select({ cardId: cardActions.cardId, before: cardActions.before, itemId: cards.itemId })
        .from(cardActions)
        .innerJoin(cards, eq(cards.id, cardActions.cardId))
        .where(and(eq(cardActions.userId, userId), eq(cardActions.batch, action!.batch)))
        .orderBy(cardActions.id);
      await tx.delete(cardActions).where(and(eq(cardActions.userId, userId), eq(cardActions.batch, action!.batch)));
      const made: number[] = [];
      for (const row of rows) {
        const before = parseSnapshot(row.before);
        if (before === null) made.push(row.cardId);
        else await tx.update(cards).set(before).where(and(eq(cards.id, row.cardId), eq(cards.userId, userId)));
      }
      if (made.length > 0) await tx.delete(cards).where(and(eq(cards.userId, userId), inArray(cards.id, made)));
      return { kind: 'action', action: action!.action, itemIds: rows.map((r) => r.itemId) };
    }
    if (reviewAt !== null) {
      const undone = await takeBackReview(tx, userId, review!);
      return { kind: 'review', itemId: undone.review.itemId };
    }
    return null;
  });
}

/** What the pages say after an undo: "Suspend undone: the card is back." */
export function undoMessage(undone: Undone): string {
  if (undone === null) return 'Nothing to undo today.';
  if (undone.kind === 'review') return 'Last review undone: the card is back as it was.';
  const name = CARD_ACTION_WORDS[undone.action].name;
  return undone.itemIds.length === 1 ? `${name} undone: the card is back.` : `${name} undone: ${countOf(undone.itemIds.length, 'card')} are back as they were.`;
}
