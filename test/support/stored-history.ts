/**
 * A simulated history (test/support/fsrs-history.ts) written into the database as the app
 * writes it: one card per simulated card (on the items given), and its reviews with their
 * states before and after, as submitReview stores them. For the optimizer runs' tests.
 */
import { cards, reviews } from '../../db/schema';
import type { Db } from '../../db/client';
import { cardColumnsOf } from '../../app/models/card.server';
import type { SimulatedReview } from './fsrs-history';

/** Rows a multi-row insert carries (PostgreSQL binds at most 65,535 parameters a statement). */
const CHUNK = 500;

/** Stores `history` as `userId`'s cards (simulated card n on itemIds[n − 1]) and reviews; returns the card ids by simulated card. */
export async function storeHistory(db: Db, userId: number, history: readonly SimulatedReview[], itemIds: readonly string[]): Promise<Map<number, number>> {
  const last = new Map<number, SimulatedReview>();
  for (const r of history) last.set(r.cardId, r);
  const cardIds = new Map<number, number>();
  const simulated = [...last.keys()].sort((a, b) => a - b);
  for (let i = 0; i < simulated.length; i += CHUNK) {
    const chunk = simulated.slice(i, i + CHUNK);
    const rows = await db
      .insert(cards)
      .values(
        chunk.map((n) => {
          const itemId = itemIds[n - 1];
          if (!itemId) throw new Error(`storeHistory: simulated card ${n} has no item (${itemIds.length} given)`);
          return { userId, itemId, ...cardColumnsOf(last.get(n)!.stateAfter) };
        }),
      )
      .returning({ id: cards.id, itemId: cards.itemId });
    for (const [k, row] of rows.entries()) cardIds.set(chunk[k]!, row.id);
  }
  for (let i = 0; i < history.length; i += CHUNK) {
    await db.insert(reviews).values(
      history.slice(i, i + CHUNK).map((r, k) => ({
        userId,
        clientReviewId: `sim-${i + k}`,
        itemId: itemIds[r.cardId - 1]!,
        cardId: cardIds.get(r.cardId)!,
        rawAnswer: '',
        correct: r.rating > 1,
        rating: r.rating,
        suggestedRating: r.rating,
        durationMs: r.durationMs,
        stateBefore: JSON.stringify(r.stateBefore),
        stateAfter: JSON.stringify(r.stateAfter),
        reviewedAt: r.reviewedAt,
        predictedRecall: r.predictedRecall,
      })),
    );
  }
  return cardIds;
}
