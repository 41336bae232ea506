import type { Benchmark } from './harness';
import { analyticsBenchmarks } from './analytics.bench';
import { engineBenchmarks } from './engine.bench';
import { examBenchmarks } from './exam.bench';
import { examClassBenchmarks } from './exam-class.bench';
import { examReviewBenchmarks } from './exam-review.bench';
import { httpBenchmark } from './http.bench';
import { importBenchmark } from './import.bench';
import { optimizerBenchmarks } from './optimizer.bench';
import { questionBenchmarks } from './questions.bench';
import { schedulerBenchmarks } from './scheduler.bench';
import { statsBenchmarks } from './stats.bench';
import { statsChartsBenchmark } from './stats-charts.bench';
import { studyBenchmarks } from './study.bench';
import { verifyBenchmarks } from './verify.bench';
import { webBenchmarks } from './web.bench';

/** Every benchmark; each area adds its own file beside this one and lists it here. */
export const benchmarks: Benchmark[] = [...engineBenchmarks, ...questionBenchmarks, ...schedulerBenchmarks, ...studyBenchmarks, ...statsBenchmarks, statsChartsBenchmark, ...verifyBenchmarks, ...optimizerBenchmarks, httpBenchmark, importBenchmark, ...examBenchmarks, ...examClassBenchmarks, ...examReviewBenchmarks, ...analyticsBenchmarks, ...webBenchmarks];
