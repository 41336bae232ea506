/**
 * Exam-prep quizzes: an attempt fixes its items and variant seeds when it starts, answers are
 * saved as they are typed, and the deadline is the server's: after it (and a short grace for
 * latency) nothing more is saved and the attempt counts as submitted at its deadline.
 *
 * Quiz answers live only in quiz_attempts and quiz_answers: they never write reviews nor touch
 * FSRS state; the one bridge is addMissesToReview, which puts missed items at the front of the
 * daily review and changes no memory state (docs/decisions/0008-quizzes-and-scheduling.md).
 *
 * A stored answer's readAs is null until the answer is graded: at a practice-mode "check"
 * (which locks it) or at submission. So, before submission, readAs non-null means "checked".
 */
import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db, type Tx } from '../../db/client';
import { regionsColumn } from '../analytics/regions';
import { banks, cards, classes, items, quizAccommodations, quizAnswers, quizAssignments, quizAttempts, quizRegrades, users, type ItemRow } from '../../db/schema';
import type { RegradeAction } from '../../db/schema-shared';
import { lockRows } from '../../db/sql';
import { topics as knownTopics } from '../../engine/bank/schema';
import type { FormResult, FieldErrors } from '../forms';
import { newCardState, State } from '../scheduling/scheduler';
import { CLOZE_SEPARATOR } from '../../engine/bank/cloze';
import { parseStoredItem } from '../../engine/bank/item';
import { gradeItem, presentItem, type GradedCard, type PresentedCard } from '../study.server';
import { MAX_QUESTIONS, QUIZ_MODES, TIME_LIMIT_MINUTES, type QuizMode } from '../quiz-limits';
import { AccessDenied, studiedBankCondition } from './access.server';
import { cardColumnsOf } from './card.server';
import { dailyReviewIntervals } from './intervals.server';
import type { RatingInterval } from '../scheduling/intervals';
import { countOf } from '../../engine/answers';

export { MAX_QUESTIONS, QUIZ_MODES, TIME_LIMIT_MINUTES, type QuizMode };

/** Item kinds a quiz can grade by itself; a basic card is self-graded after seeing its back, which is feedback. */
export const QUIZ_ITEM_KINDS = ['choice', 'cloze', 'generated'] as const;

/** A save sent just before the deadline still counts if it arrives within this much after it. */
export const DEADLINE_GRACE_MS = 2_000;

export const QUIZ_ERRORS = {
  notYours: (id: number) => `quiz attempt ${id} belongs to someone else`,
  nothingMatches: 'No questions match that choice: quizzes use auto-graded items (multiple choice, cloze, generated). Choose more banks, topics or architectures.',
  submitted: (at: Date) => `This attempt was submitted at ${at.toISOString()}; its answers can no longer change.`,
  late: (deadline: Date, now: Date) =>
    `Time ran out at ${deadline.toISOString()}; this answer arrived ${((now.getTime() - deadline.getTime()) / 1000).toFixed(1)} s late and was not saved. The attempt is submitted as it stood at the deadline.`,
  position: (position: number, count: number) => `question ${position + 1} does not exist: this quiz has ${countOf(count, 'question')}`,
  examCheck: 'An exam shows results only at the end: submit to see them.',
  notSubmitted: 'Submit the attempt first: its misses are known only then.',
  replayHidden: (revealAt: Date) => `This is an exam your class is still taking: its answers, and replays, come once it closes for everyone (${revealAt.toISOString()}).`,
} as const;

/** A quiz action refused for a reason the student can act on; `status` is the HTTP answer (400, 409). */
export class QuizRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 409,
  ) {
    super(message);
    this.name = 'QuizRefused';
  }
}

const filterList = (what: string, item: z.ZodType<string>) =>
  z.array(item).max(200, { error: `too many ${what}` }).default([]);

/** The builder's form; names match the form fields (repeated checkboxes for the lists). */
export const QuizBuilderSchema = z.object({
  banks: filterList('banks', z.string().trim().min(1).max(120)),
  topics: filterList('topics', z.enum(knownTopics, { error: `a topic must be one of: ${knownTopics.join(', ')}` })),
  tags: filterList('architectures', z.string().trim().regex(/^[a-z0-9-]{1,80}$/, { error: 'an architecture is a kebab-case tag, e.g. alexnet' })),
  families: filterList('families', z.string().trim().regex(/^[a-z0-9-]{1,80}$/, { error: 'a family is a kebab-case id from `stride families`, e.g. conv-output' })),
  count: z.coerce
    .number({ error: 'number of questions must be a number' })
    .int({ error: 'number of questions must be a whole number' })
    .min(1, { error: 'at least 1 question' })
    .max(MAX_QUESTIONS, { error: `at most ${MAX_QUESTIONS} questions` }),
  timeLimitMinutes: z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? null : v),
    z.coerce
      .number({ error: 'time limit must be a number of minutes, or empty for none' })
      .min(TIME_LIMIT_MINUTES.min, { error: `time limit must be at least ${TIME_LIMIT_MINUTES.min} minutes (3 s), or empty for none` })
      .max(TIME_LIMIT_MINUTES.max, { error: `time limit must be at most ${TIME_LIMIT_MINUTES.max} minutes` })
      .nullable(),
  ),
  mode: z.enum(QUIZ_MODES, { error: 'mode must be exam or practice' }),
});
export type QuizBuild = z.infer<typeof QuizBuilderSchema>;

