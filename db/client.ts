/**
 * The data layer's seam: one async drizzle handle over either engine.
 *
 * - SQLite (the default, `DATABASE_PATH`): better-sqlite3 under drizzle's async sqlite-proxy
 *   driver, WAL mode so readers never wait for the writer; synchronous=NORMAL, which in WAL mode
 *   survives a killed process and can lose only the last commits on power loss, never corrupt
 *   (decision record 0006). One connection: a transaction holds it (ConnectionGate) so no other
 *   request's statement lands inside it while it awaits.
 * - PostgreSQL (`DATABASE_URL=postgres://…`): node-postgres's Pool under drizzle's node-postgres
 *   driver; migrations under an advisory lock, so processes starting together migrate once.
 *
 * Models see only `Db`, typed as the async SQLite handle; the PostgreSQL handle offers the same
 * query builder over db/schema-pg.ts. Decision record 0017.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzleSqliteSync } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { drizzle as drizzleSqliteProxy } from 'drizzle-orm/sqlite-proxy';
import pg from 'pg';
import { tablesOf, useDialectTables, type Dialect } from './schema';
import * as sqliteSchema from './schema-sqlite';

export type { Dialect } from './schema';

/** The handle models use: the async SQLite type; on PostgreSQL the same builder (see the header). */
export type Db = BaseSQLiteDatabase<'async', unknown, typeof sqliteSchema>;

/** The handle inside db.transaction: queries run on it take part in the transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  dialect: Dialect;
  db: Db;
  /** The SQLite path or PostgreSQL URL it was opened from: what another connection (a worker thread) opens. */
  target: string;
  /** The file, or the URL without its password: for messages. */
  where: string;
  /** The rows of a raw query, as objects keyed by column name (health check, copy, tests). */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
  /** The better-sqlite3 connection (SQLite only): pragmas, online backup. */
  sqlite?: BetterSqlite3.Database;
  /** The connection pool (PostgreSQL only). */
  pool?: pg.Pool;
}

export interface ConnectOptions {
  /** PostgreSQL connections kept by this process (DATABASE_POOL_SIZE). */
  poolSize?: number;
}

export const DB_ERRORS = {
  notOpen: 'the database is not open: await openProcessDatabase() first (app/bootstrap.server.ts does, from DATABASE_URL or DATABASE_PATH)',
  alreadyOpen: (open: string, asked: string) => `the app's database is already open at ${open}; cannot switch to ${asked}`,
  badUrl: (url: string) => `DATABASE_URL is not a PostgreSQL URL (postgres://user:password@host:port/database): ${redact(url)}`,
  unreachable: (where: string, why: string) => `cannot reach PostgreSQL at ${where}: ${why}`,
  newerDatabase: (where: string, applied: number, known: number) =>
    `the database at ${where} has a migration from ${new Date(applied).toISOString()}, newer than this code's latest (${new Date(known).toISOString()}): run a newer Stride, or restore a backup`,
} as const;

