/**
 * The student's statistics against a history written here: a student in Europe/London (rollover
 * 4:00) whose reviews cross the clock changes of 29 Mar and 25 Oct 2026, each with its study day
 * written by hand. Every figure is computed again below by plain loops over the stored rows (and
 * ts-fsrs for recall), never by app/stats.
 */
import { eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, test } from 'vitest';
import { default_w, fsrs, type Card } from 'ts-fsrs';
import { submitReview } from '../../app/models/review.server';
import { StatsNotFound, studentStats } from '../../app/models/stats.server';
import { studyDay } from '../../app/scheduling/study-day';
import type { StudentStats } from '../../app/stats/types';
import { banks, cards, classBanks, classes, items, reviews, users } from '../../db/schema';
import { addContentBank, addUser, eachTestDb, factItem, generatedItem } from './fixture';

const each = eachTestDb();
const TZ = 'Europe/London';
const NOW = new Date('2026-10-27T12:00:00Z');
const TODAY = '2026-10-27';
/** The user's own parameter set: a slower decay than the defaults, so their predictions differ from the defaults'. */
const PARAMS = [...default_w.slice(0, 20), 0.3];

type Fixture = { item: string; at: string; rating: 1 | 2 | 3 | 4; day: string; misconception?: string };
// In time order; `day` by hand: BST is UTC+1 until 25 Oct 01:00Z (and from 29 Mar 01:00Z), GMT after; a study day starts at 04:00 local.
const HISTORY: Fixture[] = [
  { item: 'alpha/a1', at: '2025-09-01T12:00:00Z', rating: 4, day: '2025-09-01' },
  { item: 'alpha/a1', at: '2025-09-12T12:00:00Z', rating: 3, day: '2025-09-12' },
  { item: 'alpha/a1', at: '2025-11-20T12:00:00Z', rating: 3, day: '2025-11-20' },
  { item: 'beta/b1', at: '2026-03-29T00:30:00Z', rating: 4, day: '2026-03-28' }, // 00:30 GMT: the day before
  { item: 'beta/b1', at: '2026-03-29T03:30:00Z', rating: 3, day: '2026-03-29' }, // 04:30 BST: the new day
  { item: 'alpha/a1', at: '2026-08-15T12:00:00Z', rating: 1, day: '2026-08-15' },
  { item: 'alpha/a1', at: '2026-08-15T12:20:00Z', rating: 3, day: '2026-08-15' },
  { item: 'alpha/a1', at: '2026-09-27T12:00:00Z', rating: 3, day: '2026-09-27' }, // the day before the month
  { item: 'alpha/a1', at: '2026-09-28T12:00:00Z', rating: 3, day: '2026-09-28' }, // the month's first day
  { item: 'alpha/g1', at: '2026-10-01T12:00:00Z', rating: 1, day: '2026-10-01', misconception: 'no-padding' },
  { item: 'alpha/g1', at: '2026-10-01T12:02:00Z', rating: 3, day: '2026-10-01' },
  { item: 'alpha/g1', at: '2026-10-01T12:12:00Z', rating: 3, day: '2026-10-01' },
  { item: 'alpha/g2', at: '2026-10-05T12:00:00Z', rating: 4, day: '2026-10-05' },
  { item: 'alpha/g1', at: '2026-10-10T12:00:00Z', rating: 1, day: '2026-10-10', misconception: 'stride-ignored' },
  { item: 'alpha/g2', at: '2026-10-15T12:00:00Z', rating: 3, day: '2026-10-15' },
  { item: 'alpha/a2', at: '2026-10-20T12:00:00Z', rating: 4, day: '2026-10-20' },
  { item: 'alpha/a1', at: '2026-10-24T02:30:00Z', rating: 2, day: '2026-10-23' }, // 03:30 BST
  { item: 'alpha/a2', at: '2026-10-24T03:30:00Z', rating: 3, day: '2026-10-24' }, // 04:30 BST
  { item: 'alpha/a2', at: '2026-10-25T03:30:00Z', rating: 1, day: '2026-10-24' }, // 03:30 GMT, after the change: still the 24th (a 25-hour day)
  { item: 'alpha/a2', at: '2026-10-25T03:45:00Z', rating: 3, day: '2026-10-24' },
  { item: 'beta/b1', at: '2026-10-25T03:50:00Z', rating: 3, day: '2026-10-24' },
  { item: 'beta/b2', at: '2026-10-25T04:30:00Z', rating: 4, day: '2026-10-25' },
  { item: 'alpha/g3', at: '2026-10-25T12:00:00Z', rating: 4, day: '2026-10-25' },
  { item: 'alpha/a2', at: '2026-10-26T03:59:00Z', rating: 3, day: '2026-10-25' },
  { item: 'alpha/g3', at: '2026-10-26T04:00:00Z', rating: 3, day: '2026-10-26' },
  { item: 'alpha/g1', at: '2026-10-26T12:00:00Z', rating: 1, day: '2026-10-26', misconception: 'stride-ignored' },
  { item: 'alpha/a2', at: '2026-10-27T08:00:00Z', rating: 1, day: TODAY },
  { item: 'alpha/a2', at: '2026-10-27T08:10:00Z', rating: 3, day: TODAY },
  { item: 'alpha/a1', at: '2026-10-27T09:00:00Z', rating: 3, day: TODAY },
  { item: 'alpha/a3', at: '2026-10-27T10:00:00Z', rating: 3, day: TODAY },
  { item: 'alpha/a3', at: '2026-10-27T10:01:00Z', rating: 3, day: TODAY },
];

