/**
 * Stride by keyboard alone, in Chromium on the built server: page.keyboard only, never a click.
 * Log in, answer review cards (Tab to the field, type, Enter), change the rating with 1–4, Space
 * to the next card, u to undo; build a practice quiz, check an answer, submit. Every element the
 * focus lands on shows a focus ring, and after every action the focus is somewhere, never <body>.
 */
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BankItem } from '../../engine/bank/schema';
import { storedItemOf } from '../support/app';
import { launchBrowser, waitForHydration, type Browser } from '../support/browser';
import { answerParts, signUp } from '../support/review-client';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;
let page: Page;
let db: Database.Database;
const pageErrors: string[] = [];
/** The action under way, to say where a page error came from. */
let step = 'start';
const EMAIL = 'keys-only@example.test';
const PASSWORD = 'load-test-password'; // what signUp gives every account

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${step}: ${e.message} ${e.stack?.split('\n').slice(0, 4).join(' | ')}`));
  db = new Database(server.databasePath, { readonly: true });
  await signUp(server.url, EMAIL);
});

afterAll(async () => {
  db?.close();
  await browser?.close();
  await server?.stop();
});

const itemOf = (itemId: string): BankItem => storedItemOf(db, itemId);

const reviewCount = () => (db.prepare('select count(*) as n from reviews').get() as { n: number }).n;
const lastRating = () => (db.prepare('select rating from reviews order by id desc limit 1').get() as { rating: number } | undefined)?.rating;

interface Focused {
  /** tag#id.class "text": enough to say in a message which element it is. */
  what: string;
  onBody: boolean;
  /** It matches :focus-visible and draws an outline of 2px or more (or a box-shadow ring). */
  ringed: boolean;
}

async function focused(): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { what: '<body>', onBody: true, ringed: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow !== 'none';
    const classes = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const text = (el.textContent ?? '').trim().slice(0, 40);
    return { what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes}${text ? ` "${text}"` : ''}`, onBody: false, ringed: el.matches(':focus-visible') && (outline || ring) };
  });
}

/** After an action: the focus settles somewhere that is not <body> (on `expected`: a pattern of its description, or a selector it matches), and shows it. */
async function expectFocusKept(after: string, expected?: RegExp | string): Promise<Focused> {
  const settled = async () => {
    const now = await focused();
    if (now.onBody) return 'on <body>';
    const there = expected === undefined || (typeof expected === 'string' ? await page.evaluate((s) => document.activeElement?.matches(s) ?? false, expected) : expected.test(now.what));
    return there ? 'kept' : `on ${now.what}`;
  };
  await expect.poll(settled, { timeout: 5_000, message: `after ${after} the focus should be ${expected ? `on ${expected}` : 'somewhere'}` }).toBe('kept');
  const now = await focused();
  expect(now.ringed, `after ${after} the focus is on ${now.what}, which shows no focus ring`).toBe(true);
  return now;
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`; every stop on the way must show its focus. */
async function tabTo(selector: string, { back = false, max = 40 } = {}): Promise<void> {
  for (let i = 0; ; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) break;
    if (i === max) throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} did not reach ${selector} (at ${(await focused()).what})`);
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused();
    expect(now.onBody, `Tab left the focus on <body> on the way to ${selector}`).toBe(false);
    // The skip link's target is the page itself, focused so that Tab goes on inside it: no ring on purpose.
    if (!now.what.startsWith('main#main')) expect(now.ringed, `${now.what} has the focus but shows no focus ring`).toBe(true);
  }
}