/** How long a SQLite writer waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;
/** How many distinct SQL texts keep a prepared better-sqlite3 statement. */
const STATEMENT_CACHE = 1000;
/** pg_advisory_lock keys of the migration and start-up steps: constants no other application uses. */
const MIGRATION_LOCK = 0x57121de;
const STARTUP_LOCK = 0x57121df;

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** A URL with its password replaced, for messages and logs. */
export function redact(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return target.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** The committed migrations of `dialect`: beside this file from source, from the working directory in the server build. */
export function migrationsFolder(dialect: Dialect): string {
  const sub = dialect === 'postgres' ? 'pg' : 'sqlite';
  const beside = fileURLToPath(new URL(`./migrations/${sub}`, import.meta.url));
  if (existsSync(resolve(beside, 'meta/_journal.json'))) return beside;
  return resolve(process.cwd(), `db/migrations/${sub}`);
}

/** The `when` of the newest migration this code knows (drizzle's journal). */
export function latestKnownMigration(dialect: Dialect): number {
  const journal = JSON.parse(readFileSync(resolve(migrationsFolder(dialect), 'meta/_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(...journal.entries.map((e) => e.when));
}

// ---------------------------------------------------------------------------------------------
// SQLite

/**
 * One connection, many async callers: transactions run one at a time, and while one is open
 * every statement from outside it waits for it to end. A transaction's own statements go through
 * a second drizzle handle on the same connection (its `tx`), which never waits: that is how the
 * gate tells them apart, without AsyncLocalStorage (whose promise hooks slow every await of the
 * process on Node 20). So a transaction must use its `tx` only: a statement on the app's `db`
 * inside one waits for that transaction, which waits for it.
 */
class ConnectionGate {
  private held = false;
  private waiting: (() => void)[] = [];

  get busy(): boolean {
    return this.held;
  }

  async free(): Promise<void> {
    while (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    // Checked and taken in one step (no await between): two woken waiters never both take it.
    while (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
      const woken = this.waiting;
      this.waiting = [];
      for (const wake of woken) wake();
    }
  }
}

function connectSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);

  const statements = new Map<string, BetterSqlite3.Statement>();
  const statement = (text: string) => {
    let s = statements.get(text);
    if (!s) {
      s = sqlite.prepare(text);
      if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
      statements.set(text, s);
    }
    return s;
  };
  const gate = new ConnectionGate();
  const execute = (text: string, params: unknown[], method: 'run' | 'all' | 'values' | 'get') => {
    const s = statement(text);
    if (method === 'run' || !s.reader) {
      s.run(...params);
      return { rows: [] };
    }
    s.raw(true);
    return { rows: method === 'get' ? s.get(...params) : s.all(...params) };
  };
  const db = drizzleSqliteProxy(
    async (text, params, method) => {
      if (gate.busy) await gate.free();
      return execute(text, params, method) as { rows: unknown[] };
    },
    { schema: sqliteSchema },
  ) as unknown as Db;
  const inTransaction = drizzleSqliteProxy(async (text, params, method) => execute(text, params, method) as { rows: unknown[] }, { schema: sqliteSchema }) as unknown as Db;
  // Every transaction takes the write lock at BEGIN (IMMEDIATE): no upgrade deadlock between
  // connections (the bank-jobs worker has its own).
  db.transaction = ((fn: Parameters<Db['transaction']>[0]) => gate.exclusive(() => inTransaction.transaction(fn, { behavior: 'immediate' }))) as Db['transaction'];
  const dialect = new SQLiteAsyncDialect();
  return {
    dialect: 'sqlite',
    db,
    target: path,
    where: path,
    sqlite,
    async rows<T>(query: SQL) {
      if (gate.busy) await gate.free();
      const { sql: text, params } = dialect.sqlToQuery(query);
      const s = statement(text);
      if (!s.reader) {
        s.run(...params);
        return [];
      }
      return s.raw(false).all(...params) as T[];
    },
    async close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** The `created_at` of the newest migration applied to this SQLite file; null when none is. */
function newestSqliteMigration(sqlite: BetterSqlite3.Database): number | null {
  const hasTable = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'`).get();
  if (!hasTable) return null;
  const { at } = sqlite.prepare(`select max(created_at) as at from __drizzle_migrations`).get() as { at: number | null };
  return at === null ? null : Number(at);
}

function migrateSqliteFile(database: Database): void {
  const sqlite = database.sqlite!;
  const known = latestKnownMigration('sqlite');
  const at = newestSqliteMigration(sqlite) ?? 0;
  if (at > known) throw new Error(DB_ERRORS.newerDatabase(database.where, at, known));
  migrateSqlite(drizzleSqliteSync({ client: sqlite }), { migrationsFolder: migrationsFolder('sqlite') });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** Connection-level failures (the server went away, refused, restarted): a request answers 503. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03']);

export function isConnectionLost(err: unknown): boolean {
  for (let e = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)) return true;
  }
  return false;
}

/** Whether `url` is a PostgreSQL URL that names a database (postgres://…/database). */
export function isDatabaseUrl(url: string): boolean {
  if (!isPostgresUrl(url) || !URL.canParse(url)) return false;
  const { pathname } = new URL(url);
  return pathname !== '' && pathname !== '/';
}

function connectPostgres(url: string, options: ConnectOptions): Database {
  if (!isDatabaseUrl(url)) throw new Error(DB_ERRORS.badUrl(url));
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
  // pg-pool's end() resolves once its clients are told to end, not once they have: count them
  // out, so close() resolves with no backend left to be terminated by a drop or a shutdown.
  let open = 0;
  let closing = false;
  let allEnded = () => {};
  pool.on('connect', () => open++);
  pool.on('remove', () => {
    if (--open === 0) allEnded();
  });
  // An idle connection the server closed: the pool drops it and opens another when asked.
  pool.on('error', (err) => {
    if (!closing) console.error(`[stride] PostgreSQL connection lost (the pool will reconnect): ${err.message}`);
  });
  const db = drizzlePg({ client: pool, schema: tablesOf('postgres') as never }) as unknown as Db;
  const dialect = new PgDialect();
  return {
    dialect: 'postgres',
    db,
    target: url,
    where: redact(url),
    pool,
    async rows<T>(q: SQL) {
      const { sql: text, params } = dialect.sqlToQuery(q);
      return (await pool.query(text, params)).rows as T[];
    },
    async close() {
      closing = true;
      const ended = new Promise<void>((resolve) => (allEnded = resolve));
      await pool.end();
      if (open > 0) await ended;
    },
  };
}

/** A connection of the pool; failing to get one is the one-line "cannot reach" message. */
async function pooledClient(database: Database): Promise<pg.PoolClient> {
  try {
    return await database.pool!.connect();
  } catch (err) {
    throw new Error(DB_ERRORS.unreachable(database.where, err instanceof Error ? err.message || String((err as { code?: string }).code) : String(err)));
  }
}

/** The `created_at` of the newest migration applied to this PostgreSQL database; null when none is. */
async function newestPostgresMigration(client: pg.ClientBase): Promise<number | null> {
  const { rows: table } = await client.query<{ t: string | null }>(`select to_regclass('drizzle.__drizzle_migrations') as t`);
  if (!table[0]?.t) return null;
  const at = (await client.query<{ at: string | null }>('select max(created_at) as at from drizzle.__drizzle_migrations')).rows[0]?.at;
  return at === null || at === undefined ? null : Number(at);
}

/**
 * Runs `fn` while holding the PostgreSQL session advisory lock `key` on one pooled connection
 * (`fn` gets that connection): processes doing the same step take turns.
 */
async function withAdvisoryLock<T>(database: Database, key: number, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pooledClient(database);
  try {
    await client.query('select pg_advisory_lock($1)', [key]);
    try {
      return await fn(client);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
}

/** Migrates under MIGRATION_LOCK: a second process waits, then finds every migration applied and applies none. */
async function migratePostgres(database: Database): Promise<void> {
  await withAdvisoryLock(database, MIGRATION_LOCK, async (client) => {
    const known = latestKnownMigration('postgres');
    const at = (await newestPostgresMigration(client)) ?? 0;
    if (at > known) throw new Error(DB_ERRORS.newerDatabase(database.where, at, known));
    await migratePg(drizzlePg({ client }), { migrationsFolder: migrationsFolder('postgres') });
  });
}

/**
 * Runs `fn` while holding the start-up lock, so processes starting together take turns at the
 * steps after migration (loading content/, upgrading stored ranges) and each finds the last one's
 * work done. SQLite: one process per file does this at a time already (each of its writes is an
 * IMMEDIATE transaction).
 */
export async function duringStartup<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  return database.dialect === 'postgres' ? withAdvisoryLock(database, STARTUP_LOCK, () => fn()) : fn();
}

// ---------------------------------------------------------------------------------------------
// Opening

/** Connects to a SQLite file or a PostgreSQL URL; applies nothing, chooses no tables (`db copy` uses it for both ends). */
export function connect(target: string, options: ConnectOptions = {}): Database {
  return isPostgresUrl(target) ? connectPostgres(target, options) : connectSqlite(target);
}

/**
 * The `created_at` (drizzle's journal `when`) of the newest migration applied to `database`,
 * null when it has none (not a Stride database, or never started): `db copy` compares it with
 * latestKnownMigration before reading a source. Unreachable → the one-line "cannot reach" message.
 */
export async function newestAppliedMigration(database: Database): Promise<number | null> {
  if (database.dialect !== 'postgres') return newestSqliteMigration(database.sqlite!);
  const client = await pooledClient(database);
  try {
    return await newestPostgresMigration(client);
  } finally {
    client.release();
  }
}

/** Brings the database at `database` up to this code's migrations; refuses one that is newer. */
export async function migrate(database: Database): Promise<void> {
  if (database.dialect === 'postgres') await migratePostgres(database);
  else migrateSqliteFile(database);
}

/**
 * Opens (creating a SQLite file if needed) and migrates the database at `target`, and points
 * db/schema.ts's tables at its engine. One engine per process.
 */
export async function openDatabase(target: string, options: ConnectOptions = {}): Promise<Database> {
  const database = connect(target, options);
  try {
    await migrate(database);
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
  useDialectTables(database.dialect);
  return database;
}

let chosen: { target: string; options: ConnectOptions } | undefined;
let opening: Promise<Database> | undefined;
let opened: Database | undefined;

/**
 * Chooses the database the app's handle opens: a PostgreSQL URL or a SQLite path. db/ is a
 * leaf: the caller (the server's bootstrap, a CLI command) reads the setting and passes it here.
 */
export function useDatabase(target: string, options: ConnectOptions = {}): void {
  if (chosen && chosen.target !== target) throw new Error(DB_ERRORS.alreadyOpen(redact(chosen.target), redact(target)));
  chosen = { target, options };
}

/** The app's database, opened and migrated on the first call, at what useDatabase chose. */
export function openProcessDatabase(): Promise<Database> {
  if (!chosen) return Promise.reject(new Error(DB_ERRORS.notOpen));
  opening ??= openDatabase(chosen.target, chosen.options).then(
    (database) => (opened = database),
    (err: unknown) => {
      opening = undefined;
      throw err;
    },
  );
  return opening;
}

/** The app's open database; throws if openProcessDatabase has not finished. */
export function getDatabase(): Database {
  if (!opened) throw new Error(DB_ERRORS.notOpen);
  return opened;
}

/** The drizzle handle of the app's database (the default `db` of every model). */
export function getDb(): Db {
  return getDatabase().db;
}

/** Closes the app's database (CLI commands, tests), so another may be chosen. */
export async function closeProcessDatabase(): Promise<void> {
  const database = opened;
  chosen = undefined;
  opening = undefined;
  opened = undefined;
  await database?.close();
}
