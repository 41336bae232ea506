/**
 * Exams: a student's own, and their classes' (set by the instructor, which every member has).
 * This module makes, changes and reads them; the scheduler (exam-plan.ts via review.server.ts), the readiness
 * forecast and the exam pages all take a user's exams from `examsOf`.
 */
import { and, asc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db, type Tx } from '../../db/client';
import { banks, cards, classBanks, classes, exams, items, memberships, users, type ExamRow } from '../../db/schema';
import { lockRows } from '../../db/sql';
import { families } from '../../engine/families';
import { EXAM_TARGET, EXAM_TITLE_MAX } from '../exams/limits';
import { inScope, isEmptyScope, parseScope, type ExamScope, type ScopedItem } from '../exams/scope';
import type { FieldErrors, FormResult } from '../forms';
import { isIsoDate } from '../scheduling/class-schedule';
import { planDays } from '../scheduling/exam-plan';
import { instantOfLocalTime, isTimeZone, localTimeOf, studyDay } from '../scheduling/study-day';
import { AccessDenied } from './access.server';
// A cycle (exam-schedule.server.ts reads examsOf from here), safe: neither is used at load time.
import { planExamCards } from './exam-schedule.server';
import { parseQuizBuilderForm, type QuizBuild } from './quiz.server';
import { studiedBanks } from './subscription.server';

export interface Exam {
  id: number;
  ownerId: number;
  /** The class whose exam it is; null for a student's own. */
  classId: number | null;
  className: string | null;
  title: string;
  /** Epoch ms. */
  at: number;
  timeZone: string;
  target: number;
  scope: ExamScope;
  createdAt: number;
}

export function examOf(row: ExamRow, className: string | null = null): Exam {
  return {
    id: row.id,
    ownerId: row.ownerId,
    classId: row.classId,
    className,
    title: row.title,
    at: row.at.getTime(),
    timeZone: row.timeZone,
    target: row.target,
    scope: parseScope(row.scope),
    createdAt: row.createdAt.getTime(),
  };
}

/**
 * The exams a user sits, soonest first: their own and those of every class they are a member of.
 * With `after`, only those at or after it (the exams still ahead at `now`: pass now).
 */
export async function examsOf({ db = getDb(), userId, after }: { db?: Db | Tx; userId: number; after?: Date }): Promise<Exam[]> {
  const memberOf = db.select({ classId: memberships.classId }).from(memberships).where(eq(memberships.userId, userId));
  const rows = await db
    .select({ exam: exams, className: classes.name })
    .from(exams)
    .leftJoin(classes, eq(classes.id, exams.classId))
    .where(and(or(and(eq(exams.ownerId, userId), isNull(exams.classId)), inArray(exams.classId, memberOf)), after ? gt(exams.at, after) : undefined))
    .orderBy(asc(exams.at), asc(exams.id));
  return rows.map((r) => examOf(r.exam, r.className));
}

/** The exams of one class, soonest first (for its instructor's pages). */
export async function classExams({ db = getDb(), classId }: { db?: Db | Tx; classId: number }): Promise<Exam[]> {
  const rows = await db
    .select({ exam: exams, className: classes.name })
    .from(exams)
    .innerJoin(classes, eq(classes.id, exams.classId))
    .where(eq(exams.classId, classId))
    .orderBy(asc(exams.at), asc(exams.id));
  return rows.map((r) => examOf(r.exam, r.className));
}

// ---------------------------------------------------------------------------------------------
// Making, changing and deleting exams, and the pages' data.

