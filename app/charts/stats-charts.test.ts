/**
 * The charts drawn from hand-written figures: one bar per data point, the labels written, no
 * <style> left (the page's CSP and stylesheet own the styling), text from banks escaped, and
 * nothing drawn where there is nothing to draw.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, test } from 'vitest';
import type { ClassStats, StudentStats } from '~/stats/types';
import { calibrationChart, cardCountsChart, classCharts, forecastChart, heatCells, heatLegend, heatLegendChart, heatLevel, heatmapChart, histogramChart, intervalsChart, perDayChart, studentCharts } from './stats-charts.server';
import { CHART_CLASS, keptChart, Plot, renderChart } from './plot.server';
import { reviewBins, reviewBinUnit } from './review-bins';

const passFail = (passed: number, failed: number) => ({ passed, failed, rate: passed + failed ? passed / (passed + failed) : null });

/** A student's figures, written by hand: small enough to count every bar. */
export function fixtureStats(): StudentStats {
  return {
    period: 'month',
    bankId: null,
    banks: [{ id: 'cs231n', title: 'CS231n' }],
    timeZone: 'Europe/London',
    today: '2026-03-31',
    periodStart: '2026-03-02',
    todayCounts: { reviews: 12, correct: 10, timeMs: 240_000, learning: 2, relearning: 1, young: 5, mature: 3, new: 1 },
    forecast: { backlog: 4, days: Array.from({ length: 30 }, (_, i) => ({ day: `2026-${i < 1 ? '03' : '04'}-${String(i < 1 ? 31 : i).padStart(2, '0')}`, due: i % 5 })) },
    heatmap: {
      from: '2025-04-01',
      to: '2026-03-31',
      days: [
        { day: '2026-03-29', reviews: 8 },
        { day: '2026-03-30', reviews: 2 },
        { day: '2026-03-31', reviews: 12 },
        { day: '2025-10-26', reviews: 5 },
      ],
    },
    perDay: [
      { day: '2026-03-29', new: 2, learning: 1, young: 4, mature: 1, relearning: 0, timeMs: 160_000 },
      { day: '2026-03-30', new: 0, learning: 0, young: 1, mature: 1, relearning: 0, timeMs: 40_000 },
      { day: '2026-03-31', new: 1, learning: 1, young: 5, mature: 3, relearning: 1, timeMs: 240_000 },
    ],
    cardCounts: { new: 120, learning: 3, relearning: 4, young: 20, mature: 7, suspended: 1, buried: 2, total: 157 },
    intervals: {
      total: 27,
      bins: [
        { from: 0, to: 1, count: 5, cumulativeShare: 5 / 27 },
        { from: 1, to: 7, count: 12, cumulativeShare: 17 / 27 },
        { from: 7, to: 30, count: 8, cumulativeShare: 25 / 27 },
        { from: 30, to: 64, count: 2, cumulativeShare: 1 },
      ],
    },
    stability: { unit: 'days', bins: [{ from: 0, to: 1, count: 4 }, { from: 1, to: 10, count: 20 }, { from: 10, to: 80, count: 6 }], total: 30, mean: 9.5, median: 4 },
    difficulty: { unit: 'difficulty (1–10)', bins: Array.from({ length: 9 }, (_, i) => ({ from: i + 1, to: i + 2, count: i })), total: 36, mean: 6.6, median: 7 },
    retrievability: { unit: 'probability', bins: Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, count: i === 9 ? 20 : 1 })), total: 29, mean: 0.88, median: 0.93 },
    knowledge: [
      { day: '2026-03-29', total: 10.5 },
      { day: '2026-03-30', total: 12.25 },
      { day: '2026-03-31', total: 20 },
    ],
    knowledgeEvery: 1,
    trueRetention: (['today', 'yesterday', 'week', 'month', 'year', 'all'] as const).map((span) => ({ span, young: passFail(4, 1), mature: passFail(3, 0), total: passFail(7, 1) })),
    calibration: {
      reviews: 40,
      bins: [
        { from: 0.6, to: 0.7, predicted: 0.66, actual: 0.5, count: 4 },
        { from: 0.8, to: 0.9, predicted: 0.85, actual: 0.8, count: 10 },
        { from: 0.9, to: 1, predicted: 0.95, actual: 0.96, count: 26 },
      ],
    },
    families: [],
  };
}

