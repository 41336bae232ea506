/**
 * The class exports (issue 18), on both engines: the gradebook CSV read back with csv-parse gives
 * the database's scores (computed here from the stored answers, not by the gradebook), a name with
 * a comma, quotes and a line break survives, a regrade changes the exported score, and the
 * answers and activity files hold exact figures. Refusals as the class page's.
 */
import { parse } from 'csv-parse/sync';
import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cards, quizAnswers, quizAttempts, reviews } from '../../db/schema';
import { AccessDenied } from '../../app/models/access.server';
import { loadContentBank, type BankItemInput } from '../../app/models/bank.server';
import { createClass, joinClass, publishBankToClass } from '../../app/models/class.server';
import { createAssignment, regradeQuestion, startAssignment, type AssignmentInput } from '../../app/models/assignment.server';
import { cardColumnsOf } from '../../app/models/card.server';
import { activityCsv, answersCsv, classActivity, classAnswerLines, classGradebook, gradebookCsv } from '../../app/models/gradebook.server';
import { slotsOf, submitQuiz } from '../../app/models/quiz.server';
import { newCardState } from '../../app/scheduling/scheduler';
import { writeCsv } from '../../app/csv';
import { addUser, eachTestWithInstructor } from './fixture';

const T0 = new Date('2026-03-02T09:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const TRICKY_NAME = 'Doe, "JJ"\nJr';

const BANK: BankItemInput[] = [
  { id: 'q1', kind: 'choice', topic: 'alexnet', tags: [], question: 'Year of AlexNet?', options: [{ key: 'a', text: '2012' }, { key: 'b', text: '2014' }], answer: 'a', explanation: 'ILSVRC 2012.' },
  { id: 'q2', kind: 'choice', topic: 'vgg', tags: [], question: 'VGG kernel size?', options: [{ key: 'a', text: '3×3' }, { key: 'b', text: '7×7' }], answer: 'a', explanation: 'Only 3×3.' },
  { id: 'q3', kind: 'choice', topic: 'history', tags: [], question: 'Winner of 2014?', options: [{ key: 'a', text: 'VGG' }, { key: 'b', text: 'GoogLeNet' }], answer: 'b', explanation: 'GoogLeNet won.' },
  { id: 'b1', kind: 'basic', topic: 'alexnet', tags: [], front: 'Who built AlexNet?', back: 'Krizhevsky et al.' },
];

const ctx = eachTestWithInstructor();

const input = (over: Partial<AssignmentInput> = {}): AssignmentInput => ({
  title: 'Week 3, "the" quiz',
  scope: { banks: ['tiny'], topics: ['alexnet', 'vgg', 'history'], families: [] },
  questionCount: 3,
  timeLimitMinutes: 10,
  opensAt: new Date(T0.getTime() - MIN),
  closesAt: new Date(T0.getTime() + 60 * MIN),
  attemptsAllowed: 2,
  mode: 'practice',
  ...over,
});

/** Ann (the tricky name) 2/3 then 3/3; Ben 0/3; Cy never starts. Two quizzes, the second untaken. */
async function setUp() {
  const db = ctx.t.db;
  await loadContentBank({ db, bank: { id: 'tiny', title: 'Tiny bank', items: BANK }, now: new Date(0) });
  const cls = await createClass({ db, userId: ctx.instructor, name: 'CNNs, spring', now: new Date(0) });
  await publishBankToClass({ db, userId: ctx.instructor, classId: cls.id, bankId: 'tiny', now: new Date(0) });
  const ann = await addUser(db, { email: 'ann@example.test', displayName: TRICKY_NAME });
  const ben = await addUser(db, { email: 'ben@example.test', displayName: '=Ben+1' });
  const cy = await addUser(db, { email: 'cy@example.test', displayName: 'Cy' });
  for (const u of [ann, ben, cy]) await joinClass({ db, userId: u, joinCode: cls.joinCode, now: new Date(0) });
  const quiz = await createAssignment({ db, userId: ctx.instructor, classId: cls.id, input: input(), now: T0 });
  const later = await createAssignment({ db, userId: ctx.instructor, classId: cls.id, input: input({ title: 'Week 4', opensAt: new Date(T0.getTime() + MIN) }), now: T0 });
  const take = async (u: number, answers: Record<string, string>, at: number) => {
    const { attempt } = await startAssignment({ db, userId: u, assignmentId: quiz.id, now: new Date(T0.getTime() + at * MIN) });
    const drafts = slotsOf(attempt).map((s, position) => ({ position, answer: answers[s.itemId]!, flagged: false, timeMs: 1500 * (position + 1) }));
    await submitQuiz({ db, userId: u, attemptId: attempt.id, drafts, now: new Date(T0.getTime() + (at + 2) * MIN) });
  };
  await take(ann, { 'tiny/q1': 'a', 'tiny/q2': 'b', 'tiny/q3': 'b' }, 0);
  await take(ann, { 'tiny/q1': 'a', 'tiny/q2': 'a', 'tiny/q3': 'b' }, 5);
  await take(ben, { 'tiny/q1': 'b', 'tiny/q2': 'b', 'tiny/q3': 'a' }, 0);
  return { classId: cls.id, quiz, later, ann, ben, cy };
}

const NOW = new Date(T0.getTime() + 30 * MIN);

/** Best percent per student from the stored answers, computed here (regrades: dropped out, regradedCorrect over correct). */
async function bestFromDatabase(): Promise<Map<number, number>> {
  const db = ctx.t.db;
  const attempts = await db.select().from(quizAttempts);
  const answers = await db.select().from(quizAnswers).where(inArray(quizAnswers.attemptId, attempts.map((a) => a.id)));
  const best = new Map<number, number>();
  for (const a of attempts) {
    const mine = answers.filter((x) => x.attemptId === a.id && !x.dropped);
    const right = mine.filter((x) => x.regradedCorrect ?? x.correct).length;
    const percent = Math.round((1000 * right) / mine.length) / 10;
    best.set(a.userId, Math.max(best.get(a.userId) ?? 0, percent));
  }
  return best;
}

function readBack(csv: string): string[][] {
  expect(csv.startsWith('\ufeff')).toBe(true);
  return parse(csv, { bom: true }) as string[][];
}

describe('the gradebook CSV', () => {
  it("has Canvas's columns and Points Possible row, and reads back to the database's scores", async () => {
    const { classId, quiz, later, ann, ben } = await setUp();
    const rows = readBack(gradebookCsv(await classGradebook({ db: ctx.t.db, userId: ctx.instructor, classId, now: NOW })));
    expect(rows[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', `Week 3, "the" quiz (${quiz.id})`, `Week 4 (${later.id})`]);
    expect(rows[1]).toEqual(['    Points Possible', '', '', '', '', '100', '100']);
    const best = await bestFromDatabase();
    expect(best.get(ann)).toBe(100);
    expect(best.get(ben)).toBe(0);
    // Members by name; the tricky name survives whole; a formula-looking name is defused.
    expect(rows.slice(2)).toEqual([
      ["'=Ben+1", '', '', 'ben@example.test', 'CNNs, spring', String(best.get(ben)), ''],
      ['Cy', '', '', 'cy@example.test', 'CNNs, spring', '', ''],
      [TRICKY_NAME, '', '', 'ann@example.test', 'CNNs, spring', String(best.get(ann)), ''],
    ]);
  });

  it('a regrade changes the exported score', async () => {
    const { classId, quiz, ben } = await setUp();
    const scoreOf = async (email: string) => {
      const rows = readBack(gradebookCsv(await classGradebook({ db: ctx.t.db, userId: ctx.instructor, classId, now: NOW })));
      return rows.find((r) => r[3] === email)![5];
    };
    expect(await scoreOf('ben@example.test')).toBe('0');
    await regradeQuestion({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, itemId: 'tiny/q2', action: 'credit', reason: 'Both defensible', now: NOW });
    expect(await scoreOf('ben@example.test')).toBe('33.3');
    await regradeQuestion({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, itemId: 'tiny/q1', action: 'drop', reason: 'Give-away', now: NOW });
    expect(await scoreOf('ben@example.test')).toBe('50');
    expect((await bestFromDatabase()).get(ben)).toBe(50);
  });

  it("refused as the class page refuses: another instructor's class and a class that does not exist alike (403)", async () => {
    const { classId } = await setUp();
    const other = await addUser(ctx.t.db, { email: 'olga@example.test', role: 'instructor' });
    await expect(classGradebook({ db: ctx.t.db, userId: other, classId, now: NOW })).rejects.toBeInstanceOf(AccessDenied);
    await expect(classGradebook({ db: ctx.t.db, userId: ctx.instructor, classId: classId + 999, now: NOW })).rejects.toBeInstanceOf(AccessDenied);
    await expect(classActivity({ db: ctx.t.db, userId: other, classId, now: NOW })).rejects.toBeInstanceOf(AccessDenied);
    await expect(classAnswerLines({ db: ctx.t.db, userId: other, classId, now: NOW })).rejects.toBeInstanceOf(AccessDenied);
  });
});

describe('the answers CSV', () => {
  it('one row per question of every submitted attempt, scores after regrades', async () => {
    const { classId, quiz } = await setUp();
    await regradeQuestion({ db: ctx.t.db, userId: ctx.instructor, assignmentId: quiz.id, itemId: 'tiny/q1', action: 'drop', reason: 'Give-away', now: NOW });
    const rows = readBack(answersCsv(await classAnswerLines({ db: ctx.t.db, userId: ctx.instructor, classId, now: NOW })));
    expect(rows[0]).toEqual(['Student', 'Email', 'Quiz', 'Attempt', 'Started', 'Submitted', 'Question', 'Item', 'Answer', 'Correct as graded', 'Regrade', 'Score', 'Time (s)']);
    const body = rows.slice(1);
    expect(body).toHaveLength(9);
    // Per (student, attempt, item): [answer, correct, regrade, score].
    const key = (r: string[]) => `${r[1]}#${r[3]} ${r[7]}`;
    const got = Object.fromEntries(body.map((r) => [key(r), [r[8], r[9], r[10], r[11]]]));
    expect(got).toEqual({
      'ann@example.test#1 tiny/q1': ['a', 'yes', 'drop', ''],
      'ann@example.test#1 tiny/q2': ['b', 'no', '', '0'],
      'ann@example.test#1 tiny/q3': ['b', 'yes', '', '1'],
      'ann@example.test#2 tiny/q1': ['a', 'yes', 'drop', ''],
      'ann@example.test#2 tiny/q2': ['a', 'yes', '', '1'],
      'ann@example.test#2 tiny/q3': ['b', 'yes', '', '1'],
      'ben@example.test#1 tiny/q1': ['b', 'no', 'drop', ''],
      'ben@example.test#1 tiny/q2': ['b', 'no', '', '0'],
      'ben@example.test#1 tiny/q3': ['a', 'no', '', '0'],
    });
    // Time: 1.5 s per position, as saved.
    expect(body.map((r) => Number(r[12]) / Number(r[6]))).toEqual(Array(9).fill(1.5));
    expect(body.find((r) => r[1] === 'ann@example.test')![0]).toBe(TRICKY_NAME);
  });
});

describe('the activity CSV', () => {
  it('reviews, study days, retention and streak per student over the window', async () => {
    const { classId, ann, ben } = await setUp();
    const db = ctx.t.db;
    const now = new Date('2026-03-20T12:00:00Z');
    const state = newCardState(now);
    const [card] = await db.insert(cards).values({ userId: ann, itemId: 'tiny/b1', ...cardColumnsOf(state) }).returning({ id: cards.id });
    const json = JSON.stringify(state);
    // Ann: the last 3 days, 2 reviews a day (one Again each day), and one 40 days ago (outside 28 days).
    const ratings = [1, 3, 1, 4, 1, 3];
    const at = [3, 3, 2, 2, 1, 1].map((d, i) => new Date(now.getTime() - d * DAY + i * MIN));
    const rows = [...ratings.map((rating, i) => ({ rating, reviewedAt: at[i]! })), { rating: 3, reviewedAt: new Date(now.getTime() - 40 * DAY) }].map((r, i) => ({
      userId: ann, clientReviewId: `r${i}`, itemId: 'tiny/b1', cardId: card!.id, rawAnswer: '', correct: r.rating > 1, rating: r.rating, suggestedRating: 3, durationMs: 1000, stateBefore: json, stateAfter: json, reviewedAt: r.reviewedAt,
    }));
    await db.insert(reviews).values(rows);
    const parsed = readBack(activityCsv(await classActivity({ db, userId: ctx.instructor, classId, now, days: 28 })));
    expect(parsed[0]).toEqual(['Student', 'Email', 'From', 'To', 'Reviews', 'Days studied', 'Recalled', 'Retention (%)', 'Streak (days)', 'Last review']);
    const byEmail = Object.fromEntries(parsed.slice(1).map((r) => [r[1], r.slice(4, 9)]));
    // No review today yet: the streak counts back from yesterday (the dashboard's rule).
    expect(byEmail['ann@example.test']).toEqual(['6', '3', '3', '50', '3']);
    expect(byEmail['ben@example.test']).toEqual(['0', '0', '0', '', '0']);
    expect(ben).toBeGreaterThan(0);
    const wide = readBack(activityCsv(await classActivity({ db, userId: ctx.instructor, classId, now, days: 90 })));
    expect(wide.find((r) => r[1] === 'ann@example.test')!.slice(4, 7)).toEqual(['7', '4', '4']);
  });
});

describe('the CSV writer', () => {
  it('quotes what needs it, guards formulas, keeps numbers, and csv-parse reads every cell back', () => {
    const cells = ['plain', 'a,b', 'say "hi"', 'two\nlines', '=SUM(A1)', '+1', '-x', '@me', '\tTab', 'ok=fine', ''];
    const text = writeCsv([cells, [1, -2, 3.5, null, undefined]]);
    const [first, second] = parse(text, { bom: true, relax_column_count: true }) as string[][];
    expect(first).toEqual(['plain', 'a,b', 'say "hi"', 'two\nlines', "'=SUM(A1)", "'+1", "'-x", "'@me", "'\tTab", 'ok=fine', '']);
    expect(second).toEqual(['1', '-2', '3.5', '', '']);
    expect(text.endsWith('\r\n')).toBe(true);
  });
});
