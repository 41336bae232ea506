/** The quiz builder's bounds, shared by the quiz model's schema and the builder form's constraints (no server code here: the browser imports it). */
import { quizModes, type QuizMode, type RegradeAction } from '../db/schema-shared';

export const QUIZ_MODES = quizModes;
export type { QuizMode };

export const MAX_QUESTIONS = 50;
/** Fractional minutes are allowed: 0.05 min = 3 s, for drills and tests. */
export const TIME_LIMIT_MINUTES = { min: 0.05, max: 300 } as const;

/** An assigned quiz's bounds (app/models/assignment.server.ts): attempts per student, 1 to 10 (no "unlimited": a practice quiz a student builds is that). */
export const ATTEMPTS_ALLOWED = { min: 1, max: 10 } as const;
/** An accommodation's extra time, percent of the limit (100: twice as long), and extra attempts. */
export const EXTRA_TIME_PERCENT = { min: 0, max: 400 } as const;
export const EXTRA_ATTEMPTS = { min: 0, max: 10 } as const;
export const ASSIGNMENT_TITLE_MAX = 120;
export const REGRADE_REASON_MAX = 500;

/** The regrade actions as instructors and students read them. */
export const REGRADE_TEXT: Record<RegradeAction, string> = {
  credit: 'every answer counts right',
  drop: 'left out of every score',
  regrade: 'graded again against the question as it now is',
};
