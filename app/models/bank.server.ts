/**
 * Banks and their items. Item content is kept as JSON text: the bank format belongs to
 * engine/bank, and the database needs only id, kind, topic and family. Every save that changes
 * a bank keeps the whole previous text in bank_versions; items a new version drops are
 * retired, not deleted, so their cards and reviews stay.
 */
import { and, asc, desc, eq, isNull, notInArray, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../db/client';
import { banks, bankVersions, items, users, type BankRow, type ItemRow } from '../../db/schema';
import { lockedRows } from '../../db/sql';
import { AccessDenied, studiedBankCondition } from './access.server';

/** The fields the database reads from a bank; the rest of each item is kept as it is. */
export interface BankInput {
  id: string;
  title: string;
  items: BankItemInput[];
}

export interface BankItemInput {
  id: string;
  /** The bank format's item kind: 'basic' | 'cloze' | 'choice' | 'generated'. */
  kind: string;
  topic: string;
  family?: string | null;
  [field: string]: unknown;
}

export const BANK_ERRORS = {
  notOwner: (bankId: string) => `bank ${bankId} belongs to someone else`,
  notInstructor: 'only instructors can author banks',
  contentBank: (bankId: string) => `bank ${bankId} comes from content/ and cannot be edited here`,
  instructorBank: (bankId: string) => `bank id ${bankId} is already taken by an instructor's bank`,
  duplicateItem: (bankId: string, key: string) => `bank ${bankId} has two items with id ${key}`,
  noBank: (bankId: string) => `no bank ${bankId}`,
  staleVersion: (bankId: string, opened: number, latest: number) =>
    `bank ${bankId} changed since this page was opened (version ${opened}; version ${latest} is newer): nothing was saved; copy your edits, reload the page and apply them again`,
  publishedMeanwhile: (bankId: string) => `bank ${bankId} was published while this save was checked as a draft: nothing was saved; save again to run the publishing checks`,
} as const;

/**
 * A write refused because the bank moved on since the caller read it (another save, a publish):
 * nothing was written; the caller reloads and tries again.
 */
export class StaleBank extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleBank';
  }
}

/** The database id of a bank's item: `${bankId}/${itemKey}`. */
export function itemIdOf(bankId: string, itemKey: string): string {
  return `${bankId}/${itemKey}`;
}

/**
 * The bank row, read and locked in one statement until the transaction ends (PostgreSQL; SQLite's
 * writer already holds the lock): saves and publishes of one bank run one after the other. No
 * row, no lock: a save that then creates the bank meets a concurrent create at its primary key.
 */
export async function lockedBank(tx: Tx, bankId: string): Promise<BankRow | undefined> {
  const [row] = await lockedRows(tx, banks, eq(banks.id, bankId));
  return row;
}

/** Items written per statement: a bank of thousands of items is a few statements (9 parameters an item, well under either engine's limit). */
const ITEM_BATCH = 500;
/** An item saved again takes the new row's columns (`excluded`: the same on both engines); its id, bank and key stay. */
const ITEM_UPSERT = {
  kind: sql`excluded.kind`,
  topic: sql`excluded.topic`,
  family: sql`excluded.family`,
  content: sql`excluded.content`,
  position: sql`excluded.position`,
  retiredAt: sql`excluded.retired_at`,
};

interface SaveBank {
  db: Db;
  bank: BankInput;
  source: 'content' | 'instructor';
  ownerId: number | null;
  status: 'draft' | 'published';
  savedBy: number | null;
  now: Date;
  /** The version the text was edited from: refused (StaleBank) when the bank has a newer one. */
  baseVersion?: number;
  /** Whether the text passed the publishing gate: a bank published meanwhile refuses one that did not (StaleBank). */
  publishable?: boolean;
}

/** Refuses a save over a bank that is not the saver's to write, or that moved on since it was read. */
function refuseOverwrite(existing: BankRow, { bank, source, ownerId, baseVersion, publishable }: SaveBank): void {
  if (existing.source !== source) throw source === 'content' ? new Error(BANK_ERRORS.instructorBank(bank.id)) : new AccessDenied(BANK_ERRORS.contentBank(bank.id));
  if (source === 'instructor' && existing.ownerId !== ownerId) throw new AccessDenied(BANK_ERRORS.notOwner(bank.id));
  if (baseVersion !== undefined && existing.version !== baseVersion) throw new StaleBank(BANK_ERRORS.staleVersion(bank.id, baseVersion, existing.version));
  if (publishable === false && existing.status === 'published') throw new StaleBank(BANK_ERRORS.publishedMeanwhile(bank.id));
}

