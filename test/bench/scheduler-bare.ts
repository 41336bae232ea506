/**
 * The scheduler bench's baselines: the work of submitReview and of dailyQueue's reads, written
 * directly on each engine's driver (better-sqlite3; node-postgres `pg`) with ts-fsrs, no drizzle
 * and no models. The app's figure beside these is what the data layer costs.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { Rating, type Card, type State } from 'ts-fsrs';
import { schedulerSettingsOf } from '../../app/models/review.server';
import { fromFsrsCard, LEECH_LAPSES, schedulerFor } from '../../app/scheduling/scheduler';
import { studyDayBounds } from '../../app/scheduling/study-day';

/** Records one Good answer to `itemId` (a card the user has) as review `clientReviewId`, in one transaction. */
export type BareReviewer = (userId: number, itemId: string, clientReviewId: string, now: number) => void | Promise<void>;
/** Builds the user's queue at `now`; its length. */
export type BareQueue = (userId: number, now: number) => number | Promise<number>;

interface CardColumns {
  id: number;
  due: number;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review: number | null;
  leech: boolean;
}

/** The card after a Good answer, with what both engines write: the update's values and the review's. */
function answerGood(row: CardColumns, settings: { desired_retention: number; max_interval_days: number }, now: number) {
  const before: Card = {
    due: new Date(row.due),
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsed_days,
    scheduled_days: row.scheduled_days,
    learning_steps: row.learning_steps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state as State,
    ...(row.last_review === null ? {} : { last_review: new Date(row.last_review) }),
  };
  const f = schedulerFor(schedulerSettingsOf({ desiredRetention: settings.desired_retention, maxIntervalDays: settings.max_interval_days }));
  const after = f.next(before, new Date(now), Rating.Good).card;
  const leech = row.leech || after.lapses >= LEECH_LAPSES;
  return {
    update: [
      after.due.getTime(),
      after.stability,
      after.difficulty,
      after.elapsed_days,
      after.scheduled_days,
      after.learning_steps,
      after.reps,
      after.lapses,
      after.state,
      after.last_review?.getTime() ?? null,
    ] as const,
    leech,
    stateBefore: JSON.stringify(fromFsrsCard(before, row.leech)),
    stateAfter: JSON.stringify(fromFsrsCard(after, leech)),
  };
}

const REVIEW_COLUMNS = `user_id, client_review_id, item_id, card_id, variant_seed, raw_answer, read_as, correct, misconception, rating, suggested_rating, duration_ms, hinted, state_before, state_after, reviewed_at`;
const READ_AS = '{"kind":"count","value":42}';

export function bareSqliteReviewer(sqlite: BetterSqlite3.Database): BareReviewer {
  const existing = sqlite.prepare('select * from reviews where user_id = ? and client_review_id = ?');
  const settings = sqlite.prepare('select desired_retention, max_interval_days from users where id = ?');
  const card = sqlite.prepare('select * from cards where user_id = ? and item_id = ?');
  const update = sqlite.prepare(
    'update cards set due = ?, stability = ?, difficulty = ?, elapsed_days = ?, scheduled_days = ?, learning_steps = ?, reps = ?, lapses = ?, state = ?, last_review = ?, leech = ? where id = ?',
  );
  const insert = sqlite.prepare(`insert into reviews (${REVIEW_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, 0, ?, ?, ?) returning *`);
  return sqlite.transaction((userId: number, itemId: string, clientReviewId: string, now: number) => {
    if (existing.get(userId, clientReviewId)) return;
    const s = settings.get(userId) as { desired_retention: number; max_interval_days: number };
    const row = card.get(userId, itemId) as Omit<CardColumns, 'leech'> & { leech: number };
    const next = answerGood({ ...row, leech: row.leech === 1 }, s, now);
    update.run(...next.update, next.leech ? 1 : 0, row.id);
    insert.get(userId, clientReviewId, itemId, row.id, 1, '42', READ_AS, 1, Rating.Good, Rating.Good, 4000, next.stateBefore, next.stateAfter, now);
  }).immediate;
}

/** A named statement: node-postgres prepares it once per pooled connection. */
const named = (name: string, text: string) => (values: unknown[]) => ({ name: `bench_${name}`, text, values });

