/**
 * Users: accounts, passwords (node's scrypt with a per-user random salt), study settings.
 * Nothing here returns the password hash.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db } from '../../db/client';
import { userRoles, users, type User, type UserRole } from '../../db/schema';
import { PASSWORD_RULES } from '../password-rules';
import { isTimeZone } from '../scheduling/study-day';
import { SETTINGS_BOUNDS } from '../study-settings';

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
  // The bounds of the study settings page (app/study-settings.ts), so the two never disagree.
  rolloverHour: z.coerce.number().int().min(SETTINGS_BOUNDS.rolloverHour.min).max(SETTINGS_BOUNDS.rolloverHour.max),
  newPerDay: z.coerce.number().int().min(SETTINGS_BOUNDS.newPerDay.min).max(SETTINGS_BOUNDS.newPerDay.max),
  reviewsPerDay: z.coerce.number().int().min(SETTINGS_BOUNDS.reviewsPerDay.min).max(SETTINGS_BOUNDS.reviewsPerDay.max),
  desiredRetention: z.coerce.number().min(SETTINGS_BOUNDS.desiredRetention.min).max(SETTINGS_BOUNDS.desiredRetention.max),
  maxIntervalDays: z.coerce.number().int().min(SETTINGS_BOUNDS.maxIntervalDays.min).max(SETTINGS_BOUNDS.maxIntervalDays.max),
});
export type UserSettings = z.infer<typeof UserSettingsSchema>;

/** The most common passwords of 10+ characters (app/data/common-passwords.txt, its header says whence). */
let commonPasswords: Set<string> | undefined;

function commonPasswordList(): Set<string> {
  if (commonPasswords) return commonPasswords;
  // Beside this file when run from source; from the working directory in the bundled server build.
  const beside = fileURLToPath(new URL('../data/common-passwords.txt', import.meta.url));
  const file = existsSync(beside) ? beside : resolve(process.cwd(), 'app/data/common-passwords.txt');
  const lines = readFileSync(file, 'utf8').split('\n');
  commonPasswords = new Set(lines.filter((l) => l && !l.startsWith('# ')));
  return commonPasswords;
}


export const PASSWORD_ERRORS = {
  tooShort: `password needs at least ${PASSWORD_RULES.minLength} characters`,
  tooLong: `password may have at most ${PASSWORD_RULES.maxLength} characters`,
  blank: 'password is only spaces',
  common: 'that password is among the most common ones; choose another',
} as const;

/** A new password: long enough, not blank, not a common one. */
export const PasswordSchema = z
  .string()
  .min(PASSWORD_RULES.minLength, PASSWORD_ERRORS.tooShort)
  .max(PASSWORD_RULES.maxLength, PASSWORD_ERRORS.tooLong)
  .refine((p) => p.trim().length > 0, PASSWORD_ERRORS.blank)
  .refine((p) => !commonPasswordList().has(p.toLowerCase()), PASSWORD_ERRORS.common);

const EmailSchema = z.string().trim().toLowerCase().max(254).email('not an email address');

/** The sign-up form. No role: a student signs up; instructors are made by an administrator or an invitation. */
export const SignupSchema = z.object({
  email: EmailSchema,
  displayName: z.string().trim().min(1, 'display name is empty').max(80),
  password: PasswordSchema,
  timeZone: z.string().refine(isTimeZone, { message: 'not a known IANA time zone (e.g. Europe/Paris)' }).default('UTC'),
  /** The token of an instructor's invitation link, when signing up through one. */
  invitation: z.string().max(100).optional(),
});
export type SignupInput = z.input<typeof SignupSchema>;

/** An account an administrator (or an invitation) makes: the role is explicit, the password optional. */
export const NewAccountSchema = z.object({
  email: EmailSchema,
  displayName: z.string().trim().min(1, 'display name is empty').max(80),
  password: PasswordSchema.optional(),
  role: z.enum(userRoles, { message: `role must be one of ${userRoles.join(', ')}` }),
  timeZone: z.string().refine(isTimeZone, { message: 'not a known IANA time zone (e.g. Europe/Paris)' }).default('UTC'),
});
export type NewAccountInput = z.input<typeof NewAccountSchema>;

