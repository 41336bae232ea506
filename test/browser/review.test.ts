/**
 * The daily review, as a student meets it: a real server on a fresh SQLite file, Chromium,
 * the CS231n bank loaded at start. The test knows the right answers the way the server does:
 * from the item in the database and the variant seed on the page.
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { fsrs, get_fuzz_range, type Card } from 'ts-fsrs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { intervalLabel, intervalWords } from '../../app/scheduling/intervals';
import { clozeDeletions } from '../../engine/bank/cloze';
import type { BankItem } from '../../engine/bank/schema';
import { itemVariant } from '../../engine/bank/item';
import { storedItemOf } from '../support/app';
import { launchBrowser, type Browser } from '../support/browser';
import { answerParts } from '../support/review-client';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;
let db: Database.Database;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  db = new Database(server.databasePath, { readonly: true });
});

afterAll(async () => {
  db?.close();
  await browser?.close();
  await server?.stop();
});

const itemContent = (itemId: string): BankItem => storedItemOf(db, itemId);

function reviewCount(): number {
  return (db.prepare('select count(*) as n from reviews').get() as { n: number }).n;
}

async function shownCard(page: Page) {
  const card = page.locator('article.card');
  await card.waitFor();
  return {
    itemId: (await card.getAttribute('data-item'))!,
    kind: (await card.getAttribute('data-kind'))!,
    seed: (await card.getAttribute('data-seed')) || null,
  };
}

/** Answers the card on screen, rightly or not, as a student would: typing, clicking, revealing. */
async function answer(page: Page, card: { itemId: string; seed: string | null }, right: boolean) {
  const item = itemContent(card.itemId);
  switch (item.kind) {
    case 'generated': {
      const variant = itemVariant(item, Number(card.seed));
      const text = right ? variant.answer.display : variant.answer.kind === 'shape' ? '1x2x3' : '7';
      await page.fill('#answer-input', text);
      await expect.poll(() => page.getByTestId('reading').textContent()).toMatch(/read as/);
      await page.press('#answer-input', 'Enter');
      return variant;
    }
    case 'choice': {
      const keys = Array.isArray(item.answer) ? item.answer : [item.answer];
      const chosen = right ? keys : [item.options.find((o) => !keys.includes(o.key))!.key];
      for (const key of chosen) await page.check(`input[name=choice][value="${key}"]`);
      await page.click('button:has-text("Check")');
      return null;
    }
    case 'cloze': {
      const deletions = clozeDeletions(item.text);
      for (let i = 0; i < deletions.length; i++) await page.fill(`#blank-${i}`, right ? deletions[i]!.answer : 'something else');
      await page.click('button:has-text("Check")');
      return null;
    }
    case 'basic': {
      await page.click('button:has-text("Show answer")');
      await page.click(right ? 'button:has-text("I knew it")' : 'button:has-text("I didn’t")');
      return null;
    }
  }
}

