/**
 * A class's statistics against a history written here: four members (and an outsider, and a bank
 * not published to the class, both left out), three question families, one of them made to be
 * forgotten. Retention and calibration per item and per family are computed again below by plain
 * loops over the stored rows.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, test } from 'vitest';
import { fsrs, type Card } from 'ts-fsrs';
import { AccessDenied } from '../../app/models/access.server';
import { submitReview } from '../../app/models/review.server';
import { classStats } from '../../app/models/stats.server';
import { classBanks, classes, items, memberships, reviews } from '../../db/schema';
import { addContentBank, addUser, eachTestDb, factItem, generatedItem } from './fixture';

const each = eachTestDb();
const DAY = 86_400_000;
const NOW = new Date('2026-11-01T12:00:00Z');
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY);

let instructor = 0;
let classId = 0;
let members: number[] = [];
let outsider = 0;

beforeEach(async () => {
  const { db } = each.t;
  instructor = await addUser(db, { email: 'ines@example.test', role: 'instructor' });
  members = [await addUser(db, { desiredRetention: 0.8 }), await addUser(db), await addUser(db), await addUser(db)];
  outsider = await addUser(db);
  await addContentBank(db, 'cls', [
    ...['f1', 'f2', 'f3'].map((k) => generatedItem(k, 'conv', 'forgotten')),
    ...['k1', 'k2', 'k3'].map((k) => generatedItem(k, 'conv', 'kept')),
    ...['s1', 's2'].map((k) => generatedItem(k, 'pool', 'steady')),
    factItem('fact', 'vgg'),
  ]);
  await addContentBank(db, 'other', [generatedItem('x1', 'conv', 'forgotten')]);
  const [cls] = await db.insert(classes).values({ name: 'CNNs', instructorId: instructor, joinCode: 'CNNS01', createdAt: at(100) }).returning();
  classId = cls!.id;
  await db.insert(classBanks).values({ classId, bankId: 'cls', publishedAt: at(100) });
  for (const m of members) await db.insert(memberships).values({ classId, userId: m, joinedAt: at(100) });

  // Planned reviews, submitted in time order: [user, item, days ago, rating, misconception].
  const plan: [number, string, number, 1 | 2 | 3 | 4, string | null][] = [];
  for (const [i, m] of members.entries()) {
    for (const k of ['f1', 'f2', 'f3']) {
      plan.push([m, `cls/${k}`, 70, 4, null]);
      plan.push([m, `cls/${k}`, 45, 3, null]); // previous window: recalled
      plan.push([m, `cls/${k}`, 10 + i, 1, i % 2 ? 'stride-ignored' : 'no-padding']); // recent: forgotten
      plan.push([m, `cls/${k}`, 10 + i - 0.01, 3, null]); // relearning: not counted
    }
    for (const k of ['k1', 'k2', 'k3']) {
      plan.push([m, `cls/${k}`, 70, 4, null]);
      plan.push([m, `cls/${k}`, 20, i === 0 && k === 'k1' ? 1 : 3, null]);
    }
    for (const k of ['s1', 's2']) {
      plan.push([m, `cls/${k}`, 80, 4, null]);
      plan.push([m, `cls/${k}`, 40, 3, null]);
      plan.push([m, `cls/${k}`, 5, i === 3 ? 1 : 3, null]);
    }
    plan.push([m, 'cls/fact', 3, 3, null]);
    plan.push([m, 'other/x1', 70, 4, null]);
    plan.push([m, 'other/x1', 5, 1, null]);
  }
  plan.push([outsider, 'cls/f1', 70, 4, null], [outsider, 'cls/f1', 5, 3, null]);
  plan.sort((a, b) => b[2] - a[2]);
  let n = 0;
  for (const [userId, itemId, daysAgo, rating, misconception] of plan) {
    n++;
    await submitReview({ db, userId, itemId, clientReviewId: `r${n}`, seed: n, rawAnswer: 'x', readAs: null, correct: rating > 1, misconception, rating, suggestedRating: rating, durationMs: 500 * (n % 17) + 1000, hinted: false, now: at(daysAgo) });
  }
  // The oldest reviews carry no stored prediction: computed under the defaults.
  await db.update(reviews).set({ predictedRecall: null }).where(eq(reviews.itemId, 'cls/s1'));
});

interface Row {
  userId: number;
  itemId: string;
  family: string | null;
  at: number;
  rating: number;
  predicted: number | null;
  before: Record<string, number | null> & { state: number };
}

/** A review's prediction under ts-fsrs's defaults, from its stored before-state. */
function defaultPrediction(r: Row): number {
  const b = r.before;
  const card = { due: new Date(b.due!), stability: b.stability!, difficulty: b.difficulty!, elapsed_days: b.elapsedDays!, scheduled_days: b.scheduledDays!, learning_steps: b.learningSteps!, reps: b.reps!, lapses: b.lapses!, state: b.state, last_review: new Date(b.lastReview!) } as Card;
  return fsrs().get_retrievability(card, new Date(r.at), false);
}

async function classRows(): Promise<Row[]> {
  const rows = await each.t.db
    .select({ r: reviews, family: items.family })
    .from(reviews)
    .innerJoin(items, eq(items.id, reviews.itemId))
    .where(and(eq(items.bankId, 'cls'), inArray(reviews.userId, members)));
  return rows.map(({ r, family }) => ({ userId: r.userId, itemId: r.itemId, family, at: r.reviewedAt.getTime(), rating: r.rating, predicted: r.predictedRecall, before: JSON.parse(r.stateBefore) }));
}

