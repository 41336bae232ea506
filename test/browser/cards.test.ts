/**
 * The cards page and card actions as a student meets them, in Chromium on the built server: a
 * card suspended from the review page is found on the cards page, unsuspended, and returns to the
 * queue; `u` after suspending or burying brings the card back; bulk actions and their Undo; a
 * past review of a generated item reopens as the very question seen (its seed).
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { itemVariant } from '../../engine/bank/item';
import { serveAppInBrowser, storedItemOf } from '../support/app';
import { answerFor } from '../support/review-client';

const app = serveAppInBrowser();

const shownItem = (page: Page) => page.locator('article.card').getAttribute('data-item');
const cardOf = (itemId: string) => app.db.prepare('select id, suspended, buried_until from cards where item_id = ?').get(itemId) as { id: number; suspended: number; buried_until: number | null } | undefined;

async function signUp(page: Page, email: string) {
  await page.goto(app.server.url + '/signup');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=displayName]', 'Cato');
  await page.fill('input[name=password]', 'a long password');
  await page.click('button[type=submit]:has-text("Sign up")');
  await page.waitForURL(app.server.url + '/');
}

/** Presses a key with the focus out of any field (where `u` would just be a letter). */
async function pressOutsideFields(page: Page, key: string) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(key);
}

test('suspend on the review page → found on the cards page → unsuspended → back in the queue; u undoes suspend and bury', async () => {
  const page = await app.browser.context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await signUp(page, 'cato@example.org');
  await page.goto(app.server.url + '/review');
  await page.locator('article.card').waitFor();
  const first = (await shownItem(page))!;

  // Suspend, then u: the card is back on screen, and the status says what was undone.
  await page.click('button:has-text("Suspend this card")');
  await expect.poll(() => shownItem(page)).not.toBe(first);
  expect(cardOf(first)?.suspended).toBe(1);
  await pressOutsideFields(page, 'u');
  await expect.poll(() => shownItem(page)).toBe(first);
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Suspend undone: the card is back.' }).count()).toBe(1);
  expect(cardOf(first)).toBeUndefined(); // the card the suspension made is gone again

  // Bury, then u: the same.
  await page.click('button:has-text("Bury until tomorrow")');
  await expect.poll(() => cardOf(first)?.buried_until ?? null).not.toBeNull();
  await pressOutsideFields(page, 'u');
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Bury undone: the card is back.' }).count()).toBe(1);
  await expect.poll(() => shownItem(page)).toBe(first);
  expect(cardOf(first)).toBeUndefined();

  // Suspend it for good; find it on the cards page with the state filter (a GET form: the URL carries it).
  await page.click('button:has-text("Suspend this card")');
  await expect.poll(() => shownItem(page)).not.toBe(first);
  await page.goto(app.server.url + '/cards');
  await page.selectOption('#cards-state', 'suspended');
  await page.click('button:has-text("Show")');
  await page.waitForURL(/\/cards\?state=suspended$/);
  const row = page.locator(`tr[data-item="${first}"]`);
  await row.waitFor();
  expect(await page.locator('table.cards-table tbody tr').count()).toBe(1);
  expect(await row.getByTestId('card-state').textContent()).toBe('new, suspended');

  // Unsuspend by keyboard: Tab to the row's button, Enter.
  await row.getByRole('button', { name: /^Unsuspend/ }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('cards-status').textContent()).toMatch(/^1 card unsuspended: back in the queue\./);
  expect(cardOf(first)?.suspended).toBe(0);
  await expect.poll(() => page.locator('table.cards-table').count()).toBe(0); // no suspended card left
  expect(await page.locator('main').textContent()).toContain('No card matches these filters.');

  // A bad filter in the URL: a message at its field, the page still there (not a 500).
  const bad = await page.goto(app.server.url + '/cards?state=frozen&minLapses=-2');
  expect(bad?.status()).toBe(200);
  expect(await page.locator('#cards-state-error').textContent()).toBe('state must be one of new, learning, review, relearning, suspended, leech, buried');
  expect(await page.locator('#cards-minLapses').getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByTestId('cards-count').textContent()).toMatch(/^1 card ·/);

  // Back in the queue: the review page shows it first again (it is the first new item of the day).
  await page.goto(app.server.url + '/review');
  await expect.poll(() => shownItem(page)).toBe(first);
  await page.close();
}, 180_000);

