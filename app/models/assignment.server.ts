/**
 * Quizzes an instructor assigns to a class (docs/decisions/0024-assigned-quizzes.md). The quiz
 * machinery is the student's (app/models/quiz.server.ts): an assigned attempt is a quiz attempt
 * with `assignmentId` set and a deadline the server gives it, so saves, checks, submission and
 * the grace after the deadline are enforced exactly as for a quiz a student builds.
 *
 * - Window: a student may start only inside it (their own window, when the instructor gave
 *   them one, replaces the quiz's).
 * - Attempts: every attempt started counts, an abandoned one too; a replay is the student's own
 *   quiz (no assignmentId) and never counts.
 * - Deadline: min(start + limit × (1 + extra%), window close): the window's close cuts an
 *   attempt short; an untimed quiz's deadline is the close.
 * - Each student draws their own items and variant seeds from the scope when they start; the
 *   attempt stores them, so replaying it rebuilds every question exactly.
 * - Regrades (credit, drop, regrade) are written to quiz_regrades and to every answer to the
 *   item in one transaction; an attempt submitted later gets the regrade that stands at submission.
 */
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db, type Tx } from '../../db/client';
import { classBanks, classes, items, memberships, quizAccommodations, quizAnswers, quizAssignments, quizAttempts, quizRegrades, users, type ItemRow, type QuizAccommodationRow, type QuizAssignmentRow } from '../../db/schema';
import { regradeActions, type RegradeAction } from '../../db/schema-shared';
import { lockRows } from '../../db/sql';
import { topics as knownTopics } from '../../engine/bank/schema';
import { countOf } from '../../engine/answers';
import { parseScope, type ExamScope } from '../exams/scope';
import type { FieldErrors, FormResult } from '../forms';
import { ASSIGNMENT_TITLE_MAX, ATTEMPTS_ALLOWED, REGRADE_TEXT, EXTRA_ATTEMPTS, EXTRA_TIME_PERCENT, MAX_QUESTIONS, QUIZ_MODES, REGRADE_REASON_MAX, TIME_LIMIT_MINUTES, type QuizMode } from '../quiz-limits';
import { instantOfWallClock } from '../scheduling/study-day';
import { AccessDenied } from './access.server';
import {
  closeExpiredAttempts,
  drawSlots,
  gradeStoredAnswer,
  insertAttempt,
  matchingItems,
  pastDeadline,
  QuizRefused,
  regradeColumns,
  scoredAnswer,
  scoreOf,
  slotsOf,
  type AnswerRow,
  type AttemptRow,
  type QuizConfig,
  type RegradeNote,
  type Score,
} from './quiz.server';

/** What the pages say, in one place. */
export const ASSIGNMENT_ERRORS = {
  notYourClass: (classId: number) => `class ${classId} is not one you teach`,
  title: `give the quiz a title of at most ${ASSIGNMENT_TITLE_MAX} characters`,
  noClassBanks: 'This class has no banks yet: publish a bank to it first, then assign a quiz over it.',
  bankNotPublished: (bankId: string) => `bank ${bankId} is not published to this class`,
  emptyScope: 'No auto-graded question (multiple choice, cloze, generated) of the class’s banks matches this choice: choose other banks, topics or families.',
  tooMany: (n: number) => `only ${countOf(n, 'question')} of the class’s banks ${n === 1 ? 'matches' : 'match'} this choice: ask for ${n} or fewer`,
  dateTime: 'write the date and time as YYYY-MM-DDTHH:MM (your time zone)',
  closesInPast: (now: Date) => `the quiz must close in the future (it is now ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
  closesBeforeOpens: 'the quiz must close after it opens',
  locked: 'Students have started this quiz: only its window and attempts can change now.',
  notMember: 'that student is not a member of this class',
  ownWindowEarlier: (closesAt: Date) => `a student’s own window is a later one: it must close at or after the quiz’s close (${closesAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
  ownWindowOrder: 'the student’s window must close after it opens',
  notOpenYet: (opensAt: Date) => `This quiz opens at ${opensAt.toISOString()}: it cannot be started before.`,
  closed: (closesAt: Date) => `This quiz closed at ${closesAt.toISOString()}: it can no longer be started.`,
  noAttemptsLeft: (allowed: number) => `You have used all ${countOf(allowed, 'attempt')} of this quiz.`,
  nothingToDraw: 'No question of this quiz’s scope is left in the class’s banks: ask your instructor.',
  notAQuestion: (itemId: string) => `${itemId} is not a question any student of this quiz has drawn`,
  reason: `say why, in at most ${REGRADE_REASON_MAX} characters: students see it`,
} as const;

export { REGRADE_TEXT };

/** A refusal at the fields (nothing saved). */
export class AssignmentRefused extends Error {
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors).join('; '));
    this.name = 'AssignmentRefused';
  }
}

export interface AssignmentInput {
  title: string;
  scope: ExamScope;
  questionCount: number;
  timeLimitMinutes: number | null;
  opensAt: Date;
  closesAt: Date;
  attemptsAllowed: number;
  mode: QuizMode;
}

// ---------------------------------------------------------------------------------------------
// Forms

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A `datetime-local` value read on the wall clock of `timeZone`; null when malformed. */
export function instantOfLocalInput(text: string, timeZone: string): Date | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, se);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return new Date(instantOfWallClock(wall, timeZone));
}

