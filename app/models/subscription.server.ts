/**
 * What a student studies: every content bank (on unless turned off or paused) and every bank
 * published to a class they belong to (on from the moment it is published; it can be paused,
 * never turned off while they are a member). No subscription row means on.
 */
import { z } from 'zod';
import { and, asc, count, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { banks, classBanks, classes, items, memberships, subscriptions, subscriptionStates, type SubscriptionState } from '../../db/schema';
import { prepared } from '../../db/sql';

export const SUBSCRIPTION_ERRORS = {
  unknownBank: (bankId: string) => `there is no bank ${bankId} among the ones you study`,
  classBankOff: (title: string, classNames: string[]) =>
    `${title} is published to your class ${classNames.join(', ')}: it can be paused, not turned off, while you are a member`,
  badState: (state: string) => `state must be one of ${subscriptionStates.join(', ')}, got '${state}'`,
} as const;

/** A bank the user may not study, or none by that id: a route answers 404. */
export class SubscriptionNotFound extends Error {
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = 'SubscriptionNotFound';
  }
}

/** 'off' asked for a class bank: a route shows the message at the field (400). */
export class SubscriptionRefused extends Error {
  readonly status = 400;
  constructor(message: string) {
    super(message);
    this.name = 'SubscriptionRefused';
  }
}

export interface StudiedBank {
  bankId: string;
  title: string;
  /** 'class' when published to one of the user's classes (whatever the bank's own source). */
  source: 'content' | 'class';
  /** The user's classes it is published to, with each one's dates. */
  classes: { id: number; name: string; startsOn: string | null; learnBy: string | null; publishedAt: Date }[];
  /** The effective state: a class bank's stored 'off' (set before joining) reads as on. */
  state: SubscriptionState;
}

export interface Subscription {
  bankId: string;
  title: string;
  source: 'content' | 'class';
  classes: { id: number; name: string }[];
  state: SubscriptionState;
  items: number;
  canTurnOff: boolean;
}

function prepareStatements(db: Db) {
  const p = sql.placeholder;
  return {
    // Content banks and the banks of the user's classes, with the user's stored choice.
    banks: prepared(
      db
        .select({ bankId: banks.id, title: banks.title, source: banks.source, state: subscriptions.state })
        .from(banks)
        .leftJoin(subscriptions, and(eq(subscriptions.bankId, banks.id), eq(subscriptions.userId, p('userId'))))
        .where(
          or(
            eq(banks.source, 'content'),
            inArray(
              banks.id,
              db
                .select({ bankId: classBanks.bankId })
                .from(classBanks)
                .innerJoin(memberships, eq(memberships.classId, classBanks.classId))
                .where(eq(memberships.userId, p('userId'))),
            ),
          ),
        )
        .orderBy(asc(banks.id)),
      'studied_banks',
    ),
    classBanks: prepared(
      db
        .select({ bankId: classBanks.bankId, classId: classes.id, className: classes.name, startsOn: classBanks.startsOn, learnBy: classBanks.learnBy, publishedAt: classBanks.publishedAt })
        .from(classBanks)
        .innerJoin(memberships, eq(memberships.classId, classBanks.classId))
        .innerJoin(classes, eq(classes.id, classBanks.classId))
        .where(eq(memberships.userId, p('userId')))
        .orderBy(asc(classBanks.publishedAt), asc(classes.id)),
      'studied_class_banks',
    ),
  };
}

const statementsByDb = new WeakMap<Db, ReturnType<typeof prepareStatements>>();

function statementsFor(db: Db) {
  let s = statementsByDb.get(db);
  if (!s) statementsByDb.set(db, (s = prepareStatements(db)));
  return s;
}

/** A bank's state for a student from their stored choice (none: on): a class bank is never off while they are a member. */
export function effectiveBankState(stored: SubscriptionState | null, classBank: boolean): SubscriptionState {
  const state = stored ?? 'on';
  return classBank && state === 'off' ? 'on' : state;
}

/** Every bank the user studies, with its effective state and its classes (two small reads, prepared). */
export async function studiedBanks({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<StudiedBank[]> {
  const st = statementsFor(db);
  const [rows, classRows] = [await st.banks.execute({ userId }), await st.classBanks.execute({ userId })];
  const classesOf = new Map<string, StudiedBank['classes']>();
  for (const r of classRows) {
    const list = classesOf.get(r.bankId) ?? [];
    list.push({ id: r.classId, name: r.className, startsOn: r.startsOn, learnBy: r.learnBy, publishedAt: r.publishedAt });
    classesOf.set(r.bankId, list);
  }
  return rows.map((r) => {
    const cls = classesOf.get(r.bankId) ?? [];
    const source = cls.length > 0 ? 'class' : 'content';
    return { bankId: r.bankId, title: r.title, source, classes: cls, state: effectiveBankState(r.state, source === 'class') };
  });
}

/** The "What I study" list: each bank, its state, its classes, its items (not retired). */
export async function listSubscriptions({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<Subscription[]> {
  const list = await studiedBanks({ db, userId });
  const counts = new Map(
    (await db.select({ bankId: items.bankId, n: count() }).from(items).where(isNull(items.retiredAt)).groupBy(items.bankId)).map((r) => [r.bankId, Number(r.n)]),
  );
  // Class banks first (in the order they were published), then content banks by title.
  const order = (b: StudiedBank) => (b.source === 'class' ? 0 : 1);
  return [...list]
    .sort((a, b) => order(a) - order(b) || (a.source === 'class' ? 0 : a.title.localeCompare(b.title)))
    .map((b) => ({
      bankId: b.bankId,
      title: b.title,
      source: b.source,
      classes: b.classes.map((c) => ({ id: c.id, name: c.name })),
      state: b.state,
      items: counts.get(b.bankId) ?? 0,
      canTurnOff: b.source === 'content',
    }));
}

/** Turns a bank on, pauses it or turns it off for the user (an upsert). */
export async function setSubscription({ db = getDb(), userId, bankId, state, now }: { db?: Db; userId: number; bankId: string; state: SubscriptionState; now: Date }): Promise<Subscription> {
  if (!(subscriptionStates as readonly string[]).includes(state)) throw new SubscriptionRefused(SUBSCRIPTION_ERRORS.badState(state));
  const bank = (await studiedBanks({ db, userId })).find((b) => b.bankId === bankId);
  if (!bank) throw new SubscriptionNotFound(SUBSCRIPTION_ERRORS.unknownBank(bankId));
  if (state === 'off' && bank.source === 'class')
    throw new SubscriptionRefused(
      SUBSCRIPTION_ERRORS.classBankOff(
        bank.title,
        bank.classes.map((c) => c.name),
      ),
    );
  await db
    .insert(subscriptions)
    .values({ userId, bankId, state, updatedAt: now })
    .onConflictDoUpdate({ target: [subscriptions.userId, subscriptions.bankId], set: { state, updatedAt: now } });
  const updated = (await listSubscriptions({ db, userId })).find((s) => s.bankId === bankId);
  return updated!;
}

/** Form schema of subscriptions.tsx (server-side, so zod stays out of the page's browser bundle). */
export const SubscriptionFormSchema = () =>
  z.object({
    bankId: z.string().min(1, { error: 'choose a bank' }).max(80, { error: 'a bank id is at most 80 characters' }),
    state: z.enum(subscriptionStates, { error: `choose one of ${subscriptionStates.join(', ')}` }),
  });