/** The quiz as built, stored with the attempt. */
export interface QuizConfig extends QuizBuild {
  /** The attempt this one replays (same items, same seeds). */
  replayOf?: number;
}

/** One position of an attempt: the item and the variant seed it was drawn with (null for a fact). */
export interface QuizSlot {
  itemId: string;
  seed: number | null;
}

/** Parses the builder's form (lists come from repeated fields, which parseForm keeps only once). */
export function parseQuizBuilderForm(form: FormData | URLSearchParams): FormResult<QuizBuild> {
  const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
  const raw = {
    banks: strings('banks'),
    topics: strings('topics'),
    tags: strings('tags'),
    families: strings('families'),
    count: form.get('count') ?? undefined,
    timeLimitMinutes: form.get('timeLimitMinutes') ?? '',
    mode: form.get('mode') ?? undefined,
  };
  const parsed = QuizBuilderSchema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return { ok: false, errors };
}

/** A stored item, parsed with the bank schema (StoredItemError names the bank and item when it no longer parses). */
function itemOf(row: Pick<ItemRow, 'bankId' | 'id' | 'content'>) {
  return parseStoredItem({ bankId: row.bankId, itemId: row.id, content: row.content });
}

/** Grades a raw answer against a stored item as it now stands (an instructor's regrade). */
export function gradeStoredAnswer(row: Pick<ItemRow, 'bankId' | 'id' | 'content'>, seed: number | null, rawAnswer: string): GradedCard {
  return gradeItem(itemOf(row), seed, rawAnswer);
}

/** Tags of a stored item (the bank format keeps them in the item's JSON). */
function tagsOf(row: Pick<ItemRow, 'bankId' | 'id' | 'content'>): string[] {
  return itemOf(row).tags;
}

/** Live, auto-gradable items of the banks the user studies or owns. */
async function quizableItems(db: Db, userId: number, bankIds: readonly string[] = []): Promise<(ItemRow & { bankTitle: string })[]> {
  const rows = await db
    .select({ item: items, bankTitle: banks.title })
    .from(items)
    .innerJoin(banks, eq(banks.id, items.bankId))
    .where(
      and(
        isNull(items.retiredAt),
        inArray(items.kind, [...QUIZ_ITEM_KINDS]),
        or(studiedBankCondition(db, userId), eq(banks.ownerId, userId)),
        bankIds.length ? inArray(items.bankId, [...bankIds]) : undefined,
      ),
    )
    .orderBy(asc(items.bankId), asc(items.position));
  return rows.map((r) => ({ ...r.item, bankTitle: r.bankTitle }));
}

export interface QuizOptions {
  banks: { id: string; title: string; count: number }[];
  topics: { topic: string; count: number }[];
  tags: { tag: string; count: number }[];
}

