/**
 * Scheduler parameters as a student and an instructor meet them, in Chromium on the built server
 * (its optimizer worker thread doing the fits): a student with a few hundred simulated reviews
 * fits their own set, watches it run, reads the run's evaluation in the table and the set in use
 * change, goes back to the defaults and to the run's set; below the threshold the button is off
 * and says why; an instructor fits the class's pooled history. Every figure on the page is checked
 * against the optimizer_runs and users rows the server wrote, never against numbers in the test.
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import { optimizerRuns, users } from '../../db/schema';
import { createClass, joinClass } from '../../app/models/class.server';
import { addAccount, logIn } from '../support/accounts';
import { serveAppInBrowser } from '../support/app';
import { expectAccessible } from '../support/axe';
import { waitForHydration } from '../support/browser';
import { simulateHistory, TRUE_PARAMETERS } from '../support/fsrs-history';
import { signUp } from '../support/review-client';
import { storeHistory } from '../support/stored-history';

const app = serveAppInBrowser();

type RunRow = {
  id: number;
  requested_at: number;
  status: string;
  kept: number;
  reason: string | null;
  parameters: string | null;
  log_loss: number | null;
  rmse_bins: number | null;
  baseline_log_loss: number | null;
  baseline_rmse_bins: number | null;
  default_log_loss: number | null;
  default_rmse_bins: number | null;
  reviews_used: number | null;
  train_items: number | null;
  test_items: number | null;
  members_used: number | null;
};
type UserParams = { id: number; fsrs_parameters: string | null; parameter_choice: string; parameter_run_id: number | null; parameter_reason: string | null };

const userRow = (email: string) => app.db.prepare('select id, fsrs_parameters, parameter_choice, parameter_run_id, parameter_reason from users where email = ?').get(email) as UserParams;
const runsOfUser = (userId: number) => app.db.prepare('select * from optimizer_runs where user_id = ? order by id').all(userId) as RunRow[];
const runsOfClass = (classId: number) => app.db.prepare('select * from optimizer_runs where class_id = ? order by id').all(classId) as RunRow[];
const reviewCount = (userId: number) => (app.db.prepare('select count(*) as n from reviews where user_id = ?').get(userId) as { n: number }).n;

/**
 * Writes a simulated history (FSRS memory under TRUE_PARAMETERS, Stride's scheduler) as the
 * student's cards and reviews, through a second connection to the server's database: one card
 * per item of the loaded banks (storeHistory).
 */
async function seedHistory(email: string, { cards: cardCount, days, seed }: { cards: number; days: number; seed: number }): Promise<number> {
  // The simulation's own start (January 2025): fixed, as ts-fsrs's fuzz draws from the review times.
  const history = simulateHistory({ parameters: TRUE_PARAMETERS, cards: cardCount, days, seed });
  const database = await openDatabase(app.server.databaseTarget);
  try {
    const { db } = database;
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const itemIds = (app.db.prepare('select id from items where retired_at is null order by id limit ?').all(cardCount) as { id: string }[]).map((r) => r.id);
    if (itemIds.length < cardCount) throw new Error(`the loaded banks have ${itemIds.length} items, not the ${cardCount} the history needs`);
    await storeHistory(db, user!.id, history.reviews, itemIds);
    return history.reviews.length;
  } finally {
    await database.close();
  }
}

async function browseAs(cookie: string): Promise<Page> {
  await app.browser.context.clearCookies();
  const [name, ...value] = cookie.split('=');
  await app.browser.context.addCookies([{ name: name!, value: value.join('='), url: app.server.url }]);
  const page = await app.browser.context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  return page;
}

/** Records every text the progress line and the live region show, and whether the page ever reloaded. */
async function watchFit(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { fitSeen: string[] }).fitSeen = seen;
    const note = () => {
      for (const sel of ['[data-testid=fit-progress]', '[data-testid=class-parameters] [data-testid=fit-progress]', '[data-testid=fit-announcement]']) {
        const text = document.querySelector(sel)?.textContent?.trim();
        if (text && seen.at(-1) !== text) seen.push(text);
      }
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}
const fitSeen = (page: Page) => page.evaluate(() => (window as unknown as { fitSeen?: string[] }).fitSeen ?? null);

