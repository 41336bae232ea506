/**
 * Simulated students who fail only in one region of a family: each review draws the next seed,
 * rebuilds the variant's regions, and answers wrong (Again, with a misconception) exactly when
 * the variant lies in the failing region. Reviews go through the real `submitReview`.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { items } from '../../db/schema';
import { itemRegions } from '../../app/analytics/regions';
import { submitReview } from '../../app/models/review.server';

export interface RegionStudents {
  db: Db;
  itemId: string;
  students: readonly number[];
  /** Reviews in all, dealt to the students in turn. */
  reviews: number;
  /** The one region they fail in. */
  failIn: { feature: string; region: string };
  /** The misconception a failed answer records. */
  misconception: string;
  start: Date;
  /** First seed (seeds run on from it). */
  seed?: number;
}

/** Writes the reviews; returns how many fell in the failing region. */
export async function simulateRegionStudents(o: RegionStudents): Promise<{ written: number; inRegion: number }> {
  const [item] = await o.db.select({ bankId: items.bankId, id: items.id, content: items.content }).from(items).where(eq(items.id, o.itemId));
  if (!item) throw new Error(`no item ${o.itemId}`);
  let inRegion = 0;
  for (let i = 0; i < o.reviews; i++) {
    const seed = (o.seed ?? 1) + i;
    const regions = itemRegions(item, seed);
    if (!regions) throw new Error(`${o.itemId} is not a generated item`);
    const fails = regions[o.failIn.feature] === o.failIn.region;
    if (fails) inRegion++;
    await submitReview({
      db: o.db,
      userId: o.students[i % o.students.length]!,
      itemId: o.itemId,
      clientReviewId: `sim-${o.itemId}-${i}`,
      seed,
      rawAnswer: fails ? '1' : 'right',
      readAs: null,
      correct: !fails,
      misconception: fails ? o.misconception : null,
      rating: fails ? 1 : 3,
      suggestedRating: fails ? 1 : 3,
      durationMs: fails ? 40_000 : 20_000,
      hinted: false,
      // A day apart, so cards move between states as real reviews would.
      now: new Date(o.start.getTime() + i * 86_400_000),
    });
  }
  return { written: o.reviews, inRegion };
}
