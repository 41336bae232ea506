/**
 * Bearer secrets (session ids, set-password links, invitations): 32 random bytes, base64url, in
 * the cookie or link; only their sha256 is stored, so a copy of the database opens nothing.
 * And the application's own secrets (app_secrets), shared by every process on one database.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { appSecrets } from '../../db/schema';

/** sha256 of a token, hex: the form the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh token and the hash to store for it. */
export function mintToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/**
 * The application secret `name`, made on first use: `initial()` (a value carried over from
 * before, or undefined) or 32 random bytes. Race-safe across processes: each inserts its
 * candidate if none is there, then all read back the one that was stored first.
 */
export async function appSecret({ db = getDb(), name, now, initial }: { db?: Db; name: string; now: Date; initial?: () => string | undefined }): Promise<string> {
  const read = async () => (await db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name)))[0]?.value;
  const stored = await read();
  if (stored !== undefined) return stored;
  const candidate = initial?.() || randomBytes(32).toString('base64url');
  await db.insert(appSecrets).values({ name, value: candidate, createdAt: now }).onConflictDoNothing({ target: appSecrets.name });
  const kept = await read();
  if (kept === undefined) throw new Error(`app secret ${name}: inserted but not found in app_secrets`);
  return kept;
}