const f4 = (x: number | null) => (x === null ? '—' : x.toFixed(4));

/** The row of `run` in a runs table shows the stored run's figures. */
async function expectRunShown(page: Page, table: string, run: RunRow, timeZone = 'UTC'): Promise<void> {
  const row = page.getByTestId(table).locator(`tr[data-run="${run.id}"]`);
  // When, in the viewer's time zone.
  const when = row.locator('time');
  expect(await when.getAttribute('datetime')).toBe(new Date(run.requested_at).toISOString());
  expect(await when.textContent()).toBe(new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(run.requested_at)));
  expect(await row.getAttribute('data-status')).toBe(run.status);
  expect(await row.getAttribute('data-kept')).toBe(String(run.kept === 1));
  const cell = (metric: string) => row.locator(`[data-metric="${metric}"]`).textContent();
  expect(await cell('fitted-logLoss')).toBe(f4(run.log_loss));
  expect(await cell('fitted-rmseBins')).toBe(f4(run.rmse_bins));
  expect(await cell('baseline-logLoss')).toBe(f4(run.baseline_log_loss));
  expect(await cell('baseline-rmseBins')).toBe(f4(run.baseline_rmse_bins));
  expect(await cell('default-logLoss')).toBe(f4(run.default_log_loss));
  expect(await cell('default-rmseBins')).toBe(f4(run.default_rmse_bins));
  const used = await row.getByTestId('reviews-used').textContent();
  expect(used).toContain(`${run.reviews_used}`);
  expect(used).toContain(`(${run.train_items} train / ${run.test_items} held-out items)`);
  const outcome = (await row.getByTestId('run-outcome').textContent())!;
  // The stored reason, which starts with the verdict ("kept: …", "not kept: …"), said once.
  expect(outcome).toBe(run.reason![0]!.toUpperCase() + run.reason!.slice(1));
  expect(run.reason!.startsWith(run.kept ? 'kept: ' : 'not kept: ')).toBe(true);
}

