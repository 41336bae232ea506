/** Variants that aim, with the database (app/models/aiming.server.ts): a simulated student's reviews through submitReview, the history read back, loader and action agreeing. */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { AIM_TEXT, aimedReviewSeed, familyHistory } from '../../app/models/aiming.server';
import { getCard } from '../../app/models/card.server';
import { submitReview } from '../../app/models/review.server';
import { AIMING, aimedSeed, aimStrength, regionEvidence } from '../../app/scheduling/aiming';
import { reviews } from '../../db/schema';
import { itemVariant, parseStoredItem, reviewSeed } from '../../engine/bank/item';
import type { GeneratedItem } from '../../engine/bank/schema';
import { regionLabel, regionsOf, type Regions } from '../../engine/regions';
import { addContentBank, addUser, eachTestDb, factItem, generatedItem, type TempDb } from './fixture';

const each = eachTestDb();
const DAY = 86_400_000;
const START = new Date('2026-11-01T09:00:00Z');
const FAMILY = 'conv-output-size';

async function setUp(t: TempDb) {
  const userId = await addUser(t.db);
  const ids = await addContentBank(t.db, 'aim', [generatedItem('a', 'conv-arithmetic', FAMILY), generatedItem('b', 'conv-arithmetic', FAMILY), generatedItem('p', 'parameters', 'conv-params'), factItem('f', 'conv-arithmetic')]);
  const gen = (i: number) => parseStoredItem({ bankId: 'aim', itemId: ids[i]!, content: { ...generatedItem(['a', 'b', 'p'][i]!, i === 2 ? 'parameters' : 'conv-arithmetic', i === 2 ? 'conv-params' : FAMILY) } }) as GeneratedItem;
  return { userId, ids, items: [gen(0), gen(1), gen(2)] };
}

let n = 0;
/** One review as the route makes it: the aimed seed (computed twice, as loader and action do), graded by the student's rule. */
async function reviewOnce(t: TempDb, userId: number, itemId: string, item: GeneratedItem, misses: (r: Regions) => boolean, now: Date) {
  const card = await getCard({ db: t.db, userId, itemId });
  const shown = await aimedReviewSeed({ db: t.db, userId, itemId, item, card });
  const checked = await aimedReviewSeed({ db: t.db, userId, itemId, item, card: await getCard({ db: t.db, userId, itemId }) });
  expect(checked).toEqual(shown);
  const regions = regionsOf(itemVariant(item, shown.seed));
  const correct = !misses(regions);
  await submitReview({ db: t.db, userId, itemId, clientReviewId: `r${++n}`, seed: shown.seed, rawAnswer: '1', readAs: null, correct, misconception: null, rating: correct ? 3 : 1, suggestedRating: correct ? 3 : 1, durationMs: 4000, hinted: false, now });
  return { ...shown, regions, correct };
}

