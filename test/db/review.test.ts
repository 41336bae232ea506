import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmptyCard, fsrs, Rating, State, type Card, type Grade } from 'ts-fsrs';
import { reviews } from '../../db/schema';
import { getCard } from '../../app/models/card.server';
import { submitReview, undoLastReview, type SubmitReviewInput } from '../../app/models/review.server';
import { addContentBank, addUser, countRows, factItem, openTempDb, type TempDb } from './fixture';

// The reference scheduler, configured here independently of app/scheduling.
const reference = fsrs({ request_retention: 0.9, maximum_interval: 36500, enable_fuzz: false, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] });

const T0 = new Date('2024-06-01T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

let t: TempDb;
let userId: number;
let itemIds: string[];
let n = 0;

beforeEach(() => {
  t = openTempDb();
  userId = addUser(t.db);
  itemIds = addContentBank(
    t.db,
    'facts',
    Array.from({ length: 20 }, (_, i) => factItem(`f${i}`, 'vgg')),
  );
});
afterEach(() => t.close());

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

function rowAsCard(itemId: string): Card {
  const row = getCard({ db: t.db, userId, itemId })!;
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
function bringTo(itemId: string, state: State): { card: Card; at: Date } {
  let card = createEmptyCard(T0);
  if (state === State.New) return { card, at: T0 };
  const first = state === State.Learning ? Rating.Again : Rating.Easy;
  review(itemId, first, T0);
  card = reference.next(card, T0, first).card;
  if (state === State.Learning || state === State.Review) return { card, at: new Date(card.due.getTime() + (state === State.Review ? DAY : 0)) };
  const lapseAt = new Date(card.due.getTime() + DAY);
  review(itemId, Rating.Again, lapseAt);
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
      it(`${State[state]} + ${Rating[rating]}`, () => {
        const itemId = itemIds[caseIndex]!;
        const { card, at } = bringTo(itemId, state);
        if (state === State.New) expect(getCard({ db: t.db, userId, itemId })).toBeUndefined();
        else expect(rowAsCard(itemId).state).toBe(state); // bringTo reached it
        const expected = reference.next(card, at, rating).card;
        const result = review(itemId, rating, at);
        expect(rowAsCard(itemId)).toEqual(expected);
        expect(result.card.due).toBe(expected.due.getTime());
        const stored = t.db.select().from(reviews).all().at(-1)!;
        expect(JSON.parse(stored.stateAfter)).toEqual(result.card);
        expect(stored.rating).toBe(rating);
      });
    }
  }

  it('follows the configured steps: 1 m and 10 m to learn, 10 m to relearn', () => {
    const [a, b, c] = itemIds;
    expect(review(a!, Rating.Again, T0).card).toMatchObject({ state: State.Learning, due: T0.getTime() + 1 * MIN });
    expect(review(b!, Rating.Good, T0).card).toMatchObject({ state: State.Learning, due: T0.getTime() + 10 * MIN });
    const easy = review(c!, Rating.Easy, T0).card;
    expect(easy.state).toBe(State.Review);
    const lapse = new Date(easy.due + DAY);
    expect(review(c!, Rating.Again, lapse).card).toMatchObject({ state: State.Relearning, due: lapse.getTime() + 10 * MIN, lapses: 1 });
  });

  it('caps intervals at the user’s maximum and uses their retention', () => {
    const capped = addUser(t.db, { maxIntervalDays: 3, desiredRetention: 0.8 });
    let at = T0;
    let card = createEmptyCard(T0);
    const ref = fsrs({ request_retention: 0.8, maximum_interval: 3, enable_fuzz: false, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] });
    const intervals: number[] = [];
    for (let i = 0; i < 5; i++) {
      const got = submitReview({ db: t.db, userId: capped, itemId: itemIds[0]!, clientReviewId: `cap${i}`, seed: null, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: Rating.Easy, suggestedRating: Rating.Easy, durationMs: 1, hinted: false, now: at });
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
  it('stores a repeated client review id once and returns the stored review', () => {
    const first = review(itemIds[0]!, Rating.Good, T0, { clientReviewId: 'same' });
    const cardAfterFirst = getCard({ db: t.db, userId, itemId: itemIds[0]! });
    const again = review(itemIds[0]!, Rating.Again, new Date(T0.getTime() + 5 * MIN), { clientReviewId: 'same' });
    expect(again.duplicate).toBe(true);
    expect(again.review).toEqual(first.review);
    expect(getCard({ db: t.db, userId, itemId: itemIds[0]! })).toEqual(cardAfterFirst);
    expect(countRows(t, 'reviews')).toBe(1);
    // Another user may use the same client id.
    const other = addUser(t.db);
    const theirs = submitReview({ ...first.review, db: t.db, userId: other, itemId: itemIds[0]!, seed: null, readAs: null, rating: Rating.Good, suggestedRating: Rating.Good, now: T0 });
    expect(theirs.duplicate).toBe(false);
    expect(countRows(t, 'reviews')).toBe(2);
  });

  it('stores what was answered: seed, raw answer, value as read, misconception, ratings, duration, hint', () => {
    const r = review(itemIds[0]!, Rating.Hard, T0, { seed: 123456789, rawAnswer: '55x55x96', readAs: { kind: 'shape', value: [55, 55, 96] }, misconception: 'forgot-padding', suggestedRating: Rating.Good, durationMs: 41_000, hinted: true }).review;
    expect(r).toMatchObject({ variantSeed: 123456789, rawAnswer: '55x55x96', misconception: 'forgot-padding', rating: Rating.Hard, suggestedRating: Rating.Good, durationMs: 41_000, hinted: true, correct: true, reviewedAt: T0 });
    expect(JSON.parse(r.readAs!)).toEqual({ kind: 'shape', value: [55, 55, 96] });
    expect(JSON.parse(r.stateBefore)).toMatchObject({ state: State.New, reps: 0 });
  });

  it('changes nothing when the write fails (an unknown item violates a foreign key)', () => {
    review(itemIds[0]!, Rating.Good, T0);
    const dump = () => JSON.stringify([t.sqlite.prepare('select * from cards order by id').all(), t.sqlite.prepare('select * from reviews order by id').all()]);
    const before = dump();
    expect(() => review('facts/no-such-item', Rating.Good, T0)).toThrow(/FOREIGN KEY constraint failed/);
    expect(dump()).toBe(before);
    // A failure after the card was written (the review insert fails) rolls the card back too.
    t.sqlite.exec(`CREATE TRIGGER fail_review BEFORE INSERT ON reviews BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    expect(() => review(itemIds[0]!, Rating.Again, new Date(T0.getTime() + 20 * MIN))).toThrow('injected failure');
    expect(dump()).toBe(before);
  });

  it('refuses a rating that is not a grade, with the accepted values', () => {
    expect(() => review(itemIds[0]!, 0 as Grade, T0)).toThrow('rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), got 0');
    expect(() => review(itemIds[0]!, Rating.Good, T0, { durationMs: -1 })).toThrow('durationMs must be a non-negative integer, got -1');
  });
});

describe('leeches', () => {
  it('flags a card a leech at its 8th lapse, not before', () => {
    const itemId = itemIds[0]!;
    let at = T0;
    let s = review(itemId, Rating.Easy, at).card;
    for (let lapse = 1; lapse <= 8; lapse++) {
      at = new Date(s.due + DAY);
      const lapsed = review(itemId, Rating.Again, at);
      expect(lapsed.card.lapses).toBe(lapse);
      expect(lapsed.card.leech).toBe(lapse >= 8);
      expect(lapsed.becameLeech).toBe(lapse === 8);
      at = new Date(lapsed.card.due);
      s = review(itemId, Rating.Good, at).card; // relearned
    }
    expect(getCard({ db: t.db, userId, itemId })!.leech).toBe(true);
  });
});

describe('undoLastReview', () => {
  it('restores the card exactly and removes the review (round trips over many reviews)', () => {
    const ratings: Grade[] = [Rating.Good, Rating.Again, Rating.Hard, Rating.Easy, Rating.Good, Rating.Again];
    let at = T0;
    for (const [i, rating] of ratings.entries()) {
      const itemId = itemIds[i % 3]!;
      const before = getCard({ db: t.db, userId, itemId });
      const count = countRows(t, 'reviews');
      const done = review(itemId, rating, at);
      const undone = undoLastReview({ db: t.db, userId, now: at })!;
      expect(undone.review.id).toBe(done.review.id);
      const restored = getCard({ db: t.db, userId, itemId })!;
      if (before) expect(restored).toEqual(before);
      else expect(restored).toMatchObject({ state: State.New, reps: 0, due: at, lastReview: null });
      expect(countRows(t, 'reviews')).toBe(count);
      // Then keep the review, to build up history for the next round.
      review(itemId, rating, at);
      at = new Date(at.getTime() + 11 * MIN);
    }
  });

  it('agrees with ts-fsrs rollback', () => {
    const itemId = itemIds[0]!;
    review(itemId, Rating.Easy, T0);
    const before = rowAsCard(itemId);
    const at = new Date(T0.getTime() + 5 * DAY);
    review(itemId, Rating.Again, at);
    const after = rowAsCard(itemId);
    const { log } = reference.next(before, at, Rating.Again);
    undoLastReview({ db: t.db, userId, now: at });
    expect(rowAsCard(itemId)).toEqual(before);
    // ts-fsrs's rollback restores every field but `due` (it returns the review time there):
    // the reason undo restores the stored before-state instead.
    const rolledBack = reference.rollback(after, log);
    expect({ ...rolledBack, due: before.due }).toEqual(before);
    expect(rolledBack.due).toEqual(at);
  });

  it('touches only the user’s own latest review, and not yesterday’s', () => {
    const other = addUser(t.db);
    review(itemIds[0]!, Rating.Good, T0);
    expect(undoLastReview({ db: t.db, userId: other, now: T0 })).toBeNull();
    expect(countRows(t, 'reviews')).toBe(1);
    expect(undoLastReview({ db: t.db, userId, now: new Date(T0.getTime() + DAY) })).toBeNull();
    expect(countRows(t, 'cards')).toBe(1);
    expect(undoLastReview({ db: t.db, userId, now: T0 })).not.toBeNull();
    expect(undoLastReview({ db: t.db, userId, now: T0 })).toBeNull();
  });
});