/** An instant as a `datetime-local` value on the wall clock of `timeZone` (the form's default). */
export function localInputOf(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const f = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${f('year')}-${f('month')}-${f('day')}T${f('hour')}:${f('minute')}`;
}

const kebab = (what: string) => z.string().trim().regex(/^[a-z0-9-]{1,80}$/, { error: `${what} is a kebab-case id` });
const list = (item: z.ZodType<string>) => z.array(item).max(200).default([]);
const whole = (what: string, bounds: { min: number; max: number }) =>
  z.coerce
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number` })
    .min(bounds.min, { error: `${what}: at least ${bounds.min}` })
    .max(bounds.max, { error: `${what}: at most ${bounds.max}` });
const localDateTime = (timeZone: string, optional: boolean) =>
  z
    .string()
    .max(40)
    .transform((text, ctx): Date | null => {
      if (optional && text.trim() === '') return null;
      const at = instantOfLocalInput(text, timeZone);
      if (!at) ctx.addIssue({ code: 'custom', message: ASSIGNMENT_ERRORS.dateTime });
      return at;
    });

const assignmentSchema = (timeZone: string) =>
  z.object({
    title: z.string().trim().min(1, { error: ASSIGNMENT_ERRORS.title }).max(ASSIGNMENT_TITLE_MAX, { error: ASSIGNMENT_ERRORS.title }),
    banks: list(z.string().trim().min(1).max(120)),
    topics: list(z.enum(knownTopics, { error: `a topic must be one of: ${knownTopics.join(', ')}` })),
    families: list(kebab('a family')),
    questionCount: whole('number of questions', { min: 1, max: MAX_QUESTIONS }),
    timeLimitMinutes: z.preprocess(
      (v) => (v === '' || v === undefined || v === null ? null : v),
      z.coerce
        .number({ error: 'time limit must be a number of minutes, or empty for none' })
        .min(TIME_LIMIT_MINUTES.min, { error: `time limit must be at least ${TIME_LIMIT_MINUTES.min} minutes, or empty for none` })
        .max(TIME_LIMIT_MINUTES.max, { error: `time limit must be at most ${TIME_LIMIT_MINUTES.max} minutes` })
        .nullable(),
    ),
    opensAt: localDateTime(timeZone, false),
    closesAt: localDateTime(timeZone, false),
    attemptsAllowed: whole('attempts', ATTEMPTS_ALLOWED),
    mode: z.enum(QUIZ_MODES, { error: 'mode must be exam or practice' }),
  });

function issuesOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return errors;
}

const strings = (form: FormData | URLSearchParams, name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');

/** The create/edit form (dates on the instructor's wall clock in `timeZone`); bounds only: what needs the database is the model's. */
export function parseAssignmentForm(form: FormData | URLSearchParams, timeZone: string): FormResult<AssignmentInput> {
  const one = (name: string) => form.get(name) ?? undefined;
  const parsed = assignmentSchema(timeZone).safeParse({
    title: one('title'),
    banks: strings(form, 'banks'),
    topics: strings(form, 'topics'),
    families: strings(form, 'families'),
    questionCount: one('questionCount'),
    timeLimitMinutes: form.get('timeLimitMinutes') ?? '',
    opensAt: one('opensAt'),
    closesAt: one('closesAt'),
    attemptsAllowed: one('attemptsAllowed'),
    mode: one('mode'),
  });
  if (!parsed.success) return { ok: false, errors: issuesOf(parsed.error) };
  const d = parsed.data;
  return {
    ok: true,
    data: { title: d.title, scope: { banks: d.banks, topics: d.topics, families: d.families }, questionCount: d.questionCount, timeLimitMinutes: d.timeLimitMinutes, opensAt: d.opensAt!, closesAt: d.closesAt!, attemptsAllowed: d.attemptsAllowed, mode: d.mode },
  };
}

export interface AccommodationInput {
  studentId: number;
  extraTimePercent: number;
  opensAt: Date | null;
  closesAt: Date | null;
  extraAttempts: number;
}

/** One student's accommodation form; empty window fields: the quiz's window. */
export function parseAccommodationForm(form: FormData | URLSearchParams, timeZone: string): FormResult<AccommodationInput> {
  const parsed = z
    .object({
      studentId: z.coerce.number().int().positive({ error: 'choose a student' }),
      extraTimePercent: z.preprocess((v) => (v === '' ? 0 : v), whole('extra time', EXTRA_TIME_PERCENT)),
      opensAt: localDateTime(timeZone, true),
      closesAt: localDateTime(timeZone, true),
      extraAttempts: z.preprocess((v) => (v === '' ? 0 : v), whole('extra attempts', EXTRA_ATTEMPTS)),
    })
    .safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')));
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: issuesOf(parsed.error) };
}

/** A regrade's form. */
export function parseRegradeForm(form: FormData | URLSearchParams): FormResult<{ itemId: string; action: RegradeAction; reason: string }> {
  const parsed = z
    .object({
      itemId: z.string().min(1).max(200),
      action: z.enum(regradeActions, { error: 'choose credit, drop or regrade' }),
      reason: z.string().trim().min(1, { error: ASSIGNMENT_ERRORS.reason }).max(REGRADE_REASON_MAX, { error: ASSIGNMENT_ERRORS.reason }),
    })
    .safeParse({ itemId: form.get('itemId') ?? '', action: form.get('action') ?? '', reason: form.get('reason') ?? '' });
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: issuesOf(parsed.error) };
}

