/**
 * Variants that aim, the data side (docs/decisions/0031-aiming-variants.md): a student's recent
 * reviews of a question family, read in one query, and the seed their next review of an item
 * shows. The review loader (which shows the seed) and its action (which checks the seed it is
 * sent) both call `aimedReviewSeed`, so they agree.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { items, reviews } from '../../db/schema';
import { itemVariant, reviewSeed } from '../../engine/bank/item';
import type { GeneratedItem } from '../../engine/bank/schema';
import { regionLabel, regionsOf, type Regions } from '../../engine/regions';
import { itemRegions, parseRegionsColumn } from '../analytics/regions';
import { AIMING, aimedSeed, missedForAiming, type FamilyOutcome } from '../scheduling/aiming';

export const AIM_TEXT = {
  /** `region` is engine/regions' label ("other padding", "stride > 1, needs the floor"). */
  reason: (region: string) => `You often miss questions with ${region}: practising that.`,
} as const;

/**
 * The user's last AIMING.window reviews of the family, newest first, with their regions (a row
 * written before regions were stored is regrouped from its item and seed; the item's content is
 * read only for those rows). Walks the user's reviews by reviews_user_reviewed_at_idx.
 */
export async function familyHistory({ db = getDb(), userId, family }: { db?: Db; userId: number; family: string }): Promise<FamilyOutcome[]> {
  const rows = await db
    .select({
      regions: reviews.regions,
      seed: reviews.variantSeed,
      correct: reviews.correct,
      itemId: items.id,
      bankId: items.bankId,
      content: sql<string | null>`case when ${reviews.regions} is null then ${items.content} end`,
    })
    .from(reviews)
    .innerJoin(items, eq(items.id, reviews.itemId))
    .where(and(eq(reviews.userId, userId), eq(items.family, family)))
    .orderBy(desc(reviews.reviewedAt), desc(reviews.id))
    .limit(AIMING.window);
  const history: FamilyOutcome[] = [];
  for (const r of rows) {
    const regions = parseRegionsColumn(r.regions) ?? (r.content === null ? null : itemRegions({ bankId: r.bankId, id: r.itemId, content: r.content }, r.seed));
    if (regions) history.push({ regions, lapse: missedForAiming(r) });
  }
  return history;
}

/** A candidate's regions; none when they cannot be computed (aiming never stops a review: that candidate is skipped). */
function candidateRegions(item: GeneratedItem, seed: number): Regions {
  try {
    return regionsOf(itemVariant(item, seed));
  } catch {
    return {};
  }
}

export interface AimedReviewSeed {
  seed: number;
  /** Why this variant was chosen, for the card; null when aiming did not change the draw. */
  reason: string | null;
}

/** The seed of the user's next review of a generated item (its card after `reps` reviews, the last at `lastReview`). */
export async function aimedReviewSeed({
  db = getDb(),
  userId,
  itemId,
  item,
  card,
}: {
  db?: Db;
  userId: number;
  itemId: string;
  item: GeneratedItem;
  card: { reps: number; lastReview: Date | null } | null | undefined;
}): Promise<AimedReviewSeed> {
  const baseSeed = reviewSeed(userId, itemId, card?.reps ?? 0, card?.lastReview?.getTime() ?? null);
  const history = await familyHistory({ db, userId, family: item.family });
  const draw = aimedSeed({ baseSeed, history, regionsOfSeed: (seed) => candidateRegions(item, seed) });
  return { seed: draw.seed, reason: draw.aimedAt ? AIM_TEXT.reason(regionLabel(item.family, draw.aimedAt.feature, draw.aimedAt.region).region) : null };
}
