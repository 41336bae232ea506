/**
 * The statistics page on the built server, in Chromium, for a student whose history is written
 * into the server's database here (200 days of reviews through the app's own submitReview, in
 * two banks, one of them titled with markup). The page's today counts, card counts and true
 * retention rows are checked against the database read here by plain SQL and loops (never
 * app/stats), for all banks and for one, and the period selector against the reviews it covers.
 * Also: every section present, the empty states of a student with no reviews, axe, no console
 * error, no sideways scrolling at phone width, the first-load JavaScript budget, and the class
 * page's statistics as its instructor sees them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Database as StrideDatabase } from '../../db/client';
import { cards as cardsTable, users } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { loadContentBank } from '../../app/models/bank.server';
import { createClass, joinClass, publishBankToClass } from '../../app/models/class.server';
import { submitReview } from '../../app/models/review.server';
import { addAccount, logIn } from '../support/accounts';
import { serveAppInBrowser } from '../support/app';
import { expectAccessible } from '../support/axe';
import { EXPECTED_CONSOLE_NOISE, waitForHydration } from '../support/browser';
import { repoRoot } from '../support/server';

const app = serveAppInBrowser();
let stride: StrideDatabase;
const pageErrors: string[] = [];

/** The extra bank's title: markup that must come out as text everywhere the page writes it. */
const HOSTILE_TITLE = '<script>window.__bankTitleRan=1</script><img src=x onerror="window.__bankTitleRan=2"> Extra';
const EXTRA = 'z-extra';
const DAY = 86_400_000;
const ROLLOVER_MS = 4 * 3_600_000;
/** First-load JavaScript allowed on /stats, gzip (the budget). */
const FIRST_LOAD_BUDGET = 120 * 1024;

/** The study day of an instant for a UTC student with the default rollover (4:00). */
const dayOf = (t: number) => new Date(t - ROLLOVER_MS).toISOString().slice(0, 10);
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY;

/** A small seeded generator (mulberry32), so the history is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let student = { email: 'stats-student@example.test', password: '', id: 0, cookie: '' };
let instructorCookie = '';
let classId = 0;

/**
 * Reviews `itemIds` from `start` to now as a student would: each card again when it falls due
 * (a learning step a few minutes on), rated Good mostly, Again about one time in eight.
 */
async function seedHistory(userId: number, items: readonly { id: string; family: string | null }[], start: number, now: number, random: () => number): Promise<number> {
  let n = 0;
  for (const [i, { id: itemId, family }] of items.entries()) {
    const generated = family !== null;
    let t = start + i * 3 * 3_600_000 + Math.floor(random() * DAY * 20);
    while (t < now - 3_600_000) {
      const r = random();
      const rating = r < 0.12 ? 1 : r < 0.18 ? 2 : r < 0.95 ? 3 : 4;
      const { card } = await submitReview({
        db: stride.db,
        userId,
        itemId,
        clientReviewId: `seed-${userId}-${++n}`,
        seed: generated ? n : null,
        rawAnswer: 'seeded',
        readAs: null,
        correct: rating > 1,
        misconception: rating === 1 && generated ? 'no-padding' : null,
        rating,
        suggestedRating: rating,
        durationMs: 2000 + Math.floor(random() * 8000),
        hinted: false,
        now: new Date(t),
      });
      t = Math.max(card.due, t + 60_000);
    }
  }
  return n;
}

