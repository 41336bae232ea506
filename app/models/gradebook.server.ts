/**
 * A class's results as files for an LMS (issue 18; docs/decisions/0032-csv-anki-gradebook.md):
 * the gradebook (Canvas's CSV gradebook columns: one row per student, one column per assigned
 * quiz, a "Points Possible" row), every answer of every attempt, and the review activity.
 *
 * Scores are the quizzes' own (assignmentResults: regrades and drops applied, expired attempts
 * closed); retention and streak are the dashboard's and the stats' functions. Nothing is scored here.
 */
import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { classBanks, items, quizAnswers, quizAssignments, quizAttempts, reviews, users } from '../../db/schema';
import { studyDay } from '../scheduling/study-day';
import { isRecalled, passFail } from '../stats/retention';
import { writeCsv, type CsvCell } from '../csv';
import { ACTIVITY_WINDOWS_DAYS, DEFAULT_ACTIVITY_WINDOW } from '../gradebook-windows';
import { assignmentResults, classQuizzes } from './assignment.server';
import { getTaughtClass } from './class.server';
import { streakOf } from './dashboard.server';
import { closeExpiredAttempts, scoredAnswer, slotsOf, type AnswerRow } from './quiz.server';

/** The column headings, kept together (and translatable): Canvas reads the first five by name. */
export const GRADEBOOK_COLUMNS = {
  student: 'Student',
  id: 'ID',
  sisUserId: 'SIS User ID',
  sisLoginId: 'SIS Login ID',
  section: 'Section',
  pointsPossible: '    Points Possible',
} as const;

export const DETAIL_COLUMNS = ['Student', 'Email', 'Quiz', 'Attempt', 'Started', 'Submitted', 'Question', 'Item', 'Answer', 'Correct as graded', 'Regrade', 'Score', 'Time (s)'] as const;
export const ACTIVITY_COLUMNS = ['Student', 'Email', 'From', 'To', 'Reviews', 'Days studied', 'Recalled', 'Retention (%)', 'Streak (days)', 'Last review'] as const;

/** A quiz's column: "title (id)", as Canvas names an assignment column. */
export function quizColumn(q: { title: string; id: number }): string {
  return `${q.title} (${q.id})`;
}

/** Scores are percentages (0–100, one decimal), so every quiz's Points Possible is 100. */
export const POINTS_POSSIBLE = 100;

export interface GradebookRow {
  userId: number;
  displayName: string;
  email: string;
  /** Per quiz (the order of `quizzes`): the best submitted attempt's percent, null when none. */
  scores: (number | null)[];
}

export interface Gradebook {
  className: string;
  quizzes: { id: number; title: string }[];
  students: GradebookRow[];
}

/**
 * The class's gradebook: per student, per assigned quiz, the BEST submitted attempt's score
 * (percent, regrades applied): what a student may retake to improve. 404 / AccessDenied as the class page.
 */
export async function classGradebook({ db = getDb(), userId, classId, now }: { db?: Db; userId: number; classId: number; now: Date }): Promise<Gradebook> {
  const taught = await getTaughtClass({ db, userId, classId });
  const quizzes = (await classQuizzes({ db, userId, classId })).sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime() || a.id - b.id);
  const results = await Promise.all(quizzes.map((q) => assignmentResults({ db, userId, assignmentId: q.id, now })));
  const best = results.map((r) => new Map(r.students.map((s) => [s.userId, s.best?.percent ?? null])));
  return {
    className: taught.class.name,
    quizzes: quizzes.map((q) => ({ id: q.id, title: q.title })),
    students: taught.members.map((m) => ({ userId: m.id, displayName: m.displayName, email: m.email, scores: best.map((b) => b.get(m.id) ?? null) })),
  };
}

/**
 * The gradebook as Canvas's CSV: ID and SIS User ID are left empty (Stride does not know the
 * LMS's ids) and SIS Login ID is the student's email, which Canvas matches on; Section is the class.
 */
export function gradebookCsv(book: Gradebook): string {
  const c = GRADEBOOK_COLUMNS;
  const rows: CsvCell[][] = [
    [c.student, c.id, c.sisUserId, c.sisLoginId, c.section, ...book.quizzes.map(quizColumn)],
    [c.pointsPossible, '', '', '', '', ...book.quizzes.map(() => POINTS_POSSIBLE)],
    ...book.students.map((s) => [s.displayName, '', '', s.email, book.className, ...s.scores]),
  ];
  return writeCsv(rows);
}

