/**
 * The only SQL that differs between the engines, each piece written once for both: models use
 * these and never an engine's own function by name. test/db/sql.test.ts runs every one on both.
 */
import { getTableColumns, getTableName, sql, type Column, type SQL, type SQLWrapper, type Table } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './client';
import { dialectOfTables, type Dialect } from './schema';

/**
 * An integer field of a JSON text column: `json_extract` on SQLite, `->>` then a cast on PostgreSQL.
 * bigint there, as SQLite's integers are 64-bit (card states hold instants in ms); read back as a
 * number in a selection (node-postgres returns bigint as text).
 */
export function jsonInteger(column: SQLWrapper, key: string): SQL<number> {
  if (!/^\w+$/.test(key)) throw new Error(`jsonInteger: not a plain key: ${key}`);
  return dialectOfTables() === 'postgres'
    ? sql<number>`((${column})::json ->> ${sql.raw(`'${key}'`)})::bigint`.mapWith(Number)
    : sql<number>`json_extract(${column}, ${sql.raw(`'$.${key}'`)})`.mapWith(Number);
}

/** A JS number bound with a type: PostgreSQL reads two untyped parameters of `greatest` as text ('9' > '10'). */
function typedNumber(value: SQLWrapper | number): SQLWrapper {
  if (typeof value !== 'number') return value;
  if (!Number.isFinite(value)) throw new Error(`larger: not a finite number: ${value}`);
  return Number.isInteger(value) ? sql`cast(${value} as bigint)` : sql`cast(${value} as double precision)`;
}

/**
 * The larger of two numbers: SQLite's two-argument `max`, PostgreSQL's `greatest`. A bare bound
 * value (sql`${x}`) has no type on PostgreSQL: pass a JS number, a column, or asInteger(…).
 */
export function larger(a: SQLWrapper | number, b: SQLWrapper | number): SQL<number> {
  return dialectOfTables() === 'postgres' ? sql<number>`greatest(${typedNumber(a)}, ${typedNumber(b)})`.mapWith(Number) : sql<number>`max(${a}, ${b})`.mapWith(Number);
}

/**
 * A number bound as a parameter, as an integer (better-sqlite3 binds JS numbers as reals; PostgreSQL
 * needs a type to infer); read back as a number in a selection (node-postgres returns bigint as text).
 */
export function asInteger(value: SQLWrapper): SQL<number> {
  return dialectOfTables() === 'postgres' ? sql<number>`cast(${value} as bigint)`.mapWith(Number) : sql<number>`cast(${value} as integer)`.mapWith(Number);
}

/**
 * Locks the rows `where` selects from `table` until the transaction ends (PostgreSQL's
 * `SELECT … FOR UPDATE`), so two transactions that read then write them run one after the
 * other. On SQLite every transaction already holds the one write lock from its BEGIN.
 */
export async function lockRows(tx: Db, table: SQLiteTable, where: SQL | undefined): Promise<void> {
  if (dialectOfTables() !== 'postgres') return;
  await forUpdate(tx.select({ one: sql`1` }).from(table).where(where));
}

/** The rows `where` selects from `table`, read and locked in one statement (lockRows, when the caller needs them too). */
export async function lockedRows<T extends SQLiteTable>(tx: Db, table: T, where: SQL | undefined): Promise<T['$inferSelect'][]> {
  const query = tx.select().from(table as SQLiteTable).where(where);
  return (dialectOfTables() === 'postgres' ? await forUpdate(query) : await query) as T['$inferSelect'][];
}

/** The query with PostgreSQL's FOR UPDATE (the SQLite-typed builder does not offer it). */
function forUpdate(query: object): Promise<unknown[]> {
  return (query as { for(strength: 'update'): Promise<unknown[]> }).for('update');
}

/** A prepared statement named `name` (PostgreSQL prepares it once per connection under that name; SQLite ignores it). */
export function prepared<Q extends { prepare(): unknown }>(query: Q, name: string): ReturnType<Q['prepare']> {
  return (query.prepare as (name?: string) => ReturnType<Q['prepare']>).call(query, name);
}

/**
 * Takes a lock on each name until the transaction ends (PostgreSQL's transaction-scoped advisory
 * locks, in sorted order so two takers never deadlock): for work keyed by a name that may have no
 * row yet to lock, such as a login limiter's key. On SQLite BEGIN IMMEDIATE serialises already.
 */
export async function lockNames(tx: Db, names: string[]): Promise<void> {
  if (dialectOfTables() !== 'postgres') return;
  const pgTx = tx as unknown as { execute(query: SQL): Promise<unknown> };
  for (const name of [...new Set(names)].sort()) await pgTx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`);
}

const statementCache = new WeakMap<Db, Map<(handle: Db) => unknown, unknown>>();

/**
 * The prepared statements `build` makes, for use inside a transaction `tx` of `db`. SQLite has
 * one connection, so statements prepared once, on a transaction's handle, run inside any later
 * transaction of `db` (the hot review path then skips drizzle's query building); on PostgreSQL a
 * statement runs on the connection it was built on, so they are built on `tx`, each time.
 */
export function statementsIn<S>(db: Db, tx: Db, build: (handle: Db) => S): S {
  if (dialectOfTables() === 'postgres') return build(tx);
  let built = statementCache.get(db);
  if (!built) statementCache.set(db, (built = new Map()));
  if (!built.has(build)) built.set(build, build(tx));
  return built.get(build) as S;
}

// The two below serve `db copy` (db/copy.ts), which holds both engines at once: they take the
// engine as an argument instead of reading the process's.

/**
 * A column as it sorts byte by byte: text under PostgreSQL's "C" collation (code-point order, as
 * SQLite's default BINARY), so both engines list rows in one order and their checksums compare.
 */
export function inByteOrder(column: Column, dialect: Dialect): SQL {
  return dialect === 'postgres' && column.dataType === 'string' ? sql`${column} collate "C"` : sql`${column}`;
}

/**
 * After rows were inserted with their ids: points each identity sequence of `table` past the
 * largest id, so the next insert without an id does not collide. PostgreSQL only; SQLite's
 * AUTOINCREMENT already follows the largest id inserted.
 */
export async function restartIdentity(tx: Db, table: Table, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  const name = getTableName(table);
  for (const column of Object.values(getTableColumns(table))) {
    if (!(column as { generatedIdentity?: unknown }).generatedIdentity) continue;
    const query = sql`select setval(pg_get_serial_sequence(${`"${name}"`}, ${column.name}), coalesce(max(${column}), 1), max(${column}) is not null) from ${table}`;
    await (tx as unknown as { execute(q: SQL): Promise<unknown> }).execute(query);
  }
}
