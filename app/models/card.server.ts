/** Cards: one user's ts-fsrs state on one item, plus the suspended and leech flags. */
import { and, eq, or } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { cards, users, type CardRow } from '../../db/schema';
import { lockRows } from '../../db/sql';
import { newCardState, type CardState } from '../scheduling/scheduler';

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
 * Suspends (or restores) the user's card on an item; an item never studied gets a New card
 * so that it stays out of the queue too.
 */
export async function setSuspended({ db = getDb(), userId, itemId, suspended, now }: { db?: Db; userId: number; itemId: string; suspended: boolean; now: Date }): Promise<CardRow> {
  return db.transaction(async (tx) => {
    // submitReview's lock: a review reading "no card yet" cannot meet this insert half-way.
    await lockRows(tx, users, eq(users.id, userId));
    const [row] = await tx
      .insert(cards)
      .values({ userId, itemId, ...cardColumnsOf(newCardState(now)), suspended })
      .onConflictDoUpdate({ target: [cards.userId, cards.itemId], set: { suspended } })
      .returning();
    return row!;
  });
}

/** The user's suspended cards and leeches, for the page that lists them. */
export function listFlaggedCards({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<CardRow[]> {
  return db
    .select()
    .from(cards)
    .where(and(eq(cards.userId, userId), or(eq(cards.suspended, true), eq(cards.leech, true))));
}
