/**
 * Accounts on a real database (SQLite or PostgreSQL): the password rules, the same work for unknown and known emails,
 * the login limiter, hashed sessions, set-password links, invitations and a sign-up that does not
 * tell which emails have accounts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { invitations, loginFailures, passwordTokens, sessions, users } from '../../db/schema';
import { DB_ERRORS, getDatabase } from '../../db/client';
import { parseEnv } from '../../app/env.server';
import {
  acceptInvitation,
  invitationIsLive,
  issueInvitation,
  issueSetPasswordToken,
  setPasswordTokenUser,
  SIGNUP_ERRORS,
  signUp,
  TOKEN_ERRORS,
  usePasswordToken,
} from '../../app/models/account-token.server';
import { beginLoginAttempt, failuresInWindow, LOGIN_LIMIT, loginKeys, loginSucceeded } from '../../app/models/login-limit.server';
import { createSession, getSessionUserId } from '../../app/models/session.server';
import { hashToken } from '../../app/models/secret-token.server';
import { createAccount, createUser, hashPassword, PASSWORD_ERRORS, PasswordSchema, setUserRole, SignupSchema, USER_ERRORS, verifyLogin } from '../../app/models/user.server';
import { addUser, openTempDb, type TempDb } from './fixture';

const NOW = new Date('2026-03-01T09:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
let t: TempDb;
beforeEach(async () => {
  t = await openTempDb();
});
afterEach(async () => {
  await t.close();
});

describe('passwords', () => {
  it.each([
    ['short pw', PASSWORD_ERRORS.tooShort],
    ['          ', PASSWORD_ERRORS.blank],
    ['\t\t\t\t\t\t\t\t\t\t\t', PASSWORD_ERRORS.blank],
    ['password123', PASSWORD_ERRORS.common],
    ['Password123', PASSWORD_ERRORS.common],
    ['1234567890', PASSWORD_ERRORS.common],
    ['qwertyuiop', PASSWORD_ERRORS.common],
    ['iloveyou123', PASSWORD_ERRORS.common],
    ['x'.repeat(201), PASSWORD_ERRORS.tooLong],
  ])('refuses %j: %s', (password, message) => {
    const parsed = PasswordSchema.safeParse(password);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toBe(message);
  });

  it.each(['correct horse battery', 'long enough password', 'ten chars!', '  spaced out passphrase  '])('accepts %j', (password) => {
    expect(PasswordSchema.safeParse(password).success).toBe(true);
  });

  it('the common-password list ships with thousands of entries of 10+ characters', async () => {
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(new URL('../../app/data/common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('# '));
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.every((l) => l.length >= 10 && l === l.toLowerCase())).toBe(true);
  });
});

describe('accounts', () => {
  it('a sign-up form has no role: role=instructor is ignored and makes a student', async () => {
    const parsed = SignupSchema.parse({ email: 'eve@example.test', displayName: 'Eve', password: 'long enough password', role: 'instructor' });
    expect(parsed).not.toHaveProperty('role');
    const form = { email: 'eve@example.test', displayName: 'Eve', password: 'long enough password', role: 'instructor' };
    const eve = await createUser({ db: t.db, now: NOW, ...(form as Omit<typeof form, 'role'>) });
    expect(eve.role).toBe('student');
  });

  it('an administrator makes instructors and changes roles; unknown emails are named', async () => {
    const ines = await createAccount({ db: t.db, now: NOW, email: 'Ines@Example.test', displayName: 'Ines', password: 'long enough password', role: 'instructor' });
    expect(ines.role).toBe('instructor');
    expect((await setUserRole({ db: t.db, email: 'INES@example.test', role: 'student' })).role).toBe('student');
    await expect(setUserRole({ db: t.db, email: 'nobody@example.test', role: 'student' })).rejects.toThrow(USER_ERRORS.unknownEmail('nobody@example.test'));
  });

  it('an account made without a password cannot log in until its one-time link sets one', async () => {
    const bo = await createAccount({ db: t.db, now: NOW, email: 'bo@example.test', displayName: 'Bo', role: 'instructor' });
    expect(await verifyLogin({ db: t.db, email: 'bo@example.test', password: '!' })).toBeNull();
    const { token, expiresAt } = await issueSetPasswordToken({ db: t.db, userId: bo.id, now: NOW });
    expect(expiresAt.getTime() - NOW.getTime()).toBe(7 * 86_400_000);
    // Only the token's hash is stored.
    const [row] = await t.db.select().from(passwordTokens);
    expect(row!.tokenHash).toBe(hashToken(token));
    expect(row!.tokenHash).not.toContain(token);
    expect((await setPasswordTokenUser({ db: t.db, token, now: NOW }))?.email).toBe('bo@example.test');
    await expect(usePasswordToken({ db: t.db, token, password: 'password123', now: NOW })).rejects.toThrow(PASSWORD_ERRORS.common);
    expect(await usePasswordToken({ db: t.db, token, password: 'bo sets a password', now: at(1000) })).toBe(bo.id);
    expect((await verifyLogin({ db: t.db, email: 'bo@example.test', password: 'bo sets a password' }))?.id).toBe(bo.id);
    // Used once: the same link no longer works.
    await expect(usePasswordToken({ db: t.db, token, password: 'another password here', now: at(2000) })).rejects.toThrow(TOKEN_ERRORS.setPasswordLink);
    // An expired one does not either.
    const late = await issueSetPasswordToken({ db: t.db, userId: bo.id, now: NOW, ttlMs: 1000 });
    expect(await setPasswordTokenUser({ db: t.db, token: late.token, now: at(1000) })).toBeNull();
    await expect(usePasswordToken({ db: t.db, token: late.token, password: 'another password here', now: at(1000) })).rejects.toThrow(TOKEN_ERRORS.setPasswordLink);
  });

  it('an unknown email costs the same scrypt as a known one (a dummy hash is verified)', async () => {
    await createUser({ db: t.db, now: NOW, email: 'ada@example.test', displayName: 'Ada', password: 'long enough password' });
    const time = async (f: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await f();
        samples.push(performance.now() - t0);
      }
      return samples.sort((a, b) => a - b)[2]!;
    };
    const scrypt = await time(() => hashPassword('long enough password'));
    const known = await time(() => verifyLogin({ db: t.db, email: 'ada@example.test', password: 'wrong password here' }));
    const unknown = await time(() => verifyLogin({ db: t.db, email: 'nobody@example.test', password: 'wrong password here' }));
    // Before the dummy hash an unknown email answered in well under a millisecond.
    expect(unknown).toBeGreaterThan(scrypt * 0.5);
    expect(unknown / known).toBeGreaterThan(0.5);
    expect(unknown / known).toBeLessThan(2);
  });
});

describe('sign-up does not tell which emails have accounts', () => {
  it('a taken email with its password signs the owner in; with another, the neutral refusal', async () => {
    const first = await signUp({ db: t.db, now: NOW, account: { email: 'ada@example.test', displayName: 'Ada', password: 'long enough password' } });
    expect(first.created).toBe(true);
    const again = await signUp({ db: t.db, now: NOW, account: { email: 'ADA@example.test', displayName: 'Other', password: 'long enough password' } });
    expect(again).toEqual({ user: first.user, created: false });
    await expect(signUp({ db: t.db, now: NOW, account: { email: 'ada@example.test', displayName: 'Mallory', password: 'mallory guesses this' } })).rejects.toThrow(SIGNUP_ERRORS.refused);
    expect(SIGNUP_ERRORS.refused).not.toMatch(/exists|taken/);
    expect(await t.db.select().from(users)).toHaveLength(1);
  });
});

describe('invitations', () => {
  it('an instructor invites; signing up through the link once makes an instructor', async () => {
    const ines = await createAccount({ db: t.db, now: NOW, email: 'ines@example.test', displayName: 'Ines', password: 'long enough password', role: 'instructor' });
    const { token } = await issueInvitation({ db: t.db, invitedBy: ines.id, now: NOW });
    expect((await t.db.select().from(invitations))[0]!.tokenHash).toBe(hashToken(token));
    expect(await invitationIsLive({ db: t.db, token, now: NOW })).toBe(true);
    const { user } = await signUp({ db: t.db, now: at(1), invitation: token, account: { email: 'olga@example.test', displayName: 'Olga', password: 'long enough password' } });
    expect(user.role).toBe('instructor');
    expect(await invitationIsLive({ db: t.db, token, now: at(2) })).toBe(false);
    await expect(signUp({ db: t.db, now: at(3), invitation: token, account: { email: 'pat@example.test', displayName: 'Pat', password: 'long enough password' } })).rejects.toThrow(TOKEN_ERRORS.invitation);
    expect(await t.db.select().from(users).where(eq(users.email, 'pat@example.test'))).toEqual([]);
  });

  it('a sign-up through an invitation that fails gives the invitation back', async () => {
    const ines = await createAccount({ db: t.db, now: NOW, email: 'ines@example.test', displayName: 'Ines', password: 'long enough password', role: 'instructor' });
    const { token } = await issueInvitation({ db: t.db, invitedBy: ines.id, now: NOW });
    await expect(acceptInvitation({ db: t.db, token, now: NOW, account: { email: 'ines@example.test', displayName: 'Dup', password: 'long enough password' } })).rejects.toThrow(USER_ERRORS.emailTaken('ines@example.test'));
    expect(await invitationIsLive({ db: t.db, token, now: NOW })).toBe(true);
  });
});

describe('the login limiter', () => {
  const keys = loginKeys({ email: 'Ada@example.test', address: '203.0.113.7' });

  it(`allows ${LOGIN_LIMIT.failures} failures per key in ${LOGIN_LIMIT.windowMs / 60_000} minutes, then refuses until the oldest ages out`, async () => {
    for (let i = 0; i < LOGIN_LIMIT.failures; i++) expect((await beginLoginAttempt({ db: t.db, keys, now: at(i * 1000) })).allowed).toBe(true);
    const refused = await beginLoginAttempt({ db: t.db, keys, now: at(10_000) });
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: LOGIN_LIMIT.windowMs / 1000 - 10 });
    expect(await failuresInWindow({ db: t.db, key: keys[0]!, now: at(10_000) })).toBe(LOGIN_LIMIT.failures); // a refused attempt is not counted
    // Just before the first failure ages out: still refused, for one second more.
    expect(await beginLoginAttempt({ db: t.db, keys, now: at(LOGIN_LIMIT.windowMs - 1) })).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await beginLoginAttempt({ db: t.db, keys, now: at(LOGIN_LIMIT.windowMs) })).allowed).toBe(true);
  });

  it(`lets through at most ${LOGIN_LIMIT.failures} of many attempts on one account made at once`, async () => {
    const burst = await Promise.all(Array.from({ length: 3 * LOGIN_LIMIT.failures }, (_, i) => beginLoginAttempt({ db: t.db, keys: loginKeys({ email: 'ada@example.test', address: `198.51.100.${i}` }), now: NOW })));
    expect(burst.filter((a) => a.allowed)).toHaveLength(LOGIN_LIMIT.failures);
    expect(await failuresInWindow({ db: t.db, key: 'account:ada@example.test', now: NOW })).toBe(LOGIN_LIMIT.failures);
  });

  it('counts per account and per address separately', async () => {
    for (let i = 0; i < LOGIN_LIMIT.failures; i++) await beginLoginAttempt({ db: t.db, keys: loginKeys({ email: `user${i}@example.test`, address: '198.51.100.1' }), now: NOW });
    // The address is spent, whichever account it tries next…
    expect((await beginLoginAttempt({ db: t.db, keys: loginKeys({ email: 'fresh@example.test', address: '198.51.100.1' }), now: NOW })).allowed).toBe(false);
    // …while the same accounts from elsewhere are fine.
    expect((await beginLoginAttempt({ db: t.db, keys: loginKeys({ email: 'user0@example.test', address: '198.51.100.2' }), now: NOW })).allowed).toBe(true);
  });

  it('without a known address only the account counts: failures elsewhere lock out no one else', async () => {
    expect(loginKeys({ email: 'Ada@example.test', address: undefined })).toEqual(['account:ada@example.test']);
    for (let i = 0; i < LOGIN_LIMIT.failures; i++) await beginLoginAttempt({ db: t.db, keys: loginKeys({ email: `user${i}@example.test`, address: undefined }), now: NOW });
    expect((await beginLoginAttempt({ db: t.db, keys: loginKeys({ email: 'fresh@example.test', address: undefined }), now: NOW })).allowed).toBe(true);
  });

  it('a successful attempt is no failure', async () => {
    for (let i = 0; i < 20; i++) {
      const attempt = await beginLoginAttempt({ db: t.db, keys, now: NOW });
      expect(attempt.allowed).toBe(true);
      if (attempt.allowed) await loginSucceeded({ db: t.db, attempt });
    }
    expect(await t.db.select().from(loginFailures)).toHaveLength(0);
  });
});

describe('sessions', () => {
  it('the table keeps the sha256 of the cookie id, never the id', async () => {
    const userId = await addUser(t.db, { email: 's@example.test', createdAt: NOW });
    const { id } = await createSession({ db: t.db, userId, now: NOW });
    const stored = (await t.db.select().from(sessions))[0]!;
    expect(stored.id).toBe(hashToken(id));
    expect(stored.id).toMatch(/^[0-9a-f]{64}$/);
    expect(await getSessionUserId({ db: t.db, sessionId: id, now: NOW })).toBe(userId);
    expect(await getSessionUserId({ db: t.db, sessionId: stored.id, now: NOW })).toBeNull(); // the stored value opens nothing
  });
});

describe('settings go through the environment schema', () => {
  it('parses COOKIE_SECURE and SESSION_SECRET, naming a bad one', async () => {
    expect(parseEnv({}).COOKIE_SECURE).toBe(false);
    expect(parseEnv({ COOKIE_SECURE: 'true' }).COOKIE_SECURE).toBe(true);
    expect(() => parseEnv({ COOKIE_SECURE: 'yes' })).toThrow(/^invalid environment: COOKIE_SECURE: /);
    expect(() => parseEnv({ SESSION_SECRET: 'short' })).toThrow('invalid environment: SESSION_SECRET: must be at least 32 characters');
    expect(parseEnv({ SESSION_SECRET: 's'.repeat(32) }).SESSION_SECRET).toBe('s'.repeat(32));
  });

  it('db/ takes its file as an argument: the app connection opens nothing before one is chosen', async () => {
    expect(() => getDatabase()).toThrow(DB_ERRORS.notOpen);
  });
});