test('sign up, review 10+ cards (right and wrong, until a generated one shows its engine check), change a rating, reload mid-session, undo, see the dashboard change', async () => {
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(server.url + '/signup');
  await page.fill('input[name=email]', 'student@example.org');
  await page.fill('input[name=displayName]', 'Sam');
  await page.fill('input[name=password]', 'a long password');
  await page.click('button[type=submit]:has-text("Sign up")');
  await page.waitForURL(server.url + '/');
  const newToday = Number(await page.getByTestId('new-today').textContent());
  expect(newToday).toBe(20); // the default new cards per day

  await page.goto(server.url + '/review');
  let enginePanelSeen = false;
  let wrongPanelSeen = false; // the panel under a wrong answer, too
  let reviewed = 0;
  let lastAnswered = '';
  const outcomes: boolean[] = [];
  // At least 10 cards, and on until a generated card has shown its engine panel (new cards of
  // the day mix facts and generated items, in bank order interleaved by topic).
  for (let i = 0; i < 10 || !enginePanelSeen; i++) {
    expect(i, 'no generated card among the day’s 20 new cards').toBeLessThan(20);
    let card = await shownCard(page);
    if (i === 3) {
      // A reload before answering shows the same question: same item, same variant seed.
      await page.reload();
      const again = await shownCard(page);
      expect(again).toEqual(card);
      card = again;
    }
    const right = i % 3 !== 2;
    const variant = await answer(page, card, right);
    const result = page.getByTestId('result');
    try {
      await expect.poll(() => result.getAttribute('data-correct')).toBe(String(right));
    } catch (err) {
      await page.screenshot({ path: 'test-results/review-no-result.png', fullPage: true });
      throw new Error(`card ${i} (${card.kind} ${card.itemId}, answered ${right ? 'right' : 'wrong'}) showed no result: ${String(err)}`);
    }
    reviewed++;
    lastAnswered = card.itemId;
    outcomes.push(right);
    await expect.poll(() => reviewCount()).toBe(reviewed);
    const last = db.prepare('select item_id, variant_seed, correct, rating, suggested_rating from reviews order by id desc limit 1').get() as {
      item_id: string;
      variant_seed: number | null;
      correct: number;
      rating: number;
      suggested_rating: number;
    };
    expect(last.item_id).toBe(card.itemId);
    expect(last.variant_seed).toBe(card.seed === null ? null : Number(card.seed));
    expect(last.correct).toBe(right ? 1 : 0);
    if (!right) expect(last.suggested_rating).toBe(1);

    if (variant && variant.spec && (!enginePanelSeen || (!right && !wrongPanelSeen))) {
      const panel = page.getByTestId('engine-panel');
      await expect.poll(() => panel.getAttribute('data-backend'), { timeout: 60_000 }).toBe('webgl');
      expect(await panel.getAttribute('data-ok')).toBe('true');
      // Each line says what agrees with what; a wrong answer is told plainly that it differs.
      expect(await panel.getByTestId('model-report').textContent()).toMatch(/^✓ The tfjs model agrees with the engine's analysis: output /);
      expect(await panel.getByTestId('student-differs').count()).toBe(right ? 0 : 1);
      if (!right) expect(await panel.getByTestId('student-differs').textContent()).toMatch(/^Your answer .*differs from the correct answer/);
      enginePanelSeen = true;
      if (!right) wrongPanelSeen = true;
    }
    if (i === 4) {
      // The student changes the suggested rating with a key; the stored review follows.
      await page.keyboard.press('1'); // the focus is on "Next card", not in a text box
      await expect.poll(() => (db.prepare('select rating from reviews order by id desc limit 1').get() as { rating: number }).rating).toBe(1);
      await expect.poll(() => page.locator('button.rating.chosen').textContent()).toContain('Again');
    }
    const answeredId = await page.locator('article.card').getAttribute('data-review-id');
    await page.click('button.next');
    // Moving on shows a new card (a new client review id), or the end of the day.
    await expect
      .poll(async () => (await page.locator('article.card').count()) === 0 ? 'none' : await page.locator('article.card').getAttribute('data-review-id'))
      .not.toBe(answeredId);
  }
  expect(outcomes.filter((o) => !o).length).toBe(Math.floor(outcomes.length / 3));

  // Undo with the keyboard: the last review disappears and its card is back to its before-state.
  const lastReview = db.prepare('select card_id, state_before from reviews order by id desc limit 1').get() as { card_id: number; state_before: string };
  // (The new card's answer box has the focus, where 'u' is just a letter: leave the box first.)
  await page.locator('article.card').waitFor(); // the next card is up (and its box has taken the focus)
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('u');
  await expect.poll(() => reviewCount()).toBe(reviewed - 1);
  // …and the card it brought back is the one on screen.
  await expect.poll(() => page.locator('article.card').getAttribute('data-item')).toBe(lastAnswered);
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'undone' }).count()).toBe(1);
  const card = db.prepare('select due, stability, difficulty, reps, lapses, state from cards where id = ?').get(lastReview.card_id) as Record<string, number>;
  const before = JSON.parse(lastReview.state_before) as Record<string, number>;
  expect(card).toEqual({ due: before.due, stability: before.stability, difficulty: before.difficulty, reps: before.reps, lapses: before.lapses, state: before.state });

  await page.goto(server.url + '/');
  await expect.poll(() => page.getByTestId('done-today').textContent()).toBe(String(reviewed - 1));
  expect(Number(await page.getByTestId('streak').textContent())).toBe(1);
  await page.close();
}, 600_000);

test('the review page is usable on a phone-sized screen', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 375, height: 740 });
  await browser.context.clearCookies();
  await page.goto(server.url + '/login');
  await page.fill('input[name=email]', 'student@example.org');
  await page.fill('input[name=password]', 'a long password');
  await page.click('button[type=submit]');
  await page.waitForURL(server.url + '/');
  await page.goto(server.url + '/review');
  await page.locator('article.card').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // Suspending the card on screen takes it out of the queue; the next one comes up.
  const suspended = await shownCard(page);
  await page.click('button:has-text("Suspend this card")');
  await expect.poll(() => page.locator('article.card').getAttribute('data-item')).not.toBe(suspended.itemId);
  const row = db.prepare('select suspended from cards where item_id = ?').get(suspended.itemId) as { suspended: number } | undefined;
  expect(row?.suspended).toBe(1);
  await page.close();
}, 120_000);

