/** The value sets both dialects' schemas share. */
export const userRoles = ['student', 'instructor'] as const;
export type UserRole = (typeof userRoles)[number];

export const bankSources = ['content', 'instructor'] as const;
export const bankStatuses = ['draft', 'published'] as const;
