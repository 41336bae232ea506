/**
 * The two schemas as migrated (issue 13, "Schemas and migrations for both"): a fresh SQLite file
 * and a fresh PostgreSQL database, each brought up by its committed migrations, are read back from
 * the engines' own catalogues into one description (tables, columns with a normalised type,
 * nullability, default and generation, primary keys, unique keys, foreign keys, other indexes) and
 * compared. Every difference must be one of INTENDED, each with its reason; any other fails the
 * test, listed one per line. Uses both engines itself, so it lives in test/, not test/db/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, migrate, type Database } from '../db/client';
import * as sqliteTables from '../db/schema-sqlite';
import { createEmptyDatabase } from './support/postgres';

// ---------------------------------------------------------------------------------------------
// The description both engines are read into

interface ColumnShape {
  /** integer, bigint-instant, real, text, boolean; anything else as the engine names it. */
  type: string;
  notNull: boolean;
  /** The default as a JS value ('student', 4, 0.9, false), null when there is none; an expression as its text. */
  default: string | number | boolean | null;
  /** How the engine numbers new rows: 'autoincrement' (SQLite), 'identity by default' (PostgreSQL), or null. */
  generated: string | null;
}

interface ForeignKeyShape {
  columns: string[];
  table: string;
  references: string[];
  onDelete: string;
  onUpdate: string;
}

interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  /** Unique constraints and unique indexes together, each its columns in order. */
  uniqueKeys: string[][];
  foreignKeys: ForeignKeyShape[];
  /** The other indexes, by name: their columns in order ('(expression)' for one), ' where …' when partial. */
  indexes: Record<string, string>;
}

/** Tables by name; a table outside PostgreSQL's `public` schema is named `schema.table`. */
type SchemaShape = Record<string, TableShape>;

type Aspect = 'table' | 'column' | 'type' | 'nullable' | 'default' | 'generated' | 'primary key' | 'unique key' | 'foreign key' | 'index';

interface Difference {
  /** The table, or `table.column`. */
  where: string;
  aspect: Aspect;
  sqlite: string;
  postgres: string;
}

const ABSENT = '—';
const list = (columns: readonly string[]) => `(${columns.join(', ')})`;
const foreignKeyText = (fk: ForeignKeyShape) => `${list(fk.columns)} → ${fk.table}${list(fk.references)} on delete ${fk.onDelete}, on update ${fk.onUpdate}`;
const valueText = (v: unknown) => (v === null ? 'none' : typeof v === 'string' ? `'${v}'` : String(v));

/** Every difference between the two descriptions, in a stable order. */
function compareSchemas(sqlite: SchemaShape, postgres: SchemaShape): Difference[] {
  const out: Difference[] = [];
  const sets = (where: string, aspect: Aspect, a: string[], b: string[]) => {
    for (const x of a.filter((x) => !b.includes(x))) out.push({ where, aspect, sqlite: x, postgres: ABSENT });
    for (const x of b.filter((x) => !a.includes(x))) out.push({ where, aspect, sqlite: ABSENT, postgres: x });
  };
  for (const table of [...new Set([...Object.keys(sqlite), ...Object.keys(postgres)])].sort()) {
    const s = sqlite[table];
    const p = postgres[table];
    if (!s || !p) {
      out.push({ where: table, aspect: 'table', sqlite: s ? 'present' : ABSENT, postgres: p ? 'present' : ABSENT });
      continue;
    }
    for (const column of [...new Set([...Object.keys(s.columns), ...Object.keys(p.columns)])].sort()) {
      const a = s.columns[column];
      const b = p.columns[column];
      const where = `${table}.${column}`;
      if (!a || !b) {
        out.push({ where, aspect: 'column', sqlite: a ? a.type : ABSENT, postgres: b ? b.type : ABSENT });
        continue;
      }
      if (a.type !== b.type) out.push({ where, aspect: 'type', sqlite: a.type, postgres: b.type });
      if (a.notNull !== b.notNull) out.push({ where, aspect: 'nullable', sqlite: a.notNull ? 'not null' : 'null', postgres: b.notNull ? 'not null' : 'null' });
      if (a.default !== b.default) out.push({ where, aspect: 'default', sqlite: valueText(a.default), postgres: valueText(b.default) });
      if (a.generated !== b.generated) out.push({ where, aspect: 'generated', sqlite: a.generated ?? 'none', postgres: b.generated ?? 'none' });
    }
    if (list(s.primaryKey) !== list(p.primaryKey)) out.push({ where: table, aspect: 'primary key', sqlite: list(s.primaryKey), postgres: list(p.primaryKey) });
    sets(table, 'unique key', s.uniqueKeys.map(list), p.uniqueKeys.map(list));
    sets(table, 'foreign key', s.foreignKeys.map(foreignKeyText), p.foreignKeys.map(foreignKeyText));
    sets(
      table,
      'index',
      Object.entries(s.indexes).map(([name, columns]) => `${name} ${columns}`),
      Object.entries(p.indexes).map(([name, columns]) => `${name} ${columns}`),
    );
  }
  return out;
}