/** What the builder offers: banks, topics and architecture tags, each with its number of quiz items. */
export async function quizOptions({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<QuizOptions> {
  const bankCounts = new Map<string, { id: string; title: string; count: number }>();
  const topicCounts = new Map<string, number>();
  const tagCounts = new Map<string, number>();
  for (const row of await quizableItems(db, userId)) {
    const bank = bankCounts.get(row.bankId) ?? { id: row.bankId, title: row.bankTitle, count: 0 };
    bank.count++;
    bankCounts.set(row.bankId, bank);
    topicCounts.set(row.topic, (topicCounts.get(row.topic) ?? 0) + 1);
    for (const tag of new Set(tagsOf(row))) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  }
  const byName = <T>(m: Map<string, number>, f: (name: string, count: number) => T) => [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => f(k, n));
  return {
    banks: [...bankCounts.values()].sort((a, b) => a.title.localeCompare(b.title)),
    topics: byName(topicCounts, (topic, count) => ({ topic, count })),
    tags: byName(tagCounts, (tag, count) => ({ tag, count })),
  };
}

/**
 * The items a quiz draws from: in the chosen banks (all when none), and of a chosen topic, of a
 * chosen family or tagged with a chosen architecture (any when none is chosen). An exam's scope
 * (app/exams/scope.ts) is a filter with no tags.
 */
export async function matchingItems({ db = getDb(), userId, filter }: { db?: Db; userId: number; filter: Pick<QuizBuild, 'banks' | 'topics' | 'tags' | 'families'> }): Promise<ItemRow[]> {
  const rows = await quizableItems(db, userId, filter.banks);
  if (filter.topics.length === 0 && filter.tags.length === 0 && filter.families.length === 0) return rows;
  const topicSet = new Set<string>(filter.topics);
  const tagSet = new Set(filter.tags);
  const familySet = new Set(filter.families);
  return rows.filter((row) => topicSet.has(row.topic) || (row.family !== null && familySet.has(row.family)) || tagSet.has(row.topic) || tagsOf(row).some((t) => tagSet.has(t)));
}

/** A fresh variant seed, 31 bits (the range createRng and the reviews table take). */
function freshVariantSeed(): number {
  return randomInt(0, 2 ** 31);
}

/** `count` rows drawn without replacement, in random order (Fisher–Yates on crypto randomness). */
function drawWithoutReplacement<T>(rows: readonly T[], count: number): T[] {
  const pool = [...rows];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = randomInt(i, pool.length);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

export type AttemptRow = typeof quizAttempts.$inferSelect;

/** An assigned quiz's attempt: its deadline (accommodations and window applied) and the assignment it counts for. */
export interface AssignedStart {
  assignmentId: number;
  deadlineAt: Date;
}

/** Inserts an attempt; a student's own quiz has the deadline of its limit, an assigned one the deadline it is given. */
export async function insertAttempt(db: Db | Tx, userId: number, config: QuizConfig, slots: QuizSlot[], now: Date, assigned?: AssignedStart): Promise<AttemptRow> {
  const deadlineAt = assigned ? assigned.deadlineAt : config.timeLimitMinutes === null ? null : new Date(now.getTime() + Math.round(config.timeLimitMinutes * 60_000));
  const [row] = await db
    .insert(quizAttempts)
    .values({ userId, config: JSON.stringify(config), seeds: JSON.stringify(slots), startedAt: now, deadlineAt, submittedAt: null, assignmentId: assigned?.assignmentId ?? null })
    .returning();
  return row!;
}

/** `count` slots drawn from `pool` at random, each generated item with a fresh variant seed. */
export function drawSlots(pool: readonly ItemRow[], count: number): QuizSlot[] {
  return drawWithoutReplacement(pool, count).map((row) => ({ itemId: row.id, seed: row.kind === 'generated' ? freshVariantSeed() : null }));
}

/**
 * Starts an attempt: draws `count` matching items at random (fewer if fewer match) and a fresh
 * variant seed for each generated one. Refuses (400) when nothing matches.
 */
export async function startQuiz({ db = getDb(), userId, build, now }: { db?: Db; userId: number; build: QuizBuild; now: Date }): Promise<AttemptRow> {
  const config = QuizBuilderSchema.parse(build);
  const pool = await matchingItems({ db, userId, filter: config });
  if (pool.length === 0) throw new QuizRefused(QUIZ_ERRORS.nothingMatches, 400);
  return insertAttempt(db, userId, config, drawSlots(pool, config.count), now);
}

/** The user's attempt, or 404 (unknown) / AccessDenied (someone else's). */
async function ownAttempt(db: Db | Tx, userId: number, attemptId: number): Promise<AttemptRow> {
  const [attempt] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId));
  if (!attempt) throw new Response('Not Found', { status: 404 });
  if (attempt.userId !== userId) throw new AccessDenied(QUIZ_ERRORS.notYours(attemptId));
  return attempt;
}

/** A new attempt with the same items and seeds as a past one: the exact questions come back. */
export async function replayAttempt({ db = getDb(), userId, attemptId, now }: { db?: Db; userId: number; attemptId: number; now: Date }): Promise<AttemptRow> {
  const original = await ownAttempt(db, userId, attemptId);
  // A replay is the student's own quiz (no assignmentId): it never counts as an attempt of the assignment.
  if (original.assignmentId !== null) {
    const context = await assignedContext(db, original.assignmentId);
    if (context.mode === 'exam' && now < context.revealAt) throw new QuizRefused(QUIZ_ERRORS.replayHidden(context.revealAt), 409);
  }
  const config: QuizConfig = { ...configOf(original), replayOf: original.id };
  return insertAttempt(db, userId, config, slotsOf(original), now);
}

export function configOf(attempt: Pick<AttemptRow, 'config'>): QuizConfig {
  const config = JSON.parse(attempt.config) as QuizConfig;
  // Attempts stored before quizzes could choose families have none.
  return { ...config, families: config.families ?? [] };
}

export function slotsOf(attempt: Pick<AttemptRow, 'seeds'>): QuizSlot[] {
  return JSON.parse(attempt.seeds) as QuizSlot[];
}

/** True once saves are refused: after the deadline plus the grace. */
export function pastDeadline(attempt: Pick<AttemptRow, 'deadlineAt'>, now: Date): boolean {
  return attempt.deadlineAt !== null && now.getTime() > attempt.deadlineAt.getTime() + DEADLINE_GRACE_MS;
}

export type AnswerRow = typeof quizAnswers.$inferSelect;

interface LoadedSlot {
  position: number;
  slot: QuizSlot;
  row: ItemRow;
}

async function loadSlots(db: Db | Tx, attempt: AttemptRow): Promise<LoadedSlot[]> {
  const slots = slotsOf(attempt);
  const ids = [...new Set(slots.map((s) => s.itemId))];
  const rows = new Map((await db.select().from(items).where(inArray(items.id, ids))).map((r) => [r.id, r]));
  return slots.map((slot, position) => {
    const row = rows.get(slot.itemId);
    if (!row) throw new Error(`quiz attempt ${attempt.id}: item ${slot.itemId} is gone from the items table`);
    return { position, slot, row };
  });
}

async function answersOf(db: Db | Tx, attemptId: number): Promise<Map<number, AnswerRow>> {
  return new Map((await db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attemptId))).map((a) => [a.position, a]));
}

/** What readAs holds once graded: the reader's words and the value, JSON. */
function readAsOf(graded: GradedCard): string {
  return JSON.stringify({ readAs: graded.readAs, value: graded.value ?? null });
}

/**
 * The attempt, locked until the transaction ends (PostgreSQL's FOR UPDATE; SQLite's writer holds
 * the lock already): its saves, checks and submissions run one at a time, so none writes after
 * another submitted it. 404 / AccessDenied as ownAttempt.
 */
