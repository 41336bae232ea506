/**
 * The study benchmark at a small size on both engines (SQLite, then PostgreSQL: the models' tables
 * follow the engine last opened): it runs, and each figure stands beside its bare baseline.
 */
import { expect, test } from 'vitest';
import { runStudyBench, SMALL_SIZE } from './bench/study.bench';

test.each(['sqlite', 'postgres'] as const)('bench study on %s at a small size: every latency finite, beside its baseline', async (engine) => {
  const records = await runStudyBench(engine, SMALL_SIZE);
  const byName = new Map(records.map((r) => [r.name, r]));
  for (const figure of ['cards_page', 'cards_page_filtered', 'queue']) {
    for (const p of ['p50_ms', 'p99_ms']) {
      const r = byName.get(`study.${engine}.${figure}.${p}`);
      expect(r?.baseline?.name).toBe(`study.${engine}.bare.${figure}.${p}`);
      expect(Number.isFinite(r!.value) && r!.value > 0).toBe(true);
      expect(Number.isFinite(r!.baseline!.value) && r!.baseline!.value > 0).toBe(true);
    }
  }
  expect(byName.get(`study.${engine}.cards_page_filtered.matched`)!.value).toBeGreaterThan(0);
  expect(byName.get(`study.${engine}.queue.entries`)!.value).toBeGreaterThan(0);
});