function differenceText(d: Difference): string {
  return `${d.where}: ${d.aspect}: SQLite ${d.sqlite}, PostgreSQL ${d.postgres}`;
}

// ---------------------------------------------------------------------------------------------
// The differences meant to be there

interface Intended {
  aspect: Aspect;
  sqlite: string;
  postgres: string;
  /** Every place the difference must appear: a place listed but not different is stale, and fails too. */
  where: string[];
  reason: string;
}

/** The columns of db/schema-sqlite.ts of one drizzle column type ('SQLiteTimestamp', 'SQLiteBoolean'…), as `table.column`. */
function declaredColumns(is: (column: ReturnType<typeof getTableConfig>['columns'][number]) => boolean): string[] {
  return Object.values(sqliteTables)
    .map((table) => getTableConfig(table as SQLiteTable))
    .flatMap((config) => config.columns.filter(is).map((column) => `${config.name}.${column.name}`))
    .sort();
}

// Which columns are instants, booleans and numbered ids is read from the SQLite schema's own
// declarations: a column PostgreSQL made bigint that SQLite does not declare as an instant, or
// an instant PostgreSQL left an int4, is a difference no entry covers (or a stale place), and fails.
const instants = declaredColumns((c) => c.columnType === 'SQLiteTimestamp');
const booleans = declaredColumns((c) => c.columnType === 'SQLiteBoolean');
const numberedIds = declaredColumns((c) => c.columnType === 'SQLiteInteger' && (c as unknown as { autoIncrement?: boolean }).autoIncrement === true);

const INTENDED: Intended[] = [
  {
    aspect: 'type',
    sqlite: 'integer',
    postgres: 'bigint-instant',
    where: instants,
    reason: "instants are milliseconds since the epoch on both: SQLite's integer is already 64-bit, PostgreSQL's integer is not, so bigint",
  },
  {
    aspect: 'type',
    sqlite: 'integer',
    postgres: 'boolean',
    where: booleans,
    reason: 'SQLite has no boolean type: drizzle stores 0/1 in an integer; PostgreSQL has boolean (drizzle maps both to JS booleans)',
  },
  {
    aspect: 'generated',
    sqlite: 'autoincrement',
    postgres: 'identity by default',
    where: numberedIds,
    reason: 'each engine\'s never-reused row numbers: SQLite AUTOINCREMENT, PostgreSQL an identity (by default, so `db copy` can keep the ids)',
  },
  {
    aspect: 'table',
    sqlite: 'present',
    postgres: ABSENT,
    where: ['__drizzle_migrations'],
    reason: "drizzle's journal of applied migrations: SQLite has one schema, so it sits beside the tables",
  },
  {
    aspect: 'table',
    sqlite: ABSENT,
    postgres: 'present',
    where: ['drizzle.__drizzle_migrations'],
    reason: "drizzle's journal of applied migrations: on PostgreSQL drizzle keeps it in a schema of its own, `drizzle`",
  },
];

const isIntended = (d: Difference) => INTENDED.some((i) => i.aspect === d.aspect && i.sqlite === d.sqlite && i.postgres === d.postgres && i.where.includes(d.where));