test('a student fits their own parameters, sees it run and its evaluation, and goes back to the defaults and to the run', async () => {
  const email = 'fit@example.test';
  const cookie = await signUp(app.server.url, email);
  const seeded = await seedHistory(email, { cards: 120, days: 200, seed: 3 });
  const timeZone = 'Asia/Kolkata'; // +05:30: the run's time is the student's, not the server's
  const database = await openDatabase(app.server.databaseTarget);
  await database.db.update(users).set({ timeZone }).where(eq(users.email, email));
  await database.close();
  const me = userRow(email);
  expect(reviewCount(me.id)).toBe(seeded);
  expect(seeded).toBeGreaterThan(1000);

  const page = await browseAs(cookie);
  await page.goto(app.server.url + '/settings');
  const section = page.getByTestId('parameter-settings');
  expect(await page.getByRole('region', { name: 'Scheduler parameters' }).count()).toBe(1);
  expect(await section.getByTestId('review-count').textContent()).toBe(`${seeded.toLocaleString('en')} reviews; a fit needs 200.`);
  expect(await section.getByTestId('parameters-in-use').getAttribute('data-source')).toBe('default');
  expect(await section.getByTestId('parameter-runs-empty').count()).toBe(1);
  expect(await section.getByTestId('fit-progress').count()).toBe(0);
  expect(await section.getByTestId('choose-auto').getByTestId('current-choice').count()).toBe(1);

  // By keyboard: the fit button takes Enter; the run is queued and its progress shows, then the result without a reload.
  await waitForHydration(page, '[data-testid=fit-form] button');
  await watchFit(page);
  const requests: string[] = [];
  page.on('request', (req) => requests.push(new URL(req.url()).pathname));
  const fitButton = section.getByRole('button', { name: 'Fit my parameters now' });
  expect(await fitButton.isDisabled()).toBe(false);
  await fitButton.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('[data-testid=parameter-runs] tr[data-status=done]').count(), { timeout: 30_000 }).toBe(1);
  const seen = (await fitSeen(page))!;
  expect(seen, 'the page was reloaded: the watcher is gone').not.toBeNull();
  // The progress line (queued, or fitting N of M) showed before the result, and the live region said how it ended.
  expect(seen.some((t) => /^(queued: waiting for the optimizer|fitting: (\d+ of \d+|reading the history))$/.test(t)), seen.join(' | ')).toBe(true);
  expect(await section.getByTestId('fit-progress').count()).toBe(0);
  // The result came by polling the section's route, and then the page's data was read once more (the workload follows the new set).
  const lastPoll = requests.map((p) => p.startsWith('/settings/parameters')).lastIndexOf(true);
  expect(lastPoll).toBeGreaterThan(-1);
  await expect.poll(() => requests.slice(lastPoll).includes('/settings.data')).toBe(true);

  const [run] = runsOfUser(me.id);
  expect(run).toBeDefined();
  expect(run!.status).toBe('done');
  expect(run!.reviews_used).toBe(seeded);
  await expectRunShown(page, 'parameter-runs', run!, timeZone);
  // Nothing in flight: no more polling.
  const polls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/settings/parameters')) polls.push(req.url());
  });
  await page.waitForTimeout(2500);
  expect(polls).toEqual([]);
  expect(await section.getByTestId('fit-announcement').textContent()).toBe(`The fit finished: ${run!.reason}`);
  // This history's true set is far from the defaults, and 200 days of it are enough for a fit that
  // beats them on the held-out reviews: the run is kept, and the set in use changes to it, said
  // on the page with the reason the server stored.
  expect(run!.kept).toBe(1);
  const after = userRow(email);
  const inUse = section.getByTestId('parameters-in-use');
  expect(after).toMatchObject({ fsrs_parameters: run!.parameters, parameter_choice: 'auto', parameter_run_id: run!.id });
  expect(await inUse.getAttribute('data-source')).toBe('own');
  expect(await inUse.getAttribute('data-run')).toBe(String(run!.id));
  expect(await inUse.textContent()).toBe(`In use: your own parameters (run ${run!.id}). ${after.parameter_reason}`);

  // The run's 21 parameters, w0 … w20, in its disclosure.
  const detail = page.locator(`[data-testid=parameter-runs] tr[data-run="${run!.id}"] details`);
  await detail.locator('summary').click();
  const shown = await detail.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]));
  expect(shown).toEqual((JSON.parse(run!.parameters!) as number[]).map((w, i) => [`w${i}`, w.toFixed(4)]));
  await expectAccessible(page, { name: 'settings, a fit run and its parameters shown' });

  // "Use the defaults" by keyboard: nothing schedules with a fitted set any more.
  await section.getByTestId('choose-default').getByRole('button').focus();
  await page.keyboard.press('Enter');
  await section.getByTestId('choose-default').getByTestId('current-choice').waitFor();
  expect(await section.getByTestId('parameter-reply').textContent()).toContain('You are now scheduled with the defaults.');
  expect(userRow(email)).toMatchObject({ fsrs_parameters: null, parameter_choice: 'default', parameter_run_id: null });
  expect(await inUse.getAttribute('data-source')).toBe('default');

  // "Use this set" on the run, kept or not: its set schedules the student.
  await section.getByTestId(`choose-run-${run!.id}`).getByRole('button', { name: `Use this set of run ${run!.id}` }).click();
  await section.getByTestId(`choose-run-${run!.id}`).getByTestId('current-choice').waitFor();
  expect(userRow(email)).toMatchObject({ fsrs_parameters: run!.parameters, parameter_choice: 'run', parameter_run_id: run!.id });
  expect(await inUse.getAttribute('data-source')).toBe('own');

  // Back to automatic: the rule decides again, as after the fit.
  await section.getByTestId('choose-auto').getByRole('button').click();
  await section.getByTestId('choose-auto').getByTestId('current-choice').waitFor();
  expect(userRow(email)).toMatchObject({ fsrs_parameters: after.fsrs_parameters, parameter_choice: 'auto' });
  await page.close();

  // Without JavaScript: the form's own POST queues a fit and the page it answers shows it in flight.
  const res = await fetch(app.server.url + '/settings', { method: 'POST', headers: { Cookie: cookie, Origin: app.server.url }, body: new URLSearchParams({ intent: 'fit' }) });
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('Your fit is queued: its progress shows below.');
  expect(html).toMatch(/data-testid="fit-progress" data-status="(queued|running)"/);
  expect(html).toContain('Reload this page to see its progress.');
  await expect.poll(() => runsOfUser(me.id).map((r) => r.status), { timeout: 30_000 }).toEqual(['done', 'done']);
}, 120_000);

