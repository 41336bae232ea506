/**
 * A student's readiness for an exam: the in-scope cards, the student's settings, calendar and
 * pace read from the database, and the forecast of app/scheduling/readiness.ts on them.
 *
 * In scope: the items (not retired) of the banks the student studies and has not turned off that
 * the exam's scope matches; a suspended card is left out. An item with no card yet, or a New
 * card, is New: it is introduced at the student's new-cards-a-day (a paused bank gives none, so its
 * items without a card are left out). New items come in bank and position order.
 *
 * Pace: the median time of the student's reviews of the last PACE_DAYS days; with fewer than
 * PACE_MIN_REVIEWS of them, DEFAULT_SECONDS_PER_REVIEW.
 */
import { and, asc, eq, gte, inArray, isNull } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { cards, items, reviews, users, type CardRow, type SubscriptionState } from '../../db/schema';
import { inScope, type ExamScope, type ScopedItem } from '../exams/scope';
import { forecastReadiness, type ForecastCard, type ForecastInput, type Readiness } from '../scheduling/readiness';
import { newCardState } from '../scheduling/scheduler';
import { median } from './analytics.server';
import { cardStateOf } from './card.server';
import { examsOf, type Exam } from './exam.server';
import { forecastKey, keptForecast } from './forecast-cache.server';
import { itemText } from './cards-page.server';
import { schedulerColumns, schedulerSettingsOf, type SchedulerColumns } from './review.server';
import { studiedBanks } from './subscription.server';

const DAY_MS = 86_400_000;
export const PACE_DAYS = 30;
export const PACE_MIN_REVIEWS = 20;
/** A stated guess for a student with too few recent reviews: a fact takes a few seconds, a generated question longer. */
export const DEFAULT_SECONDS_PER_REVIEW = 12;

export const READINESS_ERRORS = {
  notFound: 'No such exam among yours.',
} as const;

/** The exam is not one the user sits: a 404, as for anything not theirs. */
export class ReadinessNotFound extends Error {
  readonly status = 404;
  constructor() {
    super(READINESS_ERRORS.notFound);
    this.name = 'ReadinessNotFound';
  }
}

export interface Pace {
  secondsPerReview: number;
  /** The reviews it rests on; below PACE_MIN_REVIEWS the default is used. */
  reviews: number;
  fromDefault: boolean;
}

/** The pace the durations of a student's reviews of the last PACE_DAYS days give (module comment). */
export function paceFrom(durationsMs: readonly number[]): Pace {
  const ms = median([...durationsMs]);
  if (durationsMs.length < PACE_MIN_REVIEWS || ms === null) return { secondsPerReview: DEFAULT_SECONDS_PER_REVIEW, reviews: durationsMs.length, fromDefault: true };
  return { secondsPerReview: ms / 1000, reviews: durationsMs.length, fromDefault: false };
}

