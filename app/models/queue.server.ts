/**
 * The daily queue of one user: due learning cards, then due reviews (lowest retrievability
 * first, at most reviews-per-day a study day), then new items (at most new-per-day), topics
 * interleaved, answered families' siblings buried until tomorrow, suspended cards left out.
 * The SQL picks the candidates; app/scheduling/queue-order.ts orders them.
 */
import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, lt, lte, or, sql, type SQLWrapper } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { asInteger, jsonInteger, larger, prepared } from '../../db/sql';
import { banks, cards, classBanks, items, memberships, reviews, users, type CardRow } from '../../db/schema';
import { orderQueue, type QueueCandidate, type QueueEntry } from '../scheduling/queue-order';
import { LEECH_LAPSES, retrievability, State, type CardState } from '../scheduling/scheduler';
import { studyDayBounds } from '../scheduling/study-day';
import { cardStateOf } from './card.server';
import { schedulerSettingsOf } from './review.server';

/** What the review page says about a leech. */
export const LEECH_NOTICE = `You have forgotten this card ${LEECH_LAPSES} times or more: it is flagged as a leech. Rewrite it in your own words, look at its explanation again, or suspend it for now.`;

export interface QueueItem extends QueueEntry {
  /** ts-fsrs retrievability now, for review and learning cards; null for new items. */
  retrievability: number | null;
  /** A sentence to show beside the card (the leech notice), or null. */
  notice: string | null;
}

export interface DailyQueue {
  studyDay: string;
  nextDayStart: Date;
  entries: QueueItem[];
  /** Reviews and new items already done this study day. */
  done: { reviews: number; new: number };
  limits: { reviewsPerDay: number; newPerDay: number };
  /** Generated families answered today: their other items wait for tomorrow. */
  buriedFamilies: string[];
}

const DAY_MS = 86_400_000;

function prepareQueueStatements(db: Db) {
  const p = sql.placeholder;
  const studied = or(
    eq(banks.source, 'content'),
    inArray(
      banks.id,
      db
        .select({ bankId: classBanks.bankId })
        .from(classBanks)
        .innerJoin(memberships, eq(memberships.classId, classBanks.classId))
        .where(eq(memberships.userId, p('userId'))),
    ),
  );
  const cardCandidate = { card: cards, topic: items.topic, family: items.family };
  const dueCards = (state: ReturnType<typeof and>) =>
    db
      .select(cardCandidate)
      .from(cards)
      .innerJoin(items, eq(items.id, cards.itemId))
      .innerJoin(banks, eq(banks.id, items.bankId))
      .where(and(eq(cards.userId, p('userId')), state, eq(cards.suspended, false), isNull(items.retiredAt), studied));
  // R = (1 + F·t/S)^C falls as t/S grows, t in whole days as ts-fsrs counts them: the
  // largest t/S is the lowest retrievability. (better-sqlite3 binds numbers as reals: cast.)
  const lowestRetrievabilityFirst = (c: { lastReview: SQLWrapper; stability: SQLWrapper; due: SQLWrapper; id: SQLWrapper }) => [
    desc(sql`${larger(0, asInteger(sql`(${p('now')} - ${c.lastReview}) / ${DAY_MS}`))} * 1.0 / ${c.stability}`),
    asc(c.due),
    asc(c.id),
  ];
  const dueReview = and(eq(cards.userId, p('userId')), eq(cards.state, State.Review), lt(cards.due, sql`${p('dayEnd')}`), eq(cards.suspended, false));
  // The head of the due reviews: the first by retrievability, from the cards index alone; whether
  // each is visible is checked on those few rows (the visible ones are a prefix of the queue's).
  const head = db.select().from(cards).where(dueReview).orderBy(...lowestRetrievabilityFirst(cards)).limit(p('limit')).as('head');
  const headCard = Object.fromEntries(Object.keys(getTableColumns(cards)).map((k) => [k, head[k as keyof typeof head]])) as unknown as typeof cards._.columns;
  return {
    user: prepared(db.select().from(users).where(eq(users.id, p('userId'))), 'queue_user'),
    today: prepared(
      db
        .select({ itemId: reviews.itemId, topic: items.topic, family: items.family, stateBefore: jsonInteger(reviews.stateBefore, 'state') })
        .from(reviews)
        .innerJoin(items, eq(items.id, reviews.itemId))
        .where(and(eq(reviews.userId, p('userId')), gte(reviews.reviewedAt, sql`${p('dayStart')}`)))
        .orderBy(asc(reviews.reviewedAt), asc(reviews.id)),
      'queue_today',
    ),
    learning: prepared(
      dueCards(and(inArray(cards.state, [State.Learning, State.Relearning]), lte(cards.due, sql`${p('now')}`))).orderBy(asc(cards.due), asc(cards.id)),
      'queue_learning',
    ),
    review: prepared(dueCards(and(eq(cards.state, State.Review), lt(cards.due, sql`${p('dayEnd')}`))).orderBy(...lowestRetrievabilityFirst(cards)), 'queue_review'),
    // `visible` is 0/1 on SQLite, a boolean on PostgreSQL: read it with Boolean().
    reviewHead: prepared(
      db
        .select({ card: headCard, topic: items.topic, family: items.family, visible: sql<number | boolean>`${and(isNull(items.retiredAt), studied)}` })
        .from(head)
        .innerJoin(items, eq(items.id, head.itemId))
        .innerJoin(banks, eq(banks.id, items.bankId))
        .orderBy(...lowestRetrievabilityFirst(head)),
      'queue_review_head',
    ),
    fresh: prepared(
      db
        .select({ itemId: items.id, topic: items.topic, family: items.family })
        .from(items)
        .innerJoin(banks, eq(banks.id, items.bankId))
        .leftJoin(cards, and(eq(cards.itemId, items.id), eq(cards.userId, p('userId'))))
        .where(and(isNull(items.retiredAt), studied, or(isNull(cards.id), and(eq(cards.state, State.New), eq(cards.suspended, false)))))
        .orderBy(asc(items.bankId), asc(items.position)),
      'queue_fresh',
    ),
  };
}

