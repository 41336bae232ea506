/**
 * Whose FSRS parameters schedule a student, and the optimizer runs that fit them (decision
 * record 0020). A run is a row of optimizer_runs: requested here (the settings page, the worker's
 * automatic sweep), claimed and executed by the optimizer worker (app/optimizer-jobs.server.ts),
 * never on a request. After a run, resolveParameters copies the set that should schedule each
 * affected student into users.fsrsParameters, with the reason in words.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, lt, max, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../db/client';
import { classes, memberships, optimizerRuns, parameterChoices, reviews, users, type OptimizerRunRow, type OptimizerTrigger, type ParameterChoice, type User } from '../../db/schema';
import { lockedRows } from '../../db/sql';
import { dayNumber, evaluate, fit, HELD_OUT_SHARE, itemsOf, judgedItems, MIN_REVIEWS, OPTIMIZER_WORDS, timeSplit, tooShort, verdict, type HistoryReview, type Items, type Verdict } from '../scheduling/optimizer';
import type { FSRSBindingItem, ModelEvaluation } from '@open-spaced-repetition/binding';
import { parseParameters } from '../scheduling/scheduler';
import { studyDayBounds } from '../scheduling/study-day';

/** A run's owner: one student, or one class (requested by the instructor who teaches it). */
export type RunOwner = { userId: number } | { classId: number; instructorId: number };

/** The automatic rule (decision 0020): a run is due after this long with new reviews, or after this many new reviews. */
export const AUTO_RUN_AFTER_DAYS = 7;
export const AUTO_RUN_AFTER_REVIEWS = 500;
/** A run left `running` longer than this by a process that died is queued again. */
export const STALE_RUN_MS = 10 * 60_000;
/** How often a fit's progress is written to its row at most. */
const PROGRESS_EVERY_MS = 500;
const DAY_MS = 86_400_000;

export const PARAMETER_ERRORS = {
  noUser: (userId: number) => `no user ${userId}`,
  noClass: (classId: number) => `class ${classId} is not one you teach`,
  badChoice: (choice: string) => `the parameter choice must be one of ${parameterChoices.join(', ')}, not ${JSON.stringify(choice)}`,
  runMissing: 'choose which run’s set to use',
  runWithoutChoice: (choice: string) => `a run is chosen only with the choice "run", not "${choice}"`,
  notYourRun: (runId: number) => `run ${runId} is neither one of your optimizer runs nor a kept run of a class you belong to`,
  notFitted: (runId: number) => `run ${runId} has no fitted set (it was refused, failed or has not finished): choose a run that fitted one`,
} as const;

/** A choice refused: nothing was saved; the message says what is wrong. */
export class ParameterChoiceRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterChoiceRefused';
  }
}

const loss = (x: number) => x.toFixed(4);
const s = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The words of the reasons a set schedules a student (users.parameterReason) and of the runs. */
export const PARAMETER_TEXT = {
  died: (how: string) => `failed: the optimizer process died while fitting (${how}); the run is not retried, and the set in use stays`,
  own: (when: string, reviewsUsed: number, run: OptimizerRunRow) =>
    `Your own parameters, fitted on ${when} from ${s(reviewsUsed, 'review')}: on your newest ${s(run.testItems ?? 0, 'review')}, held out of the fit, they scored log loss ${loss(run.logLoss!)} against ${loss(run.baselineLogLoss!)} for the set before (the defaults: ${loss(run.defaultLogLoss!)}).`,
  classSet: (className: string, reviewsSoFar: number, judged: { items: number; classLoss: number; defaultLoss: number } | null, run: OptimizerRunRow) =>
    `Your class ${className}'s parameters: you have ${reviewsSoFar} of the ${MIN_REVIEWS} reviews your own fit needs, and ` +
    (judged
      ? `the class's set predicts your reviews better than the defaults (log loss ${loss(judged.classLoss)} against ${loss(judged.defaultLoss)} on your ${s(judged.items, 'repeated review')}).`
      : `the class's set predicted the reviews it was not fitted on better than the defaults (log loss ${loss(run.logLoss!)} against ${loss(run.defaultLogLoss!)}); your own reviews are not yet enough to judge it on.`),
  chosenOwn: (when: string, run: OptimizerRunRow) => `The set you chose: your own, fitted on ${when} from ${s(run.reviewsUsed ?? 0, 'review')} (run ${run.id}).`,
  chosenClass: (className: string, when: string, run: OptimizerRunRow) => `The set you chose: your class ${className}'s, fitted on ${when} (run ${run.id}).`,
  chosenGone: (runId: number) => `The run you chose (${runId}) is no longer yours to use, so the choice is automatic again. `,
  defaultsChosen: 'The defaults: you chose them.',
  defaultsNoKeptRun: (reviewsSoFar: number) => `The defaults: none of your own fits (from your ${s(reviewsSoFar, 'review')}) has predicted your held-out reviews better than them yet.`,
  defaultsTooFew: (reviewsSoFar: number, classWhy: string | null) =>
    `The defaults: you have ${reviewsSoFar} of the ${MIN_REVIEWS} reviews your own fit needs${classWhy ? `, and ${classWhy}` : ', and none of your classes has a fitted set that predicts its members’ reviews better than the defaults'}.`,
  classWorseForYou: (className: string, classLoss: number, defaultLoss: number, items: number) =>
    `your class ${className}'s set predicts your own reviews no better than the defaults (log loss ${loss(classLoss)} against ${loss(defaultLoss)} on your ${s(items, 'repeated review')})`,
  classRunNotGood: 'not kept: better than the class’s set in use but not better than the defaults',
  heldOutMembers: (members: number) =>
    members === 0 ? '; held out: the newest fifth of the reviews (one member: none held out whole)' : `; held out: the newest fifth of the reviews and every review of ${s(members, 'member')} the fit never saw`,
} as const;

