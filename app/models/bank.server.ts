/**
 * Banks and their items. Item content is kept as JSON text: the bank format belongs to
 * engine/bank, and the database needs only id, kind, topic and family. Every save that changes
 * a bank keeps the whole previous text in bank_versions; items a new version drops are
 * retired, not deleted, so their cards and reviews stay.
 */
import { and, asc, desc, eq, isNull, notInArray } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { banks, bankVersions, items, users, type BankRow, type ItemRow } from '../../db/schema';
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
  duplicateItem: (bankId: string, key: string) => `bank ${bankId} has two items with id ${key}`,
  noBank: (bankId: string) => `no bank ${bankId}`,
} as const;

/** The database id of a bank's item: `${bankId}/${itemKey}`. */
export function itemIdOf(bankId: string, itemKey: string): string {
  return `${bankId}/${itemKey}`;
}

interface SaveBank {
  db: Db;
  bank: BankInput;
  source: 'content' | 'instructor';
  ownerId: number | null;
  status: 'draft' | 'published';
  savedBy: number | null;
  now: Date;
}

/** Writes a bank and its items in one transaction; an unchanged bank writes nothing. */
function saveBank({ db, bank, source, ownerId, status, savedBy, now }: SaveBank): BankRow {
  const keys = new Set<string>();
  for (const it of bank.items) {
    if (keys.has(it.id)) throw new Error(BANK_ERRORS.duplicateItem(bank.id, it.id));
    keys.add(it.id);
  }
  const text = JSON.stringify(bank);
  return db.transaction(
    (tx) => {
      const existing = tx.select().from(banks).where(eq(banks.id, bank.id)).get();
      if (existing) {
        const latest = tx
          .select({ content: bankVersions.content })
          .from(bankVersions)
          .where(eq(bankVersions.bankId, bank.id))
          .orderBy(desc(bankVersions.version))
          .limit(1)
          .get();
        if (latest?.content === text && existing.title === bank.title) return existing;
      }
      const version = existing ? existing.version + 1 : 1;
      const row = existing
        ? tx.update(banks).set({ title: bank.title, version, updatedAt: now }).where(eq(banks.id, bank.id)).returning().get()!
        : tx.insert(banks).values({ id: bank.id, title: bank.title, ownerId, source, status, version, updatedAt: now }).returning().get();
      tx.insert(bankVersions).values({ bankId: bank.id, version, content: text, savedBy, savedAt: now }).run();
      bank.items.forEach((it, position) => {
        const columns = { kind: it.kind, topic: it.topic, family: it.family ?? null, content: JSON.stringify(it), position, retiredAt: null };
        tx.insert(items)
          .values({ id: itemIdOf(bank.id, it.id), bankId: bank.id, key: it.id, ...columns })
          .onConflictDoUpdate({ target: items.id, set: columns })
          .run();
      });
      tx.update(items)
        .set({ retiredAt: now })
        .where(and(eq(items.bankId, bank.id), isNull(items.retiredAt), notInArray(items.key, [...keys])))
        .run();
      return row;
    },
    { behavior: 'immediate' },
  );
}

/** Loads a bank of content/ (at start-up): published to everyone, owned by no one. */
export function loadContentBank({ db = getDb(), bank, now }: { db?: Db; bank: BankInput; now: Date }): BankRow {
  const existing = db.select({ source: banks.source }).from(banks).where(eq(banks.id, bank.id)).get();
  if (existing && existing.source !== 'content') throw new Error(`bank id ${bank.id} is already taken by an instructor's bank`);
  return saveBank({ db, bank, source: 'content', ownerId: null, status: 'published', savedBy: null, now });
}

/** Saves an instructor's bank (new or their own), keeping the previous version. */
export function saveInstructorBank({ db = getDb(), userId, bank, now }: { db?: Db; userId: number; bank: BankInput; now: Date }): BankRow {
  const user = db.select({ role: users.role }).from(users).where(eq(users.id, userId)).get();
  if (user?.role !== 'instructor') throw new AccessDenied(BANK_ERRORS.notInstructor);
  const existing = db.select().from(banks).where(eq(banks.id, bank.id)).get();
  if (existing?.source === 'content') throw new AccessDenied(BANK_ERRORS.contentBank(bank.id));
  if (existing && existing.ownerId !== userId) throw new AccessDenied(BANK_ERRORS.notOwner(bank.id));
  return saveBank({ db, bank, source: 'instructor', ownerId: userId, status: existing?.status ?? 'draft', savedBy: userId, now });
}

