import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, type Browser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('the home page shows the app name in Chromium', async () => {
  const page = await browser.context.newPage();
  const response = await page.goto(server.url + '/');
  expect(response?.status()).toBe(200);
  await expect.poll(() => page.title()).toContain('Stride');
  expect(await page.locator('h1').first().textContent()).toContain('Stride');
  await page.close();
});

test('/healthz answers 200 with the database reachable, on a database file that did not exist before', async () => {
  const res = await fetch(server.url + '/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true, database: 'ok' });
});
