/**
 * How an author's questions perform, from the reviews table: per item attempts, accuracy, median
 * time, lapses and the commonest misconceptions, and the items too hard to keep as they are.
 * Only the instructor's own banks (every student's reviews) and the classes they teach (their
 * members' reviews of the banks published to the class) are ever read.
 */
import { and, asc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { banks, classBanks, classes, items, memberships, reviews } from '../../db/schema';
import { isLapse, median, summariseByRegion, topMisconceptions, type RegionAnalytics, type RegionFact, type ReviewFact } from '../analytics/by-region';

export { isLapse, median, type ReviewFact };
import { itemRegions, parseRegionsColumn, type Regions } from '../analytics/regions';

/** What the `analytics` command prints with the figures (the CLI reaches app/ only through its models). */
export { HISTOGRAM_BINS } from '../analytics/stats';
export { VERDICT_TEXT, type RegionTable } from '../analytics/by-region';
import { jsonInteger } from '../../db/sql';
import { assertOwnBank } from './bank.server';
import { getTaughtClass } from './class.server';

/** An item is flagged too hard below this accuracy… */
export const TOO_HARD_ACCURACY = 0.5;
/** …once it has at least this many attempts (fewer say little). */
export const TOO_HARD_MIN_ATTEMPTS = 5;

export interface ItemStats {
  itemId: string;
  key: string;
  bankId: string;
  kind: string;
  topic: string;
  family: string | null;
  attempts: number;
  correct: number;
  /** correct / attempts; null without attempts. */
  accuracy: number | null;
  medianMs: number | null;
  lapses: number;
  misconceptions: { id: string; count: number }[];
  tooHard: boolean;
}

export interface Analytics {
  attempts: number;
  accuracy: number | null;
  medianMs: number | null;
  lapses: number;
  /** Distinct students with at least one review. */
  students: number;
  items: ItemStats[];
  /** The items flagged too hard, lowest accuracy first. */
  tooHard: ItemStats[];
}


/** accuracy < TOO_HARD_ACCURACY over ≥ TOO_HARD_MIN_ATTEMPTS attempts. */
export function isTooHard(attempts: number, correct: number): boolean {
  return attempts >= TOO_HARD_MIN_ATTEMPTS && correct / attempts < TOO_HARD_ACCURACY;
}

type ItemInfo = Pick<ItemStats, 'itemId' | 'key' | 'bankId' | 'kind' | 'topic' | 'family'>;

/** Pure: the statistics of `facts` over `itemList` (items without reviews get zero attempts). */
export function summariseReviews(itemList: readonly ItemInfo[], facts: readonly ReviewFact[]): Analytics {
  const byItem = new Map<string, ReviewFact[]>();
  for (const f of facts) {
    const list = byItem.get(f.itemId);
    if (list) list.push(f);
    else byItem.set(f.itemId, [f]);
  }
  const stats = itemList.map((info): ItemStats => {
    const own = byItem.get(info.itemId) ?? [];
    const correct = own.filter((f) => f.correct).length;
    const misconceptions = topMisconceptions(own);
    return {
      ...info,
      attempts: own.length,
      correct,
      accuracy: own.length ? correct / own.length : null,
      medianMs: median(own.map((f) => f.durationMs)),
      lapses: own.filter(isLapse).length,
      misconceptions,
      tooHard: isTooHard(own.length, correct),
    };
  });
  const correct = facts.filter((f) => f.correct).length;
  return {
    attempts: facts.length,
    accuracy: facts.length ? correct / facts.length : null,
    medianMs: median(facts.map((f) => f.durationMs)),
    lapses: facts.filter(isLapse).length,
    students: new Set(facts.map((f) => f.userId)).size,
    items: stats,
    tooHard: stats.filter((s) => s.tooHard).sort((a, b) => (a.accuracy ?? 0) - (b.accuracy ?? 0)),
  };
}

const itemColumns = { itemId: items.id, key: items.key, bankId: items.bankId, kind: items.kind, topic: items.topic, family: items.family };

/** The columns of a ReviewFact (a function: `reviews` names the open engine's table only once the database is open). */
function reviewFactColumns() {
  return {
    itemId: reviews.itemId,
    userId: reviews.userId,
    correct: reviews.correct,
    durationMs: reviews.durationMs,
    rating: reviews.rating,
    stateBefore: jsonInteger(reviews.stateBefore, 'state'),
    misconception: reviews.misconception,
  };
}

async function reviewFacts(db: Db, where: SQL | undefined): Promise<ReviewFact[]> {
  return db
    .select(reviewFactColumns())
    .from(reviews)
    .innerJoin(items, eq(items.id, reviews.itemId))
    .where(where);
}

/** Every student's reviews of the instructor's own bank (AccessDenied for anyone else's). */
export async function bankAnalytics({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }): Promise<Analytics> {
  await assertOwnBank({ db, userId, bankId });
  const itemList = await db.select(itemColumns).from(items).where(and(eq(items.bankId, bankId), isNull(items.retiredAt))).orderBy(asc(items.position));
  return summariseReviews(itemList, await reviewFacts(db, eq(items.bankId, bankId)));
}

/** The members' reviews of the banks published to a class the instructor teaches. */
export async function classAnalytics({ db = getDb(), userId, classId }: { db?: Db; userId: number; classId: number }): Promise<Analytics> {
  await getTaughtClass({ db, userId, classId });
  const bankIds = db.select({ bankId: classBanks.bankId }).from(classBanks).where(eq(classBanks.classId, classId));
  const memberIds = db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.classId, classId));
  const itemList = await db
    .select(itemColumns)
    .from(items)
    .where(and(inArray(items.bankId, bankIds), isNull(items.retiredAt)))
    .orderBy(asc(items.bankId), asc(items.position));
  return summariseReviews(itemList, await reviewFacts(db, and(inArray(items.bankId, bankIds), inArray(reviews.userId, memberIds))));
}

