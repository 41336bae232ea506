/** Classes: an instructor's group of students, joined by code, with banks published to it. */
import { z } from 'zod';
import { randomInt } from 'node:crypto';
import { and, asc, eq, or } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../db/client';
import { banks, classBanks, classes, memberships, users } from '../../db/schema';
import { AccessDenied } from './access.server';
import { BANK_ERRORS, lockedBank, StaleBank } from './bank.server';

/** No 0/O, 1/I/L: join codes are read aloud and typed. */
const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const JOIN_CODE_LENGTH = 8;

export const CLASS_ERRORS = {
  notInstructor: 'only instructors can create classes',
  badCode: (code: string) => `no class has the join code ${code}`,
  notYourClass: (classId: number) => `class ${classId} is not one you teach`,
  notYourBank: (bankId: string) => `bank ${bankId} is neither yours nor a content bank`,
} as const;

export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

export async function createClass({ db = getDb(), userId, name, now }: { db?: Db; userId: number; name: string; now: Date }) {
  const [user] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  if (user?.role !== 'instructor') throw new AccessDenied(CLASS_ERRORS.notInstructor);
  // A clash of codes is ~1 in 8e11 per pair; retry on the unique index rather than check first.
  for (let attempt = 0; ; attempt++) {
    const [row] = await db.insert(classes).values({ name, instructorId: userId, joinCode: newJoinCode(), createdAt: now }).onConflictDoNothing().returning();
    if (row) return row;
    if (attempt >= 5) throw new Error('could not draw a free join code');
  }
}

/** Joins the class with this code (case-insensitive); joining twice is a no-op. */
export async function joinClass({ db = getDb(), userId, joinCode, now }: { db?: Db; userId: number; joinCode: string; now: Date }) {
  const code = joinCode.trim().toUpperCase();
  const [cls] = await db.select().from(classes).where(eq(classes.joinCode, code));
  if (!cls) throw new Error(CLASS_ERRORS.badCode(code));
  await db.insert(memberships).values({ classId: cls.id, userId, joinedAt: now }).onConflictDoNothing();
  return cls;
}

export async function leaveClass({ db = getDb(), userId, classId }: { db?: Db; userId: number; classId: number }): Promise<void> {
  await db.delete(memberships).where(and(eq(memberships.classId, classId), eq(memberships.userId, userId)));
}

async function taughtClass(db: Db | Tx, userId: number, classId: number) {
  const [cls] = await db.select().from(classes).where(eq(classes.id, classId));
  if (!cls || cls.instructorId !== userId) throw new AccessDenied(CLASS_ERRORS.notYourClass(classId));
  return cls;
}

/**
 * Publishes a bank (the instructor's own, or a content bank) to a class they teach, in one
 * transaction. With `version`, only while the bank is still at that version (the one the
 * publishing gate checked): StaleBank otherwise, and nothing changes.
 */
export async function publishBankToClass({ db = getDb(), userId, classId, bankId, now, version }: { db?: Db; userId: number; classId: number; bankId: string; now: Date; version?: number }): Promise<void> {
  await db.transaction(async (tx) => {
    await taughtClass(tx, userId, classId);
    const bank = await lockedBank(tx, bankId);
    if (!bank || (bank.ownerId !== userId && bank.source !== 'content')) throw new AccessDenied(CLASS_ERRORS.notYourBank(bankId));
    if (version !== undefined && bank.version !== version) throw new StaleBank(BANK_ERRORS.staleVersion(bankId, version, bank.version));
    await tx.insert(classBanks).values({ classId, bankId, publishedAt: now }).onConflictDoNothing();
    if (bank.status !== 'published') await tx.update(banks).set({ status: 'published' }).where(eq(banks.id, bankId));
  });
}

export async function unpublishBankFromClass({ db = getDb(), userId, classId, bankId }: { db?: Db; userId: number; classId: number; bankId: string }): Promise<void> {
  await taughtClass(db, userId, classId);
  await db.delete(classBanks).where(and(eq(classBanks.classId, classId), eq(classBanks.bankId, bankId)));
}

/** Classes the user teaches or belongs to. */
export async function listClassesForUser({ db = getDb(), userId }: { db?: Db; userId: number }) {
  return db
    .selectDistinct({ id: classes.id, name: classes.name, joinCode: classes.joinCode, instructorId: classes.instructorId, createdAt: classes.createdAt })
    .from(classes)
    .leftJoin(memberships, and(eq(memberships.classId, classes.id), eq(memberships.userId, userId)))
    .where(or(eq(classes.instructorId, userId), eq(memberships.userId, userId)))
    .orderBy(asc(classes.name));
}

/** A taught class with its members and banks (instructor only). */
export async function getTaughtClass({ db = getDb(), userId, classId }: { db?: Db; userId: number; classId: number }) {
  const cls = await taughtClass(db, userId, classId);
  const members = await db
    .select({ id: users.id, displayName: users.displayName, email: users.email, joinedAt: memberships.joinedAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.classId, classId))
    .orderBy(asc(users.displayName));
  const published = await db
    .select({ id: banks.id, title: banks.title, publishedAt: classBanks.publishedAt })
    .from(classBanks)
    .innerJoin(banks, eq(banks.id, classBanks.bankId))
    .where(eq(classBanks.classId, classId));
  return { class: cls, members, banks: published };
}

/** Form schema of classes._index.tsx (server-side, so zod stays out of the page's browser bundle). */
export const ClassesActionSchema = () =>
  z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create'), name: z.string().trim().min(1, { error: 'give the class a name' }).max(120, { error: 'at most 120 characters' }) }),
  z.object({
    intent: z.literal('join'),
    joinCode: z
      .string()
      .trim()
      .min(1, { error: 'type the join code your instructor gave you' })
      .max(20, { error: 'a join code is 8 letters and digits' }),
  }),
  z.object({ intent: z.literal('leave'), classId: z.coerce.number().int().positive() }),
]);

/** Form schema of classes.$id.tsx (server-side, so zod stays out of the page's browser bundle). */
export const ClassActionSchema = () =>
  z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('publish'), bankId: z.string().min(1, { error: 'choose a bank' }).max(80) }),
  z.object({ intent: z.literal('unpublish'), bankId: z.string().min(1).max(80) }),
]);
