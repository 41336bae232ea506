/**
 * The charts of a student's statistics page (/stats) and of a class's, drawn from the figures
 * the loaders compute (app/stats/types.ts). Each function returns null when there is nothing to
 * draw, and the page shows its empty state instead. Kinds are told apart by position and direct
 * labels (facets, the overdue bar, a dashed diagonal), never by hue alone: colour only repeats
 * what the position says. Every chart has its numbers again as a table on the page.
 */
import type { CalibrationBin, ClassStats, Histogram, StudentStats } from '~/stats/types';
import { binText, count, dayDate, dayText, decimal, isShareUnit, minutes, monthName, share, weekdayName, wholePercent } from './format';
import { cardStateNames, cardStates, reviewKindNames, reviewKinds } from './labels';
import { reviewBins, reviewBinUnit, type ReviewBin, type ReviewBinUnit } from './review-bins';
import { familyTitles } from './family-titles.server';
import { keptChart, Plot, renderChart, type RenderedChart } from './plot.server';

/** Ink colours, the app's own (app/styles/app.css). */
const INK = '#1d2330';
const ACCENT = '#2f5bd3';
const MUTED = '#5b6475';
const BAD = '#b3261e';

// ---------------------------------------------------------------- forecast

/** Reviews due per day for the next 30 days, the backlog (overdue now) as a first bar apart. */
export function forecastChart(forecast: StudentStats['forecast']): RenderedChart | null {
  const total = forecast.backlog + forecast.days.reduce((s, d) => s + d.due, 0);
  if (total === 0) return null;
  const rows = [{ key: 'overdue', due: forecast.backlog }, ...forecast.days.map((d) => ({ key: d.day, due: d.due }))];
  const busiest = forecast.days.reduce((a, d) => (d.due > a.due ? d : a), forecast.days[0] ?? { day: '', due: 0 });
  // Today's band sits against the overdue one: weekly ticks from a week on keep their labels apart.
  const ticks = ['overdue', ...forecast.days.filter((_, i) => i > 0 && i % 7 === 0).map((d) => d.day)];
  return renderChart(
    {
      height: 220,
      marginBottom: 36,
      x: { type: 'band', domain: rows.map((r) => r.key), ticks, tickFormat: (k: string) => (k === 'overdue' ? 'Overdue' : dayText(k, { year: false })), label: null, padding: 0.15 },
      y: { grid: true, label: 'Reviews due', nice: true },
      marks: [
        Plot.barY(rows, { x: 'key', y: 'due', fill: (r: (typeof rows)[number]) => (r.key === 'overdue' ? BAD : ACCENT) }),
        // The backlog is named on its bar: its place and its label say what the red says.
        Plot.text(forecast.backlog > 0 ? rows.slice(0, 1) : [], { x: 'key', y: 'due', text: (r: (typeof rows)[number]) => count(r.due), dy: -6, fill: INK }),
        Plot.ruleY([0]),
      ],
      color: { type: 'identity' },
    },
    {
      label: `Reviews due per day over the next ${forecast.days.length} days: ${count(forecast.backlog)} overdue now, ${count(total - forecast.backlog)} falling due${busiest.due ? `, most on ${dayText(busiest.day)} (${count(busiest.due)})` : ''}.`,
    },
  );
}

// ---------------------------------------------------------------- heatmap

/** A lightness ramp: the levels read in grey as well as in blue. Level 0 is a day with no review. */
export const HEAT_FILLS = ['#eceef2', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] as const;

export interface HeatCell {
  day: string;
  reviews: number;
  week: number;
  weekday: number;
  level: number;
}

/** The level (0–4) of a day's count against the busiest day: quarters of the maximum. */
export function heatLevel(reviews: number, max: number): number {
  if (reviews <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((reviews / max) * 4)));
}

/** The counts each level covers, for the legend ("1–3"); empty levels are left out. */
export function heatLegend(max: number): { level: number; text: string }[] {
  const levels = [{ level: 0, text: 'none' }];
  for (let level = 1; level <= 4 && max > 0; level++) {
    const from = Math.floor((max * (level - 1)) / 4) + 1;
    const to = Math.floor((max * level) / 4);
    if (to >= from) levels.push({ level, text: from === to ? count(from) : `${count(from)}–${count(to)}` });
  }
  return levels;
}

