import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsrs, Rating, State, type Grade } from 'ts-fsrs';
import { eq } from 'drizzle-orm';
import { cards } from '../../db/schema';
import { setSuspended } from '../../app/models/card.server';
import { createClass, joinClass, leaveClass, publishBankToClass } from '../../app/models/class.server';
import { saveInstructorBank } from '../../app/models/bank.server';
import { dailyQueue, LEECH_NOTICE } from '../../app/models/queue.server';
import { submitReview } from '../../app/models/review.server';
import { createRng } from '../../engine/random';
import { addContentBank, addUser, factItem, generatedItem, openTempDb, type TempDb } from './fixture';

const reference = fsrs({ request_retention: 0.9, maximum_interval: 36500, enable_fuzz: false, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] });
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
// 13:00 in Tokyo (UTC+9): mid study day.
const NOON_TOKYO = new Date('2024-06-15T04:00:00Z');

let t: TempDb;
let n = 0;
beforeEach(async () => {
  t = await openTempDb();
});
afterEach(async () => {
  await t.close();
});

/** The card /review shows (its loader: the first entry of the daily queue), or null when the day is done. */
async function shown(userId: number, now: Date) {
  return (await dailyQueue({ db: t.db, userId, now })).entries[0] ?? null;
}

async function answer(userId: number, itemId: string, rating: Grade, now: Date) {
  return await submitReview({ db: t.db, userId, itemId, clientReviewId: `c${++n}`, seed: 1, rawAnswer: 'x', readAs: null, correct: rating > 1, misconception: null, rating, suggestedRating: rating, durationMs: 3000, hinted: false, now });
}

/** A card in Review state put in directly: stability S days, last reviewed `elapsed` ms before `now`. */
async function putReviewCard(userId: number, itemId: string, now: Date, stability: number, elapsedMs: number, dueInMs: number) {
  await t.db
    .insert(cards)
    .values({ userId, itemId, due: new Date(now.getTime() + dueInMs), stability, difficulty: 5, elapsedDays: 0, scheduledDays: 3, learningSteps: 0, reps: 3, lapses: 0, state: State.Review, lastReview: new Date(now.getTime() - elapsedMs) });
}

