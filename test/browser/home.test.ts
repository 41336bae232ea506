import { expect, test } from 'vitest';
import { serveAppInBrowser } from '../support/app';

const app = serveAppInBrowser();

test('the home page shows the app name in Chromium', async () => {
  const page = await app.browser.context.newPage();
  const response = await page.goto(app.server.url + '/');
  expect(response?.status()).toBe(200);
  await expect.poll(() => page.title()).toContain('Stride');
  expect(await page.locator('h1').first().textContent()).toContain('Stride');
  await page.close();
});

test('/healthz answers 200 with the database reachable, on a database file that did not exist before', async () => {
  const res = await fetch(app.server.url + '/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true, database: 'ok' });
});
