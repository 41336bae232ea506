/**
 * `db copy` and `db backup`: moving a course to another database, and backing up the SQLite
 * one while the server runs (db/copy.ts, db/backup.ts; README.md, "Moving a course").
 * copy JSON: { ok, from, to, ms, tables: [{ table, sourceRows, targetRows, sourceChecksum, targetChecksum, match }] }.
 * backup JSON: { source, file, pages, pageSize, bytes, integrity, tables: [{ table, rows }] }.
 * Exit codes: 2 for bad input (flags, a malformed URL, a missing source file, the same database
 * twice), 1 for a failure (unreachable, an out-of-date source, a non-empty target, a checksum
 * that differs).
 */
import { existsSync, realpathSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseEnv } from '../../app/env.server';
import { backupSqlite } from '../../db/backup';
import { connect, isDatabaseUrl, isPostgresUrl, redact, type Database } from '../../db/client';
import { assertCurrentSource, copyDatabase } from '../../db/copy';
import { CommandFailure, table, UsageError, type Command, type CommandOutput, type ParsedArgs } from '../cli';

/** <db>: a SQLite path or a postgres:// URL. */
const USAGE = 'db copy --from <db> --to <db> [--force] | db backup <file> [--from <sqlite path>] [--force]';

export const DB_COMMAND_ERRORS = {
  missing: (flag: string) => `missing --${flag} <sqlite path|postgres url>; usage: stride ${USAGE}`,
  badUrl: (flag: string, url: string) => `--${flag} is not a PostgreSQL URL naming a database (postgres://user:password@host:port/database): ${redact(url)}`,
  noSource: (path: string) => `--from: no SQLite database at ${path} (db copy never creates its source; check the path)`,
  sameDatabase: (where: string) => `--from and --to are the same database (${where}): a copy needs another target`,
  noBackupSource: (path: string, from: string) => `no SQLite database at ${path} (${from}): nothing to back up`,
  postgresBackup: (file: string, url: string) =>
    `db backup copies the SQLite file; this database is on PostgreSQL: back it up with pg_dump --format=custom --file=${file} ${url} (restore with pg_restore --dbname=<url> ${file})`,
} as const;

function stringFlag(args: ParsedArgs, flag: string): string | undefined {
  const value = args.flags[flag];
  // `--to --force`: the next option is not a value.
  if (value === true || value === '' || value?.startsWith('-')) throw new UsageError(DB_COMMAND_ERRORS.missing(flag));
  return value;
}

/** A --from/--to value checked before anything is opened: a URL must name a database, a source file must exist. */
function targetOf(args: ParsedArgs, flag: 'from' | 'to'): string {
  const value = stringFlag(args, flag);
  if (value === undefined) throw new UsageError(DB_COMMAND_ERRORS.missing(flag));
  if (isPostgresUrl(value)) {
    if (!isDatabaseUrl(value)) throw new UsageError(DB_COMMAND_ERRORS.badUrl(flag, value));
    return value;
  }
  if (value === ':memory:') throw new UsageError(`--${flag}: an in-memory database has nothing to copy and keeps nothing copied; give a file`);
  if (flag === 'from' && (!existsSync(value) || !statSync(value).isFile())) throw new UsageError(DB_COMMAND_ERRORS.noSource(value));
  return value;
}

/** What identifies a database: the file (symlinks resolved), or the server and database of a URL. */
function identityOf(target: string): string {
  if (isPostgresUrl(target)) {
    const url = new URL(target);
    const host = url.searchParams.get('host') ?? (url.hostname || 'localhost');
    const port = url.searchParams.get('port') ?? (url.port || '5432');
    return `postgres ${host}:${port}/${decodeURIComponent(url.pathname.slice(1))}`;
  }
  const path = resolve(target);
  if (existsSync(path)) return `sqlite ${realpathSync(path)}`;
  // A target file not made yet: its folder may still be a symlink to the source's.
  return existsSync(dirname(path)) ? `sqlite ${resolve(realpathSync(dirname(path)), basename(path))}` : `sqlite ${path}`;
}

function engineOf(database: Database): string {
  return database.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite';
}

/** The one-line message of a failure (a driver's message may run over several lines). */
function failure(err: unknown): CommandFailure {
  const message = err instanceof Error ? err.message : String(err);
  return new CommandFailure(message.split('\n')[0]!);
}

