/**
 * Moving a course from one database to another (`stride db copy`), on either engine at each
 * end: every table of the schema, parents before children, in batches of rows read through
 * drizzle with the source's tables and written with the target's, so each engine's own forms
 * (instants, booleans) are mapped by drizzle both ways; primary keys are kept.
 *
 * What was copied is then read back from the target on its own, and each side's rows hashed in
 * primary-key order (`checksumRow`): equal row counts and checksums per table say nothing was
 * lost or changed. The source is read in one snapshot (a read transaction), so a server still
 * writing to it yields a consistent copy as of that moment; the target is written in one
 * transaction, emptied first with `force`, and left as it was when anything fails.
 */
import { createHash, type Hash } from 'node:crypto';
import { and, count, eq, getTableColumns, getTableName, or, sql, type Column, type SQL } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { DB_ERRORS, latestKnownMigration, migrate, newestAppliedMigration, type Database, type Db } from './client';
import { tablesOf, type Dialect } from './schema';
import { inByteOrder, restartIdentity } from './sql';

type Tables = ReturnType<typeof tablesOf>;
export type TableKey = keyof Tables;
type Row = Record<string, unknown>;

/** Rows read or written per statement; a batch of the widest table stays under SQLite's 32,766 bound parameters. */
export const COPY_BATCH_ROWS = 1000;
const MAX_PARAMETERS = 30_000;

export const COPY_ERRORS = {
  noMigrations: (where: string) => `${where} has no Stride migrations: it is not a Stride database, or Stride never started on it`,
  olderSource: (where: string, applied: number, known: number) =>
    `${where} is at the migration of ${new Date(applied).toISOString()}, older than this code's latest (${new Date(known).toISOString()}): ` +
    'start Stride on it once (npm start with DATABASE_PATH or DATABASE_URL set to it) so it migrates, then copy it',
  notEmpty: (where: string, table: string, rows: number) =>
    `the target ${where} is not empty: ${table} has ${rows} row${rows === 1 ? '' : 's'}; give --force to delete every row of the target first`,
  failed: (table: string, why: string) => `copying ${table} failed, the target is left as it was: ${why}`,
  notCanonical: (table: string, key: string, value: unknown) => `${table}.${key}: a value of type ${typeof value} has no canonical form for the checksum`,
} as const;

/** A copy the state of either database refuses (an old source, a non-empty target): exit code 1, nothing written. */
export class CopyRefusal extends Error {
  override name = 'CopyRefusal';
}

export interface TableCopy {
  table: string;
  sourceRows: number;
  targetRows: number;
  /** sha256 (hex) over the table's rows in primary-key order (checksumRow). */
  sourceChecksum: string;
  targetChecksum: string;
  match: boolean;
}

export interface CopyOptions {
  /** Delete every row of a non-empty target first (in the copy's transaction). */
  force?: boolean;
  batchRows?: number;
}

/** Every table, each after the tables its foreign keys name (the order inserts must take; deletes take it backwards). */
export function tablesInCopyOrder(): TableKey[] {
  const tables = tablesOf('sqlite');
  const keys = Object.keys(tables) as TableKey[];
  const keyOf = new Map<unknown, TableKey>(keys.map((k) => [tables[k], k]));
  const parents = new Map(
    keys.map((k) => [k, new Set(getTableConfig(tables[k] as SQLiteTable).foreignKeys.map((fk) => keyOf.get(fk.reference().foreignTable)!).filter((p) => p !== k))]),
  );
  const order: TableKey[] = [];
  while (order.length < keys.length) {
    const ready = keys.filter((k) => !order.includes(k) && [...parents.get(k)!].every((p) => order.includes(p)));
    if (ready.length === 0) throw new Error(`the foreign keys of ${keys.filter((k) => !order.includes(k)).join(', ')} form a cycle: no copy order`);
    order.push(...ready);
  }
  return order;
}