describe('daily limits', () => {
  it('introduces at most new-per-day new items a study day, and starts again after the rollover', async () => {
    const user = await addUser(t.db, { timeZone: 'Asia/Tokyo', newPerDay: 3 });
    const ids = await addContentBank(t.db, 'facts', Array.from({ length: 10 }, (_, i) => factItem(`f${i}`, 'alexnet')));
    const q = await dailyQueue({ db: t.db, userId: user, now: NOON_TOKYO });
    expect(q.studyDay).toBe('2024-06-15');
    expect(q.entries.map((e) => [e.itemId, e.section])).toEqual(ids.slice(0, 3).map((id) => [id, 'new']));
    await answer(user, ids[0]!, Rating.Good, NOON_TOKYO);
    await answer(user, ids[1]!, Rating.Easy, NOON_TOKYO);
    const later = await dailyQueue({ db: t.db, userId: user, now: new Date(NOON_TOKYO.getTime() + 5 * MIN) });
    expect(later.done).toEqual({ new: 2, reviews: 0 });
    expect(later.entries.map((e) => e.itemId)).toEqual([ids[2]]);
    // The learning card (Good → 10 m step) comes back first once due; it is not a new item.
    const tenMinutes = await dailyQueue({ db: t.db, userId: user, now: new Date(NOON_TOKYO.getTime() + 10 * MIN) });
    expect(tenMinutes.entries.map((e) => [e.itemId, e.section])).toEqual([
      [ids[0], 'learning'],
      [ids[2], 'new'],
    ]);
    // 03:59 Tokyo the next morning is still the 15th; 04:00 is the 16th with three new again.
    const beforeRollover = new Date('2024-06-15T18:59:00Z');
    const afterRollover = new Date('2024-06-15T19:00:00Z');
    expect((await dailyQueue({ db: t.db, userId: user, now: beforeRollover })).entries.filter((e) => e.section === 'new')).toHaveLength(1);
    const tomorrow = await dailyQueue({ db: t.db, userId: user, now: afterRollover });
    expect(tomorrow.studyDay).toBe('2024-06-16');
    expect(tomorrow.entries.filter((e) => e.section === 'new').map((e) => e.itemId)).toEqual([ids[2], ids[3], ids[4]]);
  });

  it('shows at most reviews-per-day due reviews a study day', async () => {
    const user = await addUser(t.db, { reviewsPerDay: 2 });
    const ids = await addContentBank(t.db, 'facts', Array.from({ length: 5 }, (_, i) => factItem(`f${i}`, 'vgg')));
    const now = new Date('2024-06-15T12:00:00Z');
    for (const [i, id] of ids.entries()) await putReviewCard(user, id, now, 2 + i, 4 * DAY, -HOUR);
    const q = await dailyQueue({ db: t.db, userId: user, now });
    expect(q.entries.map((e) => e.section)).toEqual(['review', 'review']);
    await answer(user, q.entries[0]!.itemId, Rating.Good, now);
    const after = await dailyQueue({ db: t.db, userId: user, now: new Date(now.getTime() + MIN) });
    expect(after.done.reviews).toBe(1);
    expect(after.entries.map((e) => e.section)).toEqual(['review']);
  });

  it('counts a review card as due from the start of the study day it falls in (the user’s 04:00, not UTC midnight)', async () => {
    const user = await addUser(t.db, { timeZone: 'America/Los_Angeles' });
    const [id] = await addContentBank(t.db, 'facts', [factItem('f0', 'resnet')]);
    // Due 2024-06-15 15:00 PDT (22:00Z); the study day of the 15th starts at 04:00 PDT (11:00Z).
    const dueAt = new Date('2024-06-15T22:00:00Z');
    await putReviewCard(user, id!, dueAt, 5, 5 * DAY, 0);
    expect(await shown(user, new Date('2024-06-15T10:59:00Z'))).toBeNull();
    expect(await shown(user, new Date('2024-06-15T11:00:00Z'))).toMatchObject({ itemId: id, section: 'review' });
  });
});

