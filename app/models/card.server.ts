/** Cards: one user's ts-fsrs state on one item, plus the suspended and leech flags; a card's history. */
import { and, desc, eq } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { banks, cards, items, reviews, type CardRow, type ItemRow, type ReviewOrigin, type ReviewRow } from '../../db/schema';
import type { CardState } from '../scheduling/scheduler';
// A cycle (card-actions imports cardColumnsOf from here), safe: neither is used at load time.
import { applyCardAction } from './card-actions.server';

/** The scheduling state of a card row. */
export function cardStateOf(row: CardRow): CardState {
  return {
    due: row.due.getTime(),
    stability: row.stability,
    difficulty: row.difficulty,
    elapsedDays: row.elapsedDays,
    scheduledDays: row.scheduledDays,
    learningSteps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    lastReview: row.lastReview ? row.lastReview.getTime() : null,
    leech: row.leech,
  };
}

/**
 * How a card reaches the student now: promoted (a quiz's misses, "review now") until it is next
 * reviewed, else the daily queue. The queue's SQL says the same (queue.server.ts `promotedNow`).
 */
export function promotionOf(row: Pick<CardRow, 'promotedAt' | 'promotedBy' | 'lastReview'>): ReviewOrigin {
  if (row.promotedAt === null || (row.lastReview !== null && row.promotedAt <= row.lastReview)) return 'queue';
  return row.promotedBy === 'quiz' ? 'quiz' : 'cards';
}

/** The columns that hold a CardState. */
export function cardColumnsOf(s: CardState) {
  return {
    due: new Date(s.due),
    stability: s.stability,
    difficulty: s.difficulty,
    elapsedDays: s.elapsedDays,
    scheduledDays: s.scheduledDays,
    learningSteps: s.learningSteps,
    reps: s.reps,
    lapses: s.lapses,
    state: s.state,
    lastReview: s.lastReview === null ? null : new Date(s.lastReview),
    leech: s.leech,
  };
}

export async function getCard({ db = getDb(), userId, itemId }: { db?: Db; userId: number; itemId: string }): Promise<CardRow | undefined> {
  const [row] = await db.select().from(cards).where(and(eq(cards.userId, userId), eq(cards.itemId, itemId)));
  return row;
}

/**
 * Suspends (or restores) the user's card on an item, as a card action (undoable; an item never
 * studied gets a New card so that it stays out of the queue too). card-actions.server.ts is its home.
 */
export async function setSuspended({ db = getDb(), userId, itemId, suspended, now }: { db?: Db; userId: number; itemId: string; suspended: boolean; now: Date }): Promise<CardRow> {
  await applyCardAction({ db, userId, action: suspended ? 'suspend' : 'unsuspend', itemIds: [itemId], now });
  const row = await getCard({ db, userId, itemId });
  if (!row) throw new Error(`no card of user ${userId} on ${itemId} after ${suspended ? 'suspending' : 'unsuspending'} it`);
  return row;
}

export interface CardHistory {
  card: CardRow;
  item: ItemRow;
  bankTitle: string;
  /** Every review of the card, newest first. */
  reviews: ReviewRow[];
}

/** The user's card `cardId` with its item and every review, or null (someone else's card is not found either). */
export async function cardHistory({ db = getDb(), userId, cardId }: { db?: Db; userId: number; cardId: number }): Promise<CardHistory | null> {
  const [row] = await db
    .select({ card: cards, item: items, bankTitle: banks.title })
    .from(cards)
    .innerJoin(items, eq(items.id, cards.itemId))
    .innerJoin(banks, eq(banks.id, items.bankId))
    .where(and(eq(cards.id, cardId), eq(cards.userId, userId)));
  if (!row) return null;
  const history = await db
    .select()
    .from(reviews)
    .where(and(eq(reviews.cardId, cardId), eq(reviews.userId, userId)))
    .orderBy(desc(reviews.reviewedAt), desc(reviews.id));
  return { ...row, reviews: history };
}

/** One review of the user's card, with the item it was of, or null. */
export async function cardReview({ db = getDb(), userId, cardId, reviewId }: { db?: Db; userId: number; cardId: number; reviewId: number }): Promise<{ item: ItemRow; review: ReviewRow } | null> {
  const [row] = await db
    .select({ item: items, review: reviews })
    .from(reviews)
    .innerJoin(items, eq(items.id, reviews.itemId))
    .where(and(eq(reviews.id, reviewId), eq(reviews.cardId, cardId), eq(reviews.userId, userId)));
  return row ?? null;
}