let userId = 0;

beforeEach(async () => {
  const { db } = each.t;
  userId = await addUser(db, { timeZone: TZ, rolloverHour: 4, fsrsParameters: JSON.stringify(PARAMS) });
  await addContentBank(db, 'alpha', [factItem('a1', 'vgg'), factItem('a2', 'vgg'), factItem('a3', 'vgg'), generatedItem('g1', 'conv', 'conv-output'), generatedItem('g2', 'conv', 'conv-output'), generatedItem('g3', 'params', 'params')]);
  await addContentBank(db, 'beta', [factItem('b1', 'resnet'), factItem('b2', 'resnet'), factItem('b3', 'resnet')]);
  let n = 0;
  for (const f of HISTORY) {
    n++;
    await submitReview({
      db, userId, itemId: f.item, clientReviewId: `r${n}`, seed: f.item.includes('/g') ? n : null, rawAnswer: 'x', readAs: null,
      correct: f.rating > 1, misconception: f.misconception ?? null, rating: f.rating, suggestedRating: f.rating, durationMs: 1000 * n, hinted: false, now: new Date(f.at),
    });
  }
  // Older reviews carry no prediction: the statistics compute it under the defaults.
  const old = (await db.select({ id: reviews.id, at: reviews.reviewedAt }).from(reviews)).filter((r) => r.at < new Date('2026-10-10T00:00:00Z')).map((r) => r.id);
  await db.update(reviews).set({ predictedRecall: null }).where(inArray(reviews.id, old));
  // b2 suspended; g1 (relearning, overdue since the 26th) buried until tomorrow's start: out of the backlog, due tomorrow.
  await db.update(cards).set({ suspended: true }).where(eq(cards.itemId, 'beta/b2'));
  await db.update(cards).set({ buriedUntil: new Date('2026-10-28T04:00:00Z') }).where(eq(cards.itemId, 'alpha/g1'));
});

// ——— the independent computation ———

interface Stored {
  cardId: number;
  itemId: string;
  bankId: string;
  family: string | null;
  at: number;
  day: string;
  rating: number;
  correct: boolean;
  durationMs: number;
  misconception: string | null;
  predictedRecall: number | null;
  before: Record<string, number | null>;
  after: Record<string, number | null>;
}