/** The places an intended entry lists where the engines do not in fact differ that way. */
function stalePlaces(differences: Difference[]): string[] {
  return INTENDED.flatMap((i) =>
    i.where
      .filter((where) => !differences.some((d) => d.where === where && d.aspect === i.aspect && d.sqlite === i.sqlite && d.postgres === i.postgres))
      .map((where) => `${where}: ${i.aspect}: SQLite ${i.sqlite}, PostgreSQL ${i.postgres} is listed as intended but is not a difference`),
  );
}

// ---------------------------------------------------------------------------------------------
// Reading each engine's catalogue

/** A default as the catalogue spells it → a JS value: `'student'`, `'student'::text`, `4`, `'-1'::integer`, `0.9`, `false`. */
function normaliseDefault(text: string | null): string | number | boolean | null {
  if (text === null) return null;
  let t = text.trim();
  while (/^\(.*\)$/.test(t)) t = t.slice(1, -1).trim();
  const cast = /^('(?:[^']|'')*')::[\w\s]+$/.exec(t);
  if (cast) t = cast[1]!;
  if (/^'(?:[^']|'')*'$/.test(t)) {
    const inner = t.slice(1, -1).replace(/''/g, "'");
    // A number written as a quoted literal (PostgreSQL's `'-1'::integer`) is that number.
    return cast && /^-?\d+(\.\d+)?$/.test(inner) ? Number(inner) : inner;
  }
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(t)) return Number(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^null$/i.test(t)) return null;
  return t;
}

/**
 * The engine's type name → one vocabulary. SQLite's integer is 64-bit and PostgreSQL's 32-bit; both
 * read as `integer` because no such column holds more than 2³¹ − 1 (variant seeds are 31-bit,
 * durations capped at a day, ids and counts far below): the instants that do are bigint.
 */
function normaliseType(engineType: string): string {
  const t = engineType.trim().toLowerCase();
  if (t === 'integer' || t === 'int' || t === 'int4') return 'integer';
  if (t === 'bigint' || t === 'int8') return 'bigint-instant';
  if (t === 'real' || t === 'double precision' || t === 'float8') return 'real';
  if (t === 'text') return 'text';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  return t;
}

const byKeyText = (a: string[], b: string[]) => list(a).localeCompare(list(b));

async function describeSqlite(database: Database): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  // sqlite_sequence and the like are SQLite's own bookkeeping (sqlite_sequence exists because of AUTOINCREMENT).
  const tables = await database.rows<{ name: string; sql: string }>(sql`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite\_%' escape '\\' order by name`);
  for (const { name, sql: createSql } of tables) {
    const columns = await database.rows<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(sql`select * from pragma_table_info(${name})`);
    const table: TableShape = { columns: {}, primaryKey: [], uniqueKeys: [], foreignKeys: [], indexes: {} };
    for (const c of columns) {
      // AUTOINCREMENT is only in the table's CREATE statement.
      const autoincrement = new RegExp(`[\`"\\[]?${c.name}[\`"\\]]?\\s+integer\\s+primary\\s+key\\s+autoincrement`, 'i').test(createSql);
      table.columns[c.name] = { type: normaliseType(c.type), notNull: c.notnull === 1, default: normaliseDefault(c.dflt_value), generated: autoincrement ? 'autoincrement' : null };
    }
    table.primaryKey = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);

    const indexes = await database.rows<{ name: string; unique: number; origin: string; partial: number }>(sql`select * from pragma_index_list(${name})`);
    for (const index of indexes) {
      if (index.origin === 'pk') continue;
      const parts = await database.rows<{ seqno: number; cid: number; name: string | null }>(sql`select * from pragma_index_info(${index.name})`);
      const columnsOfIndex = parts.sort((a, b) => a.seqno - b.seqno).map((p) => p.name ?? '(expression)');
      if (index.unique === 1) table.uniqueKeys.push(columnsOfIndex);
      else {
        const where = index.partial === 1 ? ` where ${/\bwhere\b([\s\S]*)$/i.exec((await database.rows<{ sql: string }>(sql`select sql from sqlite_master where name = ${index.name}`))[0]!.sql)?.[1]?.trim()}` : '';
        table.indexes[index.name] = list(columnsOfIndex) + where;
      }
    }
    table.uniqueKeys.sort(byKeyText);

    const keys = await database.rows<{ id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string }>(sql`select * from pragma_foreign_key_list(${name})`);
    for (const id of [...new Set(keys.map((k) => k.id))]) {
      const parts = keys.filter((k) => k.id === id).sort((a, b) => a.seq - b.seq);
      table.foreignKeys.push({
        columns: parts.map((k) => k.from),
        table: parts[0]!.table,
        // A reference with no column list names the referenced table's primary key.
        references: parts.every((k) => k.to !== null) ? parts.map((k) => k.to!) : ['(primary key)'],
        onDelete: parts[0]!.on_delete.toLowerCase(),
        onUpdate: parts[0]!.on_update.toLowerCase(),
      });
    }
    table.foreignKeys.sort((a, b) => foreignKeyText(a).localeCompare(foreignKeyText(b)));
    shape[name] = table;
  }
  return shape;
}

