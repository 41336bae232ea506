/**
 * One-time links: a set-password link for an account an administrator made, and an instructor's
 * invitation to sign up as an instructor. The link carries the token; the database only its sha256.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { invitations, passwordTokens, users, type UserRole } from '../../db/schema';
import { hashToken, mintToken } from './secret-token.server';
import { createAccount, createUser, getUserByEmail, PasswordSchema, setPassword, USER_ERRORS, verifyLogin, type PublicUser } from './user.server';
import { deleteUserSessions } from './session.server';

export const SET_PASSWORD_TTL_MS = 7 * 24 * 3_600_000;
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

export const TOKEN_ERRORS = {
  setPasswordLink: 'this set-password link is not valid (used, expired or mistyped); ask your administrator for a new one',
  invitation: 'this invitation link is not valid (used, expired or mistyped); ask for a new one',
} as const;

/** The path of a set-password link (the site's origin goes in front). */
export function setPasswordPath(token: string): string {
  return `/set-password?token=${encodeURIComponent(token)}`;
}

export function invitationPath(token: string): string {
  return `/signup?invitation=${encodeURIComponent(token)}`;
}

/** Issues a set-password token for `userId`; earlier unused ones stay valid until they expire. */
export async function issueSetPasswordToken({ db = getDb(), userId, now, ttlMs = SET_PASSWORD_TTL_MS }: { db?: Db; userId: number; now: Date; ttlMs?: number }): Promise<{ token: string; expiresAt: Date }> {
  const { token, hash } = mintToken();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await db.insert(passwordTokens).values({ tokenHash: hash, userId, createdAt: now, expiresAt });
  return { token, expiresAt };
}

/** The account a live, unused set-password token belongs to, or null. */
export async function setPasswordTokenUser({ db = getDb(), token, now }: { db?: Db; token: string; now: Date }): Promise<{ id: number; email: string } | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(and(eq(passwordTokens.tokenHash, hashToken(token)), gt(passwordTokens.expiresAt, now), isNull(passwordTokens.usedAt)));
  return row ?? null;
}

/**
 * Sets the password through a token and spends it (and ends the account's other sessions).
 * Throws TOKEN_ERRORS.setPasswordLink for a token that is not live.
 */
export async function usePasswordToken({ db = getDb(), token, password, now }: { db?: Db; token: string; password: string; now: Date }): Promise<number> {
  const checked = PasswordSchema.parse(password); // a refused password leaves the link usable
  // Spend it first, so two submissions of one link cannot both set a password (one UPDATE: on
  // PostgreSQL the second waits for the first's row lock, then finds used_at set and matches nothing).
  const [spent] = await db
    .update(passwordTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordTokens.tokenHash, hashToken(token)), gt(passwordTokens.expiresAt, now), isNull(passwordTokens.usedAt)))
    .returning({ userId: passwordTokens.userId });
  if (!spent) throw new Error(TOKEN_ERRORS.setPasswordLink);
  await setPassword({ db, userId: spent.userId, password: checked });
  await deleteUserSessions({ db, userId: spent.userId });
  return spent.userId;
}

/** An instructor's invitation; signing up through it makes an account with `role`. */
export async function issueInvitation({
  db = getDb(),
  invitedBy,
  role = 'instructor',
  now,
  ttlMs = INVITATION_TTL_MS,
}: {
  db?: Db;
  invitedBy: number;
  role?: UserRole;
  now: Date;
  ttlMs?: number;
}): Promise<{ token: string; expiresAt: Date }> {
  const { token, hash } = mintToken();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await db.insert(invitations).values({ tokenHash: hash, role, invitedBy, createdAt: now, expiresAt });
  return { token, expiresAt };
}

/** Whether an invitation token is live (the sign-up page says so before the form is filled). */
export async function invitationIsLive({ db = getDb(), token, now }: { db?: Db; token: string; now: Date }): Promise<boolean> {
  const live = await db
    .select({ h: invitations.tokenHash })
    .from(invitations)
    .where(and(eq(invitations.tokenHash, hashToken(token)), gt(invitations.expiresAt, now), isNull(invitations.usedAt)));
  return live.length > 0;
}

/**
 * Signs up through an invitation: spends it and creates the account with its role. Throws
 * TOKEN_ERRORS.invitation for a token that is not live, USER_ERRORS.emailTaken for a taken email
 * (the invitation is then given back).
 */
export async function acceptInvitation({
  db = getDb(),
  token,
  account,
  now,
}: {
  db?: Db;
  token: string;
  account: { email: string; displayName: string; password: string; timeZone?: string };
  now: Date;
}): Promise<PublicUser> {
  const hash = hashToken(token);
  const [spent] = await db
    .update(invitations)
    .set({ usedAt: now })
    .where(and(eq(invitations.tokenHash, hash), gt(invitations.expiresAt, now), isNull(invitations.usedAt)))
    .returning({ role: invitations.role });
  if (!spent) throw new Error(TOKEN_ERRORS.invitation);
  try {
    const user = await createAccount({ db, now, ...account, role: spent.role });
    await db.update(invitations).set({ usedBy: user.id }).where(eq(invitations.tokenHash, hash));
    return user;
  } catch (err) {
    await db.update(invitations).set({ usedAt: null }).where(eq(invitations.tokenHash, hash));
    throw err;
  }
}

export const SIGNUP_ERRORS = {
  refused: 'We could not sign you up with that email and password. If you already have an account, log in instead.',
} as const;

/**
 * A sign-up that does not tell whether an email has an account: a new email makes an account
 * (a student's, or the invitation's role); a taken one signs its owner in when the password is
 * right, and is refused with SIGNUP_ERRORS.refused when it is not. One scrypt either way (a hash
 * for a new account, a verification for a taken one), so the time says nothing either.
 * Throws TOKEN_ERRORS.invitation for a dead invitation.
 */
export async function signUp({
  db = getDb(),
  account,
  invitation,
  now,
}: {
  db?: Db;
  account: { email: string; displayName: string; password: string; timeZone?: string };
  invitation?: string;
  now: Date;
}): Promise<{ user: PublicUser; created: boolean }> {
  if (await getUserByEmail({ db, email: account.email })) {
    const user = await verifyLogin({ db, email: account.email, password: account.password });
    if (!user) throw new Error(SIGNUP_ERRORS.refused);
    return { user, created: false };
  }
  try {
    const user = invitation ? await acceptInvitation({ db, token: invitation, account, now }) : await createUser({ db, now, ...account });
    return { user, created: true };
  } catch (err) {
    // Taken between the look-up and the insert: the same refusal as above.
    if (err instanceof Error && err.message === USER_ERRORS.emailTaken(account.email.trim().toLowerCase())) throw new Error(SIGNUP_ERRORS.refused);
    throw err;
  }
}
