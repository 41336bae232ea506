/**
 * The scheduler benchmark at a small size on both engines (SQLite, then PostgreSQL: the models'
 * tables follow the engine last opened): it runs, and each figure stands beside its bare baseline.
 */
import { expect, test } from 'vitest';
import { runSchedulerBench, SMALL_SIZE } from './bench/scheduler.bench';

test.each(['sqlite', 'postgres'] as const)('bench scheduler on %s at a small size: every figure finite, beside its baseline', async (engine) => {
  const records = await runSchedulerBench(engine, SMALL_SIZE);
  const byName = new Map(records.map((r) => [r.name, r]));
  for (const figure of ['reviews_per_s', 'queue.p50_ms', 'queue.p99_ms', 'queue.entries']) {
    const r = byName.get(`scheduler.${engine}.${figure}`);
    expect(r?.baseline?.name).toBe(`scheduler.${engine}.bare.${figure}`);
    expect(Number.isFinite(r!.value) && r!.value > 0).toBe(true);
    expect(Number.isFinite(r!.baseline!.value) && r!.baseline!.value > 0).toBe(true);
  }
});