/** Refusals, at the field they are about (title, date, time, timeZone, target, classId, scope). */
export const EXAM_ERRORS = {
  titleMissing: 'give the exam a title',
  titleTooLong: `a title has at most ${EXAM_TITLE_MAX} characters`,
  dateMalformed: 'write the date as YYYY-MM-DD (a real calendar day)',
  timeMalformed: 'write the time as HH:MM, 24-hour (09:30, 14:00)',
  unknownZone: (zone: string) => `"${zone.slice(0, 60)}" is not a time zone: choose one from the list (an IANA name such as Europe/London)`,
  skippedTime: (date: string, time: string, zone: string) => `${time} does not happen on ${date} in ${zone}: the clocks go forward over it; choose a time before or after the change`,
  inPast: (now: string) => `the exam is in the past: it is now ${now} there; choose a later date or time`,
  target: `target recall must be a number from ${EXAM_TARGET.min.toFixed(2)} to ${EXAM_TARGET.max.toFixed(2)} (0.90 means 90%)`,
  notYourClass: (classId: number) => `you do not teach class ${classId}: only its instructor can set an exam for it`,
  classMalformed: 'choose yourself or one of the classes you teach',
  emptyScope: 'choose what the exam covers: at least one bank, topic or family',
  unknownBank: (bankId: string, forClass: boolean) => (forClass ? `bank ${bankId} is not published to this class` : `bank ${bankId} is not one you study`),
  scopeMatchesNothing: (forClass: boolean) =>
    forClass ? 'no item published to this class matches that choice: choose banks, topics or families the class studies' : 'no item you study matches that choice: choose banks, topics or families you study',
  tooManyChoices: 'too many banks, topics or families chosen (at most 200 of each)',
  notOwner: 'only whoever set this exam can change or delete it',
  classExamNotOwner: "a class exam is the instructor's: only the class's instructor can change or delete it",
} as const;

/** An exam refused (nothing saved): the messages per field; `status` 403 when the refusal is about who may do it. */
export class ExamRefused extends Error {
  constructor(
    readonly errors: FieldErrors,
    readonly status: 400 | 403 = 400,
  ) {
    super(Object.values(errors).join('; '));
    this.name = 'ExamRefused';
  }
}

/** What someone types into the exam form, parsed: the date and time are the wall clock in `timeZone`. */
export interface ExamInput {
  title: string;
  date: string;
  time: string;
  timeZone: string;
  target: number;
  /** null: the user's own exam; set: an exam for a class they teach. */
  classId: number | null;
  scope: ExamScope;
}

const scopeList = z.array(z.string().trim().min(1).max(120)).max(200, { error: EXAM_ERRORS.tooManyChoices });

export const ExamFormSchema = z.object({
  title: z.string({ error: EXAM_ERRORS.titleMissing }).trim().min(1, { error: EXAM_ERRORS.titleMissing }).max(EXAM_TITLE_MAX, { error: EXAM_ERRORS.titleTooLong }),
  date: z.string({ error: EXAM_ERRORS.dateMalformed }).trim().refine(isIsoDate, { error: EXAM_ERRORS.dateMalformed }),
  time: z.string({ error: EXAM_ERRORS.timeMalformed }).trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: EXAM_ERRORS.timeMalformed }),
  timeZone: z.string({ error: EXAM_ERRORS.unknownZone('') }).trim().refine(isTimeZone, { error: (issue) => EXAM_ERRORS.unknownZone(String(issue.input)) }),
  target: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number({ error: EXAM_ERRORS.target }).refine((n) => Number.isFinite(n) && n >= EXAM_TARGET.min && n <= EXAM_TARGET.max, { error: EXAM_ERRORS.target }).default(EXAM_TARGET.default),
  ),
  classId: z.preprocess((v) => (v === '' || v === undefined || v === 'me' ? null : v), z.coerce.number({ error: EXAM_ERRORS.classMalformed }).int({ error: EXAM_ERRORS.classMalformed }).positive({ error: EXAM_ERRORS.classMalformed }).nullable()),
  banks: scopeList.default([]),
  topics: scopeList.default([]),
  families: scopeList.default([]),
});

/** Parses the exam form (the scope's lists come from repeated checkboxes). */
export function parseExamForm(form: FormData | URLSearchParams): FormResult<ExamInput> {
  const { errors, parts } = examFormParts(form);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, data: parts as ExamInput };
}

/** Each field of the form parsed on its own: the messages of the bad ones, and the values of the good ones. */
function examFormParts(form: FormData | URLSearchParams): { errors: FieldErrors; parts: Partial<ExamInput> } {
  const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
  const one = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const errors: FieldErrors = {};
  const parts: Record<string, unknown> = {};
  for (const key of ['title', 'date', 'time', 'timeZone', 'target', 'classId'] as const) {
    const parsed = ExamFormSchema.shape[key].safeParse(one(key));
    if (parsed.success) parts[key] = parsed.data;
    else errors[key] = parsed.error.issues[0]!.message;
  }
  const scope: Partial<ExamScope> = {};
  for (const key of ['banks', 'topics', 'families'] as const) {
    const parsed = ExamFormSchema.shape[key].safeParse(strings(key));
    if (parsed.success) scope[key] = parsed.data;
    else errors.scope ??= parsed.error.issues[0]!.message;
  }
  if (!errors.scope) parts.scope = scope;
  return { errors, parts: parts as Partial<ExamInput> };
}

