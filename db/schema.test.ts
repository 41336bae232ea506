/**
 * db/schema.ts's live bindings: one for every table of both dialects' schemas, and
 * `useDialectTables` points every one at the chosen engine's table (and back). The bindings are
 * typed as the SQLite tables, so the PostgreSQL tables must have the same keys and columns.
 */
import { getTableColumns, getTableName, is, Table } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import * as schema from './schema';
import * as pgModule from './schema-pg';
import * as sqliteModule from './schema-sqlite';

/** The tables a module exports, by export name. */
function tablesIn(module: Record<string, unknown>): Record<string, Table> {
  return Object.fromEntries(Object.entries(module).filter((entry): entry is [string, Table] => is(entry[1], Table)));
}

const sqliteTables = tablesIn(sqliteModule);
const pgTables = tablesIn(pgModule);
const names = Object.keys(sqliteTables).sort();

/** db/schema.ts's table bindings as they are now (read through the namespace: live). */
const bindings = () => tablesIn(schema as unknown as Record<string, unknown>);

afterEach(() => schema.useDialectTables('sqlite'));

describe('db/schema.ts', () => {
  it('both dialects export the same tables under the same names', () => {
    expect(names).toHaveLength(24);
    expect(Object.keys(pgTables).sort()).toEqual(names);
    // Nothing but tables: a table exported by one module and not the other would be missed above.
    expect(Object.keys(sqliteModule).filter((k) => !(k in sqliteTables))).toEqual([]);
    expect(Object.keys(pgModule).filter((k) => !(k in pgTables))).toEqual([]);
  });

  it('each table has the same SQL name, keys and column names in both', () => {
    const shape = (table: Table) => ({
      name: getTableName(table),
      columns: Object.fromEntries(Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name])),
    });
    for (const name of names) expect({ export: name, ...shape(pgTables[name]!) }).toEqual({ export: name, ...shape(sqliteTables[name]!) });
  });

  it('has a binding for every table, and none for a table the schemas do not have', () => {
    expect(Object.keys(bindings()).sort()).toEqual(names);
  });

  it('names the SQLite tables until told otherwise', () => {
    expect(schema.dialectOfTables()).toBe('sqlite');
    for (const name of names) expect({ name, sqlite: bindings()[name] === sqliteTables[name] }).toEqual({ name, sqlite: true });
  });

  it("useDialectTables('postgres') points every binding at the PostgreSQL table, and 'sqlite' back", () => {
    schema.useDialectTables('postgres');
    expect(schema.dialectOfTables()).toBe('postgres');
    for (const name of names) expect({ name, postgres: bindings()[name] === pgTables[name] }).toEqual({ name, postgres: true });

    schema.useDialectTables('sqlite');
    expect(schema.dialectOfTables()).toBe('sqlite');
    for (const name of names) expect({ name, sqlite: bindings()[name] === sqliteTables[name] }).toEqual({ name, sqlite: true });
  });

  it('tablesOf gives each dialect its own module, whatever the bindings name', () => {
    schema.useDialectTables('postgres');
    for (const name of names) {
      expect(schema.tablesOf('sqlite')[name as keyof ReturnType<typeof schema.tablesOf>]).toBe(sqliteTables[name]);
      expect(schema.tablesOf('postgres')[name as keyof ReturnType<typeof schema.tablesOf>]).toBe(pgTables[name]);
    }
  });
});
