/**
 * Closing a database leaves nothing behind: on PostgreSQL every pooled connection has ended at
 * the server by the time close() resolves, so dropping the database at once (the tests do;
 * an operator may) terminates nobody and nothing reports a lost connection.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { createTestDatabase, testPostgresUrl } from '../support/postgres';
import { testEngine } from './fixture';

describe('close', () => {
  if (testEngine() !== 'postgres') {
    it.skip('PostgreSQL only (SQLite has one file handle, closed synchronously)', () => {});
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
