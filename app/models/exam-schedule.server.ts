/**
 * The exam plan in the review loop: what app/scheduling/exam-plan.ts needs, read inside a review's
 * transaction (submitReview, changeLastRating). Cheap when there is nothing to plan: with no exam
 * ahead it costs one query; with one ahead but the card due before it (or already ready) two; only
 * a card the plan must place reads the loads (one query over the user's in-scope cards).
 */
import { and, eq, inArray, isNull, ne, or, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { cards, exams, items, memberships, users } from '../../db/schema';
import { lockRows } from '../../db/sql';
import type { ExamScope } from '../exams/scope';
import { examFor, keptBeforePlanning, loadByDay, placedState, placeForExam, planDays, recallAt, type ExamPlacement, type PlanDay, type StudyCalendar } from '../scheduling/exam-plan';
import { State, type CardState } from '../scheduling/scheduler';
import { studyDayBounds } from '../scheduling/study-day';
import { cardColumnsOf, cardStateOf } from './card.server';
import { examsOf, type Exam } from './exam.server';
// A cycle (review.server.ts imports planForExam from here), safe: neither is used at load time.
import { schedulerColumns, schedulerSettingsOf } from './review.server';

export interface PlanForExamInput {
  userId: number;
  itemId: string;
  /** The card's id; absent for a card this review creates (it is in no load yet). */
  cardId?: number;
  /** The card as ts-fsrs scheduled it at `now`. */
  after: CardState;
  now: Date;
  /** The FSRS parameters in use (absent: ts-fsrs's defaults). */
  parameters?: readonly number[];
  calendar: StudyCalendar;
}

export interface PlannedReview {
  /** The state to store: `after`, or `after` with its due moved into the exam's plan days. */
  state: CardState;
  /** For cards.plannedForExam: the exam whose plan moved the due; null when kept. */
  examId: number | null;
  /** The exam the card was considered for and the rule's answer; null when no exam ahead covers it. */
  exam: Exam | null;
  placement: ExamPlacement | null;
}

/** What the rule says for this review (see app/scheduling/exam-plan.ts). */
export async function planForExam(tx: Db | Tx, input: PlanForExamInput): Promise<PlannedReview> {
  const { after, now, parameters } = input;
  const none: PlannedReview = { state: after, examId: null, exam: null, placement: null };
  const ahead = await examsOf({ db: tx, userId: input.userId, after: now });
  // Due before the soonest exam is due before all of them: kept, whichever covers the card.
  if (ahead.length === 0 || after.due < ahead[0]!.at) return none;
  const [item] = await tx.select({ bankId: items.bankId, topic: items.topic, family: items.family }).from(items).where(eq(items.id, input.itemId));
  if (!item) return none;
  const exam = examFor(item, ahead, now.getTime());
  if (!exam) return none;
  const kept = keptBeforePlanning(after, exam, parameters);
  if (kept) return { ...none, exam, placement: { kind: 'kept', reason: kept } };
  const days = planDays(now.getTime(), exam.at, input.calendar);
  const { load, cardsInScope } = days.length === 0 ? { load: new Map<string, number>(), cardsInScope: 1 } : await loadOf(tx, input.userId, exam, days, input.calendar, input.cardId);
  const placement = placeForExam({ after, now: now.getTime(), exam, days, load, cardsInScope, parameters });
  return { state: placedState(after, placement), examId: placement.kind === 'moved' ? exam.id : null, exam, placement };
}

/** The SQL form of inScope (app/exams/scope.ts) over `items`. */
export function scopeWhere(scope: ExamScope): SQL | undefined {
  const bank = scope.banks.length > 0 ? inArray(items.bankId, scope.banks) : undefined;
  const named = [scope.topics.length > 0 ? inArray(items.topic, scope.topics) : undefined, scope.families.length > 0 ? inArray(items.family, scope.families) : undefined].filter((x) => x !== undefined);
  return and(bank, named.length > 0 ? or(...named) : undefined);
}

/**
 * The load on each plan day (the user's other in-scope, unsuspended, studied cards whose due falls
 * in it) and the in-scope cards counted for the cap, this one included. One read of the due column.
 */
async function loadOf(tx: Db | Tx, userId: number, exam: Exam, days: readonly PlanDay[], calendar: StudyCalendar, cardId: number | undefined): Promise<{ load: Map<string, number>; cardsInScope: number }> {
  const rows = await tx
    .select({ due: cards.due })
    .from(cards)
    .innerJoin(items, eq(items.id, cards.itemId))
    .where(and(eq(cards.userId, userId), ne(cards.state, State.New), eq(cards.suspended, false), isNull(items.retiredAt), cardId === undefined ? undefined : ne(cards.id, cardId), scopeWhere(exam.scope)));
  const planEnd = studyDayBounds(new Date(exam.at), calendar.timeZone, calendar.rolloverHour).start.getTime();
  return { load: loadByDay(rows.map((r) => r.due.getTime()), days, planEnd), cardsInScope: rows.length + 1 };
}

/**
 * Plans the cards already scheduled when an exam is set (or moved): each sitter's in-scope cards
 * whose due falls after the exam with recall there below the target move into its plan days, by
 * the same rule, lowest recall at the exam first, the loads counted as they fill. Without it such
 * a card would reach the exam unreviewed. The exam's creator calls it after saving the exam; one
 * transaction per sitter (the user's row lock, as reviews take it). Returns the cards moved.
 */
export async function planExamCards({ db, examId, now, only }: { db: Db; examId: number; now: Date; /** Plan these sitters alone (a member who just joined the class). */ only?: readonly number[] }): Promise<number> {
  const [exam] = await db.select().from(exams).where(eq(exams.id, examId));
  if (!exam || exam.at <= now) return 0;
  const everyone = exam.classId === null ? [exam.ownerId] : (await db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.classId, exam.classId))).map((m) => m.userId);
  const sitters = only ? everyone.filter((id) => only.includes(id)) : everyone;
  let moved = 0;
  for (const userId of sitters) moved += await db.transaction(async (tx) => planSitter(tx, userId, examId, now));
  return moved;
}