// ---------------------------------------------------------------------------------------------
// Who may touch what

async function taughtClass(db: Db | Tx, userId: number, classId: number) {
  const [cls] = await db.select().from(classes).where(eq(classes.id, classId));
  if (!cls || cls.instructorId !== userId) throw new AccessDenied(ASSIGNMENT_ERRORS.notYourClass(classId));
  return cls;
}

function notFound(): never {
  throw new Response('Not Found', { status: 404 });
}

/** The assignment of a class the user teaches: 404 unknown, AccessDenied another's. */
async function taughtAssignment(db: Db | Tx, userId: number, assignmentId: number): Promise<QuizAssignmentRow & { className: string }> {
  const [row] = await db.select({ a: quizAssignments, className: classes.name, instructorId: classes.instructorId }).from(quizAssignments).innerJoin(classes, eq(classes.id, quizAssignments.classId)).where(eq(quizAssignments.id, assignmentId));
  if (!row) notFound();
  if (row.instructorId !== userId) throw new AccessDenied(ASSIGNMENT_ERRORS.notYourClass(row.a.classId));
  return { ...row.a, className: row.className };
}

async function isMember(db: Db | Tx, userId: number, classId: number): Promise<boolean> {
  const [m] = await db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.classId, classId), eq(memberships.userId, userId)));
  return Boolean(m);
}

async function classBankIds(db: Db, classId: number): Promise<string[]> {
  return (await db.select({ bankId: classBanks.bankId }).from(classBanks).where(eq(classBanks.classId, classId))).map((r) => r.bankId);
}

/**
 * The items a quiz over `scope` draws from for `userId`: the live auto-graded items of the
 * class's banks (the chosen ones, all when none is chosen) matching the scope's topics or families.
 */
async function scopePool(db: Db, userId: number, classId: number, scope: ExamScope): Promise<ItemRow[]> {
  const published = await classBankIds(db, classId);
  const bankIds = scope.banks.length ? scope.banks.filter((b) => published.includes(b)) : published;
  if (bankIds.length === 0) return [];
  return matchingItems({ db, userId, filter: { banks: bankIds, topics: scope.topics, tags: [], families: scope.families } });
}

/** What is wrong with `input` for the class, per field; `contentLocked`: students started, so scope and count are not checked again. */
async function assignmentErrors(db: Db, userId: number, classId: number, input: AssignmentInput, now: Date, contentLocked = false): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (input.closesAt.getTime() <= now.getTime()) errors.closesAt = ASSIGNMENT_ERRORS.closesInPast(now);
  else if (input.opensAt.getTime() >= input.closesAt.getTime()) errors.closesAt = ASSIGNMENT_ERRORS.closesBeforeOpens;
  if (contentLocked) return errors;
  const published = await classBankIds(db, classId);
  if (published.length === 0) {
    errors.scope = ASSIGNMENT_ERRORS.noClassBanks;
    return errors;
  }
  const stray = input.scope.banks.find((b) => !published.includes(b));
  if (stray) errors.banks = ASSIGNMENT_ERRORS.bankNotPublished(stray);
  else {
    const pool = await scopePool(db, userId, classId, input.scope);
    if (pool.length === 0) errors.scope = ASSIGNMENT_ERRORS.emptyScope;
    else if (input.questionCount > pool.length) errors.questionCount = ASSIGNMENT_ERRORS.tooMany(pool.length);
  }
  return errors;
}

function columnsOf(input: AssignmentInput) {
  return {
    title: input.title,
    scope: JSON.stringify(input.scope),
    questionCount: input.questionCount,
    timeLimitMinutes: input.timeLimitMinutes,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    attemptsAllowed: input.attemptsAllowed,
    mode: input.mode,
  };
}

/** Sets a quiz for a class (its instructor only); refused at the fields with nothing saved. */
export async function createAssignment({ db = getDb(), userId, classId, input, now }: { db?: Db; userId: number; classId: number; input: AssignmentInput; now: Date }): Promise<QuizAssignmentRow> {
  await taughtClass(db, userId, classId);
  const errors = await assignmentErrors(db, userId, classId, input, now);
  if (Object.keys(errors).length) throw new AssignmentRefused(errors);
  const [row] = await db.insert(quizAssignments).values({ classId, createdBy: userId, ...columnsOf(input), createdAt: now }).returning();
  return row!;
}

async function attemptCount(db: Db | Tx, assignmentId: number): Promise<number> {
  const [r] = await db.select({ n: count() }).from(quizAttempts).where(eq(quizAttempts.assignmentId, assignmentId));
  return Number(r?.n ?? 0);
}

/**
 * Changes an assigned quiz. Until a student starts it everything may change; after, only the
 * window and the attempts (a change to anything else is refused at its field, nothing saved).
 */
