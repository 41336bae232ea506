/**
 * The SQLite client: better-sqlite3 under drizzle, migrated on open. WAL mode so readers never
 * wait for the writer; synchronous=NORMAL, which in WAL mode survives a killed process (a
 * committed transaction is in the WAL before commit returns) and can lose only the last
 * commits on power loss, never corrupt; see docs/decisions/0006-scheduler-and-database.md.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;

export interface OpenDatabase {
  db: Db;
  sqlite: Database.Database;
}

/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The committed migrations. Beside this file when run from source; from the working
 * directory when bundled into the Remix server build (where import.meta.url is build/).
 */
export function migrationsFolder(): string {
  const beside = fileURLToPath(new URL('./migrations', import.meta.url));
  if (existsSync(resolve(beside, 'meta/_journal.json'))) return beside;
  return resolve(process.cwd(), 'db/migrations');
}

/** Opens (creating if needed) the SQLite file at `path` and applies pending migrations. */
export function openDatabase(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const db = drizzle({ client: sqlite, schema });
  migrate(db, { migrationsFolder: migrationsFolder() });
  return { db, sqlite };
}

export const DB_ERRORS = {
  notConfigured: 'no database file chosen: call useDatabaseFile(path) first (app/bootstrap.server.ts does, with DATABASE_PATH)',
  alreadyOpen: (open: string, asked: string) => `the app's database is already open at ${open}; cannot switch to ${asked}`,
} as const;

let chosenPath: string | undefined;
let opened: OpenDatabase | undefined;

/**
 * Chooses the file the app's one connection opens. db/ is a leaf: the caller (the server's
 * bootstrap, a CLI command) reads the setting and passes it here.
 */
export function useDatabaseFile(path: string): void {
  if (opened && chosenPath !== path) throw new Error(DB_ERRORS.alreadyOpen(chosenPath!, path));
  chosenPath = path;
}

/** The app's one connection, opened (and migrated) on first use at the file useDatabaseFile chose. */
export function getDatabase(): OpenDatabase {
  if (!opened) {
    if (chosenPath === undefined) throw new Error(DB_ERRORS.notConfigured);
    opened = openDatabase(chosenPath);
  }
  return opened;
}

/** The drizzle handle of the app's connection. */
export function getDb(): Db {
  return getDatabase().db;
}