export interface AnswerLine {
  displayName: string;
  email: string;
  quiz: string;
  attempt: number;
  startedAt: Date;
  submittedAt: Date;
  position: number;
  itemId: string;
  rawAnswer: string;
  correct: boolean;
  regrade: 'credit' | 'drop' | null;
  /** 1 or 0 as the score counts it (regrades applied); null when the question is dropped. */
  score: 0 | 1 | null;
  timeMs: number;
}

/** Every question of every submitted attempt of the class's quizzes, in student, quiz, attempt order. */
export async function classAnswerLines({ db = getDb(), userId, classId, now }: { db?: Db; userId: number; classId: number; now: Date }): Promise<AnswerLine[]> {
  const taught = await getTaughtClass({ db, userId, classId });
  const quizzes = await db.select().from(quizAssignments).where(eq(quizAssignments.classId, classId));
  if (quizzes.length === 0) return [];
  const title = new Map(quizzes.map((q) => [q.id, quizColumn(q)]));
  const attempts = (await closeExpiredAttempts(db, await db.select().from(quizAttempts).where(inArray(quizAttempts.assignmentId, quizzes.map((q) => q.id))).orderBy(asc(quizAttempts.startedAt), asc(quizAttempts.id)), now)).filter((a) => a.submittedAt);
  const answers = attempts.length ? await db.select().from(quizAnswers).where(inArray(quizAnswers.attemptId, attempts.map((a) => a.id))) : [];
  const byAttempt = new Map<number, Map<number, AnswerRow>>();
  for (const a of answers) byAttempt.set(a.attemptId, (byAttempt.get(a.attemptId) ?? new Map()).set(a.position, a));
  const members = new Map(taught.members.map((m, i) => [m.id, { ...m, order: i }]));
  const numbered = new Map<string, number>();
  const lines: (AnswerLine & { order: number })[] = [];
  for (const attempt of attempts) {
    const member = members.get(attempt.userId);
    if (!member) continue; // left the class: not in its gradebook
    const key = `${attempt.userId}|${attempt.assignmentId}`;
    const n = (numbered.get(key) ?? 0) + 1;
    numbered.set(key, n);
    for (const [position, slot] of slotsOf(attempt).entries()) {
      const a = byAttempt.get(attempt.id)?.get(position);
      // A question with no answer row counts wrong, as scoreOf counts it.
      const scored = a ? scoredAnswer(a) : { counted: true, correct: false };
      lines.push({
        order: member.order,
        displayName: member.displayName,
        email: member.email,
        quiz: title.get(attempt.assignmentId!)!,
        attempt: n,
        startedAt: attempt.startedAt,
        submittedAt: attempt.submittedAt!,
        position: position + 1,
        itemId: slot.itemId,
        rawAnswer: a?.rawAnswer ?? '',
        correct: a?.correct ?? false,
        regrade: a?.dropped ? 'drop' : a?.regradedCorrect === true && !a.correct ? 'credit' : null,
        score: scored.counted ? (scored.correct ? 1 : 0) : null,
        timeMs: a?.timeMs ?? 0,
      });
    }
  }
  lines.sort((x, y) => x.order - y.order || x.quiz.localeCompare(y.quiz) || x.attempt - y.attempt || x.position - y.position);
  return lines.map(({ order: _order, ...line }) => line);
}

const YES_NO = { yes: 'yes', no: 'no' } as const;

export function answersCsv(lines: readonly AnswerLine[]): string {
  return writeCsv([
    [...DETAIL_COLUMNS],
    ...lines.map((l) => [l.displayName, l.email, l.quiz, l.attempt, l.startedAt.toISOString(), l.submittedAt.toISOString(), l.position, l.itemId, l.rawAnswer, l.correct ? YES_NO.yes : YES_NO.no, l.regrade ?? '', l.score, Math.round(l.timeMs / 100) / 10]),
  ]);
}

