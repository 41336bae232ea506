import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmptyCard, fsrs, Rating, State, type Card, type Grade } from 'ts-fsrs';
import { eq } from 'drizzle-orm';
import { reviews } from '../../db/schema';
import { cardStateOf, getCard, setSuspended } from '../../app/models/card.server';
import { submitReview, undoLastReview, type SubmitReviewInput } from '../../app/models/review.server';
import { refuseWrites } from './failure';
import { addContentBank, addUser, allRows, countRows, factItem, openTempDb, testEngine, type TempDb } from './fixture';

// The reference scheduler, configured here independently of app/scheduling.
const reference = fsrs({ request_retention: 0.9, maximum_interval: 36500, enable_fuzz: false, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] });

const T0 = new Date('2024-06-01T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

let t: TempDb;
let userId: number;
let itemIds: string[];
let n = 0;

beforeEach(async () => {
  t = await openTempDb();
  userId = await addUser(t.db);
  itemIds = await addContentBank(
    t.db,
    'facts',
    Array.from({ length: 20 }, (_, i) => factItem(`f${i}`, 'vgg')),
  );
});
afterEach(async () => {
  await t.close();
});

function review(itemId: string, rating: Grade, now: Date, extra: Partial<SubmitReviewInput> = {}) {
  return submitReview({
    db: t.db,
    userId,
    itemId,
    clientReviewId: `r${++n}`,
    seed: null,
    rawAnswer: 'answer',
    readAs: { kind: 'text', value: 'answer' },
    correct: rating !== Rating.Again,
    misconception: null,
    rating,
    suggestedRating: rating,
    durationMs: 5000,
    hinted: false,
    now,
    ...extra,
  });
}

async function rowAsCard(itemId: string): Promise<Card> {
  const row = (await getCard({ db: t.db, userId, itemId }))!;
  return {
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsedDays,
    scheduled_days: row.scheduledDays,
    learning_steps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    ...(row.lastReview ? { last_review: row.lastReview } : {}),
  };
}

/** Brings the item's card to `state` through the app; returns the reference card and the next review time. */
async function bringTo(itemId: string, state: State): Promise<{ card: Card; at: Date }> {
  let card = createEmptyCard(T0);
  if (state === State.New) return { card, at: T0 };
  const first = state === State.Learning ? Rating.Again : Rating.Easy;
  await review(itemId, first, T0);
  card = reference.next(card, T0, first).card;
  if (state === State.Learning || state === State.Review) return { card, at: new Date(card.due.getTime() + (state === State.Review ? DAY : 0)) };
  const lapseAt = new Date(card.due.getTime() + DAY);
  await review(itemId, Rating.Again, lapseAt);
  card = reference.next(card, lapseAt, Rating.Again).card;
  return { card, at: new Date(card.due.getTime()) };
}

describe('submitReview: one transition per state and rating, matching ts-fsrs', () => {
  const states = [State.New, State.Learning, State.Review, State.Relearning];
  const ratings: Grade[] = [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy];
  let k = 0;
  for (const state of states) {
    for (const rating of ratings) {
      const caseIndex = k++;
      it(`${State[state]} + ${Rating[rating]}`, async () => {
        const itemId = itemIds[caseIndex]!;
        const { card, at } = await bringTo(itemId, state);
        if (state === State.New) expect(await getCard({ db: t.db, userId, itemId })).toBeUndefined();
        else expect((await rowAsCard(itemId)).state).toBe(state); // bringTo reached it
        const expected = reference.next(card, at, rating).card;
        const result = await review(itemId, rating, at);
        expect(await rowAsCard(itemId)).toEqual(expected);
        expect(result.card.due).toBe(expected.due.getTime());
        const stored = (await t.db.select().from(reviews).orderBy(reviews.id)).at(-1)!;
        expect(JSON.parse(stored.stateAfter)).toEqual(result.card);
        expect(stored.rating).toBe(rating);
      });
    }
  }

  it('follows the configured steps: 1 m and 10 m to learn, 10 m to relearn', async () => {
    const [a, b, c] = itemIds;
    expect((await review(a!, Rating.Again, T0)).card).toMatchObject({ state: State.Learning, due: T0.getTime() + 1 * MIN });
    expect((await review(b!, Rating.Good, T0)).card).toMatchObject({ state: State.Learning, due: T0.getTime() + 10 * MIN });
    const easy = (await review(c!, Rating.Easy, T0)).card;
    expect(easy.state).toBe(State.Review);
    const lapse = new Date(easy.due + DAY);
    expect((await review(c!, Rating.Again, lapse)).card).toMatchObject({ state: State.Relearning, due: lapse.getTime() + 10 * MIN, lapses: 1 });
  });

  it('caps intervals at the user’s maximum and uses their retention', async () => {
    const capped = await addUser(t.db, { maxIntervalDays: 3, desiredRetention: 0.8 });
    let at = T0;
    let card = createEmptyCard(T0);
    const ref = fsrs({ request_retention: 0.8, maximum_interval: 3, enable_fuzz: false, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] });
    const intervals: number[] = [];
    for (let i = 0; i < 5; i++) {
      const got = await submitReview({ db: t.db, userId: capped, itemId: itemIds[0]!, clientReviewId: `cap${i}`, seed: null, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: Rating.Easy, suggestedRating: Rating.Easy, durationMs: 1, hinted: false, now: at });
      card = ref.next(card, at, Rating.Easy).card;
      expect(got.card.due).toBe(card.due.getTime());
      intervals.push(got.card.scheduledDays);
      at = new Date(got.card.due);
    }
    // ts-fsrs keeps Hard < Good < Easy, so Easy may pass a small maximum by up to 2 days; it stops growing.
    expect(intervals).toEqual([3, 5, 5, 5, 5]);
  });
});

