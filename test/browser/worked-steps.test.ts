/**
 * Worked steps in /review (Chromium on the built server): a conv question's step-through draws
 * as many window positions per axis as the answer's output size, a receptive-field question's
 * drawing is as wide as the answer, and the explanation is typeset (MathML, no raw `_`).
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { itemVariant } from '../../engine/bank/item';
import type { Variant } from '../../engine/question';
import { storedItemOf } from '../support/app';
import { launchBrowser, waitForHydration, type Browser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;
let db: Database.Database;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  db = new Database(server.databasePath, { readonly: true });
  page = await browser.context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(server.url + '/signup');
  await page.fill('input[name=email]', 'steps@example.org');
  await page.fill('input[name=displayName]', 'Sam');
  await page.fill('input[name=password]', 'a long password');
  await page.click('button[type=submit]:has-text("Sign up")');
  await page.waitForURL(server.url + '/');
  // Every card new today, so the page can open any item by ?item=.
  await page.goto(server.url + '/settings');
  await waitForHydration(page);
  await page.getByLabel('New cards per day').fill('999');
  await page.getByLabel('Maximum reviews per day').fill('999');
  await page.click('form.settings-form button[type=submit]');
  await page.getByText('Saved').first().waitFor();
  await page.goto(server.url + '/');
  expect(Number(await page.getByTestId('new-today').textContent())).toBeGreaterThan(20);
});

afterAll(async () => {
  db?.close();
  await browser?.close();
  await server?.stop();
});

/** Opens the bank item ending in `suffix` in today's review and answers it right; returns its variant. */
async function answerItem(suffix: string): Promise<Variant> {
  const { id } = db.prepare('select id from items where id like ?').get(`%${suffix}`) as { id: string };
  await page.goto(`${server.url}/review?item=${encodeURIComponent(id)}`);
  const card = page.locator('article.card');
  await card.waitFor();
  expect(await card.getAttribute('data-item'), `${id} is among today's new cards`).toBe(id);
  const item = storedItemOf(db, id);
  if (item.kind !== 'generated') throw new Error(`${id} is not generated`);
  const variant = itemVariant(item, Number(await card.getAttribute('data-seed')));
  await page.fill('#answer-input', variant.answer.display);
  await expect.poll(() => page.getByTestId('reading').textContent()).toMatch(/read as/);
  await page.press('#answer-input', 'Enter');
  await expect.poll(() => page.getByTestId('result').getAttribute('data-correct')).toBe('true');
  return variant;
}

test('a conv question steps its window once per output position, each axis, under a typeset explanation', async () => {
  const v = await answerItem('gen-conv-output-size');
  const [oh, ow] = v.answer.value as number[];
  const figure = page.locator('figure.steps-windows');
  expect(await figure.getAttribute('data-positions-h')).toBe(String(oh));
  expect(await figure.getAttribute('data-positions-w')).toBe(String(ow));
  const label = (await figure.locator('[role=img]').getAttribute('aria-label'))!;
  expect(label).toContain(`${oh} positions`);
  if ((await figure.getAttribute('data-schematic')) === 'false') {
    expect(await figure.locator('rect[data-axis=h]').count()).toBe(oh);
    if ((await figure.getAttribute('data-same-axes')) === 'false') expect(await figure.locator('rect[data-axis=w]').count()).toBe(ow);
  } else {
    // Schematic: the first windows and the last, numbered up to the count.
    expect(await figure.locator('rect[data-axis=h-schematic]').last().getAttribute('data-index')).toBe(String(oh));
  }
  const explanation = page.locator('.result .explanation');
  expect(await explanation.locator('math').count()).toBeGreaterThan(2);
  expect(await explanation.innerText()).not.toContain('_');
});

test('a receptive-field question draws the field as wide as the answer', async () => {
  const v = await answerItem('gen-receptive-field-stack');
  const figure = page.locator('figure.steps-field');
  expect(await figure.getAttribute('data-rf-width')).toBe(String(v.answer.value));
  const squares = figure.locator('rect[data-rf-size]');
  expect(await squares.count()).toBe(v.spec!.layers.length);
  expect(await squares.first().getAttribute('data-rf-size')).toBe(String(v.answer.value));
  expect(await page.locator('.result .explanation math').count()).toBeGreaterThan(2);
});
