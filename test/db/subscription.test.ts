import { describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { subscriptions } from '../../db/schema';
import { saveInstructorBank } from '../../app/models/bank.server';
import { createClass, joinClass, leaveClass, publishBankToClass } from '../../app/models/class.server';
import { dailyQueue } from '../../app/models/queue.server';
import { submitReview } from '../../app/models/review.server';
import { listSubscriptions, setSubscription, SUBSCRIPTION_ERRORS, SubscriptionNotFound, SubscriptionRefused } from '../../app/models/subscription.server';
import { addContentBank, addUser, allRows, eachTestDb, factItem } from './fixture';

const each = eachTestDb();
const NOW = new Date('2026-03-05T12:00:00Z');

async function setUp() {
  const { db } = each.t;
  const student = await addUser(db, { email: 'sam@example.test' });
  const teacher = await addUser(db, { email: 'ines@example.test', role: 'instructor' });
  await addContentBank(db, 'builtin', [factItem('b0', 'a'), factItem('b1', 'a'), factItem('b2', 'a')]);
  await saveInstructorBank({ db, userId: teacher, bank: { id: 'cnn', title: 'CNN course', items: [factItem('c0', 'b'), factItem('c1', 'b')] }, now: NOW });
  await saveInstructorBank({ db, userId: teacher, bank: { id: 'secret', title: 'Unpublished', items: [factItem('s0', 'b')] }, now: NOW });
  const cls = await createClass({ db, userId: teacher, name: 'CS231n', now: NOW });
  return { db, student, teacher, cls };
}

describe('subscriptions', () => {
  it('lists the content banks and the banks of the student’s classes, on by default, class banks first', async () => {
    const { db, student, teacher, cls } = await setUp();
    expect(await listSubscriptions({ db, userId: student })).toEqual([{ bankId: 'builtin', title: 'builtin', source: 'content', classes: [], state: 'on', items: 3, canTurnOff: true }]);
    await joinClass({ db, userId: student, joinCode: cls.joinCode, now: NOW });
    // On from the moment it is published: no row needed.
    await publishBankToClass({ db, userId: teacher, classId: cls.id, bankId: 'cnn', now: NOW });
    expect(await listSubscriptions({ db, userId: student })).toEqual([
      { bankId: 'cnn', title: 'CNN course', source: 'class', classes: [{ id: cls.id, name: 'CS231n' }], state: 'on', items: 2, canTurnOff: false },
      { bankId: 'builtin', title: 'builtin', source: 'content', classes: [], state: 'on', items: 3, canTurnOff: true },
    ]);
    expect(await allRows(each.t, 'cards')).toEqual([]);
  });

  it('pauses and turns off a content bank; pauses a class bank but refuses to turn it off; 404 for a bank the student may not study', async () => {
    const { db, student, teacher, cls } = await setUp();
    await joinClass({ db, userId: student, joinCode: cls.joinCode, now: NOW });
    await publishBankToClass({ db, userId: teacher, classId: cls.id, bankId: 'cnn', now: NOW });
    expect(await setSubscription({ db, userId: student, bankId: 'builtin', state: 'off', now: NOW })).toMatchObject({ bankId: 'builtin', state: 'off' });
    expect(await setSubscription({ db, userId: student, bankId: 'builtin', state: 'paused', now: NOW })).toMatchObject({ state: 'paused' });
    expect(await setSubscription({ db, userId: student, bankId: 'cnn', state: 'paused', now: NOW })).toMatchObject({ state: 'paused' });
    const before = await db.select().from(subscriptions);
    await expect(setSubscription({ db, userId: student, bankId: 'cnn', state: 'off', now: NOW })).rejects.toThrow(new SubscriptionRefused(SUBSCRIPTION_ERRORS.classBankOff('CNN course', ['CS231n'])));
    const notFound = setSubscription({ db, userId: student, bankId: 'secret', state: 'paused', now: NOW });
    await expect(notFound).rejects.toBeInstanceOf(SubscriptionNotFound);
    await expect(setSubscription({ db, userId: student, bankId: 'secret', state: 'paused', now: NOW })).rejects.toMatchObject({ status: 404, message: SUBSCRIPTION_ERRORS.unknownBank('secret') });
    await expect(setSubscription({ db, userId: student, bankId: 'nope', state: 'on', now: NOW })).rejects.toMatchObject({ status: 404 });
    await expect(setSubscription({ db, userId: student, bankId: 'builtin', state: 'maybe' as 'on', now: NOW })).rejects.toMatchObject({ status: 400 });
    // Nothing saved by the refusals.
    expect(await db.select().from(subscriptions)).toEqual(before);
    expect(before.map((r) => [r.bankId, r.state]).sort()).toEqual([
      ['builtin', 'paused'],
      ['cnn', 'paused'],
    ]);
  });

  it('a paused bank gives no new cards but its due reviews and learning steps still come; an off bank gives nothing', async () => {
    const { db, student } = await setUp();
    await addContentBank(db, 'other', [factItem('o0', 'c'), factItem('o1', 'c')]);
    let n = 0;
    const answer = (itemId: string, rating: 1 | 2 | 3 | 4, at: Date) =>
      submitReview({ db, userId: student, itemId, clientReviewId: `r${++n}`, seed: 1, rawAnswer: 'x', readAs: null, correct: rating > 1, misconception: null, rating, suggestedRating: rating, durationMs: 1000, hinted: false, now: at });
    await answer('builtin/b0', Rating.Again, NOW); // learning, due in 1 minute
    await answer('other/o0', Rating.Again, NOW);
    await setSubscription({ db, userId: student, bankId: 'builtin', state: 'paused', now: NOW });
    await setSubscription({ db, userId: student, bankId: 'other', state: 'off', now: NOW });
    const later = new Date(NOW.getTime() + 5 * 60_000);
    const q = await dailyQueue({ db, userId: student, now: later, explain: true });
    expect(q.entries.map((e) => [e.itemId, e.kind])).toEqual([['builtin/b0', 'learning']]);
    expect(q.held).toEqual(
      expect.arrayContaining([
        { scope: 'bank', id: 'builtin', reason: 'paused: no new cards from it; its due reviews still come', count: 2 },
        { scope: 'bank', id: 'other', reason: 'turned off: nothing from it', count: 2 },
      ]),
    );
    await setSubscription({ db, userId: student, bankId: 'other', state: 'on', now: later });
    await setSubscription({ db, userId: student, bankId: 'builtin', state: 'on', now: later });
    expect((await dailyQueue({ db, userId: student, now: later })).entries.map((e) => e.itemId)).toEqual(['builtin/b0', 'other/o0', 'builtin/b1', 'other/o1', 'builtin/b2']);
  });

  it('a class bank turned off before joining reads as on once published to the student’s class, and leaving the class makes it a bank they do not study', async () => {
    const { db, student, teacher, cls } = await setUp();
    await db.insert(subscriptions).values({ userId: student, bankId: 'cnn', state: 'off', updatedAt: NOW });
    await joinClass({ db, userId: student, joinCode: cls.joinCode, now: NOW });
    await publishBankToClass({ db, userId: teacher, classId: cls.id, bankId: 'cnn', now: NOW });
    expect((await listSubscriptions({ db, userId: student })).find((s) => s.bankId === 'cnn')?.state).toBe('on');
    expect((await dailyQueue({ db, userId: student, now: NOW })).entries.map((e) => e.itemId).slice(0, 2)).toEqual(['cnn/c0', 'cnn/c1']);
    await leaveClass({ db, userId: student, classId: cls.id });
    await expect(setSubscription({ db, userId: student, bankId: 'cnn', state: 'on', now: NOW })).rejects.toMatchObject({ status: 404 });
  });
});