describe('submitReview: storage', () => {
  it('stores a repeated client review id once and returns the stored review', async () => {
    const first = await review(itemIds[0]!, Rating.Good, T0, { clientReviewId: 'same' });
    const cardAfterFirst = await getCard({ db: t.db, userId, itemId: itemIds[0]! });
    const again = await review(itemIds[0]!, Rating.Again, new Date(T0.getTime() + 5 * MIN), { clientReviewId: 'same' });
    expect(again.duplicate).toBe(true);
    expect(again.review).toEqual(first.review);
    expect(await getCard({ db: t.db, userId, itemId: itemIds[0]! })).toEqual(cardAfterFirst);
    expect(await countRows(t, 'reviews')).toBe(1);
    // Another user may use the same client id.
    const other = await addUser(t.db);
    const theirs = await submitReview({ ...first.review, db: t.db, userId: other, itemId: itemIds[0]!, seed: null, readAs: null, rating: Rating.Good, suggestedRating: Rating.Good, now: T0 });
    expect(theirs.duplicate).toBe(false);
    expect(await countRows(t, 'reviews')).toBe(2);
  });

  it('stores the same review posted twice at once only once, the card moved by it once', async () => {
    const [a, b] = await Promise.all([
      review(itemIds[0]!, Rating.Good, T0, { clientReviewId: 'twice' }),
      review(itemIds[0]!, Rating.Good, T0, { clientReviewId: 'twice' }),
    ]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.review).toEqual(b.review);
    expect(await countRows(t, 'reviews')).toBe(1);
    const card = (await getCard({ db: t.db, userId, itemId: itemIds[0]! }))!;
    expect(card.reps).toBe(1);
    expect(JSON.parse(a.review.stateAfter)).toEqual(await cardStateNow(itemIds[0]!));
  });

  it('stores 10 different reviews of one user made at once, each card moved by each of its reviews once', async () => {
    // Two items, five reviews each, all in flight together: each review must read the state the one before it left.
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => review(itemIds[i % 2]!, Rating.Good, new Date(T0.getTime() + i * MIN), { clientReviewId: `burst-${i}` })));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(await countRows(t, 'reviews')).toBe(10);
    for (const itemId of itemIds.slice(0, 2)) {
      const card = (await getCard({ db: t.db, userId, itemId }))!;
      expect(card.reps).toBe(5);
      // The reviews chain: each before-state is the after-state of the one stored before it.
      const chain = await t.db.select().from(reviews).where(eq(reviews.itemId, itemId)).orderBy(reviews.id);
      expect(chain).toHaveLength(5);
      for (let k = 1; k < chain.length; k++) expect(JSON.parse(chain[k]!.stateBefore)).toEqual(JSON.parse(chain[k - 1]!.stateAfter));
      expect(JSON.parse(chain.at(-1)!.stateAfter)).toEqual(await cardStateNow(itemId));
    }
  });

  it('a first review and a suspension of the same new card at once both land', async () => {
    const [reviewed] = await Promise.all([review(itemIds[0]!, Rating.Good, T0), setSuspended({ db: t.db, userId, itemId: itemIds[0]!, suspended: true, now: T0 })]);
    expect(reviewed.duplicate).toBe(false);
    expect(await getCard({ db: t.db, userId, itemId: itemIds[0]! })).toMatchObject({ suspended: true });
    expect(await countRows(t, 'cards')).toBe(1);
  });

  it('stores what was answered: seed, raw answer, value as read, misconception, ratings, duration, hint', async () => {
    const r = (await review(itemIds[0]!, Rating.Hard, T0, { seed: 123456789, rawAnswer: '55x55x96', readAs: { kind: 'shape', value: [55, 55, 96] }, misconception: 'forgot-padding', suggestedRating: Rating.Good, durationMs: 41_000, hinted: true })).review;
    expect(r).toMatchObject({ variantSeed: 123456789, rawAnswer: '55x55x96', misconception: 'forgot-padding', rating: Rating.Hard, suggestedRating: Rating.Good, durationMs: 41_000, hinted: true, correct: true, reviewedAt: T0 });
    expect(JSON.parse(r.readAs!)).toEqual({ kind: 'shape', value: [55, 55, 96] });
    expect(JSON.parse(r.stateBefore)).toMatchObject({ state: State.New, reps: 0 });
  });

  it('changes nothing when the write fails (an unknown item violates a foreign key)', async () => {
    await review(itemIds[0]!, Rating.Good, T0);
    const dump = async () => JSON.stringify([await allRows(t, 'cards'), await allRows(t, 'reviews')]);
    const before = await dump();
    await expect(review('facts/no-such-item', Rating.Good, T0)).rejects.toMatchObject({ cause: { message: expect.stringMatching(testEngine() === 'postgres' ? /violates foreign key constraint/ : /FOREIGN KEY constraint failed/) } });
    expect(await dump()).toBe(before);
    // A failure after the card was written (the review insert fails) rolls the card back too.
    await refuseWrites(t, 'reviews', 'insert');
    await expect(review(itemIds[0]!, Rating.Again, new Date(T0.getTime() + 20 * MIN))).rejects.toMatchObject({ cause: { message: expect.stringContaining('injected failure') } });
    expect(await dump()).toBe(before);
  });

  it('refuses a rating that is not a grade, with the accepted values', async () => {
    await expect(review(itemIds[0]!, 0 as Grade, T0)).rejects.toThrow('rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), got 0');
    await expect(review(itemIds[0]!, Rating.Good, T0, { durationMs: -1 })).rejects.toThrow('durationMs must be a non-negative integer, got -1');
  });
});