async function copy(args: ParsedArgs): Promise<CommandOutput> {
  const from = targetOf(args, 'from');
  const to = targetOf(args, 'to');
  if (identityOf(from) === identityOf(to)) throw new UsageError(DB_COMMAND_ERRORS.sameDatabase(redact(from)));
  const started = performance.now();
  // A SQLite target this command makes is removed again when the copy fails.
  const newFile = !isPostgresUrl(to) && !existsSync(to);
  const opened: Database[] = [];
  let copied = false;
  try {
    const source = open(from, '--from');
    opened.push(source);
    // Checked before the target is touched (copyDatabase checks again): a refused source makes no target file.
    await assertCurrentSource(source).catch((err: unknown) => {
      throw failure(err);
    });
    const target = open(to, '--to');
    opened.push(target);
    const tables = await copyDatabase(source, target, { force: args.flags.force === true }).catch((err: unknown) => {
      throw failure(err);
    });
    copied = true;
    const ms = Math.round(performance.now() - started);
    const ok = tables.every((t) => t.match);
    const differing = tables.filter((t) => !t.match).map((t) => t.table);
    const rows = tables.reduce((n, t) => n + t.sourceRows, 0);
    const text = [
      `Copied ${source.where} (${engineOf(source)}) to ${target.where} (${engineOf(target)}): ${rows.toLocaleString('en-US')} rows in ${(ms / 1000).toFixed(1)} s`,
      '',
      table(
        ['table', 'source rows', 'target rows', 'source sha256', 'target sha256', 'match'],
        tables.map((t) => [t.table, t.sourceRows, t.targetRows, t.sourceChecksum.slice(0, 16), t.targetChecksum.slice(0, 16), t.match ? 'yes' : 'NO']),
      ),
      '',
      ok ? `All ${tables.length} tables match.` : `${differing.length} of ${tables.length} tables differ: ${differing.join(', ')}.`,
    ].join('\n');
    return { json: { ok, from: source.where, to: target.where, ms, tables }, text, ok };
  } finally {
    for (const database of opened) await database.close().catch(() => {});
    if (newFile && !copied) for (const suffix of ['', '-wal', '-shm']) rmSync(to + suffix, { force: true });
  }
}

/** Connects to one end; a file that is not a SQLite database fails naming it. */
function open(target: string, flag: string): Database {
  try {
    return connect(target);
  } catch (err) {
    throw new CommandFailure(`${flag} ${redact(target)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function backup(args: ParsedArgs, file: string): Promise<CommandOutput> {
  let source = stringFlag(args, 'from');
  let from = '--from';
  if (source === undefined) {
    let settings;
    try {
      settings = parseEnv();
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    if (settings.DATABASE_URL) throw new UsageError(DB_COMMAND_ERRORS.postgresBackup(file, '"$DATABASE_URL"'));
    source = settings.DATABASE_PATH;
    from = 'DATABASE_PATH';
  }
  if (isPostgresUrl(source)) throw new UsageError(DB_COMMAND_ERRORS.postgresBackup(file, `'${redact(source)}'`));
  if (!existsSync(source) || !statSync(source).isFile()) throw new UsageError(DB_COMMAND_ERRORS.noBackupSource(source, from));
  if (identityOf(source) === identityOf(file)) throw new UsageError(`the backup file is the database itself (${source}): name another file`);
  let report;
  try {
    report = await backupSqlite(source, file, { force: args.flags.force === true });
  } catch (err) {
    throw failure(err);
  }
  const text = [
    `Backed up ${report.source} to ${report.file}: ${report.pages.toLocaleString('en-US')} pages of ${report.pageSize.toLocaleString('en-US')} bytes (${report.bytes.toLocaleString('en-US')} bytes), integrity ${report.integrity}`,
    '',
    table(['table', 'rows'], report.tables.map((t) => [t.table, t.rows])),
  ].join('\n');
  return { json: report, text };
}

export const db: Command = {
  name: 'db',
  summary: 'copy every table into another database (<db>: a SQLite path or a postgres:// URL; rows and checksums compared), or back up the SQLite file while the server runs',
  usage: USAGE,
  flags: ['from=', 'to=', 'force'],
  async run(args) {
    const [sub, ...rest] = args.positionals;
    if (sub === 'copy') {
      if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}': db copy takes --from and --to; usage: stride ${USAGE}`);
      return copy(args);
    }
    if (sub === 'backup') {
      if (rest.length !== 1) throw new UsageError(`give one backup file; usage: stride ${USAGE}`);
      if (args.flags.to !== undefined) throw new UsageError(`db backup writes to <file>, not --to; usage: stride ${USAGE}`);
      return backup(args, rest[0]!);
    }
    throw new UsageError(`unknown or missing subcommand${sub ? ` '${sub}'` : ''}; usage: stride ${USAGE}`);
  },
};
