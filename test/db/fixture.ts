/**
 * A fresh, migrated database for each test, on the engine of the test project:
 * STRIDE_TEST_ENGINE=postgres (the `db-postgres` project, a database of its own on the test
 * server) or SQLite (a file in a temp dir). Helpers add users and banks.
 */
import { afterEach, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { openDatabase, type Database, type Db, type Dialect } from '../../db/client';
import { users } from '../../db/schema';
import { loadContentBank, type BankItemInput } from '../../app/models/bank.server';
import { createTestDatabase } from '../support/postgres';

export interface TempDb {
  db: Db;
  database: Database;
  dialect: Dialect;
  /** The SQLite path or the PostgreSQL URL: what a second connection (a worker, a server) opens. */
  target: string;
  /** Raw rows, with integers as numbers and booleans as 0/1 on both engines (for before/after comparisons). */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

/** The engine these tests run on. */
export function testEngine(): Dialect {
  return process.env.STRIDE_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

/** PostgreSQL returns bigint as text and booleans as booleans; SQLite numbers and 0/1: one form for comparisons. */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'string' && /^-?\d+$/.test(v) && v.length < 16 ? Number(v) : v;
  return out;
}

export async function openTempDb(): Promise<TempDb> {
  let target: string;
  let cleanup: () => Promise<void>;
  if (testEngine() === 'postgres') {
    const created = await createTestDatabase();
    target = created.url;
    cleanup = created.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'stride-db-'));
    target = join(dir, 'stride.db');
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const database = await openDatabase(target, { poolSize: 4 });
  let closed = false;
  return {
    db: database.db,
    database,
    dialect: database.dialect,
    target,
    rows: async <T,>(query: SQL) => (await database.rows<Record<string, unknown>>(query)).map(normalise) as T[],
    async close() {
      if (closed) return;
      closed = true;
      await database.close();
      await cleanup();
    },
  };
}

/** A user inserted directly (no scrypt: user.test.ts covers passwords). */
export async function addUser(db: Db, fields: Partial<typeof users.$inferInsert> = {}): Promise<number> {
  const n = (await db.select({ id: users.id }).from(users)).length + 1;
  const [row] = await db
    .insert(users)
    .values({ email: `student${n}@example.test`, displayName: `Student ${n}`, passwordHash: 'scrypt$test', createdAt: new Date(0), ...fields })
    .returning({ id: users.id });
  return row!.id;
}

export function factItem(id: string, topic: string): BankItemInput {
  return { id, kind: 'basic', topic, tags: [], front: `front of ${id}`, back: `back of ${id}` };
}

export function generatedItem(id: string, topic: string, family: string): BankItemInput {
  return { id, kind: 'generated', topic, tags: [], title: `${family} question`, family, ranges: {}, difficulty: 2 };
}

/** Loads a content bank; returns the database ids of its items, in order. */
export async function addContentBank(db: Db, bankId: string, items: BankItemInput[], now = new Date(0)): Promise<string[]> {
  await loadContentBank({ db, bank: { id: bankId, title: bankId, items }, now });
  return items.map((it) => `${bankId}/${it.id}`);
}

/** Rows in a table (for before/after comparisons). */
export async function countRows(t: TempDb, table: 'users' | 'cards' | 'reviews' | 'items' | 'banks' | 'bank_versions' | 'memberships' | 'sessions'): Promise<number> {
  const [row] = await t.rows<{ n: number }>(sql`select count(*) as n from ${sql.identifier(table)}`);
  return Number(row!.n);
}

/** Every row of a table, in primary-key order (for "nothing changed" comparisons). */
export async function allRows(t: TempDb, table: 'cards' | 'reviews' | 'quiz_answers' | 'quiz_attempts' | 'banks' | 'bank_versions' | 'items'): Promise<Record<string, unknown>[]> {
  return t.rows(sql`select * from ${sql.identifier(table)} order by 1`);
}

/** A fresh database for each test of the file, opened before and closed after it. */
export function eachTestDb(): { readonly t: TempDb } {
  let t: TempDb | undefined;
  beforeEach(async () => {
    t = await openTempDb();
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  return {
    get t() {
      if (!t) throw new Error('the database is opened per test: use it inside a test or hook');
      return t;
    },
  };
}

/** A fresh database with one instructor for each test of the file (the authoring tests' set-up). */
export function eachTestWithInstructor(): { readonly t: TempDb; readonly instructor: number } {
  const each = eachTestDb();
  let instructor = 0;
  // Registered after eachTestDb's hook, so it runs after the database is open.
  beforeEach(async () => {
    instructor = await addUser(each.t.db, { email: 'ines@example.test', role: 'instructor' });
  });
  return {
    get t() {
      return each.t;
    },
    get instructor() {
      return instructor;
    },
  };
}