/** The card's stored state, as a review's stateAfter holds it. */
async function cardStateNow(itemId: string) {
  return cardStateOf((await getCard({ db: t.db, userId, itemId }))!);
}

describe('leeches', () => {
  it('flags a card a leech at its 8th lapse, not before', async () => {
    const itemId = itemIds[0]!;
    let at = T0;
    let s = (await review(itemId, Rating.Easy, at)).card;
    for (let lapse = 1; lapse <= 8; lapse++) {
      at = new Date(s.due + DAY);
      const lapsed = await review(itemId, Rating.Again, at);
      expect(lapsed.card.lapses).toBe(lapse);
      expect(lapsed.card.leech).toBe(lapse >= 8);
      expect(lapsed.becameLeech).toBe(lapse === 8);
      at = new Date(lapsed.card.due);
      s = (await review(itemId, Rating.Good, at)).card; // relearned
    }
    expect((await getCard({ db: t.db, userId, itemId }))!.leech).toBe(true);
  });
});

describe('undoLastReview', () => {
  it('restores the card exactly and removes the review (round trips over many reviews)', async () => {
    const ratings: Grade[] = [Rating.Good, Rating.Again, Rating.Hard, Rating.Easy, Rating.Good, Rating.Again];
    let at = T0;
    for (const [i, rating] of ratings.entries()) {
      const itemId = itemIds[i % 3]!;
      const before = await getCard({ db: t.db, userId, itemId });
      const count = await countRows(t, 'reviews');
      const done = await review(itemId, rating, at);
      const undone = (await undoLastReview({ db: t.db, userId, now: at }))!;
      expect(undone.review.id).toBe(done.review.id);
      const restored = (await getCard({ db: t.db, userId, itemId }))!;
      if (before) expect(restored).toEqual(before);
      else expect(restored).toMatchObject({ state: State.New, reps: 0, due: at, lastReview: null });
      expect(await countRows(t, 'reviews')).toBe(count);
      // Then keep the review, to build up history for the next round.
      await review(itemId, rating, at);
      at = new Date(at.getTime() + 11 * MIN);
    }
  });

  it('takes back one review when two undos arrive at once', async () => {
    await review(itemIds[0]!, Rating.Good, T0);
    const second = await review(itemIds[0]!, Rating.Easy, new Date(T0.getTime() + 10 * MIN));
    const [a, b] = await Promise.all([undoLastReview({ db: t.db, userId, now: T0 }), undoLastReview({ db: t.db, userId, now: T0 })]);
    // Each undo takes back the latest review at its turn: the two reviews go, newest first, each once.
    expect([a?.review.id, b?.review.id].sort()).toEqual([second.review.id - 1, second.review.id].sort());
    expect(await countRows(t, 'reviews')).toBe(0);
    expect(await getCard({ db: t.db, userId, itemId: itemIds[0]! })).toMatchObject({ state: State.New, reps: 0 });
  });

  it('agrees with ts-fsrs rollback', async () => {
    const itemId = itemIds[0]!;
    await review(itemId, Rating.Easy, T0);
    const before = await rowAsCard(itemId);
    const at = new Date(T0.getTime() + 5 * DAY);
    await review(itemId, Rating.Again, at);
    const after = await rowAsCard(itemId);
    const { log } = reference.next(before, at, Rating.Again);
    await undoLastReview({ db: t.db, userId, now: at });
    expect(await rowAsCard(itemId)).toEqual(before);
    // ts-fsrs's rollback restores every field but `due` (it returns the review time there):
    // the reason undo restores the stored before-state instead.
    const rolledBack = reference.rollback(after, log);
    expect({ ...rolledBack, due: before.due }).toEqual(before);
    expect(rolledBack.due).toEqual(at);
  });

  it('touches only the user’s own latest review, and not yesterday’s', async () => {
    const other = await addUser(t.db);
    await review(itemIds[0]!, Rating.Good, T0);
    expect(await undoLastReview({ db: t.db, userId: other, now: T0 })).toBeNull();
    expect(await countRows(t, 'reviews')).toBe(1);
    expect(await undoLastReview({ db: t.db, userId, now: new Date(T0.getTime() + DAY) })).toBeNull();
    expect(await countRows(t, 'cards')).toBe(1);
    expect(await undoLastReview({ db: t.db, userId, now: T0 })).not.toBeNull();
    expect(await undoLastReview({ db: t.db, userId, now: T0 })).toBeNull();
  });
});

