/**
 * analytics.<engine>.*: the class analytics by region of a bank for 200 students and 100,000
 * reviews (50 items, 10 of them generated and turned into real families; 10 reviews a card),
 * beside the bare grouped query (one GROUP BY over the members' reviews by item and regions) in
 * the same run, app and bare alternating. Measured twice: with the seeded rows' regions null
 * (rebuilt at read from item + seed, the older rows' path) and after storing them in each row.
 * `BENCH_ANALYTICS_SIZE=small` for a smoke run.
 */
import { and, count, eq, inArray, isNotNull } from 'drizzle-orm';
import { regionAnalyticsOf } from '../../app/models/analytics.server';
import { regionsColumn } from '../../app/analytics/regions';
import type { Dialect } from '../../db/client';
import { classBanks, classes, items, memberships, reviews, users } from '../../db/schema';
import { families } from '../../engine/families';
import { paired, percentile, record, type Benchmark, type BenchRecord } from './harness';
import { benchDatabase } from './scheduler.bench';
import { seedSchedulerBench } from './scheduler-seed';

const FULL = { students: 200, items: 50, reviewsPerCard: 10, timed: 5 };
const SMALL = { students: 5, items: 10, reviewsPerCard: 3, timed: 2 };
const round = (ms: number) => Math.round(ms * 100) / 100;

export async function runAnalyticsBench(engine: Dialect, size = process.env.BENCH_ANALYTICS_SIZE === 'small' ? SMALL : FULL): Promise<BenchRecord[]> {
  const name = (figure: string) => `analytics.${engine}.${figure}`;
  const { database, dispose } = await benchDatabase(engine);
  try {
    const { db } = database;
    const { userIds } = await seedSchedulerBench(database, { users: size.students, items: size.items, reviewsPerCard: size.reviewsPerCard, timedReviews: 0, timedQueries: 0 });
    // The seed's generated items name placeholder families: give each a real one.
    const generated = await db.select({ id: items.id, content: items.content }).from(items).where(isNotNull(items.family));
    for (const [i, row] of generated.entries()) {
      const family = families[i % families.length]!.id;
      await db.update(items).set({ family, content: JSON.stringify({ ...JSON.parse(row.content), family }) }).where(eq(items.id, row.id));
    }
    const [instructor] = await db.insert(users).values({ email: 'bench-instructor@example.test', displayName: 'Instructor', passwordHash: 'scrypt$bench', role: 'instructor', createdAt: new Date(0) }).returning({ id: users.id });
    const [cls] = await db.insert(classes).values({ name: 'bench', instructorId: instructor!.id, joinCode: 'BENCH1', createdAt: new Date(0) }).returning({ id: classes.id });
    const classId = cls!.id;
    await db.insert(classBanks).values({ classId, bankId: 'bench', publishedAt: new Date(0) });
    await db.insert(memberships).values(userIds.map((userId) => ({ classId, userId, joinedAt: new Date(0) })));
    const memberIds = db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.classId, classId));
    const bare = () => db.select({ itemId: reviews.itemId, regions: reviews.regions, n: count() }).from(reviews).innerJoin(items, eq(items.id, reviews.itemId)).where(and(eq(items.bankId, 'bench'), inArray(reviews.userId, memberIds))).groupBy(reviews.itemId, reviews.regions);
    const [{ n }] = (await db.select({ n: count() }).from(reviews)) as [{ n: number }];
    const label = `${size.students} students, ${Number(n).toLocaleString('en-US')} reviews`;
    const app = async () => {
      const a = await regionAnalyticsOf({ db, bankId: 'bench', classId });
      if (a.attempts !== Number(n)) throw new Error(`${name('class')}: ${n} reviews seeded, the analytics count ${a.attempts}`);
    };
    const figure = (figureName: string, times: { appTimes: number[]; bareTimes: number[] }, unit: string) =>
      record(name(`${figureName}.p50_ms`), round(percentile(times.appTimes, 50)), unit, { name: name('bare.group_by_item_region.p50_ms'), value: round(percentile(times.bareTimes, 50)) });
    const out: BenchRecord[] = [figure('class.rebuilt_regions', await paired(size.timed, app, bare), `ms (${label}; regions rebuilt at read)`)];

    // Store each generated review's regions, as submitReview now does.
    const contents = new Map((await db.select({ id: items.id, bankId: items.bankId, content: items.content }).from(items).where(isNotNull(items.family))).map((r) => [r.id, r]));
    const rows = await db.select({ id: reviews.id, itemId: reviews.itemId, seed: reviews.variantSeed }).from(reviews).where(inArray(reviews.itemId, [...contents.keys()]));
    await db.transaction(async (tx) => {
      for (const r of rows) await tx.update(reviews).set({ regions: regionsColumn(contents.get(r.itemId)!, r.seed) }).where(eq(reviews.id, r.id));
    });
    out.push(figure('class.stored_regions', await paired(size.timed, app, bare), `ms (${label}; regions stored)`));
    return out;
  } finally {
    await dispose();
  }
}

export const analyticsBenchmarks: Benchmark[] = [
  { name: 'analytics.sqlite', run: () => runAnalyticsBench('sqlite') },
  { name: 'analytics.postgres', run: () => runAnalyticsBench('postgres') },
];
