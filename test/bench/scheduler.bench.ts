/**
 * scheduler.*: reviews committed per second through submitReview, and the latency (p50, p99)
 * of the queue /review builds on every page (its loader calls dailyQueue and shows the first
 * entry), on a database already holding 200 users × 1,000 items and 1,000,000 reviews; each
 * beside the same work written directly on better-sqlite3 and ts-fsrs (scheduler.bare.*),
 * measured in the same run, the two alternating.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { Rating, State, type Card } from 'ts-fsrs';
import { openDatabase, type Db } from '../../db/client';
import { loadContentBank, type BankItemInput } from '../../app/models/bank.server';
import { dailyQueue } from '../../app/models/queue.server';
import { schedulerSettingsOf, submitReview } from '../../app/models/review.server';
import { fromFsrsCard, LEECH_LAPSES, schedulerFor } from '../../app/scheduling/scheduler';
import { studyDayBounds } from '../../app/scheduling/study-day';
import { createRng } from '../../engine/random';
import { percentile, record, type Benchmark, type BenchRecord } from './harness';

export interface SchedulerBenchSize {
  users: number;
  items: number;
  reviewsPerCard: number;
  /** Reviews timed per loop (app and bare each). */
  timedReviews: number;
  /** Queue builds timed per loop. */
  timedQueries: number;
}

export const FULL_SIZE: SchedulerBenchSize = { users: 200, items: 1000, reviewsPerCard: 5, timedReviews: 4000, timedQueries: 2000 };

const DAY = 86_400_000;
const NOW = Date.parse('2024-06-15T12:00:00Z');
/** When the queues are built: six hours after the timed reviews, the same study day (UTC, rollover 04:00). */
const QUEUE_AT = NOW + 6 * 3_600_000;
const TOPICS = ['alexnet', 'vgg', 'googlenet', 'resnet', 'nin', 'wide-resnet', 'resnext', 'densenet', 'squeezenet', 'fractalnet'];
const FAMILIES = 40;

function bankItems(n: number): BankItemInput[] {
  return Array.from({ length: n }, (_, i) =>
    i % 5 === 0
      ? { id: `g${i}`, kind: 'generated', topic: TOPICS[i % TOPICS.length]!, family: `family-${i % FAMILIES}`, ranges: {}, difficulty: 2 }
      : { id: `f${i}`, kind: 'basic', topic: TOPICS[i % TOPICS.length]!, front: `Question ${i}?`, back: `Answer ${i}` },
  );
}

/** The stored JSON of a card state (the app's CardState shape). */
function stateJson(due: number, stability: number, difficulty: number, scheduledDays: number, reps: number, lapses: number, lastReview: number): string {
  return `{"due":${due},"stability":${stability},"difficulty":${difficulty},"elapsedDays":0,"scheduledDays":${scheduledDays},"learningSteps":0,"reps":${reps},"lapses":${lapses},"state":2,"lastReview":${lastReview},"leech":false}`;
}

/** Users, one content bank, a Review card per user and item, and `reviewsPerCard` reviews of each: prepared statements in large transactions. */
async function seed(db: Db, sqlite: Database.Database, size: SchedulerBenchSize): Promise<string[]> {
  await loadContentBank({ db, bank: { id: 'bench', title: 'Bench', items: bankItems(size.items) }, now: new Date(0) });
  const itemIds = bankItems(size.items).map((it) => `bench/${it.id}`);
  const insertUser = sqlite.prepare(`insert into users (email, display_name, password_hash, created_at) values (?, ?, 'scrypt$bench', 0)`);
  const insertCard = sqlite.prepare(
    `insert into cards (user_id, item_id, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review) values (?, ?, ?, ?, ?, 0, ?, 0, ?, ?, 2, ?)`,
  );
  const insertReview = sqlite.prepare(
    `insert into reviews (user_id, client_review_id, item_id, card_id, variant_seed, raw_answer, read_as, correct, rating, suggested_rating, duration_ms, hinted, state_before, state_after, reviewed_at)
     values (?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, 0, ?, ?, ?)`,
  );
  const rng = createRng(20240615);
  const seedUser = sqlite.transaction((u: number) => {
    const userId = Number(insertUser.run(`bench${u}@example.test`, `Bench ${u}`).lastInsertRowid);
    for (const itemId of itemIds) {
      const stability = Math.round((0.5 + rng.next() * 90) * 1000) / 1000;
      const difficulty = Math.round((1 + rng.next() * 9) * 1000) / 1000;
      const lastReview = NOW - rng.int(0, 60) * DAY - rng.int(0, DAY);
      const interval = Math.max(1, Math.round(stability));
      const due = lastReview + interval * DAY;
      const lapses = rng.int(0, 3);
      const cardId = Number(insertCard.run(userId, itemId, due, stability, difficulty, interval, size.reviewsPerCard, lapses, lastReview).lastInsertRowid);
      let at = lastReview - size.reviewsPerCard * 3 * DAY;
      for (let k = 0; k < size.reviewsPerCard; k++) {
        const after = k === size.reviewsPerCard - 1 ? lastReview : at + 3 * DAY;
        const rating = 1 + rng.int(0, 3);
        insertReview.run(userId, `seed-${cardId}-${k}`, itemId, cardId, rng.int(0, 2 ** 31), String(k), rating > 1 ? 1 : 0, rating, rating, rng.int(1000, 30000),
          stateJson(at, stability, difficulty, 3, k, lapses, at - 3 * DAY), stateJson(after, stability, difficulty, 3, k + 1, lapses, at), at);
        at = after;
      }
    }
    return userId;
  });
  // Seeding needs no durability: no syncs until the timed loops, which run as the app does.
  sqlite.pragma('synchronous = OFF');
  for (let u = 0; u < size.users; u++) seedUser(u);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('optimize');
  return itemIds;
}

