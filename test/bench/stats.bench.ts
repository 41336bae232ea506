/**
 * stats.<engine>.*: the statistics loaders on the scheduler bench's seed. studentStats for one
 * student with 5,000 cards and 100,000 reviews, for each period, beside a bare `count(*)` of the
 * same user's reviews (and a bare read of those reviews with their states: the floor under any
 * figure computed from them); classStats for a class of 200 students (100 items, 10 reviews a card:
 * 200,000 reviews), beside a bare `count(*)` of the members' reviews of the class's bank. App
 * and bare alternate, so drift hits both alike; the ratio is what the figures cost over a count.
 */
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { classStats, studentStats } from '../../app/models/stats.server';
import type { StatsPeriod } from '../../app/stats/types';
import type { Dialect } from '../../db/client';
import { classBanks, classes, items, memberships, reviews, users } from '../../db/schema';
import { paired, percentile, record, type Benchmark, type BenchRecord } from './harness';
import { benchDatabase } from './scheduler.bench';
import { NOW, seedSchedulerBench } from './scheduler-seed';

export interface StatsBenchSize {
  student: { cards: number; reviewsPerCard: number };
  class: { students: number; items: number; reviewsPerCard: number };
  /** Timed calls per figure (app and bare each). */
  timed: number;
}

export const FULL_SIZE: StatsBenchSize = { student: { cards: 5000, reviewsPerCard: 20 }, class: { students: 200, items: 100, reviewsPerCard: 10 }, timed: 5 };
/** Seconds, for a smoke run and `BENCH_STATS_SIZE=small`. */
export const SMALL_SIZE: StatsBenchSize = { student: { cards: 100, reviewsPerCard: 5 }, class: { students: 5, items: 20, reviewsPerCard: 3 }, timed: 3 };

const PERIODS: readonly StatsPeriod[] = ['month', 'year', 'all'];
/** Later the same day as the seeded history's end. */
const AT = new Date(NOW + 3 * 3_600_000);

const round = (ms: number) => Math.round(ms * 100) / 100;

export async function runStatsBench(engine: Dialect, size: StatsBenchSize): Promise<BenchRecord[]> {
  const name = (figure: string) => `stats.${engine}.${figure}`;
  const figure = (label: string, times: { appTimes: number[]; bareTimes: number[] }, bareLabel: string) =>
    record(name(`${label}.p50_ms`), round(percentile(times.appTimes, 50)), 'ms', { name: name(`bare.${bareLabel}.p50_ms`), value: round(percentile(times.bareTimes, 50)) });
  const out: BenchRecord[] = [];

  // One student, 100,000 reviews.
  {
    const { database, dispose } = await benchDatabase(engine);
    try {
      const { db } = database;
      const { userIds } = await seedSchedulerBench(database, { users: 1, items: size.student.cards, reviewsPerCard: size.student.reviewsPerCard, timedReviews: 0, timedQueries: 0 });
      const userId = userIds[0]!;
      const bare = async () => (await db.select({ n: count() }).from(reviews).where(eq(reviews.userId, userId)))[0]!.n;
      const n = await bare();
      const label = `${n.toLocaleString('en-US')} reviews`;
      // The floor under every period: reading the history's rows (their card states) at all, no figures.
      const read = () => db.select({ cardId: reviews.cardId, reviewedAt: reviews.reviewedAt, rating: reviews.rating, stateBefore: reviews.stateBefore, stateAfter: reviews.stateAfter }).from(reviews).where(eq(reviews.userId, userId)).orderBy(asc(reviews.reviewedAt));
      out.push({ ...figure('student.read_reviews', await paired(size.timed, read, bare), 'count_reviews'), unit: `ms (a bare select of the ${label} with their states)` });
      for (const period of PERIODS) {
        let seen = 0;
        const times = await paired(size.timed, async () => (seen = (await studentStats({ db, userId, now: AT, period, bankId: null })).heatmap.days.reduce((a, d) => a + d.reviews, 0)), bare);
        if (period === 'all' && seen !== n) throw new Error(`stats.${engine}: ${n} reviews seeded, the heatmap counts ${seen}`);
        out.push({ ...figure(`student.${period}`, times, 'count_reviews'), unit: `ms (1 student, ${label})` });
      }
    } finally {
      await dispose();
    }
  }

  // A class of 200 students.
  {
    const { database, dispose } = await benchDatabase(engine);
    try {
      const { db } = database;
      const c = size.class;
      const { userIds } = await seedSchedulerBench(database, { users: c.students, items: c.items, reviewsPerCard: c.reviewsPerCard, timedReviews: 0, timedQueries: 0 });
      const [instructor] = await db.insert(users).values({ email: 'bench-instructor@example.test', displayName: 'Instructor', passwordHash: 'scrypt$bench', role: 'instructor', createdAt: new Date(0) }).returning({ id: users.id });
      const [cls] = await db.insert(classes).values({ name: 'bench', instructorId: instructor!.id, joinCode: 'BENCH1', createdAt: new Date(0) }).returning({ id: classes.id });
      const classId = cls!.id;
      await db.insert(classBanks).values({ classId, bankId: 'bench', publishedAt: new Date(0) });
      await db.insert(memberships).values(userIds.map((userId) => ({ classId, userId, joinedAt: new Date(0) })));
      const bare = async () =>
        (
          await db
            .select({ n: count() })
            .from(reviews)
            .innerJoin(items, eq(items.id, reviews.itemId))
            .where(and(eq(items.bankId, 'bench'), inArray(reviews.userId, db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.classId, classId)))))
        )[0]!.n;
      const n = await bare();
      let counted = 0;
      const times = await paired(size.timed, async () => (counted = (await classStats({ db, instructorId: instructor!.id, classId, now: AT })).reviews), bare);
      if (counted !== n) throw new Error(`stats.${engine}: the class has ${n} reviews, classStats counts ${counted}`);
      out.push({ ...figure('class', times, 'count_class_reviews'), unit: `ms (${c.students} students, ${n.toLocaleString('en-US')} reviews)` });
    } finally {
      await dispose();
    }
  }
  return out;
}

const size = () => (process.env.BENCH_STATS_SIZE === 'small' ? SMALL_SIZE : FULL_SIZE);

/** SQLite first, then PostgreSQL: `stride bench stats` runs both. */
export const statsBenchmarks: Benchmark[] = (['sqlite', 'postgres'] as const).map((engine) => ({ name: `stats.${engine}`, run: () => runStatsBench(engine, size()) }));