export async function updateAssignment({ db = getDb(), userId, assignmentId, input, now }: { db?: Db; userId: number; assignmentId: number; input: AssignmentInput; now: Date }): Promise<QuizAssignmentRow> {
  const current = await taughtAssignment(db, userId, assignmentId);
  const started = (await attemptCount(db, assignmentId)) > 0;
  const errors = await assignmentErrors(db, userId, current.classId, input, now, started);
  if (started) {
    const before = columnsOf({ ...assignmentInputOf(current), opensAt: input.opensAt, closesAt: input.closesAt, attemptsAllowed: input.attemptsAllowed });
    const after = columnsOf(input);
    const scopeOf = (json: string) => JSON.stringify(parseScope(json));
    if (before.title !== after.title) errors.title = ASSIGNMENT_ERRORS.locked;
    if (scopeOf(before.scope) !== scopeOf(after.scope)) errors.scope = ASSIGNMENT_ERRORS.locked;
    if (before.questionCount !== after.questionCount) errors.questionCount = ASSIGNMENT_ERRORS.locked;
    if (before.timeLimitMinutes !== after.timeLimitMinutes) errors.timeLimitMinutes = ASSIGNMENT_ERRORS.locked;
    if (before.mode !== after.mode) errors.mode = ASSIGNMENT_ERRORS.locked;
  }
  if (Object.keys(errors).length) throw new AssignmentRefused(errors);
  const [row] = await db.update(quizAssignments).set(columnsOf(input)).where(eq(quizAssignments.id, assignmentId)).returning();
  return row!;
}

export function assignmentInputOf(row: QuizAssignmentRow): AssignmentInput {
  return { title: row.title, scope: parseScope(row.scope), questionCount: row.questionCount, timeLimitMinutes: row.timeLimitMinutes, opensAt: row.opensAt, closesAt: row.closesAt, attemptsAllowed: row.attemptsAllowed, mode: row.mode };
}

/** Sets (or, all at their defaults, clears) one member's accommodation. */
export async function setAccommodation({ db = getDb(), userId, assignmentId, accommodation, now }: { db?: Db; userId: number; assignmentId: number; accommodation: AccommodationInput; now: Date }): Promise<QuizAccommodationRow | null> {
  const quiz = await taughtAssignment(db, userId, assignmentId);
  const a = accommodation;
  if (!(await isMember(db, a.studentId, quiz.classId))) throw new AssignmentRefused({ studentId: ASSIGNMENT_ERRORS.notMember });
  const opensAt = a.opensAt ?? quiz.opensAt;
  const closesAt = a.closesAt ?? quiz.closesAt;
  const errors: FieldErrors = {};
  if (a.closesAt && a.closesAt.getTime() < quiz.closesAt.getTime()) errors.closesAt = ASSIGNMENT_ERRORS.ownWindowEarlier(quiz.closesAt);
  else if (a.closesAt && a.closesAt.getTime() <= now.getTime()) errors.closesAt = ASSIGNMENT_ERRORS.closesInPast(now);
  else if (opensAt.getTime() >= closesAt.getTime()) errors.closesAt = ASSIGNMENT_ERRORS.ownWindowOrder;
  if (Object.keys(errors).length) throw new AssignmentRefused(errors);
  const key = and(eq(quizAccommodations.assignmentId, assignmentId), eq(quizAccommodations.userId, a.studentId));
  if (a.extraTimePercent === 0 && a.extraAttempts === 0 && a.opensAt === null && a.closesAt === null) {
    await db.delete(quizAccommodations).where(key);
    return null;
  }
  const values = { extraTimePercent: a.extraTimePercent, opensAt: a.opensAt, closesAt: a.closesAt, extraAttempts: a.extraAttempts };
  const [row] = await db
    .insert(quizAccommodations)
    .values({ assignmentId, userId: a.studentId, ...values })
    .onConflictDoUpdate({ target: [quizAccommodations.assignmentId, quizAccommodations.userId], set: values })
    .returning();
  return row!;
}

// ---------------------------------------------------------------------------------------------
// The student's side

/** The window, attempts and time one student has on one quiz, accommodations applied. */
export interface StudentTerms {
  opensAt: Date;
  closesAt: Date;
  attemptsAllowed: number;
  extraTimePercent: number;
}

export function termsOf(quiz: QuizAssignmentRow, acc: Pick<QuizAccommodationRow, 'extraTimePercent' | 'opensAt' | 'closesAt' | 'extraAttempts'> | null | undefined): StudentTerms {
  return { opensAt: acc?.opensAt ?? quiz.opensAt, closesAt: acc?.closesAt ?? quiz.closesAt, attemptsAllowed: quiz.attemptsAllowed + (acc?.extraAttempts ?? 0), extraTimePercent: acc?.extraTimePercent ?? 0 };
}

/** The deadline of an attempt started at `startedAt`: min(start + limit × (1 + extra%), window close). */
export function deadlineOf(quiz: Pick<QuizAssignmentRow, 'timeLimitMinutes'>, terms: StudentTerms, startedAt: Date): Date {
  if (quiz.timeLimitMinutes === null) return terms.closesAt;
  const limitMs = Math.round(quiz.timeLimitMinutes * 60_000 * (1 + terms.extraTimePercent / 100));
  return new Date(Math.min(startedAt.getTime() + limitMs, terms.closesAt.getTime()));
}

async function accommodationOf(db: Db | Tx, assignmentId: number, userId: number): Promise<QuizAccommodationRow | null> {
  const [row] = await db.select().from(quizAccommodations).where(and(eq(quizAccommodations.assignmentId, assignmentId), eq(quizAccommodations.userId, userId)));
  return row ?? null;
}

/** A member's quiz, or 404 (unknown, or a class they are not in). */
async function memberAssignment(db: Db, userId: number, assignmentId: number): Promise<QuizAssignmentRow> {
  const [quiz] = await db.select().from(quizAssignments).where(eq(quizAssignments.id, assignmentId));
  if (!quiz || !(await isMember(db, userId, quiz.classId))) notFound();
  return quiz;
}