describe('order', () => {
  it('serves due reviews lowest retrievability first (ts-fsrs get_retrievability), over random cards', async () => {
    const user = await addUser(t.db, { reviewsPerDay: 1000 });
    const ids = await addContentBank(t.db, 'facts', Array.from({ length: 200 }, (_, i) => factItem(`f${i}`, 'densenet')));
    const now = new Date('2024-06-15T12:00:00Z');
    const rng = createRng(7);
    for (const id of ids) await putReviewCard(user, id, now, 0.5 + rng.next() * 60, rng.int(0, 90) * DAY + rng.int(0, DAY), -rng.int(0, 10 * DAY));
    const q = await dailyQueue({ db: t.db, userId: user, now });
    expect(q.entries).toHaveLength(200);
    const rows = new Map((await t.db.select().from(cards)).map((c) => [c.itemId, c]));
    const r = q.entries.map((e) => {
      const c = rows.get(e.itemId)!;
      const expected = reference.get_retrievability({ ...c, elapsed_days: c.elapsedDays, scheduled_days: c.scheduledDays, learning_steps: c.learningSteps, last_review: c.lastReview! }, now, false);
      expect(e.retrievability).toBe(expected);
      return expected;
    });
    for (let i = 1; i < r.length; i++) expect(r[i]!).toBeGreaterThanOrEqual(r[i - 1]!);
  });

  it('interleaves topics among new items', async () => {
    const user = await addUser(t.db, { newPerDay: 6 });
    const items = ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'c1'].map((id) => factItem(id, id[0]!));
    await addContentBank(t.db, 'mixed', items);
    const q = await dailyQueue({ db: t.db, userId: user, now: NOON_TOKYO });
    expect(q.entries.map((e) => e.itemId.split('/')[1])).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('puts learning cards before reviews before new items', async () => {
    const user = await addUser(t.db);
    const ids = await addContentBank(t.db, 'facts', [factItem('learn', 'a'), factItem('rev', 'a'), factItem('new', 'a')]);
    const now = new Date('2024-06-15T12:00:00Z');
    await putReviewCard(user, ids[1]!, now, 3, 3 * DAY, -HOUR);
    await answer(user, ids[0]!, Rating.Again, new Date(now.getTime() - 2 * MIN));
    expect((await dailyQueue({ db: t.db, userId: user, now })).entries.map((e) => e.section)).toEqual(['learning', 'review', 'new']);
  });
});

describe('burying, suspending, leeches', () => {
  it('buries the siblings of an answered generated family until the next study day; facts are not buried', async () => {
    const user = await addUser(t.db, { timeZone: 'Asia/Tokyo' });
    const ids = await addContentBank(t.db, 'gen', [
      generatedItem('conv-a', 'alexnet', 'conv-output'),
      generatedItem('conv-b', 'vgg', 'conv-output'),
      factItem('fact-a', 'alexnet'),
      factItem('fact-b', 'alexnet'),
      generatedItem('rf-a', 'vgg', 'receptive-field'),
    ]);
    const [convA, convB, factA, factB, rfA] = ids;
    // One item per family in the queue even before answering.
    expect((await dailyQueue({ db: t.db, userId: user, now: NOON_TOKYO })).entries.map((e) => e.itemId)).toEqual([convA, rfA, factA, factB]);
    await answer(user, convA!, Rating.Again, NOON_TOKYO);
    await answer(user, factA!, Rating.Again, NOON_TOKYO);
    const q = await dailyQueue({ db: t.db, userId: user, now: new Date(NOON_TOKYO.getTime() + 2 * MIN) });
    expect(q.buriedFamilies).toEqual(['conv-output']);
    // conv-a itself comes back (learning step); its sibling conv-b does not; fact-a's neighbour fact-b does.
    expect(q.entries.map((e) => e.itemId)).toEqual([convA, factA, rfA, factB]);
    expect(q.entries.map((e) => e.itemId)).not.toContain(convB);
    const tomorrow = await dailyQueue({ db: t.db, userId: user, now: new Date('2024-06-15T19:00:00Z') });
    expect(tomorrow.buriedFamilies).toEqual([]);
    // conv-a (learning, due) holds the family's one place; conv-b waits behind it.
    expect(tomorrow.entries.map((e) => e.itemId)).toEqual([convA, factA, rfA, factB]);
    await answer(user, convA!, Rating.Easy, new Date('2024-06-15T19:00:00Z'));
    await answer(user, convA!, Rating.Easy, new Date('2024-06-16T19:00:00Z'));
    expect((await dailyQueue({ db: t.db, userId: user, now: new Date('2024-06-17T19:00:00Z') })).entries.map((e) => e.itemId)).toContain(convB);
  });

  it('leaves suspended cards out, new or not', async () => {
    const user = await addUser(t.db);
    const ids = await addContentBank(t.db, 'facts', [factItem('f0', 'a'), factItem('f1', 'a'), factItem('f2', 'a')]);
    await setSuspended({ db: t.db, userId: user, itemId: ids[0]!, suspended: true, now: NOON_TOKYO });
    await answer(user, ids[1]!, Rating.Again, NOON_TOKYO);
    await setSuspended({ db: t.db, userId: user, itemId: ids[1]!, suspended: true, now: NOON_TOKYO });
    const later = new Date(NOON_TOKYO.getTime() + 5 * MIN);
    expect((await dailyQueue({ db: t.db, userId: user, now: later })).entries.map((e) => e.itemId)).toEqual([ids[2]]);
    await setSuspended({ db: t.db, userId: user, itemId: ids[1]!, suspended: false, now: later });
    expect((await dailyQueue({ db: t.db, userId: user, now: later })).entries.map((e) => e.itemId)).toEqual([ids[1], ids[2]]);
  });

  it('explains a leech beside the card', async () => {
    const user = await addUser(t.db);
    const [id] = await addContentBank(t.db, 'facts', [factItem('f0', 'a')]);
    let now = NOON_TOKYO;
    let card = (await answer(user, id!, Rating.Easy, now)).card;
    for (let i = 0; i < 8; i++) {
      if (i > 0) card = (await answer(user, id!, Rating.Good, new Date(card.due))).card; // relearned
      now = new Date(card.due + DAY);
      card = (await answer(user, id!, Rating.Again, now)).card; // lapsed
    }
    const entry = await shown(user, new Date(card.due))!;
    expect(entry).toMatchObject({ itemId: id, section: 'learning', leech: true, lapses: 8, notice: LEECH_NOTICE });
  });
});

describe('what a user studies', () => {
  it('is the content banks plus the banks published to their classes', async () => {
    const teacher = await addUser(t.db, { role: 'instructor' });
    const student = await addUser(t.db);
    const outsider = await addUser(t.db);
    await addContentBank(t.db, 'content', [factItem('c0', 'a')]);
    await saveInstructorBank({ db: t.db, userId: teacher, bank: { id: 'extra', title: 'Extra', items: [factItem('x0', 'b')] }, now: NOON_TOKYO });
    const ids = async (u: number) => (await dailyQueue({ db: t.db, userId: u, now: NOON_TOKYO })).entries.map((e) => e.itemId);
    expect(await ids(student)).toEqual(['content/c0']);
    const cls = await createClass({ db: t.db, userId: teacher, name: 'CNN 101', now: NOON_TOKYO });
    await joinClass({ db: t.db, userId: student, joinCode: cls.joinCode.toLowerCase(), now: NOON_TOKYO });
    expect(await ids(student)).toEqual(['content/c0']); // joined, nothing published yet
    await publishBankToClass({ db: t.db, userId: teacher, classId: cls.id, bankId: 'extra', now: NOON_TOKYO });
    // Class banks come before the self-chosen ones.
    expect(await ids(student)).toEqual(['extra/x0', 'content/c0']);
    expect(await ids(outsider)).toEqual(['content/c0']);
    await answer(student, 'extra/x0', Rating.Again, NOON_TOKYO);
    await leaveClass({ db: t.db, userId: student, classId: cls.id });
    expect(await ids(student)).toEqual(['content/c0']);
    expect((await shown(student, new Date(NOON_TOKYO.getTime() + HOUR)))?.itemId).toBe('content/c0');
  });
});

describe('the queue /review serves', () => {
  // The queue reads only the head of the due reviews (the day's limit plus some slack) and the
  // whole list only when burying ran the head dry: through random sessions it must still keep
  // the day's limits, bury answered families' siblings, and never serve a suspended card.
  it('keeps the limits and the burying through random study sessions, whether or not the head of due reviews suffices', async () => {
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      const reviewsPerDay = rng.int(5, 60);
      const newPerDay = rng.int(0, 8);
      const user = await addUser(t.db, { reviewsPerDay, newPerDay, timeZone: 'UTC' });
      const topics = ['a', 'b', 'c'].slice(0, rng.int(1, 3));
      const items = Array.from({ length: 80 }, (_, i) => (rng.chance(0.6) ? generatedItem(`g${i}`, rng.pick(topics), `fam${rng.int(0, 3)}`) : factItem(`f${i}`, rng.pick(topics))));
      const ids = await addContentBank(t.db, `bank${seed}`, items);
      const familyOf = new Map(items.map((it, i) => [ids[i]!, it.kind === 'generated' ? (it as { family: string }).family : null]));
      let now = new Date('2024-06-15T12:00:00Z');
      for (const id of ids.slice(0, 70)) await putReviewCard(user, id, now, 0.5 + rng.next() * 30, rng.int(0, 40) * DAY + rng.int(0, DAY), rng.int(-5, 2) * DAY);
      const day = now.toISOString().slice(0, 10);
      const answeredFamilies = new Set<string>();
      let reviewsToday = 0;
      let newToday = 0;
      for (let step = 0; step < 150; step++) {
        const queue = await dailyQueue({ db: t.db, userId: user, now });
        expect(queue.studyDay).toBe(day);
        for (const e of queue.entries) {
          const family = familyOf.get(e.itemId) ?? null;
          if (family !== null && e.section !== 'learning') expect(answeredFamilies.has(family), `${e.itemId} of buried ${family}`).toBe(false);
        }
        expect(queue.entries.filter((e) => e.section === 'review').length).toBeLessThanOrEqual(reviewsPerDay - reviewsToday);
        expect(queue.entries.filter((e) => e.section === 'new').length).toBeLessThanOrEqual(newPerDay - newToday);
        const next = queue.entries[0];
        if (!next) break;
        await answer(user, next.itemId, (1 + rng.int(0, 3)) as Grade, now);
        if (next.section === 'review') reviewsToday++;
        if (next.section === 'new') newToday++;
        const family = familyOf.get(next.itemId);
        if (family) answeredFamilies.add(family);
        now = new Date(now.getTime() + rng.int(0, 20) * MIN);
        if (now.toISOString().slice(0, 10) !== day) break;
      }
      expect(await doneToday(user, now)).toEqual({ reviews: reviewsToday, new: newToday });
    }
  });
});

