/** Classes: an instructor's group of students, joined by code, with banks published to it. */
import { planExamCards } from './exam-schedule.server';
import { classExams } from './exam.server';
import { z } from 'zod';
import { randomInt } from 'node:crypto';
import { and, asc, count, eq, gte, inArray, isNull, ne, or } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../db/client';
import { banks, cards, classBanks, classes, items, memberships, reviews, subscriptions, users } from '../../db/schema';
import { jsonInteger } from '../../db/sql';
import { countOf } from '../../engine/answers';
import type { FieldErrors } from '../forms';
import { classProgress, classQuota, isIsoDate, addDays, type ClassBankDates, type ClassProgress } from '../scheduling/class-schedule';
import { State } from '../scheduling/scheduler';
import { studyDay, studyDayBounds } from '../scheduling/study-day';
import { AccessDenied } from './access.server';
import { BANK_ERRORS, lockedBank, StaleBank } from './bank.server';
import { resolveParameters } from './parameters.server';

/** No 0/O, 1/I/L: join codes are read aloud and typed. */
const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const JOIN_CODE_LENGTH = 8;

export const CLASS_ERRORS = {
  notInstructor: 'only instructors can create classes',
  badCode: (code: string) => `no class has the join code ${code}`,
  notYourClass: (classId: number) => `class ${classId} is not one you teach`,
  notYourBank: (bankId: string) => `bank ${bankId} is neither yours nor a content bank`,
  notPublished: (bankId: string, classId: number) => `bank ${bankId} is not published to class ${classId}`,
} as const;

const NO_DATES: ClassBankDates = { startsOn: null, learnBy: null };

/** Refusals of a class bank's dates, at the field they are about. */
export const CLASS_DATE_ERRORS = {
  malformed: 'write the date as YYYY-MM-DD (a real calendar day), or leave it empty',
  startInPast: (today: string) => `the start date is in the past: today is ${today}; choose today or later, or leave it empty`,
  learnByInPast: (today: string) => `the learn-by date is in the past: today is ${today}; choose today or later, or leave it empty`,
  learnByBeforeStart: (startsOn: string) => `the learn-by date is before the start date ${startsOn}: choose ${startsOn} or later`,
} as const;

/** A class bank's dates refused (nothing saved): the messages per field, `startsOn` and `learnBy`. */
export class ClassDatesRefused extends Error {
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors).join('; '));
    this.name = 'ClassDatesRefused';
  }
}

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
  // A new member may be scheduled with the class's parameters from their first review (decision 0020).
  await resolveParameters({ db, userId, now });
  // The class's exams ahead plan the cards the member already has, as setting them planned the others'.
  for (const exam of await classExams({ db, classId: cls.id })) if (exam.at > now.getTime()) await planExamCards({ db, examId: exam.id, now, only: [userId] });
  return cls;
}

export async function leaveClass({ db = getDb(), userId, classId, now = new Date() }: { db?: Db; userId: number; classId: number; now?: Date }): Promise<void> {
  await db.delete(memberships).where(and(eq(memberships.classId, classId), eq(memberships.userId, userId)));
  // A member who leaves no longer uses the class's parameters.
  await resolveParameters({ db, userId, now });
}

async function taughtClass(db: Db | Tx, userId: number, classId: number) {
  const [cls] = await db.select().from(classes).where(eq(classes.id, classId));
  if (!cls || cls.instructorId !== userId) throw new AccessDenied(CLASS_ERRORS.notYourClass(classId));
  return cls;
}

/**
 * What is wrong with a class bank's dates on the instructor's study day `today`, per field (empty:
 * nothing). Each date may be null (not set, or cleared); the learn-by day may equal the start. A
 * date the bank already has (`kept`) may be in the past: changing one date re-sends the other.
 */