test('below the threshold the button is disabled with the reason, and a POST queues nothing', async () => {
  const email = 'few@example.test';
  const cookie = await signUp(app.server.url, email);
  const seeded = await seedHistory(email, { cards: 15, days: 20, seed: 5 });
  expect(seeded).toBeLessThan(200);
  const page = await browseAs(cookie);
  await page.goto(app.server.url + '/settings');
  const section = page.getByTestId('parameter-settings');
  const button = section.getByRole('button', { name: 'Fit my parameters now' });
  expect(await button.isDisabled()).toBe(true);
  expect(await section.getByTestId('fit-blocked').textContent()).toBe(`You have ${seeded} reviews; a fit needs 200.`);
  expect(await button.getAttribute('aria-describedby')).toBe('fit-blocked');
  await page.close();

  // Without the page (no JavaScript, or a forged form): refused with the reason, nothing queued.
  const me = userRow(email);
  const res = await fetch(app.server.url + '/settings', { method: 'POST', headers: { Cookie: cookie, Origin: app.server.url }, body: new URLSearchParams({ intent: 'fit' }) });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain(`Nothing was queued: you have ${seeded} reviews, and a fit needs 200.`);
  expect(runsOfUser(me.id)).toEqual([]);
}, 60_000);

test('another student’s run cannot be chosen: refused at the form, nothing changed', async () => {
  // Another student's fitted run, written as the worker would have left it.
  await signUp(app.server.url, 'owner@example.test');
  const database = await openDatabase(app.server.databaseTarget);
  let theirs: { id: number };
  try {
    [theirs] = (await database.db
      .insert(optimizerRuns)
      .values({ userId: userRow('owner@example.test').id, trigger: 'manual', status: 'done', requestedAt: new Date(), finishedAt: new Date(), parameters: JSON.stringify(TRUE_PARAMETERS), kept: true, reason: 'kept: written by the test' })
      .returning({ id: optimizerRuns.id })) as [{ id: number }];
  } finally {
    await database.close();
  }
  const email = 'other@example.test';
  const cookie = await signUp(app.server.url, email);
  const before = userRow(email);
  const res = await fetch(app.server.url + '/settings', { method: 'POST', headers: { Cookie: cookie, Origin: app.server.url }, body: new URLSearchParams({ intent: 'choose', choice: 'run', runId: String(theirs!.id) }) });
  expect(res.status).toBe(400);
  const html = await res.text();
  expect(html).toContain(`run ${theirs!.id} is neither one of your optimizer runs nor a kept run of a class you belong to`);
  expect(html).toContain('data-testid="parameter-reply"');
  expect(userRow(email)).toEqual(before);
  // And its polling route shows only the asker's own runs.
  const polled = (await (await fetch(app.server.url + '/settings/parameters', { headers: { Cookie: cookie } })).json()) as { runs: unknown[] };
  expect(polled.runs).toEqual([]);
}, 60_000);

