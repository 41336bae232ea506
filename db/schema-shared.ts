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
