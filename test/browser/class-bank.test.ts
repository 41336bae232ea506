/**
 * A class bank reaches its students the day it is published (Chromium on the built server): an
 * instructor publishes a bank to a class with a learn-by date (a past one is refused at its field,
 * nothing saved) and is told what members will see; a student who signs up and joins that morning,
 * with the default limits, is told the same and gets the day's quota of it first in today's review.
 *
 * Needs the class-first queue (issue 14, the queue's part): on a branch without it, the review
 * part fails (the class items wait behind the built-in ones).
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase, type Database as StrideDatabase } from '../../db/client';
import { studyDay } from '../../app/scheduling/study-day';
import { EXPECTED_CONSOLE_NOISE, launchBrowser, type Browser } from '../support/browser';
import { addAccount, logIn } from '../support/accounts';
import { reviewOneCard } from '../support/review-client';
import { expectAccessible } from '../support/axe';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let db: Database.Database;
let stride: StrideDatabase;
const browsers: Browser[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  db = new Database(server.databasePath, { readonly: true });
  stride = await openDatabase(server.databaseTarget);
});

afterAll(async () => {
  db?.close();
  await stride?.close();
  for (const b of browsers) await b.close();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = await browser.context.newPage();
  page.on('console', (m) => {
    // Noise: the favicon's 404, and Remix's route discovery cut off in flight by the test's next page.goto.
    if (m.type() === 'error' && !EXPECTED_CONSOLE_NOISE.test(m.text())) pageErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

const ITEMS = 6;
const bankYaml = () =>
  `id: z-class-facts\ntitle: Class facts\ndescription: Facts for the class.\nversion: "1.0.0"\nitems:\n` +
  Array.from({ length: ITEMS }, (_, i) => `  - id: fact-${i}\n    kind: basic\n    topic: vgg\n    tags: []\n    front: VGG fact ${i}?\n    back: "${i}"\n`).join('');

/** 'YYYY-MM-DD' n days after `day`, and as the page writes it ("8 Dec"), computed here. */
const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const shortDay = (day: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

test('an instructor publishes a bank with a learn-by date; a student who joined that morning gets its items first in today’s review, within the default limits', async () => {
  // Both accounts in UTC with the default rollover (4:00): their study day is this one.
  const today = studyDay(new Date(), 'UTC', 4);
  const learnBy = plusDays(today, 2);
  // 6 items over 3 days (today counted): 2 a day.
  const quota = 2;

  const teacher = await newPage();
  await addAccount(server, { email: 'ines@example.test', displayName: 'Ines', role: 'instructor' });
  await teacher.goto(`${server.url}/login`);
  await teacher.fill('input[name=email]', 'ines@example.test');
  await teacher.fill('input[name=password]', 'long enough password');
  await Promise.all([teacher.waitForURL(`${server.url}/`), teacher.click('button[type=submit]:has-text("Log in")')]);

  await teacher.goto(`${server.url}/banks`);
  await teacher.fill('#new-bank-id', 'z-class-facts');
  await teacher.fill('#new-bank-title-input', 'Class facts');
  await Promise.all([teacher.waitForURL(`${server.url}/banks/z-class-facts/edit`), teacher.click('button:has-text("Create bank")')]);
  await teacher.fill('#bank-yaml', bankYaml());
  await teacher.click('button:has-text("Save draft")');
  await expect.poll(() => teacher.getByTestId('save-result').textContent()).toBe('Saved as version 2.');

  await teacher.goto(`${server.url}/classes`);
  await teacher.fill('#class-name', 'CNN architectures');
  await Promise.all([teacher.waitForURL(/\/classes\/\d+$/), teacher.click('button:has-text("Create class")')]);
  const joinCode = (await teacher.getByTestId('join-code').textContent())!.trim();

  // A learn-by date in the past: refused at its field, nothing published.
  await teacher.selectOption('#publish-bank', 'z-class-facts');
  await teacher.$eval('#publish-learnBy', (el) => el.removeAttribute('min'));
  await teacher.fill('#publish-learnBy', plusDays(today, -1));
  await teacher.click('button:has-text("Publish to class")');
  await expect.poll(() => teacher.locator('#publish-learnBy-error').textContent()).toContain(`the learn-by date is in the past: today is ${today}`);
  expect(await teacher.locator('#publish-learnBy').getAttribute('aria-invalid')).toBe('true');
  expect((db.prepare('select count(*) as n from class_banks').get() as { n: number }).n).toBe(0);

  await teacher.fill('#publish-learnBy', learnBy);
  await teacher.click('button:has-text("Publish to class")');
  await expect.poll(() => teacher.getByTestId('class-publish-result').textContent()).toBe(
    `Published Class facts to CNN architectures: ${ITEMS} items. Members see them in their daily review from today (class banks come before their other new cards): ${quota} new a day, all introduced by ${shortDay(learnBy)}. A member whose new-cards-per-day limit is below ${quota} falls behind; their dashboard says so.`,
  );
  expect(db.prepare('select starts_on as startsOn, learn_by as learnBy from class_banks').all()).toEqual([{ startsOn: null, learnBy }]);
  const listed = teacher.locator('li[data-bank="z-class-facts"]');
  expect(await listed.getByTestId('class-bank-dates').textContent()).toBe(`, from the day it was published, learn by ${shortDay(learnBy)}`);

  // Change dates: a learn-by before the start is refused at its field, and the stored dates stay.
  await listed.locator('summary:has-text("Change dates")').click();
  await teacher.fill('#dates-z-class-facts-startsOn', plusDays(today, 5));
  await teacher.fill('#dates-z-class-facts-learnBy', plusDays(today, 3));
  await listed.locator('button:has-text("Save dates")').click();
  await expect.poll(() => teacher.locator('#dates-z-class-facts-learnBy-error').textContent()).toContain(`the learn-by date is before the start date ${plusDays(today, 5)}`);
  expect(await teacher.getByTestId('class-dates-result').textContent()).toBe('Nothing was saved: see the messages at the dates.');
  expect(await teacher.locator('#dates-z-class-facts-learnBy-error').isVisible()).toBe(true);
  expect(db.prepare('select starts_on as startsOn, learn_by as learnBy from class_banks').all()).toEqual([{ startsOn: null, learnBy }]);
  // The same dates again (no start): saved, and the message says what members get.
  await teacher.fill('#dates-z-class-facts-startsOn', '');
  await teacher.fill('#dates-z-class-facts-learnBy', learnBy);
  await listed.locator('button:has-text("Save dates")').click();
  await expect.poll(() => teacher.getByTestId('class-dates-result').textContent()).toBe(
    `Saved the dates of Class facts in CNN architectures: ${ITEMS} items. Members see them in their daily review from today (class banks come before their other new cards): ${quota} new a day, all introduced by ${shortDay(learnBy)}. A member whose new-cards-per-day limit is below ${quota} falls behind; their dashboard says so.`,
  );
  expect(await teacher.getByTestId('class-dates-result').isVisible()).toBe(true);
  await expectAccessible(teacher, { name: 'the class page' });
  expect(db.prepare('select starts_on as startsOn, learn_by as learnBy from class_banks').all()).toEqual([{ startsOn: null, learnBy }]);
  expect(pageErrors).toEqual([]);

  // Another instructor, and a student, may not change them: 403, nothing saved.
  const classPath = new URL(teacher.url()).pathname;
  const rival = await logIn(server, await addAccount(server, { email: 'rival@example.test', role: 'instructor' }));
  const outsider = await logIn(server, await addAccount(server, { email: 'outsider@example.test', role: 'student' }));
  for (const cookie of [rival, outsider]) {
    const res = await fetch(`${server.url}${classPath}`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: server.url },
      body: new URLSearchParams({ intent: 'dates', bankId: 'z-class-facts', startsOn: '', learnBy: '' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
  }
  expect(db.prepare('select starts_on as startsOn, learn_by as learnBy from class_banks').all()).toEqual([{ startsOn: null, learnBy }]);

  // A fresh student, default limits, signs up and joins this morning.
  const student = await newPage();
  await student.goto(`${server.url}/signup`);
  await student.fill('input[name=email]', 'sam@example.test');
  await student.fill('input[name=displayName]', 'Sam');
  await student.fill('input[name=password]', 'long enough password');
  await Promise.all([student.waitForURL(`${server.url}/`), student.click('button[type=submit]:has-text("Sign up")')]);
  await student.goto(`${server.url}/classes`);
  await student.fill('#join-code', joinCode);
  await Promise.all([student.waitForURL(`${server.url}/classes`), student.click('button:has-text("Join")')]);
  await expect.poll(() => student.getByTestId('class-bank-notice').textContent()).toBe(
    `Class facts (CNN architectures): 0 of ${ITEMS} introduced. They come first among your new cards: ${quota} new a day, all by ${shortDay(learnBy)}. At your limit of 20 new cards a day you are on track.`,
  );
  await expectAccessible(student, { name: '/classes' });
  expect(pageErrors).toEqual([]);

  // Today's review: the class's items come first, as many as today's quota.
  await student.goto(`${server.url}/review`);
  const card = student.locator('article.card');
  await card.waitFor();
  expect(await card.getAttribute('data-item'), 'the first card of the review page').toMatch(/^z-class-facts\//);

  // The rest of the session over HTTP, with the student's own cookie: every card of today, in order.
  const cookie = (await student.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const reviewed: string[] = [];
  for (let i = 0; i < 60; i++) {
    const step = await reviewOneCard(server.url, cookie, stride, true);
    if (step.kind === 'done') break;
    if (step.kind !== 'reviewed') throw new Error(`review ${i} failed: ${JSON.stringify(step)}\n${server.output().slice(-2000)}`);
    reviewed.push(step.itemId);
  }
  const firstReviews = reviewed.filter((id, i) => reviewed.indexOf(id) === i);
  const bankOf = (itemId: string) => itemId.split('/')[0];
  // The first `quota` new cards are the class's, and no more of it today.
  expect(firstReviews.slice(0, quota + 1).map(bankOf)).toEqual([...Array(quota).fill('z-class-facts'), expect.not.stringMatching(/^z-class-facts$/)]);
  expect(firstReviews.filter((id) => bankOf(id) === 'z-class-facts')).toHaveLength(quota);
  // Within the default limit of 20 new cards a day.
  expect(firstReviews).toHaveLength(20);
  expect(pageErrors).toEqual([]);
}, 240_000);
