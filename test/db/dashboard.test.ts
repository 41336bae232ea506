/** The dashboard's figures on a real SQLite file, the clock injected. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dashboardFor, previousDay } from '../../app/models/dashboard.server';
import { submitReview } from '../../app/models/review.server';
import { addContentBank, addUser, factItem, openTempDb, type TempDb } from './fixture';

let t: TempDb;
beforeEach(async () => {
  t = await openTempDb();
});
afterEach(async () => {
  await t.close();
});

const DAY = 86_400_000;
const noon = (daysAgo: number, from = Date.parse('2026-11-28T12:00:00Z')) => new Date(from - daysAgo * DAY);

async function reviewOn(userId: number, itemId: string, at: Date, n: number, correct = true) {
  await submitReview({
    db: t.db,
    userId,
    itemId,
    clientReviewId: `r${n}`,
    seed: null,
    rawAnswer: 'knew',
    readAs: true,
    correct,
    misconception: null,
    rating: correct ? 3 : 1,
    suggestedRating: correct ? 3 : 1,
    durationMs: 5000,
    hinted: false,
    now: at,
  });
}

describe('streak', () => {
  // Regression: streaks longer than the 28-day chart stopped at 27 or 28.
  test('60 days with a review each day: 59 before today’s review, 60 after', async () => {
    const userId = await addUser(t.db);
    const items = await addContentBank(t.db, 'b', Array.from({ length: 61 }, (_, i) => factItem(`i${i}`, i % 2 ? 'vgg' : 'resnet')));
    for (let d = 59; d >= 1; d--) await reviewOn(userId, items[d]!, noon(d), d);
    expect((await dashboardFor({ db: t.db, userId, now: noon(0) })).streak).toBe(59);
    await reviewOn(userId, items[0]!, noon(0), 0);
    expect((await dashboardFor({ db: t.db, userId, now: noon(0) })).streak).toBe(60);
  });

  test('a missed day ends the streak; reviews before the rollover hour count for the day before', async () => {
    const userId = await addUser(t.db, { timeZone: 'UTC', rolloverHour: 4 });
    const items = await addContentBank(t.db, 'b', [factItem('a', 'vgg'), factItem('b', 'vgg'), factItem('c', 'vgg')]);
    await reviewOn(userId, items[0]!, noon(3), 1); // three days ago
    await reviewOn(userId, items[1]!, new Date(Date.parse('2026-11-28T03:30:00Z')), 2); // 03:30 today = yesterday's study day
    expect((await dashboardFor({ db: t.db, userId, now: noon(0) })).streak).toBe(1);
  });
});

describe('per day and per topic', () => {
  test('counts reviews and right answers per study day, and mastery per topic', async () => {
    const userId = await addUser(t.db);
    const items = await addContentBank(t.db, 'b', [factItem('a', 'vgg'), factItem('b', 'vgg'), factItem('c', 'resnet')]);
    await reviewOn(userId, items[0]!, noon(1), 1, true);
    await reviewOn(userId, items[1]!, noon(1), 2, false);
    await reviewOn(userId, items[2]!, noon(0), 3, true);
    const d = await dashboardFor({ db: t.db, userId, now: noon(0) });
    expect(d.perDay).toHaveLength(28);
    expect(d.perDay.at(-1)).toEqual({ day: '2026-11-28', reviews: 1, correct: 1 });
    expect(d.perDay.at(-2)).toEqual({ day: '2026-11-27', reviews: 2, correct: 1 });
    expect(d.topics).toEqual([
      { topic: 'resnet', items: 1, seen: 1, mastered: 0 },
      { topic: 'vgg', items: 2, seen: 2, mastered: 0 },
    ]);
    expect(d.doneToday).toBe(1);
  });

  test('previousDay steps over month ends and DST changes by the calendar', async () => {
    expect(previousDay('2026-03-01')).toBe('2026-02-28');
    expect(previousDay('2026-03-30')).toBe('2026-03-29');
    expect(previousDay('2027-01-01')).toBe('2026-12-31');
  });
});