/** The ts-fsrs a user with the default settings gets, configured here, not through app/scheduling; the built server fuzzes (NODE_ENV=production), and ts-fsrs seeds its fuzz from the card and the instant. */
const referenceScheduler = fsrs({ request_retention: 0.9, maximum_interval: 36500, enable_fuzz: true, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] });

/** Checks the four buttons against ts-fsrs's repeat() of the latest review's stored before-state at its reviewedAt; returns that before-state. */
async function expectIntervalsOfLatestReview(page: Page): Promise<{ state: number; itemId: string; cardId: number }> {
  const last = db.prepare('select item_id, card_id, state_before, reviewed_at from reviews order by id desc limit 1').get() as { item_id: string; card_id: number; state_before: string; reviewed_at: number };
  const s = JSON.parse(last.state_before) as { due: number; stability: number; difficulty: number; elapsedDays: number; scheduledDays: number; learningSteps: number; reps: number; lapses: number; state: number; lastReview: number | null };
  const before: Card = {
    due: new Date(s.due),
    stability: s.stability,
    difficulty: s.difficulty,
    elapsed_days: s.elapsedDays,
    scheduled_days: s.scheduledDays,
    learning_steps: s.learningSteps,
    reps: s.reps,
    lapses: s.lapses,
    state: s.state,
    ...(s.lastReview === null ? {} : { last_review: new Date(s.lastReview) }),
  };
  const preview = referenceScheduler.repeat(before, new Date(last.reviewed_at));
  const names = ['Again', 'Hard', 'Good', 'Easy'];
  for (const rating of [1, 2, 3, 4] as const) {
    const span = preview[rating].card.due.getTime() - last.reviewed_at;
    const button = page.locator(`fieldset.ratings button[data-rating="${rating}"]`);
    await expect.poll(() => button.getAttribute('data-interval')).toBe(intervalLabel(span));
    expect(await button.textContent()).toBe(`${rating} · ${names[rating - 1]}${intervalLabel(span)}`);
    expect(await button.getAttribute('aria-label')).toBe(`${names[rating - 1]}, next in ${intervalWords(span)}`);
    expect(await button.getAttribute('aria-keyshortcuts')).toBe(String(rating));
  }
  return { state: s.state, itemId: last.item_id, cardId: last.card_id };
}

test("the rating buttons show the interval ts-fsrs's repeat() gives that card at that instant: new, review and relearning cards", async () => {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(server.url + '/signup');
  await page.fill('input[name=email]', 'intervals@example.org');
  await page.fill('input[name=displayName]', 'Ivo');
  await page.fill('input[name=password]', 'a long password');
  await page.click('button[type=submit]:has-text("Sign up")');
  await page.waitForURL(server.url + '/');
  await page.goto(server.url + '/review');

  // New cards until a fact comes up (a generated item's family is buried for the day once answered).
  let graduated: { itemId: string; cardId: number } | null = null;
  const seenStates = new Set<number>();
  for (let i = 0; i < 20 && !graduated; i++) {
    const card = await shownCard(page);
    // Right: its next step is 10 minutes off, so no learning card cuts in ahead of the review below.
    await answer(page, card, true);
    await page.getByTestId('result').waitFor();
    const shown = await expectIntervalsOfLatestReview(page);
    seenStates.add(shown.state);
    if (card.kind !== 'generated') {
      // Easy, by key: the card leaves learning for days; the buttons keep the before-state's intervals.
      await page.keyboard.press('4');
      await expect.poll(() => (db.prepare('select rating from reviews order by id desc limit 1').get() as { rating: number }).rating).toBe(4);
      await expectIntervalsOfLatestReview(page);
      graduated = shown;
    }
    await page.click('button.next');
  }
  expect(graduated, 'no fact card among the first 20 new cards').not.toBeNull();

  // Time travel for that one card: last seen 9 days ago, due a minute ago, so it is a due review now.
  const writable = new Database(server.databasePath);
  try {
    writable.prepare('update cards set due = ?, last_review = ? where id = ?').run(Date.now() - 60_000, Date.now() - 9 * 86_400_000, graduated!.cardId);
  } finally {
    writable.close();
  }
  await page.goto(server.url + '/review');
  const review = await shownCard(page);
  expect(review.itemId).toBe(graduated!.itemId);
  await answer(page, review, false);
  await page.getByTestId('result').waitFor();
  const lapsed = await expectIntervalsOfLatestReview(page);
  expect(lapsed.state).toBe(2); // answered as a Review card
  seenStates.add(lapsed.state);

  // And a card in relearning, seen again once its 10-minute step is due.
  await page.click('button.next');
  const writable2 = new Database(server.databasePath);
  try {
    writable2.prepare('update cards set due = ? where id = ?').run(Date.now() - 1000, graduated!.cardId);
  } finally {
    writable2.close();
  }
  await page.goto(server.url + '/review');
  const relearning = await shownCard(page);
  expect(relearning.itemId).toBe(graduated!.itemId);
  await answer(page, relearning, true);
  await page.getByTestId('result').waitFor();
  seenStates.add((await expectIntervalsOfLatestReview(page)).state);
  for (const state of [0, 2, 3]) expect(seenStates).toContain(state); // New, Review, Relearning
  await page.close();
}, 300_000);