let wakeWorker: (() => void) | null = null;

/** Called after a run is queued: the optimizer worker's wake-up (app/optimizer-jobs.server.ts sets it; none in the CLI and tests). */
export function setRunWaker(wake: (() => void) | null): void {
  wakeWorker = wake;
}

function notFound(message: string): Response {
  return new Response(message, { status: 404, statusText: 'Not Found' });
}

function ownerWhere(owner: RunOwner) {
  return 'classId' in owner ? eq(optimizerRuns.classId, owner.classId) : eq(optimizerRuns.userId, owner.userId);
}

/** The class, if `instructorId` teaches it; else a 404 (another's class is not shown to exist). */
async function taughtClass(db: Db | Tx, classId: number, instructorId: number) {
  const [cls] = await db.select().from(classes).where(eq(classes.id, classId));
  if (!cls || cls.instructorId !== instructorId) throw notFound(PARAMETER_ERRORS.noClass(classId));
  return cls;
}

/**
 * Queues a run for a student or a class, or returns the one already queued or running for that
 * owner (a second click starts nothing), and wakes the worker. The owner's row is locked while
 * it checks, so two requests never queue two runs.
 */
export async function requestRun(owner: { db?: Db } & RunOwner, { trigger, now }: { trigger: OptimizerTrigger; now: Date }): Promise<{ runId: number }> {
  const db = owner.db ?? getDb();
  const runId = await db.transaction(async (tx) => {
    if ('classId' in owner) {
      const [cls] = await lockedRows(tx, classes, eq(classes.id, owner.classId));
      if (!cls || cls.instructorId !== owner.instructorId) throw notFound(PARAMETER_ERRORS.noClass(owner.classId));
    } else {
      const [user] = await lockedRows(tx, users, eq(users.id, owner.userId));
      if (!user) throw notFound(PARAMETER_ERRORS.noUser(owner.userId));
    }
    const [open] = await tx
      .select({ id: optimizerRuns.id })
      .from(optimizerRuns)
      .where(and(ownerWhere(owner), inArray(optimizerRuns.status, ['queued', 'running'])))
      .orderBy(desc(optimizerRuns.id))
      .limit(1);
    if (open) return open.id;
    const [row] = await tx
      .insert(optimizerRuns)
      .values({ ...('classId' in owner ? { classId: owner.classId } : { userId: owner.userId }), trigger, status: 'queued', requestedAt: now })
      .returning({ id: optimizerRuns.id });
    return row!.id;
  });
  wakeWorker?.();
  return { runId };
}

/** The oldest queued run, or null. */
export async function nextQueuedRun({ db = getDb() }: { db?: Db } = {}): Promise<number | null> {
  const [row] = await db.select({ id: optimizerRuns.id }).from(optimizerRuns).where(eq(optimizerRuns.status, 'queued')).orderBy(asc(optimizerRuns.requestedAt), asc(optimizerRuns.id)).limit(1);
  return row?.id ?? null;
}

