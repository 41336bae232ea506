/**
 * Closing a database leaves nothing behind. On PostgreSQL every pooled connection has ended at
 * the server by the time close() resolves, so dropping the database at once (the tests do;
 * an operator may) terminates nobody and nothing reports a lost connection. On SQLite both of
 * the seam's handles (the app's and the transactions') are closed: the write-ahead log is folded
 * back and removed, and another process may take the file exclusively.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { loginFailures } from '../../db/schema';
import { createTestDatabase, testPostgresUrl } from '../support/postgres';
import { testEngine } from './fixture';

describe('close', () => {
  if (testEngine() === 'sqlite') {
    it('has closed both handles when it resolves: no write-ahead log left, the file free to lock exclusively (20 rounds)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'stride-close-'));
      try {
        for (let round = 0; round < 20; round++) {
          const file = join(dir, `round-${round}.db`);
          const database = await openDatabase(file);
          // Both handles used: statements on the app's, a write in a transaction on the other.
          await database.rows(sql`select count(*) from users`);
          await database.db.transaction(async (tx) => void (await tx.insert(loginFailures).values({ key: 'account:close', at: new Date(0) })));
          await database.close();
          expect(existsSync(`${file}-wal`), `round ${round}: the write-ahead log is still there after close()`).toBe(false);
          const other = new Sqlite(file);
          try {
            other.pragma('locking_mode = exclusive');
            expect(() => other.exec('begin exclusive; commit')).not.toThrow();
          } finally {
            other.close();
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    return;
  }

  it('has ended every pooled connection at the server when it resolves (20 rounds)', async () => {
    const admin = new pg.Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    try {
      for (let round = 0; round < 20; round++) {
        const created = await createTestDatabase();
        try {
          const database = await openDatabase(created.url, { poolSize: 4 });
          // Four connections busy at once, then idle in the pool.
          await Promise.all([0, 1, 2, 3].map(() => database.rows(sql`select pg_sleep(0.01)`)));
          await database.close();
          const { rows } = await admin.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [created.name]);
          expect(rows[0]!.n, `round ${round}: backends still connected after close()`).toBe('0');
        } finally {
          await created.drop();
        }
      }
    } finally {
      await admin.end();
    }
  });
});