export interface ActivityRow {
  displayName: string;
  email: string;
  from: string;
  to: string;
  reviews: number;
  daysStudied: number;
  recalled: number;
  /** Recalled / reviews in the window (any rating above Again), percent with one decimal; null without reviews. */
  retention: number | null;
  /** The dashboard's streak, to the end of the window. */
  streak: number;
  lastReviewAt: Date | null;
}

/** Activity windows offered (days; app/gradebook-windows.ts, which the class page reads too). */
export const ACTIVITY_WINDOWS = ACTIVITY_WINDOWS_DAYS;
export const DEFAULT_ACTIVITY_DAYS = DEFAULT_ACTIVITY_WINDOW;
const DAY_MS = 86_400_000;

/**
 * Each member's reviews of the class's banks over the last `days` days: count, study days,
 * retention (share recalled) and streak, study days in the student's own time zone.
 */
export async function classActivity({ db = getDb(), userId, classId, now, days = DEFAULT_ACTIVITY_DAYS }: { db?: Db; userId: number; classId: number; now: Date; days?: number }): Promise<ActivityRow[]> {
  const taught = await getTaughtClass({ db, userId, classId });
  const bankIds = (await db.select({ bankId: classBanks.bankId }).from(classBanks).where(eq(classBanks.classId, classId))).map((b) => b.bankId);
  const memberIds = taught.members.map((m) => m.id);
  const from = new Date(now.getTime() - days * DAY_MS);
  const zones = new Map(memberIds.length ? (await db.select({ id: users.id, timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(inArray(users.id, memberIds))).map((u) => [u.id, u]) : []);
  const rows =
    memberIds.length && bankIds.length
      ? await db
          .select({ userId: reviews.userId, rating: reviews.rating, reviewedAt: reviews.reviewedAt })
          .from(reviews)
          .innerJoin(items, eq(items.id, reviews.itemId))
          .where(and(inArray(reviews.userId, memberIds), inArray(items.bankId, bankIds), gte(reviews.reviewedAt, from), lt(reviews.reviewedAt, now)))
          .orderBy(asc(reviews.reviewedAt))
      : [];
  const byUser = new Map<number, typeof rows>();
  for (const r of rows) {
    const list = byUser.get(r.userId);
    if (list) list.push(r);
    else byUser.set(r.userId, [r]);
  }
  return taught.members.map((m): ActivityRow => {
    const zone = zones.get(m.id);
    const dayOf = (t: Date) => studyDay(t, zone?.timeZone ?? 'UTC', zone?.rolloverHour ?? 4);
    const mine = byUser.get(m.id) ?? [];
    const studied = new Set(mine.map((r) => dayOf(r.reviewedAt)));
    const recalled = mine.filter((r) => isRecalled(r.rating)).length;
    const rate = passFail(recalled, mine.length - recalled).rate;
    return {
      displayName: m.displayName,
      email: m.email,
      from: dayOf(from),
      to: dayOf(now),
      reviews: mine.length,
      daysStudied: studied.size,
      recalled,
      retention: rate === null ? null : Math.round(rate * 1000) / 10,
      streak: streakOf(studied, dayOf(now)),
      lastReviewAt: mine.at(-1)?.reviewedAt ?? null,
    };
  });
}

export function activityCsv(rows: readonly ActivityRow[]): string {
  return writeCsv([
    [...ACTIVITY_COLUMNS],
    ...rows.map((r) => [r.displayName, r.email, r.from, r.to, r.reviews, r.daysStudied, r.recalled, r.retention, r.streak, r.lastReviewAt?.toISOString() ?? '']),
  ]);
}

/** A file name from the class name: letters, digits and dashes only. */
export function exportFileName(className: string, what: string): string {
  const base = className.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'class';
  return `${base}-${what}.csv`;
}

/** The class id of a route's `$id`: 404 when it is not a number (as the class page); the model refuses a class not yours (403). */
export function classIdParam(param: string | undefined): number {
  if (!param || !/^\d{1,9}$/.test(param)) throw new Response('Not Found', { status: 404 });
  return Number(param);
}

/** A CSV download: never cached (it holds students' names and scores). */
export function csvResponse(text: string, fileName: string): Response {
  return new Response(text, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName}"`, 'Cache-Control': 'no-store' },
  });
}
