/**
 * The verifier's cost: a question-sized spec (one conv layer; one inception module) and every zoo
 * architecture, each beside the engine's analysis of the same spec timed in the same run.
 */
import { nodeVerifyBackends } from '../../bin/commands/verify';
import { analyze } from '../../engine/analysis';
import type { Spec } from '../../engine/spec';
import { zoo, getArch } from '../../engine/zoo';
import { medianMs, percentile, record, type Benchmark, type BenchRecord } from './harness';

/** The lecture's AlexNet CONV1 (227×227×3, 96 filters of 11×11, stride 4). */
const conv1: Spec = { name: 'alexnet_conv1', input: [227, 227, 3], layers: [{ kind: 'conv', name: 'conv1', filters: 96, kernel: 11, stride: 4 }] };

async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const question: Benchmark = {
  name: 'verify.question',
  async run(): Promise<BenchRecord[]> {
    const { backends } = await nodeVerifyBackends();
    const { verifySpec } = await import('../../engine/tfjs/verify');
    const specs = { conv1, inception: getArch('inception_naive_cs231n').spec };
    const verifyTimes: number[] = [];
    const analyzeTimes: number[] = [];
    const records: BenchRecord[] = [];
    for (const [name, spec] of Object.entries(specs)) {
      await verifySpec(spec, { backends }); // warm-up: kernels and wasm compile
      const v: number[] = [];
      const a: number[] = [];
      for (let i = 0; i < 7; i++) {
        v.push(await timed(() => verifySpec(spec, { backends })));
        a.push(await timed(() => analyze(spec)));
      }
      verifyTimes.push(...v);
      analyzeTimes.push(...a);
      records.push(record(`verify.question.${name}.median_ms`, percentile(v, 50), 'ms', { name: `engine.question.${name}.analyze_ms`, value: percentile(a, 50) }));
    }
    return [record('verify.question.median_ms', percentile(verifyTimes, 50), 'ms', { name: 'engine.question.analyze_ms', value: percentile(analyzeTimes, 50) }), ...records];
  },
};

const zooBench: Benchmark = {
  name: 'verify.zoo',
  async run(): Promise<BenchRecord[]> {
    const { backends } = await nodeVerifyBackends();
    const tf = await import('@tensorflow/tfjs');
    const { verifySpec } = await import('../../engine/tfjs/verify');
    const records: BenchRecord[] = [];
    for (const entry of zoo) {
      const analyzeMs = await medianMs(() => analyze(entry.spec), 5, 1);
      // One run each: the whole zoo takes minutes; the figure is the wall time of `stride verify <arch>`'s work.
      const result = await verifySpec(entry.spec, { backends, arch: entry.id });
      tf.disposeVariables();
      records.push(record(`verify.zoo.${entry.id}.ms`, result.ms, 'ms', { name: `engine.zoo.${entry.id}.analyze_ms`, value: analyzeMs }));
    }
    return records;
  },
};

export const verifyBenchmarks: Benchmark[] = [question, zooBench];
