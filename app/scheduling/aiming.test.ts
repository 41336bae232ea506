import { describe, expect, it } from 'vitest';
import { itemVariant, parseStoredItem, reviewSeed } from '../../engine/bank/item';
import type { GeneratedItem } from '../../engine/bank/schema';
import { featuresOf, regionsOf, type Regions } from '../../engine/regions';
import { AIMING, aimedSeed, aimStrength, candidateSeed, missedForAiming, regionEvidence, type FamilyOutcome } from './aiming';

function itemOf(family: string): GeneratedItem {
  return parseStoredItem({ bankId: 'b', itemId: `b/${family}`, content: { id: family, kind: 'generated', topic: 'conv-arithmetic', tags: [], title: family, family, ranges: {}, difficulty: 2 } }) as GeneratedItem;
}

/** A simulated student of one item: their review `n` shows the aimed seed of that review's base seed. */
function student(item: GeneratedItem, userId: number) {
  const regionsOfSeed = (seed: number): Regions => regionsOf(itemVariant(item, seed));
  const history: FamilyOutcome[] = [];
  const baseOf = (n: number) => reviewSeed(userId, `b/${item.id}`, n, n * 86_400_000);
  let n = 0;
  return {
    history,
    regionsOfSeed,
    baseOf,
    draw: (base: number) => aimedSeed({ baseSeed: base, history, regionsOfSeed }),
    /** Reviews `count` variants; `misses(regions)` says which the student gets wrong. */
    review(count: number, misses: (r: Regions) => boolean) {
      for (let i = 0; i < count; i++) {
        const { seed } = aimedSeed({ baseSeed: baseOf(n++), history, regionsOfSeed });
        const regions = regionsOfSeed(seed);
        history.unshift({ regions, lapse: misses(regions) });
      }
    },
  };
}

/** The share of `draws` next draws in the region, aimed and unaimed (the base seeds themselves), and how many were steered. */
function shares(s: ReturnType<typeof student>, feature: string, region: string, draws = 1000) {
  let aimed = 0;
  let unaimed = 0;
  let steered = 0;
  const others = new Map<string, { aimed: number; unaimed: number }>();
  for (let j = 0; j < draws; j++) {
    const base = s.baseOf(10_000 + j);
    const d = s.draw(base);
    if (d.seed !== base) steered++;
    const a = s.regionsOfSeed(d.seed)[feature]!;
    const u = s.regionsOfSeed(base)[feature]!;
    if (a === region) aimed++;
    if (u === region) unaimed++;
    for (const [r, key] of [[a, 'aimed'], [u, 'unaimed']] as const) {
      const o = others.get(r) ?? { aimed: 0, unaimed: 0 };
      o[key]++;
      others.set(r, o);
    }
  }
  others.delete(region);
  return { aimed: aimed / draws, unaimed: unaimed / draws, steered: steered / draws, others };
}

// Binomial noise on 1,000 draws, three standard deviations at p = ½.
const NOISE = 3 * Math.sqrt(0.25 / 1000);

const CASES = [
  { family: 'conv-output-size', feature: 'padding', region: 'other' },
  { family: 'conv-params', feature: 'kernel', region: 'three' },
  { family: 'pool-output-size', feature: 'overlap', region: 'overlapping' },
  { family: 'receptive-field-stack', feature: 'kernels', region: 'three' },
];

