/**
 * optimizer.*: fsrs-rs's fit of a simulated student's history (test/support/fsrs-history.ts,
 * TRUE_PARAMETERS) of 10,000 and of 100,000 reviews, as a run does it: the history's items,
 * the time split, the fit on the older four fifths with the app's options. Beside each fit, in the
 * same run, the binding's evaluation of the defaults on the same training items (one pass of
 * the model over them, no training): the ratio is what the training costs over one pass. Beside
 * building the items, a bare sort of the same reviews by time. Memory: the resident set sampled
 * during one fit beside the resident set just before it (the binding's working memory), and the
 * process's high-water mark beside the mark when the suite starts; the held-out log loss of
 * the fitted set is beside the defaults'. The fit's time includes the binding's last progress
 * poll (FIT_POLL_MS at most), as a run's does.
 */
import { evaluate, fit, FIT_POLL_MS, itemsOf, timeSplit } from '../../app/scheduling/optimizer';
import { simulateHistory, toHistory, TRUE_PARAMETERS } from '../support/fsrs-history';
import { medianMs, record, type Benchmark, type BenchRecord } from './harness';

interface Size {
  /** The figure's name: fit_10k, fit_100k. */
  label: string;
  reviews: number;
  /** A simulation that makes at least `reviews` reviews (the first `reviews` are used). */
  cards: number;
  days: number;
  /** Timed fits (and evaluations). */
  runs: number;
}

const SIZES: Size[] = [
  { label: '10k', reviews: 10_000, cards: 1_000, days: 200, runs: 5 },
  { label: '100k', reviews: 100_000, cards: 8_000, days: 365, runs: 3 },
];

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const round = (ms: number) => Math.round(ms * 10) / 10;

async function runOptimizerBench(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const before = rssMb();
  for (const size of SIZES) {
    const t0 = performance.now();
    const sim = simulateHistory({ parameters: TRUE_PARAMETERS, cards: size.cards, days: size.days, seed: 1, skipDayChance: 0.1 });
    if (sim.reviews.length < size.reviews) throw new Error(`optimizer.${size.label}: the simulation made ${sim.reviews.length} reviews, not ${size.reviews}`);
    const history = toHistory(sim.reviews.slice(0, size.reviews), sim.timeZone, sim.rolloverHour);
    const simulateS = (performance.now() - t0) / 1000;
    const name = (figure: string) => `optimizer.${figure}_${size.label}`;

    let items = itemsOf(history);
    const itemsMs = await medianMs(() => (items = itemsOf(history)), size.runs);
    const sortMs = await medianMs(() => [...history].sort((a, b) => a.reviewedAt - b.reviewedAt), size.runs);
    const { train, test } = timeSplit(items.items);

    let fitted: number[] = [];
    const fitMs = await medianMs(async () => (fitted = await fit(train)), size.runs, 1);
    // The fit runs on the binding's thread: sample the resident set while it works.
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 5);
    await fit(train);
    clearInterval(sampler);
    const evaluateMs = await medianMs(() => evaluate(null, train), size.runs, 1);
    const onFitted = evaluate(fitted, test);
    const onDefaults = evaluate(null, test);

    records.push(
      record(name('simulate_s'), Number(simulateS.toFixed(2)), `s (${size.reviews.toLocaleString('en-US')} reviews of ${items.cards.toLocaleString('en-US')} cards)`),
      record(name('fit_ms'), round(fitMs), `ms (${train.length.toLocaleString('en-US')} training items, poll ${FIT_POLL_MS} ms)`, { name: name('evaluate_defaults_ms'), value: round(evaluateMs) }),
      record(name('items_ms'), round(itemsMs), `ms (${items.items.length.toLocaleString('en-US')} items)`, { name: name('bare_sort_ms'), value: round(sortMs) }),
      record(name('fit_peak_rss_mb'), mb(rssPeak), 'MB (resident, sampled every 5 ms during one fit)', { name: name('rss_before_fit_mb'), value: mb(rssBefore) }),
      record(name('peak_rss_mb'), rssMb(), 'MB (process high-water mark, the simulation included)', { name: 'optimizer.start_rss_mb', value: before }),
      record(name('held_out_log_loss'), Number(onFitted.logLoss.toFixed(4)), `(fitted set, ${test.length.toLocaleString('en-US')} held-out items)`, { name: name('held_out_log_loss_defaults'), value: Number(onDefaults.logLoss.toFixed(4)) }),
    );
  }
  return records;
}

export const optimizerBenchmarks: Benchmark[] = [{ name: 'optimizer', run: runOptimizerBench }];