/** bigint columns arrive as strings from node-postgres. */
function cardOf(row: Record<string, unknown>): CardColumns {
  return { ...(row as unknown as CardColumns), due: Number(row.due), last_review: row.last_review === null ? null : Number(row.last_review) };
}

export function barePostgresReviewer(pool: pg.Pool): BareReviewer {
  // The user's row, locked: a second post of the same review waits here, then finds the first.
  const settings = named('settings', 'select desired_retention, max_interval_days from users where id = $1 for update');
  const existing = named('existing', 'select * from reviews where user_id = $1 and client_review_id = $2');
  const card = named('card', 'select * from cards where user_id = $1 and item_id = $2');
  const update = named(
    'update',
    'update cards set due = $1, stability = $2, difficulty = $3, elapsed_days = $4, scheduled_days = $5, learning_steps = $6, reps = $7, lapses = $8, state = $9, last_review = $10, leech = $11 where id = $12',
  );
  const insert = named('insert', `insert into reviews (${REVIEW_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, null, $9, $10, $11, false, $12, $13, $14) returning *`);
  return async (userId, itemId, clientReviewId, now) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const {
        rows: [s],
      } = await client.query(settings([userId]));
      if ((await client.query(existing([userId, clientReviewId]))).rows.length === 0) {
        const {
          rows: [row],
        } = await client.query(card([userId, itemId]));
        const c = cardOf(row!);
        const next = answerGood(c, s!, now);
        await client.query(update([...next.update, next.leech, c.id]));
        await client.query(insert([userId, clientReviewId, itemId, c.id, 1, '42', READ_AS, true, Rating.Good, Rating.Good, 4000, next.stateBefore, next.stateAfter, now]));
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
  };
}

/**
 * The queue's reads in plain SQL: the user's settings, today's reviews, due learning cards,
 * the head of due reviews by retrievability (limit left + 32) with the visibility of their
 * items, and the new items, cut to the day's limits. No topic interleaving or burying
 * (app/scheduling/queue-order.ts, plain code): the baseline is the SQL. One text per read,
 * written once: each engine passes its parameter syntax, JSON field, two-argument max and false.
 */
interface QueueSql {
  user: string;
  today: string;
  learning: string;
  head: string;
  fresh: string;
}

type Param = (name: string) => string;

function queueSql(p: Param, json: (column: string, key: string) => string, larger: (a: string, b: string) => string, falsy: string): QueueSql {
  const studied = `(b.source = 'content' or b.id in (select cb.bank_id from class_banks cb join memberships m on m.class_id = cb.class_id where m.user_id = ${p('userId')}))`;
  const lowestRetrievability = (c: string) => `${larger('0', `cast((${p('now')} - ${c}.last_review) / 86400000 as integer)`)} * 1.0 / ${c}.stability desc, ${c}.due, ${c}.id`;
  return {
    user: `select * from users where id = ${p('userId')}`,
    today: `select r.item_id, i.topic, i.family, ${json('r.state_before', 'state')} as state_before from reviews r join items i on i.id = r.item_id
            where r.user_id = ${p('userId')} and r.reviewed_at >= ${p('dayStart')} order by r.reviewed_at, r.id`,
    learning: `select c.*, i.topic, i.family from cards c join items i on i.id = c.item_id join banks b on b.id = i.bank_id
               where c.user_id = ${p('userId')} and c.state in (1, 3) and c.due <= ${p(
      'now',
    )} and c.suspended = ${falsy} and i.retired_at is null and ${studied} order by c.due, c.id`,
    head: `select h.*, i.topic, i.family, (i.retired_at is null and ${studied}) as visible
           from (select * from cards c where c.user_id = ${p('userId')} and c.state = 2 and c.due < ${p('dayEnd')} and c.suspended = ${falsy}
                 order by ${lowestRetrievability('c')} limit ${p('limit')}) h
           join items i on i.id = h.item_id join banks b on b.id = i.bank_id
           order by ${lowestRetrievability('h')}`,
    fresh: `select i.id, i.topic, i.family from items i join banks b on b.id = i.bank_id left join cards c on c.item_id = i.id and c.user_id = ${p('userId')}
            where i.retired_at is null and ${studied} and (c.id is null or (c.state = 0 and c.suspended = ${falsy})) order by i.bank_id, i.position`,
  };
}

