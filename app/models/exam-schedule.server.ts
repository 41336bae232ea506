/**
 * The exam plan in the review loop: what app/scheduling/exam-plan.ts needs, read inside a review's
 * transaction (submitReview, changeLastRating). Cheap when there is nothing to plan: with no exam
 * ahead it costs one query; with one ahead but the card due before it (or already ready) two; only
 * a card the plan must place reads the loads (one query over the user's in-scope cards).
 */
import { and, eq, inArray, isNull, ne, or, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { cards, items } from '../../db/schema';
import type { ExamScope } from '../exams/scope';
import { examFor, keptBeforePlanning, loadByDay, placedState, placeForExam, planDays, type ExamPlacement, type PlanDay, type StudyCalendar } from '../scheduling/exam-plan';
import { State, type CardState } from '../scheduling/scheduler';
import { studyDayBounds } from '../scheduling/study-day';
import { examsOf, type Exam } from './exam.server';

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
