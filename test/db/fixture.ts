/** A fresh, migrated SQLite file in a temp dir, with helpers to add users and banks. */
import { afterEach, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/client';
import { users } from '../../db/schema';
import { loadContentBank, type BankItemInput } from '../../app/models/bank.server';
import type Database from 'better-sqlite3';

export interface TempDb {
  db: Db;
  sqlite: Database.Database;
  path: string;
  close(): void;
}

export function openTempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'stride-db-'));
  const path = join(dir, 'stride.db');
  const { db, sqlite } = openDatabase(path);
  return {
    db,
    sqlite,
    path,
    close() {
      if (sqlite.open) sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A user inserted directly (no scrypt: user.test.ts covers passwords). */
export function addUser(db: Db, fields: Partial<typeof users.$inferInsert> = {}): number {
  const n = db.select({ id: users.id }).from(users).all().length + 1;
  return db
    .insert(users)
    .values({ email: `student${n}@example.test`, displayName: `Student ${n}`, passwordHash: 'scrypt$test', createdAt: new Date(0), ...fields })
    .returning({ id: users.id })
    .get().id;
}

export function factItem(id: string, topic: string): BankItemInput {
  return { id, kind: 'basic', topic, tags: [], front: `front of ${id}`, back: `back of ${id}` };
}

export function generatedItem(id: string, topic: string, family: string): BankItemInput {
  return { id, kind: 'generated', topic, tags: [], title: `${family} question`, family, ranges: {}, difficulty: 2 };
}

/** Loads a content bank; returns the database ids of its items, in order. */
export function addContentBank(db: Db, bankId: string, items: BankItemInput[], now = new Date(0)): string[] {
  loadContentBank({ db, bank: { id: bankId, title: bankId, items }, now });
  return items.map((it) => `${bankId}/${it.id}`);
}

/** Rows in a table (for before/after comparisons). */
export function countRows(t: TempDb, table: 'users' | 'cards' | 'reviews' | 'items' | 'bank_versions'): number {
  return (t.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}

/** A fresh database with one instructor for each test of the file (the authoring tests' set-up). */
export function eachTestWithInstructor(): { readonly t: TempDb; readonly instructor: number } {
  let t: TempDb | undefined;
  let instructor = 0;
  beforeEach(() => {
    t = openTempDb();
    instructor = addUser(t.db, { email: 'ines@example.test', role: 'instructor' });
  });
  afterEach(() => t?.close());
  return {
    get t() {
      if (!t) throw new Error('the database is opened per test: use it inside a test or hook');
      return t;
    },
    get instructor() {
      return instructor;
    },
  };
}