/** Every day from `from` to `to` as a cell of a weeks × weekdays grid (weeks start on Sunday). */
export function heatCells(heatmap: StudentStats['heatmap']): HeatCell[] {
  const byDay = new Map(heatmap.days.map((d) => [d.day, d.reviews]));
  const start = dayDate(heatmap.from);
  const end = dayDate(heatmap.to);
  const offset = start.getUTCDay();
  const days: { day: string; reviews: number; index: number }[] = [];
  for (let t = start.getTime(), index = 0; t <= end.getTime(); t += 86_400_000, index++) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push({ day, reviews: byDay.get(day) ?? 0, index });
  }
  const max = Math.max(0, ...days.map((d) => d.reviews));
  return days.map((d) => ({ day: d.day, reviews: d.reviews, week: Math.floor((d.index + offset) / 7), weekday: (d.index + offset) % 7, level: heatLevel(d.reviews, max) }));
}

export function heatmapChart(heatmap: StudentStats['heatmap']): RenderedChart | null {
  const cells = heatCells(heatmap);
  const total = cells.reduce((s, c) => s + c.reviews, 0);
  if (total === 0) return null;
  const max = Math.max(...cells.map((c) => c.reviews));
  const weeks = Array.from({ length: (cells.at(-1)?.week ?? 0) + 1 }, (_, i) => i);
  // A month's name under the first week holding its 1st.
  const monthStarts = new Map(cells.filter((c, i) => i === 0 || c.day.endsWith('-01')).map((c) => [c.week, monthName(dayDate(c.day).getUTCMonth())]));
  const studied = cells.filter((c) => c.reviews > 0).length;
  return renderChart(
    {
      height: 130,
      marginLeft: 32,
      marginTop: 8,
      marginBottom: 22,
      padding: 0,
      x: { type: 'band', domain: weeks, ticks: [...monthStarts.keys()], tickFormat: (w: number) => monthStarts.get(w) ?? '', tickSize: 0, label: null },
      y: { type: 'band', domain: [0, 1, 2, 3, 4, 5, 6], ticks: [1, 3, 5], tickFormat: weekdayName, tickSize: 0, label: null },
      color: { type: 'identity' },
      // No tooltip per cell: 365 <title>s would double the chart's elements (and its render time); the table has every day.
      marks: [Plot.cell(cells, { x: 'week', y: 'weekday', fill: (c: HeatCell) => HEAT_FILLS[c.level], inset: 1 })],
    },
    { label: `Reviews per day from ${dayText(heatmap.from)} to ${dayText(heatmap.to)}: ${count(total)} reviews on ${count(studied)} days, at most ${count(max)} in a day.` },
  );
}

/** The heatmap's legend: the levels of a year whose busiest day had `max` reviews. */
export function heatLegendChart(max: number): RenderedChart {
  const levels = heatLegend(max);
  return renderChart(
    {
      width: 60 * levels.length + 20,
      height: 44,
      marginLeft: 10,
      marginRight: 10,
      marginTop: 4,
      x: { type: 'band', domain: levels.map((l) => l.text), label: null, tickSize: 0, padding: 0.1 },
      y: { axis: null },
      color: { type: 'identity' },
      marks: [Plot.cell(levels, { x: 'text', fill: (l: { level: number }) => HEAT_FILLS[l.level], stroke: MUTED, strokeWidth: 0.5 })],
    },
    { label: `Legend, reviews a day from light to dark: ${levels.map((l) => l.text).join(', ')}.` },
  );
}

// ---------------------------------------------------------------- reviews per day

/** The days the period spans, for the x domain: the period's start (or the first day) to today. */
function periodDomain(stats: Pick<StudentStats, 'periodStart' | 'today'>, days: readonly string[]): [Date, Date] {
  const first = stats.periodStart ?? days[0] ?? stats.today;
  return [dayDate(first), new Date(dayDate(stats.today).getTime() + 86_400_000)];
}

/** A bin's reviews of a kind; learning counts new cards' first reviews, as Anki's graph does. */
export function kindCount(bin: Omit<ReviewBin, 'from' | 'to'>, kind: (typeof reviewKinds)[number]): number {
  return kind === 'learning' ? bin.learning + bin.new : bin[kind];
}

const PER: Record<ReviewBinUnit, string> = { day: 'per day', week: 'per week', month: 'per month' };

