/**
 * Optimizer runs and whose parameter set schedules a student (app/models/parameters.server.ts),
 * on histories simulated with ts-fsrs from known parameters and stored as the app stores them.
 * Every figure a run records is checked against the optimizer core called directly on the same
 * reviews (the fit is deterministic).
 */
import { describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { createEmptyCard, fsrs, Rating } from 'ts-fsrs';
import { cards, classes, memberships, optimizerRuns, reviews, users, type OptimizerRunRow } from '../../db/schema';
import { openDatabase, type Db } from '../../db/client';
import { joinClass, leaveClass } from '../../app/models/class.server';
import { submitReview } from '../../app/models/review.server';
import {
  AUTO_RUN_AFTER_REVIEWS,
  chooseParameters,
  classRunsOf,
  dueAutoRuns,
  executeRun,
  heldOutMembers,
  PARAMETER_ERRORS,
  PARAMETER_TEXT,
  ParameterChoiceRefused,
  parameterStatus,
  requestRun,
  resolveParameters,
  runsOf,
} from '../../app/models/parameters.server';
import { evaluate, fit, HELD_OUT_SHARE, itemsOf, MIN_REVIEWS } from '../../app/scheduling/optimizer';
import { simulateHistory, toHistory, TRUE_PARAMETERS, type SimulatedReview } from '../support/fsrs-history';
import { storeHistory } from '../support/stored-history';
import { addContentBank, addUser, eachTestDb, factItem, testEngine } from './fixture';

const each = eachTestDb();
const t = { get db() { return each.t.db; }, get target() { return each.t.target; } };
const NOW = new Date('2025-09-01T12:00:00Z');
const DAY = 86_400_000;

async function simBank(db: Db, n = 200): Promise<string[]> {
  return addContentBank(db, 'sim', Array.from({ length: n }, (_, i) => factItem(`c${i}`, 'sim')));
}

/** A student under `parameters` who misses a tenth of the days (overdue reviews show the forgetting curve). */
function simulated(seed: number, cards: number, days: number, parameters: readonly number[] | null = TRUE_PARAMETERS): SimulatedReview[] {
  return simulateHistory({ parameters, cards, days, seed, skipDayChance: 0.1 }).reviews;
}

async function userRow(db: Db, userId: number) {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  return u!;
}

async function runRow(db: Db, runId: number): Promise<OptimizerRunRow> {
  const [r] = await db.select().from(optimizerRuns).where(eq(optimizerRuns.id, runId));
  return r!;
}

/** The held-out evaluation of a user run, computed from the simulation alone: split, fit, evaluate. */
async function independentUserRun(history: SimulatedReview[], baseline: readonly number[] | null) {
  const { items } = itemsOf(toHistory(history, 'UTC', 4));
  const cut = Math.round(items.length * (1 - HELD_OUT_SHARE));
  const train = items.slice(0, cut).map((i) => i.item);
  const test = items.slice(cut).map((i) => i.item);
  const parameters = await fit(train);
  return { parameters, train: train.length, test: test.length, fitted: evaluate(parameters, test), baseline: evaluate(baseline, test), defaults: evaluate(null, test) };
}

/** A finished run of `userId` with this set, kept, written directly (a past run the tests build on). */
async function pastRun(db: Db, owner: { userId: number } | { classId: number }, parameters: readonly number[], fields: Partial<OptimizerRunRow> = {}): Promise<number> {
  const [row] = await db
    .insert(optimizerRuns)
    .values({ ...owner, trigger: 'manual', status: 'done', requestedAt: new Date(NOW.getTime() - DAY), finishedAt: new Date(NOW.getTime() - DAY), parameters: JSON.stringify(parameters), kept: true, reviewsUsed: 300, testItems: 40, logLoss: 0.3, rmseBins: 0.05, baselineLogLoss: 0.35, baselineRmseBins: 0.06, defaultLogLoss: 0.35, defaultRmseBins: 0.06, reason: 'kept', ...fields })
    .returning({ id: optimizerRuns.id });
  return row!.id;
}

describe('a student’s own run', () => {
  test('fits on the older reviews, judges on the newest, and a set better than the defaults schedules the student', async () => {
    const items = await simBank(t.db, 400);
    const userId = await addUser(t.db);
    const history = simulated(1, 400, 150);
    await storeHistory(t.db, userId, history, items);

    const { runId } = await requestRun({ db: t.db, userId }, { trigger: 'manual', now: NOW });
    expect((await requestRun({ db: t.db, userId }, { trigger: 'manual', now: NOW })).runId).toBe(runId); // a second click queues nothing
    expect((await parameterStatus({ db: t.db, userId })).running?.id).toBe(runId);
    const progress: [number, number][] = [];
    const run = (await executeRun({ db: t.db, runId, now: NOW, onProgress: (d, n) => progress.push([d, n]) }))!;

    const expected = await independentUserRun(history, null);
    expect(run).toMatchObject({ status: 'done', userId, reviewsUsed: history.length, trainItems: expected.train, testItems: expected.test, baselineParameters: null, baselineRunId: null, kept: true });
    expect(JSON.parse(run.parameters!)).toEqual(expected.parameters);
    expect(run.logLoss).toBeCloseTo(expected.fitted.logLoss, 10);
    expect(run.rmseBins).toBeCloseTo(expected.fitted.rmseBins, 6); // the binding's f32 sums vary in the last place
    expect(run.baselineLogLoss).toBeCloseTo(expected.defaults.logLoss, 10);
    expect(run.defaultLogLoss).toBeCloseTo(expected.defaults.logLoss, 10);
    expect(run.logLoss!).toBeLessThan(run.defaultLogLoss!);
    expect(run.reason).toMatch(/^kept: /);
    expect(run.startedAt).toEqual(NOW);
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(NOW.getTime());

    const user = await userRow(t.db, userId);
    expect(user.fsrsParameters).toBe(run.parameters);
    expect(user.parameterRunId).toBe(runId);
    expect(user.parameterReason).toBe(PARAMETER_TEXT.own('1 Sept 2025', history.length, run));
    const status = await parameterStatus({ db: t.db, userId });
    expect(status).toMatchObject({ choice: 'auto', runId, source: 'own', className: null, parameters: expected.parameters, reviews: history.length, minReviews: MIN_REVIEWS, running: null });
    expect(await runsOf({ db: t.db, userId })).toEqual([run]);
  });

  test('a fit worse than the set in use is recorded, not kept, and the set in use stays', async () => {
    const items = await simBank(t.db);
    const userId = await addUser(t.db);
    const history = simulated(2, 200, 120);
    await storeHistory(t.db, userId, history, items);
    // The set in use was fitted on every review, the held-out ones included: on those it beats a fit that never saw them.
    const all = await fit(itemsOf(toHistory(history, 'UTC', 4)).items.map((i) => i.item));
    const inUse = await pastRun(t.db, { userId }, all);
    await resolveParameters({ db: t.db, userId, now: NOW });
    const before = await userRow(t.db, userId);
    expect(before.parameterRunId).toBe(inUse);

    const { runId } = await requestRun({ db: t.db, userId }, { trigger: 'auto', now: NOW });
    const run = (await executeRun({ db: t.db, runId, now: NOW }))!;
    const expected = await independentUserRun(history, all);
    expect(run.baselineRunId).toBe(inUse);
    expect(JSON.parse(run.baselineParameters!)).toEqual(all);
    expect(run.baselineLogLoss).toBeCloseTo(expected.baseline.logLoss, 10);
    expect(run.logLoss).toBeCloseTo(expected.fitted.logLoss, 10);
    expect(run.logLoss!).toBeGreaterThan(run.baselineLogLoss!);
    expect(run).toMatchObject({ status: 'done', kept: false, trigger: 'auto' });
    expect(run.reason).toMatch(/^not kept: .*for the set in use \(run \d+\)/);
    expect(await userRow(t.db, userId)).toEqual(before);
  });

  test('a history too short is refused with the reason, and recorded', async () => {
    const items = await simBank(t.db);
    const userId = await addUser(t.db);
    const history = simulated(3, 40, 60).slice(0, MIN_REVIEWS - 1);
    expect(history).toHaveLength(MIN_REVIEWS - 1);
    await storeHistory(t.db, userId, history, items);
    const { runId } = await requestRun({ db: t.db, userId }, { trigger: 'manual', now: NOW });
    const run = (await executeRun({ db: t.db, runId, now: NOW }))!;
    expect(run).toMatchObject({ status: 'done', kept: false, reviewsUsed: MIN_REVIEWS - 1, parameters: null, logLoss: null, reason: `too few reviews: ${MIN_REVIEWS - 1} of the ${MIN_REVIEWS} a fit needs` });
    const user = await userRow(t.db, userId);
    expect(user.fsrsParameters).toBeNull();
    expect(user.parameterReason).toBe(PARAMETER_TEXT.defaultsTooFew(MIN_REVIEWS - 1, null));
  });

  test('a run is executed once: a second executeRun of it, or one on another connection at the same time, does nothing', async () => {
    const items = await simBank(t.db);
    const userId = await addUser(t.db);
    await storeHistory(t.db, userId, simulated(4, 100, 90), items);
    const { runId } = await requestRun({ db: t.db, userId }, { trigger: 'manual', now: NOW });
    const other = await openTempDbOn(t.target);
    try {
      const results = await Promise.all([executeRun({ db: t.db, runId, now: NOW }), executeRun({ db: other.db, runId, now: NOW })]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await executeRun({ db: t.db, runId, now: NOW })).toBeNull();
      expect((await runRow(t.db, runId)).status).toBe('done');
      expect(await runsOf({ db: t.db, userId })).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  test('two requests at once queue one run (PostgreSQL: on two connections, as two processes)', async () => {
    const userId = await addUser(t.db);
    const other = await openTempDbOn(t.target);
    // Two SQLite connections in one thread would wait on each other's lock synchronously; one process has one connection.
    const second = testEngine() === 'postgres' ? other.db : t.db;
    try {
      const [a, b] = await Promise.all([requestRun({ db: t.db, userId }, { trigger: 'manual', now: NOW }), requestRun({ db: second, userId }, { trigger: 'auto', now: NOW })]);
      expect(a.runId).toBe(b.runId);
      expect(await runsOf({ db: t.db, userId })).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  test('a failure is recorded as failed, with its message', async () => {
    const items = await simBank(t.db);
    const userId = await addUser(t.db);
    await storeHistory(t.db, userId, simulated(5, 100, 90), items);
    // A damaged set in use: its evaluation throws, after the fit.
    await t.db.update(users).set({ fsrsParameters: JSON.stringify([1, 2, 3]) }).where(eq(users.id, userId));
    const { runId } = await requestRun({ db: t.db, userId }, { trigger: 'manual', now: NOW });
    const run = (await executeRun({ db: t.db, runId, now: NOW }))!;
    expect(run.status).toBe('failed');
    expect(run.kept).toBe(false);
    expect(run.reason).toMatch(/^failed: stored FSRS parameters: expected 21 finite numbers/);
  });
});

/** A second connection to the test's database (another process, in effect). */
function openTempDbOn(target: string) {
  return openDatabase(target, { poolSize: 2 });
}

describe('choosing a set', () => {
  test('an earlier run, the defaults, then automatic again; a refusal changes nothing', async () => {
    const userId = await addUser(t.db);
    const other = await addUser(t.db);
    const first = TRUE_PARAMETERS.map((w, i) => (i === 0 ? 1.5 : w));
    const earlier = await pastRun(t.db, { userId }, first, { requestedAt: new Date(NOW.getTime() - 9 * DAY), finishedAt: new Date(NOW.getTime() - 9 * DAY) });
    const latest = await pastRun(t.db, { userId }, TRUE_PARAMETERS);
    const refused = await pastRun(t.db, { userId }, TRUE_PARAMETERS, { parameters: null, kept: false });
    const notKept = await pastRun(t.db, { userId }, first.map((w) => w * 1.01), { kept: false });
    const theirs = await pastRun(t.db, { userId: other }, TRUE_PARAMETERS);

    await resolveParameters({ db: t.db, userId, now: NOW });
    expect((await userRow(t.db, userId)).parameterRunId).toBe(latest);

    expect(await chooseParameters({ db: t.db, userId, choice: 'run', runId: earlier, now: NOW })).toMatchObject({ runId: earlier, parameters: first });
    let user = await userRow(t.db, userId);
    expect(user).toMatchObject({ parameterChoice: 'run', parameterRunId: earlier, fsrsParameters: JSON.stringify(first) });
    expect(user.parameterReason).toBe(`The set you chose: your own, fitted on 23 Aug 2025 from 300 reviews (run ${earlier}).`);
    // A fitted set that was not kept can be chosen too: any earlier set.
    expect((await chooseParameters({ db: t.db, userId, choice: 'run', runId: notKept, now: NOW })).runId).toBe(notKept);
    await chooseParameters({ db: t.db, userId, choice: 'run', runId: earlier, now: NOW });

    const snapshot = await userRow(t.db, userId);
    const refusals: [Parameters<typeof chooseParameters>[0], string][] = [
      [{ db: t.db, userId, choice: 'run', runId: theirs, now: NOW }, PARAMETER_ERRORS.notYourRun(theirs)],
      [{ db: t.db, userId, choice: 'run', runId: 99_999, now: NOW }, PARAMETER_ERRORS.notYourRun(99_999)],
      [{ db: t.db, userId, choice: 'run', runId: refused, now: NOW }, PARAMETER_ERRORS.notFitted(refused)],
      [{ db: t.db, userId, choice: 'run', now: NOW }, PARAMETER_ERRORS.runMissing],
      [{ db: t.db, userId, choice: 'default', runId: earlier, now: NOW }, PARAMETER_ERRORS.runWithoutChoice('default')],
      [{ db: t.db, userId, choice: 'mine', now: NOW }, PARAMETER_ERRORS.badChoice('mine')],
    ];
    for (const [input, message] of refusals) {
      const err = await chooseParameters(input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ParameterChoiceRefused);
      expect((err as Error).message).toBe(message);
      expect(await userRow(t.db, userId)).toEqual(snapshot);
    }

    expect(await chooseParameters({ db: t.db, userId, choice: 'default', now: NOW })).toEqual({ parameters: null, runId: null, reason: PARAMETER_TEXT.defaultsChosen });
    user = await userRow(t.db, userId);
    expect(user).toMatchObject({ parameterChoice: 'default', parameterRunId: null, fsrsParameters: null });
    expect((await parameterStatus({ db: t.db, userId })).source).toBe('default');

    await chooseParameters({ db: t.db, userId, choice: 'auto', now: NOW });
    expect(await userRow(t.db, userId)).toMatchObject({ parameterChoice: 'auto', parameterRunId: latest, fsrsParameters: JSON.stringify(TRUE_PARAMETERS) });
  });
});

describe('class runs and the cold start', () => {
  /** A class of `n` members, each with a history under the true set; returns the class and member ids. */
  async function activeClass(n: number, instructor: number) {
    const items = await simBank(t.db);
    const [cls] = await t.db.insert(classes).values({ name: 'CS231n', instructorId: instructor, joinCode: 'ABCDEFGH', createdAt: NOW }).returning();
    const members: number[] = [];
    for (let i = 0; i < n; i++) {
      const userId = await addUser(t.db);
      await storeHistory(t.db, userId, simulated(100 + i, 40, 80), items);
      await t.db.insert(memberships).values({ classId: cls!.id, userId, joinedAt: NOW });
      members.push(userId);
    }
    return { cls: cls!, members, items };
  }

  test('a new member is scheduled with a good class set; a member with enough history of their own is not', async () => {
    const instructor = await addUser(t.db, { role: 'instructor' });
    const { cls, members, items } = await activeClass(5, instructor);
    const pooled = (await t.db.select({ id: reviews.id }).from(reviews)).length;
    // Another instructor's class: not found.
    const stranger = await addUser(t.db, { role: 'instructor' });
    await expect(requestRun({ db: t.db, classId: cls.id, instructorId: stranger }, { trigger: 'manual', now: NOW })).rejects.toMatchObject({ status: 404 });
    await expect(classRunsOf({ db: t.db, classId: cls.id, instructorId: stranger })).rejects.toMatchObject({ status: 404 });

    const { runId } = await requestRun({ db: t.db, classId: cls.id, instructorId: instructor }, { trigger: 'manual', now: NOW });
    const run = (await executeRun({ db: t.db, runId, now: NOW }))!;
    expect(run).toMatchObject({ status: 'done', classId: cls.id, userId: null, membersUsed: 5, reviewsUsed: pooled, kept: true, baselineRunId: null });
    expect(run.logLoss!).toBeLessThan(run.defaultLogLoss!);
    expect(run.reason).toContain('every review of 1 member the fit never saw');
    expect(await classRunsOf({ db: t.db, classId: cls.id, instructorId: instructor })).toEqual([run]);
    const classSet = JSON.parse(run.parameters!) as number[];

    // Members short of MIN_REVIEWS use it unless their own reviews say it predicts them no better than the defaults.
    for (const m of members) {
      const u = await userRow(t.db, m);
      const own = await memberHistory(t.db, m);
      const mine = itemsOf(toHistory(own, 'UTC', 4)).items.map((i) => i.item);
      let better = true;
      try {
        better = evaluate(classSet, mine).logLoss < evaluate(null, mine).logLoss;
      } catch {
        // The binding evaluates no history of first reviews on a later day only (NotEnoughData): nothing to judge by.
      }
      expect(u.fsrsParameters).toBe(own.length < MIN_REVIEWS && better ? run.parameters : null);
    }

    // A new member, no reviews yet: joins and is scheduled with the class's set.
    const newcomer = await addUser(t.db);
    await joinClass({ db: t.db, userId: newcomer, joinCode: 'abcdefgh', now: NOW });
    const joined = await userRow(t.db, newcomer);
    expect(joined).toMatchObject({ fsrsParameters: run.parameters, parameterRunId: runId });
    expect(joined.parameterReason).toBe(PARAMETER_TEXT.classSet('CS231n', 0, null, run));
    expect(await parameterStatus({ db: t.db, userId: newcomer })).toMatchObject({ source: 'class', className: 'CS231n', parameters: classSet, reviews: 0 });

    // Their next review is scheduled by ts-fsrs with the class's w (no fuzz under NODE_ENV=test).
    const at = new Date(NOW.getTime() + 60_000);
    const { review } = await submitReview({ db: t.db, userId: newcomer, itemId: items[0]!, clientReviewId: 'r1', seed: null, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: Rating.Good, suggestedRating: Rating.Good, durationMs: 1000, hinted: false, now: at } as Parameters<typeof submitReview>[0]);
    const expected = fsrs({ w: classSet, request_retention: 0.9, maximum_interval: 36500, enable_fuzz: false, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] }).next(createEmptyCard(at), at, Rating.Good).card;
    const after = JSON.parse(review.stateAfter);
    expect(after.stability).toBe(expected.stability);
    expect(after.difficulty).toBe(expected.difficulty);
    expect(after.due).toBe(expected.due.getTime());
    const withDefaults = fsrs({ request_retention: 0.9, enable_fuzz: false, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] }).next(createEmptyCard(at), at, Rating.Good).card;
    expect(after.stability).not.toBe(withDefaults.stability);

    // Leaving the class takes its set away.
    await leaveClass({ db: t.db, userId: newcomer, classId: cls.id, now: NOW });
    expect(await userRow(t.db, newcomer)).toMatchObject({ fsrsParameters: null, parameterRunId: null });

    // A student with MIN_REVIEWS reviews of their own joins: not the class's set.
    const veteran = await addUser(t.db);
    const own = simulated(7, 100, 90);
    expect(own.length).toBeGreaterThanOrEqual(MIN_REVIEWS);
    await storeHistory(t.db, veteran, own, items);
    await joinClass({ db: t.db, userId: veteran, joinCode: 'ABCDEFGH', now: NOW });
    const v = await userRow(t.db, veteran);
    expect(v).toMatchObject({ fsrsParameters: null, parameterRunId: null });
    expect(v.parameterReason).toBe(PARAMETER_TEXT.defaultsNoKeptRun(own.length));
  });

  test('a member whose own reviews the class set predicts worse keeps the defaults', async () => {
    const instructor = await addUser(t.db, { role: 'instructor' });
    const { cls, items } = await activeClass(5, instructor);
    const { runId } = await requestRun({ db: t.db, classId: cls.id, instructorId: instructor }, { trigger: 'manual', now: NOW });
    const run = (await executeRun({ db: t.db, runId, now: NOW }))!;
    expect(run.kept).toBe(true);
    const classSet = JSON.parse(run.parameters!) as number[];
    // A student whose memory follows the defaults, with fewer than MIN_REVIEWS reviews.
    const student = await addUser(t.db);
    const history = simulated(36, 30, 60, null).slice(0, MIN_REVIEWS - 1); // a seed whose history the binding can evaluate
    await storeHistory(t.db, student, history, items);
    const mine = itemsOf(toHistory(history, 'UTC', 4)).items.map((i) => i.item);
    const classLoss = evaluate(classSet, mine).logLoss;
    const defaultLoss = evaluate(null, mine).logLoss;
    expect(classLoss).toBeGreaterThan(defaultLoss);
    await joinClass({ db: t.db, userId: student, joinCode: 'ABCDEFGH', now: NOW });
    const u = await userRow(t.db, student);
    expect(u.fsrsParameters).toBeNull();
    expect(u.parameterReason).toBe(PARAMETER_TEXT.defaultsTooFew(history.length, PARAMETER_TEXT.classWorseForYou('CS231n', classLoss, defaultLoss, mine.length)));
  });

  test('held-out members: about a fifth, at least one of two, the same every time', () => {
    expect(heldOutMembers([7])).toEqual(new Set());
    expect(heldOutMembers([1, 2]).size).toBe(1);
    expect(heldOutMembers([1, 2, 3, 4, 5]).size).toBe(1);
    const many = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(heldOutMembers(many).size).toBe(40);
    expect(heldOutMembers([...many].reverse())).toEqual(heldOutMembers(many));
    // Not simply the lowest or highest ids.
    const held = [...heldOutMembers(many)];
    expect(held.some((id) => id <= 100) && held.some((id) => id > 100)).toBe(true);
  });
});

async function memberHistory(db: Db, userId: number): Promise<SimulatedReview[]> {
  const rows = await db.select().from(reviews).where(eq(reviews.userId, userId));
  return rows.map((r) => ({ cardId: r.cardId, reviewedAt: r.reviewedAt, rating: r.rating as 1 | 2 | 3 | 4, stateBefore: JSON.parse(r.stateBefore), stateAfter: JSON.parse(r.stateAfter), predictedRecall: r.predictedRecall, durationMs: r.durationMs }));
}

describe('the automatic rule', () => {
  /** Bare reviews of a new card of `userId` on `itemId`, at the instants given. */
  async function bareReviews(db: Db, userId: number, itemId: string, times: Date[]) {
    const [row] = await db.insert(cards).values({ userId, itemId, due: NOW, stability: 1, difficulty: 5, elapsedDays: 0, scheduledDays: 0, learningSteps: 0, reps: 1, lapses: 0, state: 2, lastReview: NOW }).returning({ id: cards.id });
    const card = row!.id;
    const state = JSON.stringify({ due: 0, stability: 1, difficulty: 5, elapsedDays: 0, scheduledDays: 0, learningSteps: 0, reps: 1, lapses: 0, state: 2, lastReview: 0, leech: false });
    for (let i = 0; i < times.length; i += 500) {
      await db.insert(reviews).values(
        times.slice(i, i + 500).map((at, k) => ({ userId, clientReviewId: `b-${itemId}-${i + k}-${at.getTime()}`, itemId, cardId: card, rawAnswer: '', correct: true, rating: 3, suggestedRating: 3, durationMs: 1, stateBefore: state, stateAfter: state, reviewedAt: at })),
      );
    }
  }
  const times = (n: number, from: Date) => Array.from({ length: n }, (_, i) => new Date(from.getTime() + i * 1000));
  const owners = async (now: Date) => (await dueAutoRuns({ db: t.db, now })).map((o) => ('userId' in o ? `user ${o.userId}` : `class ${o.classId}`)).sort();

  test('at its boundaries: MIN_REVIEWS, seven days with new reviews, 500 new reviews, a run open', async () => {
    const [a, b, c, d, e] = await addContentBank(t.db, 'bare', ['a', 'b', 'c', 'd', 'e'].map((k) => factItem(k, 'x')));
    const start = new Date(NOW.getTime() - 30 * DAY);
    const short = await addUser(t.db);
    await bareReviews(t.db, short, a!, times(MIN_REVIEWS - 1, start));
    const enough = await addUser(t.db);
    await bareReviews(t.db, enough, a!, times(MIN_REVIEWS, start));
    expect(await owners(NOW)).toEqual([`user ${enough}`]);

    // A run a week before: due only with a new review since, and only from seven days on.
    const lastRun = new Date(NOW.getTime() - 7 * DAY);
    await pastRun(t.db, { userId: enough }, TRUE_PARAMETERS, { requestedAt: lastRun });
    expect(await owners(NOW)).toEqual([]);
    await bareReviews(t.db, enough, b!, [new Date(lastRun.getTime() + 1)]);
    expect(await owners(NOW)).toEqual([`user ${enough}`]);
    expect(await owners(new Date(NOW.getTime() - 1))).toEqual([]);

    // A run a day ago: due at 500 new reviews since, not 499.
    const busy = await addUser(t.db);
    await bareReviews(t.db, busy, a!, times(MIN_REVIEWS, start));
    const yesterday = new Date(NOW.getTime() - DAY);
    await pastRun(t.db, { userId: busy }, TRUE_PARAMETERS, { requestedAt: yesterday });
    await bareReviews(t.db, busy, c!, times(AUTO_RUN_AFTER_REVIEWS - 1, new Date(yesterday.getTime() + 1000)));
    expect(await owners(NOW)).toEqual([`user ${enough}`]);
    await bareReviews(t.db, busy, d!, [new Date(NOW.getTime() - 1000)]);
    expect(await owners(NOW)).toEqual([`user ${busy}`, `user ${enough}`].sort());

    // A run queued or running: not due again.
    await requestRun({ db: t.db, userId: enough }, { trigger: 'auto', now: NOW });
    expect(await owners(NOW)).toEqual([`user ${busy}`]);

    // A class: the members' reviews pooled (short's 199 and a newcomer's 1 make 200).
    const instructor = await addUser(t.db, { role: 'instructor' });
    const [cls] = await t.db.insert(classes).values({ name: 'K', instructorId: instructor, joinCode: 'KKKKKKKK', createdAt: NOW }).returning();
    await t.db.insert(memberships).values({ classId: cls!.id, userId: short, joinedAt: NOW });
    expect(await owners(NOW)).toEqual([`user ${busy}`]);
    const newcomer = await addUser(t.db);
    await bareReviews(t.db, newcomer, e!, [start]);
    await t.db.insert(memberships).values({ classId: cls!.id, userId: newcomer, joinedAt: NOW });
    const due = await dueAutoRuns({ db: t.db, now: NOW });
    expect(due).toContainEqual({ classId: cls!.id, instructorId: instructor });
    expect(await owners(NOW)).toEqual([`class ${cls!.id}`, `user ${busy}`].sort());
  });
});
