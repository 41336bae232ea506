/**
 * The student's dashboard figures: due and new today (from the daily queue), the streak of study
 * days, reviews per study day over recent weeks, mastery per topic, and readiness for each exam ahead.
 */
import { and, eq } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { banks, cards, items, reviews, users } from '../../db/schema';
import { State } from '../scheduling/scheduler';
import { studyDay } from '../scheduling/study-day';
import { studiedBankCondition } from './access.server';
import { dailyQueue, type ClassBankStatus } from './queue.server';
import { readinessSummaries, type ReadinessSummaryRow } from './readiness.server';

/** A card counts as mastered once its interval reaches three weeks (Anki calls these "mature"). */
export const MASTERED_INTERVAL_DAYS = 21;

export interface Dashboard {
  dueToday: number;
  newToday: number;
  doneToday: number;
  streak: number;
  /** Oldest first, one entry per study day, `days` long, today last. */
  perDay: { day: string; reviews: number; correct: number }[];
  topics: { topic: string; items: number; seen: number; mastered: number }[];
  /** One line per class bank with a learn-by or a start date to come, from the queue's classBanks. */
  classLines: { bankId: string; text: string }[];
  /** One line per exam ahead, soonest first (readinessSummaries). */
  exams: ReadinessSummaryRow[];
}

/** '15 Dec' for '2026-12-15'. */
function shortDate(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** The dashboard's words about a class bank, in one place. */
export const CLASS_LINES = {
  starts: (cls: string, on: string) => `Class ${cls}: starts ${shortDate(on)}`,
  allIntroduced: (cls: string, total: number) => `Class ${cls}: all ${total} introduced`,
  onTrack: (cls: string, introduced: number, total: number, learnBy: string) => `Class ${cls}: ${introduced} of ${total} introduced, on track for ${shortDate(learnBy)}`,
  behind: (cls: string, introduced: number, total: number, perDay: number, finishesOn: string | null) =>
    `Class ${cls}: ${introduced} of ${total} introduced; behind: ` +
    (finishesOn === null ? `at your ${perDay} new cards a day the last one never comes` : `at your ${perDay} new cards a day the last one comes on ${shortDate(finishesOn)}`),
} as const;

/** The line for one class bank, or null for a bank with no dates to keep. */
export function classLine(c: ClassBankStatus, today: string, newPerDay: number): string | null {
  const { introduced, total, finishesOn, onTrack } = c.progress;
  if (c.startsOn !== null && today < c.startsOn) return CLASS_LINES.starts(c.className, c.startsOn);
  if (c.learnBy === null) return null;
  if (introduced >= total) return CLASS_LINES.allIntroduced(c.className, total);
  return onTrack ? CLASS_LINES.onTrack(c.className, introduced, total, c.learnBy) : CLASS_LINES.behind(c.className, introduced, total, newPerDay, finishesOn);
}

const DAY_MS = 86_400_000;

export async function dashboardFor({ db = getDb(), userId, now, days = 28 }: { db?: Db; userId: number; now: Date; days?: number }): Promise<Dashboard> {
  const [user] = await db.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`no user ${userId}`);
  const queue = await dailyQueue({ db, userId, now });
  const dayOf = (t: Date) => studyDay(t, user.timeZone, user.rolloverHour);

  // Study days are local dates; walk back a day at a time from now (DST shifts by an hour at most).
  const dayList: string[] = [];
  for (let i = days - 1; i >= 0; i--) dayList.push(dayOf(new Date(now.getTime() - i * DAY_MS)));
  // One pass over the user's reviews gives both the chart and the streak.
  const counts = new Map<string, { reviews: number; correct: number }>();
  for (const r of await db.select({ reviewedAt: reviews.reviewedAt, correct: reviews.correct }).from(reviews).where(eq(reviews.userId, userId))) {
    const day = dayOf(r.reviewedAt);
    const c = counts.get(day) ?? { reviews: 0, correct: 0 };
    c.reviews++;
    if (r.correct) c.correct++;
    counts.set(day, c);
  }
  const perDay = [...new Set(dayList)].map((day) => ({ day, ...(counts.get(day) ?? { reviews: 0, correct: 0 }) }));
  const streak = streakOf(new Set(counts.keys()), dayOf(now));

  const rows = await db
    .select({ topic: items.topic, state: cards.state, scheduledDays: cards.scheduledDays })
    .from(items)
    .innerJoin(banks, eq(banks.id, items.bankId))
    .leftJoin(cards, and(eq(cards.itemId, items.id), eq(cards.userId, userId)))
    .where(studiedBankCondition(db, userId));
  const topics = new Map<string, { topic: string; items: number; seen: number; mastered: number }>();
  for (const r of rows) {
    const t = topics.get(r.topic) ?? { topic: r.topic, items: 0, seen: 0, mastered: 0 };
    t.items++;
    if (r.state !== null && r.state !== State.New) t.seen++;
    if (r.state === State.Review && (r.scheduledDays ?? 0) >= MASTERED_INTERVAL_DAYS) t.mastered++;
    topics.set(r.topic, t);
  }

  const entries = queue.entries;
  return {
    dueToday: entries.filter((e) => e.section !== 'new').length,
    newToday: entries.filter((e) => e.section === 'new').length,
    doneToday: queue.done.reviews + queue.done.new,
    streak,
    perDay,
    topics: [...topics.values()].sort((a, b) => a.topic.localeCompare(b.topic)),
    classLines: queue.classBanks.flatMap((c) => {
      const text = classLine(c, queue.studyDay, queue.limits.newPerDay);
      return text === null ? [] : [{ bankId: c.bankId, text }];
    }),
    exams: await readinessSummaries({ db, userId, now }),
  };
}

/** The study day before `day` ('YYYY-MM-DD'), by the calendar, whatever the time zone's DST. */
export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/**
 * Consecutive study days with at least one review, counting back from `today` — or from
 * yesterday when today has none yet, so a streak is not broken before the day is over.
 */
export function streakOf(days: ReadonlySet<string>, today: string): number {
  let day = days.has(today) ? today : previousDay(today);
  let streak = 0;
  while (days.has(day)) {
    streak++;
    day = previousDay(day);
  }
  return streak;
}
