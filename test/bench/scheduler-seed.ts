/**
 * The scheduler bench's database: users, one content bank, a Review card per user and item,
 * and `reviewsPerCard` reviews of each. One generator (one seed) makes the history, so both
 * engines hold the same cards and reviews; each engine's writer is its fastest plain path:
 * prepared statements in large transactions on better-sqlite3, multi-row INSERT … SELECT
 * FROM unnest(arrays) on PostgreSQL (a few thousand rows a statement, no COPY package needed).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { loadContentBank, type BankItemInput } from '../../app/models/bank.server';
import type { Database } from '../../db/client';
import { createRng } from '../../engine/random';

export interface SchedulerBenchSize {
  users: number;
  items: number;
  reviewsPerCard: number;
  /** Reviews timed per loop (app and bare each). */
  timedReviews: number;
  /** Queue builds timed per loop. */
  timedQueries: number;
}

export const DAY = 86_400_000;
/** The instant the seeded history leads up to; the timed reviews are made just after it. */
export const NOW = Date.parse('2024-06-15T12:00:00Z');
const TOPICS = ['alexnet', 'vgg', 'googlenet', 'resnet', 'nin', 'wide-resnet', 'resnext', 'densenet', 'squeezenet', 'fractalnet'];
const FAMILIES = 40;
const BANK_ID = 'bench';
/** Users written per PostgreSQL statement pair (cards, then their reviews). */
const PG_USERS_PER_BATCH = 10;

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

interface SeededReview {
  k: number;
  variantSeed: number;
  rating: number;
  durationMs: number;
  stateBefore: string;
  stateAfter: string;
  reviewedAt: number;
}

interface SeededCard {
  itemId: string;
  due: number;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  lapses: number;
  lastReview: number;
  reviews: SeededReview[];
}

/** The cards of each user in turn, with their review histories: the same sequence on every engine. */
function* seededHistories(size: SchedulerBenchSize, itemIds: string[]): Generator<SeededCard[]> {
  const rng = createRng(20240615);
  for (let u = 0; u < size.users; u++) {
    const cards: SeededCard[] = [];
    for (const itemId of itemIds) {
      const stability = Math.round((0.5 + rng.next() * 90) * 1000) / 1000;
      const difficulty = Math.round((1 + rng.next() * 9) * 1000) / 1000;
      const lastReview = NOW - rng.int(0, 60) * DAY - rng.int(0, DAY);
      const interval = Math.max(1, Math.round(stability));
      const lapses = rng.int(0, 3);
      const reviews: SeededReview[] = [];
      let at = lastReview - size.reviewsPerCard * 3 * DAY;
      for (let k = 0; k < size.reviewsPerCard; k++) {
        const after = k === size.reviewsPerCard - 1 ? lastReview : at + 3 * DAY;
        const rating = 1 + rng.int(0, 3);
        reviews.push({
          k,
          variantSeed: rng.int(0, 2 ** 31),
          rating,
          durationMs: rng.int(1000, 30000),
          stateBefore: stateJson(at, stability, difficulty, 3, k, lapses, at - 3 * DAY),
          stateAfter: stateJson(after, stability, difficulty, 3, k + 1, lapses, at),
          reviewedAt: at,
        });
        at = after;
      }
      cards.push({ itemId, due: lastReview + interval * DAY, stability, difficulty, scheduledDays: interval, lapses, lastReview, reviews });
    }
    yield cards;
  }
}

const userEmail = (u: number) => `bench${u}@example.test`;

function seedSqlite(sqlite: BetterSqlite3.Database, size: SchedulerBenchSize, itemIds: string[]): number[] {
  const insertUser = sqlite.prepare(`insert into users (email, display_name, password_hash, created_at) values (?, ?, 'scrypt$bench', 0)`);
  const insertCard = sqlite.prepare(
    `insert into cards (user_id, item_id, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review) values (?, ?, ?, ?, ?, 0, ?, 0, ?, ?, 2, ?)`,
  );
  const insertReview = sqlite.prepare(
    `insert into reviews (user_id, client_review_id, item_id, card_id, variant_seed, raw_answer, read_as, correct, rating, suggested_rating, duration_ms, hinted, state_before, state_after, reviewed_at)
     values (?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?, 0, ?, ?, ?)`,
  );
  const seedUser = sqlite.transaction((u: number, cards: SeededCard[]) => {
    const userId = Number(insertUser.run(userEmail(u), `Bench ${u}`).lastInsertRowid);
    for (const c of cards) {
      const cardId = Number(insertCard.run(userId, c.itemId, c.due, c.stability, c.difficulty, c.scheduledDays, size.reviewsPerCard, c.lapses, c.lastReview).lastInsertRowid);
      for (const r of c.reviews) {
        insertReview.run(userId, `seed-${cardId}-${r.k}`, c.itemId, cardId, r.variantSeed, String(r.k), r.rating > 1 ? 1 : 0, r.rating, r.rating, r.durationMs, r.stateBefore, r.stateAfter, r.reviewedAt);
      }
    }
    return userId;
  });
  // Seeding needs no durability: no syncs until the timed loops, which run as the app does.
  sqlite.pragma('synchronous = OFF');
  const userIds: number[] = [];
  let u = 0;
  for (const cards of seededHistories(size, itemIds)) userIds.push(seedUser(u++, cards));
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('optimize');
  return userIds;
}