const preparedByDb = new WeakMap<Db, ReturnType<typeof prepareQueueStatements>>();

function statementsFor(db: Db) {
  let s = preparedByDb.get(db);
  if (!s) {
    s = prepareQueueStatements(db);
    preparedByDb.set(db, s);
  }
  return s;
}

type CardCandidate = QueueCandidate & { state: CardState };

function fromCard(r: { card: CardRow; topic: string; family: string | null }): CardCandidate {
  return { itemId: r.card.itemId, topic: r.topic, family: r.family, leech: r.card.leech, lapses: r.card.lapses, state: cardStateOf(r.card) };
}

/** What today's reviews decide: the limits left, the buried families, the last topic. */
async function dayContext(db: Db, userId: number, now: Date) {
  const st = statementsFor(db);
  const [user] = await st.user.execute({ userId });
  if (!user) throw new Error(`no user ${userId}`);
  const bounds = studyDayBounds(now, user.timeZone, user.rolloverHour);
  const today = await st.today.execute({ userId, dayStart: bounds.start.getTime() });
  let reviewsDone = 0;
  let newDone = 0;
  const buriedFamilies = new Set<string>();
  const answeredToday = new Set<string>();
  const topicsAnsweredToday = new Map<string, number>();
  for (const r of today) {
    topicsAnsweredToday.set(r.topic, (topicsAnsweredToday.get(r.topic) ?? 0) + 1);
    if (r.stateBefore === State.New) newDone++;
    else if (r.stateBefore === State.Review) reviewsDone++;
    if (r.family !== null) buriedFamilies.add(r.family);
    answeredToday.add(r.itemId);
  }
  return {
    st,
    user,
    bounds,
    reviewsDone,
    newDone,
    reviewsLeft: user.reviewsPerDay - reviewsDone,
    newLeft: user.newPerDay - newDone,
    buriedFamilies,
    answeredToday,
    topicsAnsweredToday,
    lastTopic: today.at(-1)?.topic ?? null,
  };
}

function withRetrievability(ordered: QueueEntry[], candidates: CardCandidate[], now: Date, settings: ReturnType<typeof schedulerSettingsOf>): QueueItem[] {
  const states = new Map(candidates.map((c) => [c.itemId, c.state]));
  return ordered.map((e) => {
    const s = states.get(e.itemId);
    return { ...e, retrievability: s ? retrievability(s, now, settings) : null, notice: e.leech ? LEECH_NOTICE : null };
  });
}

/** The user's queue for the study day containing `now`. */
export async function dailyQueue({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<DailyQueue> {
  const ctx = await dayContext(db, userId, now);
  const { st, user, bounds } = ctx;
  const t = now.getTime();
  const learning = (await st.learning.execute({ userId, now: t })).map(fromCard);
  const fresh: QueueCandidate[] =
    ctx.newLeft > 0 ? (await st.fresh.execute({ userId })).map((r) => ({ itemId: r.itemId, topic: r.topic, family: r.family, leech: false, lapses: 0 })) : [];
  // Due reviews: the head of reviewsLeft plus some slack for buried siblings; all of them
  // only when the head ran out of admissible cards before the limit.
  const dayEnd = bounds.end.getTime();
  const limit = Math.max(0, ctx.reviewsLeft) + REVIEW_SLACK;
  const headRows = ctx.reviewsLeft > 0 ? await st.reviewHead.execute({ userId, now: t, dayEnd, limit }) : [];
  let due = headRows.filter((r) => Boolean(r.visible)).map(fromCard);
  let ordered = orderQueue({ learning, reviews: due, fresh, ...ctx });
  if (headRows.length === limit && ordered.filter((e) => e.section === 'review').length < ctx.reviewsLeft) {
    due = (await st.review.execute({ userId, now: t, dayEnd })).map(fromCard);
    ordered = orderQueue({ learning, reviews: due, fresh, ...ctx });
  }
  return {
    studyDay: bounds.day,
    nextDayStart: bounds.end,
    entries: withRetrievability(ordered, [...learning, ...due], now, schedulerSettingsOf(user)),
    done: { reviews: ctx.reviewsDone, new: ctx.newDone },
    limits: { reviewsPerDay: user.reviewsPerDay, newPerDay: user.newPerDay },
    buriedFamilies: [...ctx.buriedFamilies].sort(),
  };
}

/** Due reviews read beyond the day's limit, for the siblings that burying skips. */
const REVIEW_SLACK = 32;
