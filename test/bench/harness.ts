/**
 * Benchmarks for `stride bench`. Each figure is reported beside a baseline measured in the
 * same run, so a figure means something on whatever machine produced it.
 */

export interface BenchRecord {
  /** Dotted by area: engine.…, verify.…, questions.…, scheduler.…, http.…, web.… */
  name: string;
  value: number;
  unit: string;
  baseline: { name: string; value: number } | null;
  /** value / baseline.value, or null without a baseline. */
  ratio: number | null;
}

export interface Benchmark {
  /** Dotted name; `stride bench <filter>` runs those whose name contains the filter. */
  name: string;
  run(): Promise<BenchRecord[]>;
}

/** A record, with its ratio computed from the baseline. */
export function record(name: string, value: number, unit: string, baseline: { name: string; value: number } | null = null): BenchRecord {
  return { name, value, unit, baseline, ratio: baseline && baseline.value !== 0 ? value / baseline.value : null };
}

/** Median wall time in milliseconds of `runs` calls of fn (after `warmup` calls). */
export async function medianMs(fn: () => unknown | Promise<unknown>, runs = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}

/** The p-th percentile (0–100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Times `app` and `bare` alternately, `n` times each after one warm-up of each (drift hits both alike); their latencies in ms. */
export async function paired(n: number, app: () => Promise<unknown>, bare: () => Promise<unknown>): Promise<{ appTimes: number[]; bareTimes: number[] }> {
  const appTimes: number[] = [];
  const bareTimes: number[] = [];
  await app();
  await bare();
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    await app();
    appTimes.push(performance.now() - t0);
    t0 = performance.now();
    await bare();
    bareTimes.push(performance.now() - t0);
  }
  return { appTimes, bareTimes };
}
