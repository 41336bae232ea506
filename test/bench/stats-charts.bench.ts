/**
 * stats.charts.*: drawing the /stats page's charts on the server (Observable Plot on linkedom)
 * from a year of figures: every chart drawn (new figures each call, as after a day of reviews),
 * beside the same figures a second time, when every chart is kept (app/charts/plot.server.ts
 * keptChart): the floor is the JSON of the figures, which the page sends anyway.
 */
import { studentCharts } from '../../app/charts/stats-charts.server';
import type { StudentStats } from '../../app/stats/types';
import { percentile, record, type Benchmark } from './harness';

const DAY = 86_400_000;
const TODAY = Date.parse('2026-12-01T00:00:00Z');
const dayAt = (back: number) => new Date(TODAY - back * DAY).toISOString().slice(0, 10);
const pf = (passed: number, failed: number) => ({ passed, failed, rate: passed / (passed + failed) });

/** A year of a busy student's figures; `shift` changes every chart's input. */
function yearOfFigures(shift: number): StudentStats {
  const days = Array.from({ length: 365 }, (_, i) => dayAt(364 - i));
  const hist = (unit: string, edges: number[]) => ({ unit, bins: edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1]!, count: 10 + ((i * 7 + shift) % 40) })), total: 500 + shift, mean: 5, median: 4 });
  const dayEdges = [0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 180, 365, 400];
  return {
    period: 'year', bankId: null, banks: [{ id: 'cs231n', title: 'CS231n' }], timeZone: 'UTC', today: dayAt(0), periodStart: dayAt(364),
    todayCounts: { reviews: 80, correct: 70, timeMs: 900_000, learning: 10, relearning: 5, young: 30, mature: 30, new: 5 },
    forecast: { backlog: 12 + shift, days: Array.from({ length: 30 }, (_, i) => ({ day: dayAt(-i), due: 20 + ((i * 13 + shift) % 30) })) },
    heatmap: { from: dayAt(364), to: dayAt(0), days: days.map((day, i) => ({ day, reviews: (i * 37 + shift) % 120 })) },
    perDay: days.map((day, i) => ({ day, new: i % 10, learning: (i + shift) % 7, young: (i * 3) % 40, mature: (i * 5) % 60, relearning: i % 4, timeMs: 60_000 * (i % 30) })),
    cardCounts: { new: 400, learning: 20, relearning: 5, young: 300, mature: 900 + shift, suspended: 3, buried: 2, total: 1630 + shift },
    intervals: { total: 1200, bins: dayEdges.slice(0, -1).map((from, i) => ({ from, to: dayEdges[i + 1]!, count: 50 + ((i + shift) % 9) * 10, cumulativeShare: (i + 1) / (dayEdges.length - 1) })) },
    stability: hist('days', dayEdges),
    difficulty: hist('difficulty (1–10)', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    retrievability: hist('probability', [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]),
    knowledge: days.filter((_, i) => i % 7 === 0).map((day, i) => ({ day, total: 100 + i * 10 + shift })),
    knowledgeEvery: 7,
    trueRetention: (['today', 'yesterday', 'week', 'month', 'year', 'all'] as const).map((span) => ({ span, young: pf(80, 10), mature: pf(90, 5), total: pf(170, 15) })),
    calibration: { reviews: 5000 + shift, bins: Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, predicted: i / 10 + 0.05, actual: Math.min(1, i / 10 + 0.02), count: 10 + i * 50 + shift })) },
    families: [],
  };
}

export const statsChartsBenchmark: Benchmark = {
  name: 'stats.charts',
  async run() {
    const runs = 15;
    const drawn: number[] = [];
    const kept: number[] = [];
    const again = yearOfFigures(0);
    studentCharts(again);
    for (let i = 1; i <= runs + 2; i++) {
      let t0 = performance.now();
      studentCharts(yearOfFigures(i * 1000));
      const d = performance.now() - t0;
      t0 = performance.now();
      studentCharts(again);
      const k = performance.now() - t0;
      // The first two warm the JIT.
      if (i > 2) {
        drawn.push(d);
        kept.push(k);
      }
    }
    const keptMs = percentile(kept, 50);
    return [record('stats.charts.year_drawn_ms', percentile(drawn, 50), 'ms', { name: 'stats.charts.year_kept_ms', value: keptMs }), record('stats.charts.year_kept_ms', keptMs, 'ms')];
  },
};
