/**
 * questions.<family>.per_s: variants generated and graded per second (one generate, one grade of
 * the displayed answer and one of the first misconception's value), beside the raw cost of the
 * seeded generator (createRng + 16 int draws, about what a family draws) in the same run.
 */
import { formatAnswer, grade } from '../../engine/answers';
import { families, variantOf } from '../../engine/families';
import type { Family } from '../../engine/question';
import { createRng } from '../../engine/random';
import { record, type Benchmark, type BenchRecord } from './harness';

/** Runs of `work(seed)` per second, counted over about `budgetMs` after a warm-up of the same length (so the JIT has settled). */
function perSecond(work: (seed: number) => void, budgetMs = 250): number {
  const warm = performance.now();
  for (let seed = 0; performance.now() - warm < budgetMs; seed++) work(seed);
  let done = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 20; i++) work(1000 + done++);
    elapsed = performance.now() - t0;
  }
  return Math.round((done * 1000) / elapsed);
}

function generateAndGrade(family: Family, seed: number): void {
  const v = variantOf(family, seed);
  grade(v, v.answer.display);
  const m = v.misconceptions[0];
  if (m) grade(v, formatAnswer(m.value));
}

let sink = 0;
function rngDraws(seed: number): void {
  const rng = createRng(seed);
  for (let i = 0; i < 16; i++) sink += rng.int(1, 512);
}

export const questionBenchmarks: Benchmark[] = [
  {
    name: 'questions.per_s',
    async run(): Promise<BenchRecord[]> {
      const baseline = { name: 'questions.rng.per_s', value: perSecond(rngDraws) };
      const records = [record(baseline.name, baseline.value, 'rngs/s')];
      for (const f of families) records.push(record(`questions.${f.id}.per_s`, perSecond((seed) => generateAndGrade(f, seed)), 'variants/s', baseline));
      if (sink === -1) records.push(record('questions.sink', sink, ''));
      return records;
    },
  },
];