export function classBankDateErrors(dates: ClassBankDates, today: string, kept: ClassBankDates = NO_DATES): FieldErrors {
  const errors: FieldErrors = {};
  const { startsOn, learnBy } = dates;
  if (startsOn !== null && !isIsoDate(startsOn)) errors.startsOn = CLASS_DATE_ERRORS.malformed;
  else if (startsOn !== null && startsOn < today && startsOn !== kept.startsOn) errors.startsOn = CLASS_DATE_ERRORS.startInPast(today);
  if (learnBy !== null && !isIsoDate(learnBy)) errors.learnBy = CLASS_DATE_ERRORS.malformed;
  else if (learnBy !== null && learnBy < today && learnBy !== kept.learnBy) errors.learnBy = CLASS_DATE_ERRORS.learnByInPast(today);
  else if (learnBy !== null && startsOn !== null && !errors.startsOn && learnBy < startsOn) errors.learnBy = CLASS_DATE_ERRORS.learnByBeforeStart(startsOn);
  return errors;
}

/** The user's study day at `now`, in their own zone and rollover hour ("past" for an instructor's dates). */
export async function studyDayOf({ db = getDb(), userId, now }: { db?: Db | Tx; userId: number; now: Date }): Promise<string> {
  const [user] = await db.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`no user ${userId}`);
  return studyDay(now, user.timeZone, user.rolloverHour);
}

async function checkedDates(db: Db | Tx, userId: number, dates: ClassBankDates, now: Date, kept = NO_DATES): Promise<ClassBankDates> {
  const errors = classBankDateErrors(dates, await studyDayOf({ db, userId, now }), kept);
  if (Object.keys(errors).length) throw new ClassDatesRefused(errors);
  return dates;
}

/**
 * Publishes a bank (the instructor's own, or a content bank) to a class they teach, in one
 * transaction, with its start and learn-by dates (ClassDatesRefused for bad ones, nothing saved).
 * With `version`, only while the bank is still at that version (the one the publishing gate
 * checked): StaleBank otherwise, and nothing changes. Publishing it again changes nothing.
 */
export async function publishBankToClass({ db = getDb(), userId, classId, bankId, now, version, dates = NO_DATES }: { db?: Db; userId: number; classId: number; bankId: string; now: Date; version?: number; dates?: ClassBankDates }): Promise<void> {
  await db.transaction(async (tx) => {
    await taughtClass(tx, userId, classId);
    const { startsOn, learnBy } = await checkedDates(tx, userId, dates, now);
    const bank = await lockedBank(tx, bankId);
    if (!bank || (bank.ownerId !== userId && bank.source !== 'content')) throw new AccessDenied(CLASS_ERRORS.notYourBank(bankId));
    if (version !== undefined && bank.version !== version) throw new StaleBank(BANK_ERRORS.staleVersion(bankId, version, bank.version));
    await tx.insert(classBanks).values({ classId, bankId, publishedAt: now, startsOn, learnBy }).onConflictDoNothing();
    if (bank.status !== 'published') await tx.update(banks).set({ status: 'published' }).where(eq(banks.id, bankId));
  });
}

/** Sets (or clears, with null) the dates of a bank published to a class the user teaches; ClassDatesRefused for bad ones, nothing saved. */
export async function setClassBankDates({ db = getDb(), userId, classId, bankId, dates, now }: { db?: Db; userId: number; classId: number; bankId: string; dates: ClassBankDates; now: Date }): Promise<void> {
  await taughtClass(db, userId, classId);
  const where = and(eq(classBanks.classId, classId), eq(classBanks.bankId, bankId));
  const [kept] = await db.select({ startsOn: classBanks.startsOn, learnBy: classBanks.learnBy }).from(classBanks).where(where);
  if (!kept) throw new Response(CLASS_ERRORS.notPublished(bankId, classId), { status: 404 });
  const { startsOn, learnBy } = await checkedDates(db, userId, dates, now, kept);
  await db.update(classBanks).set({ startsOn, learnBy }).where(where);
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
    .select({ id: banks.id, title: banks.title, publishedAt: classBanks.publishedAt, startsOn: classBanks.startsOn, learnBy: classBanks.learnBy })
    .from(classBanks)
    .innerJoin(banks, eq(banks.id, classBanks.bankId))
    .where(eq(classBanks.classId, classId))
    .orderBy(asc(classBanks.publishedAt), asc(banks.id));
  const itemCounts = await liveItemCounts(db, published.map((b) => b.id));
  return { class: cls, members, banks: published.map((b) => ({ ...b, items: itemCounts.get(b.id) ?? 0 })) };
}

