/**
 * The built server on PostgreSQL (DATABASE_URL): start-up refusals, two processes migrating one
 * empty database at once, one login seen by both, a student's whole review session, and a lost
 * connection answered 503 with the pool recovering.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { connect, migrate, migrationsFolder, type Database } from '../../db/client';
import { tablesOf } from '../../db/schema';
import { readFileSync } from 'node:fs';
import { createEmptyDatabase } from '../support/postgres';
import { reviewOneCard, signUp } from '../support/review-client';
import { repoRoot, startServer, type TestServer } from '../support/server';

/** Runs server.js expecting it to stop before listening; returns its exit code and what it printed. */
function failedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'server.js')], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'production', PORT: '1', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const journalEntries = () => (JSON.parse(readFileSync(path.join(migrationsFolder('postgres'), 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

describe('start-up refuses a bad DATABASE_URL with one line, before listening', () => {
  test('malformed', async () => {
    const run = await failedStart({ DATABASE_URL: 'postgres//nobody@/' });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('DATABASE_URL: must be a PostgreSQL URL');
    expect(run.stdout).not.toContain('http://');
  });

  test('unreachable', async () => {
    const run = await failedStart({ DATABASE_URL: 'postgres://stride:secret-pw@127.0.0.1:9/stride' });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^stride: cannot start: cannot reach PostgreSQL at postgres:\/\/stride:\*\*\*@127\.0\.0\.1:9\/stride: .*ECONNREFUSED/);
    expect(run.stderr).not.toContain('secret-pw');
  });

  test('a database migrated by newer code', async () => {
    const empty = await createEmptyDatabase();
    cleanups.push(empty.drop);
    const database = connect(empty.url);
    await migrate(database);
    const future = Date.UTC(2100, 0, 1);
    await database.rows(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', ${future})`);
    await database.close();
    const run = await failedStart({ DATABASE_URL: empty.url });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('has a migration from 2100-01-01T00:00:00.000Z, newer than this code');
  });
});

describe('two processes on one PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  let database: Database;
  let url: string;

  test('both start at once on an empty database, which is migrated once', async () => {
    const empty = await createEmptyDatabase();
    cleanups.push(empty.drop);
    url = empty.url;
    // No SESSION_SECRET: the processes must find the same one in the database.
    const env = { DATABASE_URL: url, DATABASE_POOL_SIZE: '4', FSRS_FUZZ: 'off' };
    [a, b] = await Promise.all([startServer({ env }), startServer({ env })]);
    cleanups.push(a.stop, b.stop);
    database = connect(url);
    cleanups.push(() => database.close());
    const [applied] = await database.rows<{ n: string }>(sql`select count(*) as n from drizzle.__drizzle_migrations`);
    expect(Number(applied!.n)).toBe(journalEntries());
    const [tables] = await database.rows<{ n: string }>(sql`select count(*) as n from information_schema.tables where table_schema = 'public'`);
    expect(Number(tables!.n)).toBe(Object.keys(tablesOf('postgres')).length);
    // The content banks were loaded once, not twice.
    const banks = await database.rows<{ id: string; versions: string }>(sql`select b.id, count(v.id) as versions from banks b join bank_versions v on v.bank_id = b.id group by b.id`);
    expect(banks.length).toBeGreaterThan(0);
    for (const bank of banks) expect(Number(bank.versions), bank.id).toBe(1);
  });

  test('a student who signs up on one is signed in on the other, and reviews a whole session across both', async () => {
    const cookie = await signUp(a.url, 'ada@example.test');
    const onB = await fetch(b.url + '/', { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain('ada');
    await database.rows(sql`update users set new_per_day = 6 where email = 'ada@example.test'`);
    const stored: string[] = [];
    for (let i = 0; i < 200; i++) {
      const step = await reviewOneCard(i % 2 ? a.url : b.url, cookie, database, i % 3 !== 0);
      if (step.kind === 'done') break;
      expect(step, JSON.stringify(step)).toMatchObject({ kind: 'reviewed' });
      if (step.kind === 'reviewed') stored.push(step.clientReviewId);
    }
    expect(stored.length).toBeGreaterThanOrEqual(6);
    const rows = await database.rows<{ id: string }>(sql`select client_review_id as id from reviews r join users u on u.id = r.user_id where u.email = 'ada@example.test'`);
    expect(rows.map((r) => r.id).sort()).toEqual([...stored].sort());
    const page = await (await fetch(a.url + '/review', { headers: { Cookie: cookie } })).text();
    expect(page).not.toContain('data-item=');
  });

  test('a connection lost mid-request answers 503; nothing is written and the pool recovers', async () => {
    const cookie = await signUp(a.url, 'bea@example.test');
    const lock = new pg.Client({ connectionString: url });
    await lock.connect();
    try {
      // Hold the sessions table so a's next request waits on it, then end a's connections.
      await lock.query('begin');
      await lock.query('lock table sessions in access exclusive mode');
      const pending = fetch(a.url + '/', { headers: { Cookie: cookie }, redirect: 'manual' });
      let waiting: number[] = [];
      for (let i = 0; i < 200 && waiting.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 25));
        const { rows } = await lock.query<{ pid: number }>(
          `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`,
        );
        waiting = rows.map((r) => r.pid);
      }
      expect(waiting.length).toBeGreaterThan(0);
      for (const pid of waiting) await lock.query('select pg_terminate_backend($1)', [pid]);
      const res = await pending;
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('nothing was saved');
      await lock.query('rollback');
    } finally {
      await lock.end();
    }
    const again = await fetch(a.url + '/', { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(again.status).toBe(200);
    expect((await fetch(a.url + '/healthz')).status).toBe(200);
  });
});
