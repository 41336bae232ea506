/**
 * Class readiness, for the instructor of a class exam: each member's readiness forecast
 * (forecastReadiness, app/scheduling/readiness.ts) on their own cards, settings, parameters and
 * pace, then the class's distribution, the families and topics most at risk, and who is behind.
 * A member's in-scope cards and pace follow the student's own forecast (app/models/readiness.server.ts:
 * banks they study and have not turned off, suspended cards left out, a paused bank's items
 * without a card left out; the median review time of the last PACE_DAYS days), read for the whole
 * class at once: members, their banks, the scope's items, their cards, their recent reviews: one
 * query each, whatever the class's size.
 *
 * Runs: the class shares a budget of CLASS_RUN_BUDGET card-runs, at least CLASS_MIN_RUNS and at
 * most CLASS_MAX_RUNS runs a member (classRunsFor), seeded by the exam's id as on the student's
 * own page, so a member's class figures are their own page's at the class's runs. A class view
 * ranks and bins students: over hundreds of cards the share recalled varies little from run to
 * run, and the interval shown beside each student says how wide it is at those runs.
 *
 * Behind (BEHIND_RULE; the component states it in words): a member with in-scope cards is
 * - not started when none of their in-scope cards has been learned (all are New);
 * - behind when their plan readiness (the mean predicted recall at the exam if they follow the
 *   plan) is below the exam's target (the forecast's limits say why: too few days, too many new
 *   cards, the daily limit), or they are not doing the plan: their in-scope reviews over the last 7 days fall short of half of what the plan
 *   asks in 7 days (its mean daily reviews × 7, so a plan asking nothing flags nobody);
 * - on track otherwise.
 * A member with no in-scope card (no bank of the scope studied) is listed apart ("no cards in scope").
 */
import { and, asc, count, eq, gte, inArray, isNull, max, sql, sum } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { banks, cardActions, cards, classBanks, classes, exams, items, memberships, reviews, subscriptions, users, type SubscriptionState } from '../../db/schema';
import { inScope } from '../exams/scope';
import { forecastReadiness, type ForecastInput, type Readiness, type RecallEstimate, type RecallForecast } from '../scheduling/readiness';
import { State } from '../scheduling/scheduler';
import { AccessDenied } from './access.server';
import { examOf, type Exam } from './exam.server';
import { forecastKey, keptForecast } from './forecast-cache.server';
import { effectiveBankState } from './subscription.server';
import { forecastCards, forecastInputOf, forecastUserColumns, PACE_DAYS, paceFrom } from './readiness.server';

const DAY_MS = 86_400_000;

/** The class's card-runs (see the module comment). */
export const CLASS_RUN_BUDGET = 480_000;
export const CLASS_MIN_RUNS = 8;
export const CLASS_MAX_RUNS = 40;

/** Runs a member for a class whose members hold `cards` in-scope cards in all. */
export function classRunsFor(cards: number): number {
  return Math.max(CLASS_MIN_RUNS, Math.min(CLASS_MAX_RUNS, Math.floor(CLASS_RUN_BUDGET / Math.max(1, cards))));
}

/** The "behind" rule's figures (the component states the rule from these). */
export const BEHIND_RULE = {
  /** The days of recent reviews compared with the plan. */
  recentDays: 7,
  /** A member is short of the plan below this share of what it asks over recentDays. */
  planShare: 0.5,
} as const;

/** A plan readiness histogram's bin width (10 percentage points). */
export const BIN_WIDTH = 0.1;

export const CLASS_READINESS_ERRORS = {
  noExam: (examId: number) => `no class exam ${examId}`,
  notYourClass: (classId: number) => `class ${classId} is not one you teach`,
} as const;

/** The exam does not exist or is not a class's (a student's own exam is theirs alone): the route answers 404. */
export class ClassExamNotFound extends Error {
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = 'ClassExamNotFound';
  }
}

/** A predicted recall with its 95% interval over the runs. */
export interface RecallFigure {
  mean: number;
  low: number;
  high: number;
}

export type MemberStatus = 'on-track' | 'behind' | 'not-started' | 'no-cards';

/** Why a member is behind (one or more). */
export type BehindReason = 'below-target' | 'short-of-plan';

