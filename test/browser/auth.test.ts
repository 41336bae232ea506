import { expect, test } from 'vitest';
import { serveAppInBrowser } from '../support/app';

const app = serveAppInBrowser();

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
  await expect.poll(() => page.locator('#field-email-error').textContent()).toContain('already exists');
  await page.close();
});

test('a form posted from another site is refused, and nothing is written', async () => {
  const form = new URLSearchParams({ email: 'mallory@example.org', displayName: 'M', password: 'long enough password' });
  for (const path of ['/signup', '/signup.data']) {
    const res = await fetch(app.server.url + path, { method: 'POST', body: form, headers: { Origin: 'https://evil.example' }, redirect: 'manual' });
    // Remix refuses a cross-origin action before it runs; assertSameOrigin is the second guard.
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get('set-cookie')).toBeNull();
  }
  const login = await fetch(app.server.url + '/login', {
    method: 'POST',
    body: new URLSearchParams({ email: 'mallory@example.org', password: 'long enough password' }),
    redirect: 'manual',
  });
  expect(login.status).toBe(400); // no such account was created
});

test('logging in never redirects to another site, whatever redirectTo says', async () => {
  for (const redirectTo of ['/\t/evil.example', '//evil.example', 'https://evil.example/', '/\\evil.example']) {
    const res = await fetch(app.server.url + '/login', {
      method: 'POST',
      body: new URLSearchParams({ email: 'ada@example.org', password: 'correct horse battery', redirectTo }),
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
  }
});
