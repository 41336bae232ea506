/** Classes: an instructor's group of students, joined by code, with banks published to it. */
import { z } from 'zod';
import { randomInt } from 'node:crypto';
import { and, asc, eq, or } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { banks, classBanks, classes, memberships, users } from '../../db/schema';
import { AccessDenied } from './access.server';

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

export function createClass({ db = getDb(), userId, name, now }: { db?: Db; userId: number; name: string; now: Date }) {
  const user = db.select({ role: users.role }).from(users).where(eq(users.id, userId)).get();
  if (user?.role !== 'instructor') throw new AccessDenied(CLASS_ERRORS.notInstructor);
  // A clash of codes is ~1 in 8e11 per pair; retry on the unique index rather than check first.
  for (let attempt = 0; ; attempt++) {
    const row = db.insert(classes).values({ name, instructorId: userId, joinCode: newJoinCode(), createdAt: now }).onConflictDoNothing().returning().get();
    if (row) return row;
    if (attempt >= 5) throw new Error('could not draw a free join code');
  }
}

/** Joins the class with this code (case-insensitive); joining twice is a no-op. */
export function joinClass({ db = getDb(), userId, joinCode, now }: { db?: Db; userId: number; joinCode: string; now: Date }) {
  const code = joinCode.trim().toUpperCase();
  const cls = db.select().from(classes).where(eq(classes.joinCode, code)).get();
  if (!cls) throw new Error(CLASS_ERRORS.badCode(code));
  db.insert(memberships).values({ classId: cls.id, userId, joinedAt: now }).onConflictDoNothing().run();
  return cls;
}

export function leaveClass({ db = getDb(), userId, classId }: { db?: Db; userId: number; classId: number }): void {
  db.delete(memberships).where(and(eq(memberships.classId, classId), eq(memberships.userId, userId))).run();
}

function taughtClass(db: Db, userId: number, classId: number) {
  const cls = db.select().from(classes).where(eq(classes.id, classId)).get();
  if (!cls || cls.instructorId !== userId) throw new AccessDenied(CLASS_ERRORS.notYourClass(classId));
  return cls;
}

/** Publishes a bank (the instructor's own, or a content bank) to a class they teach. */
export function publishBankToClass({ db = getDb(), userId, classId, bankId, now }: { db?: Db; userId: number; classId: number; bankId: string; now: Date }): void {
  taughtClass(db, userId, classId);
  const bank = db.select().from(banks).where(eq(banks.id, bankId)).get();
  if (!bank || (bank.ownerId !== userId && bank.source !== 'content')) throw new AccessDenied(CLASS_ERRORS.notYourBank(bankId));
  db.transaction((tx) => {
    tx.insert(classBanks).values({ classId, bankId, publishedAt: now }).onConflictDoNothing().run();
    if (bank.status !== 'published') tx.update(banks).set({ status: 'published' }).where(eq(banks.id, bankId)).run();
  });
}

export function unpublishBankFromClass({ db = getDb(), userId, classId, bankId }: { db?: Db; userId: number; classId: number; bankId: string }): void {
  taughtClass(db, userId, classId);
  db.delete(classBanks).where(and(eq(classBanks.classId, classId), eq(classBanks.bankId, bankId))).run();
}

/** Classes the user teaches or belongs to. */
export function listClassesForUser({ db = getDb(), userId }: { db?: Db; userId: number }) {
  return db
    .selectDistinct({ id: classes.id, name: classes.name, joinCode: classes.joinCode, instructorId: classes.instructorId, createdAt: classes.createdAt })
    .from(classes)
    .leftJoin(memberships, and(eq(memberships.classId, classes.id), eq(memberships.userId, userId)))
    .where(or(eq(classes.instructorId, userId), eq(memberships.userId, userId)))
    .orderBy(asc(classes.name))
    .all();
}

/** A taught class with its members and banks (instructor only). */
export function getTaughtClass({ db = getDb(), userId, classId }: { db?: Db; userId: number; classId: number }) {
  const cls = taughtClass(db, userId, classId);
  const members = db
    .select({ id: users.id, displayName: users.displayName, email: users.email, joinedAt: memberships.joinedAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.classId, classId))
    .orderBy(asc(users.displayName))
    .all();
  const published = db
    .select({ id: banks.id, title: banks.title, publishedAt: classBanks.publishedAt })
    .from(classBanks)
    .innerJoin(banks, eq(banks.id, classBanks.bankId))
    .where(eq(classBanks.classId, classId))
    .all();
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