test('an instructor fits the class’s pooled parameters from the class page and sees who is scheduled with them', async () => {
  const instructor = await addAccount(app.server, { email: 'teacher@example.test', role: 'instructor' });
  const database = await openDatabase(app.server.databaseTarget);
  let classId: number;
  let newcomer = '';
  // Two members with a history of their own, and one too new for a fit of their own (the cold start).
  const members = ['m1@example.test', 'm2@example.test', 'new@example.test'];
  try {
    const teacher = userRow(instructor.email);
    const cls = await createClass({ db: database.db, userId: teacher.id, name: 'CS231n', now: new Date() });
    classId = cls.id;
    for (const [i, email] of members.entries()) {
      const cookie = await signUp(app.server.url, email);
      if (i === 2) newcomer = cookie;
      await seedHistory(email, i < 2 ? { cards: 40, days: 60, seed: 11 + i } : { cards: 10, days: 10, seed: 13 });
      await joinClass({ db: database.db, userId: userRow(email).id, joinCode: cls.joinCode, now: new Date() });
    }
  } finally {
    await database.close();
  }
  const pooled = members.reduce((n, email) => n + reviewCount(userRow(email).id), 0);
  const page = await browseAs(await logIn(app.server, instructor));
  await page.goto(`${app.server.url}/classes/${classId!}`);
  const panel = page.getByTestId('class-parameters');
  expect(await panel.getByTestId('class-pooled').textContent()).toBe(`${pooled} reviews from 3 members; a fit needs 200.`);
  await waitForHydration(page, '[data-testid=class-fit-form] button');
  await watchFit(page);
  await panel.getByRole('button', { name: 'Fit the class’s parameters now' }).click();
  await expect.poll(() => page.locator('[data-testid=class-runs] tr[data-status=done]').count(), { timeout: 30_000 }).toBe(1);
  expect(await fitSeen(page)).not.toBeNull();
  const [run] = runsOfClass(classId!);
  await expectRunShown(page, 'class-runs', run!);
  expect(await page.getByTestId('class-runs').locator(`tr[data-run="${run!.id}"] [data-testid=reviews-used]`).textContent()).toContain(`from ${run!.members_used} member`);
  // Who the class set schedules: counted from the users rows (each member has ≥ 200 of their own or not).
  await page.reload();
  const onClassSet = members.filter((email) => userRow(email).parameter_run_id === run!.id).length;
  // The class's kept set beat the defaults on the held-out members: the newcomer (under 200 reviews) takes it.
  expect(run!.kept).toBe(1);
  expect(userRow('new@example.test')).toMatchObject({ parameter_run_id: run!.id, fsrs_parameters: run!.parameters });
  expect(await page.getByTestId('class-set-members').getAttribute('data-count')).toBe(String(onClassSet));
  for (const email of members) {
    const member = userRow(email);
    const source = member.parameter_run_id === run!.id ? 'class' : member.parameter_run_id === null ? 'default' : 'own';
    expect(await page.locator(`[data-testid=member-parameters] li[data-member="${member.id}"]`).getAttribute('data-source'), email).toBe(source);
  }
  await expectAccessible(page, { name: 'class page, a class fit shown' });
  await page.close();

  // The newcomer's settings say whose set it is and why, and offer it by name.
  const student = await browseAs(newcomer);
  await student.goto(app.server.url + '/settings');
  const inUse = student.getByTestId('parameters-in-use');
  expect(await inUse.getAttribute('data-source')).toBe('class');
  expect(await inUse.textContent()).toBe(`In use: your class CS231n’s parameters (run ${run!.id}). ${userRow('new@example.test').parameter_reason}`);
  expect(await student.getByTestId(`choose-run-${run!.id}`).getByRole('button').textContent()).toBe(`Use your class CS231n’s set (run ${run!.id})`);
  await student.close();

  // Another instructor's class is not shown to exist.
  const other = await addAccount(app.server, { email: 'teacher2@example.test', role: 'instructor' });
  const res = await fetch(`${app.server.url}/classes/${classId!}/parameters`, { headers: { Cookie: await logIn(app.server, other) } });
  expect(res.status).toBe(404);
}, 120_000);