/**
 * The exam form parsed and checked at once, for a route: every bad field's reason together, the
 * form's (a malformed date, a target out of range) and the model's (in the past, a scope that
 * matches nothing, a class not taught) alike. `examId`: the exam being changed.
 */
export async function checkExamForm({ db = getDb(), userId, form, now, examId }: { db?: Db; userId: number; form: FormData | URLSearchParams; now: Date; examId?: number }): Promise<{ ok: true; input: ExamInput } | { ok: false; errors: FieldErrors; status: 400 | 403 }> {
  const { errors, parts } = examFormParts(form);
  const kept = examId === undefined ? undefined : (await examAccess({ db, userId, examId })).exam;
  const checked = await examErrors(db, userId, parts, now, kept);
  const all = { ...checked.errors, ...errors };
  if (Object.keys(all).length) return { ok: false, errors: all, status: checked.status };
  return { ok: true, input: parts as ExamInput };
}

/** A live item as scope matching sees it. */
interface CandidateItem extends ScopedItem {
  bankTitle: string;
}

/** What an exam's scope can choose from, each with its number of items (not retired). */
export interface ExamScopeOptions {
  banks: { id: string; title: string; count: number }[];
  topics: { topic: string; count: number }[];
  families: { family: string; title: string; count: number }[];
}

const familyTitles = new Map(families.map((f) => [f.id, f.title]));

/** Every question family's title by id (the readiness panel's family names). */
export function familyTitlesById(): Record<string, string> {
  return Object.fromEntries(familyTitles);
}

/** The banks an exam may cover: a class's published banks, or the banks the user studies (not turned off). */
async function candidateBankIds(db: Db, userId: number, classId: number | null): Promise<string[]> {
  if (classId !== null) return (await db.select({ bankId: classBanks.bankId }).from(classBanks).where(eq(classBanks.classId, classId))).map((r) => r.bankId);
  return (await studiedBanks({ db, userId })).filter((b) => b.state !== 'off').map((b) => b.bankId);
}

async function candidateItems(db: Db, bankIds: readonly string[]): Promise<CandidateItem[]> {
  if (bankIds.length === 0) return [];
  return db
    .select({ bankId: items.bankId, topic: items.topic, family: items.family, bankTitle: banks.title })
    .from(items)
    .innerJoin(banks, eq(banks.id, items.bankId))
    .where(and(inArray(items.bankId, [...bankIds]), isNull(items.retiredAt)))
    .orderBy(asc(items.bankId), asc(items.position));
}

function optionsOf(rows: readonly CandidateItem[]): ExamScopeOptions {
  const bankCounts = new Map<string, { id: string; title: string; count: number }>();
  const topicCounts = new Map<string, number>();
  const familyCounts = new Map<string, number>();
  for (const r of rows) {
    const bank = bankCounts.get(r.bankId) ?? { id: r.bankId, title: r.bankTitle, count: 0 };
    bank.count++;
    bankCounts.set(r.bankId, bank);
    topicCounts.set(r.topic, (topicCounts.get(r.topic) ?? 0) + 1);
    if (r.family !== null) familyCounts.set(r.family, (familyCounts.get(r.family) ?? 0) + 1);
  }
  const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b));
  return {
    banks: [...bankCounts.values()].sort((a, b) => a.title.localeCompare(b.title)),
    topics: sorted(topicCounts).map(([topic, count]) => ({ topic, count })),
    families: sorted(familyCounts).map(([family, count]) => ({ family, title: familyTitles.get(family) ?? family, count })),
  };
}

/** What the exam form offers: for the user's own exam, what they study; for a class they teach (classId), what is published to it. */
export async function examScopeOptions({ db = getDb(), userId, classId = null }: { db?: Db; userId: number; classId?: number | null }): Promise<ExamScopeOptions> {
  return optionsOf(await candidateItems(db, await candidateBankIds(db, userId, classId)));
}

/** The classes a user teaches (the form's "for" choice). */
export async function taughtClasses({ db = getDb(), userId }: { db?: Db | Tx; userId: number }): Promise<{ id: number; name: string }[]> {
  return db.select({ id: classes.id, name: classes.name }).from(classes).where(eq(classes.instructorId, userId)).orderBy(asc(classes.name), asc(classes.id));
}