/** An empty student: no card studied, no review. */
function emptyStats(): StudentStats {
  const s = fixtureStats();
  const zero = { unit: 'days', bins: [], total: 0, mean: null, median: null };
  return {
    ...s,
    todayCounts: { reviews: 0, correct: 0, timeMs: 0, learning: 0, relearning: 0, young: 0, mature: 0, new: 0 },
    forecast: { backlog: 0, days: s.forecast.days.map((d) => ({ ...d, due: 0 })) },
    heatmap: { ...s.heatmap, days: [] },
    perDay: [],
    cardCounts: { new: 0, learning: 0, relearning: 0, young: 0, mature: 0, suspended: 0, buried: 0, total: 0 },
    intervals: { bins: [], total: 0 },
    stability: zero,
    difficulty: zero,
    retrievability: zero,
    knowledge: [],
    calibration: { bins: [], reviews: 0 },
  };
}

function svgOf(html: string): SVGSVGElement {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const svg = document.querySelector('svg');
  if (!svg) throw new Error(`no <svg> in ${html.slice(0, 200)}`);
  return svg as unknown as SVGSVGElement;
}

/** The bars of a chart: the rects of its bar or rect marks. */
function bars(html: string): Element[] {
  const svg = svgOf(html);
  return Array.from(svg.querySelectorAll('g[data-mark="bar"] rect, g[data-mark="rect"] rect, g[data-mark="cell"] rect'));
}

function texts(html: string): string[] {
  return Array.from(svgOf(html).querySelectorAll('text')).map((t) => t.textContent ?? '');
}

describe('every chart', () => {
  const charts = studentCharts(fixtureStats());
  const all = Object.entries(charts).flatMap(([name, c]) => (c === null ? [] : 'svg' in c ? [[name, c] as const] : [[name, c.chart] as const, [`${name} legend`, c.legend] as const]));

  test('draws every chart of the fixture', () => {
    expect(Object.entries(charts).filter(([, c]) => c === null)).toEqual([]);
    expect(all.length).toBe(12);
  });

  test.each(all)('%s: one <svg> with the class and a label beside it; no <style>, no style attribute, no script', (_, chart) => {
    const svg = svgOf(chart.svg);
    expect(svg.getAttribute('class')).toBe(CHART_CLASS);
    expect(chart.label.length).toBeGreaterThan(20);
    expect(chart.svg).not.toMatch(/<style|style=|<script|<foreignObject|aria-/i);
    expect(svg.getAttribute('viewBox')).toMatch(/^0 0 \d+ \d+$/);
  });
});

describe('forecast', () => {
  test('one bar per day and one for the backlog, labelled; the summary carries the figures', () => {
    const stats = fixtureStats();
    const chart = forecastChart(stats.forecast)!;
    // Bars of height zero are still drawn: 30 days + the backlog.
    expect(bars(chart.svg)).toHaveLength(31);
    expect(texts(chart.svg)).toContain('Overdue');
    expect(texts(chart.svg)).toContain('4');
    const falling = stats.forecast.days.reduce((s, d) => s + d.due, 0);
    expect(chart.label).toContain(`4 overdue now, ${falling} falling due`);
  });
  test('nothing due: no chart', () => {
    expect(forecastChart(emptyStats().forecast)).toBeNull();
  });
});

describe('heatmap', () => {
  test('a cell for every day of the year, in its week and weekday', () => {
    const cells = heatCells(fixtureStats().heatmap);
    expect(cells).toHaveLength(365);
    // 1 Apr 2025 was a Tuesday; 31 Mar 2026 a Tuesday too, 52 weeks on.
    expect(cells[0]).toMatchObject({ day: '2025-04-01', weekday: 2, week: 0, reviews: 0, level: 0 });
    expect(cells.at(-1)).toMatchObject({ day: '2026-03-31', weekday: 2, week: 52, reviews: 12, level: 4 });
    expect(cells.find((c) => c.day === '2026-03-29')).toMatchObject({ weekday: 0, week: 52, reviews: 8, level: 3 });
    const chart = heatmapChart(fixtureStats().heatmap)!;
    const legend = heatLegendChart(12);
    expect(bars(chart.svg)).toHaveLength(365);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['Apr', 'Jan', 'Mon', 'Wed', 'Fri']));
    expect(chart.label).toContain('27 reviews on 4 days, at most 12 in a day');
    expect(texts(legend.svg)).toEqual(['none', '1–3', '4–6', '7–9', '10–12']);
  });
  test('levels are quarters of the busiest day; the legend leaves out empty levels', () => {
    expect([0, 1, 3, 4, 6, 7, 9, 10, 12].map((n) => heatLevel(n, 12))).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(heatLegend(2).map((l) => l.text)).toEqual(['none', '1', '2']);
    // Each count falls in the legend's range of its level.
    for (const max of [1, 2, 3, 5, 12, 97]) {
      const legend = heatLegend(max);
      for (let n = 1; n <= max; n++) {
        const entry = legend.find((l) => l.level === heatLevel(n, max))!;
        const [from, to = from] = entry.text.split('–').map(Number);
        expect(n, `${n} of ${max} in ${entry.text}`).toBeGreaterThanOrEqual(from!);
        expect(n).toBeLessThanOrEqual(to!);
      }
    }
  });
  test('a year with no review: no chart', () => {
    expect(heatmapChart(emptyStats().heatmap)).toBeNull();
  });
});

