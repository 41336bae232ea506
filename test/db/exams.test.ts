/**
 * Exams (both engines): made by a student for themselves or by an instructor for a class, every
 * bad input refused at its field with nothing saved, the wall time in the exam's zone stored as
 * the right instant across daylight-saving changes, who may see, change and delete one, the
 * page's counts, and the practice exam a page starts.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { cards, exams, quizAttempts } from '../../db/schema';
import { AccessDenied } from '../../app/models/access.server';
import { createClass, joinClass, publishBankToClass } from '../../app/models/class.server';
import {
  checkExamForm,
  createExam,
  deleteExam,
  EXAM_ERRORS,
  ExamRefused,
  examAccess,
  examPage,
  examsOf,
  examsPage,
  examScopeOptions,
  parseExamForm,
  practiceBuild,
  updateExam,
  type ExamInput,
} from '../../app/models/exam.server';
import { configOf, slotsOf, startQuiz } from '../../app/models/quiz.server';
import { submitReview } from '../../app/models/review.server';
import { cardColumnsOf } from '../../app/models/card.server';
import { State } from '../../app/scheduling/scheduler';
import { addContentBank, addUser, eachTestWithInstructor, factItem, generatedItem } from './fixture';

const each = eachTestWithInstructor();
const NOW = new Date('2027-03-01T12:00:00Z');
const ANY = { banks: [], topics: [], families: [] };

/** Two content banks: `cnn` (parameters facts, conv-output-size questions) and `extra` (memory facts only). */
async function banksAndClass() {
  const { t, instructor } = each;
  await addContentBank(t.db, 'cnn', [factItem('p1', 'parameters'), factItem('p2', 'parameters'), generatedItem('g1', 'conv-arithmetic', 'conv-output-size'), generatedItem('g2', 'conv-arithmetic', 'conv-output-size')]);
  await addContentBank(t.db, 'extra', [factItem('m1', 'memory')]);
  const cls = await createClass({ db: t.db, userId: instructor, name: 'CNNs', now: NOW });
  await publishBankToClass({ db: t.db, userId: instructor, classId: cls.id, bankId: 'cnn', now: NOW });
  const student = await addUser(t.db, { timeZone: 'Europe/London' });
  await joinClass({ db: t.db, userId: student, joinCode: cls.joinCode, now: NOW });
  return { cls, student };
}

function input(fields: Partial<ExamInput> = {}): ExamInput {
  return { title: 'Midterm', date: '2027-03-22', time: '09:30', timeZone: 'Europe/London', target: 0.9, classId: null, scope: { ...ANY, banks: ['cnn'] }, ...fields };
}

async function refusal(run: () => Promise<unknown>): Promise<ExamRefused> {
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExamRefused);
  return err as ExamRefused;
}

async function examRows() {
  return each.t.db.select().from(exams);
}