interface QueueReads {
  user(
    userId: number,
  ):
    | Promise<{ time_zone: string; rollover_hour: number; reviews_per_day: number; new_per_day: number }>
    | { time_zone: string; rollover_hour: number; reviews_per_day: number; new_per_day: number };
  today(userId: number, dayStart: number): Promise<{ state_before: number }[]> | { state_before: number }[];
  learning(userId: number, now: number): Promise<unknown[]> | unknown[];
  head(userId: number, now: number, dayEnd: number, limit: number): Promise<{ visible: boolean }[]> | { visible: boolean }[];
  fresh(userId: number): Promise<unknown[]> | unknown[];
}

/** The queue from its reads, the same steps on both engines. */
function queueOf(reads: QueueReads): BareQueue {
  return async (userId, now) => {
    const u = await reads.user(userId);
    const bounds = studyDayBounds(new Date(now), u.time_zone, u.rollover_hour);
    const done = await reads.today(userId, bounds.start.getTime());
    const reviewsLeft = u.reviews_per_day - done.filter((r) => r.state_before === 2).length;
    const newLeft = u.new_per_day - done.filter((r) => r.state_before === 0).length;
    const due = await reads.learning(userId, now);
    const reviews = reviewsLeft > 0 ? (await reads.head(userId, now, bounds.end.getTime(), reviewsLeft + 32)).filter((r) => r.visible).slice(0, reviewsLeft) : [];
    const news = newLeft > 0 ? (await reads.fresh(userId)).slice(0, newLeft) : [];
    return due.length + reviews.length + news.length;
  };
}

export function bareSqliteQueue(sqlite: BetterSqlite3.Database): BareQueue {
  const text = queueSql(
    (name) => `@${name}`,
    (column, key) => `json_extract(${column}, '$.${key}')`,
    (a, b) => `max(${a}, ${b})`,
    '0',
  );
  const st = Object.fromEntries(Object.entries(text).map(([k, v]) => [k, sqlite.prepare(v)])) as Record<keyof QueueSql, BetterSqlite3.Statement>;
  return queueOf({
    user: (userId) => st.user.get({ userId }) as Awaited<ReturnType<QueueReads['user']>>,
    today: (userId, dayStart) => st.today.all({ userId, dayStart }) as { state_before: number }[],
    learning: (userId, now) => st.learning.all({ userId, now }),
    head: (userId, now, dayEnd, limit) => (st.head.all({ userId, now, dayEnd, limit }) as { visible: number }[]).map((r) => ({ ...r, visible: r.visible === 1 })),
    fresh: (userId) => st.fresh.all({ userId }),
  });
}

export function barePostgresQueue(pool: pg.Pool): BareQueue {
  // Numbered parameters in a fixed order per statement: each statement names the ones it uses.
  const numbered = (order: string[]) => (name: string) => `$${order.indexOf(name) + 1}::${name === 'userId' || name === 'limit' ? 'int' : 'bigint'}`;
  const order = { user: ['userId'], today: ['userId', 'dayStart'], learning: ['userId', 'now'], head: ['userId', 'now', 'dayEnd', 'limit'], fresh: ['userId'] };
  const statements = Object.fromEntries(
    (Object.keys(order) as (keyof QueueSql)[]).map((key) => {
      const text = queueSql(
        numbered(order[key]),
        (column, k) => `((${column})::json ->> '${k}')::integer`,
        (a, b) => `greatest(${a}, ${b})`,
        'false',
      )[key];
      return [key, named(`queue_${key}`, text)];
    }),
  ) as Record<keyof QueueSql, ReturnType<typeof named>>;
  const run = async <T>(key: keyof QueueSql, values: unknown[]) => (await pool.query(statements[key](values))).rows as T[];
  return queueOf({
    user: async (userId) => (await run<Awaited<ReturnType<QueueReads['user']>>>('user', [userId]))[0]!,
    today: (userId, dayStart) => run('today', [userId, dayStart]),
    learning: (userId, now) => run('learning', [userId, now]),
    head: (userId, now, dayEnd, limit) => run('head', [userId, now, dayEnd, limit]),
    fresh: (userId) => run('fresh', [userId]),
  });
}