/** Answers the question in `scope` rightly, by keys alone: the focus is brought to its first control with Tab. */
async function answerByKeys(scope: string, right: boolean): Promise<void> {
  const shown = page.locator(scope);
  const itemId = (await shown.getAttribute('data-item'))!;
  const seed = (await shown.getAttribute('data-seed')) || null;
  const item = itemOf(itemId);
  const parts = answerParts(item, seed === null ? null : Number(seed), right);
  switch (item.kind) {
    case 'generated':
      await tabTo(`${scope} input[autocomplete=off]`);
      await page.keyboard.type(parts[0]!);
      return;
    case 'cloze':
      // The review's blanks are #blank-i, the quiz's [data-testid=blank-i]; each is one Tab after the last.
      for (const [i, text] of parts.entries()) {
        await tabTo(`${scope} :is(#blank-${i}, [data-testid="blank-${i}"])`);
        await page.keyboard.type(text);
      }
      return;
    case 'choice': {
      const options = await shown.locator('fieldset input[type=radio], fieldset input[type=checkbox]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
      const multiple = (await shown.locator('fieldset input[type=checkbox]').count()) > 0;
      await tabTo(`${scope} fieldset input[value="${options[0]}"]`);
      if (!multiple) {
        // A radio group: arrows move and choose; Space chooses the first.
        const at = options.indexOf(parts[0]!);
        if (at === 0) await page.keyboard.press('Space');
        for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
      } else {
        for (const [i, key] of options.entries()) {
          if (parts.includes(key)) await page.keyboard.press('Space');
          if (i < options.length - 1) await page.keyboard.press('Tab');
        }
      }
      return;
    }
    case 'basic':
      await tabTo(`${scope} .answer-form button[type=button]`); // "Show answer"
      await page.keyboard.press('Enter');
      await expectFocusKept('Show answer', /^button.* "I knew it"/);
      // The two answers replace the button; the focus is on the first, "I knew it".
      if (!right) await page.keyboard.press('Tab');
      return;
  }
}

/** The review card on screen: its item and its client review id (new for every card shown). */
async function shownCard() {
  const card = page.locator('article.card');
  await card.waitFor();
  return { itemId: (await card.getAttribute('data-item'))!, reviewId: (await card.getAttribute('data-review-id'))!, kind: (await card.getAttribute('data-kind'))! };
}

test('log in, answer review cards, change ratings with 1–4, Space to the next card, u to undo: by keyboard alone', async () => {
  await page.goto(`${server.url}/login`);
  await waitForHydration(page);
  // First Tab: the skip link, past the header's links.
  await page.keyboard.press('Tab');
  expect((await focused()).what).toMatch(/^a\.skip-link "Skip to content"/);
  expect((await focused()).ringed).toBe(true);
  await page.keyboard.press('Enter');
  await tabTo('#field-email', { max: 3 });
  await page.keyboard.type(EMAIL);
  await tabTo('#field-password', { max: 1 });
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.url}/`);
  await page.locator('#dashboard-title').waitFor();
  // The form is gone with its page: the dashboard's heading has the focus.
  await expectFocusKept('logging in', /^h1#dashboard-title/);

  await tabTo('a.button[href="/review"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.url}/review`);

  let reviewed = 0;
  let last = { itemId: '', reviewId: '', kind: '' };
  const kinds = new Set<string>();
  // Six cards at least, and on until a generated one (a typed answer) has come: the day's new cards mix facts, options, blanks and generated items.
  for (let i = 0; i < 6 || !kinds.has('generated'); i++) {
    expect(i, 'no generated card among the day’s 20 new cards').toBeLessThan(20);
    const card = await shownCard();
    expect(card.reviewId).not.toBe(last.reviewId);
    kinds.add(card.kind);
    // A new card has the focus on its first control (or the keeper on the page's heading): never on <body>.
    await expectFocusKept(i === 0 ? 'opening the review' : 'Space (next card)', 'article.card .answer-form :is(input, button)');
    step = `answering card ${i} (${card.kind})`;
    await answerByKeys('article.card', i !== 2);
    // Enter in a text box sends the form; options are sent by their Check button; a fact's two answers are buttons.
    if (card.kind === 'choice') await tabTo('article.card .answer-form button[type=submit]');
    await page.keyboard.press('Enter');
    await page.getByTestId('result').waitFor();
    reviewed++;
    await expect.poll(reviewCount).toBe(reviewed);
    expect(await page.getByTestId('result').getAttribute('data-correct')).toBe(String(i !== 2));
    await expectFocusKept('answering', /^button\.next/);

    if (i === 1) {
      // Keys pressed faster than the server answers: each waits for the one before (no request aborted,
      // no AbortError), and the last one pressed is the rating stored.
      step = `pressing 1, 4, 3 at once on card ${i}`;
      for (const key of [1, 4, 3] as const) await page.keyboard.press(String(key));
      await expect.poll(lastRating, { timeout: 20_000 }).toBe(3);
      await expect.poll(() => page.locator('[aria-keyshortcuts="3"][aria-pressed="true"]').count()).toBe(1);
      await page.waitForLoadState('networkidle');
      expect(lastRating()).toBe(3);
      await expectFocusKept('pressing 1, 4, 3', /^button\.next/);
    }
    if (i === 0) {
      // 1–4 change the stored rating; the focus stays on "Next card".
      for (const key of [1, 4, 3] as const) {
        step = `pressing ${key} on card ${i}`;
        // One key per round trip: the stored rating is checked after each.
        const revalidated = page.waitForResponse((r) => new URL(r.url()).pathname === '/review.data' && r.request().method() === 'GET');
        await page.keyboard.press(String(key));
        await revalidated;
        await expect.poll(lastRating).toBe(key);
        await expect.poll(() => page.locator(`[aria-keyshortcuts="${key}"][aria-pressed="true"]`).count()).toBe(1);
        await expectFocusKept(`pressing ${key}`, /^button\.next/);
      }
    }
    last = card;
    step = `Space after card ${i}`;
    await page.keyboard.press('Space');
    await expect.poll(async () => ((await page.locator('article.card').count()) ? await page.locator('article.card').getAttribute('data-review-id') : 'none')).not.toBe(card.reviewId);
  }

  // u undoes the last review: leave the answer box first (in it, u is a letter), to the Undo button.
  await shownCard();
  await tabTo('button[aria-keyshortcuts="u"]', { back: true });
  step = 'u';
  await page.keyboard.press('u');
  await expect.poll(reviewCount).toBe(reviewed - 1);
  await expect.poll(() => page.locator('article.card').getAttribute('data-item')).toBe(last.itemId);
  // On Undo still, or on the first control of the card it brought back (which takes the focus, as every new card does).
  await expectFocusKept('u (undo)', 'button[aria-keyshortcuts="u"], article.card .answer-form :is(input, button)');
  expect([...kinds].sort()).toEqual(['basic', 'choice', 'cloze', 'generated']);
  expect(pageErrors.splice(0).join('\n')).toBe('');
}, 300_000);