/** "Tue, 15 Jun 2027, 09:30 BST": an instant as people read it in a zone. */
export function examTimeText(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'short' }).format(at);
}

/**
 * What is wrong with an exam as typed, per field (empty: nothing), and the instant and scope it
 * stands for. `kept` is the exam being changed: its own instant may be in the past (changing the
 * title of a past exam re-sends its date), and its class stays.
 */
async function examErrors(db: Db, userId: number, input: Partial<ExamInput>, now: Date, kept?: Exam): Promise<{ errors: FieldErrors; status: 400 | 403; at: number }> {
  // A field that did not parse (undefined) skips the checks that need it: its own message says what is wrong.
  const errors: FieldErrors = {};
  let status: 400 | 403 = 400;
  const classId = kept ? kept.classId : input.classId;
  if (!kept && classId !== undefined && classId !== null) {
    const [cls] = await db.select({ instructorId: classes.instructorId }).from(classes).where(eq(classes.id, classId));
    if (!cls || cls.instructorId !== userId) {
      errors.classId = EXAM_ERRORS.notYourClass(classId);
      status = 403;
    }
  }
  const { date, time, timeZone, scope } = input;
  const at = date !== undefined && time !== undefined && timeZone !== undefined ? instantOfLocalTime(date, time, timeZone) : undefined;
  if (at === null) errors.time = EXAM_ERRORS.skippedTime(date!, time!, timeZone!);
  else if (at !== undefined && at <= now.getTime() && at !== kept?.at) errors.date = EXAM_ERRORS.inPast(examTimeText(now.getTime(), timeZone!));
  if (scope !== undefined && isEmptyScope(scope)) errors.scope = EXAM_ERRORS.emptyScope;
  else if (scope !== undefined && classId !== undefined && !errors.classId) {
    const bankIds = await candidateBankIds(db, userId, classId);
    const unknown = scope.banks.find((b) => !bankIds.includes(b));
    if (unknown !== undefined) errors.scope = EXAM_ERRORS.unknownBank(unknown, classId !== null);
    else if (!(await candidateItems(db, bankIds)).some((item) => inScope(item, scope))) errors.scope = EXAM_ERRORS.scopeMatchesNothing(classId !== null);
  }
  return { errors, status, at: at ?? Number.NaN };
}

/** The stored scope: each list without repeats, in a stable order. */
function scopeJson(scope: ExamScope): string {
  const tidy = (xs: string[]) => [...new Set(xs)].sort();
  return JSON.stringify({ banks: tidy(scope.banks), topics: tidy(scope.topics), families: tidy(scope.families) });
}

/**
 * Makes an exam: the user's own (classId null), or one for a class they teach, which every
 * member then has, and plans the cards it covers (planExamCards). ExamRefused with the reason at
 * each bad field; nothing is saved.
 */
export async function createExam({ db = getDb(), userId, input, now }: { db?: Db; userId: number; input: ExamInput; now: Date }): Promise<Exam> {
  const { errors, status, at } = await examErrors(db, userId, input, now);
  if (Object.keys(errors).length) throw new ExamRefused(errors, status);
  const [row] = await db
    .insert(exams)
    .values({ ownerId: userId, classId: input.classId, title: input.title, at: new Date(at), timeZone: input.timeZone, target: input.target, scope: scopeJson(input.scope), createdAt: now })
    .returning();
  // The cards already scheduled past the exam below its target move into its plan days now, not at their next review.
  await planExamCards({ db, examId: row!.id, now });
  return (await examWithClass(db, row!.id))!;
}

async function examWithClass(db: Db | Tx, examId: number): Promise<Exam | null> {
  const [r] = await db.select({ exam: exams, className: classes.name }).from(exams).leftJoin(classes, eq(classes.id, exams.classId)).where(eq(exams.id, examId));
  return r ? examOf(r.exam, r.className) : null;
}

/** How a user stands to an exam: whether they sit it, teach it, and may change it. */
export interface ExamAccess {
  exam: Exam;
  /** Their own exam, or a member of its class. */
  sits: boolean;
  /** The instructor of its class. */
  teaches: boolean;
  /** May change or delete it: the owner of an own exam, the class's instructor for a class exam. */
  canEdit: boolean;
}