describe('making an exam', () => {
  test("a student's own: the wall time in its zone is the instant stored; the scope is kept tidy", async () => {
    const { student } = await banksAndClass();
    const exam = await createExam({ db: each.t.db, userId: student, input: input({ scope: { banks: ['cnn', 'cnn'], topics: [], families: ['conv-output-size'] } }), now: NOW });
    // 22 March 2027 is before the UK's clocks go forward (28 March): GMT, so UTC.
    expect(exam).toMatchObject({ ownerId: student, classId: null, title: 'Midterm', at: Date.parse('2027-03-22T09:30:00Z'), timeZone: 'Europe/London', target: 0.9 });
    expect(exam.scope).toEqual({ banks: ['cnn'], topics: [], families: ['conv-output-size'] });
    expect((await examsOf({ db: each.t.db, userId: student })).map((e) => e.id)).toEqual([exam.id]);
  });

  test('daylight saving: a summer wall time is an hour earlier in UTC; a time the clocks skip is refused; a repeated one is its first', async () => {
    const { student } = await banksAndClass();
    const summer = await createExam({ db: each.t.db, userId: student, input: input({ date: '2027-06-15', time: '09:30' }), now: NOW });
    expect(new Date(summer.at).toISOString()).toBe('2027-06-15T08:30:00.000Z');
    const ny = await createExam({ db: each.t.db, userId: student, input: input({ date: '2027-11-07', time: '01:30', timeZone: 'America/New_York' }), now: NOW });
    expect(new Date(ny.at).toISOString()).toBe('2027-11-07T05:30:00.000Z'); // 01:30 EDT, the first of the two
    const before = await examRows();
    const err = await refusal(() => createExam({ db: each.t.db, userId: student, input: input({ date: '2027-03-28', time: '01:30' }), now: NOW }));
    expect(err.errors).toEqual({ time: EXAM_ERRORS.skippedTime('2027-03-28', '01:30', 'Europe/London') });
    expect(await examRows()).toEqual(before);
  });

  test("an instructor's class exam: every member has it; the instructor sees it; a stranger does not", async () => {
    const { cls, student } = await banksAndClass();
    const other = await addUser(each.t.db);
    const exam = await createExam({ db: each.t.db, userId: each.instructor, input: input({ classId: cls.id, scope: { ...ANY, topics: ['conv-arithmetic'] } }), now: NOW });
    expect(exam).toMatchObject({ classId: cls.id, className: 'CNNs', ownerId: each.instructor });
    expect((await examsOf({ db: each.t.db, userId: student })).map((e) => e.id)).toEqual([exam.id]);
    expect(await examsOf({ db: each.t.db, userId: other })).toEqual([]);
    expect((await examsPage({ db: each.t.db, userId: each.instructor, now: NOW })).ahead.map((e) => e.id)).toEqual([exam.id]);
    expect(await examAccess({ db: each.t.db, userId: student, examId: exam.id })).toMatchObject({ sits: true, teaches: false, canEdit: false });
    expect(await examAccess({ db: each.t.db, userId: each.instructor, examId: exam.id })).toMatchObject({ sits: false, teaches: true, canEdit: true });
    const miss = await examAccess({ db: each.t.db, userId: other, examId: exam.id }).catch((e: unknown) => e);
    expect(miss).toBeInstanceOf(Response);
    expect((miss as Response).status).toBe(404);
  });

  test('the form offers what the user studies, or what is published to the class, with item counts', async () => {
    const { cls, student } = await banksAndClass();
    const own = await examScopeOptions({ db: each.t.db, userId: student });
    expect(own.banks.map((b) => [b.id, b.count])).toEqual([
      ['cnn', 4],
      ['extra', 1],
    ]);
    expect(own.topics).toEqual([
      { topic: 'conv-arithmetic', count: 2 },
      { topic: 'memory', count: 1 },
      { topic: 'parameters', count: 2 },
    ]);
    expect(own.families).toEqual([{ family: 'conv-output-size', title: expect.any(String), count: 2 }]);
    const forClass = await examScopeOptions({ db: each.t.db, userId: each.instructor, classId: cls.id });
    expect(forClass.banks.map((b) => b.id)).toEqual(['cnn']);
    expect(forClass.topics.map((x) => x.topic)).toEqual(['conv-arithmetic', 'parameters']);
  });
});

