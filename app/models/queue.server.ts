/**
 * The daily queue of one user: promoted cards (quiz misses, "review now") first, beyond the
 * limits; due learning cards; due reviews (those an exam's plan brought forward first, then the
 * lowest retrievability first, at most reviews-per-day a study day); then new items (at most new-per-day): class banks first, spread by their dates, then
 * the content banks in turn. Answered families' siblings are buried until tomorrow, buried and
 * suspended cards left out, paused banks give no new cards and banks turned off nothing.
 * The SQL picks the candidates; app/scheduling/queue-order.ts orders them.
 *
 * "Introduced" (a class bank's progress, its quota) means the card is no longer New: a first
 * review made it Learning or Review. Forgetting a card makes it New again, so not introduced.
 */
import { and, asc, count, desc, eq, getTableColumns, gt, gte, inArray, isNotNull, isNull, lt, lte, not, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { asInteger, jsonInteger, larger, prepared } from '../../db/sql';
import { banks, cards, classBanks, exams, items, memberships, reviews, subscriptions, users, type CardRow } from '../../db/schema';
import { classProgress, classQuota, type ClassBankDates, type ClassProgress } from '../scheduling/class-schedule';
import {
  freshKey,
  orderQueue,
  type ClassNewSource,
  type FreshCandidate,
  type LearningCandidate,
  type PlannedCandidate,
  type PromotedCandidate,
  type QueueCandidate,
  type QueueEntry,
  type QueueKind,
  type ReviewCandidate,
} from '../scheduling/queue-order';
import { LEECH_LAPSES, retrievability, State } from '../scheduling/scheduler';
import { studyDayBounds } from '../scheduling/study-day';
import { cardStateOf, promotionOf } from './card.server';
import { schedulerSettingsOf } from './review.server';
import { studiedBanks, type StudiedBank } from './subscription.server';

export type { QueueKind } from '../scheduling/queue-order';

/** What the review page says about a leech. */
export const LEECH_NOTICE = `You have forgotten this card ${LEECH_LAPSES} times or more: it is flagged as a leech. Rewrite it in your own words, look at its explanation again, or suspend it for now.`;

export interface QueueItem extends QueueEntry {
  /** ts-fsrs retrievability now, for review and learning cards; null for new items. */
  retrievability: number | null;
  /** A sentence to show beside the card (the leech notice), or null. */
  notice: string | null;
}

/** Where a student stands on one bank published to their class. */
export interface ClassBankStatus {
  classId: number;
  className: string;
  bankId: string;
  bankTitle: string;
  startsOn: string | null;
  learnBy: string | null;
  /** New items this bank gives today (fixed for the day), whatever the new-card limit. */
  quotaToday: number;
  progress: ClassProgress;
}

/** Something left out of today's queue, and why. */
export interface HeldBack {
  scope: 'bank' | 'item' | 'limit';
  /** A bank id, an item id or family, or the limit's name ('newPerDay', 'reviewsPerDay', 'suspended'). */
  id: string;
  reason: string;
  count: number;
}

export interface DailyQueue {
  studyDay: string;
  nextDayStart: Date;
  entries: QueueItem[];
  /** Reviews and new items already done this study day (every origin). */
  done: { reviews: number; new: number };
  limits: { reviewsPerDay: number; newPerDay: number };
  /** Generated families answered today: their other items wait for tomorrow. */
  buriedFamilies: string[];
  /** The earliest learning or relearning card due later in this study day, or null. */
  nextLearningAt: Date | null;
  /** Cards due by the end of the next study day (reviews capped at reviews-per-day, learning steps not). */
  tomorrowDue: number;
  classBanks: ClassBankStatus[];
  held: HeldBack[];
}

/** The held-back reasons, in one place. */
export const HELD_REASONS = {
  paused: 'paused: no new cards from it; its due reviews still come',
  off: 'turned off: nothing from it',
  notStarted: (cls: string, startsOn: string) => `class ${cls}: its new items start on ${startsOn}`,
  quotaMet: (cls: string, quota: number) => `class ${cls}: today's share is ${quota}; the rest come on later days`,
  newLimit: (perDay: number) => `new-card limit reached (${perDay} a day): these new items wait for the next days`,
  reviewLimit: (perDay: number) => `review limit reached (${perDay} a day): these due reviews wait`,
  family: (family: string) => `family ${family} answered today: its other items wait for tomorrow`,
  buried: (until: string) => `buried until ${until}`,
  suspended: 'suspended: out of the queue until unsuspended',
} as const;

const DAY_MS = 86_400_000;
/** Due reviews read beyond the day's limit, for the siblings that burying skips. */
const REVIEW_SLACK = 32;
/** New items read per bank and topic beyond the day's budget, for the siblings that burying skips. */
const FRESH_SLACK = 16;
/** "All of them" for the fresh read's per-list limit. */
const ALL = 1_000_000_000;

function prepareQueueStatements(db: Db) {
  const p = sql.placeholder;
  const userClassBanks = () =>
    db
      .select({ bankId: classBanks.bankId })
      .from(classBanks)
      .innerJoin(memberships, eq(memberships.classId, classBanks.classId))
      .where(eq(memberships.userId, p('userId')));
  const studied = or(eq(banks.source, 'content'), inArray(banks.id, userClassBanks()));
  const cardCandidate = { card: cards, bankId: items.bankId, topic: items.topic, family: items.family, retiredAt: items.retiredAt };
  /** The user's cards matching `where`, each with its item's bank, topic and family. */
  const cardsWhere = (where: SQL | undefined) => db.select(cardCandidate).from(cards).innerJoin(items, eq(items.id, cards.itemId)).where(where);
  const notSuspended = eq(cards.suspended, false);
  const notBuriedBy = (at: SQLWrapper) => or(isNull(cards.buriedUntil), lt(cards.buriedUntil, sql`${at}`));
  // A promotion holds until the card is reviewed after it.
  const promotedNow = and(isNotNull(cards.promotedAt), or(isNull(cards.lastReview), gt(cards.promotedAt, cards.lastReview)));
  // R = (1 + F·t/S)^C falls as t/S grows, t in whole days as ts-fsrs counts them: the
  // largest t/S is the lowest retrievability. (better-sqlite3 binds numbers as reals: cast.)
  const lowestRetrievabilityFirst = (c: { lastReview: SQLWrapper; stability: SQLWrapper; due: SQLWrapper; id: SQLWrapper }) => [
    desc(sql`${larger(0, asInteger(sql`(${p('now')} - ${c.lastReview}) / ${DAY_MS}`))} * 1.0 / ${c.stability}`),
    asc(c.due),
    asc(c.id),
  ];
  const dueReview = and(eq(cards.userId, p('userId')), eq(cards.state, State.Review), lt(cards.due, sql`${p('dayEnd')}`), notSuspended);
  // The head of the due reviews: the first by retrievability, from the cards index alone; whether
  // each may be shown is checked on those few rows (the shown ones are a prefix of the queue's).
  const head = db.select().from(cards).where(dueReview).orderBy(...lowestRetrievabilityFirst(cards)).limit(p('limit')).as('head');
  const headCard = Object.fromEntries(Object.keys(getTableColumns(cards)).map((k) => [k, head[k as keyof typeof head]])) as unknown as typeof cards._.columns;
  // New items: no card, or a New one not suspended, buried or promoted; from a bank that is on
  // (a class bank's stored 'off', set before joining, reads as on).
  const bankOn = or(isNull(subscriptions.state), eq(subscriptions.state, 'on'), and(eq(subscriptions.state, 'off'), inArray(banks.id, userClassBanks())));
  const freshInner = db
    .select({
      itemId: items.id,
      bankId: items.bankId,
      topic: items.topic,
      family: items.family,
      position: items.position,
      rn: sql<number>`row_number() over (partition by ${items.bankId}, ${items.topic} order by ${items.position})`.as('rn'),
      waiting: sql<number>`count(*) over (partition by ${items.bankId})`.as('waiting'),
    })
    .from(items)
    .innerJoin(banks, eq(banks.id, items.bankId))
    .leftJoin(cards, and(eq(cards.itemId, items.id), eq(cards.userId, p('userId'))))
    .leftJoin(subscriptions, and(eq(subscriptions.bankId, banks.id), eq(subscriptions.userId, p('userId'))))
    .where(
      and(
        isNull(items.retiredAt),
        studied,
        bankOn,
        or(
          isNull(cards.id),
          and(eq(cards.state, State.New), notSuspended, or(isNull(cards.buriedUntil), lte(cards.buriedUntil, sql`${p('now')}`)), not(promotedNow!)),
        ),
      ),
    )
    .as('fresh');
  return {
    user: prepared(db.select().from(users).where(eq(users.id, p('userId'))), 'queue_user'),
    today: prepared(
      db
        .select({ itemId: reviews.itemId, bankId: items.bankId, topic: items.topic, family: items.family, origin: reviews.origin, stateBefore: jsonInteger(reviews.stateBefore, 'state') })
        .from(reviews)
        .innerJoin(items, eq(items.id, reviews.itemId))
        .where(and(eq(reviews.userId, p('userId')), gte(reviews.reviewedAt, sql`${p('dayStart')}`)))
        .orderBy(asc(reviews.reviewedAt), asc(reviews.id)),
      'queue_today',
    ),
    // Promoted, buried and suspended cards: the cards the queue treats apart (one pass over the user's cards).
    apart: prepared(
      cardsWhere(and(eq(cards.userId, p('userId')), or(eq(cards.suspended, true), gt(cards.buriedUntil, sql`${p('now')}`), promotedNow))).orderBy(asc(cards.promotedAt), asc(cards.id)),
      'queue_apart',
    ),
    learning: prepared(
      cardsWhere(and(eq(cards.userId, p('userId')), inArray(cards.state, [State.Learning, State.Relearning]), lt(cards.due, sql`${p('dayEnd')}`), notSuspended)).orderBy(asc(cards.due), asc(cards.id)),
      'queue_learning',
    ),
    review: prepared(
      cardsWhere(dueReview).orderBy(...lowestRetrievabilityFirst(cards)),
      'queue_review',
    ),
    // Due reviews an exam's plan brought forward, the exam still ahead (few: the plan's daily cap).
    planned: prepared(
      db
        .select({ ...cardCandidate, examTitle: exams.title, examAt: exams.at, examTimeZone: exams.timeZone, examTarget: exams.target })
        .from(cards)
        .innerJoin(items, eq(items.id, cards.itemId))
        .innerJoin(exams, eq(exams.id, cards.plannedForExam))
        .where(
          and(
            dueReview,
            gt(exams.at, sql`${p('now')}`),
            // An exam the student still sits: their own, or a class's they are a member of.
            or(and(eq(exams.ownerId, p('userId')), isNull(exams.classId)), inArray(exams.classId, db.select({ classId: memberships.classId }).from(memberships).where(eq(memberships.userId, p('userId'))))),
          ),
        )
        .orderBy(asc(exams.at), ...lowestRetrievabilityFirst(cards)),
      'queue_planned',
    ),
    reviewHead: prepared(
      db
        .select({ card: headCard, bankId: items.bankId, topic: items.topic, family: items.family, retiredAt: items.retiredAt })
        .from(head)
        .innerJoin(items, eq(items.id, head.itemId))
        .orderBy(...lowestRetrievabilityFirst(head)),
      'queue_review_head',
    ),
    dueReviewCount: prepared(db.select({ n: count() }).from(cards).where(dueReview), 'queue_due_review_count'),
    // The head of each bank's and topic's new items (`k` of them), and how many each bank has in all.
    fresh: prepared(
      db
        .select()
        .from(freshInner)
        .where(lte(freshInner.rn, sql`${p('k')}`))
        .orderBy(asc(freshInner.bankId), asc(freshInner.position)),
      'queue_fresh',
    ),
    // Per class bank: items, those introduced, and the New cards suspended (set aside by the student).
    classCounts: prepared(
      db
        .select({
          bankId: items.bankId,
          total: count(),
          introduced: sql<number>`coalesce(sum(case when ${cards.state} <> ${State.New} then 1 else 0 end), 0)`.mapWith(Number),
          setAside: sql<number>`coalesce(sum(case when ${cards.state} = ${State.New} and ${cards.suspended} then 1 else 0 end), 0)`.mapWith(Number),
        })
        .from(items)
        .leftJoin(cards, and(eq(cards.itemId, items.id), eq(cards.userId, p('userId'))))
        .where(and(isNull(items.retiredAt), inArray(items.bankId, userClassBanks())))
        .groupBy(items.bankId),
      'queue_class_counts',
    ),
    // Cards due by the end of the next study day: the reviews read up to the cap the queue applies, the steps all counted.
    tomorrowReviews: prepared(
      db
        .select({ bankId: items.bankId })
        .from(cards)
        .innerJoin(items, eq(items.id, cards.itemId))
        .where(and(eq(cards.userId, p('userId')), eq(cards.state, State.Review), lt(cards.due, sql`${p('tomorrowEnd')}`), notSuspended, isNull(items.retiredAt), notBuriedBy(p('tomorrowEnd'))))
        .limit(p('limit')),
      'queue_tomorrow_reviews',
    ),
    tomorrowSteps: prepared(
      db
        .select({ bankId: items.bankId, n: count() })
        .from(cards)
        .innerJoin(items, eq(items.id, cards.itemId))
        .where(
          and(
            eq(cards.userId, p('userId')),
            inArray(cards.state, [State.Learning, State.Relearning]),
            lt(cards.due, sql`${p('tomorrowEnd')}`),
            notSuspended,
            isNull(items.retiredAt),
            notBuriedBy(p('tomorrowEnd')),
          ),
        )
        .groupBy(items.bankId),
      'queue_tomorrow_steps',
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

type CardRowCandidate = { card: CardRow; bankId: string; topic: string; family: string | null; retiredAt: Date | null };

function candidateOf(r: CardRowCandidate): QueueCandidate {
  return { itemId: r.card.itemId, bankId: r.bankId, topic: r.topic, family: r.family, leech: r.card.leech, lapses: r.card.lapses };
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** '14:05' in the zone. */
function clockIn(timeZone: string): (ms: number) => string {
  let f = clocks.get(timeZone);
  if (!f) clocks.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return (ms) => f.format(ms);
}

/** A bank published to several of the user's classes follows the earliest dates (null: no constraint). */
function datesOf(bank: StudiedBank): ClassBankDates & { governing: StudiedBank['classes'][number] } {
  const starts = bank.classes.map((c) => c.startsOn);
  const learnBys = bank.classes.map((c) => c.learnBy).filter((d): d is string => d !== null);
  const learnBy = learnBys.length > 0 ? learnBys.sort()[0]! : null;
  const startsOn = starts.includes(null) ? null : [...(starts as string[])].sort()[0]!;
  const governing = bank.classes.find((c) => c.learnBy === learnBy) ?? bank.classes[0]!;
  return { startsOn, learnBy, governing };
}

/** What today's reviews decide: the limits left, the buried families, the last topic and bank. */
async function dayContext(db: Db, userId: number, now: Date) {
  const st = statementsFor(db);
  const [user] = await st.user.execute({ userId });
  if (!user) throw new Error(`no user ${userId}`);
  const bounds = studyDayBounds(now, user.timeZone, user.rolloverHour);
  const today = await st.today.execute({ userId, dayStart: bounds.start.getTime() });
  const done = { reviews: 0, new: 0 };
  // The limits count the queue's reviews only: a promoted card's review is extra.
  let reviewsDone = 0;
  let newDone = 0;
  const buriedFamilies = new Set<string>();
  const answeredToday = new Set<string>();
  const topicsAnsweredToday = new Map<string, number>();
  const banksAnsweredToday = new Map<string, number>();
  /** Items introduced today per bank: any origin, and through the queue. */
  const introducedToday = new Map<string, Set<string>>();
  const introducedByQueue = new Map<string, Set<string>>();
  let lastBank: string | null = null;
  const addTo = (m: Map<string, Set<string>>, bankId: string, itemId: string) => {
    const s = m.get(bankId) ?? new Set<string>();
    s.add(itemId);
    m.set(bankId, s);
  };
  for (const r of today) {
    topicsAnsweredToday.set(r.topic, (topicsAnsweredToday.get(r.topic) ?? 0) + 1);
    const fromQueue = r.origin === 'queue';
    if (r.stateBefore === State.New) {
      done.new++;
      addTo(introducedToday, r.bankId, r.itemId);
      if (fromQueue) {
        newDone++;
        addTo(introducedByQueue, r.bankId, r.itemId);
        banksAnsweredToday.set(r.bankId, (banksAnsweredToday.get(r.bankId) ?? 0) + 1);
        lastBank = r.bankId;
      }
    } else if (r.stateBefore === State.Review) {
      done.reviews++;
      if (fromQueue) reviewsDone++;
    }
    if (r.family !== null) buriedFamilies.add(r.family);
    answeredToday.add(r.itemId);
  }
  return {
    st,
    user,
    bounds,
    done,
    reviewsDone,
    newDone,
    reviewsLeft: user.reviewsPerDay - reviewsDone,
    newLeft: user.newPerDay - newDone,
    buriedFamilies,
    answeredToday,
    topicsAnsweredToday,
    banksAnsweredToday,
    introducedToday,
    introducedByQueue,
    lastTopic: today.at(-1)?.topic ?? null,
    lastBank,
  };
}

interface Built {
  queue: DailyQueue;
  /** Every new item in order, the budget aside (only with `fullNewList`). */
  newList: QueueEntry[] | null;
  banks: Map<string, StudiedBank>;
  /** New cards left in today's budget, and when the study day began. */
  newLeft: number;
  dayStart: Date;
}

interface BuildOptions {
  /** Order every new item, the budget aside (the CLI's --item). */
  fullNewList?: boolean;
  /** Count what is held back even where it costs a full read of the new items (the CLI, the dashboard). */
  explain?: boolean;
}

async function buildQueue(db: Db, userId: number, now: Date, options: BuildOptions = {}): Promise<Built> {
  const ctx = await dayContext(db, userId, now);
  const { st, user, bounds } = ctx;
  const t = now.getTime();
  const dayEnd = bounds.end.getTime();
  const settings = schedulerSettingsOf(user);
  const clock = clockIn(user.timeZone);
  const bankList = await studiedBanks({ db, userId });
  const bankById = new Map(bankList.map((b) => [b.bankId, b]));
  // A card may be shown when its item is live and its bank studied and not off.
  const shows = (r: CardRowCandidate) => r.retiredAt === null && (bankById.get(r.bankId)?.state ?? 'off') !== 'off';
  const buried = (r: CardRowCandidate) => r.card.buriedUntil !== null && r.card.buriedUntil.getTime() > t;
  const rowOf = new Map<string, CardRow>();
  const remember = (r: CardRowCandidate) => rowOf.set(r.card.itemId, r.card);

  const apart = await st.apart.execute({ userId, now: t });
  const promotedRows = apart.filter((r) => !r.card.suspended && !buried(r) && promotionOf(r.card) !== 'queue' && shows(r));
  const promotedIds = new Set(promotedRows.map((r) => r.card.itemId));
  promotedRows.forEach(remember);
  const promoted: PromotedCandidate[] = promotedRows.map((r) => ({ ...candidateOf(r), promotedBy: r.card.promotedBy ?? 'cards', promotedQuiz: r.card.promotedQuiz }));

  const learningRows = (await st.learning.execute({ userId, dayEnd })).filter((r) => shows(r) && !buried(r) && !promotedIds.has(r.card.itemId));
  const dueLearning = learningRows.filter((r) => r.card.due.getTime() <= t);
  dueLearning.forEach(remember);
  const nextLearning = learningRows.find((r) => r.card.due.getTime() > t);
  const learning: LearningCandidate[] = dueLearning.map((r) => ({ ...candidateOf(r), due: r.card.due.getTime(), relearning: r.card.state === State.Relearning }));

  // Due reviews an exam's plan brought forward come first (queue-order.ts), the others after them.
  const plannedRows = (await st.planned.execute({ userId, now: t, dayEnd })).filter((r) => shows(r) && !buried(r) && !promotedIds.has(r.card.itemId));
  const plannedIds = new Set(plannedRows.map((r) => r.card.itemId));
  const planned: PlannedCandidate[] = plannedRows.map((r) => {
    remember(r);
    return {
      ...candidateOf(r),
      retrievability: () => retrievability(cardStateOf(r.card), now, settings),
      exam: { title: r.examTitle, on: dateIn(r.examTimeZone, r.examAt), target: r.examTarget },
    };
  });
  // Due reviews: the head of reviewsLeft plus some slack for buried siblings; all of them
  // only when the head ran out of admissible cards before the limit.
  const asReviews = (rows: CardRowCandidate[]): ReviewCandidate[] =>
    rows
      .filter((r) => shows(r) && !buried(r) && !promotedIds.has(r.card.itemId) && !plannedIds.has(r.card.itemId))
      .map((r) => {
        remember(r);
        // Computed only for the reviews the queue takes (a full read can hold thousands of due cards).
        return { ...candidateOf(r), retrievability: () => retrievability(cardStateOf(r.card), now, settings) };
      });
  const limit = Math.max(0, ctx.reviewsLeft) + REVIEW_SLACK + plannedRows.length;
  const headRows = ctx.reviewsLeft > 0 ? await st.reviewHead.execute({ userId, now: t, dayEnd, limit }) : [];
  let due = asReviews(headRows);
  // Not read at all when the limit is spent: then how many wait is counted below.
  let headComplete = ctx.reviewsLeft > 0 && headRows.length < limit;

  // New items: class banks with dates take their quota of the budget first.
  const today = bounds.day;
  const classBankList = bankList.filter((b) => b.source === 'class');
  const counts = classBankList.length > 0 ? new Map((await st.classCounts.execute({ userId })).map((r) => [r.bankId, r])) : new Map();
  const classBanksStatus: ClassBankStatus[] = [];
  const held: HeldBack[] = [];
  const classSources: (ClassNewSource & { order: [number, string, number] })[] = [];
  for (const b of classBankList) {
    const c = counts.get(b.bankId) ?? { total: 0, introduced: 0, setAside: 0 };
    const dates = datesOf(b);
    const total = Number(c.total) - c.setAside;
    const introducedToday = ctx.introducedToday.get(b.bankId)?.size ?? 0;
    const usedToday = ctx.introducedByQueue.get(b.bankId)?.size ?? 0;
    const remaining = Math.max(0, total - c.introduced);
    // Counted at the day's start, so answering cards does not move today's quota.
    const quotaToday = classQuota(dates, today, remaining + introducedToday);
    const dated = dates.startsOn !== null || dates.learnBy !== null;
    classBanksStatus.push({
      classId: dates.governing.id,
      className: dates.governing.name,
      bankId: b.bankId,
      bankTitle: b.title,
      startsOn: dates.startsOn,
      learnBy: dates.learnBy,
      quotaToday,
      progress: classProgress(dates, today, { total, introduced: c.introduced, introducedToday }, user.newPerDay),
    });
    if (b.state !== 'on') continue;
    if (dates.startsOn !== null && today < dates.startsOn && remaining > 0) held.push({ scope: 'bank', id: b.bankId, reason: HELD_REASONS.notStarted(dates.governing.name, dates.startsOn), count: remaining });
    classSources.push({
      bankId: b.bankId,
      className: dates.governing.name,
      quota: dated ? { today: quotaToday, left: Math.max(0, quotaToday - usedToday), usedToday, learnBy: dates.learnBy, late: dates.learnBy !== null && today >= dates.learnBy } : null,
      // Dated banks first, earliest learn-by first; then the others in the order they were published.
      order: [dated ? 0 : 1, dates.learnBy ?? '9999-99-99', Math.min(...b.classes.map((x) => x.publishedAt.getTime()))],
    });
  }
  classSources.sort((a, b) => a.order[0] - b.order[0] || a.order[1].localeCompare(b.order[1]) || a.order[2] - b.order[2] || a.bankId.localeCompare(b.bankId));

  const newBudget = options.fullNewList ? ALL : Math.max(0, ctx.newLeft);
  const readFresh = async (k: number) => {
    const rows = newBudget > 0 ? await st.fresh.execute({ userId, now: t, k }) : [];
    const perList = new Map<string, number>();
    const waiting = new Map<string, number>();
    const fresh: FreshCandidate[] = rows.map((r) => {
      const key = freshKey(r.bankId, r.topic);
      perList.set(key, (perList.get(key) ?? 0) + 1);
      waiting.set(r.bankId, Number(r.waiting));
      return { itemId: r.itemId, bankId: r.bankId, topic: r.topic, family: r.family, leech: false, lapses: 0, position: r.position };
    });
    const truncated = new Set([...perList].filter(([, n]) => n >= k).map(([key]) => key));
    return { fresh, truncated, waiting };
  };
  let freshRead = await readFresh(Math.min(ALL, newBudget + FRESH_SLACK));
  const order = () =>
    orderQueue({
      promoted,
      learning,
      planned,
      reviews: due,
      fresh: freshRead.fresh,
      truncated: freshRead.truncated,
      classSources,
      reviewsLeft: ctx.reviewsLeft,
      newLeft: newBudget,
      buriedFamilies: ctx.buriedFamilies,
      answeredToday: ctx.answeredToday,
      lastTopic: ctx.lastTopic,
      topicsAnsweredToday: ctx.topicsAnsweredToday,
      banksAnsweredToday: ctx.banksAnsweredToday,
      lastBank: ctx.lastBank,
      clock,
      bankTitle: (id) => bankById.get(id)?.title ?? id,
    });
  let ordered = order();
  if (!headComplete && ordered.entries.filter((e) => e.section === 'review').length < ctx.reviewsLeft) {
    due = asReviews(await st.review.execute({ userId, now: t, dayEnd }));
    headComplete = true;
    ordered = order();
  }
  if (ordered.incomplete) {
    freshRead = await readFresh(ALL);
    ordered = order();
  }

  let newList: QueueEntry[] | null = null;
  let entries = ordered.entries;
  if (options.fullNewList) {
    newList = entries.filter((e) => e.section === 'new');
    // The real queue: the new list cut at the budget.
    const budget = Math.max(0, ctx.newLeft);
    entries = [...entries.filter((e) => e.section !== 'new'), ...newList.slice(0, budget)];
  }

  // What is held back, and why.
  const newTaken = entries.filter((e) => e.section === 'new').length;
  const apartBanks = bankList.filter((b) => b.state !== 'on');
  if (apartBanks.length > 0) {
    // Paused: the items not yet introduced wait; off: every live item. Counted for these few banks only, when asked.
    const rows = options.explain
      ? await db
          .select({ bankId: items.bankId, total: count(), fresh: sql<number>`coalesce(sum(case when ${cards.id} is null or ${cards.state} = ${State.New} then 1 else 0 end), 0)`.mapWith(Number) })
          .from(items)
          .leftJoin(cards, and(eq(cards.itemId, items.id), eq(cards.userId, userId)))
          .where(and(isNull(items.retiredAt), inArray(items.bankId, apartBanks.map((b) => b.bankId))))
          .groupBy(items.bankId)
      : [];
    for (const b of apartBanks) {
      const r = rows.find((x) => x.bankId === b.bankId);
      const off = b.state === 'off';
      held.push({ scope: 'bank', id: b.bankId, reason: off ? HELD_REASONS.off : HELD_REASONS.paused, count: r ? (off ? Number(r.total) : r.fresh) : 0 });
    }
  }
  for (const s of classSources) {
    // A dated bank whose share of today is all given: the rest of its items wait for later days.
    const taken = ordered.newByBank.get(s.bankId) ?? 0;
    const rest = (freshRead.waiting.get(s.bankId) ?? 0) - taken;
    if (s.quota && s.quota.today > 0 && taken >= s.quota.left && rest > 0) held.push({ scope: 'bank', id: s.bankId, reason: HELD_REASONS.quotaMet(s.className, s.quota.today), count: rest });
  }
  if (!options.fullNewList && newTaken >= Math.max(0, ctx.newLeft)) {
    // What the budget left waiting: content and undated class banks whole, dated ones up to their quota.
    let waiting = 0;
    const sources = new Map(classSources.map((s) => [s.bankId, s]));
    for (const [bankId, n] of freshRead.waiting) {
      const taken = ordered.newByBank.get(bankId) ?? 0;
      const q = sources.get(bankId)?.quota;
      waiting += q ? Math.max(0, Math.min(q.left, n) - taken) : Math.max(0, n - taken);
    }
    if (options.explain && ctx.newLeft <= 0 && freshRead.waiting.size === 0) waiting = await countFreshWaiting(st, userId, t, classSources);
    if (waiting > 0) held.push({ scope: 'limit', id: 'newPerDay', reason: HELD_REASONS.newLimit(user.newPerDay), count: waiting });
  }
  const reviewsShown = entries.filter((e) => e.section === 'review').length;
  if (reviewsShown >= Math.max(0, ctx.reviewsLeft)) {
    const beyond = headComplete ? ordered.reviewsBeyondLimit : Math.max(ordered.reviewsBeyondLimit, Number((await st.dueReviewCount.execute({ userId, dayEnd }))[0]?.n ?? 0) - reviewsShown);
    if (beyond > 0) held.push({ scope: 'limit', id: 'reviewsPerDay', reason: HELD_REASONS.reviewLimit(user.reviewsPerDay), count: beyond });
  }
  for (const [family, n] of ordered.buried) held.push({ scope: 'item', id: family, reason: HELD_REASONS.family(family), count: n });
  for (const r of apart) {
    if (!r.card.suspended && buried(r) && shows(r)) held.push({ scope: 'item', id: r.card.itemId, reason: HELD_REASONS.buried(whenIn(user.timeZone, r.card.buriedUntil!)), count: 1 });
  }
  const suspended = apart.filter((r) => r.card.suspended && shows(r)).length;
  if (suspended > 0) held.push({ scope: 'limit', id: 'suspended', reason: HELD_REASONS.suspended, count: suspended });

  // Tomorrow: what will be due by the end of the next study day, capped as the queue caps it.
  const tomorrowEnd = studyDayBounds(bounds.end, user.timeZone, user.rolloverHour).end.getTime();
  let tomorrowReviews = 0;
  let tomorrowSteps = 0;
  const counted = (bankId: string) => (bankById.get(bankId)?.state ?? 'off') !== 'off';
  // Cards of banks not shown are read too, so the cap holds only when every bank counts.
  const capped = [...bankById.values()].every((b) => b.state !== 'off');
  for (const r of await st.tomorrowReviews.execute({ userId, tomorrowEnd, limit: capped ? user.reviewsPerDay : ALL })) if (counted(r.bankId)) tomorrowReviews++;
  for (const r of await st.tomorrowSteps.execute({ userId, tomorrowEnd })) if (counted(r.bankId)) tomorrowSteps += Number(r.n);

  const withR = entries.map((e): QueueItem => {
    const row = rowOf.get(e.itemId);
    return { ...e, retrievability: row && row.state !== State.New ? retrievability(cardStateOf(row), now, settings) : null, notice: e.leech ? LEECH_NOTICE : null };
  });
  return {
    queue: {
      studyDay: bounds.day,
      nextDayStart: bounds.end,
      entries: withR,
      done: ctx.done,
      limits: { reviewsPerDay: user.reviewsPerDay, newPerDay: user.newPerDay },
      buriedFamilies: [...ctx.buriedFamilies].sort(),
      nextLearningAt: nextLearning ? nextLearning.card.due : null,
      tomorrowDue: Math.min(user.reviewsPerDay, tomorrowReviews) + tomorrowSteps,
      classBanks: classBanksStatus,
      held,
    },
    newList,
    banks: bankById,
    newLeft: Math.max(0, ctx.newLeft),
    dayStart: bounds.start,
  };
}

/** When the budget is spent before the day began (no fresh read): count what waits, by the full read. */
async function countFreshWaiting(st: ReturnType<typeof statementsFor>, userId: number, now: number, classSources: ClassNewSource[]): Promise<number> {
  const rows = await st.fresh.execute({ userId, now, k: 1 });
  const sources = new Map(classSources.map((s) => [s.bankId, s]));
  const perBank = new Map(rows.map((r) => [r.bankId, Number(r.waiting)]));
  let n = 0;
  for (const [bankId, waiting] of perBank) {
    const q = sources.get(bankId)?.quota;
    n += q ? Math.min(q.left, waiting) : waiting;
  }
  return n;
}

const instants = new Map<string, Intl.DateTimeFormat>();
const examDates = new Map<string, Intl.DateTimeFormat>();

/** '2026-12-02' in the zone (an exam's date where it was set). */
function dateIn(timeZone: string, at: Date): string {
  let format = examDates.get(timeZone);
  if (!format) examDates.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format.format(at);
}

/** '2026-12-02 04:00' in the zone. */
function whenIn(timeZone: string, at: Date): string {
  let format = instants.get(timeZone);
  if (!format) instants.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const parts = format.formatToParts(at);
  const f = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${f('year')}-${f('month')}-${f('day')} ${f('hour')}:${f('minute')}`;
}

/**
 * The user's queue for the study day containing `now`. `explain` adds the counts of held-back
 * items that need a read of every new item (paused and off banks, the new items waiting once the
 * day's budget is spent); the review page does without them.
 */
export async function dailyQueue({ db = getDb(), userId, now, explain = false }: { db?: Db; userId: number; now: Date; explain?: boolean }): Promise<DailyQueue> {
  return (await buildQueue(db, userId, now, { explain })).queue;
}

/** Where one item stands in the user's queue today, for "why doesn't my student see my item?". */
export interface ItemExplanation {
  itemId: string;
  /** 1-based place in today's queue, or null when it is not in it. */
  position: number | null;
  kind: QueueKind | null;
  reason: string;
}

export const EXPLAIN_REASONS = {
  noItem: (itemId: string) => `there is no item ${itemId}`,
  retired: (at: string) => `retired from its bank on ${at}: a later version of the bank dropped it`,
  notStudied: (bankId: string) => `its bank ${bankId} is not one this student studies (not a content bank, not published to a class of theirs)`,
  inQueue: (position: number, of: number, reason: string) => `in today's queue at position ${position} of ${of}: ${reason}`,
  off: (bankId: string) => `its bank ${bankId} is turned off`,
  paused: (bankId: string) => `its bank ${bankId} is paused: no new cards from it`,
  suspended: 'the card is suspended',
  buried: (until: string) => `the card is buried until ${until}`,
  family: (family: string) => `family ${family} was answered today: its other items wait for tomorrow`,
  familyTaken: (family: string) => `another item of family ${family} holds the family's one place in today's queue`,
  beyondNewLimit: (n: number, left: number, perDay: number) => `beyond the new-card limit: position ${n} of the new list, with ${left} of today's ${perDay} new cards left`,
  classLater: (cls: string) => `class ${cls}: today's share of its new items is already in the queue or done; it comes on a later study day`,
  notStarted: HELD_REASONS.notStarted,
  answeredToday: 'answered today: it comes back on its next due date',
  notDue: (kind: string, at: string) => `${kind} not due until ${at}`,
  beyondReviewLimit: (perDay: number) => `a due review beyond the review limit (${perDay} a day)`,
} as const;

export async function explainItem({ db = getDb(), userId, itemId, now }: { db?: Db; userId: number; itemId: string; now: Date }): Promise<ItemExplanation> {
  const out = (reason: string, position: number | null = null, kind: QueueKind | null = null): ItemExplanation => ({ itemId, position, kind, reason });
  const [item] = await db.select({ bankId: items.bankId, family: items.family, retiredAt: items.retiredAt }).from(items).where(eq(items.id, itemId));
  if (!item) return out(EXPLAIN_REASONS.noItem(itemId));
  const [user] = await db.select({ timeZone: users.timeZone }).from(users).where(eq(users.id, userId));
  const zone = user?.timeZone ?? 'UTC';
  if (item.retiredAt) return out(EXPLAIN_REASONS.retired(whenIn(zone, item.retiredAt)));
  const built = await buildQueue(db, userId, now, { fullNewList: true, explain: true });
  const { queue } = built;
  const bank = built.banks.get(item.bankId);
  if (!bank) return out(EXPLAIN_REASONS.notStudied(item.bankId));
  const at = queue.entries.findIndex((e) => e.itemId === itemId);
  if (at >= 0) return out(EXPLAIN_REASONS.inQueue(at + 1, queue.entries.length, queue.entries[at]!.reason), at + 1, queue.entries[at]!.kind);
  if (bank.state === 'off') return out(EXPLAIN_REASONS.off(bank.bankId));
  const [card] = await db.select().from(cards).where(and(eq(cards.userId, userId), eq(cards.itemId, itemId)));
  if (card?.suspended) return out(EXPLAIN_REASONS.suspended);
  if (card?.buriedUntil && card.buriedUntil > now) return out(EXPLAIN_REASONS.buried(whenIn(zone, card.buriedUntil)));
  const familyBuried = item.family !== null && queue.buriedFamilies.includes(item.family);
  if (!card || card.state === State.New) {
    if (bank.state === 'paused') return out(EXPLAIN_REASONS.paused(bank.bankId));
    const status = queue.classBanks.find((c) => c.bankId === item.bankId);
    if (status?.startsOn && queue.studyDay < status.startsOn) return out(EXPLAIN_REASONS.notStarted(status.className, status.startsOn));
    if (familyBuried) return out(EXPLAIN_REASONS.family(item.family!));
    const n = (built.newList ?? []).findIndex((e) => e.itemId === itemId);
    if (n >= 0) return out(EXPLAIN_REASONS.beyondNewLimit(n + 1, built.newLeft, queue.limits.newPerDay));
    if (status) return out(EXPLAIN_REASONS.classLater(status.className));
    return out(EXPLAIN_REASONS.familyTaken(item.family ?? ''));
  }
  if (familyBuried) return out(EXPLAIN_REASONS.family(item.family!));
  const dayEnd = queue.nextDayStart.getTime();
  if (card.lastReview && card.lastReview >= built.dayStart && card.due.getTime() >= dayEnd) return out(EXPLAIN_REASONS.answeredToday);
  if (card.state === State.Review) {
    if (card.due.getTime() >= dayEnd) return out(EXPLAIN_REASONS.notDue('a review', whenIn(zone, card.due)));
    return out(EXPLAIN_REASONS.beyondReviewLimit(queue.limits.reviewsPerDay));
  }
  if (card.due > now) return out(EXPLAIN_REASONS.notDue('a learning step', whenIn(zone, card.due)));
  return out(item.family ? EXPLAIN_REASONS.familyTaken(item.family) : EXPLAIN_REASONS.notDue('a card', whenIn(zone, card.due)));
}