describe('aiming with the database', () => {
  it('a student who misses only other padding: history read back, aimed draws within the cap, the reason, loader and action agree', async () => {
    const t = each.t;
    const { userId, ids, items } = await setUp(t);
    const missesOther = (r: Regions) => r.padding === 'other';
    const shown: Awaited<ReturnType<typeof reviewOnce>>[] = [];
    for (let i = 0; i < 30; i++) shown.unshift(await reviewOnce(t, userId, ids[i % 2]!, items[i % 2]!, missesOther, new Date(START.getTime() + i * DAY)));
    // Reviews of another family and of facts are not this family's history.
    await submitReview({ db: t.db, userId, itemId: ids[3]!, clientReviewId: 'fact', seed: null, rawAnswer: 'forgot', readAs: null, correct: false, misconception: null, rating: 1, suggestedRating: 1, durationMs: 2000, hinted: false, now: new Date(START.getTime() + 40 * DAY) });
    await submitReview({ db: t.db, userId, itemId: ids[2]!, clientReviewId: 'other-family', seed: 5, rawAnswer: '1', readAs: null, correct: false, misconception: null, rating: 1, suggestedRating: 1, durationMs: 2000, hinted: false, now: new Date(START.getTime() + 41 * DAY) });

    const history = await familyHistory({ db: t.db, userId, family: FAMILY });
    expect(history).toEqual(shown.map((s) => ({ regions: s.regions, lapse: !s.correct })));
    expect(history.some((h) => h.lapse)).toBe(true);
    // Rows written before regions were stored are regrouped from item + seed: the same history.
    await t.db.update(reviews).set({ regions: null }).where(eq(reviews.userId, userId));
    expect(await familyHistory({ db: t.db, userId, family: FAMILY })).toEqual(history);

    expect(regionEvidence(history).find((e) => e.feature === 'padding' && e.region === 'other')!.weight).toBeGreaterThan(0);
    expect(aimStrength(regionEvidence(history))).toBeGreaterThan(0);
    // The model's seed is the pure rule's on the stored history, for cards at any point.
    const item = items[0]!;
    const regionsOfSeed = (seed: number) => regionsOf(itemVariant(item, seed));
    let reasons = 0;
    for (let j = 0; j < 40; j++) {
      const card = { reps: 100 + j, lastReview: new Date(START.getTime() + (60 + j) * DAY) };
      const got = await aimedReviewSeed({ db: t.db, userId, itemId: ids[0]!, item, card });
      const draw = aimedSeed({ baseSeed: reviewSeed(userId, ids[0]!, card.reps, card.lastReview.getTime()), history, regionsOfSeed });
      expect(got.seed).toBe(draw.seed);
      expect(got.reason).toBe(draw.aimedAt ? AIM_TEXT.reason(regionLabel(FAMILY, draw.aimedAt.feature, draw.aimedAt.region).region) : null);
      if (got.reason) reasons++;
    }
    expect(reasons).toBeGreaterThan(0);
    // The next 1,000 draws: more other padding than the ordinary draw, at most maxAim of them steered.
    let aimed = 0;
    let ordinary = 0;
    let steered = 0;
    for (let j = 0; j < 1000; j++) {
      const base = reviewSeed(userId, ids[0]!, 1000 + j, START.getTime() + j * DAY);
      const d = aimedSeed({ baseSeed: base, history, regionsOfSeed });
      if (d.seed !== base) steered++;
      if (regionsOfSeed(d.seed).padding === 'other') aimed++;
      if (regionsOfSeed(base).padding === 'other') ordinary++;
    }
    expect(aimed).toBeGreaterThan(ordinary);
    expect(aimed - ordinary).toBeLessThanOrEqual(steered);
    expect(steered / 1000).toBeLessThanOrEqual(AIMING.maxAim + 3 * Math.sqrt(0.25 / 1000));
  }, 120_000);

  it('recovery: after a window of passes the draw is the ordinary one again, with no reason shown', async () => {
    const t = each.t;
    const { userId, ids, items } = await setUp(t);
    let day = 0;
    for (let i = 0; i < 30; i++) await reviewOnce(t, userId, ids[i % 2]!, items[i % 2]!, (r) => r.padding === 'other', new Date(START.getTime() + day++ * DAY));
    for (let i = 0; i < AIMING.window; i++) await reviewOnce(t, userId, ids[i % 2]!, items[i % 2]!, () => false, new Date(START.getTime() + day++ * DAY));
    const history = await familyHistory({ db: t.db, userId, family: FAMILY });
    expect(history.every((h) => !h.lapse)).toBe(true);
    for (let j = 0; j < 30; j++) {
      const card = { reps: 500 + j, lastReview: new Date(START.getTime() + (200 + j) * DAY) };
      expect(await aimedReviewSeed({ db: t.db, userId, itemId: ids[0]!, item: items[0]!, card })).toEqual({ seed: reviewSeed(userId, ids[0]!, card.reps, card.lastReview.getTime()), reason: null });
    }
  }, 120_000);

  it('a new card, and another user’s lapses, leave the ordinary draw', async () => {
    const t = each.t;
    const { userId, ids, items } = await setUp(t);
    const other = await addUser(t.db);
    for (let i = 0; i < 30; i++) await reviewOnce(t, other, ids[0]!, items[0]!, () => true, new Date(START.getTime() + i * DAY));
    expect(await aimedReviewSeed({ db: t.db, userId, itemId: ids[0]!, item: items[0]!, card: null })).toEqual({ seed: reviewSeed(userId, ids[0]!, 0, null), reason: null });
    expect(await familyHistory({ db: t.db, userId, family: FAMILY })).toEqual([]);
  });
});
