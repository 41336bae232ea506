/**
 * /engine-check in headless Chromium: tfjs builds the lecture's AlexNet CONV1 + POOL1 and naive
 * inception module on WebGL, agrees with the engine, and computes what the cpu backend computes.
 */
import { expect, test } from 'vitest';
import { serveAppInBrowser } from '../support/app';
import { waitForHydration } from '../support/browser';

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

test('the engine panel checks in a warm Web Worker and says each stage, with tfjs never loaded by the page itself', { timeout: 180_000 }, async () => {
  const page = await app.browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const pageScripts: Promise<string>[] = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (/\.js$/.test(url.pathname) && !url.pathname.endsWith('/engine-worker.js')) pageScripts.push(res.text());
  });
  await page.goto(app.server.url + '/engine-check?questions=3');
  await waitForHydration(page, 'main button');
  const checks = page.getByTestId('question-checks');
  expect(await checks.getAttribute('data-count')).toBe('3');

  const panelAt = (i: number) => page.locator(`[data-testid="question-checks"][data-index="${i}"] [data-testid="engine-panel"]`);
  const stagesOf = (i: number) => panelAt(i).locator('li[data-stage]').evaluateAll((items) => items.map((li) => li.getAttribute('data-stage')));
  await expect.poll(() => panelAt(0).getAttribute('data-state'), { timeout: 120_000, interval: 250 }).toBe('done');
  const first = panelAt(0);
  expect(await first.getAttribute('data-ok')).toBe('true');
  expect(await first.getAttribute('data-backend')).toBe('webgl');
  // The first check on a page starts the worker, tfjs and WebGL; each stage has its time.
  expect((await stagesOf(0)).slice(0, 4)).toEqual(['load', 'backend', 'build', 'compare']);
  expect(await first.locator('li[data-stage]').first().textContent()).toMatch(/^loading TensorFlow\.js: [\d,]+ ms$/);
  expect(await first.locator('li[data-stage="backend"]').textContent()).toMatch(/^starting WebGL: [\d,]+ ms$/);
  expect(await first.getByTestId('engine-status').getAttribute('aria-live')).toBe('polite');
  expect(await first.getByTestId('engine-status').textContent()).toMatch(/^Done in [\d,]+ ms\.$/);
  expect(await first.locator('[aria-busy="true"]').count()).toBe(0);
  expect(await first.getByTestId('model-report').textContent()).toMatch(/^✓ The tfjs model agrees with the engine's analysis: output .*; on webgl/);
  expect(await first.getByTestId('engine-fallback').count()).toBe(0);

  // The next question reuses the warm worker: no loading, no WebGL start.
  await page.getByRole('button', { name: 'Next question' }).click();
  await expect.poll(() => panelAt(1).getAttribute('data-state'), { timeout: 120_000, interval: 250 }).toBe('done');
  expect(await panelAt(1).getAttribute('data-ok')).toBe('true');
  const later = await stagesOf(1);
  expect(later.slice(0, 2)).toEqual(['build', 'compare']);
  expect(later).not.toContain('load');

  expect(workers).toHaveLength(1);
  expect(workers[0]).toMatch(/\/build\/engine-worker\.js\?v=\w+$/);
  const bodies = await Promise.all(pageScripts);
  expect(bodies.length).toBeGreaterThan(0);
  expect(bodies.filter((b) => b.includes('registerBackend'))).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});