describe('reviews per day', () => {
  test('one bar per day and kind with reviews, one row per kind, named', () => {
    const stats = fixtureStats();
    const chart = perDayChart(stats)!;
    const nonZero = stats.perDay.flatMap((d) => [d.learning + d.new, d.young, d.mature, d.relearning]).filter((n) => n > 0).length;
    expect(bars(chart.svg)).toHaveLength(nonZero);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['Learning', 'Young', 'Mature', 'Relearning']));
    expect(chart.label).toContain('21 in all (Learning 5, Young 10, Mature 5, Relearning 1)');
  });
});

describe('card counts', () => {
  test('one bar per state, each with its count written', () => {
    const chart = cardCountsChart(fixtureStats().cardCounts)!;
    expect(bars(chart.svg)).toHaveLength(7);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['New', 'Relearning', 'Suspended', 'Buried', '120', '20', '7', '4', '3', '2', '1']));
  });
});

describe('histograms', () => {
  test('intervals: a bar per bin, the cumulative share on a right axis to 100%', () => {
    const chart = intervalsChart(fixtureStats().intervals)!;
    expect(bars(chart.svg)).toHaveLength(4);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['0–1', '1–7', '7–30', '30–64', '0%', '50%', '100%']));
    expect(chart.label).toContain('half of them at 1–7 days or less');
    expect(svgOf(chart.svg).querySelectorAll('g[data-mark="line"] path')).toHaveLength(1);
  });
  test('retrievability in percent, difficulty in units', () => {
    const s = fixtureStats();
    const r = histogramChart(s.retrievability, { axis: 'Recall', noun: 'cards' })!;
    expect(bars(r.svg)).toHaveLength(10);
    expect(texts(r.svg)).toContain('90%–100%');
    expect(r.label).toContain('mean 88.0%, median 93.0%');
    const d = histogramChart(s.difficulty, { axis: 'Difficulty', noun: 'cards' })!;
    expect(bars(d.svg)).toHaveLength(9);
    expect(texts(d.svg)).toContain('9–10');
  });
});

describe('calibration', () => {
  test('a point per bin with its count, and the diagonal', () => {
    const chart = calibrationChart(fixtureStats().calibration, { label: 'Calibration of the fixture' })!;
    const svg = svgOf(chart.svg);
    expect(svg.querySelectorAll('g[data-mark="dot"] circle')).toHaveLength(3);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['n=4', 'n=10', 'n=26']));
    expect(svg.querySelectorAll('g[data-mark="line"] path')).toHaveLength(2);
  });
  test('no predicted review: no chart', () => {
    expect(calibrationChart({ bins: [], reviews: 0 }, { label: 'x' })).toBeNull();
  });
});

describe('empty student', () => {
  test('no chart at all, and no throw', () => {
    expect(Object.values(studentCharts(emptyStats())).every((c) => c === null)).toBe(true);
  });
});

