/**
 * exam.forecast.*: the readiness forecast (the exam plan simulated forward, Monte Carlo over the
 * outcomes) for one student with 1,000 and 10,000 in-scope cards on the scheduler bench's seed
 * (Review cards, stabilities 0.5–90 days, last seen up to 60 days ago; the default settings:
 * 20 new and 200 reviews a day), an exam 21 days ahead over the whole bank.
 *
 * Figures, each beside a baseline timed in the same run:
 * - `exam.forecast.<n>`: forecastReadiness on the student's input (the page's compute), against
 *   the bare ts-fsrs stepping of the same cards to the exam (every review passed, no exam rule,
 *   no Monte Carlo, no daily limit): the floor any simulation of these cards stands on.
 * - `exam.forecast.<n>.one_run`: the same forecast with one run, against the same floor: what the
 *   runs cost once the answer tree is shared.
 * - `exam.sqlite.student_readiness.<n>`: studentReadiness (read + forecast), against a bare select
 *   of the student's cards.
 */
import { eq } from 'drizzle-orm';
import { exams, cards } from '../../db/schema';
import { FORECAST_SLOT_MS } from '../../app/models/forecast-cache.server';
import { readinessInput, studentReadiness } from '../../app/models/readiness.server';
import { examsOf } from '../../app/models/exam.server';
import { forecastReadiness, type ForecastInput } from '../../app/scheduling/readiness';
import { Rating, schedulerFor, toFsrsCard } from '../../app/scheduling/scheduler';
import { percentile, record, type Benchmark, type BenchRecord } from './harness';
import { benchDatabase } from './scheduler.bench';
import { DAY, NOW, seedSchedulerBench } from './scheduler-seed';

const FULL_SIZES = [1000, 10_000];
const SMALL_SIZES = [100, 300];
/** Timed calls per figure (forecast and baseline alternate). */
const TIMED = 3;
const AT = new Date(NOW + 3 * 3_600_000);

/** Every card stepped by ts-fsrs through its dues to the exam, each review passed: no rule, one pass. */
function bareStepping(input: ForecastInput): number {
  const f = schedulerFor({ ...input.settings, fuzz: false });
  let reviews = 0;
  for (const c of input.cards) {
    let card = toFsrsCard(c.state);
    let t = Math.max(c.state.due, input.now);
    while (t < input.exam.at) {
      card = f.next(card, new Date(t), Rating.Good).card;
      reviews++;
      t = card.due.getTime();
    }
  }
  return reviews;
}

function alternate(n: number, a: () => unknown, b: () => unknown): { a: number[]; b: number[] } {
  a();
  b();
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    a();
    out.a.push(performance.now() - t0);
    t0 = performance.now();
    b();
    out.b.push(performance.now() - t0);
  }
  return out;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function runExamBench(sizes: readonly number[]): Promise<BenchRecord[]> {
  const out: BenchRecord[] = [];
  for (const n of sizes) {
    const { database, dispose } = await benchDatabase('sqlite');
    try {
      const { db } = database;
      const { userIds } = await seedSchedulerBench(database, { users: 1, items: n, reviewsPerCard: 1, timedReviews: 0, timedQueries: 0 });
      const userId = userIds[0]!;
      await db.insert(exams).values({ ownerId: userId, title: 'Bench exam', at: new Date(AT.getTime() + 21 * DAY), timeZone: 'UTC', target: 0.9, scope: JSON.stringify({ banks: ['bench'], topics: [], families: [] }), createdAt: AT });
      const exam = (await examsOf({ db, userId }))[0]!;
      const input = await readinessInput({ db, userId, exam, now: AT });
      if (input.cards.length !== n) throw new Error(`exam bench: ${n} cards seeded, ${input.cards.length} in scope`);
      const label = `${n.toLocaleString('en-US')} in-scope cards`;
      const floor = `exam.forecast.${n}.bare_fsrs_stepping`;

      let forecast = forecastReadiness(input);
      const full = alternate(TIMED, () => (forecast = forecastReadiness(input)), () => bareStepping(input));
      const bare = round(percentile(full.b, 50));
      const limit = forecast.limits.reachable ? 'target reached' : 'target out of reach';
      out.push(record(`exam.forecast.${n}`, round(percentile(full.a, 50)), `ms (p50; ${label}, ${forecast.runs} runs, ${Math.round(forecast.perDay[0]!.reviews)} reviews planned today, ${limit})`, { name: floor, value: bare }));
      const one = alternate(TIMED, () => forecastReadiness({ ...input, runs: 1 }), () => bareStepping(input));
      out.push(record(`exam.forecast.${n}.one_run`, round(percentile(one.a, 50)), `ms (p50; ${label}, 1 run)`, { name: floor, value: round(percentile(one.b, 50)) }));

      const page: number[] = [];
      const kept: number[] = [];
      const select: number[] = [];
      for (let i = 0; i <= TIMED; i++) {
        // Each cold load in a slot of its own, so none is served from the forecast cache; then the same load again, kept.
        const now = new Date(AT.getTime() + i * FORECAST_SLOT_MS);
        let t0 = performance.now();
        await studentReadiness({ db, userId, examId: exam.id, now });
        if (i > 0) page.push(performance.now() - t0);
        t0 = performance.now();
        await studentReadiness({ db, userId, examId: exam.id, now });
        if (i > 0) kept.push(performance.now() - t0);
        t0 = performance.now();
        await db.select().from(cards).where(eq(cards.userId, userId));
        if (i > 0) select.push(performance.now() - t0);
      }
      out.push(record(`exam.sqlite.student_readiness.${n}`, round(percentile(page, 50)), `ms (p50; read and forecast, ${label})`, { name: `exam.sqlite.bare.select_cards.${n}`, value: round(percentile(select, 50)) }));
      out.push(record(`exam.sqlite.student_readiness.${n}.kept`, round(percentile(kept, 50)), `ms (p50; read, and the forecast kept from the load before)`, { name: `exam.sqlite.student_readiness.${n}`, value: round(percentile(page, 50)) }));
    } finally {
      await dispose();
    }
  }
  return out;
}

const sizes = () => (process.env.BENCH_EXAM_SIZE === 'small' ? SMALL_SIZES : FULL_SIZES);

export const examBenchmarks: Benchmark[] = [{ name: 'exam.forecast', run: () => runExamBench(sizes()) }];