async function storedHistory(): Promise<Stored[]> {
  const rows = await each.t.db.select({ r: reviews, family: items.family, bankId: items.bankId }).from(reviews).innerJoin(items, eq(items.id, reviews.itemId)).orderBy(reviews.reviewedAt);
  expect(rows).toHaveLength(HISTORY.length);
  return rows.map(({ r, family, bankId }, i) => {
    expect(r.reviewedAt.toISOString()).toBe(new Date(HISTORY[i]!.at).toISOString());
    return {
      cardId: r.cardId, itemId: r.itemId, bankId, family, at: r.reviewedAt.getTime(), day: HISTORY[i]!.day, rating: r.rating, correct: r.correct, durationMs: r.durationMs,
      misconception: r.misconception, predictedRecall: r.predictedRecall, before: JSON.parse(r.stateBefore), after: JSON.parse(r.stateAfter),
    };
  });
}

function kind(before: Record<string, number | null>): 'new' | 'learning' | 'young' | 'mature' | 'relearning' {
  if (before.state === 0) return 'new';
  if (before.state === 1) return 'learning';
  if (before.state === 3) return 'relearning';
  return before.scheduledDays! < 21 ? 'young' : 'mature';
}

const dayNo = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const ago = (day: string) => dayNo(TODAY) - dayNo(day);
const fsrsCard = (s: Record<string, number | null>): Card => ({
  due: new Date(s.due!), stability: s.stability!, difficulty: s.difficulty!, elapsed_days: s.elapsedDays!, scheduled_days: s.scheduledDays!,
  learning_steps: s.learningSteps!, reps: s.reps!, lapses: s.lapses!, state: s.state!, ...(s.lastReview === null ? {} : { last_review: new Date(s.lastReview!) }),
});
const userFsrs = fsrs({ w: PARAMS });
const defaultFsrs = fsrs();

async function stats(period: StudentStats['period'] = 'month', bankId: string | null = null) {
  return studentStats({ db: each.t.db, userId, now: NOW, period, bankId });
}

