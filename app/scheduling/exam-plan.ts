/**
 * Exam-aware scheduling: the rule that decides, after a review, whether an in-scope card's next
 * due must move so that its predicted recall at the exam meets the exam's target. Pure: the
 * card, the exam, the plan days and their loads are arguments (app/models/exam-schedule.server.ts
 * reads them inside a review's transaction; the readiness forecast runs the same rule in simulation). The rule and why it holds are
 * in docs/decisions/0022-exam-scheduling.md.
 *
 * The rule, after ts-fsrs has scheduled the card at `now` as usual:
 * 1. A card whose next due falls before the exam, or whose predicted recall at the exam (its
 *    forgetting curve under the parameters in use, at the exact elapsed time) already meets the
 *    target, keeps its due.
 * 2. Otherwise its window is the plan days (the study days after today and before the exam's
 *    study day: never the exam day itself) that begin no earlier than exam − t, where t is the
 *    time the forgetting curve takes to fall to the target from this card's stability. A review
 *    passed anywhere in that window leaves recall at the exam at or above the target, because a
 *    passed review never lowers stability.
 * 3. The card moves to the least-loaded day of its window below the cap (ties: the latest, the
 *    freshest review). The cap is each day's share: ⌈in-scope cards / plan days⌉.
 * 4. When every day of its window is at the cap, it moves to the latest day before its window
 *    below the cap: it is reviewed early, and planned again at that review (its window has then
 *    widened). Such a day always exists: every in-scope card has one due, so the other cards fill
 *    at most in-scope − 1 < cap × plan days slots.
 * 5. With no plan day left (the exam is tomorrow or today) the card keeps its due: the readiness
 *    forecast reports the target as out of reach.
 * A card in the scope of several exams ahead is planned for the nearest (`examFor`); once that
 * exam is past, its next review plans it for the next one. Out-of-scope cards are never touched.
 */
import { default_w, forgetting_curve, computeDecayFactor, State } from 'ts-fsrs';
import { inScope, type ExamScope, type ScopedItem } from '../exams/scope';
import type { CardState } from './scheduler';
import { studyDayBounds } from './study-day';

const DAY_MS = 86_400_000;

export interface StudyCalendar {
  timeZone: string;
  rolloverHour: number;
}

/** A study day the plan may put a review on. */
export interface PlanDay {
  /** 'YYYY-MM-DD' (the student's study day) */
  day: string;
  /** Its start, epoch ms: a card due then is in that day's queue. */
  start: number;
}

/**
 * Predicted recall of a card at instant `at` (epoch ms): the FSRS forgetting curve at the exact
 * elapsed time (ts-fsrs's get_retrievability floors to whole days, which overstates recall on
 * the exam morning). 0 for a card never reviewed.
 */
export function recallAt(card: Pick<CardState, 'state' | 'stability' | 'lastReview'>, at: number, parameters?: readonly number[]): number {
  if (card.state === State.New || card.lastReview === null) return 0;
  return forgetting_curve(parameters ?? default_w, Math.max(0, (at - card.lastReview) / DAY_MS), card.stability);
}

/** Days the forgetting curve takes to fall from 1 to `target` at this stability. */
export function daysToTarget(stability: number, target: number, parameters?: readonly number[]): number {
  const { decay, factor } = computeDecayFactor(parameters ?? default_w);
  return (stability / factor) * (Math.pow(target, 1 / decay) - 1);
}

// planDays walks the zone's calendar day by day (Intl, some microseconds a day); every review of
// a study day asks for the same days, so the last few answers are kept.
const planDaysCache = new Map<string, readonly PlanDay[]>();
const PLAN_DAYS_CACHED = 64;

/** The plan days between `now` and the exam: the study days after today's and before the exam's. */
export function planDays(now: number, examAt: number, calendar: StudyCalendar): PlanDay[] {
  const today = studyDayBounds(new Date(now), calendar.timeZone, calendar.rolloverHour);
  const examDay = studyDayBounds(new Date(examAt), calendar.timeZone, calendar.rolloverHour).start.getTime();
  const key = `${today.start.getTime()}|${examDay}|${calendar.timeZone}|${calendar.rolloverHour}`;
  const cached = planDaysCache.get(key);
  if (cached) return [...cached];
  const days: PlanDay[] = [];
  let start = today.end.getTime();
  while (start < examDay) {
    const b = studyDayBounds(new Date(start), calendar.timeZone, calendar.rolloverHour);
    days.push({ day: b.day, start: b.start.getTime() });
    start = b.end.getTime();
  }
  if (planDaysCache.size >= PLAN_DAYS_CACHED) planDaysCache.clear();
  planDaysCache.set(key, days);
  return [...days];
}

