/** Server sessions: an unguessable id in the cookie; its sha256, the user and the expiry here. */
import { and, eq, gt, lte } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { sessions, users } from '../../db/schema';
import { hashToken, mintToken } from './secret-token.server';

export const SESSION_TTL_MS = 30 * 24 * 3_600_000;

/** Opens a session; returns the id for the cookie (the table keeps only its hash). */
export async function createSession({ db = getDb(), userId, now, ttlMs = SESSION_TTL_MS }: { db?: Db; userId: number; now: Date; ttlMs?: number }): Promise<{ id: string; expiresAt: Date }> {
  const { token, hash } = mintToken();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await db.insert(sessions).values({ id: hash, userId, createdAt: now, expiresAt });
  return { id: token, expiresAt };
}

/** The user id of a live session (by the cookie's id), or null when unknown or expired. */
export async function getSessionUserId({ db = getDb(), sessionId, now }: { db?: Db; sessionId: string; now: Date }): Promise<number | null> {
  const [row] = await db
    .select({ userId: sessions.userId })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, hashToken(sessionId)), gt(sessions.expiresAt, now)));
  return row?.userId ?? null;
}

export async function deleteSession({ db = getDb(), sessionId }: { db?: Db; sessionId: string }): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, hashToken(sessionId)));
}

/** Ends every session of a user (after a password is set). */
export async function deleteUserSessions({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Removes the expired sessions; returns how many. */
export async function deleteExpiredSessions({ db = getDb(), now }: { db?: Db; now: Date }): Promise<number> {
  return (await db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id })).length;
}