const PG_ACTIONS: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

async function describePostgres(database: Database): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  const qualified = (schema: string, table: string) => (schema === 'public' ? table : `${schema}.${table}`);
  const userSchemas = sql`not in ('pg_catalog', 'information_schema', 'pg_toast')`;

  const tables = await database.rows<{ schema: string; name: string }>(
    sql`select table_schema as schema, table_name as name from information_schema.tables where table_type = 'BASE TABLE' and table_schema ${userSchemas} order by 1, 2`,
  );
  for (const t of tables) shape[qualified(t.schema, t.name)] = { columns: {}, primaryKey: [], uniqueKeys: [], foreignKeys: [], indexes: {} };

  const columns = await database.rows<{ schema: string; table: string; name: string; data_type: string; is_nullable: string; column_default: string | null; is_identity: string; identity_generation: string | null }>(
    sql`select table_schema as schema, table_name as table, column_name as name, data_type, is_nullable, column_default, is_identity, identity_generation
        from information_schema.columns where table_schema ${userSchemas} order by table_schema, table_name, ordinal_position`,
  );
  for (const c of columns) {
    const table = shape[qualified(c.schema, c.table)];
    if (!table) continue; // a view's columns
    const serial = c.column_default?.startsWith('nextval(') ?? false;
    table.columns[c.name] = {
      type: normaliseType(c.data_type),
      notNull: c.is_nullable === 'NO',
      default: serial ? null : normaliseDefault(c.column_default),
      generated: c.is_identity === 'YES' ? `identity ${c.identity_generation!.toLowerCase()}` : serial ? 'serial' : null,
    };
  }

  // Unique constraints are backed by unique indexes of the same name, so pg_index sees both kinds.
  const indexes = await database.rows<{ schema: string; table: string; name: string; is_unique: boolean; is_primary: boolean; predicate: string | null; columns: string[] }>(
    sql`select n.nspname as schema, t.relname as table, i.relname as name, x.indisunique as is_unique, x.indisprimary as is_primary,
          pg_get_expr(x.indpred, x.indrelid) as predicate,
          array(select coalesce(a.attname::text, '(expression)') from unnest(x.indkey::int2[]) with ordinality as k(attnum, ord)
                left join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum order by k.ord) as columns
        from pg_index x join pg_class t on t.oid = x.indrelid join pg_class i on i.oid = x.indexrelid join pg_namespace n on n.oid = t.relnamespace
        where n.nspname ${userSchemas} order by 1, 2, 3`,
  );
  for (const index of indexes) {
    const table = shape[qualified(index.schema, index.table)];
    if (!table) continue;
    if (index.is_primary) table.primaryKey = index.columns;
    else if (index.is_unique) table.uniqueKeys.push(index.columns);
    else table.indexes[index.name] = list(index.columns) + (index.predicate ? ` where ${index.predicate}` : '');
  }

  const keys = await database.rows<{ schema: string; table: string; ref_schema: string; ref_table: string; on_delete: string; on_update: string; columns: string[]; references: string[] }>(
    sql`select n.nspname as schema, t.relname as table, rn.nspname as ref_schema, r.relname as ref_table, c.confdeltype as on_delete, c.confupdtype as on_update,
          array(select a.attname::text from unnest(c.conkey) with ordinality as k(attnum, ord) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.ord) as columns,
          array(select a.attname::text from unnest(c.confkey) with ordinality as k(attnum, ord) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum order by k.ord) as references
        from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
          join pg_class r on r.oid = c.confrelid join pg_namespace rn on rn.oid = r.relnamespace
        where c.contype = 'f' and n.nspname ${userSchemas}`,
  );
  for (const k of keys) {
    shape[qualified(k.schema, k.table)]?.foreignKeys.push({
      columns: k.columns,
      table: qualified(k.ref_schema, k.ref_table),
      references: k.references,
      onDelete: PG_ACTIONS[k.on_delete] ?? k.on_delete,
      onUpdate: PG_ACTIONS[k.on_update] ?? k.on_update,
    });
  }
  for (const table of Object.values(shape)) {
    table.uniqueKeys.sort(byKeyText);
    table.foreignKeys.sort((a, b) => foreignKeyText(a).localeCompare(foreignKeyText(b)));
  }
  return shape;
}