/** The primary-key columns of a table, by key, in key order (composite keys as declared). */
function primaryKeyOf(key: TableKey, dialect: Dialect): [string, Column][] {
  const sqliteTable = tablesOf('sqlite')[key] as SQLiteTable;
  const sqliteColumns = Object.entries(getTableColumns(sqliteTable));
  const composite = getTableConfig(sqliteTable).primaryKeys[0]?.columns.map((c) => c.name);
  const names = composite ?? sqliteColumns.filter(([, c]) => c.primary).map(([, c]) => c.name);
  const columns = getTableColumns(tablesOf(dialect)[key]) as Record<string, Column>;
  return names.map((name) => {
    const k = sqliteColumns.find(([, c]) => c.name === name)![0];
    return [k, columns[k]!];
  });
}

/** Rows strictly after `last` in primary-key order: (a > x) or (a = x and b > y) … */
function after(key: [string, Column][], last: unknown[], dialect: Dialect): SQL {
  const terms = key.map(([, column], i) => and(...key.slice(0, i).map(([, previous], j) => eq(previous, last[j])), sql`${inByteOrder(column, dialect)} > ${last[i]}`));
  return or(...terms)!;
}

/** The rows of `key` in primary-key order, `size` at a time (keyset pages: no batch rereads the ones before it). */
async function* batchesOf(db: Db, dialect: Dialect, key: TableKey, size: number): AsyncGenerator<Row[]> {
  const table = tablesOf(dialect)[key];
  const pk = primaryKeyOf(key, dialect);
  let last: unknown[] | undefined;
  for (;;) {
    const rows = (await db
      .select()
      .from(table)
      .where(last ? after(pk, last, dialect) : undefined)
      .orderBy(...pk.map(([, column]) => inByteOrder(column, dialect)))
      .limit(size)) as Row[];
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    const end = rows[rows.length - 1]!;
    last = pk.map(([k]) => end[k]);
  }
}

/**
 * One row in the form both engines agree on, for the checksum: the values of the table's
 * columns in the schema's key order, instants as epoch milliseconds, booleans as 0/1, numbers as
 * JS numbers (JSON writes the shortest text that reads back the same double), null as null.
 */
export function checksumRow(table: string, columnKeys: string[], row: Row): string {
  return JSON.stringify(
    columnKeys.map((key) => {
      const value = row[key];
      if (value === null || value === undefined) return null;
      if (value instanceof Date) return value.getTime();
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'number' || typeof value === 'string') return value;
      throw new Error(COPY_ERRORS.notCanonical(table, key, value));
    }),
  );
}