test('setting an exam plans the cards it covers: one due past it with recall there below the target moves into its plan days; one out of scope does not', async () => {
  const { cls, student } = await banksAndClass();
  const DAY = 86_400_000;
  // Reviewed today with a 10-day stability, due in 60 days: at the exam (21 days on) recall is well below 0.9.
  const weak = { due: NOW.getTime() + 60 * DAY, stability: 10, difficulty: 5, elapsedDays: 0, scheduledDays: 60, learningSteps: 0, reps: 3, lapses: 0, state: State.Review, lastReview: NOW.getTime(), leech: false };
  await each.t.db.insert(cards).values([
    { userId: student, itemId: 'cnn/p1', ...cardColumnsOf(weak) },
    { userId: student, itemId: 'extra/m1', ...cardColumnsOf(weak) },
  ]);
  const exam = await createExam({ db: each.t.db, userId: each.instructor, input: input({ classId: cls.id }), now: NOW });
  const rows = new Map((await each.t.db.select().from(cards)).map((c) => [c.itemId, c]));
  const moved = rows.get('cnn/p1')!;
  expect(moved.plannedForExam).toBe(exam.id);
  expect(moved.due.getTime()).toBeGreaterThan(NOW.getTime());
  expect(moved.due.getTime()).toBeLessThan(Date.parse('2027-03-22T04:00:00Z')); // before the exam's study day
  expect(moved.stability).toBe(10); // the memory state is untouched: only the due moves
  expect(rows.get('extra/m1')).toMatchObject({ plannedForExam: null, due: new Date(weak.due) });
});