/** Reviews per day (week, month: see review-bins.ts), one row of bars per kind (facets): the kind is the row and its label. */
export function perDayChart(stats: Pick<StudentStats, 'perDay' | 'periodStart' | 'today'>): RenderedChart | null {
  const unit = reviewBinUnit(stats.perDay.length);
  const bins = reviewBins(stats.perDay, unit);
  const rows = bins.flatMap((b) => reviewKinds.map((kind) => ({ x1: dayDate(b.from), x2: dayDate(b.to), kind: reviewKindNames[kind], reviews: kindCount(b, kind) })));
  const total = rows.reduce((s, r) => s + r.reviews, 0);
  if (total === 0) return null;
  const byKind = reviewKinds.map((k) => `${reviewKindNames[k]} ${count(bins.reduce((s, b) => s + kindCount(b, k), 0))}`).join(', ');
  return renderChart(
    {
      height: 300,
      marginRight: 80,
      x: { type: 'utc', domain: periodDomain(stats, stats.perDay.map((d) => d.day)), label: null },
      y: { grid: true, label: `Reviews ${PER[unit]}`, nice: true },
      fy: { domain: reviewKinds.map((k) => reviewKindNames[k]), label: null, padding: 0.2 },
      marks: [
        Plot.frame({ stroke: '#d9dce3' }),
        Plot.rectY(rows.filter((r) => r.reviews > 0), { x1: 'x1', x2: 'x2', y: 'reviews', fy: 'kind', fill: ACCENT, inset: 0.5 }),
        Plot.ruleY([0]),
      ],
    },
    { label: `Reviews ${PER[unit]} by the card's kind: ${count(total)} in all (${byKind}).` },
  );
}

/** Minutes spent reviewing per day (week, month). */
export function timeChart(stats: Pick<StudentStats, 'perDay' | 'periodStart' | 'today'>): RenderedChart | null {
  const totalMs = stats.perDay.reduce((s, d) => s + d.timeMs, 0);
  if (totalMs === 0) return null;
  const unit = reviewBinUnit(stats.perDay.length);
  const rows = reviewBins(stats.perDay, unit)
    .filter((b) => b.timeMs > 0)
    .map((b) => ({ x1: dayDate(b.from), x2: dayDate(b.to), minutes: minutes(b.timeMs) }));
  return renderChart(
    {
      height: 180,
      x: { type: 'utc', domain: periodDomain(stats, stats.perDay.map((d) => d.day)), label: null },
      y: { grid: true, label: `Minutes ${PER[unit]}`, nice: true },
      marks: [Plot.rectY(rows, { x1: 'x1', x2: 'x2', y: 'minutes', fill: ACCENT, inset: 0.5 }), Plot.ruleY([0])],
    },
    { label: `Minutes spent reviewing ${PER[unit]}: ${decimal(minutes(totalMs))} minutes in all.` },
  );
}

// ---------------------------------------------------------------- card counts

export function cardCountsChart(counts: StudentStats['cardCounts']): RenderedChart | null {
  if (counts.total === 0) return null;
  const rows = cardStates.map((s) => ({ state: cardStateNames[s], cards: counts[s] }));
  return renderChart(
    {
      height: 200,
      marginLeft: 80,
      marginRight: 50,
      x: { grid: true, label: 'Cards', nice: true },
      y: { domain: rows.map((r) => r.state), label: null },
      marks: [
        Plot.barX(rows, { y: 'state', x: 'cards', fill: ACCENT }),
        // Each bar carries its count: the number is read, not estimated from the length.
        Plot.text(rows, { y: 'state', x: 'cards', text: (r: (typeof rows)[number]) => count(r.cards), textAnchor: 'start', dx: 4, fill: INK }),
        Plot.ruleX([0]),
      ],
    },
    { label: `Cards by state, ${count(counts.total)} in all: ${rows.map((r) => `${r.state} ${count(r.cards)}`).join(', ')}.` },
  );
}

// ---------------------------------------------------------------- histograms

/** Every k-th label, so that at most about 12 are written under the bars. */
function thinned<T>(labels: readonly T[]): T[] {
  const step = Math.max(1, Math.ceil(labels.length / 12));
  return labels.filter((_, i) => i % step === 0);
}

/** The intervals of cards in review, with the cumulative share as a line on its own axis (right). */
export function intervalsChart(intervals: StudentStats['intervals']): RenderedChart | null {
  if (intervals.total === 0) return null;
  const rows = intervals.bins.map((b) => ({ ...b, text: binText(b.from, b.to, 'days') }));
  const max = Math.max(1, ...rows.map((r) => r.count));
  const shareTicks = [0, 0.25, 0.5, 0.75, 1];
  const half = rows.find((r) => r.cumulativeShare >= 0.5);
  return renderChart(
    {
      height: 240,
      marginRight: 48,
      marginBottom: 36,
      x: { type: 'band', domain: rows.map((r) => r.text), ticks: thinned(rows.map((r) => r.text)), label: 'Interval (days)', labelAnchor: 'center', padding: 0.1 },
      y: { domain: [0, max], label: 'Cards', grid: true },
      marks: [
        Plot.barY(rows, { x: 'text', y: 'count', fill: '#b9c7ef' }),
        // The share is drawn on the cards' scale (1 = the tallest bar) and read on the right axis.
        Plot.lineY(rows, { x: 'text', y: (r: (typeof rows)[number]) => r.cumulativeShare * max, stroke: INK, strokeWidth: 2, marker: 'circle' }),
        Plot.axisY(
          shareTicks.map((s) => s * max),
          { anchor: 'right', tickFormat: (v: number) => wholePercent(v / max), label: 'Cumulative share', labelAnchor: 'top' },
        ),
        Plot.ruleY([0]),
      ],
    },
    { label: `Intervals of ${count(intervals.total)} cards in review${half ? `; half of them at ${half.text} days or less` : ''}.` },
  );
}

