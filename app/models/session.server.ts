/** Server sessions: an unguessable id in the cookie, the user and expiry here. */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, lte } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { sessions, users } from '../../db/schema';

export const SESSION_TTL_MS = 30 * 24 * 3_600_000;

export function createSession({ db = getDb(), userId, now, ttlMs = SESSION_TTL_MS }: { db?: Db; userId: number; now: Date; ttlMs?: number }) {
  const id = randomBytes(32).toString('base64url');
  return db
    .insert(sessions)
    .values({ id, userId, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) })
    .returning()
    .get();
}

/** The user id of a live session, or null when unknown or expired. */
export function getSessionUserId({ db = getDb(), sessionId, now }: { db?: Db; sessionId: string; now: Date }): number | null {
  const row = db
    .select({ userId: sessions.userId })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, now)))
    .get();
  return row?.userId ?? null;
}

export function deleteSession({ db = getDb(), sessionId }: { db?: Db; sessionId: string }): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export function deleteExpiredSessions({ db = getDb(), now }: { db?: Db; now: Date }): number {
  return db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
}