const pf = (list: Row[]) => {
  const past = list.filter((r) => r.before.state === 2);
  const passed = past.filter((r) => r.rating > 1).length;
  return { passed, failed: past.length - passed, rate: past.length ? passed / past.length : null };
};

describe('class statistics', () => {
  test('per item: students, reviews, retention past learning, predicted against recalled; members of the class, its banks only', async () => {
    const rows = await classRows();
    const s = await classStats({ db: each.t.db, instructorId: instructor, classId, now: NOW });
    expect(s.className).toBe('CNNs');
    expect(s.students).toBe(4);
    expect(s.reviews).toBe(rows.length);
    expect(s.desiredRetention).toBeCloseTo((0.8 + 0.9 * 3) / 4, 12);
    expect(s.items.map((i) => i.itemId)).toEqual(['cls/f1', 'cls/f2', 'cls/f3', 'cls/k1', 'cls/k2', 'cls/k3', 'cls/s1', 'cls/s2', 'cls/fact']);
    for (const item of s.items) {
      const list = rows.filter((r) => r.itemId === item.itemId);
      expect(item.reviews).toBe(list.length);
      expect(item.students).toBe(new Set(list.map((r) => r.userId)).size);
      expect(item.retention).toEqual(pf(list));
      const predicted = list.filter((r) => r.before.state !== 0);
      if (item.itemId === 'cls/s1') expect(predicted.every((r) => r.predicted === null)).toBe(true);
      if (predicted.length === 0) {
        expect(item.predicted).toBeNull();
      } else if (item.itemId !== 'cls/s1') {
        expect(item.predicted).toBeCloseTo(predicted.reduce((a, r) => a + r.predicted!, 0) / predicted.length, 12);
      } else {
        expect(item.predicted).toBeCloseTo(predicted.reduce((a, r) => a + defaultPrediction(r), 0) / predicted.length, 12); // recomputed from the before-states
      }
      expect(item.actual).toBe(predicted.length ? predicted.filter((r) => r.rating > 1).length / predicted.length : null);
    }
    expect(s.items.find((i) => i.itemId === 'cls/f1')!.title).toBe('forgotten question');
    expect(s.items.find((i) => i.itemId === 'cls/fact')!.retention.rate).toBeNull();
  });

  test('per family: calibration bins, recent and previous retention; the forgotten family flagged and no other', async () => {
    const rows = await classRows();
    const s = await classStats({ db: each.t.db, instructorId: instructor, classId, now: NOW });
    expect(s.families.map((f) => f.family)).toEqual(['forgotten', 'kept', 'steady']);
    const t = NOW.getTime();
    for (const f of s.families) {
      const list = rows.filter((r) => r.family === f.family);
      expect(f.reviews).toBe(list.length);
      expect(f.students).toBe(4);
      expect(f.retention).toEqual(pf(list));
      expect(f.recent).toEqual(pf(list.filter((r) => r.at > t - 30 * DAY)));
      expect(f.previous).toEqual(pf(list.filter((r) => r.at <= t - 30 * DAY && r.at > t - 60 * DAY)));
      const counted = f.calibration.reduce((a, b) => a + b.count, 0);
      expect(counted).toBe(list.filter((r) => r.before.state !== 0).length);
      for (const bin of f.calibration) expect(bin.count).toBeGreaterThan(0);
    }
    const forgotten = s.families.find((f) => f.family === 'forgotten')!;
    expect(forgotten.recent).toEqual({ passed: 0, failed: 12, rate: 0 });
    expect(forgotten.previous).toEqual({ passed: 12, failed: 0, rate: 1 });
    expect(forgotten.forgetting).toContain('Recalled 0 of 12 reviews (0%) in the last 30 days: even the top of its 95% interval, 24%, is below the class\'s desired retention of 88%.');
    expect(forgotten.forgetting).toContain('against 100% in the 30 before');
    expect(forgotten.misconception).toEqual({ id: 'no-padding', count: 6 });
    expect(s.families.filter((f) => f.forgetting !== null).map((f) => f.family)).toEqual(['forgotten']);
    // The whole class's calibration counts every predicted review once.
    expect(s.calibration.reviews).toBe(rows.filter((r) => r.before.state !== 0).length);
    const passShare = rows.filter((r) => r.before.state !== 0 && r.rating > 1).length / s.calibration.reviews;
    expect(s.calibration.bins.reduce((a, b) => a + b.actual * b.count, 0) / s.calibration.reviews).toBeCloseTo(passShare, 12);
  });

  test('only the class’s instructor sees it', async () => {
    const other = await addUser(each.t.db, { email: 'olga@example.test', role: 'instructor' });
    await expect(classStats({ db: each.t.db, instructorId: other, classId, now: NOW })).rejects.toBeInstanceOf(AccessDenied);
    await expect(classStats({ db: each.t.db, instructorId: members[0]!, classId, now: NOW })).rejects.toBeInstanceOf(AccessDenied);
    await expect(classStats({ db: each.t.db, instructorId: instructor, classId: classId + 99, now: NOW })).rejects.toBeInstanceOf(AccessDenied);
  });
});
