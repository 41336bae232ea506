/**
 * exam.class_readiness.200.<engine>.*: classReadiness (the instructor's view of a class exam)
 * for a class of 200 students with 300 in-scope cards each (the scheduler bench's seed: a Review
 * card per user and item, 3 reviews each), exam 21 days ahead. Beside it, in the same run, the
 * two parts it is made of: the bare read of the members' in-scope cards (the floor of the
 * reading), and one member's forecast at the class's runs (classRunsFor) timed once and multiplied by 200 (the
 * floor of the computing: forecastReadiness itself). And what the student page's runs would cost
 * for the class: one member's forecast at its default runs (runsFor), × 200. And the reading
 * alone (classInputs) beside the bare read. The machine may be shared: the CPU time of the
 * call (cpu_ms) beside one forecast's × 200 says what the work costs, wall time what a user waits.
 */
import { FORECAST_SLOT_MS } from '../../app/models/forecast-cache.server';
import { and, eq, inArray } from 'drizzle-orm';
import { classInputs, classReadiness, classRunsFor } from '../../app/models/class-readiness.server';
import { schedulerSettingsOf } from '../../app/models/review.server';
import { cardStateOf } from '../../app/models/card.server';
import { forecastReadiness, runsFor, type ForecastInput } from '../../app/scheduling/readiness';
import type { Dialect } from '../../db/client';
import { cards, classes, exams, items, memberships, users } from '../../db/schema';
import { examOf } from '../../app/models/exam.server';
import { medianMs, paired, percentile, record, type Benchmark, type BenchRecord } from './harness';
import { benchDatabase } from './scheduler.bench';
import { DAY, NOW, seedSchedulerBench } from './scheduler-seed';

export interface ClassBenchSize {
  students: number;
  cards: number;
  /** Timed calls (app and bare each). */
  timed: number;
}

export const FULL_SIZE: ClassBenchSize = { students: 200, cards: 300, timed: 5 };
/** Seconds, for `BENCH_EXAM_CLASS_SIZE=small`. */
export const SMALL_SIZE: ClassBenchSize = { students: 10, cards: 50, timed: 2 };

/** A few hours after the seeded history's end. */
const AT = new Date(NOW + 3 * 3_600_000);
const EXAM_AT = new Date(NOW + 21 * DAY);
const round = (ms: number) => Math.round(ms * 10) / 10;

/** Median CPU time (user + system, ms) of this process over `n` calls: on a shared machine the work done, where wall time is the queue for a core. */
async function medianCpuMs(fn: () => unknown, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1000);
  }
  return percentile(times, 50);
}

