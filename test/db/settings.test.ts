/**
 * The study settings model on both engines: every refusal says what was wrong at its field and
 * saves nothing; what is saved is what the scheduler then uses (steps, retention); the workload
 * estimate reads the student's own cards.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { subscriptions, users } from '../../db/schema';
import { setSuspended } from '../../app/models/card.server';
import { changeLastRating } from '../../app/models/rating-change.server';
import { submitReview } from '../../app/models/review.server';
import { getStudySettings, saveStudySettings, SETTINGS_ERRORS, workloadEstimate } from '../../app/models/settings.server';
import { STEP_ERRORS } from '../../app/scheduling/steps';
import { COMPARED_RETENTIONS } from '../../app/scheduling/workload';
import { createEmptyCard, fsrs, type Card } from 'ts-fsrs';
import { loadContentBank } from '../../app/models/bank.server';
import { getCard } from '../../app/models/card.server';
import { checkAnswer, quizPage, slotsOf, startQuiz } from '../../app/models/quiz.server';
import { addContentBank, addUser, allRows, eachTestDb, factItem } from './fixture';

const T0 = new Date('2026-02-02T09:00:00Z');
const MIN = 60_000;

const valid = {
  newPerDay: '15',
  reviewsPerDay: '150',
  desiredRetention: '0.85',
  learningSteps: '2m, 15m   1h',
  relearningSteps: '5m 30m',
  rolloverHour: '5',
  timeZone: 'Asia/Tokyo',
  maxIntervalDays: '3650',
};

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('saveStudySettings', () => {
  const each = eachTestDb();

  it('saves every field, steps written back as the scheduler reads them', async () => {
    const { db } = each.t;
    const userId = await addUser(db);
    const outcome = await saveStudySettings({ db, userId, form: form(valid) });
    const expected = { newPerDay: 15, reviewsPerDay: 150, desiredRetention: 0.85, learningSteps: '2m 15m 1h', relearningSteps: '5m 30m', rolloverHour: 5, timeZone: 'Asia/Tokyo', maxIntervalDays: 3650 };
    expect(outcome).toEqual({ ok: true, settings: expected });
    expect(await getStudySettings({ db, userId })).toEqual(expected);
  });

  it('accepts the bounds themselves: 0 new, retention 0.70 and 0.97, hour 0 and 23, no steps', async () => {
    const { db } = each.t;
    const userId = await addUser(db);
    for (const fields of [
      { newPerDay: '0', reviewsPerDay: '0', desiredRetention: '0.70', rolloverHour: '0', learningSteps: '' },
      { newPerDay: '9999', reviewsPerDay: '99999', desiredRetention: '0.97', rolloverHour: '23', maxIntervalDays: '1' },
    ]) {
      const outcome = await saveStudySettings({ db, userId, form: form({ ...valid, ...fields }) });
      expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    }
    expect(await getStudySettings({ db, userId })).toMatchObject({ newPerDay: 9999, reviewsPerDay: 99999, desiredRetention: 0.97, rolloverHour: 23, maxIntervalDays: 1 });
  });

  const refusals: [string, Record<string, string>, Record<string, string>][] = [
    ['steps that do not parse', { learningSteps: '1m 10x' }, { learningSteps: `learning steps: ${STEP_ERRORS.bad('10x')}` }],
    ['relearning steps of zero', { relearningSteps: '0m' }, { relearningSteps: `relearning steps: ${STEP_ERRORS.zero('0m')}` }],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, { timeZone: SETTINGS_ERRORS.timeZone('Mars/Olympus_Mons') }],
    ['an empty time zone', { timeZone: '' }, { timeZone: SETTINGS_ERRORS.timeZone('') }],
    ['retention 0.5', { desiredRetention: '0.5' }, { desiredRetention: SETTINGS_ERRORS.retention('0.5') }],
    ['retention 0.98', { desiredRetention: '0.98' }, { desiredRetention: SETTINGS_ERRORS.retention('0.98') }],
    ['retention as a percentage', { desiredRetention: '90' }, { desiredRetention: SETTINGS_ERRORS.retention('90') }],
    ['negative limits', { newPerDay: '-1', reviewsPerDay: '-5' }, { newPerDay: SETTINGS_ERRORS.wholeNumber('new cards per day', 0, 9999, '-1'), reviewsPerDay: SETTINGS_ERRORS.wholeNumber('maximum reviews per day', 0, 99999, '-5') }],
    ['a fraction of a card', { newPerDay: '2.5' }, { newPerDay: SETTINGS_ERRORS.wholeNumber('new cards per day', 0, 9999, '2.5') }],
    ['an empty limit', { reviewsPerDay: ' ' }, { reviewsPerDay: SETTINGS_ERRORS.wholeNumber('maximum reviews per day', 0, 99999, '') }],
    ['too many new cards', { newPerDay: '10000' }, { newPerDay: SETTINGS_ERRORS.wholeNumber('new cards per day', 0, 9999, '10000') }],
    ['hour 24', { rolloverHour: '24' }, { rolloverHour: SETTINGS_ERRORS.wholeNumber('the hour the day starts', 0, 23, '24') }],
    ['a maximum interval of 0 days', { maxIntervalDays: '0' }, { maxIntervalDays: SETTINGS_ERRORS.wholeNumber('the maximum interval in days', 1, 36500, '0') }],
    ['fewer reviews than new cards', { newPerDay: '50', reviewsPerDay: '49' }, { reviewsPerDay: SETTINGS_ERRORS.reviewsBelowNew(49, 50) }],
  ];

  it.each(refusals)('refuses %s at the field, saving nothing', async (_name, fields, errors) => {
    const { db } = each.t;
    const userId = await addUser(db);
    const [before] = await db.select().from(users).where(eq(users.id, userId));
    const outcome = await saveStudySettings({ db, userId, form: form({ ...valid, ...fields }) });
    expect(outcome).toEqual({ ok: false, errors, form: { ...valid, ...fields } });
    const [after] = await db.select().from(users).where(eq(users.id, userId));
    expect(after).toEqual(before);
  });

  it('says the exact words', () => {
    expect(SETTINGS_ERRORS.retention('0.5')).toBe('desired retention must be a number from 0.70 to 0.97 (0.90 keeps 9 cards in 10 recalled); "0.5" is not');
    expect(SETTINGS_ERRORS.wholeNumber('new cards per day', 0, 9999, '-1')).toBe('new cards per day must be a whole number from 0 to 9999; "-1" is not');
    expect(SETTINGS_ERRORS.timeZone('Mars/Olympus_Mons')).toBe('"Mars/Olympus_Mons" is not a time zone this server knows: choose one from the list (such as Europe/Paris)');
  });

  it('refuses a form with a field missing, naming it', async () => {
    const { db } = each.t;
    const userId = await addUser(db);
    const { timeZone: _dropped, ...rest } = valid;
    const outcome = await saveStudySettings({ db, userId, form: form(rest) });
    expect(outcome.ok === false && outcome.errors).toEqual({ timeZone: SETTINGS_ERRORS.missing('time zone') });
  });
});

describe('the review path schedules with the saved settings', () => {
  const each = eachTestDb();

  async function student() {
    const { db } = each.t;
    const userId = await addUser(db);
    const [itemId] = await addContentBank(db, 'facts', [factItem('f0', 'vgg'), factItem('f1', 'vgg')]);
    const outcome = await saveStudySettings({ db, userId, form: form(valid) });
    expect(outcome.ok).toBe(true);
    let n = 0;
    const review = (rating: 1 | 2 | 3 | 4, now: Date, item = itemId!) =>
      submitReview({ db, userId, itemId: item, clientReviewId: `r${++n}`, seed: null, rawAnswer: 'a', readAs: null, correct: rating > 1, misconception: null, rating, suggestedRating: rating, durationMs: 1000, hinted: false, now });
    return { db, userId, itemId: itemId!, review };
  }

  // Steps '2m 15m 1h': Again on a new card waits the first step; Good moves one step on each time.
  it("waits 2m after Again, then 15m and 1h after Good: the student's learning steps", async () => {
    const { review } = await student();
    const again = await review(1, T0);
    expect(again.card.due).toBe(T0.getTime() + 2 * MIN);
    const t1 = new Date(again.card.due);
    const good1 = await review(3, t1);
    expect(good1.card.due).toBe(t1.getTime() + 15 * MIN);
    const t2 = new Date(good1.card.due);
    const good2 = await review(3, t2);
    expect(good2.card.due).toBe(t2.getTime() + 60 * MIN);
    const t3 = new Date(good2.card.due);
    const graduated = await review(3, t3);
    expect(graduated.card.state).toBe(2); // Review: past its last step
    expect(graduated.card.due - t3.getTime()).toBeGreaterThanOrEqual(86_400_000);
  });

  it('re-rating the review schedules with the same steps', async () => {
    const { db, userId, review } = await student();
    const first = await review(1, T0);
    const changed = await changeLastRating({ db, userId, clientReviewId: first.review.clientReviewId, rating: 3 });
    // Good on a new card: straight to the second step, 15m.
    expect(JSON.parse(changed.stateAfter).due).toBe(T0.getTime() + 15 * MIN);
  });

  it("waits 5m after a lapse: the student's relearning steps", async () => {
    const { review } = await student();
    let r = await review(4, T0); // Easy: graduated at once
    expect(r.card.state).toBe(2);
    const lapseAt = new Date(r.card.due);
    r = await review(1, lapseAt);
    expect(r.card.state).toBe(3); // Relearning
    expect(r.card.due).toBe(lapseAt.getTime() + 5 * MIN);
  });
});

describe('workloadEstimate', () => {
  const each = eachTestDb();

  it('rests on new cards alone for a student with no cards', async () => {
    const { db } = each.t;
    const userId = await addUser(db);
    const estimate = await workloadEstimate({ db, userId, now: T0 });
    expect(estimate.cards).toBe(0);
    expect(estimate.newPerDay).toBe(20);
    expect(estimate.rows.map((r) => r.desiredRetention)).toEqual([...COMPARED_RETENTIONS]);
    expect(estimate.rows.every((r) => r.reviewsPerDay > 0)).toBe(true);
  });

  it("counts the student's studied cards, leaving out suspended ones and banks turned off", async () => {
    const { db } = each.t;
    const userId = await addUser(db);
    const other = await addUser(db);
    const a = await addContentBank(db, 'a', Array.from({ length: 4 }, (_, i) => factItem(`a${i}`, 'vgg')));
    const b = await addContentBank(db, 'b', Array.from({ length: 3 }, (_, i) => factItem(`b${i}`, 'resnet')));
    let n = 0;
    for (const [user, itemId] of [...[...a, ...b].map((i) => [userId, i] as const), [other, a[0]!] as const]) {
      await submitReview({ db, userId: user, itemId, clientReviewId: `w${++n}`, seed: null, rawAnswer: 'a', readAs: null, correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 1000, hinted: false, now: T0 });
    }
    expect((await workloadEstimate({ db, userId, now: T0 })).cards).toBe(7);
    await setSuspended({ db, userId, itemId: a[1]!, suspended: true, now: T0 });
    await db.insert(subscriptions).values({ userId, bankId: 'b', state: 'off', updatedAt: T0 });
    // A paused bank still brings its due reviews.
    await db.insert(subscriptions).values({ userId, bankId: 'a', state: 'paused', updatedAt: T0 });
    const estimate = await workloadEstimate({ db, userId, now: T0 });
    expect(estimate.cards).toBe(3);
    const perDay = estimate.rows.map((r) => r.reviewsPerDay);
    expect([...perDay].sort((x, y) => x - y)).toEqual(perDay);
  });
});

describe("the quiz's practice mode shows what each rating would give in daily review", () => {
  const each = eachTestDb();

  it('from the current card, or a new one, with the student’s settings, and changes nothing', async () => {
    const { db } = each.t;
    const userId = await addUser(db);
    const choice = (id: string, answer: string) => ({ id, kind: 'choice' as const, topic: 'vgg', tags: [], question: `${id}?`, options: [{ key: 'a', text: 'A' }, { key: 'b', text: 'B' }], answer, explanation: 'because' });
    await loadContentBank({ db, bank: { id: 'tiny', title: 'Tiny', items: [choice('c1', 'a'), choice('c2', 'b')] }, now: T0 });
    expect((await saveStudySettings({ db, userId, form: form(valid) })).ok).toBe(true);
    await submitReview({ db, userId, itemId: 'tiny/c1', clientReviewId: 'r1', seed: null, rawAnswer: 'a', readAs: ['a'], correct: true, misconception: null, rating: 4, suggestedRating: 4, durationMs: 1000, hinted: false, now: T0 });
    const before = { cards: await allRows(each.t, 'cards'), reviews: await allRows(each.t, 'reviews') };

    // The reference: ts-fsrs configured here from the saved values, not through app/scheduling.
    const reference = fsrs({ request_retention: 0.85, maximum_interval: 3650, enable_fuzz: false, enable_short_term: true, learning_steps: ['2m', '15m', '1h'], relearning_steps: ['5m', '30m'] });
    const now = new Date(T0.getTime() + 3 * 86_400_000);
    const row = (await getCard({ db, userId, itemId: 'tiny/c1' }))!;
    const studied: Card = { due: row.due, stability: row.stability, difficulty: row.difficulty, elapsed_days: row.elapsedDays, scheduled_days: row.scheduledDays, learning_steps: row.learningSteps, reps: row.reps, lapses: row.lapses, state: row.state, last_review: row.lastReview! };
    const expected = (card: Card) => ([1, 2, 3, 4] as const).map((r) => reference.repeat(card, now)[r].card.due.getTime());

    const attempt = await startQuiz({ db, userId, build: { banks: ['tiny'], topics: [], tags: [], families: [], count: 2, timeLimitMinutes: null, mode: 'practice' }, now });
    const slots = slotsOf(attempt);
    for (const [position, slot] of slots.entries()) {
      const answer = 'a'; // right for c1, wrong for c2: the intervals do not depend on it
      const checked = await checkAnswer({ db, userId, attemptId: attempt.id, draft: { position, answer, flagged: false, timeMs: 1000 }, now });
      if (checked.status !== 'graded') throw new Error('expected a graded check');
      const card = slot.itemId === 'tiny/c1' ? studied : createEmptyCard(now);
      expect(checked.dailyIntervals.map((i) => i.due)).toEqual(expected(card));
      expect(checked.dailyIntervals.map((i) => i.rating)).toEqual([1, 2, 3, 4]);
      // A new card at retention 0.85: Easy's first interval is longer than at 0.90's 8d.
      if (slot.itemId === 'tiny/c2') expect(checked.dailyIntervals.map((i) => i.label)).toEqual(['2m', '9m', '15m', '16d']);
    }
    // A reload shows the same intervals beside each checked answer.
    const page = await quizPage({ db, userId, attemptId: attempt.id, now });
    if (page.state !== 'taking') throw new Error('expected taking');
    for (const q of page.questions) expect(q.dailyIntervals?.map((i) => i.due)).toEqual(expected(q.card.itemId === 'tiny/c1' ? studied : createEmptyCard(now)));
    expect({ cards: await allRows(each.t, 'cards'), reviews: await allRows(each.t, 'reviews') }).toEqual(before);
  });
});
