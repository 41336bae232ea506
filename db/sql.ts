/**
 * The only SQL that differs between the engines, each piece written once for both: models use
 * these and never an engine's own function by name. test/db/sql.test.ts runs every one on both.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from './client';
import { dialectOfTables } from './schema';

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
export async function lockRows(tx: Db, table: Parameters<Db['select']> extends never ? never : Parameters<ReturnType<Db['select']>['from']>[0], where: SQL | undefined): Promise<void> {
  if (dialectOfTables() !== 'postgres') return;
  const query = tx.select({ one: sql`1` }).from(table).where(where) as unknown as { for(strength: 'update'): Promise<unknown> };
  await query.for('update');
}

/** A prepared statement named `name` (PostgreSQL prepares it once per connection under that name; SQLite ignores it). */
export function prepared<Q extends { prepare(): unknown }>(query: Q, name: string): ReturnType<Q['prepare']> {
  return (query.prepare as (name?: string) => ReturnType<Q['prepare']>).call(query, name);
}