// ---------------------------------------------------------------------------------------------

describe('the comparison itself', () => {
  const column = (type: string, extra: Partial<ColumnShape> = {}): ColumnShape => ({ type, notNull: true, default: null, generated: null, ...extra });
  const cards = (): TableShape => ({
    columns: { id: column('integer'), user_id: column('integer'), suspended: column('boolean', { default: false }) },
    primaryKey: ['id'],
    uniqueKeys: [['user_id', 'id']],
    foreignKeys: [{ columns: ['user_id'], table: 'users', references: ['id'], onDelete: 'cascade', onUpdate: 'no action' }],
    indexes: { cards_user_idx: '(user_id)' },
  });

  it('finds nothing between equal descriptions', () => {
    expect(compareSchemas({ cards: cards() }, { cards: cards() })).toEqual([]);
  });

  it('finds the one difference of a hand-made pair, and it is not intended', () => {
    const other = cards();
    other.columns.user_id = column('integer', { notNull: false });
    const found = compareSchemas({ cards: cards() }, { cards: other });
    expect(found.map(differenceText)).toEqual(['cards.user_id: nullable: SQLite not null, PostgreSQL null']);
    expect(found.filter((d) => !isIntended(d))).toHaveLength(1);
  });

  it('reads each kind of difference: default, key columns in order, foreign key action, index, a missing column or table', () => {
    const other = cards();
    other.columns.suspended = column('boolean', { default: true });
    other.uniqueKeys = [['id', 'user_id']];
    other.foreignKeys[0]!.onDelete = 'no action';
    other.indexes = { cards_user_idx: '(user_id, id)' };
    delete other.columns.id;
    const found = compareSchemas({ cards: cards(), users: cards() }, { cards: other }).map(differenceText);
    expect(found).toEqual([
      'cards.id: column: SQLite integer, PostgreSQL —',
      'cards.suspended: default: SQLite false, PostgreSQL true',
      'cards: unique key: SQLite (user_id, id), PostgreSQL —',
      'cards: unique key: SQLite —, PostgreSQL (id, user_id)',
      'cards: foreign key: SQLite (user_id) → users(id) on delete cascade, on update no action, PostgreSQL —',
      'cards: foreign key: SQLite —, PostgreSQL (user_id) → users(id) on delete no action, on update no action',
      'cards: index: SQLite cards_user_idx (user_id), PostgreSQL —',
      'cards: index: SQLite —, PostgreSQL cards_user_idx (user_id, id)',
      'users: table: SQLite present, PostgreSQL —',
    ]);
  });

  it('reads defaults as both catalogues spell them', () => {
    expect(["'student'", "'student'::text", '4', "'-1'::integer", '(-1)', '0.9', 'false', 'true', "'it''s'", null].map((d) => normaliseDefault(d))).toEqual([
      'student', 'student', 4, -1, -1, 0.9, false, true, "it's", null,
    ]);
  });
});