export const LoginSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email.').max(254),
  password: z.string().min(1, 'Enter your password.').max(PASSWORD_RULES.maxLength),
});

export const USER_ERRORS = {
  emailTaken: (email: string) => `an account with ${email} already exists`,
  unknownEmail: (email: string) => `no account with ${email}`,
} as const;

/** The stored hash of an account that has no password yet: no password produces it. */
const NO_PASSWORD = '!';

/**
 * Verified in place of a missing account's hash, so an unknown email costs the same scrypt as a
 * known one (a response time says nothing about which emails exist). Same parameters, no password.
 */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(SCRYPT.saltBytes, 7).toString('base64')}$${Buffer.alloc(SCRYPT.keyLength).toString('base64')}`;

function publicUser(u: User): PublicUser {
  const { passwordHash: _hidden, ...rest } = u;
  return rest;
}

/** Creates an account with the given role; without a password it cannot log in until one is set. Throws USER_ERRORS.emailTaken. */
export async function createAccount({ db = getDb(), now, ...input }: NewAccountInput & { db?: Db; now: Date }): Promise<PublicUser> {
  const s = NewAccountSchema.parse(input);
  const passwordHash = s.password === undefined ? NO_PASSWORD : await hashPassword(s.password);
  const [inserted] = await db
    .insert(users)
    .values({ email: s.email, displayName: s.displayName, role: s.role, timeZone: s.timeZone, passwordHash, createdAt: now })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!inserted) throw new Error(USER_ERRORS.emailTaken(s.email));
  return publicUser(inserted);
}

/** A student's own sign-up (the form's values); throws USER_ERRORS.emailTaken for a taken email. */
export async function createUser({ db = getDb(), now, ...input }: Omit<SignupInput, 'invitation'> & { db?: Db; now: Date }): Promise<PublicUser> {
  const s = SignupSchema.parse(input);
  return createAccount({ db, now, email: s.email, displayName: s.displayName, password: s.password, timeZone: s.timeZone, role: 'student' });
}

/**
 * The user whose email and password match, or null (the same null for either mismatch). An
 * unknown email, or an account without a password, verifies a dummy hash: the same work either way.
 */
export async function verifyLogin({ db = getDb(), email, password }: { db?: Db; email: string; password: string }): Promise<PublicUser | null> {
  const [u] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  const usable = u !== undefined && u.passwordHash !== NO_PASSWORD;
  const matches = await verifyPassword(password, usable ? u.passwordHash : DUMMY_HASH);
  return usable && matches ? publicUser(u) : null;
}

export async function getUserByEmail({ db = getDb(), email }: { db?: Db; email: string }): Promise<PublicUser | null> {
  const [u] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return u ? publicUser(u) : null;
}

/** Sets a user's role; throws USER_ERRORS.unknownEmail. */
export async function setUserRole({ db = getDb(), email, role }: { db?: Db; email: string; role: UserRole }): Promise<PublicUser> {
  const [u] = await db.update(users).set({ role }).where(eq(users.email, email.trim().toLowerCase())).returning();
  if (!u) throw new Error(USER_ERRORS.unknownEmail(email.trim().toLowerCase()));
  return publicUser(u);
}

/** Sets a new password (already checked against PasswordSchema by the caller's form). */
export async function setPassword({ db = getDb(), userId, password }: { db?: Db; userId: number; password: string }): Promise<void> {
  const passwordHash = await hashPassword(PasswordSchema.parse(password));
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export async function getUserById({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<PublicUser | null> {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  return u ? publicUser(u) : null;
}

/** Saves validated settings; returns the user as saved. */
export async function updateUserSettings({ db = getDb(), userId, settings }: { db?: Db; userId: number; settings: UserSettings }): Promise<PublicUser> {
  const s = UserSettingsSchema.parse(settings);
  const [u] = await db.update(users).set(s).where(eq(users.id, userId)).returning();
  if (!u) throw new Error(`no user ${userId}`);
  return publicUser(u);
}
