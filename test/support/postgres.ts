/**
 * A real PostgreSQL server for the tests: TEST_DATABASE_URL names a role that may create
 * databases (.ci/run makes one). Each test gets its own database, copied from a migrated
 * template, and drops it after. Without a reachable server these tests fail saying how to get
 * one, as the browser tests do without Chromium: never skipped.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import { connect, migrate, migrationsFolder, redact } from '../../db/client';

export const POSTGRES_HOW_TO =
  'the PostgreSQL tests need a server: set TEST_DATABASE_URL=postgres://user@host/db for a role that may create databases, or have the local one ' +
  '(Debian: apt-get install -y postgresql && pg_ctlcluster 15 main start && su postgres -c "createuser -s root" && createdb stride_test; ' +
  'then TEST_DATABASE_URL=postgres:///stride_test?host=/var/run/postgresql). .ci/run does all of this.';

/** TEST_DATABASE_URL, else the local Debian server's socket as the current user (what .ci/run sets up). */
export function testPostgresUrl(): string {
  return process.env.TEST_DATABASE_URL ?? `postgres://${userInfo().username}@localhost/stride_test?host=/var/run/postgresql`;
}

/** The URL of `database` on the test server. */
export function urlOfDatabase(database: string): string {
  const url = new URL(testPostgresUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot reach the test PostgreSQL at ${redact(testPostgresUrl())} (${(err as Error).message || (err as { code?: string }).code}): ${POSTGRES_HOW_TO}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The template's name changes with the migrations, so a stale template is never used. */
function templateName(): string {
  const journal = readFileSync(resolve(migrationsFolder('postgres'), 'meta/_journal.json'), 'utf8');
  return `stride_template_${createHash('sha256').update(journal).digest('hex').slice(0, 12)}`;
}

let counter = 0;

/** A fresh, migrated database; `drop` removes it. */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const template = templateName();
  const name = `stride_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await admin(async (client) => {
    // Test files run in parallel workers: one makes the template, the others wait for it.
    await client.query('select pg_advisory_lock(7171)');
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [template]);
      if (!rowCount) {
        await client.query(`create database "${template}"`);
        const database = connect(urlOfDatabase(template));
        try {
          await migrate(database);
        } finally {
          await database.close();
        }
      }
      await client.query(`create database "${name}" template "${template}" strategy file_copy`);
    } finally {
      await client.query('select pg_advisory_unlock(7171)');
    }
  });
  return {
    url: urlOfDatabase(name),
    name,
    drop: () => admin(async (client) => void (await client.query(`drop database if exists "${name}" with (force)`))),
  };
}

/** An empty database (no tables): for migration tests. */
export async function createEmptyDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `stride_e_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await admin(async (client) => void (await client.query(`create database "${name}"`)));
  return { url: urlOfDatabase(name), name, drop: () => admin(async (client) => void (await client.query(`drop database if exists "${name}" with (force)`))) };
}
