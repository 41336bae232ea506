/** Analytics by region on both engines: stored regions, the flag for simulated students, discrimination and distribution by hand, access. */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { banks, classBanks, classes, items, memberships, reviews } from '../../db/schema';
import { itemVariant, parseStoredItem } from '../../engine/bank/item';
import { regionsOf } from '../../engine/regions';
import { bankRegionAnalytics, regionAnalyticsOf } from '../../app/models/analytics.server';
import { submitReview } from '../../app/models/review.server';
import { simulateRegionStudents } from '../support/region-students';
import { addContentBank, addUser, eachTestDb, factItem, generatedItem } from './fixture';

const each = eachTestDb();
const START = new Date('2026-09-01T09:00:00Z');

async function review(userId: number, itemId: string, seed: number | null, correct: boolean, i: number) {
  await submitReview({ db: each.t.db, userId, itemId, clientReviewId: `r${i}`, seed, rawAnswer: 'x', readAs: null, correct, misconception: null, rating: correct ? 3 : 1, suggestedRating: 3, durationMs: 1000 * (i + 1), hinted: false, now: new Date(START.getTime() + i * 60_000) });
}

describe('analytics by region', () => {
  it('flags the one region simulated students fail in after 30 reviews, and no other', async () => {
    const { db } = each.t;
    const [itemId] = await addContentBank(db, 'sim', [generatedItem('conv', 'parameters', 'conv-params')]);
    const students = [await addUser(db), await addUser(db), await addUser(db)];
    const { inRegion } = await simulateRegionStudents({ db, itemId: itemId!, students, reviews: 30, failIn: { feature: 'bias', region: 'counted' }, misconception: 'forgot-bias', start: START });
    expect(inRegion).toBeGreaterThanOrEqual(5);

    // Each review stored its variant's regions, the same as rebuilding the variant from item + seed.
    const rows = await db.select().from(reviews).orderBy(reviews.id);
    const [{ content }] = (await db.select({ content: items.content }).from(items).where(eq(items.id, itemId!))) as [{ content: string }];
    const item = parseStoredItem({ bankId: 'sim', itemId: itemId!, content });
    if (item.kind !== 'generated') throw new Error('generated item expected');
    for (const r of rows) expect(JSON.parse(r.regions!)).toEqual(regionsOf(itemVariant(item, r.variantSeed!)));

    const a = await regionAnalyticsOf({ db, bankId: 'sim' });
    const table = a.items[0]!;
    expect(table.attempts).toBe(30);
    const flagged = table.regions.filter((r) => r.flagged).map((r) => `${r.feature}/${r.region}`);
    expect(flagged).toEqual(['bias/counted']);
    const counted = table.regions.find((r) => r.region === 'counted')!;
    expect(counted).toMatchObject({ attempts: inRegion, correct: 0, accuracy: 0, verdict: 'harder', misconceptions: [{ id: 'forgot-bias', count: inRegion }] });
    expect(counted.adjustedP!).toBeLessThanOrEqual(0.05);
    expect(counted.interval!.low).toBe(0);
    // Its complement is the easier side of the same test, not a flag.
    expect(table.regions.find((r) => r.region === 'not-counted')).toMatchObject({ verdict: 'easier', flagged: false, accuracy: 1 });
    expect(a.families.map((f) => f.id)).toEqual(['conv-params']);
    expect(a.families[0]!.regions.filter((r) => r.flagged).map((r) => r.region)).toEqual(['counted']);

    // Rows written before regions were stored (null) are regrouped at read to the same figures.
    await db.update(reviews).set({ regions: null });
    expect(await regionAnalyticsOf({ db, bankId: 'sim' })).toEqual(a);
  });

  it('computes discrimination and the score distributions as by hand', async () => {
    const { db } = each.t;
    const [gen, fact] = await addContentBank(db, 'small', [generatedItem('a', 'parameters', 'fc-params'), factItem('b', 'vgg')]);
    const s = [await addUser(db), await addUser(db), await addUser(db), await addUser(db)];
    // First attempt at A: 1, 0, 1, 0; accuracy on B: 2/2, 1/2, 1/2, 0/2.
    const plan: [number, string, boolean][] = [
      [s[0]!, gen!, true], [s[0]!, fact!, true], [s[0]!, fact!, true],
      [s[1]!, gen!, false], [s[1]!, fact!, true], [s[1]!, fact!, false],
      [s[2]!, gen!, true], [s[2]!, fact!, false], [s[2]!, fact!, true],
      [s[3]!, gen!, false], [s[3]!, fact!, false], [s[3]!, fact!, false],
    ];
    for (const [i, [u, itemId, correct]] of plan.entries()) await review(u, itemId, itemId === gen ? i : null, correct, i);
    const a = await regionAnalyticsOf({ db, bankId: 'small' });
    expect(a.items.map((i) => i.id)).toEqual([gen]);
    // x = (1, 0, 1, 0), y = (1, .5, .5, 0): Σdxdy = .5, Σdx² = 1, Σdy² = .5, r = .5/√.5 = 1/√2.
    expect(a.items[0]!.discrimination).toBeCloseTo(Math.SQRT1_2, 12);
    expect(a.items[0]!.discriminationStudents).toBe(4);
    expect(a.items[0]!.distribution).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    // Per student over the bank: 3/3, 1/3, 2/3, 0/3.
    expect(a.distribution).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
    expect(a).toMatchObject({ students: 4, attempts: 12, accuracy: 0.5 });
    // Wilson 95% for 2 of 4 (the item): (0.1500, 0.8500).
    expect(a.items[0]!.interval!.low).toBeCloseTo(0.15, 4);
    expect(a.items[0]!.interval!.high).toBeCloseTo(0.85, 4);
  });

  it('keeps to own banks and taught classes, and scopes a class to its members', async () => {
    const { db } = each.t;
    const instructor = await addUser(db, { role: 'instructor' });
    const other = await addUser(db, { role: 'instructor' });
    const member = await addUser(db);
    const outsider = await addUser(db);
    const [itemId] = await addContentBank(db, 'mine', [generatedItem('g', 'parameters', 'conv-params')]);
    await db.update(banks).set({ ownerId: instructor }).where(eq(banks.id, 'mine'));
    const [cls] = await db.insert(classes).values({ name: 'CNNs', instructorId: instructor, joinCode: 'CNNS01', createdAt: START }).returning();
    await db.insert(memberships).values({ classId: cls!.id, userId: member, joinedAt: START });
    await review(member, itemId!, 1, true, 0);
    await review(outsider, itemId!, 2, false, 1);

    expect((await bankRegionAnalytics({ db, userId: instructor, bankId: 'mine' })).attempts).toBe(2);
    // Someone else's bank: 403, as the rest of the analytics (assertOwnBank).
    await expect(bankRegionAnalytics({ db, userId: other, bankId: 'mine' })).rejects.toMatchObject({ status: 403 });
    // Not yet published to the class: 404; published: the member's review only.
    await expect(bankRegionAnalytics({ db, userId: instructor, bankId: 'mine', classId: cls!.id })).rejects.toMatchObject({ status: 404 });
    await db.insert(classBanks).values({ classId: cls!.id, bankId: 'mine', publishedAt: START });
    const scoped = await bankRegionAnalytics({ db, userId: instructor, bankId: 'mine', classId: cls!.id });
    expect(scoped).toMatchObject({ attempts: 1, students: 1, scope: { classId: cls!.id, className: 'CNNs' } });
    await expect(bankRegionAnalytics({ db, userId: other, bankId: 'mine', classId: cls!.id })).rejects.toMatchObject({ status: 403 });
    await expect(regionAnalyticsOf({ db, bankId: 'nope' })).rejects.toThrow("no bank 'nope'");
    await expect(regionAnalyticsOf({ db, bankId: 'mine', classId: 999 })).rejects.toThrow('no class 999');
  });
});