async function seedPostgres(pool: pg.Pool, size: SchedulerBenchSize, itemIds: string[]): Promise<number[]> {
  const client = await pool.connect();
  let userIds: number[];
  try {
    // Seeding needs no durability (as synchronous = OFF on SQLite); this session only.
    await client.query('set synchronous_commit = off');
    const { rows: users } = await client.query<{ id: number; email: string }>(
      `insert into users (email, display_name, password_hash, created_at)
       select 'bench' || g || '@example.test', 'Bench ' || g, 'scrypt$bench', 0 from generate_series(0, $1::int - 1) g order by g
       returning id, email`,
      [size.users],
    );
    const idOf = new Map(users.map((r) => [r.email, r.id]));
    userIds = Array.from({ length: size.users }, (_, u) => idOf.get(userEmail(u))!);
    const batch = { cards: [[], [], [], [], [], [], [], []] as unknown[][], reviews: [[], [], [], [], [], [], [], [], []] as unknown[][] };
    const flush = async () => {
      if (batch.cards[0]!.length === 0) return;
      await client.query(
        `insert into cards (user_id, item_id, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review)
         select u, i, d, s, df, 0, sd, 0, ${size.reviewsPerCard}, l, 2, lr
         from unnest($1::int[], $2::text[], $3::bigint[], $4::float8[], $5::float8[], $6::int[], $7::int[], $8::bigint[]) as t(u, i, d, s, df, sd, l, lr)`,
        batch.cards,
      );
      // Each review finds its card by (user, item), so no ids travel back and forth.
      await client.query(
        `insert into reviews (user_id, client_review_id, item_id, card_id, variant_seed, raw_answer, read_as, correct, rating, suggested_rating, duration_ms, hinted, state_before, state_after, reviewed_at)
         select t.u, 'seed-' || c.id || '-' || t.k, t.i, c.id, t.vs, t.k::text, null, t.rating > 1, t.rating, t.rating, t.dur, false, t.sb, t.sa, t.at
         from unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::text[], $8::text[], $9::bigint[]) as t(u, i, k, vs, rating, dur, sb, sa, at)
         join cards c on c.user_id = t.u and c.item_id = t.i`,
        batch.reviews,
      );
      for (const column of [...batch.cards, ...batch.reviews]) column.length = 0;
    };
    let u = 0;
    for (const cards of seededHistories(size, itemIds)) {
      const userId = userIds[u++]!;
      for (const c of cards) {
        [userId, c.itemId, c.due, c.stability, c.difficulty, c.scheduledDays, c.lapses, c.lastReview].forEach((v, j) => batch.cards[j]!.push(v));
        for (const r of c.reviews) {
          [userId, c.itemId, r.k, r.variantSeed, r.rating, r.durationMs, r.stateBefore, r.stateAfter, r.reviewedAt].forEach((v, j) => batch.reviews[j]!.push(v));
        }
      }
      if (u % PG_USERS_PER_BATCH === 0) await flush();
    }
    await flush();
    await client.query('reset synchronous_commit');
  } finally {
    client.release();
  }
  // Statistics and the visibility map for the timed loops (SQLite's optimize, above).
  await pool.query('vacuum analyze');
  return userIds;
}

/**
 * Seeds the bench database `database` (opened by openDatabase): the bank through the app's
 * loadContentBank, the rest directly. Returns the item ids and the users' ids, in seed order.
 */
export async function seedSchedulerBench(database: Database, size: SchedulerBenchSize): Promise<{ itemIds: string[]; userIds: number[] }> {
  const items = bankItems(size.items);
  await loadContentBank({ db: database.db, bank: { id: BANK_ID, title: 'Bench', items }, now: new Date(0) });
  const itemIds = items.map((it) => `${BANK_ID}/${it.id}`);
  const userIds = database.dialect === 'postgres' ? await seedPostgres(database.pool!, size, itemIds) : seedSqlite(database.sqlite!, size, itemIds);
  return { itemIds, userIds };
}