async function doneToday(userId: number, now: Date) {
  return (await dailyQueue({ db: t.db, userId, now })).done;
}

describe('promotions, burying a card, the limits’ exceptions', () => {
  async function promote(userId: number, itemId: string, by: 'quiz' | 'cards', quiz: number | null, at: Date) {
    const { newCardState } = await import('../../app/scheduling/scheduler');
    const { cardColumnsOf } = await import('../../app/models/card.server');
    // What "add my misses" and "review now" write (helpers elsewhere): a card, promoted at `at`.
    await t.db
      .insert(cards)
      .values({ userId, itemId, ...cardColumnsOf(newCardState(at)), promotedAt: at, promotedBy: by, promotedQuiz: quiz })
      .onConflictDoUpdate({ target: [cards.userId, cards.itemId], set: { promotedAt: at, promotedBy: by, promotedQuiz: quiz } });
  }

  it('puts promoted cards first, new ones included, beyond both limits, with their kind and reason; a review ends the promotion and undoing it brings it back', async () => {
    const user = await addUser(t.db, { newPerDay: 1, reviewsPerDay: 1 });
    const ids = await addContentBank(t.db, 'facts', Array.from({ length: 6 }, (_, i) => factItem(`f${i}`, 'a')));
    const now = new Date('2024-06-15T12:00:00Z');
    await putReviewCard(user, ids[0]!, now, 3, 3 * DAY, -HOUR);
    await putReviewCard(user, ids[1]!, now, 3, 3 * DAY, -HOUR);
    await promote(user, ids[4]!, 'quiz', 12, new Date(now.getTime() - 2 * MIN));
    await promote(user, ids[5]!, 'cards', null, new Date(now.getTime() - MIN));
    const q = await dailyQueue({ db: t.db, userId: user, now });
    expect(q.entries.map((e) => [e.itemId, e.kind, e.reason, e.promotedQuiz])).toEqual([
      [ids[4], 'quiz', 'missed in quiz #12', 12],
      [ids[5], 'asked', 'asked for on the cards page', null],
      [ids[0], 'review', expect.stringMatching(/^due review, recall \d+%$/), null],
      [ids[2], 'new', 'new, from facts (topic a), taking turns with your other banks', null],
    ]);
    // Reviewed through the promotion (origin quiz): not counted against new-per-day.
    await submitReview({ db: t.db, userId: user, itemId: ids[4]!, clientReviewId: `c${++n}`, seed: 1, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: Rating.Easy, suggestedRating: Rating.Easy, durationMs: 1000, hinted: false, now, origin: 'quiz' });
    const after = await dailyQueue({ db: t.db, userId: user, now: new Date(now.getTime() + MIN) });
    expect(after.entries.map((e) => [e.itemId, e.kind])).toEqual([
      [ids[5], 'asked'],
      [ids[0], 'review'],
      [ids[2], 'new'],
    ]);
    expect(after.done).toEqual({ reviews: 0, new: 1 });
    // The queue's own new card does count.
    await answer(user, ids[2]!, Rating.Easy, new Date(now.getTime() + 2 * MIN));
    expect((await dailyQueue({ db: t.db, userId: user, now: new Date(now.getTime() + 3 * MIN) })).entries.filter((e) => e.kind === 'new')).toEqual([]);
    // Undo of the quiz review: the promotion is back (promotedAt > lastReview again).
    const { undoLastReview } = await import('../../app/models/review.server');
    await undoLastReview({ db: t.db, userId: user, now: new Date(now.getTime() + 4 * MIN) });
    await undoLastReview({ db: t.db, userId: user, now: new Date(now.getTime() + 4 * MIN) });
    expect((await dailyQueue({ db: t.db, userId: user, now: new Date(now.getTime() + 5 * MIN) })).entries[0]).toMatchObject({ itemId: ids[4], kind: 'quiz' });
  });

  it('does not count a promoted review card’s review against reviews-per-day', async () => {
    const user = await addUser(t.db, { reviewsPerDay: 1 });
    const ids = await addContentBank(t.db, 'facts', [factItem('r0', 'a'), factItem('r1', 'a'), factItem('r2', 'a')]);
    const now = new Date('2024-06-15T12:00:00Z');
    for (const id of ids) await putReviewCard(user, id, now, 3, 3 * DAY, 2 * DAY);
    await t.db.update(cards).set({ due: new Date(now.getTime() - HOUR) }).where(eq(cards.itemId, ids[1]!));
    await promote(user, ids[0]!, 'cards', null, now);
    const q = await dailyQueue({ db: t.db, userId: user, now });
    expect(q.entries.map((e) => [e.itemId, e.kind])).toEqual([
      [ids[0], 'asked'],
      [ids[1], 'review'],
    ]);
    await submitReview({ db: t.db, userId: user, itemId: ids[0]!, clientReviewId: `c${++n}`, seed: 1, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: Rating.Good, suggestedRating: Rating.Good, durationMs: 1000, hinted: false, now, origin: 'cards' });
    expect((await dailyQueue({ db: t.db, userId: user, now: new Date(now.getTime() + MIN) })).entries.map((e) => [e.itemId, e.kind])).toEqual([[ids[1], 'review']]);
  });

  it('leaves a buried card out until its time, says so in held, and a suspended promoted card stays out', async () => {
    const user = await addUser(t.db, { timeZone: 'UTC' });
    const ids = await addContentBank(t.db, 'facts', [factItem('f0', 'a'), factItem('f1', 'a'), factItem('f2', 'a')]);
    const now = new Date('2024-06-15T12:00:00Z');
    await putReviewCard(user, ids[0]!, now, 3, 3 * DAY, -HOUR);
    const tomorrow = new Date('2024-06-16T04:00:00Z');
    await t.db.update(cards).set({ buriedUntil: tomorrow }).where(eq(cards.itemId, ids[0]!));
    await promote(user, ids[1]!, 'quiz', 3, now);
    await setSuspended({ db: t.db, userId: user, itemId: ids[1]!, suspended: true, now });
    const q = await dailyQueue({ db: t.db, userId: user, now });
    expect(q.entries.map((e) => e.itemId)).toEqual([ids[2]]);
    expect(q.held).toEqual(
      expect.arrayContaining([
        { scope: 'item', id: ids[0], reason: 'buried until 2024-06-16 04:00', count: 1 },
        { scope: 'limit', id: 'suspended', reason: 'suspended: out of the queue until unsuspended', count: 1 },
      ]),
    );
    expect((await dailyQueue({ db: t.db, userId: user, now: tomorrow })).entries.map((e) => e.itemId)).toEqual([ids[0], ids[2]]);
  });
});