/** Marks the owner's bank published (publishing to a class is class.server's publishBankToClass). */
export function setBankStatus({ db = getDb(), userId, bankId, status }: { db?: Db; userId: number; bankId: string; status: 'draft' | 'published' }): BankRow {
  const bank = ownBank(db, userId, bankId);
  return db.update(banks).set({ status }).where(eq(banks.id, bank.id)).returning().get()!;
}

/** The bank row when the user owns it: 404 for no such bank, AccessDenied for another's (no versions read). */
export function assertOwnBank({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }): BankRow {
  return ownBank(db, userId, bankId);
}

function ownBank(db: Db, userId: number, bankId: string): BankRow {
  const bank = db.select().from(banks).where(eq(banks.id, bankId)).get();
  if (!bank) throw new Response('Not Found', { status: 404 });
  if (bank.ownerId !== userId) throw new AccessDenied(BANK_ERRORS.notOwner(bankId));
  return bank;
}

/** Banks the user studies, then those they own. */
export function listBanksForUser({ db = getDb(), userId }: { db?: Db; userId: number }): { studied: BankRow[]; owned: BankRow[] } {
  const studied = db.select().from(banks).where(studiedBankCondition(db, userId)).orderBy(asc(banks.title)).all();
  const owned = db.select().from(banks).where(eq(banks.ownerId, userId)).orderBy(asc(banks.title)).all();
  return { studied, owned };
}

/** The owner's bank and its versions newest first, without their contents (what the editor lists). */
export function getOwnBankVersions({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }) {
  const bank = ownBank(db, userId, bankId);
  const versions = db
    .select({ version: bankVersions.version, savedAt: bankVersions.savedAt, savedBy: bankVersions.savedBy })
    .from(bankVersions)
    .where(eq(bankVersions.bankId, bankId))
    .orderBy(desc(bankVersions.version))
    .all();
  return { bank, versions };
}

/** One version's stored content, or null. */
export function bankVersionContent({ db = getDb(), bankId, version }: { db?: Db; bankId: string; version: number }): string | null {
  return db.select({ content: bankVersions.content }).from(bankVersions).where(and(eq(bankVersions.bankId, bankId), eq(bankVersions.version, version))).get()?.content ?? null;
}

/** An item the user studies (or owns), or null. */
export function getItemForUser({ db = getDb(), userId, itemId }: { db?: Db; userId: number; itemId: string }): ItemRow | null {
  const row = db
    .select({ item: items, ownerId: banks.ownerId })
    .from(items)
    .innerJoin(banks, eq(banks.id, items.bankId))
    .where(eq(items.id, itemId))
    .get();
  if (!row) return null;
  if (row.ownerId === userId) return row.item;
  const studied = db
    .select({ id: banks.id })
    .from(banks)
    .where(and(eq(banks.id, row.item.bankId), studiedBankCondition(db, userId)))
    .get();
  return studied ? row.item : null;
}

/** The live items of a bank the user can see, in bank order. */
export function listBankItems({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }): ItemRow[] {
  const visible = db
    .select({ id: banks.id, ownerId: banks.ownerId })
    .from(banks)
    .where(eq(banks.id, bankId))
    .get();
  if (!visible) throw new Response('Not Found', { status: 404 });
  if (visible.ownerId !== userId) {
    const studied = db.select({ id: banks.id }).from(banks).where(and(eq(banks.id, bankId), studiedBankCondition(db, userId))).get();
    if (!studied) throw new AccessDenied(`bank ${bankId} is not one of yours`);
  }
  return db
    .select()
    .from(items)
    .where(and(eq(items.bankId, bankId), isNull(items.retiredAt)))
    .orderBy(asc(items.position))
    .all();
}