/** The number of items (not retired) of each bank: what the daily review introduces. */
async function liveItemCounts(db: Db, bankIds: string[]): Promise<Map<string, number>> {
  if (bankIds.length === 0) return new Map();
  const rows = await db
    .select({ bankId: items.bankId, n: count() })
    .from(items)
    .where(and(inArray(items.bankId, bankIds), isNull(items.retiredAt)))
    .groupBy(items.bankId);
  return new Map(rows.map((r) => [r.bankId, Number(r.n)]));
}

/**
 * Introduced items per user and bank: items (not retired) of `bankIds` on which the user has a
 * card past New (a card made New by "add my misses", or forgotten, is not introduced). Keyed
 * `${userId}|${bankId}`.
 */
async function introducedCounts(db: Db, userIds: number[], bankIds: string[]): Promise<Map<string, number>> {
  if (userIds.length === 0 || bankIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: cards.userId, bankId: items.bankId, n: count() })
    .from(cards)
    .innerJoin(items, eq(items.id, cards.itemId))
    .where(and(inArray(cards.userId, userIds), inArray(items.bankId, bankIds), isNull(items.retiredAt), ne(cards.state, State.New)))
    .groupBy(cards.userId, items.bankId);
  return new Map(rows.map((r) => [`${r.userId}|${r.bankId}`, Number(r.n)]));
}

/** Each member's introduced items of each of the class's banks (the class page's progress table), for a class getTaughtClass read. */
export async function memberProgress({ db = getDb(), taught }: { db?: Db; taught: Awaited<ReturnType<typeof getTaughtClass>> }) {
  const introduced = await introducedCounts(db, taught.members.map((m) => m.id), taught.banks.map((b) => b.id));
  return taught.members.map((m) => ({
    userId: m.id,
    banks: taught.banks.map((b) => ({ bankId: b.id, introduced: introduced.get(`${m.id}|${b.id}`) ?? 0, total: b.items })),
  }));
}

// ---------------------------------------------------------------------------------------------
// What members will see of a class bank: the publish message and the students' notice say the same.

/** New cards a day of an account nobody has changed: the schema's default, the one source of it. */
function defaultNewPerDay(): number {
  return Number(users.newPerDay.default);
}