describe('new cards across banks, and what the end of a session says', () => {
  it('interleaves the content banks round-robin, each bank’s topics in turn', async () => {
    const user = await addUser(t.db, { newPerDay: 7 });
    await addContentBank(t.db, 'alpha', [factItem('a1', 'x'), factItem('a2', 'x'), factItem('a3', 'y'), factItem('a4', 'y')]);
    await addContentBank(t.db, 'beta', [factItem('b1', 'z'), factItem('b2', 'z')]);
    await addContentBank(t.db, 'gamma', [factItem('g1', 'w')]);
    const q = await dailyQueue({ db: t.db, userId: user, now: NOON_TOKYO });
    expect(q.entries.map((e) => e.itemId)).toEqual(['alpha/a1', 'beta/b1', 'gamma/g1', 'alpha/a3', 'beta/b2', 'alpha/a2', 'alpha/a4']);
    // The rotation carries on as the queue is rebuilt: the bank answered last goes last.
    await answer(user, 'alpha/a1', Rating.Easy, NOON_TOKYO);
    expect((await dailyQueue({ db: t.db, userId: user, now: NOON_TOKYO })).entries.map((e) => e.bankId).slice(0, 3)).toEqual(['beta', 'gamma', 'alpha']);
  });

  it('reads only the head of each bank’s new items when the budget is small, and the same queue as reading them all', async () => {
    const user = await addUser(t.db, { newPerDay: 3 });
    // A family that fills the head of its topic: the order must read past it.
    const items = [...Array.from({ length: 40 }, (_, i) => generatedItem(`g${i}`, 'a', 'conv-output')), factItem('late', 'a'), factItem('other', 'b')];
    await addContentBank(t.db, 'big', items);
    const q = await dailyQueue({ db: t.db, userId: user, now: NOON_TOKYO });
    expect(q.entries.map((e) => e.itemId)).toEqual(['big/g0', 'big/other', 'big/late']);
  });

  it('gives the next learning step of the day and tomorrow’s due count', async () => {
    const user = await addUser(t.db, { timeZone: 'UTC', reviewsPerDay: 2 });
    const ids = await addContentBank(t.db, 'facts', Array.from({ length: 5 }, (_, i) => factItem(`f${i}`, 'a')));
    const now = new Date('2024-06-15T12:00:00Z');
    // Three reviews due tomorrow (capped at 2), one the day after.
    for (const id of ids.slice(0, 3)) await putReviewCard(user, id, now, 3, 3 * DAY, DAY);
    await putReviewCard(user, ids[3]!, now, 3, 3 * DAY, 3 * DAY);
    await answer(user, ids[4]!, Rating.Good, now); // learning: next step in 10 minutes
    const q = await dailyQueue({ db: t.db, userId: user, now: new Date(now.getTime() + MIN) });
    expect(q.entries).toEqual([]);
    expect(q.nextLearningAt).toEqual(new Date(now.getTime() + 10 * MIN));
    expect(q.tomorrowDue).toBe(2 + 1);
    const learning = await dailyQueue({ db: t.db, userId: user, now: new Date(now.getTime() + 10 * MIN) });
    expect(learning.entries.map((e) => [e.itemId, e.kind, e.reason])).toEqual([[ids[4], 'learning', 'learning step due 12:10']]);
  });
});

