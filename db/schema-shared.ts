/** The value sets both dialects' schemas share. */
export const userRoles = ['student', 'instructor'] as const;
export type UserRole = (typeof userRoles)[number];

export const bankSources = ['content', 'instructor'] as const;
export const bankStatuses = ['draft', 'published'] as const;

/**
 * A student's choice about one bank (no row: on). `paused`: no new cards from it, its due
 * reviews still come (nothing learned decays); `off`: nothing from it, for content banks only
 * (a class's banks are on while the student is a member).
 */
export const subscriptionStates = ['on', 'paused', 'off'] as const;
export type SubscriptionState = (typeof subscriptionStates)[number];

/** How a review reached the student: the daily queue, a quiz's "add my misses", the cards page's "review now". */
export const reviewOrigins = ['queue', 'quiz', 'cards'] as const;
export type ReviewOrigin = (typeof reviewOrigins)[number];

/** What a card action did (card_actions): each can be undone, as a rating can. */
export const cardActionKinds = ['suspend', 'unsuspend', 'bury', 'unbury', 'forget', 'review-now'] as const;
export type CardActionKind = (typeof cardActionKinds)[number];

/**
 * Which FSRS parameter set schedules a student (users.parameterChoice). `auto`: their own
 * latest kept fit, else their class's when it predicts them better than the defaults, else the
 * defaults; `default`: ts-fsrs's defaults; `run`: the set of one run they chose (parameterRunId).
 */
export const parameterChoices = ['auto', 'default', 'run'] as const;
export type ParameterChoice = (typeof parameterChoices)[number];

/** An optimizer run's life (optimizer_runs.status). */
export const optimizerRunStatuses = ['queued', 'running', 'done', 'failed'] as const;
export type OptimizerRunStatus = (typeof optimizerRunStatuses)[number];

/** What started an optimizer run: the student's (or instructor's) button, or the server's sweep. */
export const optimizerTriggers = ['manual', 'auto'] as const;
export type OptimizerTrigger = (typeof optimizerTriggers)[number];

/** A quiz's mode: `exam` shows results only at the end; `practice` lets each answer be checked as it goes. */
export const quizModes = ['exam', 'practice'] as const;
export type QuizMode = (typeof quizModes)[number];

/**
 * How an instructor regraded one question of an assigned quiz (quiz_regrades): `credit` counts
 * every answer to it right; `drop` leaves it out of every score; `regrade` grades the stored
 * answers again against the item as it now stands (after the bank was mended).
 */
export const regradeActions = ['credit', 'drop', 'regrade'] as const;
export type RegradeAction = (typeof regradeActions)[number];

/** Where a variant was checked (variant_checks.source): an author's preview, `stride bank check`, a student's engine panel. */
export const variantCheckSources = ['preview', 'bank-check', 'review'] as const;
export type VariantCheckSource = (typeof variantCheckSources)[number];