export interface MemberReadiness {
  userId: number;
  displayName: string;
  status: MemberStatus;
  /** Not started or behind: the students the instructor should look at. */
  behind: boolean;
  reasons: BehindReason[];
  /** In-scope, unsuspended cards (New included: the scope's items the member has not met yet). */
  cardsInScope: number;
  /** Of those, the ones past New. */
  cardsLearned: number;
  /** In-scope reviews over the last BEHIND_RULE.recentDays days. */
  recentReviews: number;
  /** Null without in-scope cards. */
  plan: RecallFigure | null;
  stopToday: RecallFigure | null;
  /** The plan's mean reviews and minutes a day over the days to the exam (0 with none). */
  dailyReviews: number;
  dailyMinutes: number;
  /** The pace the minutes rest on. */
  secondsPerReview: number;
  /** The best recall reachable, the daily load it needs and why, when the plan falls short of the target. */
  limit: { bestRecall: number; dailyLoadNeeded: number; reason: string | null } | null;
}

/** One group (a family or a topic) over the class. */
export interface GroupRisk {
  key: string;
  /** Members with cards of it. */
  students: number;
  /** Mean over those members of their plan recall of it. */
  meanPlan: number;
  meanStopToday: number;
  /** Members whose plan recall of it is below the target. */
  belowTarget: number;
}

export interface ClassReadinessData {
  exam: Exam;
  className: string;
  now: number;
  daysLeft: number;
  /** Runs of each member's forecast. */
  runs: number;
  rule: typeof BEHIND_RULE;
  members: MemberReadiness[];
  /** Plan readiness per bin [from, to) (the last bin includes 100%), over the members with cards in scope. */
  distribution: { from: number; to: number; students: number }[];
  /** Quartiles of plan readiness over the members with cards in scope (null: none). */
  quartiles: { q1: number; median: number; q3: number } | null;
  families: GroupRisk[];
  topics: GroupRisk[];
  counts: Record<MemberStatus, number>;
}

/**
 * The class readiness of exam `examId` for its class's instructor `userId` at `now`. A missing
 * exam, or a student's own, throws ClassExamNotFound; a class the user does not teach, AccessDenied.
 * `runs` overrides classRunsFor (tests).
 */
export async function classReadiness({ db = getDb(), userId, examId, now, runs }: { db?: Db; userId: number; examId: number; now: Date; runs?: number }): Promise<ClassReadinessData> {
  const [found] = await db.select({ exam: exams, className: classes.name, instructorId: classes.instructorId }).from(exams).innerJoin(classes, eq(classes.id, exams.classId)).where(eq(exams.id, examId));
  if (!found) throw new ClassExamNotFound(CLASS_READINESS_ERRORS.noExam(examId));
  const exam = examOf(found.exam, found.className);
  if (found.instructorId !== userId) throw new AccessDenied(CLASS_READINESS_ERRORS.notYourClass(exam.classId!));

  // Kept until a member reviews, acts on a card, changes a setting or a bank, or the slot ends
  // (forecast-cache.server.ts): reading the members' cards alone costs about a second for 200.
  const key = forecastKey('class', { exam, runs: runs ?? null, signature: await classSignature(db, exam.classId!) }, now);
  return keptForecast(db, key, async () => {
    const members = await classInputs(db, exam, now);
    const perMember = runs ?? classRunsFor(members.reduce((a, m) => a + (m.input?.cards.length ?? 0), 0));
    const forecasts = members.map((m) => memberReadiness(m, exam, perMember));
    return summarise(exam, found.className, now, perMember, forecasts);
  });
}

