/**
 * Arrows go down (issue 12, house style 12): models never import components or routes, the
 * CLI imports of app/ only its models and the environment schema, a route never imports another
 * route, and db/ is a leaf. Read from the import
 * statements of the files themselves, resolved to repository paths.
 * One data layer, two engines (issue 13): no synchronous SQLite-only query call, and no SQL
 * spelt for one engine outside db/sql.ts and db/client.ts. Read from the lines of the files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/server';

function sources(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
}

/** The repository paths (no extension) a file imports, statically or dynamically. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
  return specifiers
    .filter((s) => s.startsWith('.') || s.startsWith('~/'))
    .map((s) => (s.startsWith('~/') ? path.join('app', s.slice(2)) : path.join(path.dirname(file), s)));
}

function offending(files: string[], forbidden: (target: string, file: string) => boolean): string[] {
  return files.flatMap((file) => importsOf(file).filter((target) => forbidden(target, file)).map((target) => `${file} → ${target}`));
}

describe('import arrows', () => {
  it('models import neither components nor routes (shared constants live in a neutral module)', () => {
    expect(offending(sources('app/models'), (t) => t.startsWith('app/components/') || t.startsWith('app/routes/'))).toEqual([]);
  });

  // Commands that act on accounts and cards call the models, as routes do (models take { db, now });
  // nothing else of app/ (routes, components, the content loader) is the CLI's business.
  it('the CLI imports of app/ only its models and the environment schema (bank files are read by engine/bank/files.ts)', () => {
    const allowed = (t: string) => /^app\/models\/[\w.-]+\.server(\.ts)?$/.test(t) || /^app\/env\.server(\.ts)?$/.test(t);
    expect(offending(sources('bin'), (t) => (t.startsWith('app/') || t === 'app') && !allowed(t))).toEqual([]);
  });

  it('a route never imports another route', () => {
    expect(offending(sources('app/routes'), (t) => t.startsWith('app/routes/'))).toEqual([]);
  });

  it('db/ is a leaf: it imports nothing of app/, engine/ or bin/ (its settings come as arguments)', () => {
    expect(offending(sources('db'), (t) => /^(app|engine|bin)(\/|$)/.test(t))).toEqual([]);
  });

  it('server modules outside components do not import component folders', () => {
    const server = sources('app').filter((f) => /\.server\.tsx?$/.test(f) && !f.startsWith('app/components/'));
    expect(offending(server, (t) => t.startsWith('app/components/'))).toEqual([]);
  });
});

/** A line that is all comment: a rule's words in prose are not code. */
const isCommentLine = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line);

interface Exception {
  /** Only in this file (else in any). */
  file?: string;
  pattern: RegExp;
  reason: string;
}

/**
 * Every code line of `files` where `rule` matches once the text of the exceptions that apply
 * there is taken out (so a second, real match on the same line still counts), as `file:line: text`.
 */
function offendingLines(files: string[], rule: RegExp, exceptions: Exception[] = []): string[] {
  return files.flatMap((file) =>
    readFileSync(path.join(repoRoot, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => {
        if (isCommentLine(line)) return [];
        const rest = exceptions.filter((e) => !e.file || e.file === file).reduce((text, e) => text.replace(new RegExp(e.pattern, 'g'), ' '), line);
        return rule.test(rest) ? [`${file}:${i + 1}: ${line.trim()}`] : [];
      }),
  );
}

/** `.get()`, `.all()`, `.run()`, `.values()` with no arguments: drizzle's synchronous SQLite calls on a query or prepared statement. */
const SYNC_QUERY_CALL = /\.(get|all|run|values)\(\)/;

/** Calls of those names that are not queries. */
const NOT_QUERIES: Exception[] = [
  { pattern: /(\.\.\.|\bof\s+)[\w.]+\.values\(\)/, reason: 'iterating a Map or a Set (spread, for…of)' },
  { file: 'bin/commands/bench.ts', pattern: /\bb\.run\(\)/, reason: "a benchmark's run, not a statement" },
  { file: 'db/client.ts', pattern: /\bsqlite\.prepare\(.*?\)\.get\(\)/, reason: "the seam's own better-sqlite3 connection: SQLite's migration check, before drizzle's migrator" },
  { file: 'db/backup.ts', pattern: /\bcopy\.prepare\(.*?\)\.pluck\(\)\.(get|all)\(\)/, reason: "SQLite's online backup reads its own copy through better-sqlite3 (a SQLite-only command)" },
];

/** SQL that only one engine speaks (SQLite's json_extract, two-argument max, pragmas and catalogue; PostgreSQL's greatest, casts, row locks). */
const ENGINE_SQL: { name: string; pattern: RegExp }[] = [
  { name: 'json_extract', pattern: /json_extract/i },
  { name: 'greatest(', pattern: /(?<![\w.])greatest\s*\(/i },
  { name: 'max(0', pattern: /(?<![\w.])max\s*\(\s*0/i },
  { name: 'pragma', pattern: /\bpragma(\b|_)/i },
  { name: 'sqlite_master', pattern: /sqlite_master/i },
  // A cast (`x::integer`), not a cloze (`{{c1::answer}}`) or an IPv6 address (`::ffff:`).
  { name: '::', pattern: /(?<!\{\{c\d+)::\s*(int\w*|bigint|smallint|text|jsonb?|numeric|real|double|bool(ean)?|date|time\w*|regclass|varchar|uuid)\b/i },
  { name: 'for update', pattern: /\bfor\s+update\b|\.for\(\s*['"]update['"]/i },
];

/** The homes of engine-specific SQL (db/backup.ts is SQLite's online backup): everything else builds its queries once for both. */
const ENGINE_SQL_HOMES = ['db/sql.ts', 'db/client.ts', 'db/backup.ts'];

describe('one data layer, two engines', () => {
  const code = () => [...sources('app'), ...sources('bin'), ...sources('db')];

  it('no query is run with a synchronous SQLite-only call (.get(), .all(), .run(), .values()): await the query, it is an array', () => {
    expect(offendingLines(code(), SYNC_QUERY_CALL, NOT_QUERIES)).toEqual([]);
  });

  it('no SQL spelt for one engine outside db/sql.ts and db/client.ts', () => {
    const files = code().filter((f) => !ENGINE_SQL_HOMES.includes(f));
    const found = ENGINE_SQL.flatMap(({ name, pattern }) => offendingLines(files, pattern).map((at) => `${name} in ${at}`));
    expect(found).toEqual([]);
  });
});
