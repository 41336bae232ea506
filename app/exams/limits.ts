/** An exam's bounds, shared by the exam model's checks and the form's constraints (no server code: the browser imports it). */
export const EXAM_TARGET = { min: 0.7, max: 0.99, default: 0.9 } as const;
export const EXAM_TITLE_MAX = 120;
