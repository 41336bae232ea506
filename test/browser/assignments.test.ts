/**
 * A quiz an instructor assigns, end to end (Chromium on the built server): the instructor sets
 * a quiz with a short window and a time limit, gives one student 50% extra time; that student
 * sees it on the dashboard, takes it and submits; the instructor sees the result per student and
 * per question and credits one question; the student's score changes accordingly, everywhere.
 */
import type { Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { openDatabase } from '../../db/client';
import { loadContentBank } from '../../app/models/bank.server';
import { createClass, joinClass, publishBankToClass } from '../../app/models/class.server';
import { getUserByEmail } from '../../app/models/user.server';
import { serveAppInBrowser } from '../support/app';
import { addAccount } from '../support/accounts';
import { expectAccessible } from '../support/axe';
import { EXPECTED_CONSOLE_NOISE, launchBrowser, waitForHydration, type Browser } from '../support/browser';

const app = serveAppInBrowser();
// A second profile for the student (one profile holds one session cookie).
const others: Browser[] = [];
afterAll(async () => {
  for (const b of others) await b.close();
});

const CHOICES = [
  { id: 'q1', kind: 'choice' as const, topic: 'alexnet', tags: [], question: 'Year of AlexNet?', options: [{ key: 'a', text: '2012' }, { key: 'b', text: '2014' }], answer: 'a', explanation: 'ILSVRC 2012.' },
  { id: 'q2', kind: 'choice' as const, topic: 'vgg', tags: [], question: 'VGG kernel size?', options: [{ key: 'a', text: '3×3' }, { key: 'b', text: '7×7' }], answer: 'a', explanation: 'Only 3×3.' },
  { id: 'q3', kind: 'choice' as const, topic: 'history', tags: [], question: 'Winner of 2014?', options: [{ key: 'a', text: 'VGG' }, { key: 'b', text: 'GoogLeNet' }], answer: 'b', explanation: 'GoogLeNet won.' },
];
/** Ben's answers: right, wrong, right. */
const BEN_ANSWERS: Record<string, string> = { 'z-assigned/q1': 'a', 'z-assigned/q2': 'b', 'z-assigned/q3': 'b' };

async function pageAs(email: string, own = false): Promise<Page> {
  let browser = app.browser;
  if (own) {
    browser = await launchBrowser();
    others.push(browser);
  }
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_CONSOLE_NOISE.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(`${app.server.url}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'long enough password');
  await Promise.all([page.waitForURL(`${app.server.url}/`), page.click('button[type=submit]:has-text("Log in")')]);
  return page;
}

/** A datetime-local value in UTC (both accounts are in UTC). */
const local = (at: Date) => at.toISOString().slice(0, 16);

test('assign, accommodate, take, see results, credit a question: the score changes', async () => {
  const { server } = app;
  await addAccount(server, { email: 'ines@example.test', displayName: 'Ines', role: 'instructor' });
  await addAccount(server, { email: 'ben@example.test', displayName: 'Ben', role: 'student' });
  await addAccount(server, { email: 'amy@example.test', displayName: 'Amy', role: 'student' });
  const database = await openDatabase(server.databaseTarget);
  let classId: number;
  try {
    const db = database.db;
    const ines = (await getUserByEmail({ db, email: 'ines@example.test' }))!;
    await loadContentBank({ db, bank: { id: 'z-assigned', title: 'Assigned choices', items: CHOICES }, now: new Date() });
    const cls = await createClass({ db, userId: ines.id, name: 'CNN 101', now: new Date() });
    classId = cls.id;
    await publishBankToClass({ db, userId: ines.id, classId, bankId: 'z-assigned', now: new Date() });
    for (const email of ['ben@example.test', 'amy@example.test']) await joinClass({ db, userId: (await getUserByEmail({ db, email }))!.id, joinCode: cls.joinCode, now: new Date() });
  } finally {
    await database.close();
  }

  // The instructor sets the quiz: a bad window is refused at its field, nothing saved.
  const teacher = await pageAs('ines@example.test');
  await teacher.goto(`${server.url}/classes/${classId}`);
  await Promise.all([teacher.waitForURL(`${server.url}/classes/${classId}/quizzes/new`), teacher.getByTestId('new-class-quiz').click()]);
  await waitForHydration(teacher);
  await teacher.fill('#assignment-title', 'Week 1 check');
  await teacher.check('input[name=banks][value=z-assigned]');
  await teacher.fill('#assignment-questionCount', '3');
  await teacher.fill('#assignment-timeLimitMinutes', '2');
  const now = Date.now();
  await teacher.fill('#assignment-opensAt', local(new Date(now - 60_000)));
  await teacher.fill('#assignment-closesAt', local(new Date(now - 30 * 60_000)));
  await teacher.getByTestId('create-assignment').click();
  await expect.poll(() => teacher.getByTestId('assignment-closesAt-error').textContent()).toContain('must close');
  await expectAccessible(teacher, { name: 'setting a class quiz, a refusal at its field' });
  await teacher.fill('#assignment-closesAt', local(new Date(now + 30 * 60_000)));
  await Promise.all([teacher.waitForURL(/\/classes\/\d+\/quizzes\/\d+$/), teacher.getByTestId('create-assignment').click()]);
  const assignmentId = Number(/quizzes\/(\d+)$/.exec(teacher.url())![1]);
  expect(await teacher.getByTestId('assignment-summary').textContent()).toContain('3 questions over z-assigned · 2 min · exam mode · 1 attempt');

  // Ben gets 50% extra time.
  const benRow = teacher.locator('tr[data-student="ben@example.test"]');
  await benRow.locator('summary').click();
  await benRow.locator('input[name=extraTimePercent]').fill('50');
  await benRow.getByTestId('save-accommodation').click();
  await expect.poll(() => benRow.getByTestId('accommodation').textContent()).toBe('+50% time');
  await expectAccessible(teacher, { name: 'assigned quiz results, before any attempt' });

  // Ben sees it open on his dashboard, with his time and attempts.
  const ben = await pageAs('ben@example.test', true);
  const line = ben.locator(`[data-testid=assigned-open] li[data-assignment="${assignmentId}"]`);
  expect(await line.textContent()).toMatch(/Week 1 check · CNN 101 · 3 questions, 3 min \(2 \+ 50% extra\), exam · closes in (29|30) min .* · 1 attempt left of 1/);
  await Promise.all([ben.waitForURL(`${server.url}/assignments/${assignmentId}`), line.locator('a').click()]);
  expect(await ben.getByTestId('attempts-left').textContent()).toContain('0 used, 1 of 1 left');
  await Promise.all([ben.waitForURL(/\/quiz\/\d+$/), ben.getByTestId('start-assignment').click()]);
  const attemptId = Number(/quiz\/(\d+)$/.exec(ben.url())![1]);
  await ben.getByTestId('question').waitFor();
  await waitForHydration(ben);
  // The countdown is his: 3 minutes.
  await expect.poll(() => ben.getByTestId('countdown').textContent()).toMatch(/(3:00|2:5\d)$/);
  for (let i = 0; i < 3; i++) {
    if (i > 0) await ben.getByTestId(`nav-${i + 1}`).click();
    const itemId = (await ben.getByTestId('question').getAttribute('data-item'))!;
    await ben.getByTestId('question').getByTestId(`option-${BEN_ANSWERS[itemId]}`).check();
  }
  await ben.getByTestId('submit').click();
  await ben.locator('#results-title').waitFor();
  expect(await ben.getByTestId('score').textContent()).toBe('2 / 3');
  // Exam mode: right and wrong now, the correct answers once the quiz has closed for everyone.
  await ben.getByTestId('answers-hidden').waitFor();
  expect(await ben.locator('.quiz-result-question .answer').count()).toBe(0);
  await expectAccessible(ben, { name: 'an assigned exam’s results, answers held back' });

  // The instructor's results: per student and per question.
  await teacher.goto(`${server.url}/classes/${classId}/quizzes/${assignmentId}`);
  expect(await teacher.locator('tr[data-student="ben@example.test"]').getByTestId('best').textContent()).toBe('2/3 (66.7%)');
  expect(await teacher.locator('tr[data-student="amy@example.test"]').getByTestId('best').textContent()).toBe('—');
  const q2 = teacher.locator('tr[data-item="z-assigned/q2"]');
  expect(await q2.getByTestId('percent-correct').textContent()).toBe('0%');
  expect(await q2.textContent()).toContain('chose b (1)');

  // Credit q2: every answer counts right.
  await q2.locator('summary:has-text("Regrade")').click();
  await q2.locator('input[name=action][value=credit]').check();
  await q2.locator('input[name=reason]').fill('Both kernel sizes appear in the paper');
  await q2.getByTestId('regrade').click();
  await expect.poll(() => teacher.locator('tr[data-item="z-assigned/q2"]').getByTestId('percent-correct').textContent()).toBe('100%');
  expect(await teacher.locator('tr[data-student="ben@example.test"]').getByTestId('best').textContent()).toBe('3/3 (100%)');
  expect(await teacher.getByTestId('regrades').textContent()).toContain('z-assigned/q2 credit (every answer counts right) by Ines, 1 answers changed — Both kernel sizes appear in the paper');

  // Ben's score changed, and he sees why.
  await ben.goto(`${server.url}/quiz/${attemptId}`);
  expect(await ben.getByTestId('score').textContent()).toBe('3 / 3');
  expect(await ben.getByTestId('regrade-note').textContent()).toContain('Both kernel sizes appear in the paper');
  await ben.goto(`${server.url}/`);
  expect(await ben.locator(`[data-testid=assigned-done] li[data-assignment="${assignmentId}"]`).getByTestId('assignment-score').textContent()).toBe(' · best 3/3 (100%)');
  await expectAccessible(ben, { name: 'dashboard with a class quiz done' });

  // The server's refusals: a student may not open the results (403), nor start again (409); a non-member gets 404.
  expect((await ben.request.get(`${server.url}/classes/${classId}/quizzes/${assignmentId}`)).status()).toBe(403);
  expect((await ben.request.post(`${server.url}/assignments/${assignmentId}`, { headers: { Origin: server.url } })).status()).toBe(409);
  await addAccount(server, { email: 'oz@example.test', displayName: 'Oz', role: 'student' });
  const oz = await pageAs('oz@example.test', true);
  expect((await oz.request.get(`${server.url}/assignments/${assignmentId}`)).status()).toBe(404);
  expect((await oz.request.post(`${server.url}/assignments/${assignmentId}`, { headers: { Origin: server.url } })).status()).toBe(404);

  for (const p of [teacher, ben, oz]) expect((p as Page & { errors: string[] }).errors).toEqual([]);
});
