/** The rules a new password follows: shared by the server's schema and the forms' browser constraints. */
export const PASSWORD_RULES = { minLength: 10, maxLength: 200 } as const;
