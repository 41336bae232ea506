/**
 * Exams: a student's own, and their classes' (set by the instructor, which every member has).
 * This module reads them; the scheduler (exam-plan.ts via review.server.ts), the readiness
 * forecast and the exam pages all take a user's exams from `examsOf`.
 */
import { and, asc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../db/client';
import { classes, exams, memberships, type ExamRow } from '../../db/schema';
import { parseScope, type ExamScope } from '../exams/scope';

export interface Exam {
  id: number;
  ownerId: number;
  /** The class whose exam it is; null for a student's own. */
  classId: number | null;
  className: string | null;
  title: string;
  /** Epoch ms. */
  at: number;
  timeZone: string;
  target: number;
  scope: ExamScope;
  createdAt: number;
}

export function examOf(row: ExamRow, className: string | null = null): Exam {
  return {
    id: row.id,
    ownerId: row.ownerId,
    classId: row.classId,
    className,
    title: row.title,
    at: row.at.getTime(),
    timeZone: row.timeZone,
    target: row.target,
    scope: parseScope(row.scope),
    createdAt: row.createdAt.getTime(),
  };
}

/**
 * The exams a user sits, soonest first: their own and those of every class they are a member of.
 * With `after`, only those at or after it (the exams still ahead at `now`: pass now).
 */
export async function examsOf({ db = getDb(), userId, after }: { db?: Db | Tx; userId: number; after?: Date }): Promise<Exam[]> {
  const memberOf = db.select({ classId: memberships.classId }).from(memberships).where(eq(memberships.userId, userId));
  const rows = await db
    .select({ exam: exams, className: classes.name })
    .from(exams)
    .leftJoin(classes, eq(classes.id, exams.classId))
    .where(and(or(and(eq(exams.ownerId, userId), isNull(exams.classId)), inArray(exams.classId, memberOf)), after ? gt(exams.at, after) : undefined))
    .orderBy(asc(exams.at), asc(exams.id));
  return rows.map((r) => examOf(r.exam, r.className));
}

/** The exams of one class, soonest first (for its instructor's pages). */
export async function classExams({ db = getDb(), classId }: { db?: Db | Tx; classId: number }): Promise<Exam[]> {
  const rows = await db
    .select({ exam: exams, className: classes.name })
    .from(exams)
    .innerJoin(classes, eq(classes.id, exams.classId))
    .where(eq(exams.classId, classId))
    .orderBy(asc(exams.at), asc(exams.id));
  return rows.map((r) => examOf(r.exam, r.className));
}