describe('SQLite and PostgreSQL, as migrated', () => {
  let dir: string;
  let sqliteDb: Database;
  let pgDb: Database;
  let dropPg: () => Promise<void>;
  let sqliteShape: SchemaShape;
  let pgShape: SchemaShape;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stride-parity-'));
    sqliteDb = connect(join(dir, 'stride.db'));
    await migrate(sqliteDb);
    const empty = await createEmptyDatabase();
    dropPg = empty.drop;
    pgDb = connect(empty.url, { poolSize: 2 });
    await migrate(pgDb);
    sqliteShape = await describeSqlite(sqliteDb);
    pgShape = await describePostgres(pgDb);
  });

  afterAll(async () => {
    await sqliteDb?.close();
    await pgDb?.close();
    await dropPg?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the introspection reads what the schemas declare', () => {
    for (const [engine, shape] of [['sqlite', sqliteShape], ['postgres', pgShape]] as const) {
      const appTables = Object.keys(shape).filter((t) => !t.includes('__drizzle_migrations'));
      expect({ engine, tables: appTables.length }).toEqual({ engine, tables: 24 });
      expect({ engine, unique: shape.reviews!.uniqueKeys }).toEqual({ engine, unique: [['user_id', 'client_review_id']] });
      expect({ engine, fk: shape.cards!.foreignKeys.find((k) => k.columns[0] === 'user_id') }).toEqual({
        engine,
        fk: { columns: ['user_id'], table: 'users', references: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
      });
      expect({ engine, pk: shape.memberships!.primaryKey }).toEqual({ engine, pk: ['class_id', 'user_id'] });
      expect({ engine, index: shape.cards!.indexes }).toEqual({ engine, index: { cards_user_state_due_idx: '(user_id, state, due)' } });
      expect({ engine, role: shape.users!.columns.role, retention: shape.users!.columns.desired_retention!.default, hour: shape.users!.columns.rollover_hour!.default }).toEqual({
        engine,
        role: { type: 'text', notNull: true, default: 'student', generated: null },
        retention: 0.9,
        hour: 4,
      });
      expect({ engine, usedBy: shape.invitations!.foreignKeys.find((k) => k.columns[0] === 'used_by')?.onDelete, notNull: shape.invitations!.columns.used_by!.notNull }).toEqual({
        engine,
        usedBy: 'set null',
        notNull: false,
      });
    }
    expect(sqliteShape.cards!.columns.due!.type).toBe('integer');
    expect(pgShape.cards!.columns.due!.type).toBe('bigint-instant');
    expect(sqliteShape.cards!.columns.suspended).toEqual({ type: 'integer', notNull: true, default: false, generated: null });
    expect(pgShape.cards!.columns.suspended).toEqual({ type: 'boolean', notNull: true, default: false, generated: null });
    expect(sqliteShape.reviews!.columns.id!.generated).toBe('autoincrement');
    expect(pgShape.reviews!.columns.id!.generated).toBe('identity by default');
  });

  it('differ only where INTENDED says, each for its reason', () => {
    const differences = compareSchemas(sqliteShape, pgShape);
    const unexplained = differences.filter((d) => !isIntended(d)).map(differenceText);
    expect(unexplained, `differences between the schemas as migrated that INTENDED does not list:\n  ${unexplained.join('\n  ')}\n`).toEqual([]);
    const stale = stalePlaces(differences);
    expect(stale, `INTENDED lists differences the schemas no longer have:\n  ${stale.join('\n  ')}\n`).toEqual([]);
  });

  it('a change made to one engine only is found', async () => {
    await pgDb.rows(sql`alter table cards alter column stability drop not null`);
    await pgDb.rows(sql`drop index reviews_card_idx`);
    await pgDb.rows(sql`alter table users alter column rollover_hour set default 5`);
    const unexplained = compareSchemas(sqliteShape, await describePostgres(pgDb)).filter((d) => !isIntended(d)).map(differenceText);
    expect(unexplained).toEqual([
      'cards.stability: nullable: SQLite not null, PostgreSQL null',
      'reviews: index: SQLite reviews_card_idx (card_id), PostgreSQL —',
      'users.rollover_hour: default: SQLite 4, PostgreSQL 5',
    ]);
  });
});
