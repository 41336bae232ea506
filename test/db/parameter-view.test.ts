/**
 * The settings page's parameter section and the class panel, below their pages (both engines):
 * what a form POST queues or changes and what it refuses, and what the views say about whose
 * set schedules whom. The fits themselves are parameters.test.ts's.
 */
import { eq } from 'drizzle-orm';
import { default_w } from 'ts-fsrs';
import { describe, expect, test } from 'vitest';
import type { Db } from '../../db/client';
import { cards, memberships, optimizerRuns, reviews, users } from '../../db/schema';
import { cardColumnsOf } from '../../app/models/card.server';
import { createClass } from '../../app/models/class.server';
import { classFitAction, classParameters, PARAMETER_REPLIES, studentParameterAction, studentParameters } from '../../app/models/parameter-view.server';
import { PARAMETER_ERRORS } from '../../app/models/parameters.server';
import { newCardState } from '../../app/scheduling/scheduler';
import { addContentBank, addUser, eachTestDb, factItem } from './fixture';

const each = eachTestDb();
const NOW = new Date('2026-12-01T12:00:00Z');
const W = Array.from({ length: 21 }, (_, i) => 0.1 * (i + 1));

/** `n` reviews of one card (only their number matters here). */
async function addReviews(db: Db, userId: number, itemId: string, n: number): Promise<void> {
  const state = newCardState(NOW);
  const [card] = await db.insert(cards).values({ userId, itemId, ...cardColumnsOf(state) }).returning({ id: cards.id });
  const json = JSON.stringify(state);
  const rows = Array.from({ length: n }, (_, i) => ({ userId, clientReviewId: `r${userId}-${card!.id}-${i}`, itemId, cardId: card!.id, rawAnswer: '', correct: true, rating: 3, suggestedRating: 3, durationMs: 1000, stateBefore: json, stateAfter: json, reviewedAt: new Date(NOW.getTime() - (n - i) * 60_000) }));
  for (let i = 0; i < rows.length; i += 100) await db.insert(reviews).values(rows.slice(i, i + 100));
}

async function addRun(db: Db, fields: Partial<typeof optimizerRuns.$inferInsert>): Promise<number> {
  const [row] = await db
    .insert(optimizerRuns)
    .values({ trigger: 'manual', status: 'done', requestedAt: NOW, finishedAt: NOW, parameters: JSON.stringify(W), kept: true, reason: 'kept: by the test', logLoss: 0.3, rmseBins: 0.05, defaultLogLoss: 0.4, defaultRmseBins: 0.06, ...fields })
    .returning({ id: optimizerRuns.id });
  return row!.id;
}

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const userRow = async (id: number) => (await each.t.db.select().from(users).where(eq(users.id, id)))[0]!;
const runsOf = async (userId: number) => each.t.db.select().from(optimizerRuns).where(eq(optimizerRuns.userId, userId));

describe('the fit button', () => {
  test('below the threshold it queues nothing and says why; at it, one run; a second press, none more', async () => {
    const [item] = await addContentBank(each.t.db, 'b', [factItem('f1', 'x')]);
    const student = await addUser(each.t.db);
    await addReviews(each.t.db, student, item!, 199);
    expect(await studentParameterAction({ db: each.t.db, userId: student, form: form({ intent: 'fit' }), now: NOW })).toEqual({ section: 'parameters', ok: false, form: 'fit', message: PARAMETER_REPLIES.tooFew(199, 200) });
    expect(await runsOf(student)).toEqual([]);

    await addReviews(each.t.db, student, (await addContentBank(each.t.db, 'c', [factItem('f2', 'x')]))[0]!, 1);
    expect(await studentParameterAction({ db: each.t.db, userId: student, form: form({ intent: 'fit' }), now: NOW })).toMatchObject({ ok: true, message: PARAMETER_REPLIES.queued });
    expect((await runsOf(student)).map((r) => [r.status, r.trigger])).toEqual([['queued', 'manual']]);
    expect(await studentParameterAction({ db: each.t.db, userId: student, form: form({ intent: 'fit' }), now: NOW })).toMatchObject({ ok: false, message: PARAMETER_REPLIES.inFlight });
    expect(await runsOf(student)).toHaveLength(1);
    // The section says the run is in flight, and the reviews against the threshold.
    const view = await studentParameters({ db: each.t.db, userId: student, timeZone: 'UTC', now: NOW });
    expect(view).toMatchObject({ reviews: 200, minReviews: 200, running: { status: 'queued' } });
  });
});