beforeAll(async () => {
  stride = await openDatabase(app.server.databaseTarget);
  const now = Date.now();
  // A second content bank whose title is markup.
  await loadContentBank({
    db: stride.db,
    bank: { id: EXTRA, title: HOSTILE_TITLE, items: Array.from({ length: 8 }, (_, i) => ({ id: `x${i}`, kind: 'basic' as const, topic: 'vgg', tags: [], front: `Extra ${i}?`, back: `${i}` })) },
    now: new Date(now - 300 * DAY),
  });
  const account = await addAccount(app.server, { email: student.email, role: 'student' });
  const [row] = await stride.db.select({ id: users.id }).from(users).where(eq(users.email, student.email));
  student = { ...student, password: account.password, id: row!.id, cookie: await logIn(app.server, account) };

  const items = app.db.prepare("select id, family from items where bank_id = 'cs231n' and retired_at is null order by position").all() as { id: string; family: string | null }[];
  const generated = items.filter((i) => i.family !== null).slice(0, 8);
  const facts = items.filter((i) => i.family === null).slice(0, 24);
  const extra = Array.from({ length: 6 }, (_, i) => ({ id: `${EXTRA}/x${i}`, family: null }));
  const random = rng(15);
  await seedHistory(student.id, [...facts, ...generated], now - 200 * DAY, now, random);
  await seedHistory(student.id, extra, now - 120 * DAY, now, random);
  // Today: two new cards and one more of the extra bank, seconds ago.
  const fresh = items.filter((i) => i.family === null).slice(24, 26).map((i) => i.id);
  let k = 0;
  for (const itemId of [...fresh, `${EXTRA}/x6`]) {
    await submitReview({ db: stride.db, userId: student.id, itemId, clientReviewId: `today-${++k}`, seed: null, rawAnswer: 'x', readAs: null, correct: k !== 2, misconception: null, rating: k === 2 ? 1 : 3, suggestedRating: 3, durationMs: 4000, hinted: false, now: new Date(now - 5000 + k * 1000) });
  }
  // And a generated question seconds ago: this month's families table has a row whatever the
  // clock (the seeded history's last generated reviews can fall just outside the 30 study days).
  await submitReview({ db: stride.db, userId: student.id, itemId: generated[0]!.id, clientReviewId: 'today-generated', seed: 4242, rawAnswer: '55', readAs: null, correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 6000, hinted: false, now: new Date(now - 1000) });
  // One card suspended, one buried until tomorrow: both counted apart from their state.
  const [a, b] = app.db.prepare("select id from cards where user_id = ? and state = 2 order by id limit 2").all(student.id) as { id: number }[];
  await stride.db.update(cardsTable).set({ suspended: true }).where(eq(cardsTable.id, a!.id));
  await stride.db.update(cardsTable).set({ buriedUntil: new Date(now + DAY) }).where(eq(cardsTable.id, b!.id));

  // A class: its instructor, the student as a member, the built-in bank published to it.
  const teacher = await addAccount(app.server, { email: 'stats-teacher@example.test', role: 'instructor' });
  const [t] = await stride.db.select({ id: users.id }).from(users).where(eq(users.email, teacher.email));
  const created = await createClass({ db: stride.db, userId: t!.id, name: 'Stats class', now: new Date(now) });
  classId = created.id;
  await joinClass({ db: stride.db, userId: student.id, joinCode: created.joinCode, now: new Date(now) });
  await publishBankToClass({ db: stride.db, userId: t!.id, classId, bankId: 'cs231n', now: new Date(now) });
  instructorCookie = await logIn(app.server, teacher);
}, 120_000);

afterAll(async () => {
  await stride?.close();
});

// ——— the independent computation, over the stored rows ———

interface StoredReview {
  cardId: number;
  bankId: string;
  at: number;
  rating: number;
  correct: boolean;
  state: number;
  scheduledDays: number;
}

function storedReviews(bank: string | null): StoredReview[] {
  const rows = app.db
    .prepare('select r.card_id as cardId, i.bank_id as bankId, r.reviewed_at as at, r.rating, r.correct, r.state_before as before from reviews r join items i on i.id = r.item_id where r.user_id = ? order by r.reviewed_at, r.id')
    .all(student.id) as { cardId: number; bankId: string; at: number; rating: number; correct: number; before: string }[];
  return rows
    .filter((r) => bank === null || r.bankId === bank)
    .map((r) => {
      const before = JSON.parse(r.before) as { state: number; scheduledDays: number };
      return { cardId: r.cardId, bankId: r.bankId, at: r.at, rating: r.rating, correct: r.correct === 1, state: before.state, scheduledDays: before.scheduledDays };
    });
}