test('bulk actions over ticked cards, one Undo for all; a past generated question reopens from its seed with the answer given and how it was read', async () => {
  let page = await app.browser.context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await app.browser.context.clearCookies();
  await signUp(page, 'dora@example.org');
  await page.goto(app.server.url + '/review');
  // Answer cards (wrongly) until a generated one has been answered; remember its prompt and seed.
  let generated: { itemId: string; seed: number; prompt: string; answer: string } | null = null;
  for (let i = 0; i < 20 && !generated; i++) {
    const card = page.locator('article.card');
    await card.waitFor();
    const itemId = (await card.getAttribute('data-item'))!;
    const item = storedItemOf(app.db, itemId);
    const seed = (await card.getAttribute('data-seed')) || null;
    if (item.kind === 'generated') {
      const prompt = (await card.locator('.prompt').innerText()).trim();
      const answer = itemVariant(item, Number(seed)).answer.kind === 'shape' ? '1x2x3' : '7';
      await page.fill('#answer-input', answer);
      await expect.poll(() => page.getByTestId('reading').textContent()).toMatch(/read as/);
      await page.press('#answer-input', 'Enter');
      generated = { itemId, seed: Number(seed), prompt, answer };
      // The answer is stored once the result shows; leave then (its engine panel's tfjs build is not this test's).
      await page.getByTestId('result').waitFor();
      break;
    } else if (item.kind === 'basic') {
      await page.click('button:has-text("Show answer")');
      await page.click('button:has-text("I didn’t")');
    } else {
      // Choice and cloze: post a wrong answer through the page's own form fields.
      const wrong = answerFor(item, null, false);
      if (item.kind === 'choice') await page.check(`input[name=choice][value="${wrong}"]`);
      else for (let b = 0; b < (await page.locator('[id^=blank-]').count()); b++) await page.fill(`#blank-${b}`, 'zzz');
      await page.click('button:has-text("Check")');
    }
    await page.getByTestId('result').waitFor();
    await page.click('button.next');
  }
  expect(generated, 'no generated card among the first 20').not.toBeNull();

  // The cards page in a page of its own: the review page's tfjs build (WebGL on SwiftShader) goes
  // with its page, instead of keeping the next page from a stable frame (seen twice under the full suite).
  await page.close();
  page = await app.browser.context.newPage();
  await page.goto(app.server.url + '/cards?sort=item');
  const boxes = page.locator('input[name=cardId][form=bulk-actions]');
  expect(await boxes.count()).toBeGreaterThanOrEqual(3);
  const ticked = [0, 2].map((i) => boxes.nth(i));
  const ids = await Promise.all(ticked.map((b) => b.getAttribute('value')));
  for (const b of ticked) await b.check();
  await page.click('form#bulk-actions button[value=suspend]');
  await expect.poll(() => page.getByTestId('cards-status').textContent()).toMatch(/^2 cards suspended\./);
  const suspendedIds = () => (app.db.prepare('select id from cards where suspended = 1 order by id').all() as { id: number }[]).map((r) => String(r.id));
  expect(suspendedIds()).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
  await page.getByTestId('cards-status').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => page.getByTestId('cards-status').textContent()).toBe('Suspend undone: 2 cards are back as they were. ');
  expect(suspendedIds()).toEqual([]);
  // Nothing ticked: a message, nothing done.
  await page.click('form#bulk-actions button[value=bury]');
  await expect.poll(() => page.getByTestId('cards-status').textContent()).toContain('Choose at least one card: tick its box.');

  // The generated card's history: its review, and the question reopened from the seed.
  const cardId = (app.db.prepare('select id from cards where item_id = ?').get(generated!.itemId) as { id: number }).id;
  await page.goto(`${app.server.url}/cards/${cardId}`);
  const review = page.locator('table.review-history tbody tr');
  expect(await review.count()).toBe(1);
  expect(await review.getAttribute('data-seed')).toBe(String(generated!.seed));
  await review.getByRole('link', { name: `See question (seed ${generated!.seed})` }).click();
  await page.waitForURL(new RegExp(`/cards/${cardId}/reviews/\\d+$`));
  expect((await page.getByTestId('prompt').innerText()).trim()).toBe(generated!.prompt);
  expect(await page.getByTestId('raw-answer').textContent()).toBe(generated!.answer);
  expect(await page.getByTestId('result').getAttribute('data-correct')).toBe('false');
  expect(await page.locator('.read-as').textContent()).toMatch(/read as/);

  // Another student's card: 404.
  await app.browser.context.clearCookies();
  await signUp(page, 'eve@example.org');
  const res = await page.goto(`${app.server.url}/cards/${cardId}`);
  expect(res?.status()).toBe(404);
  const post = await page.request.post(`${app.server.url}/cards?index`, { form: { intent: 'act', action: 'forget', cardId: String(cardId) }, headers: { Origin: app.server.url } });
  expect(post.status()).toBe(404);
  await page.close();
}, 240_000);