test('build a practice quiz, answer, check, submit: by keyboard alone', async () => {
  await page.goto(`${server.url}/quiz`);
  await waitForHydration(page);
  await tabTo('#quiz-count', { max: 120 }); // past every bank, topic and architecture box
  await page.keyboard.press('Control+A');
  await page.keyboard.type('3');
  // The mode's radio group: Tab reaches the chosen one (exam), the arrow moves to practice.
  await tabTo('input[name=mode][value=exam]');
  await page.keyboard.press('ArrowDown');
  expect(await page.locator('input[name=mode][value=practice]').isChecked()).toBe(true);
  await tabTo('[data-testid=start-quiz]');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/quiz\/\d+$/);
  await page.getByTestId('question').waitFor();
  await expectFocusKept('starting the quiz', /^h1#quiz-title/);

  await answerByKeys('[data-testid=question]', true);
  await tabTo('[data-testid=check]');
  await page.keyboard.press('Enter');
  await page.getByTestId('result').waitFor();
  expect(await page.getByTestId('result').getAttribute('data-correct')).toBe('true');
  // "Check" is gone (the question is locked): its result has the focus, and says it.
  await expectFocusKept('Check', /^div\.result\.right/);

  // On to the last question with "Next →", which keeps the focus there (it is aria-disabled, not disabled, at the end).
  await tabTo('[data-testid=next]', { back: true });
  for (const position of ['1', '2', '2']) {
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('question').getAttribute('data-position')).toBe(position);
    await expectFocusKept('Next →', /^button.* "Next →"/);
  }
  expect(await page.getByTestId('next').getAttribute('aria-disabled')).toBe('true');
  await tabTo('[data-testid=submit]');
  await page.keyboard.press('Enter');
  await page.locator('#confirm-text').waitFor();
  // The question replaces the button: its safe answer, "Keep working", has the focus.
  await expectFocusKept('Submit (asking to confirm)', /^button.* "Keep working"/);
  await tabTo('[data-testid=confirm-submit]', { back: true, max: 1 });
  await page.keyboard.press('Enter');
  await page.locator('#results-title').waitFor();
  expect(await page.getByTestId('score').textContent()).toBe('1 / 3');
  await expectFocusKept('submitting', /^h1#results-title/);
  expect(pageErrors.splice(0).join('\n')).toBe('');
}, 300_000);