/** What a class's readiness reads, in brief: its members and their settings, their latest review and card action, their cards in sum, the banks' versions and the class's. */
async function classSignature(db: Db, classId: number) {
  const memberIds = db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.classId, classId));
  const [people, latest, acted, held, bankVersions, published, chosen] = [
    await db.select({ id: users.id, displayName: users.displayName, ...forecastUserColumns() }).from(users).where(inArray(users.id, memberIds)).orderBy(asc(users.id)),
    await db.select({ at: max(reviews.reviewedAt), n: count() }).from(reviews).where(inArray(reviews.userId, memberIds)),
    await db.select({ id: max(cardActions.id) }).from(cardActions).where(inArray(cardActions.userId, memberIds)),
    // Card writes that are neither reviews nor card actions (an exam's plan moving dues) show here.
    await db.select({ n: count(), due: sum(cards.due), suspended: sum(sql`case when ${cards.suspended} then 1 else 0 end`), last: max(cards.lastReview) }).from(cards).where(inArray(cards.userId, memberIds)),
    await db.select({ id: banks.id, version: banks.version }).from(banks).orderBy(asc(banks.id)),
    await db.select({ bankId: classBanks.bankId, at: classBanks.publishedAt }).from(classBanks).where(eq(classBanks.classId, classId)).orderBy(asc(classBanks.bankId)),
    await db.select({ at: max(subscriptions.updatedAt), n: count() }).from(subscriptions).where(inArray(subscriptions.userId, memberIds)),
  ];
  return { people, latest, acted, held, bankVersions, published, chosen };
}

/** Everything one member's forecast rests on (input null: no in-scope card). */
export interface MemberData {
  userId: number;
  displayName: string;
  input: ForecastInput | null;
  recentReviews: number;
}

/** Each member's forecast input (as readinessInput builds one student's) and recent in-scope reviews, from one query per table for the class. */
export async function classInputs(db: Db, exam: Exam, now: Date): Promise<MemberData[]> {
  const people = await db
    .select({ id: users.id, displayName: users.displayName, ...forecastUserColumns() })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.classId, exam.classId!))
    .orderBy(asc(users.displayName), asc(users.id));
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);

  // The banks each member studies with their state (subscription.server's studiedBanks, for all members at once):
  // content banks as the member set them, a bank of one of their classes always on or paused.
  const contentBanks = (await db.select({ id: banks.id }).from(banks).where(eq(banks.source, 'content'))).map((b) => b.id);
  const published = await db.select({ userId: memberships.userId, bankId: classBanks.bankId }).from(memberships).innerJoin(classBanks, eq(classBanks.classId, memberships.classId)).where(inArray(memberships.userId, ids));
  const chosen = await db.select({ userId: subscriptions.userId, bankId: subscriptions.bankId, state: subscriptions.state }).from(subscriptions).where(inArray(subscriptions.userId, ids));
  const studied = new Map<number, Map<string, SubscriptionState>>(ids.map((id) => [id, new Map(contentBanks.map((b) => [b, 'on']))]));
  const classBank = new Set(published.map((p) => `${p.userId}|${p.bankId}`));
  for (const p of published) studied.get(p.userId)!.set(p.bankId, 'on');
  for (const c of chosen) {
    const own = studied.get(c.userId)!;
    if (own.has(c.bankId)) own.set(c.bankId, effectiveBankState(c.state, classBank.has(`${c.userId}|${c.bankId}`)));
  }
  const wanted = (bankId: string) => exam.scope.banks.length === 0 || exam.scope.banks.includes(bankId);
  const candidateBanks = [...new Set([...contentBanks, ...published.map((p) => p.bankId)])].filter(wanted);
  const noCards = () => people.map((p) => ({ userId: p.id, displayName: p.displayName, input: null, recentReviews: 0 }));
  if (candidateBanks.length === 0) return noCards();

  // In bank and position order, as the student's own forecast introduces new items.
  const scopeItems = (
    await db
      .select({ id: items.id, bankId: items.bankId, topic: items.topic, family: items.family })
      .from(items)
      .where(and(inArray(items.bankId, candidateBanks), isNull(items.retiredAt)))
      .orderBy(asc(items.bankId), asc(items.position))
  ).filter((it) => inScope(it, exam.scope));
  if (scopeItems.length === 0) return noCards();
  const inScopeIds = new Set(scopeItems.map((it) => it.id));

  const cardRows = await db
    .select({ card: cards })
    .from(cards)
    .innerJoin(items, eq(items.id, cards.itemId))
    .where(and(inArray(cards.userId, ids), inArray(items.bankId, candidateBanks), isNull(items.retiredAt)));
  const cardsOf = new Map<number, Map<string, (typeof cardRows)[number]['card']>>(ids.map((id) => [id, new Map()]));
  for (const { card } of cardRows) if (inScopeIds.has(card.itemId)) cardsOf.get(card.userId)!.set(card.itemId, card);

  // Pace (the last PACE_DAYS days, every review) and the rule's recent in-scope reviews, from one read.
  const recentFrom = now.getTime() - BEHIND_RULE.recentDays * DAY_MS;
  const recent = await db
    .select({ userId: reviews.userId, itemId: reviews.itemId, reviewedAt: reviews.reviewedAt, durationMs: reviews.durationMs })
    .from(reviews)
    .where(and(inArray(reviews.userId, ids), gte(reviews.reviewedAt, new Date(now.getTime() - PACE_DAYS * DAY_MS))));
  const durations = new Map<number, number[]>(ids.map((id) => [id, []]));
  const recentCount = new Map<number, number>();
  for (const r of recent) {
    durations.get(r.userId)!.push(r.durationMs);
    const at = r.reviewedAt.getTime();
    if (at >= recentFrom && at <= now.getTime() && inScopeIds.has(r.itemId)) recentCount.set(r.userId, (recentCount.get(r.userId) ?? 0) + 1);
  }

  return people.map((p): MemberData => {
    const own = cardsOf.get(p.id)!;
    const bankState = studied.get(p.id)!;
    const list = forecastCards(
      scopeItems.map((it) => ({ itemId: it.id, bankId: it.bankId, topic: it.topic, family: it.family, card: own.get(it.id) ?? null })),
      (bankId) => bankState.get(bankId),
      exam.scope,
      now,
    );
    const input = list.length === 0 ? null : forecastInputOf(p, list, paceFrom(durations.get(p.id)!), exam, now);
    return { userId: p.id, displayName: p.displayName, input, recentReviews: recentCount.get(p.id) ?? 0 };
  });
}