/** The student's pace: the median review time of the last PACE_DAYS days. */
export async function paceOf({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<Pace> {
  const rows = await db
    .select({ ms: reviews.durationMs })
    .from(reviews)
    .where(and(eq(reviews.userId, userId), gte(reviews.reviewedAt, new Date(now.getTime() - PACE_DAYS * DAY_MS))));
  return paceFrom(rows.map((r) => r.ms));
}

/** One item the scope may hold, with the student's card on it (null: none yet). */
export interface ScopeItemRow extends ScopedItem {
  itemId: string;
  card: CardRow | null;
}

/**
 * The forecast's cards among `rows` (in bank and position order) for a student whose bank states
 * are `bankState` (module comment: banks off left out, suspended cards left out, a paused bank's
 * items without a card left out). Titles are left empty (titled() fills the shown ones).
 */
export function forecastCards(rows: Iterable<ScopeItemRow>, bankState: (bankId: string) => SubscriptionState | undefined, scope: ExamScope, now: Date): ForecastCard[] {
  const fresh = newCardState(now);
  const out: ForecastCard[] = [];
  for (const r of rows) {
    const state = bankState(r.bankId);
    if (state === undefined || state === 'off' || !inScope(r, scope)) continue;
    if (r.card?.suspended) continue;
    if (!r.card && state === 'paused') continue;
    out.push({ itemId: r.itemId, title: '', topic: r.topic, family: r.family, state: r.card ? cardStateOf(r.card) : fresh });
  }
  return out;
}

/** The user columns a forecast's input reads, for a select. */
export const forecastUserColumns = () => ({ ...schedulerColumns(), timeZone: users.timeZone, rolloverHour: users.rolloverHour, newPerDay: users.newPerDay, reviewsPerDay: users.reviewsPerDay });

/** The forecast's input for one student, from their row, their in-scope cards and their pace. */
export function forecastInputOf(user: SchedulerColumns & { timeZone: string; rolloverHour: number; newPerDay: number; reviewsPerDay: number }, list: ForecastCard[], pace: Pace, exam: Exam, now: Date, runs?: number): ForecastInput {
  return {
    cards: list,
    exam: { at: exam.at, target: exam.target },
    now: now.getTime(),
    // The student's own calendar: the study days the plan lands on are theirs.
    calendar: { timeZone: user.timeZone, rolloverHour: user.rolloverHour },
    settings: schedulerSettingsOf(user),
    secondsPerReview: pace.secondsPerReview,
    newPerDay: user.newPerDay,
    maxReviewsPerDay: user.reviewsPerDay,
    // The exam's id seeds the runs: the same forecast on the dashboard, the exam's page and the class's.
    seed: exam.id,
    ...(runs === undefined ? {} : { runs }),
  };
}

/** The in-scope cards of `exam` for the user (module comment). */
async function scopeCards(db: Db, userId: number, exam: Exam, now: Date): Promise<ForecastCard[]> {
  const banks = new Map((await studiedBanks({ db, userId })).map((b) => [b.bankId, b.state]));
  const ids = [...banks].filter(([, state]) => state !== 'off').map(([id]) => id);
  if (ids.length === 0) return [];
  const rows = await db
    .select({ itemId: items.id, bankId: items.bankId, topic: items.topic, family: items.family, card: cards })
    .from(items)
    .leftJoin(cards, and(eq(cards.itemId, items.id), eq(cards.userId, userId)))
    .where(and(inArray(items.bankId, ids), isNull(items.retiredAt)))
    .orderBy(asc(items.bankId), asc(items.position));
  return forecastCards(rows, (bankId) => banks.get(bankId), exam.scope, now);
}

/** The forecast's input for one student and exam (for callers that run it themselves). */
export async function readinessInput({ db = getDb(), userId, exam, now, runs }: { db?: Db; userId: number; exam: Exam; now: Date; runs?: number }): Promise<ForecastInput> {
  const [user] = await db.select(forecastUserColumns()).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`no user ${userId}`);
  return forecastInputOf(user, await scopeCards(db, userId, exam, now), await paceOf({ db, userId, now }), exam, now, runs);
}

/**
 * The forecast of `input`, kept (forecast-cache.server.ts) under a digest of everything in it but
 * the instant: the same cards, settings and pace in the same slot give the forecast made first.
 */
export function keptReadiness(db: Db, input: ForecastInput): Promise<Readiness> {
  const { now, ...rest } = input;
  return keptForecast(db, forecastKey('student', rest, new Date(now)), () => forecastReadiness(input));
}

/** Fills in the at-risk cards' titles (only they are shown; the rest need none). */
async function titled(db: Db, readiness: Readiness): Promise<Readiness> {
  const ids = readiness.atRisk.map((c) => c.itemId);
  if (ids.length === 0) return readiness;
  const rows = await db.select({ id: items.id, kind: items.kind, content: items.content }).from(items).where(inArray(items.id, ids));
  const title = new Map(rows.map((r) => [r.id, itemText(r.kind, r.content)]));
  return { ...readiness, atRisk: readiness.atRisk.map((c) => ({ ...c, title: title.get(c.itemId) || c.itemId })) };
}

export interface StudentReadiness {
  exam: Exam;
  readiness: Readiness;
}

/** The forecast for one exam the user sits; ReadinessNotFound for any other. */
export async function studentReadiness({ db = getDb(), userId, examId, now, runs }: { db?: Db; userId: number; examId: number; now: Date; runs?: number }): Promise<StudentReadiness> {
  const exam = (await examsOf({ db, userId })).find((e) => e.id === examId);
  if (!exam) throw new ReadinessNotFound();
  return readinessOf({ db, userId, exam, now, runs });
}

/** The forecast for an exam already known to be one the user sits (the exam page checked it; examsOf gave it). */
export async function readinessOf({ db = getDb(), userId, exam, now, runs }: { db?: Db; userId: number; exam: Exam; now: Date; runs?: number | undefined }): Promise<StudentReadiness> {
  const input = await readinessInput({ db, userId, exam, now, ...(runs === undefined ? {} : { runs }) });
  return { exam, readiness: await titled(db, await keptReadiness(db, input)) };
}

export interface ReadinessSummaryRow {
  exam: Exam;
  /** Predicted share recalled at the exam following the plan, and stopping today. */
  plan: number;
  stopToday: number;
  target: number;
  reachable: boolean;
  daysLeft: number;
  /** Today's expected reviews and minutes in the plan. */
  today: { reviews: number; minutes: number };
  cards: number;
}

/** One line per exam ahead of the user, soonest first, for the dashboard. */
export async function readinessSummaries({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<ReadinessSummaryRow[]> {
  const out: ReadinessSummaryRow[] = [];
  for (const exam of await examsOf({ db, userId, after: now })) {
    const r = await keptReadiness(db, await readinessInput({ db, userId, exam, now }));
    const today = r.perDay[0] ?? { reviews: 0, minutes: 0 };
    out.push({ exam, plan: r.plan.overall.mean, stopToday: r.stopToday.overall.mean, target: r.target, reachable: r.limits.reachable, daysLeft: r.daysLeft, today: { reviews: today.reviews, minutes: today.minutes }, cards: r.cards });
  }
  return out;
}

/** The statistics page's readiness: the soonest exam ahead in full, the others by name. */
export async function readinessOnStats({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<{ soonest: StudentReadiness | null; others: Exam[] }> {
  const [first, ...others] = await examsOf({ db, userId, after: now });
  if (!first) return { soonest: null, others: [] };
  // The exam came from examsOf just now: no second read to find it.
  return { soonest: await readinessOf({ db, userId, exam: first, now }), others };
}
