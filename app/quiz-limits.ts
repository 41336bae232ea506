/** The quiz builder's bounds, shared by the quiz model's schema and the builder form's constraints (no server code here: the browser imports it). */
import { quizModes, type QuizMode } from '../db/schema-shared';

export const QUIZ_MODES = quizModes;
export type { QuizMode };

export const MAX_QUESTIONS = 50;
/** Fractional minutes are allowed: 0.05 min = 3 s, for drills and tests. */
export const TIME_LIMIT_MINUTES = { min: 0.05, max: 300 } as const;