function kindOf(r: { state: number; scheduledDays: number }): string {
  return ['New', 'Learning', r.scheduledDays < 21 ? 'Young' : 'Mature', 'Relearning'][r.state]!;
}

function expectedToday(bank: string | null, today: string): Record<string, string> {
  const todays = storedReviews(bank).filter((r) => dayOf(r.at) === today);
  const by = (k: string) => String(todays.filter((r) => kindOf(r) === k).length);
  return { New: by('New'), Learning: by('Learning'), Relearning: by('Relearning'), Young: by('Young'), Mature: by('Mature'), All: String(todays.length) };
}

function expectedCardCounts(bank: string | null, now: number): Record<string, string> {
  const banks = bank === null ? ['cs231n', EXTRA] : [bank];
  const marks = banks.map(() => '?').join(',');
  const live = (app.db.prepare(`select count(*) as n from items where retired_at is null and bank_id in (${marks})`).get(...banks) as { n: number }).n;
  const rows = app.db
    .prepare(`select c.state, c.scheduled_days as scheduledDays, c.suspended, c.buried_until as buriedUntil from cards c join items i on i.id = c.item_id where c.user_id = ? and i.retired_at is null and i.bank_id in (${marks})`)
    .all(student.id, ...banks) as { state: number; scheduledDays: number; suspended: number; buriedUntil: number | null }[];
  const counts: Record<string, number> = { New: live - rows.length, Learning: 0, Relearning: 0, Young: 0, Mature: 0, Suspended: 0, Buried: 0 };
  for (const c of rows) {
    if (c.suspended) counts.Suspended!++;
    else if (c.buriedUntil !== null && c.buriedUntil > now) counts.Buried!++;
    else counts[kindOf(c)]!++;
  }
  return Object.fromEntries([...Object.entries(counts).map(([k, v]) => [k, String(v)]), ['Total', String(live)]]);
}

const SPANS: [string, number, number][] = [
  ['today', 0, 0],
  ['yesterday', 1, 1],
  ['week', 0, 6],
  ['month', 0, 29],
  ['year', 0, 364],
  ['all', 0, Infinity],
];

