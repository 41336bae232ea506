/** `stride queue <email>` through the real command line, on a database the test fills. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Rating } from 'ts-fsrs';
import { classBanks, subscriptions } from '../db/schema';
import { setSuspended } from '../app/models/card.server';
import { saveInstructorBank } from '../app/models/bank.server';
import { createClass, joinClass, publishBankToClass } from '../app/models/class.server';
import { submitReview } from '../app/models/review.server';
import { addContentBank, addUser, factItem, openTempDb, type TempDb } from './db/fixture';
import { strideWith } from './support/cli';

const AT = '2026-03-05T12:00:00Z';
let t: TempDb;
beforeEach(async () => {
  t = await openTempDb();
});
afterEach(async () => {
  await t.close();
});

const env = () => (t.dialect === 'postgres' ? { DATABASE_URL: t.target } : { DATABASE_PATH: t.target, DATABASE_URL: undefined });
const queue = (...args: string[]) => strideWith(env(), 'queue', ...args, '--at', AT);

async function fill() {
  const { db } = t;
  const student = await addUser(db, { email: 'sam@example.test', newPerDay: 5 });
  const teacher = await addUser(db, { email: 'ines@example.test', role: 'instructor' });
  await addContentBank(db, 'builtin', Array.from({ length: 10 }, (_, i) => factItem(`b${i}`, 'alexnet')));
  await addContentBank(db, 'extra', [factItem('e0', 'vgg'), factItem('e1', 'vgg')]);
  await saveInstructorBank({ db, userId: teacher, bank: { id: 'cnn', title: 'CNN course', items: Array.from({ length: 8 }, (_, i) => factItem(`c${i}`, 'resnet')) }, now: new Date(AT) });
  const cls = await createClass({ db, userId: teacher, name: 'CS231n', now: new Date(AT) });
  await publishBankToClass({ db, userId: teacher, classId: cls.id, bankId: 'cnn', now: new Date(AT) });
  await db.update(classBanks).set({ startsOn: '2026-03-05', learnBy: '2026-03-08' });
  await joinClass({ db, userId: student, joinCode: cls.joinCode, now: new Date(AT) });
  await db.insert(subscriptions).values({ userId: student, bankId: 'extra', state: 'paused', updatedAt: new Date(AT) });
  await setSuspended({ db, userId: student, itemId: 'builtin/b0', suspended: true, now: new Date(AT) });
  return { student };
}

describe('stride queue', () => {
  it('prints today’s queue as one JSON document: entries with kind and reason, held back, class banks', async () => {
    await fill();
    const r = await queue('sam@example.test', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ email: 'sam@example.test', studyDay: '2026-03-05', nextDayStart: '2026-03-06T04:00:00.000Z', limits: { newPerDay: 5, reviewsPerDay: 200 }, done: { reviews: 0, new: 0 } });
    // ceil(8 / 4) = 2 class items first, then the content bank (the paused one gives none).
    expect(doc.entries).toEqual([
      { position: 1, itemId: 'cnn/c0', bankId: 'cnn', kind: 'new', reason: "new, class CS231n: 1 of today's 2 to stay on track for 2026-03-08" },
      { position: 2, itemId: 'cnn/c1', bankId: 'cnn', kind: 'new', reason: "new, class CS231n: 2 of today's 2 to stay on track for 2026-03-08" },
      { position: 3, itemId: 'builtin/b1', bankId: 'builtin', kind: 'new', reason: 'new, from builtin (topic alexnet), taking turns with your other banks' },
      { position: 4, itemId: 'builtin/b2', bankId: 'builtin', kind: 'new', reason: 'new, from builtin (topic alexnet), taking turns with your other banks' },
      { position: 5, itemId: 'builtin/b3', bankId: 'builtin', kind: 'new', reason: 'new, from builtin (topic alexnet), taking turns with your other banks' },
    ]);
    expect(doc.held).toEqual(
      expect.arrayContaining([
        { scope: 'bank', id: 'extra', reason: 'paused: no new cards from it; its due reviews still come', count: 2 },
        { scope: 'bank', id: 'cnn', reason: "class CS231n: today's share is 2; the rest come on later days", count: 6 },
        { scope: 'limit', id: 'newPerDay', reason: 'new-card limit reached (5 a day): these new items wait for the next days', count: 6 },
        { scope: 'limit', id: 'suspended', reason: 'suspended: out of the queue until unsuspended', count: 1 },
      ]),
    );
    expect(doc.classBanks).toEqual([
      expect.objectContaining({ className: 'CS231n', bankId: 'cnn', bankTitle: 'CNN course', startsOn: '2026-03-05', learnBy: '2026-03-08', quotaToday: 2, progress: { total: 8, introduced: 0, finishesOn: '2026-03-08', onTrack: true } }),
    ]);
  });

  it('prints a table then the held-back list in the human form', async () => {
    await fill();
    const r = await queue('sam@example.test');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#\s+item\s+bank\s+kind\s+why$/m);
    expect(r.stdout).toMatch(/^1\s+cnn\/c0\s+cnn\s+new\s+new, class CS231n: 1 of today's 2/m);
    expect(r.stdout).toContain('Held back:\n');
    expect(r.stdout).toContain('  bank extra: paused: no new cards from it; its due reviews still come (2)');
  });

  it('answers "why doesn’t my student see my item?" with --item', async () => {
    const { student } = await fill();
    const why = async (itemId: string) => JSON.parse((await queue('sam@example.test', '--json', '--item', itemId)).stdout);
    expect(await why('cnn/c1')).toMatchObject({ position: 2, kind: 'new', reason: "in today's queue at position 2 of 5: new, class CS231n: 2 of today's 2 to stay on track for 2026-03-08" });
    expect((await why('cnn/c5')).reason).toBe("class CS231n: today's share of its new items is already in the queue or done; it comes on a later study day");
    expect((await why('builtin/b7')).reason).toBe("beyond the new-card limit: position 9 of the new list, with 5 of today's 5 new cards left");
    expect((await why('builtin/b0')).reason).toBe('the card is suspended');
    expect((await why('extra/e0')).reason).toBe('its bank extra is paused: no new cards from it');
    expect((await why('nope/x')).reason).toBe('there is no item nope/x');
    await submitReview({ db: t.db, userId: student, itemId: 'builtin/b1', clientReviewId: 'r1', seed: 1, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: Rating.Easy, suggestedRating: Rating.Easy, durationMs: 1000, hinted: false, now: new Date('2026-03-05T11:00:00Z') });
    expect((await why('builtin/b1')).reason).toBe('answered today: it comes back on its next due date');
    const text = await queue('sam@example.test', '--item', 'builtin/b0');
    expect(text.stdout.trim()).toBe('builtin/b0: the card is suspended');
  });

  it('refuses an unknown email (exit 2, a message on stderr, nothing on stdout)', async () => {
    await fill();
    const r = await queue('nobody@example.test', '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('stride: no account has the email nobody@example.test\n');
    const bad = await strideWith(env(), 'queue', 'sam@example.test', '--at', 'yesterday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--at must be an ISO instant such as 2026-12-01T09:00:00Z, got 'yesterday'");
  });
});