/** Queues again the runs a dead process left `running` (started more than STALE_RUN_MS before `now`); returns how many. */
export async function requeueStaleRuns({ db = getDb(), now }: { db?: Db; now: Date }): Promise<number> {
  const rows = await db
    .update(optimizerRuns)
    .set({ status: 'queued', startedAt: null, progressDone: 0, progressTotal: 0 })
    .where(and(eq(optimizerRuns.status, 'running'), lt(optimizerRuns.startedAt, new Date(now.getTime() - STALE_RUN_MS))))
    .returning({ id: optimizerRuns.id });
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Histories

/** One person's reviews as the optimizer reads them: card by card, each on its study day in the person's zone. */
async function historyOf(db: Db | Tx, userId: number, timeZone: string, rolloverHour: number): Promise<HistoryReview[]> {
  const rows = await db
    .select({ cardId: reviews.cardId, reviewedAt: reviews.reviewedAt, rating: reviews.rating })
    .from(reviews)
    .where(eq(reviews.userId, userId))
    .orderBy(asc(reviews.reviewedAt), asc(reviews.id));
  // In time order, so studyDayBounds' cache of the last day answers most of them.
  return rows.map((r) => ({
    cardId: r.cardId,
    reviewedAt: r.reviewedAt.getTime(),
    day: dayNumber(studyDayBounds(r.reviewedAt, timeZone, rolloverHour).day),
    rating: r.rating as HistoryReview['rating'],
  }));
}

/** A member's place in the class's held-out members: a fixed scramble of the id (Knuth's multiplicative hash), so the same members are held out every run. */
function scrambled(id: number): number {
  return Math.imul(id, 2654435761) >>> 0;
}

/** The members held out of a class fit (about HELD_OUT_SHARE of them, at least one of two or more). */
export function heldOutMembers(memberIds: readonly number[]): Set<number> {
  if (memberIds.length < 2) return new Set();
  const n = Math.max(1, Math.round(memberIds.length * HELD_OUT_SHARE));
  return new Set([...memberIds].sort((a, b) => scrambled(a) - scrambled(b) || a - b).slice(0, n));
}

// ---------------------------------------------------------------------------------------------
// Executing a run

type RunResult = Partial<Omit<OptimizerRunRow, 'id' | 'userId' | 'classId' | 'trigger' | 'status' | 'requestedAt' | 'startedAt'>>;
type Progress = (done: number, total: number) => void;

async function fitUser(db: Db, run: OptimizerRunRow, progress: Progress): Promise<RunResult> {
  const [user] = await db.select().from(users).where(eq(users.id, run.userId!));
  if (!user) throw new Error(PARAMETER_ERRORS.noUser(run.userId!));
  const baseline = user.fsrsParameters ? parseParameters(user.fsrsParameters) : null;
  const items = itemsOf(await historyOf(db, user.id, user.timeZone, user.rolloverHour));
  const recorded: RunResult = { reviewsUsed: items.reviews, baselineParameters: user.fsrsParameters, baselineRunId: user.parameterRunId };
  const short = tooShort(items);
  if (short) return { ...recorded, kept: false, reason: short };
  const { train, test: heldOut } = timeSplit(items.items);
  const judged = await fitAndJudge(train, heldOut, baseline, user.parameterRunId === null ? 'the defaults' : `the set in use (run ${user.parameterRunId})`, progress);
  if ('refused' in judged) return { ...recorded, ...judged.refused };
  return { ...recorded, ...judged.figures, ...judged.verdict, reason: judged.verdict.reason + judged.note };
}

type Judgement =
  | { refused: RunResult }
  | { figures: RunResult; fitted: ModelEvaluation; defaults: ModelEvaluation; verdict: Verdict; note: string };

/**
 * Fits `train` and judges the fit on the held-out items the binding can score (judgedItems):
 * the fitted set, `baseline` (null: the defaults) and the defaults, each on the same items, and
 * the verdict against the baseline. A held-out set too small to judge by is refused before the fit.
 */
async function fitAndJudge(train: FSRSBindingItem[], heldOut: FSRSBindingItem[], baseline: number[] | null, baselineName: string, progress: Progress): Promise<Judgement> {
  const judged = judgedItems(heldOut);
  if ('refused' in judged) return { refused: { trainItems: train.length, testItems: heldOut.length, kept: false, reason: judged.refused } };
  const test = judged.items;
  const parameters = await fit(train, { progress });
  const fitted = evaluate(parameters, test);
  const defaults = evaluate(null, test);
  const base = baseline ? evaluate(baseline, test) : defaults;
  return {
    figures: {
      trainItems: train.length,
      testItems: test.length,
      parameters: JSON.stringify(parameters),
      logLoss: fitted.logLoss,
      rmseBins: fitted.rmseBins,
      baselineLogLoss: base.logLoss,
      baselineRmseBins: base.rmseBins,
      defaultLogLoss: defaults.logLoss,
      defaultRmseBins: defaults.rmseBins,
    },
    fitted,
    defaults,
    verdict: verdict(fitted, base, baselineName),
    note: judged.note ?? '',
  };
}

/** The latest kept run of each of these classes, newest first. */
async function keptClassRuns(db: Db | Tx, classIds: number[]): Promise<Map<number, OptimizerRunRow>> {
  if (classIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(optimizerRuns)
    .where(and(inArray(optimizerRuns.classId, classIds), eq(optimizerRuns.kept, true), isNotNull(optimizerRuns.parameters)))
    .orderBy(desc(optimizerRuns.finishedAt), desc(optimizerRuns.id));
  const latest = new Map<number, OptimizerRunRow>();
  for (const r of rows) if (!latest.has(r.classId!)) latest.set(r.classId!, r);
  return latest;
}

/**
 * A class run: every member's history pooled (cards are per member already). It trains on the
 * older (1 − HELD_OUT_SHARE) of the reviews of the members not held out, and is judged on
 * everything it never saw: the newest reviews of all, and every review of the held-out members.
 * It is kept only when it beats both the class's set in use and the defaults there.
 */
async function fitClass(db: Db, run: OptimizerRunRow, progress: Progress): Promise<RunResult> {
  const members = await db
    .select({ id: users.id, timeZone: users.timeZone, rolloverHour: users.rolloverHour })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.classId, run.classId!))
    .orderBy(asc(users.id));
  const pooled: { member: number; at: number; item: Items['items'][number]['item'] }[] = [];
  let reviewsUsed = 0;
  let cards = 0;
  const active: number[] = [];
  for (const m of members) {
    const own = itemsOf(await historyOf(db, m.id, m.timeZone, m.rolloverHour));
    if (own.reviews === 0) continue;
    active.push(m.id);
    reviewsUsed += own.reviews;
    cards += own.cards;
    for (const i of own.items) pooled.push({ member: m.id, at: i.at, item: i.item });
  }
  pooled.sort((a, b) => a.at - b.at);
  const previous = (await keptClassRuns(db, [run.classId!])).get(run.classId!) ?? null;
  const baseline = previous ? parseParameters(previous.parameters!) : null;
  const recorded: RunResult = { reviewsUsed, membersUsed: active.length, baselineParameters: previous?.parameters ?? null, baselineRunId: previous?.id ?? null };
  const short = tooShort({ items: pooled.map(({ item, at }) => ({ item, at })), reviews: reviewsUsed, cards });
  if (short) return { ...recorded, kept: false, reason: short };

  const held = heldOutMembers(active);
  const cut = Math.round(pooled.length * (1 - HELD_OUT_SHARE));
  const train = pooled.filter((p, i) => i < cut && !held.has(p.member)).map((p) => p.item);
  const heldOut = pooled.filter((p, i) => i >= cut || held.has(p.member)).map((p) => p.item);
  if (train.length === 0) return { ...recorded, kept: false, reason: tooShort({ items: [], reviews: reviewsUsed, cards }) ?? 'too few reviews to train on' };
  const judged = await fitAndJudge(train, heldOut, baseline, previous ? `the class's set in use (run ${previous.id})` : 'the defaults', progress);
  if ('refused' in judged) return { ...recorded, ...judged.refused };
  let { kept, reason } = judged.verdict;
  // Beating the class's set in use is not enough: a kept class set must also beat the defaults.
  if (kept && baseline && !verdict(judged.fitted, judged.defaults, 'the defaults').kept) {
    kept = false;
    reason = `${PARAMETER_TEXT.classRunNotGood} (${OPTIMIZER_WORDS.figures(judged.fitted, judged.defaults, 'the defaults')})`;
  }
  return { ...recorded, ...judged.figures, kept, reason: reason + judged.note + PARAMETER_TEXT.heldOutMembers(held.size) };
}