describe('text from banks and families', () => {
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"&';
  test('a bank title on an axis and in a tooltip comes out as text, escaped; the label stays out of the SVG', () => {
    const chart = renderChart(
      { marks: [Plot.barY([{ bank: hostile, n: 3 }], { x: 'bank', y: 'n', title: 'bank' })] },
      { label: `Reviews of ${hostile}` },
    );
    expect(chart.svg).not.toMatch(/<script|<img/i);
    expect(chart.svg).not.toContain('Reviews of');
    const svg = svgOf(chart.svg);
    // Read back through a parser: the same text, as text.
    expect(texts(chart.svg)).toContain(hostile);
    expect(svg.querySelector('title')?.textContent).toBe(hostile);
    expect(svg.querySelectorAll('script, img')).toHaveLength(0);
  });
  test('a family name in the class charts is escaped too', () => {
    const family = { family: hostile, reviews: 5, retention: passFail(4, 1), medianMs: 1000, misconception: null, predicted: 0.9, actual: 0.8, students: 2, calibration: [{ from: 0.8, to: 0.9, predicted: 0.85, actual: 0.8, count: 5 }], recent: passFail(4, 1), previous: passFail(0, 0), forgetting: null };
    const stats: ClassStats = { classId: 1, className: 'C', students: 2, reviews: 5, desiredRetention: 0.9, calibration: { bins: family.calibration, reviews: 5 }, items: [], families: [family] };
    const charts = classCharts(stats, (id) => `Family ${id}`);
    const chart = charts.families[hostile]!;
    expect(chart.svg).not.toMatch(/<script|<img/i);
    expect(chart.label).toContain(`Family ${hostile}`);
  });
});

describe('reviews per day, grouped over long periods', () => {
  const days = (n: number, from = '2025-01-01') =>
    Array.from({ length: n }, (_, i) => ({ day: new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10), new: 1, learning: 0, young: i % 3, mature: 0, relearning: 0, timeMs: 1000 }));
  test('a bar a day to three months, a week to three years, a month beyond', () => {
    expect([30, 92, 93, 365, 1098, 1099].map(reviewBinUnit)).toEqual(['day', 'day', 'week', 'week', 'week', 'month']);
  });
  test('bins keep every review: weeks of 7 days from the first, calendar months', () => {
    const year = days(365);
    const weeks = reviewBins(year, 'week');
    expect(weeks).toHaveLength(53);
    expect(weeks[0]).toMatchObject({ from: '2025-01-01', to: '2025-01-08', new: 7, timeMs: 7000 });
    expect(weeks.at(-1)).toMatchObject({ from: '2025-12-31', to: '2026-01-07', new: 1 });
    const months = reviewBins(year, 'month');
    expect(months.map((m) => m.from)).toEqual(Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}-01`));
    expect(months[1]).toMatchObject({ to: '2025-03-01', new: 28 });
    expect(months[11]!.to).toBe('2026-01-01');
    for (const bins of [weeks, months, reviewBins(year, 'day')]) {
      expect(bins.reduce((s, b) => s + b.young, 0)).toBe(year.reduce((s, d) => s + d.young, 0));
      expect(bins.reduce((s, b) => s + b.new, 0)).toBe(365);
    }
  });
  test('a year of days draws one bar per week and kind with reviews', () => {
    const stats = { ...fixtureStats(), perDay: days(365, '2025-04-01'), periodStart: '2025-04-01' };
    const chart = perDayChart(stats)!;
    // Learning (new cards' first reviews) and young each week; no mature, no relearning.
    expect(bars(chart.svg)).toHaveLength(53 * 2);
    expect(chart.label).toMatch(/^Reviews per week by the card's kind: /);
  });
});

describe('charts kept between requests', () => {
  test('an equal input is not drawn again; a changed one is', () => {
    let draws = 0;
    const draw = (n: number) => {
      draws++;
      return cardCountsChart({ ...fixtureStats().cardCounts, new: n });
    };
    const a = keptChart('test-counts', 5, draw);
    expect(keptChart('test-counts', 5, draw)).toBe(a);
    expect(draws).toBe(1);
    const b = keptChart('test-counts', 6, draw);
    expect(draws).toBe(2);
    expect(b!.svg).not.toBe(a!.svg);
    // The same input under another name is another chart.
    keptChart('test-counts-2', 5, draw);
    expect(draws).toBe(3);
  });
  test('switching the period keeps the charts that do not depend on it', () => {
    const month = studentCharts(fixtureStats());
    const year = studentCharts({ ...fixtureStats(), period: 'year', periodStart: '2025-04-01', perDay: [...fixtureStats().perDay] });
    expect(year.forecast).toBe(month.forecast);
    expect(year.heatmap!.chart).toBe(month.heatmap!.chart);
    expect(year.cardCounts).toBe(month.cardCounts);
    expect(year.perDay).not.toBe(month.perDay);
  });
});