// ---------------------------------------------------------------------------------------------
// One member, then the class

interface MemberForecast {
  row: MemberReadiness;
  readiness: Readiness | null;
  /** Plan and stop-today recall per family and per topic. */
  families: Map<string, { plan: number; stopToday: number }>;
  topics: Map<string, { plan: number; stopToday: number }>;
}

function figureOf(e: RecallEstimate): RecallFigure {
  return { mean: e.mean, low: e.low, high: e.high };
}

function groupsOf(r: Readiness, pick: 'families' | 'topics'): Map<string, { plan: number; stopToday: number }> {
  const out = new Map<string, { plan: number; stopToday: number }>();
  const key = (g: RecallForecast['families'][number] | RecallForecast['topics'][number]) => ('family' in g ? g.family : g.topic);
  for (const g of r.plan[pick]) out.set(key(g), { plan: g.mean, stopToday: 0 });
  for (const g of r.stopToday[pick]) {
    const o = out.get(key(g));
    if (o) o.stopToday = g.mean;
  }
  return out;
}

function memberReadiness(m: MemberData, exam: Exam, runs: number): MemberForecast {
  const base = { userId: m.userId, displayName: m.displayName, recentReviews: m.recentReviews };
  if (!m.input) {
    return {
      row: { ...base, status: 'no-cards', behind: false, reasons: [], cardsInScope: 0, cardsLearned: 0, plan: null, stopToday: null, dailyReviews: 0, dailyMinutes: 0, secondsPerReview: 0, limit: null },
      readiness: null,
      families: new Map(),
      topics: new Map(),
    };
  }
  const readiness = forecastReadiness({ ...m.input, runs });
  const cardsInScope = m.input.cards.length;
  const cardsLearned = m.input.cards.filter((c) => c.state.state !== State.New).length;
  const days = readiness.perDay.length;
  const dailyReviews = days === 0 ? 0 : readiness.perDay.reduce((a, d) => a + d.reviews, 0) / days;
  const dailyMinutes = days === 0 ? 0 : readiness.perDay.reduce((a, d) => a + d.minutes, 0) / days;
  const plan = figureOf(readiness.plan.overall);
  const reasons: BehindReason[] = [];
  // Below the target is the forecast's "out of reach" (limits.reachable is plan ≥ target); the limit says why.
  if (plan.mean < exam.target) reasons.push('below-target');
  if (m.recentReviews < BEHIND_RULE.planShare * BEHIND_RULE.recentDays * dailyReviews) reasons.push('short-of-plan');
  const status: MemberStatus = cardsLearned === 0 ? 'not-started' : reasons.length > 0 ? 'behind' : 'on-track';
  return {
    row: {
      ...base,
      status,
      behind: status !== 'on-track',
      reasons,
      cardsInScope,
      cardsLearned,
      plan,
      stopToday: figureOf(readiness.stopToday.overall),
      dailyReviews,
      dailyMinutes,
      secondsPerReview: m.input.secondsPerReview,
      limit: readiness.limits.reachable ? null : { bestRecall: readiness.limits.bestRecall, dailyLoadNeeded: readiness.limits.dailyLoadNeeded, reason: readiness.limits.reason },
    },
    readiness,
    families: groupsOf(readiness, 'families'),
    topics: groupsOf(readiness, 'topics'),
  };
}