async function lockedAttempt(tx: Tx, userId: number, attemptId: number): Promise<AttemptRow> {
  await lockRows(tx, quizAttempts, eq(quizAttempts.id, attemptId));
  return ownAttempt(tx, userId, attemptId);
}

/** The regrade columns an answer gets under the latest regrade of its item (none: as graded). */
export function regradeColumns(action: RegradeAction | undefined): { regradedCorrect: boolean | null; dropped: boolean } {
  if (action === 'credit') return { regradedCorrect: true, dropped: false };
  if (action === 'drop') return { regradedCorrect: null, dropped: true };
  // `regrade`: an answer graded from now on is graded against the item as it now is, which is the regrade.
  return { regradedCorrect: null, dropped: false };
}

export interface RegradeNote {
  action: RegradeAction;
  reason: string;
  at: Date;
}

/** The latest regrade of each item of an assignment: the one that stands. */
async function latestRegrades(db: Db | Tx, assignmentId: number): Promise<Map<string, RegradeNote>> {
  const rows = await db.select().from(quizRegrades).where(eq(quizRegrades.assignmentId, assignmentId)).orderBy(asc(quizRegrades.at), asc(quizRegrades.id));
  return new Map(rows.map((r) => [r.itemId, { action: r.action, reason: r.reason, at: r.at }]));
}

async function standingRegrades(db: Db | Tx, assignmentId: number): Promise<Map<string, RegradeAction>> {
  return new Map([...(await latestRegrades(db, assignmentId))].map(([itemId, r]) => [itemId, r.action]));
}

/** What an assigned attempt's pages need of its assignment. */
export interface AssignedContext {
  id: number;
  title: string;
  classId: number;
  className: string;
  mode: QuizMode;
  /** When correct answers of an exam-mode quiz come out: once its window has closed for every student (accommodations included). */
  revealAt: Date;
  regrades: Map<string, RegradeNote>;
}

export async function assignedContext(db: Db | Tx, assignmentId: number): Promise<AssignedContext> {
  const [row] = await db
    .select({ a: quizAssignments, className: classes.name })
    .from(quizAssignments)
    .innerJoin(classes, eq(classes.id, quizAssignments.classId))
    .where(eq(quizAssignments.id, assignmentId));
  if (!row) throw new Error(`assigned quiz ${assignmentId} is gone`);
  const closes = await db.select({ closesAt: quizAccommodations.closesAt }).from(quizAccommodations).where(eq(quizAccommodations.assignmentId, assignmentId));
  const revealMs = Math.max(row.a.closesAt.getTime(), ...closes.map((c) => c.closesAt?.getTime() ?? 0));
  return { id: row.a.id, title: row.a.title, classId: row.a.classId, className: row.className, mode: row.a.mode, revealAt: new Date(revealMs), regrades: await latestRegrades(db, assignmentId) };
}

/** An answer's part in the score, regrades applied: dropped answers are left out; a regraded one counts as regraded. */
export function scoredAnswer(a: Pick<AnswerRow, 'correct' | 'regradedCorrect' | 'dropped'>): { counted: boolean; correct: boolean } {
  return { counted: !a.dropped, correct: !a.dropped && (a.regradedCorrect ?? a.correct) };
}

export interface Score {
  correct: number;
  /** Questions counted: dropped ones are left out. */
  total: number;
  percent: number;
}

/** The score of a submitted attempt of `questions` questions from its stored answers (a question with no answer row is counted wrong). */
export function scoreOf(questions: number, answers: Iterable<Pick<AnswerRow, 'correct' | 'regradedCorrect' | 'dropped'>>): Score {
  let correct = 0;
  let total = questions;
  for (const a of answers) {
    const s = scoredAnswer(a);
    if (!s.counted) total--;
    else if (s.correct) correct++;
  }
  return { correct, total, percent: percentOf(correct, total) };
}

/** Submits every attempt of `attempts` whose time ran out, at its deadline (results pages read them as submitted). */
export async function closeExpiredAttempts(db: Db, attempts: readonly AttemptRow[], now: Date): Promise<AttemptRow[]> {
  const out: AttemptRow[] = [];
  for (const a of attempts) out.push(!a.submittedAt && pastDeadline(a, now) ? await submitAtDeadline(db, a.userId, a.id) : a);
  return out;
}

/** Grades every stored answer and marks the attempt submitted at `at`, inside the caller's transaction (the attempt locked). */
async function gradeAndSubmit(tx: Tx, attempt: AttemptRow, at: Date): Promise<AttemptRow> {
  const slots = await loadSlots(tx, attempt);
  const stored = await answersOf(tx, attempt.id);
  const standing = attempt.assignmentId === null ? new Map<string, RegradeAction>() : await standingRegrades(tx, attempt.assignmentId);
  for (const { position, slot, row } of slots) {
    const answer = stored.get(position);
    const regrade = regradeColumns(standing.get(slot.itemId));
    if (!answer) {
      // An assigned quiz keeps a row for every question, so a regrade (credit, drop) has one to mark.
      if (attempt.assignmentId !== null)
        await tx.insert(quizAnswers).values({ attemptId: attempt.id, position, itemId: slot.itemId, seed: slot.seed, rawAnswer: '', readAs: null, correct: false, flagged: false, timeMs: 0, regions: regionsColumn(row, slot.seed), ...regrade });
      continue;
    }
    const graded = gradeItem(itemOf(row), slot.seed, answer.rawAnswer);
    await tx
      .update(quizAnswers)
      .set({ readAs: graded.status === 'unread' ? null : readAsOf(graded), correct: graded.correct, regions: regionsColumn(row, slot.seed), ...(attempt.assignmentId !== null ? regrade : {}) })
      .where(eq(quizAnswers.id, answer.id));
  }
  const [done] = await tx.update(quizAttempts).set({ submittedAt: at }).where(eq(quizAttempts.id, attempt.id)).returning();
  return done!;
}