export type StartResult = { attempt: AttemptRow; resumed: boolean };

/**
 * Starts (or resumes the open) attempt of a member on an assigned quiz: refused (409) outside
 * their window or with no attempts left; 404 for a non-member. The count and the insert run
 * under the student's row lock, so two starts at once cannot both take the last attempt.
 */
export async function startAssignment({ db = getDb(), userId, assignmentId, now }: { db?: Db; userId: number; assignmentId: number; now: Date }): Promise<StartResult> {
  const quiz = await memberAssignment(db, userId, assignmentId);
  const terms = termsOf(quiz, await accommodationOf(db, assignmentId, userId));
  const scope = parseScope(quiz.scope);
  const pool = await scopePool(db, userId, quiz.classId, scope);
  return db.transaction(async (tx): Promise<StartResult> => {
    await lockRows(tx, users, eq(users.id, userId));
    const attempts = await tx.select().from(quizAttempts).where(and(eq(quizAttempts.assignmentId, assignmentId), eq(quizAttempts.userId, userId)));
    const open = attempts.find((a) => !a.submittedAt && !pastDeadline(a, now));
    if (open) return { attempt: open, resumed: true };
    if (now < terms.opensAt) throw new QuizRefused(ASSIGNMENT_ERRORS.notOpenYet(terms.opensAt), 409);
    if (now >= terms.closesAt) throw new QuizRefused(ASSIGNMENT_ERRORS.closed(terms.closesAt), 409);
    if (attempts.length >= terms.attemptsAllowed) throw new QuizRefused(ASSIGNMENT_ERRORS.noAttemptsLeft(terms.attemptsAllowed), 409);
    if (pool.length === 0) throw new QuizRefused(ASSIGNMENT_ERRORS.nothingToDraw, 409);
    const config: QuizConfig = { banks: scope.banks, topics: scope.topics, tags: [], families: scope.families, count: quiz.questionCount, timeLimitMinutes: quiz.timeLimitMinutes, mode: quiz.mode };
    const attempt = await insertAttempt(tx, userId, config, drawSlots(pool, quiz.questionCount), now, { assignmentId, deadlineAt: deadlineOf(quiz, terms, now) });
    return { attempt, resumed: false };
  });
}

type Scorable = Pick<AnswerRow, 'attemptId' | 'correct' | 'regradedCorrect' | 'dropped'>;

async function answersByAttempt(db: Db, attemptIds: number[]): Promise<Map<number, Scorable[]>> {
  const out = new Map<number, Scorable[]>();
  if (attemptIds.length === 0) return out;
  const rows = await db
    .select({ attemptId: quizAnswers.attemptId, correct: quizAnswers.correct, regradedCorrect: quizAnswers.regradedCorrect, dropped: quizAnswers.dropped })
    .from(quizAnswers)
    .where(inArray(quizAnswers.attemptId, attemptIds));
  for (const r of rows) out.set(r.attemptId, [...(out.get(r.attemptId) ?? []), r]);
  return out;
}

export interface AttemptLine {
  id: number;
  startedAt: Date;
  submittedAt: Date | null;
  score: Score | null;
}

/** One assigned quiz as a student sees it (dashboard, start page). */
export interface StudentQuiz extends StudentTerms {
  id: number;
  title: string;
  className: string;
  mode: QuizMode;
  questionCount: number;
  timeLimitMinutes: number | null;
  /** The limit with the student's extra time; null: untimed. */
  yourLimitMinutes: number | null;
  attemptsUsed: number;
  attemptsLeft: number;
  /** An attempt started and still open: "resume". */
  openAttemptId: number | null;
  attempts: AttemptLine[];
  best: Score | null;
  status: 'upcoming' | 'open' | 'done';
}

function bestOf(scores: Score[]): Score | null {
  return scores.reduce<Score | null>((b, s) => (b === null || s.percent > b.percent ? s : b), null);
}

async function studentQuizzes(db: Db, userId: number, now: Date, assignmentId?: number): Promise<StudentQuiz[]> {
  const quizzes = await db
    .select({ q: quizAssignments, className: classes.name })
    .from(quizAssignments)
    .innerJoin(classes, eq(classes.id, quizAssignments.classId))
    .innerJoin(memberships, and(eq(memberships.classId, quizAssignments.classId), eq(memberships.userId, userId)))
    .where(assignmentId === undefined ? undefined : eq(quizAssignments.id, assignmentId))
    .orderBy(asc(quizAssignments.closesAt), asc(quizAssignments.id));
  if (quizzes.length === 0) return [];
  const ids = quizzes.map((r) => r.q.id);
  const accs = new Map((await db.select().from(quizAccommodations).where(and(eq(quizAccommodations.userId, userId), inArray(quizAccommodations.assignmentId, ids)))).map((a) => [a.assignmentId, a]));
  const stored = await db.select().from(quizAttempts).where(and(eq(quizAttempts.userId, userId), inArray(quizAttempts.assignmentId, ids))).orderBy(asc(quizAttempts.startedAt), asc(quizAttempts.id));
  const attempts = await closeExpiredAttempts(db, stored, now);
  const answers = await answersByAttempt(db, attempts.map((a) => a.id));
  return quizzes.map(({ q, className }): StudentQuiz => {
    const terms = termsOf(q, accs.get(q.id));
    const mine = attempts.filter((a) => a.assignmentId === q.id);
    const lines = mine.map((a): AttemptLine => ({ id: a.id, startedAt: a.startedAt, submittedAt: a.submittedAt, score: a.submittedAt ? scoreOf(slotsOf(a).length, answers.get(a.id) ?? []) : null }));
    const open = mine.find((a) => !a.submittedAt);
    const attemptsLeft = Math.max(0, terms.attemptsAllowed - mine.length);
    const status = now < terms.opensAt ? 'upcoming' : now < terms.closesAt && (attemptsLeft > 0 || open) ? 'open' : 'done';
    return {
      id: q.id,
      title: q.title,
      className,
      mode: q.mode,
      questionCount: q.questionCount,
      timeLimitMinutes: q.timeLimitMinutes,
      yourLimitMinutes: q.timeLimitMinutes === null ? null : Math.round(q.timeLimitMinutes * (1 + terms.extraTimePercent / 100) * 100) / 100,
      ...terms,
      attemptsUsed: mine.length,
      attemptsLeft,
      openAttemptId: open?.id ?? null,
      attempts: lines,
      best: bestOf(lines.flatMap((l) => (l.score ? [l.score] : []))),
      status,
    };
  });
}

