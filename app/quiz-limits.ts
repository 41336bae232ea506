/** The quiz builder's bounds, shared by the quiz model's schema and the builder form's constraints (no server code here: the browser imports it). */
export const QUIZ_MODES = ['exam', 'practice'] as const;
export type QuizMode = (typeof QUIZ_MODES)[number];

export const MAX_QUESTIONS = 50;
/** Fractional minutes are allowed: 0.05 min = 3 s, for drills and tests. */
export const TIME_LIMIT_MINUTES = { min: 0.05, max: 300 } as const;