/**
 * Writes a bank and its items in one transaction, the bank row locked first, so two saves of
 * one bank never write one version number twice; an unchanged bank writes nothing.
 */
async function saveBank(save: SaveBank): Promise<BankRow> {
  const { db, bank, source, ownerId, status, savedBy, now } = save;
  const keys = new Set<string>();
  for (const it of bank.items) {
    if (keys.has(it.id)) throw new Error(BANK_ERRORS.duplicateItem(bank.id, it.id));
    keys.add(it.id);
  }
  const text = JSON.stringify(bank);
  return db.transaction(async (tx) => {
    let existing = await lockedBank(tx, bank.id);
    let row: BankRow | undefined;
    if (!existing) {
      [row] = await tx.insert(banks).values({ id: bank.id, title: bank.title, ownerId, source, status, version: 1, updatedAt: now }).onConflictDoNothing().returning();
      // A concurrent save created it first (PostgreSQL waited for its commit): this one goes on top, as a new version.
      if (!row) existing = await lockedBank(tx, bank.id);
    }
    if (existing) {
      refuseOverwrite(existing, save);
      const [latest] = await tx
        .select({ content: bankVersions.content })
        .from(bankVersions)
        .where(eq(bankVersions.bankId, bank.id))
        .orderBy(desc(bankVersions.version))
        .limit(1);
      if (latest?.content === text && existing.title === bank.title) return existing;
      [row] = await tx.update(banks).set({ title: bank.title, version: existing.version + 1, updatedAt: now }).where(eq(banks.id, bank.id)).returning();
    }
    const version = row!.version;
    await tx.insert(bankVersions).values({ bankId: bank.id, version, content: text, savedBy, savedAt: now });
    const rows = bank.items.map((it, position) => ({ id: itemIdOf(bank.id, it.id), bankId: bank.id, key: it.id, kind: it.kind, topic: it.topic, family: it.family ?? null, content: JSON.stringify(it), position, retiredAt: null }));
    for (let start = 0; start < rows.length; start += ITEM_BATCH) {
      await tx.insert(items).values(rows.slice(start, start + ITEM_BATCH)).onConflictDoUpdate({ target: items.id, set: ITEM_UPSERT });
    }
    await tx
      .update(items)
      .set({ retiredAt: now })
      .where(and(eq(items.bankId, bank.id), isNull(items.retiredAt), notInArray(items.key, [...keys])));
    return row!;
  });
}

/** Loads a bank of content/ (at start-up): published to everyone, owned by no one. */
export async function loadContentBank({ db = getDb(), bank, now }: { db?: Db; bank: BankInput; now: Date }): Promise<BankRow> {
  return saveBank({ db, bank, source: 'content', ownerId: null, status: 'published', savedBy: null, now });
}

/**
 * Saves an instructor's bank (new or their own), keeping the previous version. `baseVersion`:
 * the version the text was edited from (StaleBank when another save came first); `publishable`:
 * whether the text passed the publishing gate (StaleBank if the bank was published meanwhile).
 */
export async function saveInstructorBank({
  db = getDb(),
  userId,
  bank,
  now,
  baseVersion,
  publishable,
}: {
  db?: Db;
  userId: number;
  bank: BankInput;
  now: Date;
  baseVersion?: number;
  publishable?: boolean;
}): Promise<BankRow> {
  const [user] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  if (user?.role !== 'instructor') throw new AccessDenied(BANK_ERRORS.notInstructor);
  // A new bank starts as a draft; an existing one keeps its status (the row is checked again, locked, in saveBank).
  const [existing] = await db.select({ status: banks.status }).from(banks).where(eq(banks.id, bank.id));
  return saveBank({ db, bank, source: 'instructor', ownerId: userId, status: existing?.status ?? 'draft', savedBy: userId, now, baseVersion, publishable });
}

