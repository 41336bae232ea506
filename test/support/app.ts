/**
 * The usual browser-test set-up: the built app on a fresh database, a headless Chromium, and the
 * server's SQLite file opened read-only (what the test checks against), for one test file.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
import { parseStoredItem } from '../../engine/bank/item';
import type { BankItem } from '../../engine/bank/schema';
import { launchBrowser, type Browser } from './browser';
import { startServer, type TestServer } from './server';

export interface AppInBrowser {
  readonly server: TestServer;
  readonly browser: Browser;
  /** The server's database, read-only (SQLite: the server of the browser tests runs on it). */
  readonly db: Database.Database;
}

export function serveAppInBrowser(options: Parameters<typeof startServer>[0] = {}): AppInBrowser {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let db: Database.Database | undefined;
  beforeAll(async () => {
    server = await startServer(options);
    browser = await launchBrowser();
    db = new Database(server.databasePath, { readonly: true });
  });
  afterAll(async () => {
    db?.close();
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('the server is not started yet: use it inside a test or hook');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not launched yet: use it inside a test or hook');
      return browser;
    },
    get db() {
      if (!db) throw new Error('the server is not started yet: use it inside a test or hook');
      return db;
    },
  };
}

/** The bank item behind a question, as the server stored it (read through the test's read-only handle). */
export function storedItemOf(db: Database.Database, itemId: string): BankItem {
  const row = db.prepare('select bank_id as bankId, content from items where id = ?').get(itemId) as { bankId: string; content: string } | undefined;
  if (!row) throw new Error(`no item ${itemId} in the server's database`);
  return parseStoredItem({ bankId: row.bankId, itemId, content: row.content });
}
