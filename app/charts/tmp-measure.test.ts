import { test } from 'vitest';
import { gzipSync } from 'node:zlib';
import * as C from './stats-charts.server';
import { fixtureStats } from './stats-charts.test';
test('measure', () => {
  const s = fixtureStats();
  const days = Array.from({ length: 365 }, (_, i) => new Date(Date.parse('2025-04-01T00:00:00Z') + i * 864e5).toISOString().slice(0, 10));
  s.perDay = days.map((day, i) => ({ day, new: i % 3, learning: i % 2, young: i % 7, mature: i % 5, relearning: i % 4 === 0 ? 1 : 0, timeMs: 60000 * (i % 9) }));
  s.heatmap.days = days.map((day, i) => ({ day, reviews: (i * 7) % 23 }));
  s.knowledge = days.filter((_, i) => i % 7 === 0).map((day, i) => ({ day, total: i / 3 }));
  s.periodStart = '2025-04-01';
  const parts: Record<string, () => unknown> = {
    page: () => C.studentCharts(s),
    heat: () => C.heatmapChart(s.heatmap), perDay: () => C.perDayChart(s), knowledge: () => C.knowledgeChart(s.knowledge), counts: () => C.cardCountsChart(s.cardCounts),
  };
  for (const [name, f] of Object.entries(parts)) {
    for (let i = 0; i < 3; i++) f();
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) f();
    console.log(name, ((performance.now() - t0) / 10).toFixed(1), 'ms');
  }
  const c = C.studentCharts(s);
  const all = Object.values(c).map((x: any) => (x === null ? '' : 'svg' in x ? x.svg : x.chart.svg + x.legend.svg)).join('');
  console.log(`SVG ${(all.length / 1024).toFixed(0)} KB raw, ${(gzipSync(all).length / 1024).toFixed(0)} KB gzip ms`);
});
