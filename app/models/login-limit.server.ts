/**
 * The login limiter: at most LOGIN_LIMIT.failures failed attempts per account and per address in
 * a sliding LOGIN_LIMIT.windowMs; past that, attempts are refused (429) until the oldest failure
 * in the window ages out. Counted in the database (login_failures), so the count survives a restart
 * and holds across processes sharing the database.
 */
import { and, count, eq, gt, inArray, lte, asc } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { loginFailures } from '../../db/schema';

export const LOGIN_LIMIT = { failures: 10, windowMs: 15 * 60_000 } as const;

export const LOGIN_ERRORS = {
  mismatch: 'That email and password do not match an account.',
  tooMany: (seconds: number) => {
    const minutes = Math.ceil(seconds / 60);
    return `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  },
} as const;

/** The keys one attempt counts against: the account (by email, as typed, lower-cased) and the address. */
export function loginKeys({ email, address }: { email: string; address: string | undefined }): string[] {
  // No address (a server that does not say, e.g. `remix dev`): one shared key would let ten bad logins lock everyone out.
  return [`account:${email.trim().toLowerCase()}`, ...(address ? [`address:${address}`] : [])];
}

export type LoginAttempt = { allowed: true; failureIds: number[] } | { allowed: false; retryAfterSeconds: number };

/**
 * Starts an attempt: refused when any key already has the limit of failures in the window;
 * otherwise the attempt is written down as a failure at once (so parallel attempts cannot pass
 * the check together) and `succeeded` takes it back. One immediate transaction: atomic across processes.
 */
export function beginLoginAttempt({ db = getDb(), keys, now }: { db?: Db; keys: string[]; now: Date }): LoginAttempt {
  const since = new Date(now.getTime() - LOGIN_LIMIT.windowMs);
  return db.transaction(
    (tx) => {
      let retryAfterMs = 0;
      for (const key of keys) {
        const inWindow = tx
          .select({ at: loginFailures.at })
          .from(loginFailures)
          .where(and(eq(loginFailures.key, key), gt(loginFailures.at, since)))
          .orderBy(asc(loginFailures.at))
          .all();
        if (inWindow.length >= LOGIN_LIMIT.failures) {
          // Under the limit again when all but failures−1 of them have aged out.
          const freeing = inWindow[inWindow.length - LOGIN_LIMIT.failures]!.at;
          retryAfterMs = Math.max(retryAfterMs, freeing.getTime() + LOGIN_LIMIT.windowMs - now.getTime());
        }
      }
      if (retryAfterMs > 0) return { allowed: false as const, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
      tx.delete(loginFailures).where(lte(loginFailures.at, since)).run(); // the expired ones count no more
      const failureIds = keys.map((key) => tx.insert(loginFailures).values({ key, at: now }).returning({ id: loginFailures.id }).get().id);
      return { allowed: true as const, failureIds };
    },
    { behavior: 'immediate' },
  );
}

/** The attempt succeeded: it was no failure. */
export function loginSucceeded({ db = getDb(), attempt }: { db?: Db; attempt: { failureIds: number[] } }): void {
  if (attempt.failureIds.length > 0) db.delete(loginFailures).where(inArray(loginFailures.id, attempt.failureIds)).run();
}

/** Failures of `key` in the window ending at `now` (for tests and the CLI). */
export function failuresInWindow({ db = getDb(), key, now }: { db?: Db; key: string; now: Date }): number {
  const since = new Date(now.getTime() - LOGIN_LIMIT.windowMs);
  return db.select({ n: count() }).from(loginFailures).where(and(eq(loginFailures.key, key), gt(loginFailures.at, since))).get()?.n ?? 0;
}