describe('choosing a set', () => {
  test('another student’s run is refused at its form, and nothing changes', async () => {
    const me = await addUser(each.t.db);
    const other = await addUser(each.t.db);
    const theirs = await addRun(each.t.db, { userId: other });
    const before = await userRow(me);
    const reply = await studentParameterAction({ db: each.t.db, userId: me, form: form({ intent: 'choose', choice: 'run', runId: String(theirs) }), now: NOW });
    expect(reply).toEqual({ section: 'parameters', ok: false, form: `choose-run-${theirs}`, message: `Nothing was changed: ${PARAMETER_ERRORS.notYourRun(theirs)}.` });
    expect(await userRow(me)).toEqual(before);
  });

  test('a form the page never sends is refused, nothing changed', async () => {
    const me = await addUser(each.t.db);
    const before = await userRow(me);
    for (const fields of <Record<string, string>[]>[{ intent: 'choose', choice: 'best' }, { intent: 'choose', choice: 'run' }, { intent: 'choose', choice: 'run', runId: 'x' }, { intent: 'fit-everything' }]) {
      expect(await studentParameterAction({ db: each.t.db, userId: me, form: form(fields), now: NOW }), JSON.stringify(fields)).toMatchObject({ ok: false, message: PARAMETER_REPLIES.badForm });
    }
    expect(await userRow(me)).toEqual(before);
  });

  test('the defaults, then one of my runs, then automatic: each stored, and said', async () => {
    const me = await addUser(each.t.db);
    const mine = await addRun(each.t.db, { userId: me, kept: false });
    expect(await studentParameterAction({ db: each.t.db, userId: me, form: form({ intent: 'choose', choice: 'default' }), now: NOW })).toMatchObject({ ok: true, form: 'choose-default', message: PARAMETER_REPLIES.chosen.default });
    expect(await userRow(me)).toMatchObject({ parameterChoice: 'default', fsrsParameters: null });
    expect(await studentParameterAction({ db: each.t.db, userId: me, form: form({ intent: 'choose', choice: 'run', runId: String(mine) }), now: NOW })).toMatchObject({ ok: true, form: `choose-run-${mine}` });
    expect(await userRow(me)).toMatchObject({ parameterChoice: 'run', parameterRunId: mine, fsrsParameters: JSON.stringify(W) });
    const view = await studentParameters({ db: each.t.db, userId: me, timeZone: 'UTC', now: NOW });
    expect(view).toMatchObject({ choice: 'run', runId: mine, source: 'own', parameters: W });
    expect(await studentParameterAction({ db: each.t.db, userId: me, form: form({ intent: 'choose', choice: 'auto' }), now: NOW })).toMatchObject({ ok: true, message: PARAMETER_REPLIES.chosen.auto });
    // Its only run was not kept: automatic means the defaults, shown as their 21 numbers.
    expect(await studentParameters({ db: each.t.db, userId: me, timeZone: 'UTC', now: NOW })).toMatchObject({ choice: 'auto', source: 'default', runId: null, parameters: [...default_w] });
  });
});

describe('the class panel', () => {
  test('counts the pooled reviews, says which set schedules each member, and offers a member the class’s kept set', async () => {
    const instructor = await addUser(each.t.db, { role: 'instructor' });
    const cls = await createClass({ db: each.t.db, userId: instructor, name: 'CS231n', now: NOW });
    const items = await addContentBank(each.t.db, 'b', [factItem('f1', 'x'), factItem('f2', 'x'), factItem('f3', 'x')]);
    const [onClass, onOwn, onDefaults] = [await addUser(each.t.db, { displayName: 'A' }), await addUser(each.t.db, { displayName: 'B' }), await addUser(each.t.db, { displayName: 'C' })];
    for (const [i, id] of [onClass, onOwn, onDefaults].entries()) {
      await each.t.db.insert(memberships).values({ classId: cls.id, userId: id, joinedAt: NOW });
      await addReviews(each.t.db, id, items[i]!, 10 * (i + 1));
    }
    const classRun = await addRun(each.t.db, { classId: cls.id, membersUsed: 3 });
    const ownRun = await addRun(each.t.db, { userId: onOwn });
    await each.t.db.update(users).set({ parameterRunId: classRun, fsrsParameters: JSON.stringify(W), parameterReason: 'the class’s' }).where(eq(users.id, onClass));
    await each.t.db.update(users).set({ parameterRunId: ownRun, fsrsParameters: JSON.stringify(W) }).where(eq(users.id, onOwn));

    const view = await classParameters({ db: each.t.db, classId: cls.id, instructorId: instructor, timeZone: 'UTC', now: NOW });
    expect(view.pooledReviews).toBe(60);
    expect(view.running).toBeNull();
    expect(view.runs.map((r) => r.id)).toEqual([classRun]);
    expect(view.members.map((m) => [m.id, m.source, m.reviews, m.reason])).toEqual([
      [onClass, 'class', 10, 'the class’s'],
      [onOwn, 'own', 20, null],
      [onDefaults, 'default', 30, null],
    ]);
    // A member is offered the class's kept set by name, whichever set is theirs now.
    expect((await studentParameters({ db: each.t.db, userId: onDefaults, timeZone: 'UTC', now: NOW })).classRun).toMatchObject({ className: 'CS231n', run: { id: classRun } });

    // Below the threshold the class's button queues nothing; another instructor's request is a 404.
    expect(await classFitAction({ db: each.t.db, classId: cls.id, instructorId: instructor, now: NOW })).toMatchObject({ ok: false, message: PARAMETER_REPLIES.classTooFew(60, 200) });
    const stranger = await addUser(each.t.db, { role: 'instructor' });
    const refused = await classParameters({ db: each.t.db, classId: cls.id, instructorId: stranger, timeZone: 'UTC', now: NOW }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(404);
  });
});
