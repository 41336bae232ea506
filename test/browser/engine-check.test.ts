/**
 * /engine-check in headless Chromium: tfjs builds the lecture's AlexNet CONV1 + POOL1 and naive
 * inception module on WebGL, agrees with the engine, and computes what the cpu backend computes.
 */
import { expect, test } from 'vitest';
import { serveAppInBrowser } from '../support/app';

const app = serveAppInBrowser();

test('WebGL builds and runs both networks, agreeing with the engine and with the cpu backend within 1e-4', { timeout: 180_000 }, async () => {
  const page = await app.browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const response = await page.goto(app.server.url + '/engine-check');
  expect(response?.status()).toBe(200);
  const check = page.getByTestId('engine-check');
  await expect.poll(() => check.getAttribute('data-status'), { timeout: 170_000, interval: 500 }).not.toBe('running');
  expect(await page.locator('.field-error').count(), await page.locator('.field-error').allTextContents().then((t) => t.join(' '))).toBe(0);
  expect(await check.getAttribute('data-status')).toBe('done');
  expect(await check.getAttribute('data-backend')).toBe('webgl');
  expect(await page.getByTestId('backend').textContent()).toBe('webgl');
  expect(await page.getByTestId('fallback').count()).toBe(0);

  const alexnet = page.locator('tr[data-spec="alexnet_conv1_pool1"]');
  expect(await alexnet.getAttribute('data-agree')).toBe('true');
  // (227 − 11)/4 + 1 = 55, then (55 − 3)/2 + 1 = 27; 11·11·3·96 + 96 params.
  expect(await alexnet.locator('td').nth(1).textContent()).toBe('27×27×96');
  expect(await alexnet.locator('td').nth(3).textContent()).toBe((11 * 11 * 3 * 96 + 96).toLocaleString('en-US'));
  const inception = page.locator('tr[data-spec="inception_naive_cs231n"]');
  expect(await inception.getAttribute('data-agree')).toBe('true');
  expect(await inception.locator('td').nth(1).textContent()).toBe('28×28×672');

  for (const row of [alexnet, inception]) {
    const diff = Number(await row.getAttribute('data-max-abs-diff'));
    expect(Number.isFinite(diff)).toBe(true);
    expect(diff).toBeLessThanOrEqual(1e-4);
  }
  expect(errors).toEqual([]);
  await page.close();
});