/**
 * Records a run whose optimizer process died while fitting it (a crash inside the binding, a
 * kill): failed, with how it died, so it is not retried into the same crash. Only while it is
 * still `running`: a run another process finished or requeued is left alone.
 */
export async function failDiedRun({ db, runId, how, now }: { db: Db; runId: number; how: string; now: Date }): Promise<boolean> {
  const failed = await db
    .update(optimizerRuns)
    .set({ status: 'failed', kept: false, finishedAt: now, reason: PARAMETER_TEXT.died(how) })
    .where(and(eq(optimizerRuns.id, runId), eq(optimizerRuns.status, 'running')))
    .returning({ id: optimizerRuns.id });
  return failed.length > 0;
}

/**
 * Executes one queued run: claims it (queued → running by a conditional UPDATE, so two
 * processes on one database never both run it), fits, evaluates, records, then resolves the
 * sets of the students it concerns. Null when the run was not queued (another took it). A thrown
 * error records the run as failed with its message (and resolves the result to that row).
 */
export async function executeRun({
  db,
  runId,
  now,
  onProgress,
  onClaimed,
}: {
  db: Db;
  runId: number;
  now: Date;
  onProgress?: Progress;
  /** Called once the run is this caller's (the optimizer process tells the server which run it is fitting). */
  onClaimed?: (runId: number) => void;
}): Promise<OptimizerRunRow | null> {
  const [run] = await db
    .update(optimizerRuns)
    .set({ status: 'running', startedAt: now, progressDone: 0, progressTotal: 0 })
    .where(and(eq(optimizerRuns.id, runId), eq(optimizerRuns.status, 'queued')))
    .returning();
  if (!run) return null;
  onClaimed?.(runId);
  const started = performance.now();
  const elapsed = () => new Date(now.getTime() + Math.round(performance.now() - started));

  let lastWrite = -Infinity;
  let lastTotal = 0;
  let writes: Promise<unknown> = Promise.resolve();
  const progress: Progress = (done, total) => {
    onProgress?.(done, total);
    lastTotal = total;
    const t = performance.now();
    if (t - lastWrite < PROGRESS_EVERY_MS && done < total) return;
    lastWrite = t;
    writes = writes.then(() => db.update(optimizerRuns).set({ progressDone: done, progressTotal: total }).where(eq(optimizerRuns.id, runId))).catch(() => {});
  };

  let result: RunResult & { status: 'done' | 'failed' };
  try {
    result = { ...(run.classId !== null ? await fitClass(db, run, progress) : await fitUser(db, run, progress)), status: 'done' };
    // The binding's last report may come before its last step: a finished fit is all done.
    if (lastTotal > 0) Object.assign(result, { progressDone: lastTotal, progressTotal: lastTotal });
  } catch (err) {
    result = { status: 'failed', kept: false, reason: `failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  await writes;
  const finishedAt = elapsed();
  if (result.status === 'failed') {
    const [failed] = await db.update(optimizerRuns).set({ ...result, finishedAt }).where(eq(optimizerRuns.id, runId)).returning();
    return failed!;
  }
  // The figures first, the students' sets next, `done` last: whoever sees the run done (the
  // settings page's polling) sees the set it chose already in use.
  await db.update(optimizerRuns).set({ ...result, status: 'running', finishedAt }).where(eq(optimizerRuns.id, runId));
  const affected =
    run.classId !== null ? (await db.select({ id: memberships.userId }).from(memberships).where(eq(memberships.classId, run.classId))).map((m) => m.id) : [run.userId!];
  for (const userId of affected) await resolveParameters({ db, userId, now: finishedAt });
  const [finished] = await db.update(optimizerRuns).set({ status: 'done' }).where(eq(optimizerRuns.id, runId)).returning();
  return finished!;
}

// ---------------------------------------------------------------------------------------------
// Which set schedules a student

interface Resolved {
  parameters: string | null;
  runId: number | null;
  reason: string;
}

function dateText(at: Date | null, timeZone: string): string {
  return at ? new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(at) : 'an unknown day';
}

async function reviewCount(db: Db | Tx, userId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(reviews).where(eq(reviews.userId, userId));
  return Number(row?.n ?? 0);
}

/** A run the user may use: their own with a fitted set, or a kept run of a class they belong to (with the class's name). */
async function usableRun(db: Db | Tx, userId: number, runId: number): Promise<{ run: OptimizerRunRow; className: string | null } | { refused: string }> {
  const [run] = await db.select().from(optimizerRuns).where(eq(optimizerRuns.id, runId));
  if (run && run.userId === userId) return run.parameters ? { run, className: null } : { refused: PARAMETER_ERRORS.notFitted(runId) };
  if (run && run.classId !== null && run.kept && run.parameters) {
    const [member] = await db
      .select({ name: classes.name })
      .from(memberships)
      .innerJoin(classes, eq(classes.id, memberships.classId))
      .where(and(eq(memberships.classId, run.classId), eq(memberships.userId, userId)));
    if (member) return { run, className: member.name };
  }
  return { refused: PARAMETER_ERRORS.notYourRun(runId) };
}

/** The 'auto' rule: the latest kept own run; else a class's set for a student still short of MIN_REVIEWS, when it predicts them better; else the defaults. */
async function automaticSet(db: Db | Tx, user: User): Promise<Resolved> {
  const [own] = await db
    .select()
    .from(optimizerRuns)
    .where(and(eq(optimizerRuns.userId, user.id), eq(optimizerRuns.kept, true), isNotNull(optimizerRuns.parameters)))
    .orderBy(desc(optimizerRuns.finishedAt), desc(optimizerRuns.id))
    .limit(1);
  if (own) return { parameters: own.parameters, runId: own.id, reason: PARAMETER_TEXT.own(dateText(own.finishedAt, user.timeZone), own.reviewsUsed ?? 0, own) };
  const reviewsSoFar = await reviewCount(db, user.id);
  if (reviewsSoFar >= MIN_REVIEWS) return { parameters: null, runId: null, reason: PARAMETER_TEXT.defaultsNoKeptRun(reviewsSoFar) };

  const joined = await db.select({ id: classes.id, name: classes.name }).from(memberships).innerJoin(classes, eq(classes.id, memberships.classId)).where(eq(memberships.userId, user.id)).orderBy(asc(classes.id));
  const classRuns = await keptClassRuns(db, joined.map((c) => c.id));
  if (classRuns.size === 0) return { parameters: null, runId: null, reason: PARAMETER_TEXT.defaultsTooFew(reviewsSoFar, null) };
  // Too few of their own to judge by (judgedItems' floor, or nothing the binding can evaluate): the class's evidence decides.
  const ownItems = judgedItems(itemsOf(await historyOf(db, user.id, user.timeZone, user.rolloverHour)).items.map((i) => i.item));
  const mine = 'refused' in ownItems ? [] : ownItems.items;
  const defaultLoss = mine.length > 0 ? evaluate(null, mine).logLoss : 0;
  // Judged on the member's own reviews by log loss alone: under MIN_REVIEWS, RMSE over bins has a handful of reviews a bin.
  let best: { run: OptimizerRunRow; name: string; classLoss: number } | null = null;
  let worse: string | null = null;
  for (const cls of joined) {
    const run = classRuns.get(cls.id);
    if (!run) continue;
    if (mine.length === 0) {
      // Nothing of their own to judge by: the class's newest good set.
      if (!best || (run.finishedAt?.getTime() ?? 0) > (best.run.finishedAt?.getTime() ?? 0)) best = { run, name: cls.name, classLoss: run.logLoss! };
      continue;
    }
    const classLoss = evaluate(parseParameters(run.parameters!), mine).logLoss;
    if (classLoss < defaultLoss) {
      if (!best || classLoss < best.classLoss) best = { run, name: cls.name, classLoss };
    } else worse ??= PARAMETER_TEXT.classWorseForYou(cls.name, classLoss, defaultLoss, mine.length);
  }
  if (!best) return { parameters: null, runId: null, reason: PARAMETER_TEXT.defaultsTooFew(reviewsSoFar, worse) };
  const judged = mine.length > 0 ? { items: mine.length, classLoss: best.classLoss, defaultLoss } : null;
  return { parameters: best.run.parameters, runId: best.run.id, reason: PARAMETER_TEXT.classSet(best.name, reviewsSoFar, judged, best.run) };
}

/** Applies the user's choice inside `tx`, whose user row is locked: writes the set, its run and the reason. */
async function resolveIn(tx: Tx, user: User): Promise<Resolved & { choice: ParameterChoice }> {
  let resolved: Resolved;
  let choice = user.parameterChoice;
  if (choice === 'default') resolved = { parameters: null, runId: null, reason: PARAMETER_TEXT.defaultsChosen };
  else if (choice === 'run' && user.parameterRunId !== null) {
    const usable = await usableRun(tx, user.id, user.parameterRunId);
    if ('run' in usable) {
      const when = dateText(usable.run.finishedAt, user.timeZone);
      resolved = { parameters: usable.run.parameters, runId: usable.run.id, reason: usable.className === null ? PARAMETER_TEXT.chosenOwn(when, usable.run) : PARAMETER_TEXT.chosenClass(usable.className, when, usable.run) };
    } else {
      // The chosen run went (a class left, or deleted): back to the automatic rule, saying so.
      choice = 'auto';
      const auto = await automaticSet(tx, user);
      resolved = { ...auto, reason: PARAMETER_TEXT.chosenGone(user.parameterRunId) + auto.reason };
    }
  } else {
    choice = 'auto';
    resolved = await automaticSet(tx, user);
  }
  await tx.update(users).set({ parameterChoice: choice, fsrsParameters: resolved.parameters, parameterRunId: resolved.runId, parameterReason: resolved.reason }).where(eq(users.id, user.id));
  return { ...resolved, choice };
}

/**
 * Resolves which set schedules the user (users.parameterChoice; decision 0020) and writes it
 * with its run and reason, under the user's row lock. `now` is the moment it is resolved at.
 */
export async function resolveParameters({ db = getDb(), userId }: { db?: Db; userId: number; now: Date }): Promise<{ parameters: number[] | null; runId: number | null; reason: string }> {
  const resolved = await db.transaction(async (tx) => {
    const [user] = await lockedRows(tx, users, eq(users.id, userId));
    if (!user) throw new Error(PARAMETER_ERRORS.noUser(userId));
    return resolveIn(tx, user);
  });
  return { parameters: resolved.parameters ? parseParameters(resolved.parameters) : null, runId: resolved.runId, reason: resolved.reason };
}

/**
 * Stores the user's choice and resolves: 'auto' (the rule), 'default' (ts-fsrs's defaults), or
 * 'run' with a runId that is the user's own run with a fitted set, or a kept run of a class
 * they belong to. Anything else throws ParameterChoiceRefused, and nothing is saved.
 */
export async function chooseParameters({ db = getDb(), userId, choice, runId }: { db?: Db; userId: number; choice: string; runId?: number | null; now: Date }): Promise<{ parameters: number[] | null; runId: number | null; reason: string }> {
  if (!(parameterChoices as readonly string[]).includes(choice)) throw new ParameterChoiceRefused(PARAMETER_ERRORS.badChoice(choice));
  if (choice === 'run' && (runId === undefined || runId === null)) throw new ParameterChoiceRefused(PARAMETER_ERRORS.runMissing);
  if (choice !== 'run' && runId !== undefined && runId !== null) throw new ParameterChoiceRefused(PARAMETER_ERRORS.runWithoutChoice(choice));
  const resolved = await db.transaction(async (tx) => {
    const [user] = await lockedRows(tx, users, eq(users.id, userId));
    if (!user) throw new Error(PARAMETER_ERRORS.noUser(userId));
    if (choice === 'run') {
      const usable = await usableRun(tx, userId, runId!);
      if ('refused' in usable) throw new ParameterChoiceRefused(usable.refused);
    }
    return resolveIn(tx, { ...user, parameterChoice: choice as ParameterChoice, parameterRunId: choice === 'run' ? runId! : user.parameterRunId });
  });
  return { parameters: resolved.parameters ? parseParameters(resolved.parameters) : null, runId: resolved.runId, reason: resolved.reason };
}

export interface ParameterStatus {
  choice: ParameterChoice;
  runId: number | null;
  source: 'default' | 'own' | 'class';
  className: string | null;
  parameters: number[] | null;
  reason: string;
  /** The user's reviews so far, and the MIN_REVIEWS a fit of their own needs. */
  reviews: number;
  minReviews: number;
  /** The user's own run queued or running, if any (its progressDone/progressTotal show the fit's progress). */
  running: OptimizerRunRow | null;
}

/** What the settings page says about the set that schedules the user. */
export async function parameterStatus({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<ParameterStatus> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw notFound(PARAMETER_ERRORS.noUser(userId));
  let source: ParameterStatus['source'] = 'default';
  let className: string | null = null;
  if (user.parameterRunId !== null) {
    const [run] = await db.select({ classId: optimizerRuns.classId, className: classes.name }).from(optimizerRuns).leftJoin(classes, eq(classes.id, optimizerRuns.classId)).where(eq(optimizerRuns.id, user.parameterRunId));
    if (run) {
      source = run.classId === null ? 'own' : 'class';
      className = run.className;
    }
  }
  const [running] = await db
    .select()
    .from(optimizerRuns)
    .where(and(eq(optimizerRuns.userId, userId), inArray(optimizerRuns.status, ['queued', 'running'])))
    .orderBy(desc(optimizerRuns.id))
    .limit(1);
  const reviewsSoFar = await reviewCount(db, userId);
  return {
    choice: user.parameterChoice,
    runId: user.parameterRunId,
    source,
    className,
    parameters: user.fsrsParameters ? parseParameters(user.fsrsParameters) : null,
    // Never resolved yet (no run, no class joined since issue 15): what the rule would say.
    reason: user.parameterReason ?? (reviewsSoFar < MIN_REVIEWS ? PARAMETER_TEXT.defaultsTooFew(reviewsSoFar, null) : PARAMETER_TEXT.defaultsNoKeptRun(reviewsSoFar)),
    reviews: reviewsSoFar,
    minReviews: MIN_REVIEWS,
    running: running ?? null,
  };
}

/** The user's own runs, newest first. */
export async function runsOf({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<OptimizerRunRow[]> {
  return db.select().from(optimizerRuns).where(eq(optimizerRuns.userId, userId)).orderBy(desc(optimizerRuns.requestedAt), desc(optimizerRuns.id));
}

/** A class's runs, newest first, for the instructor who teaches it (another's class: 404). */
export async function classRunsOf({ db = getDb(), classId, instructorId }: { db?: Db; classId: number; instructorId: number }): Promise<OptimizerRunRow[]> {
  await taughtClass(db, classId, instructorId);
  return db.select().from(optimizerRuns).where(eq(optimizerRuns.classId, classId)).orderBy(desc(optimizerRuns.requestedAt), desc(optimizerRuns.id));
}

// ---------------------------------------------------------------------------------------------
// The automatic rule

/** Whether an owner with `total` reviews, `since` of them after its last run (requested at `lastAt`), is due an automatic run at `now`. */
export function autoRunDue({ total, since, lastAt }: { total: number; since: number; lastAt: Date | null }, now: Date): boolean {
  if (total < MIN_REVIEWS) return false;
  if (lastAt === null) return true;
  return since >= AUTO_RUN_AFTER_REVIEWS || (since > 0 && now.getTime() - lastAt.getTime() >= AUTO_RUN_AFTER_DAYS * DAY_MS);
}

/**
 * The owners whose automatic run is due at `now` (decision 0020): at least MIN_REVIEWS reviews
 * (a class: pooled over its members), and either no run yet, or AUTO_RUN_AFTER_DAYS since the
 * last one with new reviews since, or AUTO_RUN_AFTER_REVIEWS new reviews since it. An owner with
 * a run queued or running is not due. One query for the students, one for the classes.
 */
/** Per owner (a student's or a class's runs, by `owner`): when its last run was requested, and how many are queued or running. */
function runsPerOwner(db: Db, owner: typeof optimizerRuns.userId | typeof optimizerRuns.classId, alias: string) {
  return db
    .select({
      owner: sql<number>`${owner}`.as(`${alias}_owner`),
      lastAt: max(optimizerRuns.requestedAt).as(`${alias}_last_at`),
      open: sql<number>`sum(case when ${optimizerRuns.status} in ('queued', 'running') then 1 else 0 end)`.as(`${alias}_open`),
    })
    .from(optimizerRuns)
    .where(isNotNull(owner))
    .groupBy(owner)
    .as(alias);
}

/** The figures autoRunDue reads, over the reviews joined to the owner's runs. */
function dueFigures(runs: ReturnType<typeof runsPerOwner>) {
  return {
    total: count(),
    since: sql<number>`sum(case when ${runs.lastAt} is not null and ${reviews.reviewedAt} > ${runs.lastAt} then 1 else 0 end)`.mapWith(Number),
    lastAt: sql<unknown>`max(${runs.lastAt})`,
    open: sql<unknown>`max(${runs.open})`,
  };
}

export async function dueAutoRuns({ db = getDb(), now }: { db?: Db; now: Date }): Promise<RunOwner[]> {
  const userRuns = runsPerOwner(db, optimizerRuns.userId, 'user_runs');
  const students = await db
    .select({ userId: reviews.userId, ...dueFigures(userRuns) })
    .from(reviews)
    .leftJoin(userRuns, eq(userRuns.owner, reviews.userId))
    .groupBy(reviews.userId)
    .having(sql`count(*) >= ${MIN_REVIEWS}`);

  const classRuns = runsPerOwner(db, optimizerRuns.classId, 'class_runs');
  const pooled = await db
    .select({ classId: memberships.classId, instructorId: classes.instructorId, ...dueFigures(classRuns) })
    .from(memberships)
    .innerJoin(classes, eq(classes.id, memberships.classId))
    .innerJoin(reviews, eq(reviews.userId, memberships.userId))
    .leftJoin(classRuns, eq(classRuns.owner, memberships.classId))
    .groupBy(memberships.classId, classes.instructorId)
    .having(sql`count(*) >= ${MIN_REVIEWS}`);

  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v instanceof Date ? v.getTime() : v)));
  const isDue = (r: { total: number; since: number; lastAt: unknown; open: unknown }) => !Number(r.open) && autoRunDue({ total: Number(r.total), since: Number(r.since), lastAt: at(r.lastAt) }, now);
  return [...students.filter(isDue).map((r) => ({ userId: r.userId })), ...pooled.filter(isDue).map((r) => ({ classId: r.classId, instructorId: r.instructorId }))];
}