/** Submits an attempt whose time ran out, at its deadline; writes nothing if it already was (a concurrent submit won). */
async function submitAtDeadline(db: Db, userId: number, attemptId: number): Promise<AttemptRow> {
  return db.transaction(async (tx) => {
    const current = await lockedAttempt(tx, userId, attemptId);
    return current.submittedAt ? current : gradeAndSubmit(tx, current, current.deadlineAt!);
  });
}

/** The attempt as it stands at `now`: one past its deadline (and grace) is submitted at the deadline. */
async function currentAttempt(db: Db, userId: number, attemptId: number, now: Date): Promise<AttemptRow> {
  const attempt = await ownAttempt(db, userId, attemptId);
  if (!attempt.submittedAt && pastDeadline(attempt, now)) return submitAtDeadline(db, userId, attemptId);
  return attempt;
}

/** A change to a submitted attempt: refused (409). */
function refuseSubmitted(submittedAt: Date): never {
  throw new QuizRefused(QUIZ_ERRORS.submitted(submittedAt), 409);
}

/**
 * Runs `change` on the open attempt in one transaction, the attempt locked. A submitted attempt
 * gets `whenSubmitted` (by default a 409); one whose time ran out is refused (409) after it is
 * submitted at its deadline (that submission is kept: the refusal is thrown after the commit).
 */