/** Counts dues per plan day; the last plan day ends where the exam's study day begins (`planEnd`). */
export function loadByDay(dues: readonly number[], days: readonly PlanDay[], planEnd: number): Map<string, number> {
  const load = new Map<string, number>();
  if (days.length === 0) return load;
  for (const due of dues) {
    if (due < days[0]!.start || due >= planEnd) continue;
    // Binary search: the last day starting at or before the due.
    let lo = 0;
    let hi = days.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (days[mid]!.start <= due) lo = mid;
      else hi = mid - 1;
    }
    const day = days[lo]!.day;
    load.set(day, (load.get(day) ?? 0) + 1);
  }
  return load;
}

/** The cap: each plan day's share of the in-scope cards, ⌈cards / days⌉ (at least 1). */
export function dailyCap(cardsInScope: number, days: number): number {
  return days <= 0 ? 0 : Math.max(1, Math.ceil(cardsInScope / days));
}

export interface ExamPlanInput {
  /** The card as ts-fsrs scheduled it at `now` (the review just made). */
  after: CardState;
  now: number;
  exam: { at: number; target: number };
  /** planDays(now, exam.at, calendar), in order. */
  days: readonly PlanDay[];
  /** In-scope, unsuspended cards other than this one due on each plan day (by PlanDay.day). */
  load: ReadonlyMap<string, number>;
  /** In-scope, unsuspended cards the student has reviewed, this one included. */
  cardsInScope: number;
  parameters?: readonly number[];
}

export type ExamPlacement =
  | { kind: 'kept'; reason: 'due-before-exam' | 'ready' | 'no-day-left' }
  | {
      kind: 'moved';
      due: number;
      day: string;
      /** True when the card's window was full and it moved before it (rule 4). */
      early: boolean;
      cap: number;
    };

/**
 * The exam a card is planned for: the nearest of `exams` (soonest first, as examsOf returns them)
 * still ahead at `now` whose scope holds the item; undefined when none does.
 */
export function examFor<E extends { at: number; scope: ExamScope }>(item: ScopedItem, exams: readonly E[], now: number): E | undefined {
  return exams.find((e) => e.at > now && inScope(item, e.scope));
}

/**
 * The card state to store for a placement: the due moved, scheduledDays the whole days from the
 * review to it (ts-fsrs's own convention: it counts whole days; nothing in ts-fsrs reads it back
 * to schedule, the next review measures the elapsed time from lastReview).
 */
export function placedState(after: CardState, placement: ExamPlacement): CardState {
  if (placement.kind === 'kept') return after;
  const from = after.lastReview ?? after.due;
  return { ...after, due: placement.due, scheduledDays: Math.max(0, Math.floor((placement.due - from) / DAY_MS)) };
}

/** Rule 1: why the card keeps its due whatever the loads, or null when the plan must place it. */
export function keptBeforePlanning(after: CardState, exam: { at: number; target: number }, parameters?: readonly number[]): 'due-before-exam' | 'ready' | null {
  if (after.due < exam.at) return 'due-before-exam';
  if (recallAt(after, exam.at, parameters) >= exam.target) return 'ready';
  return null;
}

/** Where the rule puts the card's next due (see the module comment for the rule). */
export function placeForExam(input: ExamPlanInput): ExamPlacement {
  const { after, exam, days } = input;
  const kept = keptBeforePlanning(after, exam, input.parameters);
  if (kept) return { kind: 'kept', reason: kept };
  if (days.length === 0) return { kind: 'kept', reason: 'no-day-left' };
  const cap = dailyCap(input.cardsInScope, days.length);
  const opensAt = exam.at - daysToTarget(after.stability, exam.target, input.parameters) * DAY_MS;
  const loadOf = (d: PlanDay) => input.load.get(d.day) ?? 0;
  let best: PlanDay | undefined;
  for (const d of days) {
    if (d.start < opensAt || loadOf(d) >= cap) continue;
    if (!best || loadOf(d) <= loadOf(best)) best = d;
  }
  if (best) return { kind: 'moved', due: best.start, day: best.day, early: false, cap };
  for (let i = days.length - 1; i >= 0; i--) {
    const d = days[i]!;
    if (d.start < opensAt && loadOf(d) < cap) return { kind: 'moved', due: d.start, day: d.day, early: true, cap };
  }
  // Unreachable while the load counts each in-scope card once (rule 4); kept honest, not silent.
  throw new Error(`exam plan: every plan day is at the cap of ${cap} with ${input.cardsInScope} cards in scope over ${days.length} days; the load counts a card twice`);
}
