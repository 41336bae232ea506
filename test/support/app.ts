/**
 * The usual browser-test set-up: the built app on a fresh database, a headless Chromium, and the
 * server's SQLite file opened read-only (what the test checks against), for one test file.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
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
