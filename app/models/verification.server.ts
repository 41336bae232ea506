/**
 * Verified on N: how many distinct variants (seeds) of each generated item the engine and tfjs
 * have checked, and every disagreement seen, with the seed that reproduces it (variant_checks).
 * Checks come from the author's preview, `stride bank check --record` and the students' engine
 * panels. The engine's verdict is always computed here from the seed; tfjs's is as reported.
 */
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { items, reviews, variantChecks, type VariantCheckSource } from '../../db/schema';
import { checkVariantSeed } from '../../engine/bank/gate';
import { parseStoredItem, StoredItemError } from '../../engine/bank/item';
import type { BankItem, GeneratedItem, NetworkItem } from '../../engine/bank/schema';
import { getItemForUser, itemIdOf } from './bank.server';

/** A reported detail is kept to this many characters. */
const MAX_DETAIL = 500;
/** Disagreements listed per item, newest first (the counts cover all). */
export const DISAGREEMENTS_SHOWN = 10;

export const VERIFICATION_ERRORS = {
  notGenerated: (itemId: string) => `item ${itemId} is not a generated question: it has no variants to check`,
  notShown: (itemId: string, seed: number) => `you have not answered variant ${seed} of item ${itemId}`,
} as const;

export interface VariantCheck {
  seed: number;
  engineOk: boolean;
  /** null: tfjs was not run. */
  tfjsOk: boolean | null;
  detail: string | null;
}

const clip = (detail: string | null) => (detail === null || detail.trim() === '' ? null : detail.slice(0, MAX_DETAIL));

/** The engine's verdict on one seed (the publishing gate's check), as a check row's fields. */
export function engineCheckOf(item: GeneratedItem, seed: number): { engineOk: boolean; detail: string | null } {
  const check = checkVariantSeed(item, seed);
  return { engineOk: check.ok, detail: check.ok ? null : check.problems.join('; ') };
}

/**
 * Stores checks of the items of a bank as parsed (preview, bank check): only for items the
 * database holds with this very content (a draft or a file that differs checks other questions,
 * and a bank not in the database has no item ids). A check already stored with the same verdict
 * for the same item, seed, source and user is not stored again. Returns the rows written.
 */
export async function recordBankChecks({
  db = getDb(),
  bankId,
  checked,
  source,
  userId = null,
  now,
}: {
  db?: Db;
  bankId: string;
  checked: { item: GeneratedItem | NetworkItem; checks: VariantCheck[] }[];
  source: VariantCheckSource;
  userId?: number | null;
  now: Date;
}): Promise<number> {
  const byId = new Map(checked.filter((c) => c.checks.length > 0).map((c) => [itemIdOf(bankId, c.item.id), c]));
  if (byId.size === 0) return 0;
  const stored = await db
    .select({ id: items.id, content: items.content })
    .from(items)
    .where(and(inArray(items.id, [...byId.keys()]), isNull(items.retiredAt)));
  const rows: (VariantCheck & { itemId: string })[] = [];
  for (const { id, content } of stored) {
    const c = byId.get(id)!;
    if (!sameItem(bankId, id, content, c.item)) continue;
    for (const check of c.checks) rows.push({ itemId: id, ...check, detail: clip(check.detail) });
  }
  return insertNew(db, rows, source, userId, now);
}

function sameItem(bankId: string, itemId: string, content: string, item: GeneratedItem | NetworkItem): boolean {
  try {
    return JSON.stringify(parseStoredItem({ bankId, itemId, content })) === JSON.stringify(parseStoredItem({ bankId, itemId, content: item }));
  } catch {
    return false;
  }
}