describe('bad input, refused at the field, nothing saved', () => {
  const form = (fields: Record<string, string | string[]>) => {
    const f = new URLSearchParams();
    const all: Record<string, string | string[]> = { title: 'Midterm', date: '2027-03-22', time: '09:30', timeZone: 'Europe/London', target: '0.9', classId: '', banks: ['cnn'], ...fields };
    for (const [k, v] of Object.entries(all)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
    return parseExamForm(f);
  };

  test('the form: title, date, time, zone and target, each at its field', () => {
    expect(form({})).toEqual({ ok: true, data: input() });
    expect(form({ target: '' })).toMatchObject({ ok: true, data: { target: 0.9 } });
    expect(form({ classId: '7' })).toMatchObject({ ok: true, data: { classId: 7 } });
    expect(form({ title: '  ' })).toEqual({ ok: false, errors: { title: EXAM_ERRORS.titleMissing } });
    expect(form({ title: 'x'.repeat(121) })).toEqual({ ok: false, errors: { title: EXAM_ERRORS.titleTooLong } });
    for (const date of ['2027-02-30', '22/03/2027', 'next week', '']) expect(form({ date })).toEqual({ ok: false, errors: { date: EXAM_ERRORS.dateMalformed } });
    for (const time of ['9:30', '24:00', '09:60', 'noon']) expect(form({ time })).toEqual({ ok: false, errors: { time: EXAM_ERRORS.timeMalformed } });
    for (const timeZone of ['Mars/Olympus', 'GMT+25', 'London']) expect(form({ timeZone })).toEqual({ ok: false, errors: { timeZone: EXAM_ERRORS.unknownZone(timeZone) } });
    for (const target of ['0.69', '0.995', '1', '90', '-0.8', 'high', 'NaN', 'Infinity', '0x1']) expect(form({ target })).toEqual({ ok: false, errors: { target: EXAM_ERRORS.target } });
    for (const target of ['0.7', '0.99', '0.85']) expect(form({ target })).toMatchObject({ ok: true, data: { target: Number(target) } });
    expect(form({ classId: 'mine' })).toEqual({ ok: false, errors: { classId: EXAM_ERRORS.classMalformed } });
  });

  test('in the past, empty scope, a scope matching nothing, a bank not studied: refused by the model', async () => {
    const { student } = await banksAndClass();
    const cases: [Partial<ExamInput>, Record<string, string>][] = [
      [{ date: '2027-03-01', time: '11:59' }, { date: EXAM_ERRORS.inPast('Mon, 1 Mar 2027, 12:00 GMT') }],
      [{ date: '2027-03-01', time: '12:00' }, { date: EXAM_ERRORS.inPast('Mon, 1 Mar 2027, 12:00 GMT') }],
      [{ date: '2026-12-25' }, { date: EXAM_ERRORS.inPast('Mon, 1 Mar 2027, 12:00 GMT') }],
      [{ scope: ANY }, { scope: EXAM_ERRORS.emptyScope }],
      [{ scope: { ...ANY, banks: ['extra'], topics: ['parameters'] } }, { scope: EXAM_ERRORS.scopeMatchesNothing(false) }],
      [{ scope: { ...ANY, topics: ['receptive-field'] } }, { scope: EXAM_ERRORS.scopeMatchesNothing(false) }],
      [{ scope: { ...ANY, families: ['fc-params'] } }, { scope: EXAM_ERRORS.scopeMatchesNothing(false) }],
      [{ scope: { ...ANY, banks: ['nobody-s-bank'] } }, { scope: EXAM_ERRORS.unknownBank('nobody-s-bank', false) }],
    ];
    for (const [fields, errors] of cases) {
      const err = await refusal(() => createExam({ db: each.t.db, userId: student, input: input(fields), now: NOW }));
      expect(err.errors, JSON.stringify(fields)).toEqual(errors);
      expect(err.status).toBe(400);
    }
    expect(await examRows()).toEqual([]);
  });

  test('a class the user does not teach (403, at the class field); a scope the class does not study', async () => {
    const { cls, student } = await banksAndClass();
    const otherInstructor = await addUser(each.t.db, { role: 'instructor' });
    for (const userId of [student, otherInstructor]) {
      const err = await refusal(() => createExam({ db: each.t.db, userId, input: input({ classId: cls.id }), now: NOW }));
      expect(err.errors).toEqual({ classId: EXAM_ERRORS.notYourClass(cls.id) });
      expect(err.status).toBe(403);
    }
    const unknownClass = await refusal(() => createExam({ db: each.t.db, userId: each.instructor, input: input({ classId: cls.id + 100 }), now: NOW }));
    expect(unknownClass.errors).toEqual({ classId: EXAM_ERRORS.notYourClass(cls.id + 100) });
    // `extra` is a content bank everyone studies, but it is not published to the class.
    const notPublished = await refusal(() => createExam({ db: each.t.db, userId: each.instructor, input: input({ classId: cls.id, scope: { ...ANY, banks: ['extra'] } }), now: NOW }));
    expect(notPublished.errors).toEqual({ scope: EXAM_ERRORS.unknownBank('extra', true) });
    const nothing = await refusal(() => createExam({ db: each.t.db, userId: each.instructor, input: input({ classId: cls.id, scope: { ...ANY, topics: ['memory'] } }), now: NOW }));
    expect(nothing.errors).toEqual({ scope: EXAM_ERRORS.scopeMatchesNothing(true) });
    expect(await examRows()).toEqual([]);
  });

  test("the route's check: the form's and the model's refusals together, each at its field", async () => {
    const { cls, student } = await banksAndClass();
    const f = (fields: Record<string, string>) => new URLSearchParams({ title: 'Midterm', date: '2027-03-22', time: '09:30', timeZone: 'Europe/London', target: '0.9', classId: '', ...fields });
    expect(await checkExamForm({ db: each.t.db, userId: student, form: f({ banks: 'cnn' }), now: NOW })).toEqual({ ok: true, input: input() });
    expect(await checkExamForm({ db: each.t.db, userId: student, form: f({ target: '2', date: '2027-01-01' }), now: NOW })).toEqual({
      ok: false,
      status: 400,
      errors: { target: EXAM_ERRORS.target, date: EXAM_ERRORS.inPast('Mon, 1 Mar 2027, 12:00 GMT'), scope: EXAM_ERRORS.emptyScope },
    });
    // A malformed date: its own message, and no "in the past" check on it; the class refusal is a 403.
    expect(await checkExamForm({ db: each.t.db, userId: student, form: f({ date: 'soon', classId: String(cls.id), banks: 'cnn' }), now: NOW })).toEqual({
      ok: false,
      status: 403,
      errors: { date: EXAM_ERRORS.dateMalformed, classId: EXAM_ERRORS.notYourClass(cls.id) },
    });
    expect(await examRows()).toEqual([]);
  });

  test('several bad fields at once: each says its own', async () => {
    const { student } = await banksAndClass();
    const err = await refusal(() => createExam({ db: each.t.db, userId: student, input: input({ date: '2027-01-01', scope: ANY }), now: NOW }));
    expect(Object.keys(err.errors).sort()).toEqual(['date', 'scope']);
    expect(await examRows()).toEqual([]);
  });
});

describe('changing and deleting', () => {
  test('the owner changes an own exam; the same checks apply; a past exam keeps its instant', async () => {
    const { student } = await banksAndClass();
    const exam = await createExam({ db: each.t.db, userId: student, input: input(), now: NOW });
    const changed = await updateExam({ db: each.t.db, userId: student, examId: exam.id, input: input({ title: 'Final', target: 0.95, date: '2027-04-02', time: '14:00' }), now: NOW });
    expect(changed).toMatchObject({ title: 'Final', target: 0.95, at: Date.parse('2027-04-02T13:00:00Z') }); // BST
    const before = await examRows();
    const err = await refusal(() => updateExam({ db: each.t.db, userId: student, examId: exam.id, input: input({ scope: ANY }), now: NOW }));
    expect(err.errors).toEqual({ scope: EXAM_ERRORS.emptyScope });
    expect(await examRows()).toEqual(before);
    // After the exam: its title can change (its own instant re-sent), its instant cannot move into the past.
    const later = new Date('2027-05-01T00:00:00Z');
    await updateExam({ db: each.t.db, userId: student, examId: exam.id, input: input({ title: 'Final (sat)', date: '2027-04-02', time: '14:00' }), now: later });
    const moved = await refusal(() => updateExam({ db: each.t.db, userId: student, examId: exam.id, input: input({ date: '2027-04-03', time: '14:00' }), now: later }));
    expect(Object.keys(moved.errors)).toEqual(['date']);
  });

  test('a member cannot change or delete a class exam (403); a stranger gets 404; the instructor can', async () => {
    const { cls, student } = await banksAndClass();
    const stranger = await addUser(each.t.db);
    const exam = await createExam({ db: each.t.db, userId: each.instructor, input: input({ classId: cls.id }), now: NOW });
    await expect(deleteExam({ db: each.t.db, userId: student, examId: exam.id })).rejects.toThrow(AccessDenied);
    await expect(updateExam({ db: each.t.db, userId: student, examId: exam.id, input: input({ title: 'Mine now' }), now: NOW })).rejects.toThrow(EXAM_ERRORS.classExamNotOwner);
    const miss = await deleteExam({ db: each.t.db, userId: stranger, examId: exam.id }).catch((e: unknown) => e);
    expect((miss as Response).status).toBe(404);
    expect((await examRows()).map((r) => r.title)).toEqual(['Midterm']);
    // The class stays the class's, whatever an edit sends.
    expect(await updateExam({ db: each.t.db, userId: each.instructor, examId: exam.id, input: input({ title: 'Midterm 1', classId: null }), now: NOW })).toMatchObject({ title: 'Midterm 1', classId: cls.id });
    await deleteExam({ db: each.t.db, userId: each.instructor, examId: exam.id });
    expect(await examRows()).toEqual([]);
    expect(await examsOf({ db: each.t.db, userId: student })).toEqual([]);
  });

  test("someone else's own exam is a 404 to everyone else, the instructor included", async () => {
    const { student } = await banksAndClass();
    const exam = await createExam({ db: each.t.db, userId: student, input: input(), now: NOW });
    for (const userId of [each.instructor, await addUser(each.t.db)]) {
      const miss = await examPage({ db: each.t.db, userId, examId: exam.id, now: NOW }).catch((e: unknown) => e);
      expect((miss as Response).status).toBe(404);
    }
    const none = await examAccess({ db: each.t.db, userId: student, examId: exam.id + 1 }).catch((e: unknown) => e);
    expect((none as Response).status).toBe(404);
  });

  test("deleting clears the plan's mark on the cards it moved, and keeps their due", async () => {
    const { student } = await banksAndClass();
    const exam = await createExam({ db: each.t.db, userId: student, input: input(), now: NOW });
    await submitReview({ db: each.t.db, userId: student, itemId: 'cnn/p1', clientReviewId: 'r1', seed: null, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 1000, hinted: false, now: NOW });
    await each.t.db.update(cards).set({ plannedForExam: exam.id }).where(eq(cards.userId, student));
    const [before] = await each.t.db.select().from(cards).where(eq(cards.userId, student));
    await deleteExam({ db: each.t.db, userId: student, examId: exam.id });
    const [after] = await each.t.db.select().from(cards).where(eq(cards.userId, student));
    expect(after).toEqual({ ...before, plannedForExam: null });
  });
});

describe('the exam page', () => {
  test('when, zone, days left, plan days and item counts of each part of the scope', async () => {
    const { cls, student } = await banksAndClass();
    const exam = await createExam({ db: each.t.db, userId: each.instructor, input: input({ classId: cls.id, scope: { banks: ['cnn'], topics: ['parameters'], families: ['conv-output-size'] } }), now: NOW });
    const page = await examPage({ db: each.t.db, userId: student, examId: exam.id, now: NOW });
    expect(page.summary).toMatchObject({ when: 'Mon, 22 Mar 2027, 09:30 GMT', timeZone: 'Europe/London', daysLeft: 21, daysLeftText: 'in 21 days' });
    // Study days 2 to 21 March: after today (1 March), before the exam's day (22 March).
    expect(page.planDays).toBe(20);
    expect(page.local).toEqual({ date: '2027-03-22', time: '09:30' });
    expect(page.scope).toEqual({
      banks: [{ id: 'cnn', title: 'cnn', items: 4 }],
      topics: [{ topic: 'parameters', items: 2 }],
      families: [{ family: 'conv-output-size', title: expect.any(String), items: 2 }],
      items: 4,
    });
    const teacher = await examPage({ db: each.t.db, userId: each.instructor, examId: exam.id, now: NOW });
    expect(teacher.scope.items).toBe(4);
    expect(teacher).toMatchObject({ teaches: true, sits: false, canEdit: true });
    const after = await examsPage({ db: each.t.db, userId: student, now: new Date('2027-03-23T12:00:00Z') });
    expect(after).toMatchObject({ ahead: [], past: [{ id: exam.id, daysLeftText: 'yesterday' }] });
  });

  test('a practice exam draws only from the exam scope, with the builder checks', async () => {
    const { student } = await banksAndClass();
    const exam = await createExam({ db: each.t.db, userId: student, input: input({ scope: { ...ANY, topics: ['conv-arithmetic'] } }), now: NOW });
    const asked = (fields: Record<string, string>) => practiceBuild(exam, new URLSearchParams(fields));
    expect(asked({ count: '0', timeLimitMinutes: '', mode: 'exam' })).toMatchObject({ ok: false, errors: { count: expect.any(String) } });
    expect(asked({ count: '5', timeLimitMinutes: 'soon', mode: 'exam' })).toMatchObject({ ok: false, errors: { timeLimitMinutes: expect.any(String) } });
    // Banks, topics and families from the form are ignored: the exam's scope is the quiz's.
    const built = asked({ count: '10', timeLimitMinutes: '15', mode: 'exam', topics: 'memory' });
    expect(built).toEqual({ ok: true, data: { banks: [], topics: ['conv-arithmetic'], tags: [], families: [], count: 10, timeLimitMinutes: 15, mode: 'exam' } });
    if (!built.ok) return;
    const attempt = await startQuiz({ db: each.t.db, userId: student, build: built.data, now: NOW });
    expect(slotsOf(attempt).map((s) => s.itemId).sort()).toEqual(['cnn/g1', 'cnn/g2']);
    expect(configOf(attempt)).toMatchObject({ topics: ['conv-arithmetic'], count: 10, timeLimitMinutes: 15, mode: 'exam' });
    expect(attempt.deadlineAt!.getTime() - NOW.getTime()).toBe(15 * 60_000);
    expect((await each.t.db.select().from(quizAttempts)).length).toBe(1);
  });
});