/** The exam as `userId` may see it; a 404 Response when it is none of theirs (not theirs to sit or teach, or no such exam). */
export async function examAccess({ db = getDb(), userId, examId }: { db?: Db | Tx; userId: number; examId: number }): Promise<ExamAccess> {
  const exam = await examWithClass(db, examId);
  if (!exam) throw new Response('Not Found', { status: 404 });
  if (exam.classId === null) {
    if (exam.ownerId !== userId) throw new Response('Not Found', { status: 404 });
    return { exam, sits: true, teaches: false, canEdit: true };
  }
  const [cls] = await db.select({ instructorId: classes.instructorId }).from(classes).where(eq(classes.id, exam.classId));
  const teaches = cls?.instructorId === userId;
  const [member] = await db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.classId, exam.classId), eq(memberships.userId, userId)));
  if (!teaches && !member) throw new Response('Not Found', { status: 404 });
  return { exam, sits: member !== undefined, teaches, canEdit: teaches };
}

function refuseEdit(access: ExamAccess): void {
  if (!access.canEdit) throw new AccessDenied(access.exam.classId === null ? EXAM_ERRORS.notOwner : EXAM_ERRORS.classExamNotOwner);
}

/** Changes an exam's title, time, zone, target and scope (not its class); ExamRefused as createExam; AccessDenied for a member, 404 for a stranger. */
export async function updateExam({ db = getDb(), userId, examId, input, now }: { db?: Db; userId: number; examId: number; input: ExamInput; now: Date }): Promise<Exam> {
  const access = await examAccess({ db, userId, examId });
  refuseEdit(access);
  const { errors, status, at } = await examErrors(db, userId, input, now, access.exam);
  if (Object.keys(errors).length) throw new ExamRefused(errors, status);
  await db.update(exams).set({ title: input.title, at: new Date(at), timeZone: input.timeZone, target: input.target, scope: scopeJson(input.scope) }).where(eq(exams.id, examId));
  // A new time, scope or target: plan again what it now covers (a card planned earlier keeps its earlier due).
  await planExamCards({ db, examId, now });
  return (await examWithClass(db, examId))!;
}

/**
 * Deletes an exam (AccessDenied for a member, 404 for a stranger). Cards its plan brought forward
 * keep their due (an early review does no harm) and lose the mark, each user's row locked first
 * as every write of their cards.
 */
export async function deleteExam({ db = getDb(), userId, examId }: { db?: Db; userId: number; examId: number }): Promise<void> {
  refuseEdit(await examAccess({ db, userId, examId }));
  await db.transaction(async (tx) => {
    const marked = (await tx.selectDistinct({ userId: cards.userId }).from(cards).where(eq(cards.plannedForExam, examId))).map((r) => r.userId);
    if (marked.length) {
      await lockRows(tx, users, inArray(users.id, marked));
      await tx.update(cards).set({ plannedForExam: null }).where(eq(cards.plannedForExam, examId));
    }
    await tx.delete(exams).where(eq(exams.id, examId));
  });
}

