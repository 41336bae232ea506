/**
 * A stored item that no longer parses, met through the real server: the review page answers 500
 * with a message naming the bank and the item (StoredItemError), not a crash deep in the page.
 * Plain HTTP against the built server on its own SQLite file; the item is corrupted in the file.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { hashPassword } from '../../app/models/user.server';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
const email = 'corrupt@example.test';
const password = 'a long test passphrase 42';

beforeAll(async () => {
  server = await startServer({ env: { FSRS_FUZZ: 'off' } });
  const db = new Database(server.databasePath);
  db.prepare('insert into users (email, display_name, password_hash, created_at) values (?, ?, ?, ?)').run(email, 'Corrupt', await hashPassword(password), Date.now());
  // Every item of the CS231n bank gets a number for its tags: whichever card the queue serves first no longer parses.
  db.prepare(`update items set content = json_set(content, '$.tags', 7) where bank_id = 'cs231n'`).run();
  db.close();
});

afterAll(async () => {
  await server?.stop();
});

test('GET /review with an unreadable stored item: 500 naming the bank and the item', async () => {
  const login = await fetch(`${server.url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ email, password, redirectTo: '/review' }),
    headers: { Origin: server.url },
    redirect: 'manual',
  });
  expect(login.status).toBe(302);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const res = await fetch(`${server.url}/review`, { headers: { Cookie: cookie } });
  const html = await res.text();
  expect(res.status).toBe(500);
  expect(html).toMatch(/bank cs231n, item cs231n\/[a-z0-9-]+: the stored item no longer fits the bank format: tags: tags must be a list of kebab-case names, e\.g\. \[alexnet\]/);
  expect(server.output()).not.toMatch(/at parseStoredItem|StoredItemError/);
});