/** The bare review loop: the same work as submitReview, on better-sqlite3 and ts-fsrs alone. */
function bareReviewer(sqlite: Database.Database) {
  const existing = sqlite.prepare('select * from reviews where user_id = ? and client_review_id = ?');
  const settings = sqlite.prepare('select desired_retention, max_interval_days from users where id = ?');
  const card = sqlite.prepare('select * from cards where user_id = ? and item_id = ?');
  const update = sqlite.prepare(
    'update cards set due = ?, stability = ?, difficulty = ?, elapsed_days = ?, scheduled_days = ?, learning_steps = ?, reps = ?, lapses = ?, state = ?, last_review = ?, leech = ? where id = ?',
  );
  const insert = sqlite.prepare(
    `insert into reviews (user_id, client_review_id, item_id, card_id, variant_seed, raw_answer, read_as, correct, misconception, rating, suggested_rating, duration_ms, hinted, state_before, state_after, reviewed_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, 0, ?, ?, ?) returning *`,
  );
  type CardRow = { id: number; due: number; stability: number; difficulty: number; elapsed_days: number; scheduled_days: number; learning_steps: number; reps: number; lapses: number; state: number; last_review: number | null; leech: number };
  return sqlite
    .transaction((userId: number, itemId: string, clientReviewId: string, now: number) => {
      if (existing.get(userId, clientReviewId)) return;
      const s = settings.get(userId) as { desired_retention: number; max_interval_days: number };
      const row = card.get(userId, itemId) as CardRow;
      const before: Card = { due: new Date(row.due), stability: row.stability, difficulty: row.difficulty, elapsed_days: row.elapsed_days, scheduled_days: row.scheduled_days, learning_steps: row.learning_steps, reps: row.reps, lapses: row.lapses, state: row.state as State, ...(row.last_review === null ? {} : { last_review: new Date(row.last_review) }) };
      const f = schedulerFor(schedulerSettingsOf({ desiredRetention: s.desired_retention, maxIntervalDays: s.max_interval_days }));
      const after = f.next(before, new Date(now), Rating.Good).card;
      const leech = row.leech === 1 || after.lapses >= LEECH_LAPSES;
      update.run(after.due.getTime(), after.stability, after.difficulty, after.elapsed_days, after.scheduled_days, after.learning_steps, after.reps, after.lapses, after.state, after.last_review?.getTime() ?? null, leech ? 1 : 0, row.id);
      insert.get(userId, clientReviewId, itemId, row.id, 1, '42', '{"kind":"count","value":42}', 1, Rating.Good, Rating.Good, 4000,
        JSON.stringify(fromFsrsCard(before, row.leech === 1)), JSON.stringify(fromFsrsCard(after, leech)), now);
    })
    .immediate;
}

/**
 * The bare queue: the reads dailyQueue makes, in plain SQL: the user's settings, today's
 * reviews, due learning cards, the head of due reviews by retrievability (limit left + 32) with
 * the visibility of their items, and the new items, cut to the day's limits. No topic
 * interleaving or burying (app/scheduling/queue-order.ts, plain code): the baseline is the SQL.
 */