export async function runClassReadinessBench(engine: Dialect, size: ClassBenchSize): Promise<BenchRecord[]> {
  const name = (figure: string) => `exam.class_readiness.${size.students}.${engine}.${figure}`;
  const { database, dispose } = await benchDatabase(engine);
  try {
    const { db } = database;
    const { userIds } = await seedSchedulerBench(database, { users: size.students, items: size.cards, reviewsPerCard: 3, timedReviews: 0, timedQueries: 0 });
    const [instructor] = await db.insert(users).values({ email: 'bench-instructor@example.test', displayName: 'Instructor', passwordHash: 'scrypt$bench', role: 'instructor', createdAt: new Date(0) }).returning({ id: users.id });
    const [cls] = await db.insert(classes).values({ name: 'bench', instructorId: instructor!.id, joinCode: 'BENCH1', createdAt: new Date(0) }).returning({ id: classes.id });
    const classId = cls!.id;
    await db.insert(memberships).values(userIds.map((userId) => ({ classId, userId, joinedAt: new Date(0) })));
    const [exam] = await db
      .insert(exams)
      .values({ ownerId: instructor!.id, classId, title: 'Bench exam', at: EXAM_AT, timeZone: 'UTC', target: 0.9, scope: JSON.stringify({ banks: ['bench'], topics: [], families: [] }), createdAt: AT })
      .returning({ id: exams.id });
    const examId = exam!.id;

    // The floor of the reading: the members' in-scope cards, one select, no forecast.
    const members = db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.classId, classId));
    const bareRead = () => db.select({ card: cards }).from(cards).innerJoin(items, eq(items.id, cards.itemId)).where(and(inArray(cards.userId, members), eq(items.bankId, 'bench')));
    const read = await bareRead();
    if (read.length !== size.students * size.cards) throw new Error(`exam.class_readiness: ${size.students * size.cards} cards seeded, the bare read finds ${read.length}`);

    let seen = 0;
    // Each cold call in a forecast-cache slot of its own (none served from the cache); then a kept one.
    let slot = 0;
    const coldNow = () => new Date(AT.getTime() + slot++ * FORECAST_SLOT_MS);
    const times = await paired(size.timed, async () => (seen = (await classReadiness({ db, userId: instructor!.id, examId, now: coldNow() })).members.length), bareRead);
    const keptNow = coldNow();
    await classReadiness({ db, userId: instructor!.id, examId, now: keptNow });
    const kept = await paired(size.timed, () => classReadiness({ db, userId: instructor!.id, examId, now: keptNow }), bareRead);
    if (seen !== size.students) throw new Error(`exam.class_readiness: ${size.students} members, classReadiness lists ${seen}`);
    const runs = classRunsFor(size.students * size.cards);
    const label = `${size.students} students × ${size.cards} in-scope cards, ${runs} runs each`;

    // The reading alone: classInputs (members, banks, items, cards, 30 days of reviews), beside the bare read.
    const [examRow] = await db.select().from(exams).where(eq(exams.id, examId));
    const reads = await paired(size.timed, () => classInputs(db, examOf(examRow!), AT), bareRead);

    // The floor of the computing: one member's forecast (their cards as the bare read gives them) at the class's runs, × students.
    const [user] = await db.select().from(users).where(eq(users.id, userIds[0]!));
    const input: ForecastInput = {
      cards: read.filter((r) => r.card.userId === userIds[0]).map((r) => ({ itemId: r.card.itemId, title: r.card.itemId, topic: 'bench', family: null, state: cardStateOf(r.card) })),
      exam: { at: EXAM_AT.getTime(), target: 0.9 },
      now: AT.getTime(),
      calendar: { timeZone: user!.timeZone, rolloverHour: user!.rolloverHour },
      settings: schedulerSettingsOf(user!),
      secondsPerReview: 10,
      newPerDay: user!.newPerDay,
      maxReviewsPerDay: user!.reviewsPerDay,
    };
    const one = await medianMs(() => forecastReadiness({ ...input, runs }), size.timed);
    const oneDefault = await medianMs(() => forecastReadiness(input), Math.min(3, size.timed));

    const appCpu = await medianCpuMs(() => classReadiness({ db, userId: instructor!.id, examId, now: coldNow() }), Math.min(3, size.timed));
    const oneCpu = await medianCpuMs(() => forecastReadiness({ ...input, runs }), size.timed * 4);

    const app = round(percentile(times.appTimes, 50));
    return [
      record(name('p50_ms'), app, `ms (${label})`, { name: name('bare.read_cards.p50_ms'), value: round(percentile(times.bareTimes, 50)) }),
      record(name('kept.p50_ms'), round(percentile(kept.appTimes, 50)), `ms (the same view again: the signature read, the forecasts kept)`, { name: name('p50_ms'), value: app }),
      record(name('reads.p50_ms'), round(percentile(reads.appTimes, 50)), `ms (classInputs: the class's members, banks, items, cards and 30 days of reviews)`, { name: name('bare.read_cards.p50_ms'), value: round(percentile(reads.bareTimes, 50)) }),
      record(name('vs_forecasts.p50_ms'), app, `ms (${label})`, { name: name(`one_forecast_x${size.students}.ms`), value: round(one * size.students) }),
      record(name('cpu_ms'), round(appCpu), `ms of CPU in this process (${label}; on PostgreSQL the server's share is not in it)`, { name: name(`one_forecast_x${size.students}.cpu_ms`), value: round(oneCpu * size.students) }),
      record(name(`default_runs_x${size.students}.ms`), round(oneDefault * size.students), `ms (what ${runsFor(size.cards, Math.round((EXAM_AT.getTime() - AT.getTime()) / 86_400_000) + 1)} runs a student, the student page's, would cost the class: one forecast × ${size.students})`, {
        name: name('p50_ms'),
        value: app,
      }),
    ];
  } finally {
    await dispose();
  }
}

const size = () => (process.env.BENCH_EXAM_CLASS_SIZE === 'small' ? SMALL_SIZE : FULL_SIZE);

/** SQLite first, then PostgreSQL: `stride bench exam.class` runs both. */
export const examClassBenchmarks: Benchmark[] = (['sqlite', 'postgres'] as const).map((engine) => ({ name: `exam.class_readiness.200.${engine}`, run: () => runClassReadinessBench(engine, size()) }));
