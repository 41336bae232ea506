/**
 * The study settings page as a student meets it, by keyboard: a real server on a fresh SQLite
 * file, Chromium. A refused save shows its message at the field and saves nothing; a saved one says
 * so, and the scheduler's columns hold what was typed.
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { SETTINGS_ERRORS } from '../../app/models/settings.server';
import { STEP_ERRORS } from '../../app/scheduling/steps';
import { expectAccessible } from '../support/axe';
import { serveAppInBrowser } from '../support/app';

const app = serveAppInBrowser();

type SettingsRow = { new_per_day: number; reviews_per_day: number; desired_retention: number; learning_steps: string; relearning_steps: string; rollover_hour: number; time_zone: string; max_interval_days: number };

function storedSettings(email: string): SettingsRow {
  return app.db
    .prepare('select new_per_day, reviews_per_day, desired_retention, learning_steps, relearning_steps, rollover_hour, time_zone, max_interval_days from users where email = ?')
    .get(email) as SettingsRow;
}

/** Clears the focused field and types into it, as a keyboard user would. */
async function retype(page: Page, text: string) {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
}

test('the settings page: keyboard only, an error at its field saves nothing, a save is stored and said', async () => {
  const email = 'settings@example.org';
  const page = await app.browser.context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(app.server.url + '/signup');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=displayName]', 'Sol');
  await page.fill('input[name=password]', 'a long password');
  await page.click('button[type=submit]:has-text("Sign up")');
  await page.waitForURL(app.server.url + '/');
  await page.goto(app.server.url + '/settings');

  // The defaults, each field found by its label.
  expect(await page.getByLabel('New cards per day').inputValue()).toBe('20');
  expect(await page.getByLabel('Maximum reviews per day').inputValue()).toBe('200');
  expect(await page.getByLabel('Desired retention').inputValue()).toBe('0.90');
  expect(await page.getByLabel('Learning steps', { exact: true }).inputValue()).toBe('1m 10m');
  expect(await page.getByLabel('Relearning steps').inputValue()).toBe('10m');
  expect(await page.getByLabel('Time zone').inputValue()).toBe('UTC');
  // The expected reviews a day, for a student with no cards yet: on what it rests, and more at a higher retention.
  const rows = page.getByTestId('workload').locator('tbody tr');
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-retention')))).toEqual(['0.7', '0.8', '0.85', '0.9', '0.95', '0.97']);
  const perDay = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-reviews'))))) as number[];
  expect([...perDay].sort((a, b) => a - b)).toEqual(perDay);
  expect(perDay[0]).toBeGreaterThan(0);
  expect(await page.getByTestId('workload-method').textContent()).toMatch(/^You have no cards yet, so this rests only on your 20 new cards a day/);
  expect(await page.getByTestId('retention-estimate').textContent()).toMatch(/At 0\.90, expect about [\d.]+ reviews a day\./);
  expect(await page.locator('tr.yours th').textContent()).toBe('0.90 (yours)');
  expect(await page.locator('main').getByRole('link', { name: 'What I study' }).getAttribute('href')).toBe('/subscriptions');
  expect(await page.locator('main').getByRole('link', { name: 'My cards' }).getAttribute('href')).toBe('/cards');
  await expectAccessible(page, { name: 'settings' });

  // The estimate follows the retention as it is typed, between the table's rows.
  await page.getByLabel('Desired retention').focus();
  await retype(page, '0.93');
  const between = await page.getByTestId('retention-estimate').textContent();
  const m = /At 0\.93, expect about ([\d.,]+) reviews a day \(between the rows below\)\./.exec(between ?? '');
  expect(m, between ?? '').not.toBeNull();
  const typedPerDay = Number(m![1]!.replace(/,/g, ''));
  expect(typedPerDay).toBeGreaterThanOrEqual(Math.floor(perDay[3]!));
  expect(typedPerDay).toBeLessThanOrEqual(Math.ceil(perDay[4]!));

  // By keyboard: into the first field, then Tab from field to field in the order of the page.
  await page.getByLabel('New cards per day').focus();
  await retype(page, '15');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-reviewsPerDay');
  await retype(page, '150');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-desiredRetention');
  await retype(page, '0.85');
  await page.keyboard.press('Tab'); // the maximum interval, under the estimate
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-learningSteps');
  await retype(page, '2m 10x');
  await page.keyboard.press('Enter');

  // Refused: the message at the field (and the focus on it); nothing stored.
  const stepsError = page.locator('#field-learningSteps-error');
  await stepsError.waitFor();
  expect((await stepsError.textContent())!.trim()).toBe(`learning steps: ${STEP_ERRORS.bad('10x')}`);
  expect(await page.getByLabel('Learning steps', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByLabel('Learning steps', { exact: true }).getAttribute('aria-describedby')).toBe('field-learningSteps-hint field-learningSteps-error');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-learningSteps');
  expect(await page.getByTestId('settings-refused').textContent()).toBe('Nothing was saved: one field needs changing (see below).');
  // What was typed stays typed.
  expect(await page.getByLabel('New cards per day').inputValue()).toBe('15');
  expect(await page.getByLabel('Learning steps', { exact: true }).inputValue()).toBe('2m 10x');
  expect(storedSettings(email)).toMatchObject({ new_per_day: 20, reviews_per_day: 200, desired_retention: 0.9, learning_steps: '1m 10m' });

  // A rule the browser cannot check: fewer reviews than new cards, refused at the reviews field.
  await page.getByLabel('Learning steps', { exact: true }).focus();
  await retype(page, '2m, 15m 1h');
  await page.getByLabel('Maximum reviews per day').focus();
  await retype(page, '10');
  await page.keyboard.press('Enter');
  const reviewsError = page.locator('#field-reviewsPerDay-error');
  await reviewsError.waitFor();
  expect((await reviewsError.textContent())!.trim()).toBe(SETTINGS_ERRORS.reviewsBelowNew(10, 15));
  expect(await page.locator('#field-learningSteps-error').count()).toBe(0);
  expect(storedSettings(email).new_per_day).toBe(20);
  await expectAccessible(page, { name: 'settings' });

  // Fixed, and a zone chosen from the list: saved, said, stored; the steps shown as stored.
  await page.getByLabel('Maximum reviews per day').focus();
  await retype(page, '150');
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await page.getByLabel('The day starts at (hour)').focus();
  await retype(page, '5');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('settings-saved').textContent()).toBe('Settings saved. They apply from your next card.');
  expect(storedSettings(email)).toEqual({ new_per_day: 15, reviews_per_day: 150, desired_retention: 0.85, learning_steps: '2m 15m 1h', relearning_steps: '10m', rollover_hour: 5, time_zone: 'Asia/Tokyo', max_interval_days: 36500 });
  await expect.poll(() => page.getByLabel('Learning steps', { exact: true }).inputValue()).toBe('2m 15m 1h');
  expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
  expect(await page.locator('tr.yours th').textContent()).toBe('0.85 (yours)');
  expect(await page.getByTestId('workload-method').textContent()).toMatch(/your 15 new cards a day/);

  // Out of range, the browser refuses before sending (the same bounds as the server's).
  await page.getByLabel('Desired retention').focus();
  await retype(page, '0.5');
  await page.keyboard.press('Enter');
  expect(await page.getByLabel('Desired retention').evaluate((el) => (el as HTMLInputElement).validity.rangeUnderflow)).toBe(true);
  expect(storedSettings(email).desired_retention).toBe(0.85);
  await page.close();
}, 180_000);
