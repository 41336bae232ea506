/**
 * The cookie-signing secret lives in the database (app_secrets) when SESSION_SECRET is unset, so
 * every Stride process on one database signs the same cookies; a SQLite database from before
 * keeps the secret of its `.session-secret` file.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../db/client';
import { sessionSecretOf } from '../../app/session.server';
import { appSecret } from '../../app/models/secret-token.server';
import { openTempDb, testEngine, type TempDb } from './fixture';

let t: TempDb;
let second: Database | undefined;
beforeEach(async () => {
  t = await openTempDb();
});
afterEach(async () => {
  await second?.close();
  second = undefined;
  await t.close();
});

it('is the same for two connections to one database, even when both make it at once', async () => {
  second = await openDatabase(t.target, { poolSize: 2 });
  const [a, b] = await Promise.all([sessionSecretOf(t.database), sessionSecretOf(second)]);
  expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(b).toBe(a);
  expect(await sessionSecretOf(second)).toBe(a);
  const stored = await t.rows<{ n: number }>(sql`select count(*) as n from app_secrets`);
  expect(stored).toEqual([{ n: 1 }]);
});

it('keeps the first value stored when many processes race to make one', async () => {
  const made = await Promise.all(Array.from({ length: 8 }, (_, i) => appSecret({ db: t.db, name: 'race', now: new Date(0), initial: () => `candidate-${i}` })));
  expect(new Set(made).size).toBe(1);
  expect(made[0]).toMatch(/^candidate-\d$/);
});

it('imports the secret of a SQLite database’s legacy .session-secret file, so its sessions survive the upgrade', async () => {
  if (testEngine() === 'postgres') {
    // No file belongs to a PostgreSQL database: its secret is made in app_secrets.
    expect(await sessionSecretOf(t.database)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    return;
  }
  const legacy = 'legacy-secret-from-before-the-upgrade-0123456789';
  writeFileSync(join(dirname(t.target), '.session-secret'), `${legacy}\n`, { mode: 0o600 });
  expect(await sessionSecretOf(t.database)).toBe(legacy);
  // Stored now: the file is no longer read.
  writeFileSync(join(dirname(t.target), '.session-secret'), 'changed-afterwards-0123456789-0123456789');
  expect(await sessionSecretOf(t.database)).toBe(legacy);
});
