/**
 * undoLast on both engines: the latest of the last review and the last action batch goes first,
 * each undo puts back the cards and reviews exactly as they were before that step (a property
 * over random sessions of reviews and actions), only the current study day and only the user's own.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Rating } from 'ts-fsrs';
import { applyCardAction } from '../../app/models/card-actions.server';
import { submitReview } from '../../app/models/review.server';
import { undoLast } from '../../app/models/undo.server';
import { cardActionKinds, cards } from '../../db/schema';
import { createRng } from '../../engine/random';
import { addContentBank, addUser, allRows, eachTestDb, factItem, type TempDb } from './fixture';

const each = eachTestDb();
const MIN = 60_000;
// 12:00 UTC, rollover 04:00 UTC: the study day runs to 04:00 tomorrow.
const T0 = new Date('2024-06-15T12:00:00Z');

let n = 0;
async function answer(t: TempDb, userId: number, itemId: string, rating: 1 | 2 | 3 | 4, now: Date) {
  return submitReview({ db: t.db, userId, itemId, clientReviewId: `u${++n}`, seed: null, rawAnswer: 'x', readAs: null, correct: rating > 1, misconception: null, rating, suggestedRating: rating, durationMs: 3000, hinted: false, now });
}

/**
 * Cards, reviews and the action log, as rows. A card that is New and untouched, with no review, is
 * left out: undoing the first review of an item leaves its card New (as undoLastReview always has),
 * where before the review there was none; to the queue and the cards page both are "not started".
 */
async function state(t: TempDb) {
  const reviewRows = await allRows(t, 'reviews');
  const reviewed = new Set(reviewRows.map((r) => r.card_id));
  const untouched = (c: Record<string, unknown>) =>
    c.state === 0 && c.reps === 0 && c.last_review === null && c.suspended === 0 && c.buried_until === null && c.promoted_at === null && !reviewed.has(c.id);
  const cardRows = (await allRows(t, 'cards')).filter((c) => !untouched(c));
  return JSON.stringify([cardRows, reviewRows, await t.rows(sql`select * from card_actions order by id`)]);
}

describe('undoLast', () => {
  it('takes back the latest change: an action after a review first (the same instant too), then the review', async () => {
    const { t } = each;
    const userId = await addUser(t.db);
    const [a, b] = await addContentBank(t.db, 'facts', [factItem('a', 'vgg'), factItem('b', 'vgg')]);
    await answer(t, userId, a!, Rating.Good, T0);
    await applyCardAction({ db: t.db, userId, action: 'suspend', itemIds: [a!], now: T0 });
    await answer(t, userId, b!, Rating.Again, new Date(T0.getTime() + MIN));
    expect(await undoLast({ db: t.db, userId, now: T0 })).toEqual({ kind: 'review', itemId: b });
    expect(await undoLast({ db: t.db, userId, now: T0 })).toEqual({ kind: 'action', action: 'suspend', itemIds: [a] });
    expect(await undoLast({ db: t.db, userId, now: T0 })).toEqual({ kind: 'review', itemId: a });
    expect(await undoLast({ db: t.db, userId, now: T0 })).toBeNull();
    expect(await t.rows(sql`select count(*) as n from reviews`)).toEqual([{ n: 0 }]);
  });

  it('only the current study day, and only the user’s own', async () => {
    const { t } = each;
    const userId = await addUser(t.db);
    const other = await addUser(t.db);
    const [a] = await addContentBank(t.db, 'facts', [factItem('a', 'vgg')]);
    // 03:00 UTC on the 15th belongs to the 14th's study day (rollover 04:00).
    await applyCardAction({ db: t.db, userId, action: 'bury', itemIds: [a!], now: new Date('2024-06-15T03:00:00Z') });
    const before = await state(t);
    expect(await undoLast({ db: t.db, userId, now: T0 })).toBeNull();
    expect(await undoLast({ db: t.db, userId: other, now: new Date('2024-06-15T03:30:00Z') })).toBeNull();
    expect(await state(t)).toBe(before);
    expect(await undoLast({ db: t.db, userId, now: new Date('2024-06-15T03:30:00Z') })).toEqual({ kind: 'action', action: 'bury', itemIds: [a] });
  });

  it('over random sessions of reviews and actions (single and bulk), each undo restores the cards, reviews and log exactly as before that step', async () => {
    const { t } = each;
    const userId = await addUser(t.db);
    const itemIds = await addContentBank(
      t.db,
      'facts',
      Array.from({ length: 6 }, (_, i) => factItem(`f${i}`, 'vgg')),
    );
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      const snapshots: string[] = [];
      let at = T0.getTime() + seed * 60 * MIN;
      let lastKind = '';
      for (let step = 0; step < 14; step++) {
        const before = await state(t);
        const kind = rng.chance(0.4) ? 'review' : 'action';
        // Steps of one kind may share an instant (ids order them); a review and an action at the
        // same instant are ordered by undoLast's rule (the action last), so they never share one here.
        at += rng.int(0, 1) * MIN + (kind === lastKind ? 0 : 1);
        lastKind = kind;
        const now = new Date(at);
        if (kind === 'review') {
          await answer(t, userId, rng.pick(itemIds), (1 + rng.int(0, 3)) as 1 | 2 | 3 | 4, now);
        } else {
          const action = rng.pick(cardActionKinds);
          const chosen = itemIds.filter(() => rng.chance(0.4));
          const known = await t.db.select({ id: cards.id, itemId: cards.itemId }).from(cards).where(sql`${cards.userId} = ${userId}`);
          const byCard = known.filter((c) => chosen.includes(c.itemId) && rng.chance(0.5)).map((c) => c.id);
          const byItem = chosen.filter((id) => !known.some((c) => c.itemId === id && byCard.includes(c.id)));
          if (byCard.length + byItem.length === 0) continue;
          const result = await applyCardAction({ db: t.db, userId, action, cardIds: byCard, itemIds: byItem, now });
          if (result.batch === null) {
            expect(await state(t)).toBe(before);
            continue;
          }
        }
        snapshots.push(before);
      }
      expect(snapshots.length).toBeGreaterThan(8);
      while (snapshots.length > 0) {
        const expected = snapshots.pop()!;
        expect(await undoLast({ db: t.db, userId, now: new Date(at) })).not.toBeNull();
        expect(JSON.parse(await state(t))).toEqual(JSON.parse(expected));
      }
    }
  });

  it('two undos at once take back two changes, each once', async () => {
    const { t } = each;
    const userId = await addUser(t.db);
    const [a, b] = await addContentBank(t.db, 'facts', [factItem('a', 'vgg'), factItem('b', 'vgg')]);
    const empty = await state(t);
    await applyCardAction({ db: t.db, userId, action: 'suspend', itemIds: [a!], now: T0 });
    await applyCardAction({ db: t.db, userId, action: 'bury', itemIds: [b!], now: new Date(T0.getTime() + MIN) });
    const [x, y] = await Promise.all([undoLast({ db: t.db, userId, now: T0 }), undoLast({ db: t.db, userId, now: T0 })]);
    expect([x, y].map((u) => u?.kind === 'action' && u.action).sort()).toEqual(['bury', 'suspend']);
    expect(await state(t)).toBe(empty);
  });
});