describe('the origin of a review', () => {
  // Regression: the review page never said a card was promoted, so a quiz miss reviewed from the
  // queue was stored as origin 'queue' and spent the day's new-card budget.
  it('is read from the card: promoted by a quiz, by "review now", else the queue; the promotion ends with the review', async () => {
    const { applyCardAction } = await import('../../app/models/card-actions.server');
    const { cards } = await import('../../db/schema');
    const { dailyQueue } = await import('../../app/models/queue.server');
    await t.db.update((await import('../../db/schema')).users).set({ newPerDay: 2 });
    await applyCardAction({ db: t.db, userId, action: 'review-now', itemIds: [itemIds[0]!], now: T0 });
    await setSuspended({ db: t.db, userId, itemId: itemIds[1]!, suspended: true, now: T0 });
    await setSuspended({ db: t.db, userId, itemId: itemIds[1]!, suspended: false, now: T0 });
    await t.db.update(cards).set({ promotedAt: T0, promotedBy: 'quiz', promotedQuiz: 7 }).where(eq(cards.itemId, itemIds[1]!));
    const at = new Date(T0.getTime() + MIN);
    await review(itemIds[0]!, Rating.Good, at);
    await review(itemIds[1]!, Rating.Good, at);
    await review(itemIds[2]!, Rating.Good, at);
    const stored = await t.db.select({ itemId: reviews.itemId, origin: reviews.origin }).from(reviews).orderBy(reviews.id);
    expect(stored).toEqual([
      { itemId: itemIds[0], origin: 'cards' },
      { itemId: itemIds[1], origin: 'quiz' },
      { itemId: itemIds[2], origin: 'queue' },
    ]);
    // The second review of a once-promoted card is the queue's again.
    await review(itemIds[0]!, Rating.Good, new Date(at.getTime() + 20 * MIN));
    expect((await t.db.select({ origin: reviews.origin }).from(reviews).orderBy(reviews.id)).at(-1)).toEqual({ origin: 'queue' });
    // Only the queue's new card counted: of a budget of 2, itemIds[2] spent one; the promoted two spent none.
    const queue = await dailyQueue({ db: t.db, userId, now: new Date(at.getTime() + 21 * MIN) });
    expect(queue.entries.filter((e) => e.kind === 'new')).toHaveLength(1);
  });
});

