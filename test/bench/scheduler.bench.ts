/**
 * scheduler.<engine>.*: reviews committed per second through submitReview, and the latency
 * (p50, p99) of the queue /review builds on every page (its loader calls dailyQueue and shows
 * the first entry), on a database already holding 200 users × 1,000 items and 1,000,000
 * reviews; on SQLite, then on PostgreSQL (a fresh database on the test server,
 * TEST_DATABASE_URL); each beside the same work written directly on that engine's driver
 * (scheduler.<engine>.bare.*, test/bench/scheduler-bare.ts), measured in the same run, the two
 * alternating. One engine at a time: openDatabase points the models' tables at its engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Rating } from 'ts-fsrs';
import { dailyQueue } from '../../app/models/queue.server';
import { submitReview } from '../../app/models/review.server';
import { openDatabase, type Database, type Dialect } from '../../db/client';
import { createRng } from '../../engine/random';
import { createTestDatabase } from '../support/postgres';
import { percentile, record, type Benchmark, type BenchRecord } from './harness';
import { barePostgresQueue, barePostgresReviewer, bareSqliteQueue, bareSqliteReviewer, type BareQueue, type BareReviewer } from './scheduler-bare';
import { NOW, seedSchedulerBench, type SchedulerBenchSize } from './scheduler-seed';

export type { SchedulerBenchSize } from './scheduler-seed';

export const FULL_SIZE: SchedulerBenchSize = { users: 200, items: 1000, reviewsPerCard: 5, timedReviews: 4000, timedQueries: 2000 };
/** A few seconds an engine: for the smoke test and `BENCH_SCHEDULER_SIZE=small`. */
export const SMALL_SIZE: SchedulerBenchSize = { users: 10, items: 100, reviewsPerCard: 2, timedReviews: 160, timedQueries: 40 };

/** When the queues are built: six hours after the timed reviews, the same study day (UTC, rollover 04:00). */
const QUEUE_AT = NOW + 6 * 3_600_000;
const ROUNDS = 8;

async function count(database: Database, table: 'reviews'): Promise<number> {
  const [row] = await database.rows<{ n: number | string }>(sql`select count(*) as n from ${sql.identifier(table)}`);
  return Number(row!.n);
}

/** A fresh bench database on `engine`, opened for the app; `dispose` closes and removes it. */
export async function benchDatabase(engine: Dialect): Promise<{ database: Database; dispose(): Promise<void> }> {
  if (engine === 'postgres') {
    const target = await createTestDatabase();
    const database = await openDatabase(target.url);
    return {
      database,
      async dispose() {
        await database.close();
        await target.drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'stride-bench-'));
  const database = await openDatabase(join(dir, 'bench.db'));
  return {
    database,
    async dispose() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function bareLoopsOf(database: Database): { review: BareReviewer; queue: BareQueue } {
  return database.dialect === 'postgres'
    ? { review: barePostgresReviewer(database.pool!), queue: barePostgresQueue(database.pool!) }
    : { review: bareSqliteReviewer(database.sqlite!), queue: bareSqliteQueue(database.sqlite!) };
}

export async function runSchedulerBench(engine: Dialect, size: SchedulerBenchSize): Promise<BenchRecord[]> {
  const { database, dispose } = await benchDatabase(engine);
  try {
    const { db } = database;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const { itemIds, userIds } = await seedSchedulerBench(database, size);
    const seedSeconds = (performance.now() - t0) / 1000;
    const seedCpu = process.cpuUsage(cpu0);
    const seeded = await count(database, 'reviews');

    // Reviews: app and bare alternate in rounds, on different items, so drift hits both alike.
    const bare = bareLoopsOf(database);
    const perRound = Math.ceil(size.timedReviews / ROUNDS);
    let appMs = 0;
    let bareMs = 0;
    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const loop of ['app', 'bare'] as const) {
        const start = performance.now();
        for (let i = 0; i < perRound; i++, n++) {
          const userId = userIds[n % userIds.length]!;
          const itemId = itemIds[(Math.floor(n / userIds.length) * 7 + (loop === 'app' ? 0 : 1)) % itemIds.length]!;
          const now = NOW + n;
          if (loop === 'app') {
            await submitReview({
              db,
              userId,
              itemId,
              clientReviewId: `app-${n}`,
              seed: 1,
              rawAnswer: '42',
              readAs: { kind: 'count', value: 42 },
              correct: true,
              misconception: null,
              rating: Rating.Good,
              suggestedRating: Rating.Good,
              durationMs: 4000,
              hinted: false,
              now: new Date(now),
            });
          } else {
            await bare.review(userId, itemId, `bare-${n}`, now);
          }
        }
        const ms = performance.now() - start;
        if (loop === 'app') appMs += ms;
        else bareMs += ms;
      }
    }
    const reviews = ROUNDS * perRound;
    const stored = await count(database, 'reviews');
    if (stored !== seeded + 2 * reviews) throw new Error(`scheduler.${engine}: ${seeded} seeded + ${2 * reviews} timed reviews, but ${stored} stored`);

    // The queue /review builds: the same random users for both, alternating per query.
    const rng = createRng(7);
    const appTimes: number[] = [];
    const bareTimes: number[] = [];
    let served = 0;
    let bareServed = 0;
    for (let i = 0; i < size.timedQueries; i++) {
      const userId = userIds[rng.int(0, userIds.length - 1)]!;
      const now = QUEUE_AT + i;
      let start = performance.now();
      served += (await dailyQueue({ db, userId, now: new Date(now) })).entries.length;
      appTimes.push(performance.now() - start);
      start = performance.now();
      bareServed += await bare.queue(userId, now);
      bareTimes.push(performance.now() - start);
    }
    const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));
    const name = (figure: string) => `scheduler.${engine}.${figure}`;
    const bareOf = (figure: string, value: number) => ({ name: name(`bare.${figure}`), value });
    return [
      record(name('seed_s'), Number(seedSeconds.toFixed(2)), `s (${seeded.toLocaleString('en-US')} reviews)`),
      record(name('seed_cpu_s'), Number(((seedCpu.user + seedCpu.system) / 1e6).toFixed(2)), engine === 'postgres' ? 's of CPU (this process; not the server)' : 's of CPU'),
      record(name('reviews_per_s'), rate(reviews, appMs), 'reviews/s', bareOf('reviews_per_s', rate(reviews, bareMs))),
      record(name('queue.p50_ms'), percentile(appTimes, 50), 'ms', bareOf('queue.p50_ms', percentile(bareTimes, 50))),
      record(name('queue.p99_ms'), percentile(appTimes, 99), 'ms', bareOf('queue.p99_ms', percentile(bareTimes, 99))),
      record(name('queue.entries'), Math.round(served / size.timedQueries), 'entries per queue (mean)', bareOf('queue.entries', Math.round(bareServed / size.timedQueries))),
    ];
  } finally {
    await dispose();
  }
}

const size = () => (process.env.BENCH_SCHEDULER_SIZE === 'small' ? SMALL_SIZE : FULL_SIZE);

/** SQLite first, then PostgreSQL: `stride bench scheduler` runs both, in this order. */
export const schedulerBenchmarks: Benchmark[] = (['sqlite', 'postgres'] as const).map((engine) => ({ name: `scheduler.${engine}`, run: () => runSchedulerBench(engine, size()) }));
