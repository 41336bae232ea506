import type { Benchmark } from './harness';
import { engineBenchmarks } from './engine.bench';
import { schedulerBenchmarks } from './scheduler.bench';

/** Every benchmark; each area adds its own file beside this one and lists it here. */
export const benchmarks: Benchmark[] = [...engineBenchmarks, ...schedulerBenchmarks];
