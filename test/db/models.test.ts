import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { migrationsFolder, openDatabase, type Database } from '../../db/client';
import { parseEnv } from '../../app/env.server';
import { bankVersions, items, users } from '../../db/schema';
import { AccessDenied } from '../../app/models/access.server';
import { getItemForUser, bankVersionContent, getOwnBankVersions, listBankItems, loadContentBank, saveInstructorBank } from '../../app/models/bank.server';
import { createClass, joinClass, publishBankToClass } from '../../app/models/class.server';
import { createSession, deleteSession, getSessionUserId } from '../../app/models/session.server';
import { createUser, updateUserSettings, verifyLogin } from '../../app/models/user.server';
import { addUser, factItem, openTempDb, testEngine, type TempDb } from './fixture';

const NOW = new Date('2024-06-01T12:00:00Z');
let t: TempDb;
beforeEach(async () => {
  t = await openTempDb();
});
afterEach(async () => {
  await t.close();
});

describe('users', () => {
  it('hashes passwords with scrypt and a per-user salt, and logs in by email in any case', async () => {
    const a = await createUser({ db: t.db, email: 'Ada@Example.test', displayName: 'Ada', password: 'correct horse', now: NOW });
    const b = await createUser({ db: t.db, email: 'bo@example.test', displayName: 'Bo', password: 'correct horse', now: NOW });
    expect(a).toMatchObject({ email: 'ada@example.test', role: 'student', timeZone: 'UTC', rolloverHour: 4, newPerDay: 20, reviewsPerDay: 200, desiredRetention: 0.9, maxIntervalDays: 36500 });
    expect(a).not.toHaveProperty('passwordHash');
    const hashes = (await t.db.select({ h: users.passwordHash }).from(users).orderBy(users.id)).map((r) => r.h);
    expect(hashes[0]).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(hashes[0]!.split('$')[4]).not.toBe(hashes[1]!.split('$')[4]); // salts differ
    expect((await verifyLogin({ db: t.db, email: 'ADA@example.test', password: 'correct horse' }))?.id).toBe(a.id);
    expect(await verifyLogin({ db: t.db, email: 'ada@example.test', password: 'wrong horse!' })).toBeNull();
    expect(await verifyLogin({ db: t.db, email: 'nobody@example.test', password: 'correct horse' })).toBeNull();
    expect(b.id).not.toBe(a.id);
  });

  it('refuses a taken email and a bad sign-up with messages that say what is wrong', async () => {
    await createUser({ db: t.db, email: 'ada@example.test', displayName: 'Ada', password: 'long enough', now: NOW });
    await expect(createUser({ db: t.db, email: 'ADA@example.test', displayName: 'Ada 2', password: 'long enough', now: NOW })).rejects.toThrow('an account with ada@example.test already exists');
    await expect(createUser({ db: t.db, email: 'x@example.test', displayName: 'X', password: 'short', now: NOW })).rejects.toThrow('password needs at least 10 characters');
    await expect(createUser({ db: t.db, email: 'x@example.test', displayName: 'X', password: 'long enough', timeZone: 'Moon/Base', now: NOW })).rejects.toThrow('not a known IANA time zone');
  });

  it('saves validated settings', async () => {
    const id = await addUser(t.db);
    const saved = await updateUserSettings({ db: t.db, userId: id, settings: { displayName: 'Kai', timeZone: 'Asia/Tokyo', rolloverHour: 5, newPerDay: 10, reviewsPerDay: 100, desiredRetention: 0.85, maxIntervalDays: 365 } });
    expect(saved).toMatchObject({ timeZone: 'Asia/Tokyo', rolloverHour: 5, desiredRetention: 0.85 });
    await expect(updateUserSettings({ db: t.db, userId: id, settings: { ...saved, rolloverHour: 24 } })).rejects.toThrow();
  });
});

