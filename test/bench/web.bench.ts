/**
 * The engine panel in Chromium (software WebGL here) and the review page's first-load JavaScript.
 *
 * web.engine_check.*: /engine-check?questions=20 shows the engine panel of 20 varied question
 * variants one after another in one page (benchQuestions: every family with a network), as a
 * student meets them. The first check pays for the worker, tfjs and WebGL; later ones reuse them.
 * Each time is the panel's own (data-ms: from the check's start to its verdict on screen). Baseline:
 * the engine's own analysis (analyze) of the same specs in this process, median.
 *
 * web.review.first_load_js_gz_kb: the gzip size of the scripts /review loads before interaction,
 * from the build's metafile (test/support/bundle.ts); baseline, the framework alone (entry + root).
 * Needs a build (`npm run build`).
 */
import { analyze } from '../../engine/analysis';
import { benchQuestions } from '../../app/engine-worker/bench-questions';
import { launchBrowser, waitForHydration } from '../support/browser';
import { firstLoadJs } from '../support/bundle';
import { startServer } from '../support/server';
import { medianMs, percentile, record, type Benchmark, type BenchRecord } from './harness';

const QUESTIONS = 20;

const engineCheck: Benchmark = {
  name: 'web.engine_check',
  async run(): Promise<BenchRecord[]> {
    const specs = benchQuestions(QUESTIONS).map((v) => v.spec!);
    const analyzeMs = percentile(await Promise.all(specs.map((s) => medianMs(() => analyze(s), 5, 1))), 50);
    const baseline = { name: 'web.engine_check.analyze_median_ms', value: analyzeMs };
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/engine-check?questions=${QUESTIONS}`);
      await waitForHydration(page, 'main button');
      const times: number[] = [];
      const failed: string[] = [];
      for (let i = 0; i < QUESTIONS; i++) {
        const panel = page.locator(`[data-testid="question-checks"][data-index="${i}"] [data-testid="engine-panel"]`);
        await page.waitForFunction((n) => document.querySelector(`[data-testid="question-checks"][data-index="${n}"] [data-testid="engine-panel"][data-state="done"], [data-testid="engine-panel"][data-state="error"]`) !== null, i, { timeout: 120_000 });
        times.push(Number(await panel.getAttribute('data-ms')));
        if ((await panel.getAttribute('data-ok')) !== 'true' || (await panel.getAttribute('data-backend')) !== 'webgl') {
          failed.push(`question ${i + 1}: ok=${await panel.getAttribute('data-ok')} backend=${await panel.getAttribute('data-backend')} ${await panel.textContent()}`);
        }
        if (i + 1 < QUESTIONS) await page.getByRole('button', { name: 'Next question' }).click();
      }
      // A figure for a check that did not agree, or did not run on WebGL in the worker, would not be the figure asked for.
      if (failed.length > 0) throw new Error(`engine panel: ${failed.join('\n')}`);
      const later = times.slice(1);
      return [
        record('web.engine_check.first_ms', times[0]!, 'ms', baseline),
        record('web.engine_check.later_median_ms', percentile(later, 50), 'ms', baseline),
        record('web.engine_check.later_max_ms', Math.max(...later), 'ms', baseline),
      ];
    } finally {
      await browser.close();
      await server.stop();
    }
  },
};

const reviewBundle: Benchmark = {
  name: 'web.review.first_load_js',
  async run(): Promise<BenchRecord[]> {
    const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
    const framework = firstLoadJs(null);
    return [record('web.review.first_load_js_gz_kb', kb(firstLoadJs('review.tsx').gzipBytes), 'KB', { name: 'web.framework.first_load_js_gz_kb', value: kb(framework.gzipBytes) })];
  },
};

export const webBenchmarks: Benchmark[] = [engineCheck, reviewBundle];
