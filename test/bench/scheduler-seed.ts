/**
 * The scheduler bench's database: users, one content bank, a Review card per user and item,
 * and `reviewsPerCard` reviews of each. One generator (one seed) makes the history, so both
 * engines hold the same cards and reviews; each engine's writer is its fastest plain path:
 * prepared statements in large transactions on better-sqlite3; on PostgreSQL multi-row
 * INSERT … SELECT FROM unnest(arrays), 50,000 reviews a statement on two connections, with the
 * foreign keys and the reviews' indexes re-created after the load (no COPY package needed).
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
      ? {
          id: `g${i}`,
          kind: 'generated',
          topic: TOPICS[i % TOPICS.length]!,
          family: `family-${i % FAMILIES}`,
          ranges: {},
          difficulty: 2,
        }
      : {
          id: `f${i}`,
          kind: 'basic',
          topic: TOPICS[i % TOPICS.length]!,
          front: `Question ${i}?`,
          back: `Answer ${i}`,
        },
  );
}

/**
 * The stored JSON of a seeded card state (the app's CardState shape), with holes $1…$6 for its
 * due, stability, difficulty, reps, lapses and lastReview: filled with numbers by SQLite's writer
 * (in JS, two million times a seed), with column expressions by PostgreSQL's (in the INSERT).
 */
const STATE_JSON = '{"due":$1,"stability":$2,"difficulty":$3,"elapsedDays":0,"scheduledDays":3,"learningSteps":0,"reps":$4,"lapses":$5,"state":2,"lastReview":$6,"leech":false}';
/** Literal text, hole number, literal text, …, literal text. */
const STATE_PIECES = STATE_JSON.split(/\$(\d)/);

type StateValues<T> = [due: T, stability: T, difficulty: T, reps: T, lapses: T, lastReview: T];

function stateJson(...values: StateValues<number>): string {
  let text = STATE_PIECES[0]!;
  for (let i = 1; i < STATE_PIECES.length; i += 2) text += values[Number(STATE_PIECES[i]) - 1]! + STATE_PIECES[i + 1]!;
  return text;
}

/** The same text built by PostgreSQL from column expressions (float8 prints as JS prints a number). */
function stateJsonSql(...values: StateValues<string>): string {
  return STATE_PIECES.map((piece, i) => (i % 2 === 0 ? `'${piece}'` : `(${values[Number(piece) - 1]})`)).join(' || ');
}

interface SeededReview {
  k: number;
  variantSeed: number;
  rating: number;
  durationMs: number;
  /** The card was due then; this review made it due REVIEW_GAP later (the last one at the card's lastReview). */
  reviewedAt: number;
}

/** Between one seeded review of a card and the next. */
const REVIEW_GAP = 3 * DAY;

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
      for (let k = 0; k < size.reviewsPerCard; k++) {
        const rating = 1 + rng.int(0, 3);
        reviews.push({
          k,
          variantSeed: rng.int(0, 2 ** 31),
          rating,
          durationMs: rng.int(1000, 30000),
          reviewedAt: lastReview - (size.reviewsPerCard - k) * REVIEW_GAP,
        });
      }
      cards.push({
        itemId,
        due: lastReview + interval * DAY,
        stability,
        difficulty,
        scheduledDays: interval,
        lapses,
        lastReview,
        reviews,
      });
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
        const at = r.reviewedAt;
        const before = stateJson(at, c.stability, c.difficulty, r.k, c.lapses, at - REVIEW_GAP);
        const after = stateJson(at + REVIEW_GAP, c.stability, c.difficulty, r.k + 1, c.lapses, at);
        insertReview.run(userId, `seed-${cardId}-${r.k}`, c.itemId, cardId, r.variantSeed, String(r.k), r.rating > 1 ? 1 : 0, r.rating, r.rating, r.durationMs, before, after, at);
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

/**
 * Runs the bulk load `fn` as PostgreSQL's manual advises ("Populating a Database"): the foreign
 * keys of `foreignKeysOf` and the secondary indexes of `indexesOf` come off before it and go back
 * after, each re-created from its own definition in the catalogue (one check and one index build
 * over all rows, not one per row: three quarters of the load's time was the foreign-key checks).
 */
async function withoutChecks(client: pg.PoolClient, foreignKeysOf: string[], indexesOf: string[], fn: () => Promise<void>): Promise<void> {
  const { rows: foreignKeys } = await client.query<{
    table: string;
    name: string;
    definition: string;
  }>(
    `select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as definition
     from pg_constraint where contype = 'f' and conrelid = any($1::regclass[])`,
    [foreignKeysOf],
  );
  // Indexes that back no constraint (the primary keys stay).
  const { rows: indexes } = await client.query<{
    name: string;
    definition: string;
  }>(
    `select indexname as name, indexdef as definition from pg_indexes
     where schemaname = current_schema() and tablename = any($1::text[]) and indexname not in (select conname from pg_constraint)`,
    [indexesOf],
  );
  for (const k of foreignKeys) await client.query(`alter table ${k.table} drop constraint "${k.name}"`);
  for (const i of indexes) await client.query(`drop index "${i.name}"`);
  await fn();
  for (const i of indexes) await client.query(i.definition);
  for (const k of foreignKeys) await client.query(`alter table ${k.table} add constraint "${k.name}" ${k.definition}`);
}