async function changeOpenAttempt<T>(
  db: Db,
  userId: number,
  attemptId: number,
  now: Date,
  change: (tx: Tx, attempt: AttemptRow) => Promise<T>,
  whenSubmitted: (submittedAt: Date) => T = refuseSubmitted,
): Promise<T> {
  const outcome = await db.transaction(async (tx): Promise<{ value: T } | { refused: QuizRefused }> => {
    const attempt = await lockedAttempt(tx, userId, attemptId);
    if (attempt.submittedAt) return { value: whenSubmitted(attempt.submittedAt) };
    if (pastDeadline(attempt, now)) {
      await gradeAndSubmit(tx, attempt, attempt.deadlineAt!);
      return { refused: new QuizRefused(QUIZ_ERRORS.late(attempt.deadlineAt!, now), 409) };
    }
    return { value: await change(tx, attempt) };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.value;
}

export interface AnswerDraft {
  position: number;
  /** The raw answer as the grader takes it (see gradeItem). */
  answer: string;
  flagged: boolean;
  /** Time spent on the question so far, as the browser counted it. */
  timeMs: number;
}

export const AnswerDraftSchema = z.object({
  position: z.number().int().min(0).max(MAX_QUESTIONS - 1),
  answer: z.string().max(2000),
  flagged: z.boolean(),
  timeMs: z.number().int().min(0).max(86_400_000),
});

/** Writes drafts inside the caller's transaction. */
async function writeDrafts(tx: Tx, attempt: AttemptRow, drafts: readonly AnswerDraft[], now: Date): Promise<AnswerDraft[]> {
  const slots = slotsOf(attempt);
  for (const d of drafts) if (!slots[d.position]) throw new QuizRefused(QUIZ_ERRORS.position(d.position, slots.length), 400);
  const practice = configOf(attempt).mode === 'practice';
  const elapsed = Math.max(0, now.getTime() - attempt.startedAt.getTime());
  const stored = await answersOf(tx, attempt.id);
  const written: AnswerDraft[] = [];
  for (const d of drafts) {
    const slot = slots[d.position]!;
    const existing = stored.get(d.position);
    // A checked practice answer is locked: only its flag and time still change.
    const rawAnswer = practice && existing?.readAs ? existing.rawAnswer : d.answer;
    const timeMs = Math.min(d.timeMs, elapsed);
    await tx
      .insert(quizAnswers)
      .values({ attemptId: attempt.id, position: d.position, itemId: slot.itemId, seed: slot.seed, rawAnswer, readAs: null, correct: false, flagged: d.flagged, timeMs })
      .onConflictDoUpdate({ target: [quizAnswers.attemptId, quizAnswers.position], set: { rawAnswer, flagged: d.flagged, timeMs } });
    written.push({ position: d.position, answer: rawAnswer, flagged: d.flagged, timeMs });
  }
  return written;
}

/**
 * Saves answers as typed (autosave). Refused with 409 once the attempt is submitted or its
 * deadline (plus grace) has passed; the latter also submits it at the deadline.
 */
export async function saveAnswers({ db = getDb(), userId, attemptId, drafts, now }: { db?: Db; userId: number; attemptId: number; drafts: readonly AnswerDraft[]; now: Date }): Promise<AnswerDraft[]> {
  return changeOpenAttempt(db, userId, attemptId, now, (tx, attempt) => writeDrafts(tx, attempt, drafts, now));
}

/** A checked practice answer also says what each rating would give the item in daily review (read-only). */
export type CheckResult = { status: 'unread'; feedback: string[] } | { status: 'graded'; graded: GradedCard; dailyIntervals: RatingInterval[] };

/**
 * Practice mode: grades one answer and locks it. An unreadable answer spends nothing: it is
 * saved as a draft and stays open. Checking a locked answer again returns its stored grade.
 */
export async function checkAnswer({ db = getDb(), userId, attemptId, draft, now }: { db?: Db; userId: number; attemptId: number; draft: AnswerDraft; now: Date }): Promise<CheckResult> {
  return changeOpenAttempt(db, userId, attemptId, now, async (tx, attempt): Promise<CheckResult> => {
    // Thrown inside: the transaction rolls back, and an exam has written nothing.
    if (configOf(attempt).mode !== 'practice') throw new QuizRefused(QUIZ_ERRORS.examCheck, 409);
    const [saved] = await writeDrafts(tx, attempt, [draft], now);
    const { slot, row } = (await loadSlots(tx, attempt))[draft.position]!;
    const graded = gradeItem(itemOf(row), slot.seed, saved!.answer);
    if (graded.status === 'unread') return { status: 'unread', feedback: graded.feedback };
    await tx
      .update(quizAnswers)
      .set({ readAs: readAsOf(graded), correct: graded.correct, regions: regionsColumn(row, slot.seed) })
      .where(and(eq(quizAnswers.attemptId, attempt.id), eq(quizAnswers.position, draft.position)));
    const intervals = await dailyReviewIntervals({ db: tx, userId, itemIds: [slot.itemId], now });
    return { status: 'graded', graded, dailyIntervals: intervals.get(slot.itemId)! };
  });
}

export type SubmitResult = { kind: 'submitted'; submittedAt: Date } | { kind: 'already'; submittedAt: Date };

/**
 * Submits: saves the last drafts and grades everything. Within the grace after the deadline
 * the drafts still count and the attempt is submitted at the deadline; after it they are
 * refused (409) and the attempt is submitted as it stood.
 */
export async function submitQuiz({ db = getDb(), userId, attemptId, drafts = [], now }: { db?: Db; userId: number; attemptId: number; drafts?: readonly AnswerDraft[]; now: Date }): Promise<SubmitResult> {
  // Two submits at once: the one that waited for the attempt's lock finds it submitted by the other, and writes nothing.
  return changeOpenAttempt(
    db,
    userId,
    attemptId,
    now,
    async (tx, open): Promise<SubmitResult> => {
      if (drafts.length) await writeDrafts(tx, open, drafts, now);
      const done = await gradeAndSubmit(tx, open, open.deadlineAt && open.deadlineAt < now ? open.deadlineAt : now);
      return { kind: 'submitted', submittedAt: done.submittedAt! };
    },
    (submittedAt) => ({ kind: 'already', submittedAt }),
  );
}

export interface TakingQuestion {
  position: number;
  card: PresentedCard;
  answer: string;
  flagged: boolean;
  timeMs: number;
  /** Practice mode: the grade of a checked (locked) answer. */
  checked: GradedCard | null;
  /** Practice mode, once checked: what each rating would give the item in daily review now. */
  dailyIntervals: RatingInterval[] | null;
}

export interface QuestionResult {
  position: number;
  itemId: string;
  seed: number | null;
  topic: string;
  title: string | null;
  promptHtml: string;
  rawAnswer: string;
  answered: boolean;
  flagged: boolean;
  timeMs: number;
  graded: GradedCard;
  /** In the score: false once the question is dropped. */
  counted: boolean;
  /** Right as scored: the grade, or the regrade of an assigned quiz. */
  correct: boolean;
  /** The instructor's regrade of this question, shown with its reason. */
  regrade: RegradeNote | null;
}

/** An assigned attempt's page: which quiz, and whether its correct answers are still held back (exam mode, window open for someone). */
export interface AssignedInfo {
  id: number;
  title: string;
  className: string;
  revealAt: Date;
  answersHidden: boolean;
}

export interface AttemptSummary {
  id: number;
  mode: QuizMode;
  config: QuizConfig;
  startedAt: Date;
  deadlineAt: Date | null;
  submittedAt: Date | null;
  questions: number;
  assignmentId: number | null;
}

export type QuizPage =
  | { state: 'taking'; attempt: AttemptSummary; assigned: AssignedInfo | null; questions: TakingQuestion[] }
  | {
      state: 'results';
      attempt: AttemptSummary;
      assigned: AssignedInfo | null;
      score: Score;
      topics: { topic: string; correct: number; total: number }[];
      questions: QuestionResult[];
    };

function summaryOf(attempt: AttemptRow): AttemptSummary {
  const config = configOf(attempt);
  return { id: attempt.id, mode: config.mode, config, startedAt: attempt.startedAt, deadlineAt: attempt.deadlineAt, submittedAt: attempt.submittedAt, questions: slotsOf(attempt).length, assignmentId: attempt.assignmentId };
}

/** A grade with what would give the answers away taken out: right or wrong and how the answer was read stay. */
function withheld(graded: GradedCard): GradedCard {
  return { ...graded, answerHtml: '', explanationHtml: '', answer: null, feedback: [], misconception: null, misconceptions: [], components: null, source: null };
}

/** Percent rounded to one decimal. */
function percentOf(correct: number, total: number): number {
  return total === 0 ? 0 : Math.round((1000 * correct) / total) / 10;
}

/**
 * The attempt's page at `now`: the questions to take, or (once submitted, which a load past the
 * deadline does) the results, every stored raw answer regraded from item + seed.
 */
export async function quizPage({ db = getDb(), userId, attemptId, now }: { db?: Db; userId: number; attemptId: number; now: Date }): Promise<QuizPage> {
  const attempt = await currentAttempt(db, userId, attemptId, now);
  const summary = summaryOf(attempt);
  const stored = await answersOf(db, attempt.id);
  const slots = await loadSlots(db, attempt);
  const context = attempt.assignmentId === null ? null : await assignedContext(db, attempt.assignmentId);
  const assigned: AssignedInfo | null = context && {
    id: context.id,
    title: context.title,
    className: context.className,
    revealAt: context.revealAt,
    answersHidden: context.mode === 'exam' && now < context.revealAt,
  };
  if (!attempt.submittedAt) {
    const isChecked = (position: number) => summary.mode === 'practice' && Boolean(stored.get(position)?.readAs);
    const intervals = await dailyReviewIntervals({ db, userId, itemIds: slots.filter((s) => isChecked(s.position)).map((s) => s.row.id), now });
    const questions = slots.map(({ position, slot, row }): TakingQuestion => {
      const item = itemOf(row);
      const a = stored.get(position);
      const checked = isChecked(position) ? gradeItem(item, slot.seed, a!.rawAnswer) : null;
      return { position, card: presentItem(row.id, item, slot.seed), answer: a?.rawAnswer ?? '', flagged: a?.flagged ?? false, timeMs: a?.timeMs ?? 0, checked, dailyIntervals: checked ? intervals.get(row.id)! : null };
    });
    return { state: 'taking', attempt: summary, assigned, questions };
  }
  const questions = slots.map(({ position, slot, row }): QuestionResult => {
    const item = itemOf(row);
    const a = stored.get(position);
    const rawAnswer = a?.rawAnswer ?? '';
    const presented = presentItem(row.id, item, slot.seed);
    const graded = gradeItem(item, slot.seed, rawAnswer);
    // A student's own quiz is graded from item + seed on every load; an assigned one is scored as stored (graded at submission, then regraded).
    const scored = context ? scoredAnswer(a ?? { correct: false, regradedCorrect: null, dropped: false }) : { counted: true, correct: graded.correct };
    return {
      position,
      itemId: row.id,
      seed: slot.seed,
      topic: row.topic,
      title: presented.title,
      promptHtml: presented.promptHtml,
      rawAnswer,
      answered: rawAnswer.trim() !== '' && rawAnswer.split(CLOZE_SEPARATOR).some((part) => part.trim() !== ''),
      flagged: a?.flagged ?? false,
      timeMs: a?.timeMs ?? 0,
      graded: assigned?.answersHidden ? withheld(graded) : graded,
      ...scored,
      regrade: context?.regrades.get(row.id) ?? null,
    };
  });
  const counted = questions.filter((q) => q.counted);
  const correct = counted.filter((q) => q.correct).length;
  const byTopic = new Map<string, { topic: string; correct: number; total: number }>();
  for (const q of counted) {
    const t = byTopic.get(q.topic) ?? { topic: q.topic, correct: 0, total: 0 };
    t.total++;
    if (q.correct) t.correct++;
    byTopic.set(q.topic, t);
  }
  return {
    state: 'results',
    attempt: summary,
    assigned,
    score: { correct, total: counted.length, percent: percentOf(correct, counted.length) },
    topics: [...byTopic.values()].sort((a, b) => a.topic.localeCompare(b.topic)),
    questions,
  };
}

export interface AttemptHistoryEntry extends AttemptSummary {
  correct: number | null;
  /** Questions counted (dropped ones left out). */
  total: number | null;
  percent: number | null;
}

/** The user's attempts, newest first; attempts whose time ran out are submitted first. */
export async function listAttempts({ db = getDb(), userId, now, limit = 100 }: { db?: Db; userId: number; now: Date; limit?: number }): Promise<AttemptHistoryEntry[]> {
  const open = await db.select().from(quizAttempts).where(and(eq(quizAttempts.userId, userId), isNull(quizAttempts.submittedAt)));
  for (const a of open) if (pastDeadline(a, now)) await submitAtDeadline(db, userId, a.id);
  const attempts = await db.select().from(quizAttempts).where(eq(quizAttempts.userId, userId)).orderBy(desc(quizAttempts.startedAt), desc(quizAttempts.id)).limit(limit);
  if (attempts.length === 0) return [];
  const answers = new Map<number, Pick<AnswerRow, 'correct' | 'regradedCorrect' | 'dropped'>[]>();
  const rows = await db
    .select({ attemptId: quizAnswers.attemptId, correct: quizAnswers.correct, regradedCorrect: quizAnswers.regradedCorrect, dropped: quizAnswers.dropped })
    .from(quizAnswers)
    .where(inArray(quizAnswers.attemptId, attempts.map((a) => a.id)));
  for (const r of rows) answers.set(r.attemptId, [...(answers.get(r.attemptId) ?? []), r]);
  return attempts.map((a) => {
    const summary = summaryOf(a);
    if (!a.submittedAt) return { ...summary, correct: null, total: null, percent: null };
    const score = scoreOf(summary.questions, answers.get(a.id) ?? []);
    return { ...summary, correct: score.correct, total: score.total, percent: score.percent };
  });
}

export interface MissesAdded {
  /** Distinct items missed (wrong or unanswered). */
  missed: number;
  /** Missed items now at the front of today's review, beyond the limits (those already there included). */
  atFront: number;
  /** Of atFront, the ones the student has not studied yet (no card before, or a New card). */
  newToYou: number;
  /** Promoted too, but buried until the next study day: they come first when the bury ends. */
  buried: number;
  /** Suspended cards: left out, still suspended (suspension is the student's own choice). */
  suspended: number;
  /** Items no daily review of the user holds (a bank they no longer study, an item retired since, an instructor's own draft): left out. */
  notStudied: number;
}

/**
 * "Add my misses to daily review": every item missed (wrong or unanswered) is promoted, its card
 * (made New if the item had none) marked `promotedAt`/`promotedBy 'quiz'`/`promotedQuiz`, so the
 * queue puts it first, beyond the limits, until its next review. FSRS state and due date are
 * untouched (decision 0008). A card still promoted (not reviewed since) keeps its `promotedAt`, so
 * a second click changes nothing; one reviewed since is promoted again, as asked.
 */
export async function addMissesToReview({ db = getDb(), userId, attemptId, now }: { db?: Db; userId: number; attemptId: number; now: Date }): Promise<MissesAdded> {
  const attempt = await currentAttempt(db, userId, attemptId, now);
  if (!attempt.submittedAt) throw new QuizRefused(QUIZ_ERRORS.notSubmitted, 409);
  const rights = await db
    .select({ position: quizAnswers.position })
    .from(quizAnswers)
    .where(and(eq(quizAnswers.attemptId, attempt.id), eq(quizAnswers.correct, true)));
  const right = new Set(rights.map((r) => r.position));
  const missed = [...new Set(slotsOf(attempt).flatMap((s, position) => (right.has(position) ? [] : [s.itemId])))];
  // Only what the daily review can show: a live item of a bank the user studies.
  const studied = new Set(
    missed.length === 0
      ? []
      : (
          await db
            .select({ id: items.id })
            .from(items)
            .innerJoin(banks, eq(banks.id, items.bankId))
            .where(and(inArray(items.id, missed), isNull(items.retiredAt), studiedBankCondition(db, userId)))
        ).map((r) => r.id),
  );
  const promotion = { promotedBy: 'quiz' as const, promotedQuiz: attempt.id };
  return db.transaction(async (tx) => {
    // The user's row lock, as every write of their cards takes: a review or a second "add my misses" waits, so no card is read stale or made twice.
    await lockRows(tx, users, eq(users.id, userId));
    // missed = atFront + buried + suspended + notStudied.
    const result: MissesAdded = { missed: missed.length, atFront: 0, newToYou: 0, buried: 0, suspended: 0, notStudied: 0 };
    const existing = missed.length ? await tx.select().from(cards).where(and(eq(cards.userId, userId), inArray(cards.itemId, missed))) : [];
    const cardOf = new Map(existing.map((c) => [c.itemId, c]));
    for (const itemId of missed) {
      if (!studied.has(itemId)) {
        result.notStudied++;
        continue;
      }
      const card = cardOf.get(itemId);
      if (!card) {
        await tx.insert(cards).values({ userId, itemId, ...cardColumnsOf(newCardState(now)), promotedAt: now, ...promotion });
        result.atFront++;
        result.newToYou++;
        continue;
      }
      if (card.suspended) {
        result.suspended++;
        continue;
      }
      const stillPromoted = card.promotedAt !== null && (card.lastReview === null || card.promotedAt > card.lastReview);
      if (!stillPromoted) await tx.update(cards).set({ promotedAt: now, ...promotion }).where(eq(cards.id, card.id));
      else if (card.promotedBy !== promotion.promotedBy || card.promotedQuiz !== promotion.promotedQuiz) await tx.update(cards).set(promotion).where(eq(cards.id, card.id));
      if (card.buriedUntil !== null && card.buriedUntil > now) result.buried++;
      else {
        result.atFront++;
        if (card.state === State.New) result.newToYou++;
      }
    }
    return result;
  });
}

/** Form schema of quiz.$id.tsx (server-side, so zod stays out of the page's browser bundle). */
export const quizAnswersField = () =>
  z
  .string()
  .max(200_000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'answers must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.array(AnswerDraftSchema, { error: 'answers must be a list of { position, answer, flagged, timeMs }' }).max(50));

export const QuizActionSchema = () =>
  z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('save'), answers: quizAnswersField() }),
  z.object({ intent: z.literal('submit'), answers: quizAnswersField().default([]) }),
  z.object({ intent: z.literal('check'), answers: quizAnswersField().refine((a) => a.length === 1, { message: 'check one answer at a time' }) }),
  z.object({ intent: z.literal('addMisses') }),
  z.object({ intent: z.literal('replay') }),
]);