/** The start page of one assigned quiz for a member (404 for anyone else). */
export async function studentAssignment({ db = getDb(), userId, assignmentId, now }: { db?: Db; userId: number; assignmentId: number; now: Date }): Promise<StudentQuiz> {
  await memberAssignment(db, userId, assignmentId);
  return (await studentQuizzes(db, userId, now, assignmentId))[0]!;
}

/** The dashboard's quizzes: open now (soonest to close first), upcoming (soonest to open first), done (latest first). */
export async function assignedQuizzes({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<{ open: StudentQuiz[]; upcoming: StudentQuiz[]; done: StudentQuiz[] }> {
  const all = await studentQuizzes(db, userId, now);
  return {
    open: all.filter((q) => q.status === 'open'),
    upcoming: all.filter((q) => q.status === 'upcoming').sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime()),
    done: all.filter((q) => q.status === 'done').reverse(),
  };
}

// ---------------------------------------------------------------------------------------------
// The instructor's side

/** The class page's list of quizzes (its instructor only). */
export async function classQuizzes({ db = getDb(), userId, classId }: { db?: Db; userId: number; classId: number }) {
  await taughtClass(db, userId, classId);
  const rows = await db.select().from(quizAssignments).where(eq(quizAssignments.classId, classId)).orderBy(desc(quizAssignments.opensAt), desc(quizAssignments.id));
  const started = new Map<number, number>();
  if (rows.length) {
    const counts = await db
      .selectDistinct({ assignmentId: quizAttempts.assignmentId, userId: quizAttempts.userId })
      .from(quizAttempts)
      .where(inArray(quizAttempts.assignmentId, rows.map((r) => r.id)));
    for (const c of counts) started.set(c.assignmentId!, (started.get(c.assignmentId!) ?? 0) + 1);
  }
  return rows.map((r) => ({ id: r.id, title: r.title, mode: r.mode, questionCount: r.questionCount, timeLimitMinutes: r.timeLimitMinutes, opensAt: r.opensAt, closesAt: r.closesAt, attemptsAllowed: r.attemptsAllowed, students: started.get(r.id) ?? 0 }));
}

/** The class's banks and the topics and families of their quiz items: what the create form offers. */
export async function assignmentOptions({ db = getDb(), userId, classId }: { db?: Db; userId: number; classId: number }) {
  const cls = await taughtClass(db, userId, classId);
  const published = await classBankIds(db, classId);
  const pool = published.length ? await matchingItems({ db, userId, filter: { banks: published, topics: [], tags: [], families: [] } }) : [];
  const tally = (keys: (string | null)[]) => {
    const m = new Map<string, number>();
    for (const k of keys) if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([id, n]) => ({ id, count: n }));
  };
  return { className: cls.name, banks: tally(pool.map((r) => r.bankId)), topics: tally(pool.map((r) => r.topic)), families: tally(pool.map((r) => r.family)), items: pool.length };
}

export interface StudentResult {
  userId: number;
  displayName: string;
  email: string;
  accommodation: Pick<QuizAccommodationRow, 'extraTimePercent' | 'opensAt' | 'closesAt' | 'extraAttempts'> | null;
  terms: StudentTerms;
  attempts: number;
  best: Score | null;
  last: Score | null;
  /** The last submitted attempt: time on its questions, and when. */
  lastTimeMs: number | null;
  lastSubmittedAt: Date | null;
}