/** Columns of the batch arrays, in the order of the unnest() parameters below. */
interface PgBatch {
  cards: unknown[][];
  reviews: unknown[][];
}

const emptyBatch = (): PgBatch => ({ cards: Array.from({ length: 8 }, () => []), reviews: Array.from({ length: 7 }, () => []) });

async function writePgBatch(client: pg.PoolClient, size: SchedulerBenchSize, batch: PgBatch): Promise<void> {
  await client.query(
    `insert into cards (user_id, item_id, due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review)
     select u, i, d, s, df, 0, sd, 0, ${size.reviewsPerCard}, l, 2, lr
     from unnest($1::int[], $2::text[], $3::bigint[], $4::float8[], $5::float8[], $6::int[], $7::int[], $8::bigint[]) as t(u, i, d, s, df, sd, l, lr)`,
    batch.cards,
  );
  // Each review finds its card by (user, item), so no ids travel back and forth; its states are built here from the card.
  await client.query(
    `insert into reviews (user_id, client_review_id, item_id, card_id, variant_seed, raw_answer, read_as, correct, rating, suggested_rating, duration_ms, hinted, state_before, state_after, reviewed_at)
     select c.user_id, 'seed-' || c.id || '-' || t.k, c.item_id, c.id, t.vs, t.k::text, null, t.rating > 1, t.rating, t.rating, t.dur, false,
       ${stateJsonSql('t.at', 'c.stability', 'c.difficulty', 't.k', 'c.lapses', `t.at - ${REVIEW_GAP}`)},
       ${stateJsonSql(`t.at + ${REVIEW_GAP}`, 'c.stability', 'c.difficulty', 't.k + 1', 'c.lapses', 't.at')},
       t.at
     from unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::bigint[]) as t(u, i, k, vs, rating, dur, at)
     join cards c on c.user_id = t.u and c.item_id = t.i`,
    batch.reviews,
  );
}

async function seedPostgres(pool: pg.Pool, size: SchedulerBenchSize, itemIds: string[]): Promise<number[]> {
  // Two writers, taking batches in turn: one batch is written while the next is generated and the other written.
  const writers = [await pool.connect(), await pool.connect()];
  try {
    // Seeding needs no durability (as synchronous = OFF on SQLite); these sessions only.
    for (const w of writers) await w.query('set synchronous_commit = off');
    const { rows: users } = await writers[0]!.query<{ id: number; email: string }>(
      `insert into users (email, display_name, password_hash, created_at)
       select 'bench' || g || '@example.test', 'Bench ' || g, 'scrypt$bench', 0 from generate_series(0, $1::int - 1) g order by g
       returning id, email`,
      [size.users],
    );
    const idOf = new Map(users.map((r) => [r.email, r.id]));
    const userIds = Array.from({ length: size.users }, (_, u) => idOf.get(userEmail(u))!);
    // The reviews' indexes go; the cards' stay, for the join that finds each review's card.
    await withoutChecks(writers[0]!, ['cards', 'reviews'], ['reviews'], async () => {
      const writing: Promise<void>[] = writers.map(() => Promise.resolve());
      let batch = emptyBatch();
      let batches = 0;
      const flush = async () => {
        if (batch.cards[0]!.length === 0) return;
        const w = batches++ % writers.length;
        const full = batch;
        batch = emptyBatch();
        await writing[w];
        writing[w] = writePgBatch(writers[w]!, size, full);
        writing[w].catch(() => {}); // awaited below; the failure is reported there, not as an unhandled rejection
      };
      let u = 0;
      for (const cards of seededHistories(size, itemIds)) {
        const userId = userIds[u++]!;
        for (const c of cards) {
          [userId, c.itemId, c.due, c.stability, c.difficulty, c.scheduledDays, c.lapses, c.lastReview].forEach((v, j) => batch.cards[j]!.push(v));
          for (const r of c.reviews) [userId, c.itemId, r.k, r.variantSeed, r.rating, r.durationMs, r.reviewedAt].forEach((v, j) => batch.reviews[j]!.push(v));
        }
        if (u % PG_USERS_PER_BATCH === 0) await flush();
      }
      await flush();
      await Promise.all(writing);
    });
    for (const w of writers) await w.query('reset synchronous_commit');
    // Statistics and the visibility map for the timed loops (SQLite's optimize, above).
    await writers[0]!.query('vacuum analyze');
    return userIds;
  } finally {
    for (const w of writers) w.release();
  }
}

/**
 * Seeds the bench database `database` (opened by openDatabase): the bank through the app's
 * loadContentBank, the rest directly. Returns the item ids and the users' ids, in seed order.
 */
export async function seedSchedulerBench(database: Database, size: SchedulerBenchSize): Promise<{ itemIds: string[]; userIds: number[] }> {
  const items = bankItems(size.items);
  await loadContentBank({
    db: database.db,
    bank: { id: BANK_ID, title: 'Bench', items },
    now: new Date(0),
  });
  const itemIds = items.map((it) => `${BANK_ID}/${it.id}`);
  const userIds = database.dialect === 'postgres' ? await seedPostgres(database.pool!, size, itemIds) : seedSqlite(database.sqlite!, size, itemIds);
  return { itemIds, userIds };
}
