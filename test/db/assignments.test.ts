/**
 * Quizzes an instructor assigns, on both engines: refusals at the field with nothing saved, the
 * window (and a student's own), attempts counted per student (abandoned ones too, replays not),
 * the deadline min(start + limit × (1 + extra%), close), seeds that rebuild every question, exam
 * answers held back until the window closes for everyone, and the three regrades with exact scores.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { classes, quizAnswers, quizAssignments, quizAttempts, quizRegrades } from '../../db/schema';
import { AccessDenied } from '../../app/models/access.server';
import { loadContentBank, type BankItemInput } from '../../app/models/bank.server';
import { createClass, joinClass, publishBankToClass } from '../../app/models/class.server';
import {
  ASSIGNMENT_ERRORS,
  AssignmentRefused,
  assignedQuizzes,
  assignmentResults,
  createAssignment,
  parseAssignmentForm,
  regradeQuestion,
  setAccommodation,
  startAssignment,
  studentAssignment,
  updateAssignment,
  type AssignmentInput,
} from '../../app/models/assignment.server';
import { DEADLINE_GRACE_MS, listAttempts, QuizRefused, quizPage, replayAttempt, saveAnswers, slotsOf, submitQuiz } from '../../app/models/quiz.server';
import { getFamily } from '../../engine/families';
import { createRng } from '../../engine/random';
import { addUser, allRows, eachTestWithInstructor } from './fixture';
import { isInjectedFailure, refuseWrites } from './failure';

const T0 = new Date('2026-03-02T09:00:00Z');
const MIN = 60_000;

const BANK: BankItemInput[] = [
  { id: 'q1', kind: 'choice', topic: 'alexnet', tags: [], question: 'Year of AlexNet?', options: [{ key: 'a', text: '2012' }, { key: 'b', text: '2014' }], answer: 'a', explanation: 'ILSVRC 2012.' },
  { id: 'q2', kind: 'choice', topic: 'vgg', tags: [], question: 'VGG kernel size?', options: [{ key: 'a', text: '3×3' }, { key: 'b', text: '7×7' }], answer: 'a', explanation: 'Only 3×3.' },
  { id: 'q3', kind: 'choice', topic: 'history', tags: [], question: 'Winner of 2014?', options: [{ key: 'a', text: 'VGG' }, { key: 'b', text: 'GoogLeNet' }], answer: 'b', explanation: 'GoogLeNet won.' },
  { id: 'g1', kind: 'generated', topic: 'conv-arithmetic', tags: [], title: 'Conv output', family: 'conv-output-size', difficulty: 1 },
  { id: 'g2', kind: 'generated', topic: 'parameters', tags: [], title: 'Conv params', family: 'conv-params', difficulty: 2 },
  { id: 'b1', kind: 'basic', topic: 'alexnet', tags: [], front: 'Who built AlexNet?', back: 'Krizhevsky et al.' },
];
const CHOICES = { banks: ['tiny'], topics: ['alexnet', 'vgg', 'history'], families: [] };

const ctx = eachTestWithInstructor();
let classId: number;
let ann: number;
let ben: number;
let outsider: number;

async function setUp() {
  const db = ctx.t.db;
  await loadContentBank({ db, bank: { id: 'tiny', title: 'Tiny bank', items: BANK }, now: new Date(0) });
  const cls = await createClass({ db, userId: ctx.instructor, name: 'CNNs', now: new Date(0) });
  classId = cls.id;
  await publishBankToClass({ db, userId: ctx.instructor, classId, bankId: 'tiny', now: new Date(0) });
  ann = await addUser(db, { email: 'ann@example.test', displayName: 'Ann' });
  ben = await addUser(db, { email: 'ben@example.test', displayName: 'Ben' });
  outsider = await addUser(db, { email: 'oz@example.test', displayName: 'Oz' });
  for (const u of [ann, ben]) await joinClass({ db, userId: u, joinCode: cls.joinCode, now: new Date(0) });
}

const input = (over: Partial<AssignmentInput> = {}): AssignmentInput => ({
  title: 'Week 3 quiz',
  scope: CHOICES,
  questionCount: 3,
  timeLimitMinutes: 10,
  opensAt: new Date(T0.getTime() - MIN),
  closesAt: new Date(T0.getTime() + 60 * MIN),
  attemptsAllowed: 1,
  mode: 'exam',
  ...over,
});

const assign = (over: Partial<AssignmentInput> = {}) => createAssignment({ db: ctx.t.db, userId: ctx.instructor, classId, input: input(over), now: T0 });
const start = (userId: number, assignmentId: number, now = T0) => startAssignment({ db: ctx.t.db, userId, assignmentId, now });

/** The right raw answer of a slot, from the bank and the engine (not from the grader). */
function rightAnswer(itemId: string, seed: number | null, bank = BANK): string {
  const item = bank.find((b) => `tiny/${b.id}` === itemId)!;
  if (item.kind === 'choice') return String(item.answer);
  return getFamily(String(item.family)).generate(createRng(seed!), { difficulty: item.difficulty as 1 | 2 | 3 }).answer.display;
}

