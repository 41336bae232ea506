/**
 * Users: accounts, passwords (node's scrypt with a per-user random salt), study settings.
 * Nothing here returns the password hash.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db } from '../../db/client';
import { userRoles, users, type User } from '../../db/schema';
import { isTimeZone } from '../scheduling/study-day';

export type PublicUser = Omit<User, 'passwordHash'>;

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 64, saltBytes: 16 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (base64), with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltBytes);
  const key = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` produces `stored` (compared in constant time). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}

/** Settings a user may change; also the form's schema. */
export const UserSettingsSchema = z.object({
  displayName: z.string().trim().min(1, 'display name is empty').max(80),
  timeZone: z.string().refine(isTimeZone, { message: 'not a known IANA time zone (e.g. Europe/Paris)' }),
  rolloverHour: z.coerce.number().int().min(0).max(23),
  newPerDay: z.coerce.number().int().min(0).max(1000),
  reviewsPerDay: z.coerce.number().int().min(0).max(10000),
  desiredRetention: z.coerce.number().min(0.7).max(0.99),
  maxIntervalDays: z.coerce.number().int().min(1).max(36500),
});
export type UserSettings = z.infer<typeof UserSettingsSchema>;

export const SignupSchema = z.object({
  email: z.string().trim().toLowerCase().email('not an email address'),
  displayName: z.string().trim().min(1, 'display name is empty').max(80),
  password: z.string().min(8, 'password needs at least 8 characters').max(200),
  role: z.enum(userRoles).default('student'),
  timeZone: z.string().refine(isTimeZone, { message: 'not a known IANA time zone (e.g. Europe/Paris)' }).default('UTC'),
});
export type SignupInput = z.input<typeof SignupSchema>;

export const LoginSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email.').max(254),
  password: z.string().min(1, 'Enter your password.').max(200),
});

export const USER_ERRORS = {
  emailTaken: (email: string) => `an account with ${email} already exists`,
} as const;

function publicUser(u: User): PublicUser {
  const { passwordHash: _hidden, ...rest } = u;
  return rest;
}

/** Creates an account; throws USER_ERRORS.emailTaken for a taken email. */
export async function createUser({ db = getDb(), now, ...input }: SignupInput & { db?: Db; now: Date }): Promise<PublicUser> {
  const s = SignupSchema.parse(input);
  const passwordHash = await hashPassword(s.password);
  const inserted = db
    .insert(users)
    .values({ email: s.email, displayName: s.displayName, role: s.role, timeZone: s.timeZone, passwordHash, createdAt: now })
    .onConflictDoNothing({ target: users.email })
    .returning()
    .get();
  if (!inserted) throw new Error(USER_ERRORS.emailTaken(s.email));
  return publicUser(inserted);
}

/** The user whose email and password match, or null (the same null for either mismatch). */
export async function verifyLogin({ db = getDb(), email, password }: { db?: Db; email: string; password: string }): Promise<PublicUser | null> {
  const u = db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
  if (!u) return null;
  return (await verifyPassword(password, u.passwordHash)) ? publicUser(u) : null;
}

export function getUserById({ db = getDb(), userId }: { db?: Db; userId: number }): PublicUser | null {
  const u = db.select().from(users).where(eq(users.id, userId)).get();
  return u ? publicUser(u) : null;
}

/** Saves validated settings; returns the user as saved. */
export function updateUserSettings({ db = getDb(), userId, settings }: { db?: Db; userId: number; settings: UserSettings }): PublicUser {
  const s = UserSettingsSchema.parse(settings);
  const u = db.update(users).set(s).where(eq(users.id, userId)).returning().get();
  if (!u) throw new Error(`no user ${userId}`);
  return publicUser(u);
}