export interface QuestionStats {
  itemId: string;
  topic: string;
  family: string | null;
  /** Times a student drew it (in submitted attempts). */
  drawn: number;
  answered: number;
  /** Right as scored, over the answers counted; null when none counts (dropped, or never drawn). */
  percentCorrect: number | null;
  medianTimeMs: number | null;
  /** The wrong answer most often given, as the grader read it. */
  commonWrong: { readAs: string; count: number } | null;
  regrade: RegradeNote | null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The reader's words of a graded answer (readAs holds `{ readAs, value }` JSON). */
function readingOf(readAs: string | null): string | null {
  if (readAs === null) return null;
  try {
    return (JSON.parse(readAs) as { readAs?: string | null }).readAs ?? null;
  } catch {
    return null;
  }
}

/** The instructor's results: per student (accommodations shown) and per question, and the regrades. */
export async function assignmentResults({ db = getDb(), userId, assignmentId, now }: { db?: Db; userId: number; assignmentId: number; now: Date }) {
  const quiz = await taughtAssignment(db, userId, assignmentId);
  const members = await db
    .select({ id: users.id, displayName: users.displayName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.classId, quiz.classId))
    .orderBy(asc(users.displayName), asc(users.id));
  const accs = new Map((await db.select().from(quizAccommodations).where(eq(quizAccommodations.assignmentId, assignmentId))).map((a) => [a.userId, a]));
  const attempts = await closeExpiredAttempts(db, await db.select().from(quizAttempts).where(eq(quizAttempts.assignmentId, assignmentId)).orderBy(asc(quizAttempts.startedAt), asc(quizAttempts.id)), now);
  const submitted = attempts.filter((a) => a.submittedAt);
  const answerRows = submitted.length ? await db.select().from(quizAnswers).where(inArray(quizAnswers.attemptId, submitted.map((a) => a.id))) : [];
  const byAttempt = new Map<number, AnswerRow[]>();
  for (const r of answerRows) byAttempt.set(r.attemptId, [...(byAttempt.get(r.attemptId) ?? []), r]);

  const students = members.map((m): StudentResult => {
    const mine = attempts.filter((a) => a.userId === m.id);
    const done = mine.filter((a) => a.submittedAt);
    const scores = done.map((a) => scoreOf(slotsOf(a).length, byAttempt.get(a.id) ?? []));
    const last = done.at(-1);
    const acc = accs.get(m.id);
    return {
      userId: m.id,
      displayName: m.displayName,
      email: m.email,
      accommodation: acc ? { extraTimePercent: acc.extraTimePercent, opensAt: acc.opensAt, closesAt: acc.closesAt, extraAttempts: acc.extraAttempts } : null,
      terms: termsOf(quiz, acc),
      attempts: mine.length,
      best: bestOf(scores),
      last: scores.at(-1) ?? null,
      lastTimeMs: last ? (byAttempt.get(last.id) ?? []).reduce((n, a) => n + a.timeMs, 0) : null,
      lastSubmittedAt: last?.submittedAt ?? null,
    };
  });

  const regrades = await db.select({ r: quizRegrades, byName: users.displayName }).from(quizRegrades).innerJoin(users, eq(users.id, quizRegrades.by)).where(eq(quizRegrades.assignmentId, assignmentId)).orderBy(asc(quizRegrades.at), asc(quizRegrades.id));
  const standing = new Map(regrades.map(({ r }) => [r.itemId, { action: r.action, reason: r.reason, at: r.at }]));
  const drawnIds = [...new Set(submitted.flatMap((a) => slotsOf(a).map((s) => s.itemId)))];
  const itemRows = new Map(drawnIds.length ? (await db.select({ id: items.id, topic: items.topic, family: items.family }).from(items).where(inArray(items.id, drawnIds))).map((r) => [r.id, r]) : []);
  const questions = drawnIds
    .map((itemId): QuestionStats => {
      let drawn = 0;
      for (const a of submitted) drawn += slotsOf(a).filter((s) => s.itemId === itemId).length;
      const mine = answerRows.filter((r) => r.itemId === itemId);
      const answered = mine.filter((r) => r.rawAnswer.trim() !== '');
      const counted = mine.map(scoredAnswer).filter((s) => s.counted);
      // Positions with no answer row (attempts stored before every question had one) count wrong.
      const uncounted = drawn - mine.length;
      const total = counted.length + Math.max(0, uncounted);
      const wrong = new Map<string, number>();
      for (const r of answered) {
        if (scoredAnswer(r).correct) continue;
        const reading = readingOf(r.readAs);
        if (reading) wrong.set(reading, (wrong.get(reading) ?? 0) + 1);
      }
      const [commonReading, commonCount] = [...wrong].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0] ?? [];
      const row = itemRows.get(itemId);
      return {
        itemId,
        topic: row?.topic ?? '',
        family: row?.family ?? null,
        drawn,
        answered: answered.length,
        percentCorrect: mine.every((r) => r.dropped) && mine.length > 0 ? null : total === 0 ? null : Math.round((1000 * counted.filter((s) => s.correct).length) / total) / 10,
        medianTimeMs: median(answered.map((r) => r.timeMs)),
        commonWrong: commonReading === undefined ? null : { readAs: commonReading, count: commonCount! },
        regrade: standing.get(itemId) ?? null,
      };
    })
    .sort((a, b) => a.itemId.localeCompare(b.itemId));
  return {
    quiz: { ...quiz, scope: parseScope(quiz.scope) },
    started: attempts.length > 0,
    students,
    questions,
    regrades: regrades.map(({ r, byName }) => ({ id: r.id, itemId: r.itemId, action: r.action, reason: r.reason, changed: r.changed, by: byName, at: r.at })),
  };
}

/**
 * Regrades one question of an assigned quiz in every submitted attempt that drew it, in one
 * transaction with the quiz_regrades row: `credit` counts every answer right, `drop` leaves the
 * question out of every score, `regrade` grades the stored raw answers again (same seeds)
 * against the item as it now is. Returns the number of answers whose score changed. Attempts
 * still open get the regrade that stands when they are submitted.
 */