async function refusal(p: Promise<unknown>): Promise<Record<string, string>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AssignmentRefused);
  return (err as AssignmentRefused).errors;
}

async function quizRefusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QuizRefused);
  return (err as QuizRefused).message;
}

async function assignmentCount() {
  return (await ctx.t.db.select().from(quizAssignments)).length;
}

describe('creating an assigned quiz', () => {
  it('refuses bad input at the field and saves nothing', async () => {
    await setUp();
    const tz = 'Europe/Paris';
    const form = (fields: Record<string, string>) =>
      parseAssignmentForm(new URLSearchParams({ title: 'Q', questionCount: '3', timeLimitMinutes: '', opensAt: '2026-03-02T10:00', closesAt: '2026-03-02T11:00', attemptsAllowed: '1', mode: 'exam', ...fields }), tz);
    const ok = form({});
    // 10:00 in Paris in March (UTC+1) is 09:00 UTC.
    expect(ok.ok && ok.data.opensAt.toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(ok.ok && ok.data.timeLimitMinutes).toBe(null);
    expect(form({ attemptsAllowed: '0' })).toEqual({ ok: false, errors: { attemptsAllowed: 'attempts: at least 1' } });
    expect(form({ attemptsAllowed: '11' })).toEqual({ ok: false, errors: { attemptsAllowed: 'attempts: at most 10' } });
    expect(form({ questionCount: '51' })).toEqual({ ok: false, errors: { questionCount: 'number of questions: at most 50' } });
    expect(form({ closesAt: '2026-02-30T10:00' })).toEqual({ ok: false, errors: { closesAt: ASSIGNMENT_ERRORS.dateTime } });
    expect(form({ title: ' ' })).toEqual({ ok: false, errors: { title: ASSIGNMENT_ERRORS.title } });

    expect(await refusal(assign({ closesAt: new Date(T0.getTime() - 1) }))).toEqual({ closesAt: ASSIGNMENT_ERRORS.closesInPast(T0) });
    expect(await refusal(assign({ opensAt: new Date(T0.getTime() + 70 * MIN) }))).toEqual({ closesAt: ASSIGNMENT_ERRORS.closesBeforeOpens });
    // Three choice questions match; the basic card never does.
    expect(await refusal(assign({ questionCount: 4 }))).toEqual({ questionCount: ASSIGNMENT_ERRORS.tooMany(3) });
    expect(await refusal(assign({ scope: { banks: ['elsewhere'], topics: [], families: [] } }))).toEqual({ banks: ASSIGNMENT_ERRORS.bankNotPublished('elsewhere') });
    expect(await refusal(assign({ scope: { banks: [], topics: ['resnet'], families: [] } }))).toEqual({ scope: ASSIGNMENT_ERRORS.emptyScope });
    await expect(createAssignment({ db: ctx.t.db, userId: ann, classId, input: input(), now: T0 })).rejects.toBeInstanceOf(AccessDenied);
    expect(await assignmentCount()).toBe(0);
    const quiz = await assign();
    expect(await assignmentCount()).toBe(1);
    expect(quiz).toMatchObject({ classId, questionCount: 3, attemptsAllowed: 1, mode: 'exam' });
  });

  it('edits everything until a student starts, then only the window and attempts', async () => {
    await setUp();
    const quiz = await assign();
    const edit = (over: Partial<AssignmentInput>) => updateAssignment({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, input: input(over), now: T0 });
    expect((await edit({ title: 'Renamed', questionCount: 2 })).questionCount).toBe(2);
    await start(ann, quiz.id);
    expect(await refusal(edit({ title: 'Again', questionCount: 2 }))).toEqual({ title: ASSIGNMENT_ERRORS.locked });
    expect(await refusal(edit({ title: 'Renamed', questionCount: 3 }))).toEqual({ questionCount: ASSIGNMENT_ERRORS.locked });
    const later = new Date(T0.getTime() + 120 * MIN);
    const changed = await edit({ title: 'Renamed', questionCount: 2, closesAt: later, attemptsAllowed: 3 });
    expect([changed.closesAt.toISOString(), changed.attemptsAllowed, changed.title]).toEqual([later.toISOString(), 3, 'Renamed']);
  });
});

describe('the server enforces the window, the attempts and the deadline', () => {
  it('starts only inside the window, the student’s own window when set; a non-member gets 404', async () => {
    await setUp();
    const quiz = await assign({ opensAt: new Date(T0.getTime() + 10 * MIN), closesAt: new Date(T0.getTime() + 20 * MIN) });
    expect(await quizRefusal(start(ann, quiz.id))).toBe(ASSIGNMENT_ERRORS.notOpenYet(new Date(T0.getTime() + 10 * MIN)));
    expect(await quizRefusal(start(ann, quiz.id, new Date(T0.getTime() + 20 * MIN)))).toBe(ASSIGNMENT_ERRORS.closed(new Date(T0.getTime() + 20 * MIN)));
    const outside = await start(outsider, quiz.id, new Date(T0.getTime() + 15 * MIN)).catch((e: unknown) => e);
    expect(outside).toBeInstanceOf(Response);
    expect((outside as Response).status).toBe(404);
    // Ben's own window: from 30 to 90 minutes.
    const own = { studentId: ben, extraTimePercent: 0, opensAt: new Date(T0.getTime() + 30 * MIN), closesAt: new Date(T0.getTime() + 90 * MIN), extraAttempts: 0 };
    const earlier = { ...own, closesAt: new Date(T0.getTime() + 19 * MIN) };
    expect(await refusal(setAccommodation({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, accommodation: earlier, now: T0 }))).toEqual({ closesAt: ASSIGNMENT_ERRORS.ownWindowEarlier(quiz.closesAt) });
    expect(await refusal(setAccommodation({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, accommodation: { ...own, studentId: outsider }, now: T0 }))).toEqual({ studentId: ASSIGNMENT_ERRORS.notMember });
    await setAccommodation({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, accommodation: own, now: T0 });
    expect(await quizRefusal(start(ben, quiz.id, new Date(T0.getTime() + 15 * MIN)))).toBe(ASSIGNMENT_ERRORS.notOpenYet(own.opensAt));
    const late = await start(ben, quiz.id, new Date(T0.getTime() + 45 * MIN));
    expect(late.attempt.assignmentId).toBe(quiz.id);
    expect(await quizRefusal(start(ann, quiz.id, new Date(T0.getTime() + 45 * MIN)))).toBe(ASSIGNMENT_ERRORS.closed(quiz.closesAt));
  });

  it('counts attempts per student, an abandoned one too, a replay not; extra attempts add', async () => {
    await setUp();
    const quiz = await assign({ attemptsAllowed: 2, timeLimitMinutes: 5, mode: 'practice' });
    const first = await start(ann, quiz.id);
    // Resuming: a start while the attempt is open returns it.
    expect(await start(ann, quiz.id, new Date(T0.getTime() + MIN))).toEqual({ attempt: first.attempt, resumed: true });
    // Abandoned: never submitted; once its time ran out a new start is a second attempt.
    const second = await start(ann, quiz.id, new Date(T0.getTime() + 6 * MIN));
    expect(second.resumed).toBe(false);
    expect(second.attempt.id).not.toBe(first.attempt.id);
    await submitQuiz({ db: ctx.t.db, userId: ann, attemptId: second.attempt.id, now: new Date(T0.getTime() + 7 * MIN) });
    // A practice quiz's replay is the student's own quiz: it does not use up an attempt.
    const replay = await replayAttempt({ db: ctx.t.db, userId: ann, attemptId: second.attempt.id, now: new Date(T0.getTime() + 8 * MIN) });
    expect(replay.assignmentId).toBe(null);
    expect(slotsOf(replay)).toEqual(slotsOf(second.attempt));
    expect(await quizRefusal(start(ann, quiz.id, new Date(T0.getTime() + 9 * MIN)))).toBe(ASSIGNMENT_ERRORS.noAttemptsLeft(2));
    // Ben has his own count.
    expect((await start(ben, quiz.id)).resumed).toBe(false);
    await setAccommodation({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, accommodation: { studentId: ann, extraTimePercent: 0, opensAt: null, closesAt: null, extraAttempts: 1 }, now: T0 });
    const third = await start(ann, quiz.id, new Date(T0.getTime() + 10 * MIN));
    expect(third.resumed).toBe(false);
    const rows = await ctx.t.db.select().from(quizAttempts).where(eq(quizAttempts.assignmentId, quiz.id));
    expect(rows.filter((r) => r.userId === ann)).toHaveLength(3);
    const view = await studentAssignment({ db: ctx.t.db, userId: ann, assignmentId: quiz.id, now: new Date(T0.getTime() + 10 * MIN) });
    expect([view.attemptsUsed, view.attemptsAllowed, view.attemptsLeft, view.openAttemptId]).toEqual([3, 3, 0, third.attempt.id]);
  });

  it('two starts at once take one attempt: the second finds the first open and resumes it', async () => {
    await setUp();
    const quiz = await assign({ attemptsAllowed: 1 });
    const [a, b] = await Promise.all([start(ann, quiz.id), start(ann, quiz.id)]);
    expect(a.attempt.id).toBe(b.attempt.id);
    expect([a.resumed, b.resumed].sort()).toEqual([false, true]);
    expect((await ctx.t.db.select().from(quizAttempts).where(eq(quizAttempts.assignmentId, quiz.id))).length).toBe(1);
  });

  it('sets the deadline to min(start + limit × (1 + extra%), close) and refuses answers after it', async () => {
    await setUp();
    const quiz = await assign({ timeLimitMinutes: 10, closesAt: new Date(T0.getTime() + 60 * MIN) });
    await setAccommodation({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, accommodation: { studentId: ben, extraTimePercent: 50, opensAt: null, closesAt: null, extraAttempts: 0 }, now: T0 });
    const a = await start(ann, quiz.id);
    expect(a.attempt.deadlineAt!.toISOString()).toBe(new Date(T0.getTime() + 10 * MIN).toISOString());
    const b = await start(ben, quiz.id);
    expect(b.attempt.deadlineAt!.toISOString()).toBe(new Date(T0.getTime() + 15 * MIN).toISOString());
    // Past the deadline and its grace: refused, and the attempt is submitted at its deadline.
    const late = new Date(T0.getTime() + 10 * MIN + DEADLINE_GRACE_MS + 1);
    await expect(saveAnswers({ db: ctx.t.db, userId: ann, attemptId: a.attempt.id, drafts: [{ position: 0, answer: 'a', flagged: false, timeMs: 1000 }], now: late })).rejects.toBeInstanceOf(QuizRefused);
    const [row] = await ctx.t.db.select().from(quizAttempts).where(eq(quizAttempts.id, a.attempt.id));
    expect(row!.submittedAt!.toISOString()).toBe(a.attempt.deadlineAt!.toISOString());
    // Ben's extra time still runs then.
    expect(await saveAnswers({ db: ctx.t.db, userId: ben, attemptId: b.attempt.id, drafts: [{ position: 0, answer: 'a', flagged: false, timeMs: 1000 }], now: late })).toHaveLength(1);
  });

  it('cuts an attempt short at the window’s close; an untimed quiz ends at the close', async () => {
    await setUp();
    const close = new Date(T0.getTime() + 4 * MIN);
    const timed = await assign({ timeLimitMinutes: 10, closesAt: close });
    expect((await start(ann, timed.id)).attempt.deadlineAt!.toISOString()).toBe(close.toISOString());
    const untimed = await assign({ timeLimitMinutes: null, closesAt: close });
    expect((await start(ann, untimed.id)).attempt.deadlineAt!.toISOString()).toBe(close.toISOString());
  });
});

describe('each student’s own draw', () => {
  it('draws items and seeds per student, stored, so each question is rebuilt exactly from them', async () => {
    await setUp();
    const quiz = await assign({ scope: { banks: [], topics: [], families: ['conv-output-size', 'conv-params'] }, questionCount: 2, mode: 'exam' });
    const a = (await start(ann, quiz.id)).attempt;
    const b = (await start(ben, quiz.id)).attempt;
    const seedsOf = (x: typeof a) => slotsOf(x).map((s) => s.seed);
    expect(slotsOf(a).map((s) => s.itemId).sort()).toEqual(['tiny/g1', 'tiny/g2']);
    expect(seedsOf(a).every((s) => Number.isInteger(s))).toBe(true);
    // Two students drawing the same two 31-bit seeds: about 1 in 4e18.
    expect(seedsOf(a)).not.toEqual(seedsOf(b));
    // Ann answers every question from the engine's own variant of the stored seed: all right.
    const drafts = slotsOf(a).map((s, position) => ({ position, answer: rightAnswer(s.itemId, s.seed), flagged: false, timeMs: 1000 }));
    await submitQuiz({ db: ctx.t.db, userId: ann, attemptId: a.id, drafts, now: new Date(T0.getTime() + MIN) });
    const page = await quizPage({ db: ctx.t.db, userId: ann, attemptId: a.id, now: new Date(T0.getTime() + MIN) });
    expect(page.state === 'results' && page.score).toEqual({ correct: 2, total: 2, percent: 100 });
    expect(page.state === 'results' && page.questions.map((q) => q.seed)).toEqual(seedsOf(a));
  });

  it('exam mode: right or wrong after submission, the correct answers only once the window has closed for everyone', async () => {
    await setUp();
    const close = new Date(T0.getTime() + 30 * MIN);
    const quiz = await assign({ closesAt: close });
    await setAccommodation({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, accommodation: { studentId: ben, extraTimePercent: 0, opensAt: null, closesAt: new Date(T0.getTime() + 45 * MIN), extraAttempts: 0 }, now: T0 });
    const a = (await start(ann, quiz.id)).attempt;
    const taking = await quizPage({ db: ctx.t.db, userId: ann, attemptId: a.id, now: T0 });
    expect(taking.state).toBe('taking');
    await submitQuiz({ db: ctx.t.db, userId: ann, attemptId: a.id, drafts: [{ position: 0, answer: 'a', flagged: false, timeMs: 500 }], now: new Date(T0.getTime() + MIN) });
    const at = async (minutes: number) => {
      const page = await quizPage({ db: ctx.t.db, userId: ann, attemptId: a.id, now: new Date(T0.getTime() + minutes * MIN) });
      if (page.state !== 'results') throw new Error('expected results');
      return page;
    };
    const before = await at(40);
    expect(before.assigned).toMatchObject({ answersHidden: true, revealAt: new Date(T0.getTime() + 45 * MIN) });
    expect(before.questions.map((q) => [q.graded.answerHtml, q.graded.explanationHtml])).toEqual([['', ''], ['', ''], ['', '']]);
    expect(before.questions[0]!.graded.readAs).toBe('chose a');
    await expect(replayAttempt({ db: ctx.t.db, userId: ann, attemptId: a.id, now: new Date(T0.getTime() + 40 * MIN) })).rejects.toBeInstanceOf(QuizRefused);
    const after = await at(45);
    expect(after.assigned!.answersHidden).toBe(false);
    expect(after.questions.every((q) => q.graded.answerHtml.length > 0)).toBe(true);
  });
});

describe('regrades', () => {
  /** Ann: q1 right, q2 wrong, q3 right (2/3); Ben: all three wrong (0/3). */
  async function twoSubmitted() {
    await setUp();
    const quiz = await assign({ attemptsAllowed: 1 });
    const answersOf: Record<number, Record<string, string>> = { [ann]: { 'tiny/q1': 'a', 'tiny/q2': 'b', 'tiny/q3': 'b' }, [ben]: { 'tiny/q1': 'b', 'tiny/q2': 'b', 'tiny/q3': 'a' } };
    const attempts: Record<number, number> = {};
    for (const u of [ann, ben]) {
      const { attempt } = await start(u, quiz.id);
      const drafts = slotsOf(attempt).map((s, position) => ({ position, answer: answersOf[u]![s.itemId]!, flagged: false, timeMs: 1000 * (position + 1) }));
      await submitQuiz({ db: ctx.t.db, userId: u, attemptId: attempt.id, drafts, now: new Date(T0.getTime() + 2 * MIN) });
      attempts[u] = attempt.id;
    }
    return { quiz, attempts };
  }

  const NOW = new Date(T0.getTime() + 5 * MIN);

  async function scores(quizId: number, attempts: Record<number, number>) {
    const results = await assignmentResults({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quizId, now: NOW });
    const out: Record<string, unknown> = {};
    for (const [name, u] of [['ann', ann], ['ben', ben]] as const) {
      const page = await quizPage({ db: ctx.t.db, userId: u, attemptId: attempts[u]!, now: NOW });
      const history = (await listAttempts({ db: ctx.t.db, userId: u, now: NOW })).find((h) => h.id === attempts[u]);
      const dashboard = (await assignedQuizzes({ db: ctx.t.db, userId: u, now: NOW })).done[0];
      const instructorView = results.students.find((s) => s.userId === u)!;
      const s = page.state === 'results' ? page.score : null;
      // The same score on the student's page, their history, their dashboard and the instructor's results.
      expect(history?.correct).toBe(s?.correct);
      expect(history?.percent).toBe(s?.percent);
      expect(dashboard?.best).toEqual(s);
      expect(instructorView.best).toEqual(s);
      out[name] = s && `${s.correct}/${s.total}`;
    }
    return { ...out, questions: Object.fromEntries(results.questions.map((q) => [q.itemId, q.percentCorrect])) };
  }

  it('credit, drop and regrade: exact scores before and after, everywhere', async () => {
    const { quiz, attempts } = await twoSubmitted();
    expect(await scores(quiz.id, attempts)).toEqual({ ann: '2/3', ben: '0/3', questions: { 'tiny/q1': 50, 'tiny/q2': 0, 'tiny/q3': 50 } });
    const regrade = (itemId: string, action: 'credit' | 'drop' | 'regrade', reason: string) => regradeQuestion({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, itemId, action, reason, now: NOW });

    expect(await regrade('tiny/q2', 'credit', 'Both options were defensible')).toEqual({ changed: 2, answers: 2 });
    expect(await scores(quiz.id, attempts)).toEqual({ ann: '3/3', ben: '1/3', questions: { 'tiny/q1': 50, 'tiny/q2': 100, 'tiny/q3': 50 } });

    expect(await regrade('tiny/q1', 'drop', 'The year was in the prompt')).toEqual({ changed: 2, answers: 2 });
    expect(await scores(quiz.id, attempts)).toEqual({ ann: '2/2', ben: '1/2', questions: { 'tiny/q1': null, 'tiny/q2': 100, 'tiny/q3': 50 } });

    // The bank is mended: q3's key said GoogLeNet; the instructor decides VGG was meant ("classification" winner wording).
    const mended = BANK.map((it) => (it.id === 'q3' ? { ...it, answer: 'a' } : it));
    await loadContentBank({ db: ctx.t.db, bank: { id: 'tiny', title: 'Tiny bank', items: mended }, now: NOW });
    expect(await regrade('tiny/q3', 'regrade', 'The key was wrong')).toEqual({ changed: 2, answers: 2 });
    expect(await scores(quiz.id, attempts)).toEqual({ ann: '1/2', ben: '2/2', questions: { 'tiny/q1': null, 'tiny/q2': 100, 'tiny/q3': 50 } });

    const rows = await ctx.t.db.select().from(quizRegrades).where(eq(quizRegrades.assignmentId, quiz.id));
    expect(rows.map((r) => [r.itemId, r.action, r.changed, r.by])).toEqual([
      ['tiny/q2', 'credit', 2, ctx.instructor],
      ['tiny/q1', 'drop', 2, ctx.instructor],
      ['tiny/q3', 'regrade', 2, ctx.instructor],
    ]);
    const answers = await ctx.t.db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attempts[ann]!));
    const byItem = Object.fromEntries(answers.map((a) => [a.itemId, [a.correct, a.regradedCorrect, a.dropped]]));
    expect(byItem).toEqual({ 'tiny/q1': [true, null, true], 'tiny/q2': [false, true, false], 'tiny/q3': [true, false, false] });
    // The student sees which question was regraded and why.
    const page = await quizPage({ db: ctx.t.db, userId: ann, attemptId: attempts[ann]!, now: NOW });
    expect(page.state === 'results' && page.questions.find((q) => q.itemId === 'tiny/q1')!.regrade).toMatchObject({ action: 'drop', reason: 'The year was in the prompt' });
    // Regrading again changes nothing more.
    expect(await regrade('tiny/q3', 'regrade', 'Checked again')).toEqual({ changed: 0, answers: 2 });
  });

  it('a regrade is one transaction: when its record cannot be written, no answer changes', async () => {
    const { quiz } = await twoSubmitted();
    const before = await allRows(ctx.t, 'quiz_answers');
    // refuseWrites names its tables for the other tests; the trigger it makes works on any.
    await refuseWrites(ctx.t, 'quiz_regrades' as 'reviews', 'insert');
    const err = await regradeQuestion({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, itemId: 'tiny/q2', action: 'credit', reason: 'x', now: NOW }).catch((e: unknown) => e);
    expect(isInjectedFailure(err)).toBe(true);
    expect(await allRows(ctx.t, 'quiz_answers')).toEqual(before);
    expect((await ctx.t.db.select().from(quizRegrades)).length).toBe(0);
  });

  it('per question: drawn, answered, median time and the most common wrong reading; an attempt submitted later gets the standing regrade', async () => {
    const { quiz } = await twoSubmitted();
    const results = await assignmentResults({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, now: NOW });
    const q2 = results.questions.find((q) => q.itemId === 'tiny/q2')!;
    expect([q2.drawn, q2.answered, q2.commonWrong]).toEqual([2, 2, { readAs: 'chose b', count: 2 }]);
    expect(results.students.map((s) => [s.displayName, s.attempts, s.lastTimeMs])).toEqual([
      ['Ann', 1, 6000],
      ['Ben', 1, 6000],
    ]);
    await regradeQuestion({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, itemId: 'tiny/q2', action: 'credit', reason: 'Ambiguous', now: NOW });
    // A student who joins later takes it after the regrade, leaving q2 blank: credited.
    const cy = await addUser(ctx.t.db, { email: 'cy@example.test', displayName: 'Cy' });
    const [c] = await ctx.t.db.select().from(classes).where(eq(classes.id, quiz.classId));
    await joinClass({ db: ctx.t.db, userId: cy, joinCode: c!.joinCode, now: new Date(0) });
    const { attempt } = await start(cy, quiz.id, NOW);
    await submitQuiz({ db: ctx.t.db, userId: cy, attemptId: attempt.id, drafts: [], now: new Date(NOW.getTime() + MIN) });
    const page = await quizPage({ db: ctx.t.db, userId: cy, attemptId: attempt.id, now: new Date(NOW.getTime() + MIN) });
    expect(page.state === 'results' && page.score).toEqual({ correct: 1, total: 3, percent: 33.3 });
    await expect(regradeQuestion({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, itemId: 'tiny/g1', action: 'credit', reason: 'x', now: NOW })).rejects.toBeInstanceOf(AssignmentRefused);
    await expect(regradeQuestion({ db: ctx.t.db, userId: ann, assignmentId: quiz.id, itemId: 'tiny/q2', action: 'credit', reason: 'x', now: NOW })).rejects.toBeInstanceOf(AccessDenied);
  });
});