export interface HistogramText {
  /** The axis label ("Stability (days)"). */
  axis: string;
  /** What is counted ("cards"). */
  noun: string;
}

/** A histogram of Histogram bins, as bars over band labels. */
export function histogramChart(histogram: Histogram, text: HistogramText): RenderedChart | null {
  if (histogram.total === 0) return null;
  const rows = histogram.bins.map((b) => ({ ...b, text: binText(b.from, b.to, histogram.unit) }));
  const centre = (x: number | null) => (x === null ? '—' : isShareUnit(histogram.unit) ? share(x) : decimal(x, 2));
  return renderChart(
    {
      height: 200,
      marginBottom: 36,
      x: { type: 'band', domain: rows.map((r) => r.text), ticks: thinned(rows.map((r) => r.text)), label: text.axis, labelAnchor: 'center', padding: 0.1 },
      y: { grid: true, label: text.noun[0]!.toUpperCase() + text.noun.slice(1), nice: true },
      marks: [Plot.barY(rows, { x: 'text', y: 'count', fill: ACCENT }), Plot.ruleY([0])],
    },
    { label: `${text.axis} of ${count(histogram.total)} ${text.noun}: mean ${centre(histogram.mean)}, median ${centre(histogram.median)}.` },
  );
}

// ---------------------------------------------------------------- knowledge

export function knowledgeChart(knowledge: StudentStats['knowledge']): RenderedChart | null {
  if (knowledge.length === 0 || knowledge.every((k) => k.total === 0)) return null;
  const rows = knowledge.map((k) => ({ date: dayDate(k.day), total: k.total }));
  const last = knowledge.at(-1)!;
  return renderChart(
    {
      height: 200,
      x: { type: 'utc', label: null },
      y: { grid: true, label: 'Cards known (sum of recall)', nice: true, zero: true },
      marks: [Plot.areaY(rows, { x: 'date', y: 'total', fill: '#e3e9fa' }), Plot.lineY(rows, { x: 'date', y: 'total', stroke: ACCENT, strokeWidth: 2 }), Plot.ruleY([0])],
    },
    { label: `Estimated total knowledge, the sum of every card's current recall probability: ${decimal(last.total)} on ${dayText(last.day)}.` },
  );
}

// ---------------------------------------------------------------- calibration

/**
 * Predicted recall against the share recalled, bin by bin; the dashed diagonal is a perfect
 * forecast. Each point is labelled with its count, so a point of three reviews is not read as
 * evidence. `small`: the class page's per-family multiples (no axis labels, counts kept).
 */
export function calibrationChart(calibration: { bins: CalibrationBin[]; reviews: number }, { label, small = false }: { label: string; small?: boolean }): RenderedChart | null {
  const bins = calibration.bins.filter((b) => b.count > 0);
  if (bins.length === 0) return null;
  const size = small ? 200 : 380;
  return renderChart(
    {
      width: size,
      height: size,
      marginLeft: small ? 34 : 48,
      marginBottom: small ? 28 : 40,
      marginTop: 16,
      marginRight: 16,
      x: { domain: [0, 1], label: small ? null : 'Predicted recall', tickFormat: wholePercent, ticks: small ? 3 : 5, grid: true, labelAnchor: 'center' },
      y: { domain: [0, 1], label: small ? null : 'Actually recalled', tickFormat: wholePercent, ticks: small ? 3 : 5, grid: true },
      marks: [
        Plot.line(
          [
            [0, 0],
            [1, 1],
          ],
          { stroke: MUTED, strokeDasharray: '4 4' },
        ),
        Plot.line(bins, { x: 'predicted', y: 'actual', stroke: ACCENT, strokeWidth: 1.5 }),
        Plot.dot(bins, { x: 'predicted', y: 'actual', fill: ACCENT, stroke: 'white', r: small ? 3 : 4 }),
        // Neighbouring bins' counts alternate above and below their points, so they do not overlap.
        ...[0, 1].map((odd) =>
          Plot.text(
            bins.filter((_, i) => i % 2 === odd),
            { x: 'predicted', y: 'actual', text: (b: CalibrationBin) => `n=${count(b.count)}`, dy: odd ? 12 : -10, fill: INK, fontSize: small ? 8 : 10 },
          ),
        ),
      ],
    },
    { label },
  );
}