test("the quiz's practice mode shows, after check, what each rating would give in daily review, and schedules nothing", async () => {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => {
    throw err;
  });
  await page.goto(server.url + '/signup');
  await page.fill('input[name=email]', 'practice@example.org');
  await page.fill('input[name=displayName]', 'Pia');
  await page.fill('input[name=password]', 'a long password');
  await page.click('button[type=submit]:has-text("Sign up")');
  await page.waitForURL(server.url + '/');
  await page.goto(server.url + '/quiz');
  await page.fill('#quiz-count', '2');
  await page.check('input[name=mode][value=practice]');
  await Promise.all([page.waitForURL(/\/quiz\/\d+$/), page.getByTestId('start-quiz').click()]);
  const question = page.getByTestId('question');
  await question.waitFor();
  const itemId = (await question.getAttribute('data-item'))!;
  const seed = (await question.getAttribute('data-seed')) || null;
  const item = itemContent(itemId);
  const parts = answerParts(item, seed === null ? null : Number(seed), true);
  if (item.kind === 'choice') for (const key of parts) await question.getByTestId(`option-${key}`).check();
  else if (item.kind === 'cloze') for (const [i, text] of parts.entries()) await question.getByTestId(`blank-${i}`).fill(text);
  else await question.getByTestId('typed-answer').fill(parts[0]!);
  await page.getByTestId('check').click();

  // An item this student never reviewed: a new card's intervals with the default steps (1m 10m;
  // Hard the mean of the two). Easy's 8 days is fuzzed by the server's ts-fsrs, within its fuzz range.
  const { min_ivl, max_ivl } = get_fuzz_range(8, 0, 36500);
  const easyLabels = Array.from({ length: max_ivl - min_ivl + 1 }, (_, i) => `${min_ivl + i}d`);
  const line = page.getByTestId('daily-intervals');
  await line.waitFor();
  const labels = await line.locator('[data-rating]').evaluateAll((spans) => spans.map((s) => s.getAttribute('data-interval')));
  expect(labels.slice(0, 3)).toEqual(['1m', '6m', '10m']);
  expect(easyLabels).toContain(labels[3]);
  expect(await line.textContent()).toBe(`In your daily review: Again 1m · Hard 6m · Good 10m · Easy ${labels[3]}`);
  expect(await line.locator('abbr').first().getAttribute('title')).toBe('1 minute');
  // Read-only: no card, no review for this student (decision 0008).
  const student = db.prepare('select id from users where email = ?').get('practice@example.org') as { id: number };
  expect(db.prepare('select count(*) as n from cards where user_id = ?').get(student.id)).toEqual({ n: 0 });
  expect(db.prepare('select count(*) as n from reviews where user_id = ?').get(student.id)).toEqual({ n: 0 });
  // A reload shows them again beside the checked answer, computed for the new instant (so Easy's fuzz may differ).
  await page.reload();
  await expect.poll(() => page.getByTestId('daily-intervals').textContent()).toMatch(/^In your daily review: Again 1m · Hard 6m · Good 10m · Easy \d+d$/);
  expect(easyLabels).toContain(await page.getByTestId('daily-intervals').locator('[data-rating="4"]').getAttribute('data-interval'));
  await page.close();
}, 120_000);