async function planSitter(tx: Tx, userId: number, examId: number, now: Date): Promise<number> {
  await lockRows(tx, users, eq(users.id, userId));
  const [user] = await tx.select({ ...schedulerColumns(), timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, userId));
  if (!user) return 0;
  const ahead = await examsOf({ db: tx, userId, after: now });
  const exam = ahead.find((e) => e.id === examId);
  if (!exam) return 0;
  const parameters = schedulerSettingsOf(user).parameters;
  const calendar = { timeZone: user.timeZone, rolloverHour: user.rolloverHour };
  const rows = await tx
    .select({ card: cards, bankId: items.bankId, topic: items.topic, family: items.family })
    .from(cards)
    .innerJoin(items, eq(items.id, cards.itemId))
    .where(and(eq(cards.userId, userId), ne(cards.state, State.New), eq(cards.suspended, false), isNull(items.retiredAt), scopeWhere(exam.scope)));
  const days = planDays(now.getTime(), exam.at, calendar);
  const planEnd = studyDayBounds(new Date(exam.at), calendar.timeZone, calendar.rolloverHour).start.getTime();
  const load = loadByDay(rows.map((r) => r.card.due.getTime()), days, planEnd);
  // A card a nearer exam covers is that exam's to plan (examFor); the weakest at this exam go first.
  const toPlan = rows
    .filter((r) => examFor(r, ahead, now.getTime())?.id === exam.id)
    .map((r) => ({ r, state: cardStateOf(r.card) }))
    .filter(({ state }) => keptBeforePlanning(state, exam, parameters) === null)
    .sort((a, b) => recallAt(a.state, exam.at, parameters) - recallAt(b.state, exam.at, parameters));
  let moved = 0;
  for (const { r, state } of toPlan) {
    const placement = placeForExam({ after: state, now: now.getTime(), exam, days, load, cardsInScope: rows.length, parameters });
    if (placement.kind !== 'moved') continue;
    // The card leaves its old day's load (it was counted there, or after the plan days) and joins the new one's.
    const old = loadByDay([state.due], days, planEnd);
    for (const [day, n] of old) load.set(day, (load.get(day) ?? 0) - n);
    load.set(placement.day, (load.get(placement.day) ?? 0) + 1);
    await tx
      .update(cards)
      .set({ ...cardColumnsOf(placedState(state, placement)), plannedForExam: exam.id })
      .where(eq(cards.id, r.card.id));
    moved++;
  }
  return moved;
}