/** The sentence under a calibration chart, with its numbers. */
export function calibrationLabel(calibration: { bins: CalibrationBin[]; reviews: number }, whose: string): string {
  const bins = calibration.bins.filter((b) => b.count > 0);
  const predicted = weighted(bins, (b) => b.predicted);
  const actual = weighted(bins, (b) => b.actual);
  return `Calibration of ${whose}: ${count(calibration.reviews)} reviews in ${bins.length} bins; predicted recall ${share(predicted)} on average, ${share(actual)} recalled.`;
}

function weighted(bins: readonly CalibrationBin[], value: (b: CalibrationBin) => number): number | null {
  const n = bins.reduce((s, b) => s + b.count, 0);
  return n === 0 ? null : bins.reduce((s, b) => s + value(b) * b.count, 0) / n;
}

// ---------------------------------------------------------------- pages

export interface StudentCharts {
  forecast: RenderedChart | null;
  heatmap: { chart: RenderedChart; legend: RenderedChart } | null;
  perDay: RenderedChart | null;
  time: RenderedChart | null;
  cardCounts: RenderedChart | null;
  intervals: RenderedChart | null;
  stability: RenderedChart | null;
  difficulty: RenderedChart | null;
  retrievability: RenderedChart | null;
  knowledge: RenderedChart | null;
  calibration: RenderedChart | null;
}

/** Every chart of the /stats page, each drawn once per distinct input (keptChart). */
export function studentCharts(stats: StudentStats): StudentCharts {
  const days = { perDay: stats.perDay, periodStart: stats.periodStart, today: stats.today };
  return {
    forecast: keptChart('forecast', stats.forecast, forecastChart),
    heatmap: keptHeatmap(stats.heatmap),
    perDay: keptChart('perDay', days, perDayChart),
    time: keptChart('time', days, timeChart),
    cardCounts: keptChart('cardCounts', stats.cardCounts, cardCountsChart),
    intervals: keptChart('intervals', stats.intervals, intervalsChart),
    stability: keptChart('stability', stats.stability, (h) => histogramChart(h, { axis: `Stability (${h.unit})`, noun: 'cards' })),
    difficulty: keptChart('difficulty', stats.difficulty, (h) => histogramChart(h, { axis: 'Difficulty (1 easiest, 10 hardest)', noun: 'cards' })),
    retrievability: keptChart('retrievability', stats.retrievability, (h) => histogramChart(h, { axis: 'Recall probability now', noun: 'cards' })),
    knowledge: keptChart('knowledge', stats.knowledge, knowledgeChart),
    calibration: keptChart('calibration', stats.calibration, (c) => calibrationChart(c, { label: calibrationLabel(c, 'your reviews') })),
  };
}

function keptHeatmap(heatmap: StudentStats['heatmap']): StudentCharts['heatmap'] {
  const chart = keptChart('heatmap', heatmap, heatmapChart);
  return chart ? { chart, legend: keptChart('heatmap-legend', Math.max(...heatmap.days.map((d) => d.reviews)), heatLegendChart) } : null;
}

export interface ClassCharts {
  calibration: RenderedChart | null;
  /** By family id. */
  families: Record<string, RenderedChart | null>;
}

/** The class page's charts: the class's calibration, and one small calibration chart per family. */
export function classCharts(stats: ClassStats, familyTitle: (id: string) => string): ClassCharts {
  return {
    calibration: keptChart('class-calibration', stats.calibration, (c) => calibrationChart(c, { label: calibrationLabel(c, `the class's reviews`) })),
    families: Object.fromEntries(
      stats.families.map((f) => {
        const input = { bins: f.calibration, reviews: f.reviews, title: familyTitle(f.family) };
        return [f.family, keptChart('family-calibration', input, (c) => calibrationChart(c, { label: calibrationLabel(c, c.title), small: true }))];
      }),
    ),
  };
}

/** What the class page's statistics section needs from its loader: the figures, their charts, the families' titles. */
export function classStatistics(stats: ClassStats) {
  const titles = familyTitles(stats.families.map((f) => f.family).concat(stats.items.flatMap((i) => (i.family ? [i.family] : []))));
  return { stats, charts: classCharts(stats, (id) => titles[id] ?? id), familyTitles: titles };
}