/**
 * Sets the owner's bank published or draft (publishing to a class is class.server's
 * publishBankToClass). With `version`, only while the bank is still at that version (the one
 * the publishing gate checked): StaleBank otherwise, and nothing changes.
 */
export async function setBankStatus({ db = getDb(), userId, bankId, status, version }: { db?: Db; userId: number; bankId: string; status: 'draft' | 'published'; version?: number }): Promise<BankRow> {
  return db.transaction(async (tx) => {
    const bank = ownBankRow(await lockedBank(tx, bankId), userId, bankId);
    if (version !== undefined && bank.version !== version) throw new StaleBank(BANK_ERRORS.staleVersion(bankId, version, bank.version));
    const [row] = await tx.update(banks).set({ status }).where(eq(banks.id, bank.id)).returning();
    return row!;
  });
}

/** The bank row when the user owns it: 404 for no such bank, AccessDenied for another's (no versions read). */
export async function assertOwnBank({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }): Promise<BankRow> {
  return ownBank(db, userId, bankId);
}

async function ownBank(db: Db, userId: number, bankId: string): Promise<BankRow> {
  const [bank] = await db.select().from(banks).where(eq(banks.id, bankId));
  return ownBankRow(bank, userId, bankId);
}

function ownBankRow(bank: BankRow | undefined, userId: number, bankId: string): BankRow {
  if (!bank) throw new Response('Not Found', { status: 404 });
  if (bank.ownerId !== userId) throw new AccessDenied(BANK_ERRORS.notOwner(bankId));
  return bank;
}

/** Banks the user studies, then those they own. */
export async function listBanksForUser({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<{ studied: BankRow[]; owned: BankRow[] }> {
  const studied = await db.select().from(banks).where(studiedBankCondition(db, userId)).orderBy(asc(banks.title));
  const owned = await db.select().from(banks).where(eq(banks.ownerId, userId)).orderBy(asc(banks.title));
  return { studied, owned };
}

/** The owner's bank and its versions newest first, without their contents (what the editor lists). */
export async function getOwnBankVersions({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }) {
  const bank = await ownBank(db, userId, bankId);
  const versions = await db
    .select({ version: bankVersions.version, savedAt: bankVersions.savedAt, savedBy: bankVersions.savedBy })
    .from(bankVersions)
    .where(eq(bankVersions.bankId, bankId))
    .orderBy(desc(bankVersions.version));
  return { bank, versions };
}

/** One version's stored content, or null. */
export async function bankVersionContent({ db = getDb(), bankId, version }: { db?: Db; bankId: string; version: number }): Promise<string | null> {
  const [row] = await db.select({ content: bankVersions.content }).from(bankVersions).where(and(eq(bankVersions.bankId, bankId), eq(bankVersions.version, version)));
  return row?.content ?? null;
}

/** An item the user studies (or owns), or null. */
export async function getItemForUser({ db = getDb(), userId, itemId }: { db?: Db; userId: number; itemId: string }): Promise<ItemRow | null> {
  const [row] = await db
    .select({ item: items, ownerId: banks.ownerId })
    .from(items)
    .innerJoin(banks, eq(banks.id, items.bankId))
    .where(eq(items.id, itemId));
  if (!row) return null;
  if (row.ownerId === userId) return row.item;
  const [studied] = await db
    .select({ id: banks.id })
    .from(banks)
    .where(and(eq(banks.id, row.item.bankId), studiedBankCondition(db, userId)));
  return studied ? row.item : null;
}

/** The live items of a bank the user can see, in bank order. */
export async function listBankItems({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }): Promise<ItemRow[]> {
  const [visible] = await db.select({ id: banks.id, ownerId: banks.ownerId }).from(banks).where(eq(banks.id, bankId));
  if (!visible) throw new Response('Not Found', { status: 404 });
  if (visible.ownerId !== userId) {
    const [studied] = await db.select({ id: banks.id }).from(banks).where(and(eq(banks.id, bankId), studiedBankCondition(db, userId)));
    if (!studied) throw new AccessDenied(`bank ${bankId} is not one of yours`);
  }
  return db
    .select()
    .from(items)
    .where(and(eq(items.bankId, bankId), isNull(items.retiredAt)))
    .orderBy(asc(items.position));
}