/** Linear-interpolated quantile of sorted values (the p-th, 0–1). */
function quantile(sorted: readonly number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** The plan readiness histogram: BIN_WIDTH bins from 0 to 100%, 100% in the last. */
export function readinessBins(values: readonly number[]): ClassReadinessData['distribution'] {
  const n = Math.round(1 / BIN_WIDTH);
  const bins = Array.from({ length: n }, (_, i) => ({ from: i / n, to: (i + 1) / n, students: 0 }));
  for (const v of values) bins[Math.min(n - 1, Math.max(0, Math.floor(v * n + 1e-9)))]!.students++;
  return bins;
}

function groupRisks(members: readonly MemberForecast[], pick: 'families' | 'topics', target: number): GroupRisk[] {
  const acc = new Map<string, { students: number; plan: number; stop: number; below: number }>();
  for (const m of members) {
    for (const [key, g] of m[pick]) {
      const a = acc.get(key) ?? { students: 0, plan: 0, stop: 0, below: 0 };
      a.students++;
      a.plan += g.plan;
      a.stop += g.stopToday;
      if (g.plan < target) a.below++;
      acc.set(key, a);
    }
  }
  // Most at risk first: the lowest mean plan recall, then the most students below the target.
  return [...acc]
    .map(([key, a]) => ({ key, students: a.students, meanPlan: a.plan / a.students, meanStopToday: a.stop / a.students, belowTarget: a.below }))
    .sort((x, y) => x.meanPlan - y.meanPlan || y.belowTarget - x.belowTarget || x.key.localeCompare(y.key));
}

const STATUS_ORDER: Record<MemberStatus, number> = { 'not-started': 0, behind: 1, 'on-track': 2, 'no-cards': 3 };

function summarise(exam: Exam, className: string, now: Date, runs: number, forecasts: readonly MemberForecast[]): ClassReadinessData {
  const rows = forecasts.map((f) => f.row);
  const first = forecasts.find((f) => f.readiness)?.readiness ?? null;
  const planned = rows.flatMap((r) => (r.plan ? [r.plan.mean] : [])).sort((a, b) => a - b);
  const counts: Record<MemberStatus, number> = { 'on-track': 0, behind: 0, 'not-started': 0, 'no-cards': 0 };
  for (const r of rows) counts[r.status]++;
  // Who needs the instructor first: not started, then behind, the lowest plan readiness first.
  const members = [...rows].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.plan?.mean ?? 2) - (b.plan?.mean ?? 2) || a.displayName.localeCompare(b.displayName));
  return {
    exam,
    className,
    now: now.getTime(),
    daysLeft: first?.daysLeft ?? Math.max(0, Math.ceil((exam.at - now.getTime()) / DAY_MS)),
    runs,
    rule: BEHIND_RULE,
    members,
    distribution: readinessBins(planned),
    quartiles: planned.length ? { q1: quantile(planned, 0.25), median: quantile(planned, 0.5), q3: quantile(planned, 0.75) } : null,
    families: groupRisks(forecasts, 'families', exam.target),
    topics: groupRisks(forecasts, 'topics', exam.target),
    counts,
  };
}