export async function regradeQuestion({ db = getDb(), userId, assignmentId, itemId, action, reason, now }: { db?: Db; userId: number; assignmentId: number; itemId: string; action: RegradeAction; reason: string; now: Date }): Promise<{ changed: number; answers: number }> {
  await taughtAssignment(db, userId, assignmentId);
  if (reason.trim() === '') throw new AssignmentRefused({ reason: ASSIGNMENT_ERRORS.reason });
  const [item] = await db.select().from(items).where(eq(items.id, itemId));
  return db.transaction(async (tx) => {
    // The quiz's attempts locked: a submission waits, then reads this regrade as standing.
    await lockRows(tx, quizAttempts, eq(quizAttempts.assignmentId, assignmentId));
    const attempts = await tx.select().from(quizAttempts).where(eq(quizAttempts.assignmentId, assignmentId));
    const drew = attempts.filter((a) => slotsOf(a).some((s) => s.itemId === itemId));
    if (!item || drew.length === 0) throw new AssignmentRefused({ itemId: ASSIGNMENT_ERRORS.notAQuestion(itemId) });
    const submitted = drew.filter((a) => a.submittedAt);
    const stored = submitted.length ? await tx.select().from(quizAnswers).where(and(inArray(quizAnswers.attemptId, submitted.map((a) => a.id)), eq(quizAnswers.itemId, itemId))) : [];
    const rowAt = new Map(stored.map((r) => [`${r.attemptId}|${r.position}`, r]));
    let changed = 0;
    let answers = 0;
    for (const attempt of submitted) {
      for (const [position, slot] of slotsOf(attempt).entries()) {
        if (slot.itemId !== itemId) continue;
        answers++;
        const before = rowAt.get(`${attempt.id}|${position}`) ?? { correct: false, regradedCorrect: null, dropped: false, rawAnswer: '' };
        const columns = action === 'regrade' ? { regradedCorrect: gradeStoredAnswer(item, slot.seed, before.rawAnswer).correct, dropped: false } : regradeColumns(action);
        const was = scoredAnswer(before);
        const is = scoredAnswer({ correct: before.correct, ...columns });
        if (was.counted !== is.counted || was.correct !== is.correct) changed++;
        await tx
          .insert(quizAnswers)
          .values({ attemptId: attempt.id, position, itemId, seed: slot.seed, rawAnswer: '', readAs: null, correct: false, flagged: false, timeMs: 0, ...columns })
          .onConflictDoUpdate({ target: [quizAnswers.attemptId, quizAnswers.position], set: columns });
      }
    }
    await tx.insert(quizRegrades).values({ assignmentId, itemId, action, reason: reason.trim(), changed, by: userId, at: now });
    return { changed, answers };
  });
}

/** The assignment's class and its instructor, for routes (the URL's class must match; the instructor is sent to the results); null when unknown. */
export async function assignmentClass({ db = getDb(), assignmentId }: { db?: Db; assignmentId: number }): Promise<{ classId: number; instructorId: number } | null> {
  const [row] = await db.select({ classId: quizAssignments.classId, instructorId: classes.instructorId }).from(quizAssignments).innerJoin(classes, eq(classes.id, quizAssignments.classId)).where(eq(quizAssignments.id, assignmentId));
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Words the pages show (formatted on the server, in the reader's zone: no hydration mismatch)

/** "2 Mar 2026, 10:00" on the wall clock of `timeZone`. */
export function whenText(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}

/** "3 d 4 h", "2 h 5 min", "12 min", "under a minute": how long until `at`. */
export function timeLeftText(at: Date, now: Date): string {
  const min = Math.floor((at.getTime() - now.getTime()) / 60_000);
  if (min < 1) return 'under a minute';
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (d > 0) return `${d} d ${h} h`;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** A score as the pages write it: "2/3 (66.7%)". */
export function scoreText(s: Score | null): string {
  return s === null ? '—' : `${s.correct}/${s.total} (${s.percent}%)`;
}

/** A student's quiz as a dashboard or start page line, all text. */
export function studentQuizLine(q: StudentQuiz, timeZone: string, now: Date) {
  return {
    id: q.id,
    title: q.title,
    className: q.className,
    mode: q.mode,
    status: q.status,
    questions: countOf(q.questionCount, 'question'),
    limit: q.yourLimitMinutes === null ? 'no time limit' : `${q.yourLimitMinutes} min${q.extraTimePercent ? ` (${q.timeLimitMinutes} + ${q.extraTimePercent}% extra)` : ''}`,
    opens: whenText(q.opensAt, timeZone),
    closes: whenText(q.closesAt, timeZone),
    opensIn: q.status === 'upcoming' ? timeLeftText(q.opensAt, now) : null,
    closesIn: q.status === 'open' ? timeLeftText(q.closesAt, now) : null,
    attemptsLeft: q.attemptsLeft,
    attemptsAllowed: q.attemptsAllowed,
    attemptsUsed: q.attemptsUsed,
    openAttemptId: q.openAttemptId,
    best: q.best ? scoreText(q.best) : null,
    attempts: q.attempts.map((a) => ({ id: a.id, started: whenText(a.startedAt, timeZone), submitted: a.submittedAt ? whenText(a.submittedAt, timeZone) : null, score: a.score ? scoreText(a.score) : null })),
  };
}
export type StudentQuizLine = ReturnType<typeof studentQuizLine>;