/** Anki's true retention: the first review of each card on each study day, of cards in review; pass = not Again. */
function expectedRetention(bank: string | null, today: string): Record<string, string[]> {
  const seen = new Set<string>();
  const firsts = storedReviews(bank).filter((r) => {
    const key = `${r.cardId} ${dayOf(r.at)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return r.state === 2;
  });
  const pct = (p: number, f: number) => (p + f === 0 ? '—' : `${(Math.round((p / (p + f)) * 1000) / 10).toFixed(1)}%`);
  return Object.fromEntries(
    SPANS.map(([span, from, to]) => {
      const inSpan = firsts.filter((r) => {
        const back = dayNumber(today) - dayNumber(dayOf(r.at));
        return back >= from && back <= to;
      });
      const cells = (list: StoredReview[]) => {
        const p = list.filter((r) => r.rating > 1).length;
        const f = list.length - p;
        return [String(p), String(f), pct(p, f)];
      };
      const young = inSpan.filter((r) => r.scheduledDays < 21);
      const mature = inSpan.filter((r) => r.scheduledDays >= 21);
      return [span, [...cells(young), ...cells(mature), ...cells(inSpan)]];
    }),
  );
}

// ——— the page ———

/** A page as the holder of `cookie` (the seeded student's by default), whose console errors, page errors and dialogs fail the test. */
async function studentPage(width = 1200, cookie = student.cookie): Promise<Page> {
  await app.browser.context.clearCookies();
  const [name, ...value] = cookie.split('=');
  await app.browser.context.addCookies([{ name: name!, value: value.join('='), url: app.server.url }]);
  const page = await app.browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_CONSOLE_NOISE.test(m.text())) pageErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => {
    pageErrors.push(`a dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  return page;
}

/** A table's body rows as [row header, cells…]. */
async function tableRows(page: Page, testId: string): Promise<string[][]> {
  return page.getByTestId(testId).locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').trim())));
}

async function todayOnPage(page: Page): Promise<Record<string, string>> {
  return Object.fromEntries((await tableRows(page, 'today-counts')).map(([k, v]) => [k!, v!.replace(/,/g, '')]));
}

async function cardCountsOnPage(page: Page): Promise<Record<string, string>> {
  return Object.fromEntries((await tableRows(page, 'card-counts')).map(([k, v]) => [k!, v!.replace(/,/g, '')]));
}

async function retentionOnPage(page: Page): Promise<Record<string, string[]>> {
  const rows = await page.getByTestId('true-retention').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-span')!, ...Array.from(tr.querySelectorAll('td')).map((c) => (c.textContent ?? '').trim().replace(/,/g, ''))]));
  return Object.fromEntries(rows.map(([span, ...cells]) => [span!, cells]));
}

const SECTIONS = ['today', 'forecast', 'calendar', 'reviews', 'card-counts', 'intervals', 'memory', 'knowledge', 'true-retention', 'calibration', 'families'];
const CHARTS = ['forecast-chart', 'heatmap-chart', 'heatmap-legend', 'per-day-chart', 'time-chart', 'card-counts-chart', 'intervals-chart', 'stability-chart', 'difficulty-chart', 'retrievability-chart', 'knowledge-chart', 'calibration-chart'];

describe('/stats for a student with 200 days of reviews', () => {
  test('first-load JavaScript of the built page is within 120 KB gzip', async () => {
    const html = await (await fetch(`${app.server.url}/stats`, { headers: { Cookie: student.cookie } })).text();
    // The charts need no inline style: Plot's <style> is gone and no style attribute is written (the CSP need not allow them).
    expect(html).toContain('class="plot-chart"');
    expect(html).not.toMatch(/<style|\sstyle="/);
    // The scripts the page loads before it runs: modulepreload links and the module script's imports.
    const preloads = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]!);
    const imports = [...html.matchAll(/import(?:[^"']*?from)?\s*["'](\/build\/[^"']+\.js)["']/g)].map((m) => m[1]!);
    const scripts = [...new Set([...preloads, ...imports])];
    expect(scripts.some((s) => /\/routes\/stats-/.test(s))).toBe(true);
    expect(scripts.some((s) => /\/entry\.client-/.test(s))).toBe(true);
    const sizes = scripts.map((s) => {
      const body = readFileSync(path.join(repoRoot, 'public', s));
      return { script: s, bytes: body.length, gzip: gzipSync(body).length };
    });
    const total = sizes.reduce((a, s) => a + s.gzip, 0);
    console.log(`/stats first-load JS: ${(total / 1024).toFixed(1)} KB gzip (${(sizes.reduce((a, s) => a + s.bytes, 0) / 1024).toFixed(1)} KB raw) in ${sizes.length} scripts; budget ${FIRST_LOAD_BUDGET / 1024} KB`);
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
    // No chart code reached the browser: Plot and linkedom stay on the server.
    for (const s of sizes) expect(readFileSync(path.join(repoRoot, 'public', s.script), 'utf8')).not.toMatch(/observablehq|linkedom|d3-scale|scaleLinear/);
  });

  test('every section is there with its chart; today counts, card counts and true retention match the database', async () => {
    const page = await studentPage();
    await page.goto(`${app.server.url}/stats`);
    await waitForHydration(page, 'main form');
    const now = Date.now();
    const today = dayOf(now);
    for (const s of SECTIONS) await expect(page.getByTestId(`section-${s}`).count(), s).resolves.toBe(1);
    for (const c of CHARTS) {
      const chart = page.getByTestId(c);
      await expect(chart.count(), c).resolves.toBe(1);
      await expect(chart.locator('svg.plot-chart').count(), `${c} svg`).resolves.toBe(1);
      expect((await chart.locator('[role=img]').getAttribute('aria-label'))?.length, `${c} label`).toBeGreaterThan(20);
    }
    // Generated questions were answered: the families table has their rows.
    expect(await page.getByTestId('families').locator('tbody tr').count()).toBeGreaterThan(0);

    expect(await todayOnPage(page)).toEqual(expectedToday(null, today));
    expect(await cardCountsOnPage(page)).toEqual(expectedCardCounts(null, now));
    expect(await retentionOnPage(page)).toEqual(expectedRetention(null, today));
    // Mature reviews exist in the history, so the mature columns are not all empty.
    expect(Number((await retentionOnPage(page)).all![3])).toBeGreaterThan(0);

    // The bank's title is text wherever it is written; nothing it holds ran.
    await expect(page.locator('#stats-bank option', { hasText: 'Extra' }).textContent()).resolves.toBe(HOSTILE_TITLE);
    expect(await page.evaluate(() => (window as unknown as { __bankTitleRan?: number }).__bankTitleRan)).toBeUndefined();
    await expectAccessible(page, { name: 'stats, all banks' });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  test('the bank and period selectors change the figures (GET form: the URL carries them)', async () => {
    const page = await studentPage();
    await page.goto(`${app.server.url}/stats`);
    await waitForHydration(page, 'main form');
    const now = Date.now();
    const today = dayOf(now);
    const reviewsSince = (days: number | null, bank: string | null) => storedReviews(bank).filter((r) => days === null || dayNumber(today) - dayNumber(dayOf(r.at)) < days).length;
    await expect(page.getByTestId('period-reviews').textContent()).resolves.toBe(reviewsSince(30, null).toLocaleString('en-US'));

    await page.selectOption('#stats-period', 'year');
    await Promise.all([page.waitForURL(/period=year/), page.click('.stats-filter button[type=submit]')]);
    // A client navigation: the URL may change a moment before the new figures are drawn.
    await expect.poll(() => page.getByTestId('period-reviews').textContent()).toBe(reviewsSince(365, null).toLocaleString('en-US'));
    expect(reviewsSince(365, null)).toBeGreaterThan(reviewsSince(30, null));

    await page.selectOption('#stats-bank', EXTRA);
    await Promise.all([page.waitForURL(new RegExp(`bank=${EXTRA}`)), page.click('.stats-filter button[type=submit]')]);
    expect(new URL(page.url()).searchParams.get('period')).toBe('year');
    await expect.poll(() => page.getByTestId('period-reviews').textContent()).toBe(reviewsSince(365, EXTRA).toLocaleString('en-US'));
    expect(await todayOnPage(page)).toEqual(expectedToday(EXTRA, today));
    expect(await cardCountsOnPage(page)).toEqual(expectedCardCounts(EXTRA, now));
    expect(await retentionOnPage(page)).toEqual(expectedRetention(EXTRA, today));
    expect(expectedCardCounts(EXTRA, now).Total).toBe('8');
    await expect(page.getByTestId('stats-scope').textContent()).resolves.toContain(HOSTILE_TITLE);
    expect(await page.evaluate(() => (window as unknown as { __bankTitleRan?: number }).__bankTitleRan)).toBeUndefined();

    // The same view without JavaScript's help: a plain GET of the URL.
    const res = await fetch(`${app.server.url}/stats?period=all&bank=${EXTRA}`, { headers: { Cookie: student.cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('All time');
    // Bad input: an unknown period is refused at its field (the last 30 days shown); a bank not studied is a 404.
    await page.goto(`${app.server.url}/stats?period=decade`);
    await expect(page.locator('#stats-period-error').textContent()).resolves.toMatch(/Choose a period/);
    expect((await fetch(`${app.server.url}/stats?bank=someone-elses`, { headers: { Cookie: student.cookie } })).status).toBe(404);
    await expectAccessible(page, { name: 'stats, a refused period' });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  test('at phone width nothing makes the page scroll sideways', async () => {
    const page = await studentPage(360);
    await page.goto(`${app.server.url}/stats?period=all`);
    await waitForHydration(page, 'main form');
    // Open every text alternative too: their tables scroll in their own box.
    await page.locator('details.chart-table').evaluateAll((ds) => ds.forEach((d) => d.setAttribute('open', '')));
    const overflow = await page.evaluate(() => {
      const client = document.documentElement.clientWidth;
      // What sticks out, for the failure message: the outermost elements past the right edge.
      const out = Array.from(document.body.querySelectorAll('*')).filter((el) => !el.parentElement?.closest('.table-scroll') && el.getBoundingClientRect().right > client + 0.5);
      return { scroll: document.documentElement.scrollWidth, client, out: out.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`) };
    });
    expect(overflow.scroll, overflow.out.join('; ')).toBeLessThanOrEqual(overflow.client);
    // The charts scale down with their box.
    const widths = await page.locator('svg.plot-chart').evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().right));
    for (const right of widths) expect(right).toBeLessThanOrEqual(360);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

test('a student with no reviews: every section says so, no chart is drawn, the page is accessible', async () => {
  const account = await addAccount(app.server, { email: 'stats-new@example.test', role: 'student' });
  const page = await studentPage(1200, await logIn(app.server, account));
  await page.goto(`${app.server.url}/stats`);
  await waitForHydration(page, 'main form');
  for (const s of SECTIONS) await expect(page.getByTestId(`section-${s}`).count(), s).resolves.toBe(1);
  // Card counts: every item of the studied banks is new, so that chart alone is drawn.
  expect(await page.locator('svg.plot-chart').count()).toBe(1);
  await expect(page.getByTestId('card-counts-chart').count()).resolves.toBe(1);
  for (const empty of ['today-empty', 'forecast-chart-empty', 'heatmap-chart-empty', 'per-day-chart-empty', 'intervals-chart-empty', 'knowledge-chart-empty', 'calibration-chart-empty', 'families-empty'])
    await expect(page.getByTestId(empty).count(), empty).resolves.toBe(1);
  await expectAccessible(page, { name: 'stats, no reviews' });
  expect(pageErrors).toEqual([]);
  await page.close();
});

test('the class page shows its instructor the class’s statistics: forgetting, calibration, families and items', async () => {
  const page = await studentPage(1200, instructorCookie);
  await page.goto(`${app.server.url}/classes/${classId}`);
  const section = page.getByTestId('class-stats');
  await section.waitFor();
  // The member's reviews of the published bank (cs231n), counted here.
  const reviews = storedReviews('cs231n').length;
  await expect(page.getByTestId('class-stats-summary').textContent()).resolves.toContain(`${reviews.toLocaleString('en-US')} reviews by 1 student`);
  expect(await page.getByTestId('forgetting').count() + (await page.getByTestId('forgetting-none').count())).toBe(1);
  await expect(section.getByTestId('class-calibration-chart').locator('svg.plot-chart').count()).resolves.toBe(1);
  expect(await page.getByTestId('class-families').locator('tbody tr').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('family-calibration-chart').count()).toBe(await page.getByTestId('class-families').locator('tbody tr').count());
  // One row per item the member answered (of the published bank).
  const answered = new Set(storedReviews('cs231n').map((r) => r.cardId)).size;
  expect(await page.getByTestId('class-items').locator('tbody tr').count()).toBe(answered);
  await expectAccessible(page, { name: 'class page with statistics' });
  expect(pageErrors).toEqual([]);
  await page.close();
});
