/**
 * A class exam, end to end (Chromium on the built server): an instructor publishes a bank to a
 * class and sets an exam on it three weeks ahead (a date in the past is refused at its field,
 * nothing saved); a member with some reviews stored sees it on the dashboard and on its page,
 * with the readiness forecast and the daily plan that studentReadiness computes for them; the
 * instructor sees the class readiness on the same page; a stranger gets 404.
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase, type Database as StrideDatabase } from '../../db/client';
import { studentReadiness } from '../../app/models/readiness.server';
import { classReadiness } from '../../app/models/class-readiness.server';
import { studyDay } from '../../app/scheduling/study-day';
import { EXPECTED_CONSOLE_NOISE, launchBrowser, type Browser } from '../support/browser';
import { addAccount } from '../support/accounts';
import { reviewOneCard, signUp } from '../support/review-client';
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

/** A page in a browser of its own, as the holder of `cookie` when given. */
async function newPage(cookie?: string): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  if (cookie) {
    const [name, ...value] = cookie.split('=');
    await browser.context.addCookies([{ name: name!, value: value.join('='), url: server.url }]);
  }
  const page = await browser.context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_CONSOLE_NOISE.test(m.text())) pageErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const examCount = () => (db.prepare('select count(*) as n from exams').get() as { n: number }).n;