/** Inserts the rows not already stored with the same verdict (one query to look, one to write). */
async function insertNew(db: Db, rows: (VariantCheck & { itemId: string })[], source: VariantCheckSource, userId: number | null, now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const have = await db
    .select({ itemId: variantChecks.itemId, seed: variantChecks.seed, engineOk: variantChecks.engineOk, tfjsOk: variantChecks.tfjsOk })
    .from(variantChecks)
    .where(
      and(
        inArray(variantChecks.itemId, [...new Set(rows.map((r) => r.itemId))]),
        inArray(variantChecks.seed, [...new Set(rows.map((r) => r.seed))]),
        eq(variantChecks.source, source),
        userId === null ? isNull(variantChecks.userId) : eq(variantChecks.userId, userId),
      ),
    );
  const key = (r: { itemId: string; seed: number; engineOk: boolean; tfjsOk: boolean | null }) => `${r.itemId}|${r.seed}|${r.engineOk}|${r.tfjsOk}`;
  const seen = new Set(have.map(key));
  const fresh = rows.filter((r) => {
    const k = key(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (fresh.length === 0) return 0;
  await db.insert(variantChecks).values(fresh.map((r) => ({ itemId: r.itemId, seed: r.seed, source, engineOk: r.engineOk, tfjsOk: r.tfjsOk, detail: r.detail, userId, checkedAt: now })));
  return fresh.length;
}

export type ReviewCheckResult = { ok: true; recorded: boolean; engineOk: boolean } | { ok: false; status: 403 | 404 | 400; message: string };

/**
 * A student's engine panel reporting its tfjs check of a variant they answered: the item must be
 * one they may see (404), a generated one (400), and the seed one of their reviews of it (403:
 * no one files disagreements about questions they were never shown). The engine is checked here
 * again from the seed; one row per user, item and seed.
 */
export async function recordReviewCheck({
  db = getDb(),
  userId,
  itemId,
  seed,
  tfjsOk,
  detail,
  now,
}: {
  db?: Db;
  userId: number;
  itemId: string;
  seed: number;
  tfjsOk: boolean;
  detail: string | null;
  now: Date;
}): Promise<ReviewCheckResult> {
  const row = await getItemForUser({ db, userId, itemId });
  if (!row) return { ok: false, status: 404, message: 'Not Found' };
  let item: BankItem;
  try {
    item = parseStoredItem({ bankId: row.bankId, itemId: row.id, content: row.content });
  } catch (err) {
    // An item that no longer parses has no variant to check: refused with the reason, never a bare 500.
    if (err instanceof StoredItemError) return { ok: false, status: 404, message: err.message };
    throw err;
  }
  if (item.kind !== 'generated') return { ok: false, status: 400, message: VERIFICATION_ERRORS.notGenerated(itemId) };
  const [shown] = await db
    .select({ id: reviews.id })
    .from(reviews)
    .where(and(eq(reviews.userId, userId), eq(reviews.itemId, itemId), eq(reviews.variantSeed, seed)))
    .limit(1);
  if (!shown) return { ok: false, status: 403, message: VERIFICATION_ERRORS.notShown(itemId, seed) };
  const engine = engineCheckOf(item, seed);
  const [already] = await db
    .select({ id: variantChecks.id })
    .from(variantChecks)
    .where(and(eq(variantChecks.itemId, itemId), eq(variantChecks.seed, seed), eq(variantChecks.source, 'review'), eq(variantChecks.userId, userId)))
    .limit(1);
  if (already) return { ok: true, recorded: false, engineOk: engine.engineOk };
  const reported = tfjsOk ? null : clip(detail);
  const words = [engine.detail, reported === null ? null : `tfjs: ${reported}`].filter((d) => d !== null).join('; ');
  await db.insert(variantChecks).values({ itemId, seed, source: 'review', engineOk: engine.engineOk, tfjsOk, detail: clip(words), userId, checkedAt: now });
  return { ok: true, recorded: true, engineOk: engine.engineOk };
}

export interface Disagreement {
  seed: number;
  source: VariantCheckSource;
  /** Which check disagreed: the engine with the item's answer, or tfjs with the engine. */
  engineOk: boolean;
  tfjsOk: boolean | null;
  detail: string | null;
  at: Date;
}

export interface Verification {
  /** Distinct seeds the engine checked (every check runs the engine). */
  engineChecked: number;
  /** Distinct seeds a tfjs model was built for. */
  tfjsChecked: number;
  /** Checks that disagreed, newest first, at most DISAGREEMENTS_SHOWN. */
  disagreements: Disagreement[];
  /** All disagreeing checks. */
  disagreementCount: number;
}

export const NOT_VERIFIED: Verification = { engineChecked: 0, tfjsChecked: 0, disagreements: [], disagreementCount: 0 };

/** Per item id: its verification (items never checked are NOT_VERIFIED). Two queries whatever the number of items. */
export async function verificationOf({ db = getDb(), itemIds }: { db?: Db; itemIds: readonly string[] }): Promise<Map<string, Verification>> {
  const out = new Map<string, Verification>(itemIds.map((id) => [id, { ...NOT_VERIFIED, disagreements: [] }]));
  if (itemIds.length === 0) return out;
  const wanted = [...new Set(itemIds)];
  const counts = await db
    .select({
      itemId: variantChecks.itemId,
      engine: sql<number>`count(distinct ${variantChecks.seed})`,
      tfjs: sql<number>`count(distinct case when ${variantChecks.tfjsOk} is not null then ${variantChecks.seed} end)`,
      disagreements: sql<number>`sum(case when (not ${variantChecks.engineOk}) or (${variantChecks.tfjsOk} is not null and not ${variantChecks.tfjsOk}) then 1 else 0 end)`,
    })
    .from(variantChecks)
    .where(inArray(variantChecks.itemId, wanted))
    .groupBy(variantChecks.itemId);
  for (const c of counts) out.set(c.itemId, { engineChecked: Number(c.engine), tfjsChecked: Number(c.tfjs), disagreements: [], disagreementCount: Number(c.disagreements) });
  if (!counts.some((c) => Number(c.disagreements) > 0)) return out;
  // Each item's newest few on its own: one noisy item must not crowd another's out of a shared limit.
  for (const c of counts.filter((c) => Number(c.disagreements) > 0)) {
    const rows = await db
      .select()
      .from(variantChecks)
      .where(and(eq(variantChecks.itemId, c.itemId), or(eq(variantChecks.engineOk, false), eq(variantChecks.tfjsOk, false))))
      .orderBy(desc(variantChecks.checkedAt), desc(variantChecks.id))
      .limit(DISAGREEMENTS_SHOWN);
    out.get(c.itemId)!.disagreements = rows.map((r) => ({ seed: r.seed, source: r.source, engineOk: r.engineOk, tfjsOk: r.tfjsOk, detail: r.detail, at: r.checkedAt }));
  }
  return out;
}

/** An item the preview ran out of time for carries this problem instead of checks (authoring.server.ts `unpreviewed`). */
const NOT_PREVIEWED = 'not previewed:';

/** The editor's preview of a saved bank page, stored as checks (source 'preview') for the items the database holds as previewed. */
export async function recordPreviewChecks({
  db = getDb(),
  bankId,
  bankItems,
  preview,
  userId,
  now,
}: {
  db?: Db;
  bankId: string;
  bankItems: readonly BankItem[];
  preview: readonly { kind: string; itemId: string; samples?: { seed: number; ok: boolean; problems: string[] }[] }[];
  userId: number;
  now: Date;
}): Promise<number> {
  const byKey = new Map(bankItems.filter((i): i is GeneratedItem => i.kind === 'generated').map((i) => [i.id, i]));
  const checked = preview.flatMap((p) => {
    const item = byKey.get(p.itemId);
    if (!item || !p.samples || p.samples.some((s) => s.problems.some((m) => m.startsWith(NOT_PREVIEWED)))) return [];
    return [{ item, checks: p.samples.map((s) => ({ seed: s.seed, engineOk: s.ok, tfjsOk: null, detail: s.ok ? null : s.problems.join('; ') })) }];
  });
  return recordBankChecks({ db, bankId, checked, source: 'preview', userId, now });
}

/** One generated item's verification as a page shows it (dates as ISO text: it crosses a thread and the wire). */
export interface VerifiedItem {
  itemId: string;
  key: string;
  title: string;
  engineChecked: number;
  tfjsChecked: number;
  disagreementCount: number;
  disagreements: (Omit<Disagreement, 'at'> & { at: string })[];
}

/** The verification of a bank page's generated items, in bank order. */
export async function verifiedItemsOf({ db = getDb(), bankId, bankItems }: { db?: Db; bankId: string; bankItems: readonly BankItem[] }): Promise<VerifiedItem[]> {
  const generated = bankItems.filter((i): i is GeneratedItem => i.kind === 'generated');
  const byId = await verificationOf({ db, itemIds: generated.map((i) => itemIdOf(bankId, i.id)) });
  return generated.map((item) => {
    const itemId = itemIdOf(bankId, item.id);
    const v = byId.get(itemId) ?? NOT_VERIFIED;
    return { itemId, key: item.id, title: item.title, engineChecked: v.engineChecked, tfjsChecked: v.tfjsChecked, disagreementCount: v.disagreementCount, disagreements: v.disagreements.map((d) => ({ ...d, at: d.at.toISOString() })) };
  });
}