/** The exams a user sits (examsOf) and those of the classes they teach, soonest first, each once. */
export async function examsForUser({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<Exam[]> {
  const sat = await examsOf({ db, userId });
  const taught = await db
    .select({ exam: exams, className: classes.name })
    .from(exams)
    .innerJoin(classes, eq(classes.id, exams.classId))
    .where(eq(classes.instructorId, userId));
  const seen = new Set(sat.map((e) => e.id));
  return [...sat, ...taught.filter((r) => !seen.has(r.exam.id)).map((r) => examOf(r.exam, r.className))].sort((a, b) => a.at - b.at || a.id - b.id);
}

/** Whole days from `today` to `day` ('YYYY-MM-DD'): negative once it has passed. */
function daysBetween(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** "today", "tomorrow", "in 21 days", "yesterday", "3 days ago". */
export function daysLeftText(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${days} days` : `${-days} days ago`;
}

/** One exam as a list shows it. */
export interface ExamSummary {
  id: number;
  title: string;
  className: string | null;
  /** In the exam's own zone. */
  when: string;
  timeZone: string;
  target: number;
  /** Study days from the viewer's today to the exam's day, in the viewer's zone. */
  daysLeft: number;
  daysLeftText: string;
}

export function examSummary(exam: Exam, viewer: { timeZone: string; rolloverHour: number }, now: Date): ExamSummary {
  const days = daysBetween(studyDay(now, viewer.timeZone, viewer.rolloverHour), studyDay(new Date(exam.at), viewer.timeZone, viewer.rolloverHour));
  return { id: exam.id, title: exam.title, className: exam.className, when: examTimeText(exam.at, exam.timeZone), timeZone: exam.timeZone, target: exam.target, daysLeft: days, daysLeftText: daysLeftText(days) };
}

/** The viewer's zone and rollover hour (the study calendar days left are counted in). */
async function calendarOf(db: Db | Tx, userId: number): Promise<{ timeZone: string; rolloverHour: number }> {
  const [u] = await db.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, userId));
  if (!u) throw new Error(`no user ${userId}`);
  return u;
}

/** The exams page: the user's exams ahead (soonest first) and past (latest first). */
export async function examsPage({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<{ ahead: ExamSummary[]; past: ExamSummary[] }> {
  const calendar = await calendarOf(db, userId);
  const all = await examsForUser({ db, userId });
  return {
    ahead: all.filter((e) => e.at > now.getTime()).map((e) => examSummary(e, calendar, now)),
    past: all
      .filter((e) => e.at <= now.getTime())
      .reverse()
      .map((e) => examSummary(e, calendar, now)),
  };
}

/** An exam's scope as its page shows it: each chosen bank, topic and family with its number of items in scope. */
export interface ScopeView {
  banks: { id: string; title: string; items: number }[];
  topics: { topic: string; items: number }[];
  families: { family: string; title: string; items: number }[];
  /** Items in scope (each once). */
  items: number;
}

function scopeView(scope: ExamScope, rows: readonly CandidateItem[]): ScopeView {
  const inside = rows.filter((r) => inScope(r, scope));
  const titleOf = new Map(rows.map((r) => [r.bankId, r.bankTitle]));
  return {
    banks: scope.banks.map((id) => ({ id, title: titleOf.get(id) ?? id, items: inside.filter((r) => r.bankId === id).length })),
    topics: scope.topics.map((topic) => ({ topic, items: inside.filter((r) => r.topic === topic).length })),
    families: scope.families.map((family) => ({ family, title: familyTitles.get(family) ?? family, items: inside.filter((r) => r.family === family).length })),
    items: inside.length,
  };
}

export interface ExamPage extends ExamAccess {
  summary: ExamSummary;
  scope: ScopeView;
  /** Study days before the exam's day on which the plan may put reviews (planDays). */
  planDays: number;
  /** The edit form's values: the exam's wall clock in its zone. */
  local: { date: string; time: string };
}

/**
 * The exam page's data. Item counts are over what the viewer studies (a student) or what is
 * published to the class (its instructor).
 */
export async function examPage({ db = getDb(), userId, examId, now }: { db?: Db; userId: number; examId: number; now: Date }): Promise<ExamPage> {
  const access = await examAccess({ db, userId, examId });
  const calendar = await calendarOf(db, userId);
  const { exam } = access;
  const bankIds = await candidateBankIds(db, userId, access.sits ? null : exam.classId);
  return {
    ...access,
    summary: examSummary(exam, calendar, now),
    scope: scopeView(exam.scope, await candidateItems(db, bankIds)),
    planDays: planDays(now.getTime(), exam.at, calendar).length,
    local: localTimeOf(exam.at, exam.timeZone),
  };
}

/** The practice exam's quiz: the exam's scope, as many questions and as long as asked (the builder's own checks). */
export function practiceBuild(exam: Exam, form: FormData | URLSearchParams): FormResult<QuizBuild> {
  const build = new URLSearchParams();
  for (const name of ['count', 'timeLimitMinutes', 'mode']) {
    const v = form.get(name);
    if (typeof v === 'string') build.set(name, v);
  }
  for (const b of exam.scope.banks) build.append('banks', b);
  for (const t of exam.scope.topics) build.append('topics', t);
  for (const f of exam.scope.families) build.append('families', f);
  return parseQuizBuilderForm(build);
}

/** The zones the form offers: every IANA zone this runtime knows, with UTC and the user's own. */
export function timeZoneChoices(own: string): string[] {
  return [...new Set(['UTC', own, ...Intl.supportedValuesOf('timeZone')])].sort();
}
