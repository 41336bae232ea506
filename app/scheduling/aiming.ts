/**
 * Variants that aim (docs/decisions/0031-aiming-variants.md). When a student's lapses on a
 * question family concentrate in some parameter regions (engine/regions: "padding: not zero"),
 * some of their next variants of that family are drawn from those regions; as they pass there
 * again, the steer fades and the mix is the ordinary one.
 *
 * Pure: the history, the card's base seed (engine/bank/item.ts reviewSeed) and a function giving
 * a seed's regions decide the seed, so the review loader and its action (which checks the seed
 * it is sent) compute the same one.
 */
import { createRng } from '../../engine/random';
import { variantSeed } from '../../engine/bank/item';
import type { Regions } from '../../engine/regions';

/** One past review of the family, newest first. */
export interface FamilyOutcome {
  regions: Regions;
  /** Graded wrong: the student did not have it (missedForAiming). */
  lapse: boolean;
}

export const AIMING = {
  /** Reviews of the family looked at, newest first: older ones no longer steer anything. */
  window: 30,
  /** A review's weight halves every this many later reviews of the family. */
  halfLife: 8,
  /**
   * Beta prior on a region's miss rate, worth this many reviews, centred on the student's miss rate
   * over the whole family: a region seen a few times stays near that rate, and a student who misses
   * everywhere alike is aimed nowhere.
   */
  priorStrength: 4,
  /** A region is aimed at only with at least this many lapses in the window … */
  minLapses: 2,
  /** … and a smoothed miss rate at least this far above the rest of its feature's. */
  minExcess: 0.15,
  /** The excess at which the steer is at its strongest. */
  fullExcess: 0.5,
  /** At most this share of draws is steered: the rest is the ordinary draw (never predictable, never abandoning a region). */
  maxAim: 0.25,
  /** Candidate seeds a steered draw chooses among. */
  candidates: 12,
} as const;

export interface RegionEvidence {
  feature: string;
  region: string;
  /** Decayed reviews and lapses in the region. */
  reviews: number;
  lapses: number;
  /** Lapses in the region within the window, not decayed. */
  lapseCount: number;
  /** Smoothed miss rate in the region, and in the feature's other regions. */
  missRate: number;
  restRate: number;
  /** missRate − restRate when the region is aimed at, else 0. */
  weight: number;
}

const smoothed = (lapses: number, reviews: number, prior: number) => (lapses + AIMING.priorStrength * prior) / (reviews + AIMING.priorStrength);

/** Every (feature, region) seen in the window with its evidence; aimed ones have weight > 0. */
export function regionEvidence(history: readonly FamilyOutcome[]): RegionEvidence[] {
  const recent = history.slice(0, AIMING.window);
  const byFeature = new Map<string, Map<string, { reviews: number; lapses: number; lapseCount: number }>>();
  recent.forEach((outcome, age) => {
    const w = 2 ** (-age / AIMING.halfLife);
    for (const [feature, region] of Object.entries(outcome.regions)) {
      const regions = byFeature.get(feature) ?? new Map();
      byFeature.set(feature, regions);
      const tally = regions.get(region) ?? { reviews: 0, lapses: 0, lapseCount: 0 };
      regions.set(region, tally);
      tally.reviews += w;
      if (outcome.lapse) {
        tally.lapses += w;
        tally.lapseCount++;
      }
    }
  });
  const evidence: RegionEvidence[] = [];
  for (const [feature, regions] of byFeature) {
    let reviews = 0;
    let lapses = 0;
    for (const t of regions.values()) {
      reviews += t.reviews;
      lapses += t.lapses;
    }
    const prior = lapses / reviews;
    for (const [region, t] of regions) {
      const missRate = smoothed(t.lapses, t.reviews, prior);
      const restRate = smoothed(lapses - t.lapses, reviews - t.reviews, prior);
      const excess = missRate - restRate;
      const aimed = t.lapseCount >= AIMING.minLapses && excess >= AIMING.minExcess;
      evidence.push({ feature, region, reviews: t.reviews, lapses: t.lapses, lapseCount: t.lapseCount, missRate, restRate, weight: aimed ? excess : 0 });
    }
  }
  return evidence;
}

/** The share of draws steered, from the strongest aimed region: 0 … AIMING.maxAim. */
export function aimStrength(evidence: readonly RegionEvidence[]): number {
  const strongest = Math.max(0, ...evidence.map((e) => e.weight));
  return strongest === 0 ? 0 : AIMING.maxAim * Math.min(1, strongest / AIMING.fullExcess);
}

export interface AimedDraw {
  seed: number;
  /** The aimed region the chosen variant is in; null when the draw is the ordinary one. */
  aimedAt: { feature: string; region: string } | null;
}

/** Candidate `i` (1…) of a steered draw from `baseSeed`. */
export function candidateSeed(baseSeed: number, i: number): number {
  return variantSeed(`${baseSeed}|aim|${i}`);
}

/**
 * The seed a review shows. With probability aimStrength (from an RNG seeded by `baseSeed`) the
 * draw is steered: among AIMING.candidates seeds derived from `baseSeed`, one is picked with
 * probability proportional to the summed weights of the aimed regions it falls in (none in any:
 * the ordinary draw). Otherwise the seed is `baseSeed` itself, exactly as without aiming.
 * `regionsOfSeed` is called only on a steered draw.
 */
export function aimedSeed({ baseSeed, history, regionsOfSeed }: { baseSeed: number; history: readonly FamilyOutcome[]; regionsOfSeed: (seed: number) => Regions }): AimedDraw {
  const ordinary: AimedDraw = { seed: baseSeed, aimedAt: null };
  const evidence = regionEvidence(history);
  const strength = aimStrength(evidence);
  if (strength === 0) return ordinary;
  const rng = createRng(variantSeed(`${baseSeed}|aim`));
  if (rng.next() >= strength) return ordinary;
  const weights = new Map(evidence.filter((e) => e.weight > 0).map((e) => [`${e.feature}\u0000${e.region}`, e]));
  const candidates: { seed: number; weight: number; best: RegionEvidence }[] = [];
  for (let i = 1; i <= AIMING.candidates; i++) {
    const seed = candidateSeed(baseSeed, i);
    let weight = 0;
    let best: RegionEvidence | null = null;
    for (const [feature, region] of Object.entries(regionsOfSeed(seed))) {
      const e = weights.get(`${feature}\u0000${region}`);
      if (!e) continue;
      weight += e.weight;
      if (!best || e.weight > best.weight) best = e;
    }
    if (best) candidates.push({ seed, weight, best });
  }
  if (candidates.length === 0) return ordinary;
  let u = rng.next() * candidates.reduce((s, c) => s + c.weight, 0);
  const chosen = candidates.find((c) => (u -= c.weight) < 0) ?? candidates[candidates.length - 1]!;
  return chosen.seed === baseSeed ? ordinary : { seed: chosen.seed, aimedAt: { feature: chosen.best.feature, region: chosen.best.region } };
}

/**
 * A review's outcome for aiming: a wrong answer. Not the rating: it can still change (a key press
 * after the answer, sent on its own) while the next card loads, and the action must recompute the
 * seed the loader drew.
 */
export function missedForAiming(review: { correct: boolean }): boolean {
  return !review.correct;
}
