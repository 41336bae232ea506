/** "What I study" in Chromium: no serious accessibility violation (axe-core), and a bank paused by keyboard alone. */
import { expect, test } from 'vitest';
import { addAccount, logIn } from '../support/accounts';
import { serveAppInBrowser } from '../support/app';
import { expectAccessible } from '../support/axe';

const app = serveAppInBrowser();
// Evaluated through the debugging protocol: the page's CSP refuses an inline script tag.

test('the page passes axe-core with no serious or critical violation, and pausing a bank works from the keyboard', async () => {
  const account = await addAccount(app.server, { email: 'subs@example.test', role: 'student' });
  const [name, value] = (await logIn(app.server, account)).split('=');
  await app.browser.context.addCookies([{ name: name!, value: value!, url: app.server.url }]);
  const page = await app.browser.context.newPage();
  expect((await page.goto(`${app.server.url}/subscriptions`))?.status()).toBe(200);
  await expect.poll(() => page.locator('h1').textContent()).toBe('What I study');
  await expectAccessible(page, { name: 'what I study' });
  // Keyboard only: focus the bank's "Paused" radio, select it with Space, Tab to Save, press Enter.
  const form = page.getByTestId('subscription-cs231n');
  await form.getByRole('radio', { name: /^Paused/ }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab'); // out of the radio group, to its Save button
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Save');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('subscription-status').textContent()).toBe('CS231n lecture 9: CNN architectures is now paused.');
  await page.reload();
  expect(await page.getByTestId('subscription-cs231n').getByRole('radio', { name: /^Paused/ }).isChecked()).toBe(true);
  await page.close();
});