/** The running count and sha256 of one side of one table. */
class TableDigest {
  rows = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly columnKeys: string[];
  constructor(private readonly table: string) {
    this.columnKeys = Object.keys(getTableColumns(tablesOf('sqlite')[table as TableKey]));
  }
  add(rows: Row[]): void {
    for (const row of rows) this.hash.update(checksumRow(this.table, this.columnKeys, row) + '\n');
    this.rows += rows.length;
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}

/** The rows a batch may hold in `key`: COPY_BATCH_ROWS, fewer when the table is wide. */
function batchRowsOf(key: TableKey, asked: number): number {
  const columns = Object.keys(getTableColumns(tablesOf('sqlite')[key])).length;
  return Math.max(1, Math.min(asked, Math.floor(MAX_PARAMETERS / columns)));
}

/** The innermost message of an error (drizzle wraps the driver's in "Failed query: …" with every parameter). */
function reasonOf(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message || String((e as { code?: unknown }).code ?? e.name) : String(err);
}

/** Refuses (CopyRefusal) a source that is not at this code's latest migration: its tables would not be the ones copied. */
export async function assertCurrentSource(source: Database): Promise<void> {
  const applied = await newestAppliedMigration(source);
  const known = latestKnownMigration(source.dialect);
  if (applied === null) throw new CopyRefusal(COPY_ERRORS.noMigrations(source.where));
  if (applied > known) throw new CopyRefusal(DB_ERRORS.newerDatabase(source.where, applied, known));
  if (applied < known) throw new CopyRefusal(COPY_ERRORS.olderSource(source.where, applied, known));
}

/**
 * Runs `fn` in one read snapshot of `database`: on SQLite a deferred transaction (WAL: the
 * server's writers go on, this reader sees none of them), on PostgreSQL REPEATABLE READ, READ ONLY.
 */
async function inSnapshot<T>(database: Database, fn: (db: Db) => Promise<T>): Promise<T> {
  if (database.dialect === 'postgres') {
    const transaction = database.db.transaction as unknown as (f: (tx: Db) => Promise<T>, config: { isolationLevel: 'repeatable read'; accessMode: 'read only' }) => Promise<T>;
    return transaction.call(database.db, fn, { isolationLevel: 'repeatable read', accessMode: 'read only' });
  }
  const sqlite = database.sqlite!;
  sqlite.exec('begin deferred');
  try {
    return await fn(database.db);
  } finally {
    if (sqlite.inTransaction) sqlite.exec('rollback');
  }
}

/** Refuses a target with any row in any table, or (with `force`) deletes them all, children first. */
async function emptyTarget(tx: Db, target: Database, order: TableKey[], force: boolean): Promise<void> {
  const tables = tablesOf(target.dialect);
  for (const key of order) {
    const [{ rows }] = (await tx.select({ rows: count() }).from(tables[key])) as [{ rows: number }];
    if (rows > 0 && !force) throw new CopyRefusal(COPY_ERRORS.notEmpty(target.where, getTableName(tables[key]), rows));
  }
  if (force) for (const key of [...order].reverse()) await tx.delete(tables[key]);
}

/** The count and checksum of every table of `database`, read on its own (the target's side of the comparison). */
export async function digestTables(database: Database, batchRows = COPY_BATCH_ROWS): Promise<Map<TableKey, { rows: number; checksum: string }>> {
  const digests = new Map<TableKey, { rows: number; checksum: string }>();
  await inSnapshot(database, async (db) => {
    for (const key of tablesInCopyOrder()) {
      const digest = new TableDigest(key);
      for await (const rows of batchesOf(db, database.dialect, key, batchRowsOf(key, batchRows))) digest.add(rows);
      digests.set(key, { rows: digest.rows, checksum: digest.hex() });
    }
  });
  return digests;
}

/**
 * Copies every table of `source` into `target` (migrated here first). Refuses an out-of-date
 * source and a non-empty target (unless `force`) with a CopyRefusal; any other failure rolls the
 * target back and throws naming the table. Returns each table's counts and checksums.
 */
export async function copyDatabase(source: Database, target: Database, options: CopyOptions = {}): Promise<TableCopy[]> {
  const batchRows = options.batchRows ?? COPY_BATCH_ROWS;
  await assertCurrentSource(source);
  await migrate(target);
  const order = tablesInCopyOrder();
  const into = tablesOf(target.dialect);
  const sourceDigests = await inSnapshot(source, (from) =>
    target.db.transaction(async (tx) => {
      await emptyTarget(tx, target, order, options.force ?? false);
      const digests = new Map<TableKey, TableDigest>();
      for (const key of order) {
        const digest = new TableDigest(key);
        try {
          for await (const rows of batchesOf(from, source.dialect, key, batchRowsOf(key, batchRows))) {
            await tx.insert(into[key]).values(rows as never);
            digest.add(rows);
          }
          await restartIdentity(tx, into[key], target.dialect);
        } catch (err) {
          throw new Error(COPY_ERRORS.failed(getTableName(into[key]), reasonOf(err)), { cause: err });
        }
        digests.set(key, digest);
      }
      return digests;
    }),
  );
  const targetDigests = await digestTables(target, batchRows);
  return order.map((key) => {
    const from = sourceDigests.get(key)!;
    const to = targetDigests.get(key)!;
    const sourceChecksum = from.hex();
    return {
      table: getTableName(into[key]),
      sourceRows: from.rows,
      targetRows: to.rows,
      sourceChecksum,
      targetChecksum: to.checksum,
      match: from.rows === to.rows && sourceChecksum === to.checksum,
    };
  });
}