describe('the parameters that schedule a user', () => {
  // A set well away from the defaults: long first stabilities, a steeper decay.
  const w = [2, 4, 8, 20, 6.4, 0.8, 2.2, 0.01, 1.6, 0.15, 0.9, 1.5, 0.1, 0.3, 1.8, 0.4, 2.5, 0.6, 0.2, 0.1, 0.35];
  const fitted = fsrs({ w, request_retention: 0.9, maximum_interval: 36500, enable_fuzz: false, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] });

  it('schedules with the stored set and stores the recall predicted under it, review by review', async () => {
    const { users } = await import('../../db/schema');
    await t.db.update(users).set({ fsrsParameters: JSON.stringify(w) }).where(eq(users.id, userId));
    let card: Card = createEmptyCard(T0);
    let now = T0;
    const expectedRecall: (number | null)[] = [];
    for (const rating of [Rating.Good, Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Easy] as Grade[]) {
      expectedRecall.push(card.state === State.New ? null : fitted.get_retrievability(card, now, false));
      await review(itemIds[0]!, rating, now);
      card = fitted.next(card, now, rating).card;
      expect(await rowAsCard(itemIds[0]!)).toEqual(card);
      now = new Date(card.due.getTime() + DAY);
    }
    const stored = await t.db.select({ predictedRecall: reviews.predictedRecall }).from(reviews).orderBy(reviews.id);
    expect(stored.map((r) => r.predictedRecall)).toEqual(expectedRecall);
    // Under the defaults the second review would have been due sooner: the set was in use, not ignored.
    expect(reference.next(reference.next(createEmptyCard(T0), T0, Rating.Good).card, T0, Rating.Good).card.due.getTime()).not.toBe(
      fitted.next(fitted.next(createEmptyCard(T0), T0, Rating.Good).card, T0, Rating.Good).card.due.getTime(),
    );
  });

  it('refuses a damaged stored set, saying what is wrong, and stores nothing', async () => {
    const { users } = await import('../../db/schema');
    await t.db.update(users).set({ fsrsParameters: JSON.stringify([1, 2, 3]) }).where(eq(users.id, userId));
    await expect(review(itemIds[0]!, Rating.Good, T0)).rejects.toThrow('stored FSRS parameters: expected 21 finite numbers, got [1,2,3]');
    expect(await countRows(t, 'reviews')).toBe(0);
  });
});
