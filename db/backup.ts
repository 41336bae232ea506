/**
 * `stride db backup`: a consistent copy of a SQLite database while the server keeps writing to
 * it, by SQLite's online backup. All pages go in one step, so the copy is one read snapshot (in
 * WAL mode the server's writers go on meanwhile; a backup taken in many steps would restart at
 * every write from another connection, and might never finish under load). The copy is written
 * beside the target file, checked (integrity_check), made a single file (journal_mode DELETE)
 * and only then renamed into place: a failed backup leaves no file that looks like one.
 * PostgreSQL is backed up with its own tools (pg_dump): see README.md, "Moving a course".
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { connect } from './client';

export const BACKUP_ERRORS = {
  exists: (file: string) => `${file} already exists: give --force to replace it, or name another file`,
  notDatabase: (path: string, why: string) => `${path} is not a SQLite database: ${why}`,
  damaged: (file: string, report: string) => `the backup ${file} failed SQLite's integrity check, so it was not kept: ${report}`,
} as const;

/** A backup the state of the files refuses (the target exists): exit code 1, nothing written. */
export class BackupRefusal extends Error {
  override name = 'BackupRefusal';
}

export interface BackupReport {
  source: string;
  file: string;
  pages: number;
  pageSize: number;
  bytes: number;
  /** SQLite's `pragma integrity_check` of the copy: "ok". */
  integrity: string;
  /** Every table of the copy with its rows, by name. */
  tables: { table: string; rows: number }[];
}

/** better-sqlite3's largest pages-per-step: the whole database in one step. */
const ALL_PAGES = 0x7fffffff;

function removeDatabaseFile(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

/** Backs up the SQLite database at `source` (it must exist) to `file`; `force` replaces an existing `file`. */
export async function backupSqlite(source: string, file: string, options: { force?: boolean } = {}): Promise<BackupReport> {
  if (existsSync(file) && !options.force) throw new BackupRefusal(BACKUP_ERRORS.exists(file));
  const partial = `${file}.partial-${process.pid}`;
  removeDatabaseFile(partial);
  let database;
  try {
    database = connect(source);
  } catch (err) {
    throw new BackupRefusal(BACKUP_ERRORS.notDatabase(source, err instanceof Error ? err.message : String(err)));
  }
  try {
    await database.sqlite!.backup(partial, { progress: () => ALL_PAGES });
  } catch (err) {
    removeDatabaseFile(partial);
    throw err;
  } finally {
    await database.close();
  }
  let report: Omit<BackupReport, 'bytes'>;
  const copy = new BetterSqlite3(partial);
  try {
    copy.pragma('journal_mode = DELETE');
    const integrity = (copy.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    if (integrity !== 'ok') throw new Error(BACKUP_ERRORS.damaged(file, integrity));
    const names = copy.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).pluck().all() as string[];
    const tables = names.map((table) => ({ table, rows: Number(copy.prepare(`select count(*) from "${table.replaceAll('"', '""')}"`).pluck().get()) }));
    report = { source, file, pages: Number(copy.pragma('page_count', { simple: true })), pageSize: Number(copy.pragma('page_size', { simple: true })), integrity, tables };
  } catch (err) {
    copy.close();
    removeDatabaseFile(partial);
    throw err;
  }
  copy.close();
  if (options.force) removeDatabaseFile(file);
  renameSync(partial, file);
  return { ...report, bytes: statSync(file).size };
}
