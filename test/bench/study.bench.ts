/**
 * study.<engine>.*: one student with 5,000 cards and 100,000 reviews (the scheduler bench's seed,
 * one user): the latency (p50, p99) of the cards page (the default view, and a filtered and
 * sorted one) and of the daily queue /review builds, each beside a bare query measured in the same
 * run, the two alternating: one drizzle select of that user's cards (for the cards page) or of
 * their due cards (for the queue), no logic. The ratio is what the model's work costs on top.
 */
import { and, eq, lt } from 'drizzle-orm';
import { cardsPage, DEFAULT_QUERY, type CardsQuery } from '../../app/models/cards-page.server';
import { dailyQueue } from '../../app/models/queue.server';
import { cards } from '../../db/schema';
import type { Dialect } from '../../db/client';
import { State } from '../../app/scheduling/scheduler';
import { studyDayBounds } from '../../app/scheduling/study-day';
import { paired, percentile, record, type Benchmark, type BenchRecord } from './harness';
import { benchDatabase } from './scheduler.bench';
import { NOW, seedSchedulerBench } from './scheduler-seed';

export interface StudyBenchSize {
  cards: number;
  reviewsPerCard: number;
  /** Timed calls per figure (app and bare each). */
  timed: number;
}

export const FULL_SIZE: StudyBenchSize = { cards: 5000, reviewsPerCard: 20, timed: 200 };
/** A few seconds an engine: for the smoke test and `BENCH_STUDY_SIZE=small`. */
export const SMALL_SIZE: StudyBenchSize = { cards: 200, reviewsPerCard: 5, timed: 20 };

/** The filtered and sorted view: review cards that lapsed at least once, lowest recall first. */
const FILTERED: CardsQuery = { ...DEFAULT_QUERY, state: 'review', minLapses: 1, sort: 'retrievability', dir: 'asc' };
/** When the pages are read: later the same study day as the seeded history's end. */
const AT = NOW + 3 * 3_600_000;

export async function runStudyBench(engine: Dialect, size: StudyBenchSize): Promise<BenchRecord[]> {
  const { database, dispose } = await benchDatabase(engine);
  try {
    const { db } = database;
    const t0 = performance.now();
    const { userIds } = await seedSchedulerBench(database, { users: 1, items: size.cards, reviewsPerCard: size.reviewsPerCard, timedReviews: 0, timedQueries: 0 });
    const seedSeconds = (performance.now() - t0) / 1000;
    const userId = userIds[0]!;
    const now = new Date(AT);
    const dayEnd = studyDayBounds(now, 'UTC', 4).end;

    const first = await cardsPage({ db, userId, query: DEFAULT_QUERY, now });
    if (first.allCards !== size.cards) throw new Error(`study.${engine}: ${size.cards} cards seeded, but the cards page counts ${first.allCards}`);
    const bareCards = () => db.select().from(cards).where(eq(cards.userId, userId));
    const bareDue = () =>
      db
        .select()
        .from(cards)
        .where(and(eq(cards.userId, userId), eq(cards.state, State.Review), lt(cards.due, dayEnd), eq(cards.suspended, false)));

    const page = await paired(size.timed, () => cardsPage({ db, userId, query: DEFAULT_QUERY, now }), bareCards);
    const filtered = await paired(size.timed, () => cardsPage({ db, userId, query: FILTERED, now }), bareCards);
    let entries = 0;
    const queue = await paired(
      size.timed,
      async () => (entries = (await dailyQueue({ db, userId, now })).entries.length),
      bareDue,
    );
    const matched = (await cardsPage({ db, userId, query: FILTERED, now })).total;
    const due = (await bareDue()).length;

    const name = (figure: string) => `study.${engine}.${figure}`;
    const figures = (figure: string, times: { appTimes: number[]; bareTimes: number[] }) =>
      ([50, 99] as const).map((p) => record(name(`${figure}.p${p}_ms`), round(percentile(times.appTimes, p)), 'ms', { name: name(`bare.${figure}.p${p}_ms`), value: round(percentile(times.bareTimes, p)) }));
    return [
      record(name('seed_s'), Number(seedSeconds.toFixed(2)), `s (1 user, ${size.cards.toLocaleString('en-US')} cards, ${(size.cards * size.reviewsPerCard).toLocaleString('en-US')} reviews)`),
      ...figures('cards_page', page),
      ...figures('cards_page_filtered', filtered),
      ...figures('queue', queue),
      record(name('cards_page_filtered.matched'), matched, 'cards (review, lapsed, by recall)'),
      record(name('queue.entries'), entries, 'entries', { name: name('bare.queue.due'), value: due }),
    ];
  } finally {
    await dispose();
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const size = () => (process.env.BENCH_STUDY_SIZE === 'small' ? SMALL_SIZE : FULL_SIZE);

/** SQLite first, then PostgreSQL: `stride bench study` runs both. */
export const studyBenchmarks: Benchmark[] = (['sqlite', 'postgres'] as const).map((engine) => ({ name: `study.${engine}`, run: () => runStudyBench(engine, size()) }));