describe('student statistics', () => {
  test('the fixture covers every kind of review', async () => {
    const kinds = new Set((await storedHistory()).map((r) => kind(r.before)));
    expect([...kinds].sort()).toEqual(['learning', 'mature', 'new', 'relearning', 'young']);
  });

  test("today's counts and time, by the card's kind before each review", async () => {
    const h = await storedHistory();
    const todays = h.filter((r) => r.day === TODAY);
    const expected = { reviews: todays.length, correct: todays.filter((r) => r.correct).length, timeMs: todays.reduce((a, r) => a + r.durationMs, 0), learning: 0, relearning: 0, young: 0, mature: 0, new: 0 };
    for (const r of todays) expected[kind(r.before)]++;
    expect(expected.reviews).toBe(5);
    expect((await stats()).todayCounts).toEqual(expected);
  });

  test('the heatmap: reviews per study day in London across both clock changes, over the year to today', async () => {
    const s = await stats('month');
    expect(s.heatmap.from).toBe('2025-10-28');
    expect(s.heatmap.to).toBe(TODAY);
    expect(s.heatmap.days).toHaveLength(365);
    const expected = new Map<string, number>();
    for (const f of HISTORY) if (ago(f.day) < 365) expected.set(f.day, (expected.get(f.day) ?? 0) + 1);
    expect(Object.fromEntries(s.heatmap.days.filter((d) => d.reviews > 0).map((d) => [d.day, d.reviews]))).toEqual(Object.fromEntries(expected));
    expect(expected.get('2026-10-24')).toBe(4); // 03:30 BST … 03:50 GMT next morning: one 25-hour day
    expect(expected.get('2026-03-28')).toBe(1);
    expect(expected.get('2026-03-29')).toBe(1);
  });

  test('per day by kind and time, within the period’s bounds', async () => {
    const h = await storedHistory();
    for (const [period, days] of [['month', 30], ['year', 365]] as const) {
      const s = await stats(period);
      expect(s.periodStart).toBe(period === 'month' ? '2026-09-28' : '2025-10-28');
      expect(s.perDay).toHaveLength(days);
      expect(s.perDay[0]!.day).toBe(s.periodStart);
      expect(s.perDay.at(-1)!.day).toBe(TODAY);
      const expected = new Map<string, { learning: number; young: number; mature: number; relearning: number; new: number; timeMs: number }>();
      for (const r of h) {
        if (ago(r.day) >= days) continue;
        const e = expected.get(r.day) ?? { learning: 0, young: 0, mature: 0, relearning: 0, new: 0, timeMs: 0 };
        e[kind(r.before)]++;
        e.timeMs += r.durationMs;
        expected.set(r.day, e);
      }
      const got = Object.fromEntries(s.perDay.filter((d) => d.timeMs > 0).map(({ day, ...rest }) => [day, rest]));
      expect(got).toEqual(Object.fromEntries(expected));
    }
    expect((await stats('month')).perDay.some((d) => d.day === '2026-09-27')).toBe(false);
    const all = await stats('all');
    expect(all.periodStart).toBeNull();
    expect(all.perDay[0]!.day).toBe('2025-09-01');
    expect(all.perDay.reduce((a, d) => a + d.learning + d.young + d.mature + d.relearning + d.new, 0)).toBe(HISTORY.length);
  });

  test('true retention: the first review of each card per study day, cards in review before it', async () => {
    const h = await storedHistory();
    const spans = { today: [0, 0], yesterday: [1, 1], week: [0, 6], month: [0, 29], year: [0, 364], all: [0, Infinity] } as const;
    const expected = Object.fromEntries(Object.keys(spans).map((k) => [k, { yp: 0, yf: 0, mp: 0, mf: 0 }]));
    const seen = new Set<string>();
    let secondSameDay = 0;
    for (const r of h) {
      const key = `${r.cardId} ${r.day}`;
      if (seen.has(key)) {
        if (r.before.state === 2) secondSameDay++;
        continue;
      }
      seen.add(key);
      if (r.before.state !== 2) continue;
      for (const [span, [from, to]] of Object.entries(spans)) {
        if (ago(r.day) < from || ago(r.day) > to) continue;
        const e = expected[span]!;
        if (r.before.scheduledDays! < 21) r.rating > 1 ? e.yp++ : e.yf++;
        else r.rating > 1 ? e.mp++ : e.mf++;
      }
    }
    expect(secondSameDay).toBeGreaterThan(0); // the fixture has a card in review reviewed twice a day
    const pf = (p: number, f: number) => ({ passed: p, failed: f, rate: p + f === 0 ? null : p / (p + f) });
    const rows = (await stats()).trueRetention;
    expect(rows.map((r) => r.span)).toEqual(['today', 'yesterday', 'week', 'month', 'year', 'all']);
    for (const row of rows) {
      const e = expected[row.span]!;
      expect(row).toEqual({ span: row.span, young: pf(e.yp, e.yf), mature: pf(e.mp, e.mf), total: pf(e.yp + e.mp, e.yf + e.mf) });
    }
    expect(rows.find((r) => r.span === 'all')!.total.passed + rows.find((r) => r.span === 'all')!.total.failed).toBeGreaterThan(5);
  });

  test('the forecast counts each card once, on its due day; the backlog is what is overdue now', async () => {
    const rows = await each.t.db.select().from(cards).where(eq(cards.userId, userId));
    const due = new Map<string, number>();
    let backlog = 0;
    for (const c of rows) {
      if (c.suspended || c.state === 0) continue;
      let at = c.due.getTime();
      if (c.buriedUntil && c.buriedUntil > NOW) at = Math.max(at, c.buriedUntil.getTime());
      if (at <= NOW.getTime()) backlog++;
      else due.set(studyDay(new Date(at), TZ, 4), (due.get(studyDay(new Date(at), TZ, 4)) ?? 0) + 1);
    }
    const f = (await stats()).forecast;
    expect(f.backlog).toBe(backlog);
    expect(f.days).toHaveLength(30);
    expect(f.days[0]!.day).toBe(TODAY);
    expect(f.days[29]!.day).toBe('2026-11-25');
    const inWindow = [...due].filter(([day]) => day <= '2026-11-25');
    expect(Object.fromEntries(f.days.filter((d) => d.due > 0).map((d) => [d.day, d.due]))).toEqual(Object.fromEntries(inWindow));
    expect(f.backlog + f.days.reduce((a, d) => a + d.due, 0)).toBe(backlog + inWindow.reduce((a, [, n]) => a + n, 0));
    // The buried card was overdue: it comes tomorrow, not in the backlog.
    const g1 = rows.find((c) => c.itemId === 'alpha/g1')!;
    expect(g1.due < NOW).toBe(true);
    expect(f.days[1]).toEqual({ day: '2026-10-28', due: 2 });
  });

  test('card counts by state, suspended and buried apart; distributions of intervals, stability, difficulty and recall now', async () => {
    const rows = await each.t.db.select().from(cards).where(eq(cards.userId, userId));
    const itemCount = (await each.t.db.select().from(items)).length;
    const counts = { new: itemCount - rows.length, learning: 0, relearning: 0, young: 0, mature: 0, suspended: 0, buried: 0, total: itemCount };
    for (const c of rows) {
      if (c.suspended) counts.suspended++;
      else if (c.buriedUntil && c.buriedUntil > NOW) counts.buried++;
      else counts[c.state === 0 ? 'new' : c.state === 1 ? 'learning' : c.state === 3 ? 'relearning' : c.scheduledDays < 21 ? 'young' : 'mature']++;
    }
    const s = await stats();
    expect(s.cardCounts).toEqual(counts);
    expect(counts.suspended).toBe(1);
    expect(counts.buried).toBe(1);

    const seen = rows.filter((c) => c.state !== 0);
    const inBins = (bins: { from: number; to: number; count: number }[], values: number[]) =>
      bins.map((b, i) => values.filter((v) => v >= b.from && (i === bins.length - 1 ? v <= b.to : v < b.to)).length);
    const intervals = rows.filter((c) => c.state === 2).map((c) => c.scheduledDays);
    expect(s.intervals.total).toBe(intervals.length);
    expect(s.intervals.bins.map((b) => b.count)).toEqual(inBins(s.intervals.bins, intervals));
    expect(s.intervals.bins.at(-1)!.cumulativeShare).toBe(1);
    expect(s.intervals.bins.at(-1)!.to).toBe(Math.max(...intervals));
    const stabilities = seen.map((c) => c.stability);
    expect(s.stability.total).toBe(seen.length);
    expect(s.stability.bins.map((b) => b.count)).toEqual(inBins(s.stability.bins, stabilities));
    expect(s.stability.mean).toBeCloseTo(stabilities.reduce((a, b) => a + b, 0) / stabilities.length, 9);
    expect(s.difficulty.bins.map((b) => b.count)).toEqual(inBins(s.difficulty.bins, seen.map((c) => c.difficulty)));
    // Recall now, under the user's own parameters.
    const recalls = seen.map((c) => userFsrs.get_retrievability({ ...c, elapsed_days: c.elapsedDays, scheduled_days: c.scheduledDays, learning_steps: c.learningSteps, last_review: c.lastReview ?? undefined } as Card, NOW, false));
    expect(s.retrievability.bins.map((b) => b.count)).toEqual(inBins(s.retrievability.bins, recalls));
    expect(s.retrievability.mean).toBeCloseTo(recalls.reduce((a, b) => a + b, 0) / recalls.length, 9);
  });

  test('estimated knowledge: the sum of recall at each day end, replayed from each review’s after-state', async () => {
    const h = await storedHistory();
    const s = await stats('month');
    expect(s.knowledgeEvery).toBe(1);
    expect(s.knowledge).toHaveLength(30);
    expect(s.knowledge[0]!.day).toBe('2026-09-28');
    // Day ends by hand: the 24th ends at 04:00 GMT on the 25th (25 hours after it began), the 23rd at 04:00 BST on the 24th.
    const ends: Record<string, string> = { '2026-09-28': '2026-09-29T03:00:00Z', '2026-10-23': '2026-10-24T03:00:00Z', '2026-10-24': '2026-10-25T04:00:00Z', '2026-10-25': '2026-10-26T04:00:00Z', [TODAY]: '2026-10-28T04:00:00Z' };
    for (const [day, endIso] of Object.entries(ends)) {
      const end = Date.parse(endIso);
      const latest = new Map<number, Stored>();
      for (const r of h) if (r.at < end) latest.set(r.cardId, r);
      let total = 0;
      for (const r of latest.values()) if (r.after.state !== 0) total += userFsrs.get_retrievability(fsrsCard(r.after), new Date(end), false);
      expect(s.knowledge.find((k) => k.day === day)!.total).toBeCloseTo(total, 9);
    }
    // All time: 422 days from 1 Sep 2025, sampled every 2 days, today kept.
    const all = await stats('all');
    expect(all.knowledgeEvery).toBe(2);
    expect(all.knowledge.at(-1)!.day).toBe(TODAY);
    expect(all.knowledge.at(-2)!.day).toBe('2026-10-25');
    expect(all.knowledge.length).toBe(211);
  });

  test('calibration: the stored prediction, or the defaults’ from the before-state, in tenths', async () => {
    const h = await storedHistory();
    const predictions: { p: number; pass: boolean }[] = [];
    let recomputed = 0;
    for (const r of h) {
      if (ago(r.day) >= 30 || r.before.state === 0) continue;
      let p = r.predictedRecall;
      if (p === null) {
        recomputed++;
        p = defaultFsrs.get_retrievability(fsrsCard(r.before), new Date(r.at), false);
      }
      predictions.push({ p, pass: r.rating > 1 });
    }
    expect(recomputed).toBeGreaterThan(0);
    const bins: { from: number; to: number; predicted: number; actual: number; count: number }[] = [];
    for (let i = 0; i < 10; i++) {
      const inBin = predictions.filter((x) => (i === 9 ? x.p >= 0.9 : x.p >= i / 10 && x.p < (i + 1) / 10));
      if (inBin.length === 0) continue;
      bins.push({ from: i / 10, to: (i + 1) / 10, predicted: inBin.reduce((a, x) => a + x.p, 0) / inBin.length, actual: inBin.filter((x) => x.pass).length / inBin.length, count: inBin.length });
    }
    const c = (await stats('month')).calibration;
    expect(c.reviews).toBe(predictions.length);
    expect(c.bins.map((b) => ({ ...b, predicted: Number(b.predicted.toFixed(12)) }))).toEqual(bins.map((b) => ({ ...b, predicted: Number(b.predicted.toFixed(12)) })));
  });

  test('families: reviews, retention past learning, median time, commonest misconception, predicted against recalled', async () => {
    const h = (await storedHistory()).filter((r) => r.family !== null && ago(r.day) < 30);
    const s = await stats('month');
    const names = [...new Set(h.map((r) => r.family!))].sort();
    expect(s.families.map((f) => f.family)).toEqual(names);
    for (const name of names) {
      const list = h.filter((r) => r.family === name);
      const past = list.filter((r) => r.before.state === 2);
      const times = list.map((r) => r.durationMs).sort((a, b) => a - b);
      const mid = times.length >> 1;
      const counts = new Map<string, number>();
      for (const r of list) if (r.misconception) counts.set(r.misconception, (counts.get(r.misconception) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
      const predicted = list.filter((r) => r.before.state !== 0).map((r) => ({ p: r.predictedRecall ?? defaultFsrs.get_retrievability(fsrsCard(r.before), new Date(r.at), false), pass: r.rating > 1 }));
      const f = s.families.find((x) => x.family === name)!;
      expect(f.reviews).toBe(list.length);
      expect(f.retention.passed).toBe(past.filter((r) => r.rating > 1).length);
      expect(f.retention.failed).toBe(past.filter((r) => r.rating === 1).length);
      expect(f.medianMs).toBe(times.length % 2 ? times[mid] : (times[mid - 1]! + times[mid]!) / 2);
      expect(f.misconception).toEqual(top ? { id: top[0], count: top[1] } : null);
      expect(f.predicted).toBeCloseTo(predicted.reduce((a, x) => a + x.p, 0) / predicted.length, 12);
      expect(f.actual).toBe(predicted.filter((x) => x.pass).length / predicted.length);
    }
    expect(s.families.find((f) => f.family === 'conv-output')!.misconception).toEqual({ id: 'stride-ignored', count: 2 });
  });

  test('one bank filters every figure', async () => {
    const s = await stats('all', 'beta');
    expect(s.bankId).toBe('beta');
    const beta = HISTORY.filter((f) => f.item.startsWith('beta/'));
    expect(s.heatmap.days.reduce((a, d) => a + d.reviews, 0)).toBe(beta.filter((f) => ago(f.day) < 365).length);
    expect(s.perDay.reduce((a, d) => a + d.learning + d.young + d.mature + d.relearning + d.new, 0)).toBe(beta.length);
    expect(s.perDay[0]!.day).toBe('2026-03-28');
    expect(s.cardCounts.total).toBe(3);
    expect(s.cardCounts.suspended).toBe(1);
    expect(s.cardCounts.new).toBe(1);
    expect(s.families).toEqual([]);
    expect(s.todayCounts.reviews).toBe(0);
    const betaCards = (await each.t.db.select().from(cards).where(eq(cards.userId, userId))).filter((c) => c.itemId.startsWith('beta/') && !c.suspended && c.state !== 0);
    expect(s.forecast.backlog + s.forecast.days.reduce((a, d) => a + d.due, 0)).toBeLessThanOrEqual(betaCards.length);
    expect(s.stability.total).toBe(2);
    expect(s.banks.map((b) => b.id)).toEqual(['alpha', 'beta']);
  });

  test('a student with no history: every figure empty or zero, and JSON-safe', async () => {
    const fresh = await addUser(each.t.db, { timeZone: 'America/New_York' });
    for (const period of ['month', 'year', 'all'] as const) {
      const s = await studentStats({ db: each.t.db, userId: fresh, now: NOW, period, bankId: null });
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
      expect(s.todayCounts.reviews).toBe(0);
      expect(s.forecast.backlog).toBe(0);
      expect(s.cardCounts).toEqual({ new: 9, learning: 0, relearning: 0, young: 0, mature: 0, suspended: 0, buried: 0, total: 9 });
      expect(s.knowledge.every((k) => k.total === 0)).toBe(true);
      expect(s.calibration).toEqual({ bins: [], reviews: 0 });
      expect(s.trueRetention.every((r) => r.total.rate === null)).toBe(true);
      expect(s.perDay).toHaveLength(period === 'month' ? 30 : period === 'year' ? 365 : 1);
    }
  });

  test('a bank the student does not study is not found; nor is an unknown one', async () => {
    const { db } = each.t;
    const instructor = await addUser(db, { role: 'instructor' });
    await db.insert(banks).values({ id: 'private', title: 'private', ownerId: instructor, source: 'instructor', status: 'published', updatedAt: NOW });
    const [cls] = await db.insert(classes).values({ name: 'c', instructorId: instructor, joinCode: 'ABCDEF', createdAt: NOW }).returning();
    await db.insert(classBanks).values({ classId: cls!.id, bankId: 'private', publishedAt: NOW });
    await expect(stats('month', 'private')).rejects.toBeInstanceOf(StatsNotFound);
    await expect(stats('month', 'nope')).rejects.toBeInstanceOf(StatsNotFound);
    const [row] = await db.select({ tz: users.timeZone }).from(users).where(eq(users.id, userId));
    expect(row!.tz).toBe(TZ);
  });
});