function bareQueue(sqlite: Database.Database) {
  const studied = `(b.source = 'content' or b.id in (select cb.bank_id from class_banks cb join memberships m on m.class_id = cb.class_id where m.user_id = @userId))`;
  const user = sqlite.prepare('select * from users where id = ?');
  const today = sqlite.prepare(`select r.item_id, i.topic, i.family, json_extract(r.state_before, '$.state') as state_before from reviews r join items i on i.id = r.item_id where r.user_id = ? and r.reviewed_at >= ? order by r.reviewed_at, r.id`);
  const learning = sqlite.prepare(
    `select c.*, i.topic, i.family from cards c join items i on i.id = c.item_id join banks b on b.id = i.bank_id
     where c.user_id = @userId and c.state in (1, 3) and c.due <= @now and c.suspended = 0 and i.retired_at is null and ${studied} order by c.due, c.id`,
  );
  const head = sqlite.prepare(
    `select h.*, i.topic, i.family, (i.retired_at is null and ${studied}) as visible
     from (select * from cards where user_id = @userId and state = 2 and due < @dayEnd and suspended = 0
           order by max(0, cast((@now - last_review) / 86400000 as integer)) * 1.0 / stability desc, due, id limit @limit) h
     join items i on i.id = h.item_id join banks b on b.id = i.bank_id
     order by max(0, cast((@now - h.last_review) / 86400000 as integer)) * 1.0 / h.stability desc, h.due, h.id`,
  );
  const fresh = sqlite.prepare(
    `select i.id, i.topic, i.family from items i join banks b on b.id = i.bank_id left join cards c on c.item_id = i.id and c.user_id = @userId
     where i.retired_at is null and ${studied} and (c.id is null or (c.state = 0 and c.suspended = 0)) order by i.bank_id, i.position`,
  );
  return (userId: number, now: number) => {
    const u = user.get(userId) as { time_zone: string; rollover_hour: number; reviews_per_day: number; new_per_day: number };
    const bounds = studyDayBounds(new Date(now), u.time_zone, u.rollover_hour);
    const done = today.all(userId, bounds.start.getTime()) as { state_before: number }[];
    const reviewsLeft = u.reviews_per_day - done.filter((r) => r.state_before === 2).length;
    const newLeft = u.new_per_day - done.filter((r) => r.state_before === 0).length;
    const due = learning.all({ userId, now });
    const reviews = reviewsLeft > 0 ? (head.all({ userId, now, dayEnd: bounds.end.getTime(), limit: reviewsLeft + 32 }) as { visible: number }[]).filter((r) => r.visible === 1).slice(0, reviewsLeft) : [];
    const news = newLeft > 0 ? fresh.all({ userId }).slice(0, newLeft) : [];
    return [...due, ...reviews, ...news];
  };
}

export async function runSchedulerBench(size: SchedulerBenchSize): Promise<BenchRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'stride-bench-'));
  try {
    const database = await openDatabase(join(dir, 'bench.db'));
    const { db } = database;
    const sqlite = database.sqlite!;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const itemIds = await seed(db, sqlite, size);
    const seedSeconds = (performance.now() - t0) / 1000;
    const seedCpu = process.cpuUsage(cpu0);
    const seeded = (sqlite.prepare('select count(*) as n from reviews').get() as { n: number }).n;

    // Reviews: app and bare alternate in rounds, on different items, so drift hits both alike.
    const bare = bareReviewer(sqlite);
    const rounds = 8;
    const perRound = Math.ceil(size.timedReviews / rounds);
    let appMs = 0;
    let bareMs = 0;
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      for (const loop of ['app', 'bare'] as const) {
        const start = performance.now();
        for (let i = 0; i < perRound; i++, n++) {
          const userId = 1 + (n % size.users);
          const itemId = itemIds[(Math.floor(n / size.users) * 7 + (loop === 'app' ? 0 : 1)) % itemIds.length]!;
          const now = NOW + n;
          if (loop === 'app') {
            await submitReview({ db, userId, itemId, clientReviewId: `app-${n}`, seed: 1, rawAnswer: '42', readAs: { kind: 'count', value: 42 }, correct: true, misconception: null, rating: Rating.Good, suggestedRating: Rating.Good, durationMs: 4000, hinted: false, now: new Date(now) });
          } else {
            bare(userId, itemId, `bare-${n}`, now);
          }
        }
        const ms = performance.now() - start;
        if (loop === 'app') appMs += ms;
        else bareMs += ms;
      }
    }
    const reviews = rounds * perRound;

    // The queue /review builds: the same random users for both, alternating per query.
    const bareQueueOf = bareQueue(sqlite);
    const rng = createRng(7);
    const appTimes: number[] = [];
    const bareTimes: number[] = [];
    let served = 0;
    for (let i = 0; i < size.timedQueries; i++) {
      const userId = rng.int(1, size.users);
      const now = QUEUE_AT + i;
      let start = performance.now();
      served += (await dailyQueue({ db, userId, now: new Date(now) })).entries.length;
      appTimes.push(performance.now() - start);
      start = performance.now();
      bareQueueOf(userId, now);
      bareTimes.push(performance.now() - start);
    }
    await database.close();
    const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));
    return [
      record('scheduler.seed_s', Number(seedSeconds.toFixed(2)), `s (${seeded.toLocaleString('en-US')} reviews)`),
      record('scheduler.seed_cpu_s', Number(((seedCpu.user + seedCpu.system) / 1e6).toFixed(2)), 's of CPU'),
      record('scheduler.reviews_per_s', rate(reviews, appMs), 'reviews/s', { name: 'scheduler.bare.reviews_per_s', value: rate(reviews, bareMs) }),
      record('scheduler.queue.p50_ms', percentile(appTimes, 50), 'ms', { name: 'scheduler.bare.queue.p50_ms', value: percentile(bareTimes, 50) }),
      record('scheduler.queue.p99_ms', percentile(appTimes, 99), 'ms', { name: 'scheduler.bare.queue.p99_ms', value: percentile(bareTimes, 99) }),
      record('scheduler.queue.entries', Math.round(served / size.timedQueries), 'entries per queue (mean)'),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const schedulerBenchmarks: Benchmark[] = [{ name: 'scheduler', run: () => runSchedulerBench(FULL_SIZE) }];