describe('sessions', () => {
  it('finds the user of a live session and none after expiry or logout', async () => {
    const id = await addUser(t.db);
    const s = await createSession({ db: t.db, userId: id, now: NOW, ttlMs: 1000 });
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await getSessionUserId({ db: t.db, sessionId: s.id, now: new Date(NOW.getTime() + 999) })).toBe(id);
    expect(await getSessionUserId({ db: t.db, sessionId: s.id, now: new Date(NOW.getTime() + 1000) })).toBeNull();
    const s2 = await createSession({ db: t.db, userId: id, now: NOW });
    await deleteSession({ db: t.db, sessionId: s2.id });
    expect(await getSessionUserId({ db: t.db, sessionId: s2.id, now: NOW })).toBeNull();
  });
});

describe('banks', () => {
  it('keeps every previous version, writes nothing for an unchanged bank, and retires dropped items', async () => {
    const teacher = await addUser(t.db, { role: 'instructor' });
    const v1 = { id: 'mine', title: 'Mine', items: [factItem('a', 'x'), factItem('b', 'x')] };
    expect((await saveInstructorBank({ db: t.db, userId: teacher, bank: v1, now: NOW })).version).toBe(1);
    expect((await saveInstructorBank({ db: t.db, userId: teacher, bank: v1, now: NOW })).version).toBe(1);
    const v2 = { ...v1, items: [factItem('b', 'y'), factItem('c', 'y')] };
    expect((await saveInstructorBank({ db: t.db, userId: teacher, bank: v2, now: NOW })).version).toBe(2);
    const { versions } = await getOwnBankVersions({ db: t.db, userId: teacher, bankId: 'mine' });
    expect(await Promise.all(versions.map(async (v) => [v.version, JSON.parse((await bankVersionContent({ db: t.db, bankId: 'mine', version: v.version }))!)]))).toEqual([
      [2, v2],
      [1, v1],
    ]);
    expect((await listBankItems({ db: t.db, userId: teacher, bankId: 'mine' })).map((i) => [i.key, i.topic, i.position])).toEqual([
      ['b', 'y', 0],
      ['c', 'y', 1],
    ]);
    expect((await t.db.select().from(items).where(eq(items.id, 'mine/a')))[0]?.retiredAt).toEqual(NOW);
    expect(await t.db.select().from(bankVersions)).toHaveLength(2);
  });

  it('lets only the owning instructor edit, and no one edit a content bank', async () => {
    const teacher = await addUser(t.db, { role: 'instructor' });
    const other = await addUser(t.db, { role: 'instructor' });
    const student = await addUser(t.db);
    const bank = { id: 'mine', title: 'Mine', items: [factItem('a', 'x')] };
    await saveInstructorBank({ db: t.db, userId: teacher, bank, now: NOW });
    await expect(saveInstructorBank({ db: t.db, userId: other, bank, now: NOW })).rejects.toThrow(new AccessDenied('bank mine belongs to someone else'));
    await expect(saveInstructorBank({ db: t.db, userId: student, bank: { ...bank, id: 'theirs' }, now: NOW })).rejects.toThrow('only instructors can author banks');
    await loadContentBank({ db: t.db, bank: { id: 'cs231n', title: 'CS231n', items: [factItem('q', 'x')] }, now: NOW });
    await expect(saveInstructorBank({ db: t.db, userId: teacher, bank: { id: 'cs231n', title: 'Hijack', items: [] }, now: NOW })).rejects.toThrow('bank cs231n comes from content/ and cannot be edited here');
    await expect(loadContentBank({ db: t.db, bank: { id: 'x', title: 'x', items: [factItem('a', 't'), factItem('a', 't')] }, now: NOW })).rejects.toThrow('bank x has two items with id a');
  });

  it('shows an item only to those who study or own its bank', async () => {
    const teacher = await addUser(t.db, { role: 'instructor' });
    const student = await addUser(t.db);
    await saveInstructorBank({ db: t.db, userId: teacher, bank: { id: 'mine', title: 'Mine', items: [factItem('a', 'x')] }, now: NOW });
    expect((await getItemForUser({ db: t.db, userId: teacher, itemId: 'mine/a' }))?.key).toBe('a');
    expect(await getItemForUser({ db: t.db, userId: student, itemId: 'mine/a' })).toBeNull();
    await expect(listBankItems({ db: t.db, userId: student, bankId: 'mine' })).rejects.toThrow(AccessDenied);
    const cls = await createClass({ db: t.db, userId: teacher, name: 'C', now: NOW });
    expect(cls.joinCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    await joinClass({ db: t.db, userId: student, joinCode: cls.joinCode, now: NOW });
    await publishBankToClass({ db: t.db, userId: teacher, classId: cls.id, bankId: 'mine', now: NOW });
    expect((await getItemForUser({ db: t.db, userId: student, itemId: 'mine/a' }))?.key).toBe('a');
    await expect(joinClass({ db: t.db, userId: student, joinCode: 'NOPE2345', now: NOW })).rejects.toThrow('no class has the join code NOPE2345');
    await expect(publishBankToClass({ db: t.db, userId: student, classId: cls.id, bankId: 'mine', now: NOW })).rejects.toThrow(`class ${cls.id} is not one you teach`);
  });
});

describe('the database', () => {
  // SQLite: WAL, foreign keys and a busy timeout are per-connection pragmas. PostgreSQL always
  // enforces foreign keys; its migrations run under an advisory lock, so processes opening at once migrate once.
  it('opens with the settings its engine needs and is migrated once, however often it is opened', async () => {
    const migrations = testEngine() === 'postgres' ? sql`drizzle.__drizzle_migrations` : sql`__drizzle_migrations`;
    const applied = async (database: Database) => Number((await database.rows<{ n: number | string }>(sql`select count(*) as n from ${migrations}`))[0]!.n);
    expect(await applied(t.database)).toBe(journalEntries(t.dialect));
    const [again, third] = await Promise.all([openDatabase(t.target, { poolSize: 1 }), openDatabase(t.target, { poolSize: 1 })]);
    try {
      expect(await applied(again)).toBe(journalEntries(t.dialect));
    } finally {
      await again.close();
      await third.close();
    }
    if (testEngine() === 'sqlite') {
      const sqlite = t.database.sqlite!;
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    }
    await expect(t.rows(sql`insert into sessions (id, user_id, expires_at, created_at) values ('x', 999999, 0, 0)`)).rejects.toThrow(
      testEngine() === 'postgres' ? /violates foreign key constraint/ : /FOREIGN KEY constraint failed/,
    );
    // Tables and columns are snake_case.
    const columns = (
      await t.rows<{ name: string }>(
        testEngine() === 'postgres'
          ? sql`select column_name as name from information_schema.columns where table_schema = 'public' and table_name = 'reviews'`
          : sql`select name from pragma_table_info('reviews')`,
      )
    ).map((c) => c.name);
    expect(columns).toContain('client_review_id');
    expect(columns).toContain('state_before');
  });
});

/** The migrations drizzle-kit generated for `dialect` (its journal's entries). */
function journalEntries(dialect: 'sqlite' | 'postgres'): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder(dialect), 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

describe('the environment', () => {
  it('defaults DATABASE_PATH and PORT, turns fuzz off under test, and names a bad variable', async () => {
    expect(parseEnv({})).toMatchObject({ DATABASE_PATH: 'data/stride.db', PORT: 3000, NODE_ENV: 'development', FSRS_FUZZ: 'on' });
    expect(parseEnv({ NODE_ENV: 'test' }).FSRS_FUZZ).toBe('off');
    expect(parseEnv({ NODE_ENV: 'test', FSRS_FUZZ: 'on' }).FSRS_FUZZ).toBe('on');
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/^invalid environment: PORT: /);
  });
});