test('an instructor sets a class exam; a member sees the forecast and the daily plan; the instructor sees the class readiness', async () => {
  const today = studyDay(new Date(), 'UTC', 4);
  const examDate = plusDays(today, 21);

  // The instructor: a class with the CS231n bank published to it.
  const teacher = await newPage();
  await addAccount(server, { email: 'ines@example.test', displayName: 'Ines', role: 'instructor' });
  await teacher.goto(`${server.url}/login`);
  await teacher.fill('input[name=email]', 'ines@example.test');
  await teacher.fill('input[name=password]', 'long enough password');
  await Promise.all([teacher.waitForURL(`${server.url}/`), teacher.click('button[type=submit]:has-text("Log in")')]);
  await teacher.goto(`${server.url}/classes`);
  await teacher.fill('#class-name', 'CNN architectures');
  await Promise.all([teacher.waitForURL(/\/classes\/\d+$/), teacher.click('button:has-text("Create class")')]);
  const classId = Number(new URL(teacher.url()).pathname.split('/').pop());
  const joinCode = (await teacher.getByTestId('join-code').textContent())!.trim();
  await teacher.selectOption('#publish-bank', 'cs231n');
  await teacher.click('button:has-text("Publish to class")');
  await teacher.getByTestId('class-publish-result').waitFor();
  expect(db.prepare('select bank_id as bankId from class_banks where class_id = ?').all(classId)).toEqual([{ bankId: 'cs231n' }]);

  // A member who has reviewed a few cards.
  const cookie = await signUp(server.url, 'sam@example.test');
  const joined = await fetch(`${server.url}/classes`, { method: 'POST', headers: { Cookie: cookie }, body: new URLSearchParams({ intent: 'join', joinCode }), redirect: 'manual' });
  expect(joined.status).toBeLessThan(400);
  for (let i = 0; i < 6; i++) expect((await reviewOneCard(server.url, cookie, stride, i % 3 !== 2)).kind).toBe('reviewed');
  const sam = (db.prepare('select id from users where email = ?').get('sam@example.test') as { id: number }).id;

  // From the class page to the exam form, set for this class.
  await teacher.goto(`${server.url}/classes/${classId}`);
  await Promise.all([teacher.waitForURL(/\/exams\?class=/), teacher.click('a:has-text("Set an exam for this class")')]);
  expect(await teacher.getByTestId('exam-for').textContent()).toContain('the class CNN architectures');
  await teacher.fill('#field-title', 'Midterm');
  await teacher.fill('#exam-create-time', '09:30');
  await teacher.selectOption('#exam-create-zone', 'UTC');
  await teacher.fill('#exam-create-target', '0.9');
  await teacher.check('input[name=banks][value=cs231n]');
  // A date in the past: refused at its field, nothing saved, what was typed kept.
  await teacher.fill('#exam-create-date', plusDays(today, -1));
  await teacher.click('[data-testid=create-exam]');
  await expect.poll(() => teacher.locator('#exam-create-date-error').textContent()).toContain('the exam is in the past');
  expect(await teacher.locator('#exam-create-date').getAttribute('aria-invalid')).toBe('true');
  expect(await teacher.inputValue('#field-title')).toBe('Midterm');
  expect(examCount()).toBe(0);
  await teacher.fill('#exam-create-date', examDate);
  await Promise.all([teacher.waitForURL(/\/exams\/\d+$/), teacher.click('[data-testid=create-exam]')]);
  const examId = Number(new URL(teacher.url()).pathname.split('/').pop());
  expect(db.prepare('select owner_id as ownerId, class_id as classId, title, at, time_zone as timeZone, target, scope from exams').all()).toEqual([
    { ownerId: expect.any(Number), classId, title: 'Midterm', at: Date.parse(`${examDate}T09:30:00Z`), timeZone: 'UTC', target: 0.9, scope: JSON.stringify({ banks: ['cs231n'], topics: [], families: [] }) },
  ]);
  expect(await teacher.getByTestId('exam-days-left').getAttribute('data-days')).toBe('21');

  // The member: the dashboard lists the exam with its forecast, and links to its page.
  const student = await newPage(cookie);
  await student.goto(`${server.url}/`);
  const line = student.locator(`[data-testid=readiness-summary-list] li[data-exam="${examId}"]`);
  await line.waitFor();
  expect(await line.textContent()).toContain('Midterm');
  await Promise.all([student.waitForURL(`${server.url}/exams/${examId}`), line.locator('a').click()]);

  // The exam page: the forecast and the daily plan, as studentReadiness computes them for this member.
  await student.getByTestId('readiness').waitFor();
  const expected = (await studentReadiness({ db: stride.db, userId: sam, examId, now: new Date() })).readiness;
  expect(expected.cards).toBeGreaterThan(0);
  expect(Number(await student.getByTestId('exam-scope').getAttribute('data-items'))).toBe(expected.cards);
  const planRows = student.locator('[data-testid=readiness-plan] tbody tr');
  await expect.poll(() => planRows.count()).toBe(expected.perDay.length);
  const shown = await planRows.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))));
  // Reviews and minutes a day: what the model returns (a second apart: ±1 at most from rounding).
  for (const [i, day] of expected.perDay.entries()) {
    expect(Math.abs(shown[i]![0]! - Math.round(day.reviews)), `reviews on ${day.day}`).toBeLessThanOrEqual(1);
    expect(Math.abs(shown[i]![1]! - Math.round(day.minutes)), `minutes on ${day.day}`).toBeLessThanOrEqual(1);
  }
  expect(await student.getByTestId('readiness-limits').getAttribute('data-reachable')).toBe(String(expected.limits.reachable));
  await student.getByTestId('readiness-topics').waitFor();
  // A member can neither change nor delete a class exam.
  expect(await student.getByTestId('delete-exam').count()).toBe(0);
  const refused = await fetch(`${server.url}/exams/${examId}`, { method: 'POST', headers: { Cookie: cookie, Origin: server.url }, body: new URLSearchParams({ intent: 'delete' }), redirect: 'manual' });
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain('only the class');
  expect(examCount()).toBe(1);
  await expectAccessible(student, { name: 'exam page, a member with the readiness forecast' });
  // A practice exam from the page: a timed quiz over the exam's scope.
  await student.fill('#practice-count', '5');
  await student.fill('#practice-time', '10');
  await Promise.all([student.waitForURL(/\/quiz\/\d+$/), student.click('[data-testid=start-practice]')]);
  const attempt = db.prepare('select user_id as userId, config, seeds, deadline_at - started_at as limitMs from quiz_attempts').get() as { userId: number; config: string; seeds: string; limitMs: number };
  expect(attempt.userId).toBe(sam);
  expect(JSON.parse(attempt.config)).toMatchObject({ banks: ['cs231n'], topics: [], families: [], tags: [], count: 5, timeLimitMinutes: 10, mode: 'exam' });
  expect(attempt.limitMs).toBe(10 * 60_000);
  const slots = JSON.parse(attempt.seeds) as { itemId: string }[];
  expect(slots).toHaveLength(5);
  expect(slots.every((x) => x.itemId.startsWith('cs231n/'))).toBe(true);

  // The instructor: the class readiness on the exam page.
  await teacher.goto(`${server.url}/exams/${examId}`);
  await teacher.getByTestId('class-readiness').waitFor();
  const ins = (db.prepare("select id from users where email = 'ines@example.test'").get() as { id: number }).id;
  const cls = await classReadiness({ db: stride.db, userId: ins, examId, now: new Date() });
  expect(await teacher.locator('[data-testid=class-readiness-students] tbody tr').count()).toBe(cls.members.length);
  expect(await teacher.getByTestId('class-readiness-students').textContent()).toContain('sam');
  await expectAccessible(teacher, { name: 'exam page, the instructor with the class readiness' });

  // The class page lists it.
  await teacher.goto(`${server.url}/classes/${classId}`);
  expect(await teacher.locator(`[data-testid=class-exams] li[data-exam="${examId}"]`).textContent()).toContain('Midterm');

  // Someone who neither sits nor teaches it: 404.
  const stranger = await signUp(server.url, 'stranger@example.test');
  expect((await fetch(`${server.url}/exams/${examId}`, { headers: { Cookie: stranger } })).status).toBe(404);

  expect(pageErrors).toEqual([]);
});