describe('held back by the limits', () => {
  it('counts the due reviews beyond reviews-per-day and the new items beyond new-per-day, also once a limit is spent', async () => {
    const user = await addUser(t.db, { reviewsPerDay: 2, newPerDay: 1, timeZone: 'UTC' });
    const ids = await addContentBank(t.db, 'facts', Array.from({ length: 8 }, (_, i) => factItem(`f${i}`, 'a')));
    const now = new Date('2024-06-15T12:00:00Z');
    for (const id of ids.slice(0, 5)) await putReviewCard(user, id, now, 3, 3 * DAY, -HOUR);
    const limitsOf = async (at: Date) => (await dailyQueue({ db: t.db, userId: user, now: at, explain: true })).held.filter((h) => h.scope === 'limit');
    expect(await limitsOf(now)).toEqual([
      { scope: 'limit', id: 'newPerDay', reason: 'new-card limit reached (1 a day): these new items wait for the next days', count: 2 },
      { scope: 'limit', id: 'reviewsPerDay', reason: 'review limit reached (2 a day): these due reviews wait', count: 3 },
    ]);
    const q = await dailyQueue({ db: t.db, userId: user, now });
    for (const e of q.entries) await answer(user, e.itemId, Rating.Easy, now);
    // Both limits spent: nothing shown, and what waits is still counted.
    const later = new Date(now.getTime() + MIN);
    expect((await dailyQueue({ db: t.db, userId: user, now: later })).entries).toEqual([]);
    expect(await limitsOf(later)).toEqual([
      { scope: 'limit', id: 'newPerDay', reason: 'new-card limit reached (1 a day): these new items wait for the next days', count: 2 },
      { scope: 'limit', id: 'reviewsPerDay', reason: 'review limit reached (2 a day): these due reviews wait', count: 3 },
    ]);
  });
});
