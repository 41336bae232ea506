import { expect, test } from 'vitest';
import { addAccount } from '../support/accounts';
import { serveAppInBrowser } from '../support/app';

const app = serveAppInBrowser();

/** Pages of a browser context record every Content-Security-Policy violation in window.__csp. */
async function recordCspViolations(): Promise<void> {
  await app.browser.context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
}

test('a visitor asking for a page that needs a user is sent to /login, and back after logging in', async () => {
  const res = await fetch(app.server.url + '/review', { redirect: 'manual' });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('/login?redirectTo=%2Freview');
});

test('sign up, log out, fail a login, log in again', async () => {
  const page = await app.browser.context.newPage();
  await page.goto(app.server.url + '/signup');
  await page.fill('input[name=email]', 'ada@example.org');
  await page.fill('input[name=displayName]', 'Ada');
  await page.fill('input[name=password]', 'correct horse battery');
  await page.click('button[type=submit]:has-text("Sign up")');
  await page.waitForURL(app.server.url + '/');
  await expect.poll(() => page.locator('h1').textContent()).toContain('Ada');
  // The cookie is HttpOnly and SameSite=Lax.
  const cookie = (await app.browser.context.cookies()).find((c) => c.name === 'stride_session');
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');

  await page.click('button:has-text("Log out")');
  await page.waitForURL(app.server.url + '/');
  await expect.poll(() => page.locator('text=Create an account').count()).toBe(1);

  await page.goto(app.server.url + '/login?redirectTo=%2Freview');
  await page.fill('input[name=email]', 'ada@example.org');
  await page.fill('input[name=password]', 'wrong password');
  await page.click('button[type=submit]');
  await expect.poll(() => page.locator('[role=alert]').first().textContent()).toContain('do not match');

  await page.fill('input[name=password]', 'correct horse battery');
  await page.click('button[type=submit]');
  await page.waitForURL(app.server.url + '/review');
  await page.close();
});

test('a bad sign-up form is a 400 with a message per field, and a taken email is refused', async () => {
  const form = new URLSearchParams({ email: 'not-an-email', displayName: '', password: 'short' });
  const res = await fetch(app.server.url + '/signup', { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(400);
  await app.browser.context.clearCookies();
  const page = await app.browser.context.newPage();
  await page.goto(app.server.url + '/signup');
  await page.fill('input[name=email]', 'ada@example.org');
  await page.fill('input[name=displayName]', 'Another Ada');
  await page.fill('input[name=password]', 'long enough password');
  await page.click('button[type=submit]:has-text("Sign up")');
  // Neutral: it does not say whether the email has an account.
  await expect.poll(() => page.locator('[role=alert]').first().textContent()).toBe('We could not sign you up with that email and password. If you already have an account, log in instead.');
  await page.close();
});

test('a form posted from another site is refused with 403, and nothing is written', async () => {
  const form = new URLSearchParams({ email: 'mallory@example.org', displayName: 'M', password: 'long enough password' });
  for (const path of ['/signup', '/signup.data']) {
    const res = await fetch(app.server.url + path, { method: 'POST', body: form, headers: { Origin: 'https://evil.example' }, redirect: 'manual' });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  }
  const login = await fetch(app.server.url + '/login', {
    method: 'POST',
    body: new URLSearchParams({ email: 'mallory@example.org', password: 'long enough password' }),
    redirect: 'manual',
  });
  expect(login.status).toBe(400); // no such account was created
});

test('logging in with redirectTo=/..//evil.example/phish stays on the site (in Chromium)', async () => {
  await app.browser.context.clearCookies();
  const page = await app.browser.context.newPage();
  await page.goto(app.server.url + '/login?redirectTo=' + encodeURIComponent('/..//evil.example/phish'));
  await page.fill('input[name=email]', 'ada@example.org');
  await page.fill('input[name=password]', 'correct horse battery');
  await page.click('button[type=submit]');
  await page.waitForURL(app.server.url + '/');
  expect(new URL(page.url()).origin).toBe(app.server.url);
  await page.close();
});

test('an administrator-made instructor invites a colleague in the browser; the link signs up an instructor; no page breaks its CSP', async () => {
  await recordCspViolations();
  await app.browser.context.clearCookies();
  await addAccount(app.server, { email: 'ines@example.org', displayName: 'Ines', role: 'instructor' });
  const page = await app.browser.context.newPage();
  const violations: string[] = [];
  const collect = async () => violations.push(...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(app.server.url + '/login');
  await page.fill('input[name=email]', 'ines@example.org');
  await page.fill('input[name=password]', 'long enough password');
  await page.click('button[type=submit]');
  await page.waitForURL(app.server.url + '/');
  await page.goto(app.server.url + '/classes');
  await page.click('text=Invite an instructor');
  await page.waitForURL(app.server.url + '/invitations');
  await page.click('button:has-text("Create an invitation link")');
  const link = (await page.locator('[data-invitation]').textContent())!;
  expect(link).toMatch(new RegExp(`^${app.server.url}/signup\\?invitation=[A-Za-z0-9_-]{43}$`));
  await collect();
  await page.click('button:has-text("Log out")');
  await page.waitForURL(app.server.url + '/');

  await page.goto(link);
  await expect.poll(() => page.locator('h1').textContent()).toBe('Create your Stride instructor account');
  // The inline time-zone script ran under the CSP (it carries the nonce).
  await expect.poll(() => page.locator('#timeZone').inputValue()).not.toBe('');
  await page.fill('input[name=email]', 'olga@example.org');
  await page.fill('input[name=displayName]', 'Olga');
  await page.fill('input[name=password]', 'olga picks a password');
  await page.click('button[type=submit]:has-text("Sign up")');
  await page.waitForURL(app.server.url + '/');
  await expect.poll(() => page.locator('.account').textContent()).toContain('Olga (instructor)');
  await collect();
  // Pages with KaTeX and the explorer's tables, visited under the same policy.
  for (const path of ['/explore', '/explore/alexnet_cs231n', '/banks', '/quiz', '/review']) {
    await page.goto(app.server.url + path);
    await page.waitForLoadState('networkidle');
    await collect();
  }
  expect(violations).toEqual([]);
  await page.close();
});