// ---------------------------------------------------------------------------------------------
// Analytics by region (issue 18; docs/decisions/0030-analytics-by-region.md)

/** Why a by-region scope cannot be read: no such bank, no such class, or the bank not published to it. */
export const REGION_SCOPE_ERRORS = {
  unknownBank: (bankId: string) => `no bank '${bankId}'`,
  unknownClass: (classId: number) => `no class ${classId}`,
  notPublished: (bankId: string, classId: number) => `bank '${bankId}' is not published to class ${classId}`,
} as const;

export class RegionScopeError extends Error {
  override name = 'RegionScopeError';
}

export interface RegionScope {
  bankId: string;
  bankTitle: string;
  /** Null: every user's reviews of the bank. */
  classId: number | null;
  className: string | null;
}

export type BankRegionAnalytics = RegionAnalytics & { scope: RegionScope };

/**
 * The analytics by region of a bank, for all its users or the members of one class: no access
 * check (the CLI, the benchmark); the app calls `bankRegionAnalytics`. Throws RegionScopeError
 * for an unknown bank or class, or a bank not published to the class.
 */
export async function regionAnalyticsOf({ db = getDb(), bankId, classId = null }: { db?: Db; bankId: string; classId?: number | null }): Promise<BankRegionAnalytics> {
  const [bank] = await db.select({ id: banks.id, title: banks.title }).from(banks).where(eq(banks.id, bankId));
  if (!bank) throw new RegionScopeError(REGION_SCOPE_ERRORS.unknownBank(bankId));
  let className: string | null = null;
  if (classId !== null) {
    const [cls] = await db.select({ name: classes.name }).from(classes).where(eq(classes.id, classId));
    if (!cls) throw new RegionScopeError(REGION_SCOPE_ERRORS.unknownClass(classId));
    const [published] = await db.select({ bankId: classBanks.bankId }).from(classBanks).where(and(eq(classBanks.classId, classId), eq(classBanks.bankId, bankId)));
    if (!published) throw new RegionScopeError(REGION_SCOPE_ERRORS.notPublished(bankId, classId));
    className = cls.name;
  }
  const itemRows = await db
    .select({ itemId: items.id, key: items.key, family: items.family, bankId: items.bankId, content: items.content })
    .from(items)
    .where(and(eq(items.bankId, bankId), isNull(items.retiredAt)))
    .orderBy(asc(items.position));
  const memberIds = classId === null ? null : db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.classId, classId));
  const rows = await db
    .select({ ...reviewFactColumns(), regions: reviews.regions, seed: reviews.variantSeed })
    .from(reviews)
    .innerJoin(items, eq(items.id, reviews.itemId))
    .where(and(eq(items.bankId, bankId), isNull(items.retiredAt), memberIds ? inArray(reviews.userId, memberIds) : undefined))
    .orderBy(asc(reviews.reviewedAt), asc(reviews.id));
  const byId = new Map(itemRows.map((i) => [i.itemId, i]));
  // Rows written before regions were stored (null) are regrouped at read from item + seed, once per pair.
  const rebuilt = new Map<string, Regions | null>();
  const facts = rows.map(({ regions, seed, ...f }): RegionFact => {
    let r = parseRegionsColumn(regions);
    const item = byId.get(f.itemId);
    if (r === null && seed !== null && item?.family) {
      const k = `${f.itemId}\u0000${seed}`;
      if (!rebuilt.has(k)) rebuilt.set(k, itemRegions({ bankId: item.bankId, id: item.itemId, content: item.content }, seed));
      r = rebuilt.get(k)!;
    }
    return { ...f, regions: r };
  });
  return { scope: { bankId, bankTitle: bank.title, classId, className }, ...summariseByRegion(itemRows, facts) };
}

/**
 * The same for an instructor: their own bank (all users), or a class they teach with the bank
 * published to it (its members). 403 for a bank or class of someone else (as the rest of the analytics), 404 for a bank not published to the class.
 */
export async function bankRegionAnalytics({ db = getDb(), userId, bankId, classId = null }: { db?: Db; userId: number; bankId: string; classId?: number | null }): Promise<BankRegionAnalytics> {
  if (classId === null) await assertOwnBank({ db, userId, bankId });
  else {
    const cls = await getTaughtClass({ db, userId, classId });
    if (!cls.banks.some((b) => b.id === bankId)) throw new Response('Not Found', { status: 404 });
  }
  return regionAnalyticsOf({ db, bankId, classId });
}