/** A study day as people read it: "15 Dec", with the year when it is not `today`'s. */
export function dayText(day: string, today: string): string {
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

function fromText(day: string, today: string): string {
  return day === today ? 'today' : dayText(day, today);
}

/** When a class bank's items are introduced to a member who keeps up with the class quota (classQuota each day). */
export interface ClassBankPlan {
  items: number;
  /** The first study day they come: today, or the start date when later. */
  from: string;
  /** With a learn-by date, the fewest and most new items a day (the first day has the most); null without one. */
  perDay: { fewest: number; most: number } | null;
  /** With a learn-by date, the day the last item is introduced (on or before it); null without one. */
  lastDay: string | null;
}

/** The plan of `items` items not yet introduced, from study day `today` on. */
export function classBankPlan(dates: ClassBankDates, today: string, items: number): ClassBankPlan {
  const from = dates.startsOn !== null && dates.startsOn > today ? dates.startsOn : today;
  if (items <= 0 || dates.learnBy === null) return { items: Math.max(0, items), from, perDay: null, lastDay: null };
  let remaining = items;
  let fewest = Infinity;
  let most = 0;
  let day = from;
  let lastDay = from;
  // classQuota is at least 1 on every day from `from` while items remain, and all of them on the learn-by day: this ends.
  for (let i = 0; remaining > 0 && i < 100_000; i++, day = addDays(day, 1)) {
    const quota = classQuota(dates, day, remaining);
    if (quota === 0) continue;
    fewest = Math.min(fewest, quota);
    most = Math.max(most, quota);
    lastDay = day;
    remaining -= quota;
  }
  return { items, from, perDay: { fewest, most }, lastDay };
}

/** The instructor's message after publishing (or changing the dates): what members will see, and when (for a member who has not started the bank). */
export function publishedMessage({ bankTitle, className, plan, today, changed = false }: { bankTitle: string; className: string; plan: ClassBankPlan; today: string; changed?: boolean }): string {
  const head = changed ? `Saved the dates of ${bankTitle} in ${className}` : `Published ${bankTitle} to ${className}`;
  if (plan.items === 0) return `${head}. It has no items yet: members get them in their daily review once you add some.`;
  const from = fromText(plan.from, today);
  const all = `all ${plan.items}`;
  const limit = defaultNewPerDay();
  if (plan.perDay && plan.lastDay) {
    const { fewest, most } = plan.perDay;
    const pace = plan.lastDay === plan.from ? `${all} ${from === 'today' ? 'today' : `on ${from}`}` : `${fewest === most ? most : `${fewest} to ${most}`} new a day, all introduced by ${dayText(plan.lastDay, today)}`;
    const behind = `A member whose new-cards-per-day limit is below ${most}${most > limit ? ` (the default is ${limit})` : ''} falls behind; their dashboard says so.`;
    return `${head}: ${countOf(plan.items, 'item')}. Members see them in their daily review from ${from} (class banks come before their other new cards): ${pace}. ${behind}`;
  }
  const days = Math.ceil(plan.items / limit);
  const pace = days === 1 ? `${all} ${from === 'today' ? 'today' : `on ${from}`} at that limit` : `${all} within ${days} days at that limit`;
  return `${head}: ${countOf(plan.items, 'item')}. Members see them in their daily review from ${from}, first among their new cards, up to each member's new-card limit (${limit} a day by default): ${pace}.`;
}

/** What /classes tells every student about class banks (memberNotice gives each bank's own line). */
export const CLASS_BANKS_NOTICE =
  "A bank your instructor publishes to your class is in your daily review from the day it is published (or its start date), first among your new cards, up to your new-cards-per-day limit; with a learn-by date it is spread so that all of it is introduced by then.";

/** One class bank as a member sees it on /classes. */
export interface JoinedClassBank {
  classId: number;
  className: string;
  bankId: string;
  bankTitle: string;
  dates: ClassBankDates;
  paused: boolean;
  /** The member's new-cards-per-day limit. */
  budget: number;
  today: string;
  progress: ClassProgress;
  plan: ClassBankPlan;
}

/** The member's line about a class bank: where they stand, what comes when, and whether their limit keeps up. */
export function memberNotice(b: JoinedClassBank): string {
  const { progress, today, budget } = b;
  const head = `${b.bankTitle} (${b.className})`;
  if (progress.total === 0) return `${head}: no items yet.`;
  if (progress.introduced >= progress.total) return `${head}: all ${progress.total} introduced.`;
  const standing = `${head}: ${progress.introduced} of ${progress.total} introduced`;
  if (b.paused) return `${standing}. You paused it: no new cards come from it until you turn it back on.`;
  const from = b.plan.from > today ? `, from ${dayText(b.plan.from, today)}` : '';
  const yourLimit = `your limit of ${countOf(budget, 'new card')} a day`;
  if (b.dates.learnBy !== null && b.plan.perDay) {
    const { fewest, most } = b.plan.perDay;
    const pace = `${fewest === most ? most : `${fewest} to ${most}`} new a day, all by ${dayText(b.dates.learnBy, today)}`;
    const verdict = progress.onTrack
      ? `At ${yourLimit} you are on track.`
      : progress.finishesOn === null
        ? `At ${yourLimit} none come: raise it in your study settings.`
        : `At ${yourLimit} you would finish on ${dayText(progress.finishesOn, today)}, after the learn-by date: raise it in your study settings.`;
    return `${standing}. They come first among your new cards${from}: ${pace}. ${verdict}`;
  }
  if (progress.finishesOn === null) return `${standing}. They come first among your new cards${from}, but at ${yourLimit} none come: raise it in your study settings.`;
  return `${standing}. They come first among your new cards${from}, up to ${yourLimit}: the last ${progress.finishesOn === today ? 'today' : `on ${dayText(progress.finishesOn, today)}`}.`;
}

/**
 * The banks published to the classes the user belongs to, each with the user's progress on it
 * (classProgress at their own new-card limit) and its plan from their today.
 */
export async function joinedClassBanks({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<JoinedClassBank[]> {
  const [user] = await db.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour, newPerDay: users.newPerDay }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`no user ${userId}`);
  const bounds = studyDayBounds(now, user.timeZone, user.rolloverHour);
  const rows = await db
    .select({ classId: classes.id, className: classes.name, bankId: banks.id, bankTitle: banks.title, startsOn: classBanks.startsOn, learnBy: classBanks.learnBy })
    .from(memberships)
    .innerJoin(classes, eq(classes.id, memberships.classId))
    .innerJoin(classBanks, eq(classBanks.classId, memberships.classId))
    .innerJoin(banks, eq(banks.id, classBanks.bankId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(classes.name), asc(classBanks.publishedAt), asc(banks.id));
  if (rows.length === 0) return [];
  const bankIds = [...new Set(rows.map((r) => r.bankId))];
  const totals = await liveItemCounts(db, bankIds);
  const introduced = await introducedCounts(db, [userId], bankIds);
  // First reviews since the day began, per bank: classProgress needs what today has used already.
  const firstToday = await db
    .select({ bankId: items.bankId, n: count() })
    .from(reviews)
    .innerJoin(items, eq(items.id, reviews.itemId))
    .where(and(eq(reviews.userId, userId), gte(reviews.reviewedAt, bounds.start), inArray(items.bankId, bankIds), eq(jsonInteger(reviews.stateBefore, 'state'), State.New)))
    .groupBy(items.bankId);
  const todayCounts = new Map(firstToday.map((r) => [r.bankId, Number(r.n)]));
  const paused = new Set(
    (await db.select({ bankId: subscriptions.bankId }).from(subscriptions).where(and(eq(subscriptions.userId, userId), inArray(subscriptions.bankId, bankIds), eq(subscriptions.state, 'paused')))).map((r) => r.bankId),
  );
  return rows.map((r) => {
    const dates = { startsOn: r.startsOn, learnBy: r.learnBy };
    const total = totals.get(r.bankId) ?? 0;
    const done = Math.min(total, introduced.get(`${userId}|${r.bankId}`) ?? 0);
    const introducedToday = Math.min(done, todayCounts.get(r.bankId) ?? 0);
    return {
      classId: r.classId,
      className: r.className,
      bankId: r.bankId,
      bankTitle: r.bankTitle,
      dates,
      paused: paused.has(r.bankId),
      budget: user.newPerDay,
      today: bounds.day,
      progress: classProgress(dates, bounds.day, { total, introduced: done, introducedToday }, user.newPerDay),
      // From the day's start: the quota of today is counted then (class-schedule.ts).
      plan: classBankPlan(dates, bounds.day, total - done + introducedToday),
    };
  });
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
  z.object({ intent: z.literal('publish'), bankId: z.string().min(1, { error: 'choose a bank' }).max(80), startsOn: classDateField(), learnBy: classDateField() }),
  z.object({ intent: z.literal('dates'), bankId: z.string().min(1).max(80), startsOn: classDateField(), learnBy: classDateField() }),
  z.object({ intent: z.literal('unpublish'), bankId: z.string().min(1).max(80) }),
]);

/** A date field of a class bank: empty (none, or cleared) or YYYY-MM-DD; whether it is in the past is the model's (it needs the instructor's today). */
const classDateField = () =>
  z
    .string()
    .trim()
    .max(40, { error: CLASS_DATE_ERRORS.malformed })
    .default('')
    .refine((text) => text === '' || isIsoDate(text), { error: CLASS_DATE_ERRORS.malformed })
    .transform((text) => (text === '' ? null : text));