describe('aiming variants', () => {
  it('the cases name declared regions', () => {
    for (const c of CASES) expect(featuresOf(c.family).find((f) => f.id === c.feature)?.regions.map((r) => r.id)).toContain(c.region);
  });

  it.each(CASES)('$family: a student who misses only $feature = $region gets more of it, within the cap, and the ordinary mix after recovering', ({ family, feature, region }) => {
    const s = student(itemOf(family), 7);
    const missesThere = (r: Regions) => r[feature] === region;
    s.review(30, missesThere);
    const aimedAt = regionEvidence(s.history).filter((e) => e.weight > 0);
    expect(aimedAt.map((e) => `${e.feature}=${e.region}`)).toContain(`${feature}=${region}`);
    const after = shares(s, feature, region);
    // Raised well beyond noise …
    expect(after.aimed).toBeGreaterThan(after.unaimed + 0.05);
    // … but at most AIMING.maxAim of draws are steered, so the region gains at most that share,
    expect(after.steered).toBeLessThanOrEqual(AIMING.maxAim + NOISE);
    expect(after.aimed - after.unaimed).toBeLessThanOrEqual(after.steered + 1e-9);
    // and every other region keeps at least (1 − maxAim) of its ordinary share.
    for (const [, o] of after.others) {
      expect(o.aimed).toBeGreaterThanOrEqual(o.unaimed - after.steered * 1000);
      expect(o.aimed).toBeGreaterThanOrEqual((1 - AIMING.maxAim) * o.unaimed - NOISE * 1000);
    }
    // Recovery: passes everywhere. The steer fades, and once the window holds only passes it is gone.
    const before = aimStrength(regionEvidence(s.history));
    s.review(12, () => false);
    expect(aimStrength(regionEvidence(s.history))).toBeLessThan(before);
    s.review(AIMING.window - 12, () => false);
    expect(aimStrength(regionEvidence(s.history))).toBe(0);
    const recovered = shares(s, feature, region);
    expect(recovered.steered).toBe(0);
    expect(recovered.aimed).toBe(recovered.unaimed);
  });

  it('a student who misses everywhere alike, or nowhere, gets the ordinary draw', () => {
    const item = itemOf('conv-output-size');
    for (const misses of [() => true, () => false]) {
      const s = student(item, 3);
      s.review(30, misses);
      expect(regionEvidence(s.history).every((e) => e.weight === 0)).toBe(true);
      expect(shares(s, 'padding', 'other', 200).steered).toBe(0);
    }
  });

  it('properties over many seeds: reproducible, base or a candidate, and the stated region is the chosen variant’s', () => {
    const item = itemOf('conv-output-size');
    const s = student(item, 11);
    s.review(30, (r) => r.stride === 'one');
    const candidates = (base: number) => Array.from({ length: AIMING.candidates }, (_, i) => candidateSeed(base, i + 1));
    let steered = 0;
    for (let j = 0; j < 400; j++) {
      const base = s.baseOf(500 + j);
      const d = s.draw(base);
      // The loader and the action compute it from the same inputs: the same seed.
      expect(s.draw(base)).toEqual(d);
      if (d.aimedAt === null) {
        expect(d.seed).toBe(base);
        continue;
      }
      steered++;
      expect(candidates(base)).toContain(d.seed);
      expect(s.regionsOfSeed(d.seed)[d.aimedAt.feature]).toBe(d.aimedAt.region);
      expect(regionEvidence(s.history).find((e) => e.feature === d.aimedAt!.feature && e.region === d.aimedAt!.region)!.weight).toBeGreaterThan(0);
    }
    expect(steered).toBeGreaterThan(0);
    // No history: never steered, and the regions are not even computed.
    for (let j = 0; j < 100; j++) expect(aimedSeed({ baseSeed: j, history: [], regionsOfSeed: () => { throw new Error('not called'); } })).toEqual({ seed: j, aimedAt: null });
  });

  it('the evidence: decayed counts and Beta-smoothed miss rates, by hand', () => {
    const h = (padding: string, lapse: boolean): FamilyOutcome => ({ regions: { padding }, lapse });
    // Newest first: weights 1, 2^(−1/8), 2^(−2/8).
    const history = [h('other', true), h('zero', false), h('other', true)];
    const w = [1, 2 ** (-1 / 8), 2 ** (-2 / 8)];
    const other = regionEvidence(history).find((e) => e.region === 'other')!;
    const zero = regionEvidence(history).find((e) => e.region === 'zero')!;
    const s = AIMING.priorStrength;
    const prior = (w[0]! + w[2]!) / (w[0]! + w[1]! + w[2]!);
    expect(other.reviews).toBeCloseTo(w[0]! + w[2]!, 12);
    expect(other.missRate).toBeCloseTo((w[0]! + w[2]! + s * prior) / (w[0]! + w[2]! + s), 12);
    expect(other.restRate).toBeCloseTo((s * prior) / (w[1]! + s), 12);
    expect(other.lapseCount).toBe(2);
    expect(other.weight).toBeCloseTo(other.missRate - other.restRate, 12);
    expect(zero.weight).toBe(0);
    expect(aimStrength(regionEvidence(history))).toBeCloseTo(AIMING.maxAim * Math.min(1, other.weight / AIMING.fullExcess), 12);
    // One lapse is not enough, however strong.
    expect(regionEvidence([h('other', true), h('zero', false)]).every((e) => e.weight === 0)).toBe(true);
    // Reviews beyond the window count for nothing.
    expect(regionEvidence([...Array.from({ length: AIMING.window }, () => h('zero', false)), h('other', true), h('other', true)]).every((e) => e.region === 'zero')).toBe(true);
  });

  it('a lapse is a wrong answer or a right one rated Again', () => {
    expect([missedForAiming({ correct: false }), missedForAiming({ correct: true })]).toEqual([true, false]);
  });
});
