/**
 * Card actions: suspend, unsuspend, bury until the next study day, unbury, forget, "review now".
 * Each runs in one transaction under the user's row lock (as a review does), and writes, per card
 * it changed, the card's columns the action touches as they were before it (card_actions.before)
 * under one batch id: undo (undo.server.ts) puts them back, a bulk action as one.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db } from '../../db/client';
import { cardActionKinds, cardActions, cards, users, type CardActionKind, type CardRow } from '../../db/schema';
import { lockRows } from '../../db/sql';
import { countOf } from '../../engine/answers';
import { newCardState } from '../scheduling/scheduler';
import { nextDayStart } from '../scheduling/study-day';
import { getItemForUser } from './bank.server';
import { cardColumnsOf } from './card.server';

/** A card or item the user may not act on: the route answers 404 (whose it is stays unsaid). */
export class CardNotFound extends Error {
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = 'CardNotFound';
  }
}

export const CARD_ACTION_ERRORS = {
  action: (a: unknown) => `card action must be one of ${cardActionKinds.join(', ')}, got ${String(a)}`,
  nothing: 'choose at least one card',
  tooMany: (n: number) => `at most ${MAX_CARDS_PER_ACTION} cards an action, got ${n}`,
  noCard: (ids: number[]) => `no card ${ids.join(', ')} of yours`,
  noItem: (id: string) => `you do not study item ${id}`,
  noUser: (id: number) => `no user ${id}`,
} as const;

/** A bulk action's ceiling: a few pages of the cards page, well inside either engine's parameter limit. */
export const MAX_CARDS_PER_ACTION = 1000;

/**
 * The columns an action may change, as stored in card_actions.before (instants as epoch ms).
 * Only the columns the action touches are stored, so undoing a suspension does not also take back
 * a quiz's promotion made since.
 */
const SnapshotSchema = z
  .object({
    due: z.number(),
    stability: z.number(),
    difficulty: z.number(),
    elapsedDays: z.number().int(),
    scheduledDays: z.number().int(),
    learningSteps: z.number().int(),
    reps: z.number().int(),
    lapses: z.number().int(),
    state: z.number().int(),
    lastReview: z.number().nullable(),
    leech: z.boolean(),
    suspended: z.boolean(),
    buriedUntil: z.number().nullable(),
    promotedAt: z.number().nullable(),
    promotedBy: z.enum(['quiz', 'cards']).nullable(),
    promotedQuiz: z.number().int().nullable(),
  })
  .partial()
  .strict();
type Snapshot = z.infer<typeof SnapshotSchema>;
type SnapshotKey = keyof Snapshot;

/** The columns of cards an action sets (a subset of the row). */
export type CardPatch = Partial<Pick<CardRow, SnapshotKey>>;

const INSTANT_KEYS = new Set<SnapshotKey>(['due', 'lastReview', 'buriedUntil', 'promotedAt']);

function snapshotOf(row: CardRow, keys: SnapshotKey[]): Snapshot {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = row[k];
    out[k] = v instanceof Date ? v.getTime() : v;
  }
  return out as Snapshot;
}

/** The stored before-columns of one card (JSON null: the action made the card). Throws on anything else. */
export function parseSnapshot(json: string): CardPatch | null {
  const raw: unknown = JSON.parse(json);
  if (raw === null) return null;
  const parsed = SnapshotSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`stored card action: not a card snapshot (${parsed.error.issues[0]?.message ?? 'invalid'}) in ${json}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.data)) out[k] = INSTANT_KEYS.has(k as SnapshotKey) && typeof v === 'number' ? new Date(v) : v;
  return out as CardPatch;
}

/** What `action` sets on a card at `now`; `buryUntil` is the start of the user's next study day. */
export function patchFor(action: CardActionKind, now: Date, buryUntil: Date): CardPatch {
  switch (action) {
    case 'suspend':
      return { suspended: true };
    case 'unsuspend':
      return { suspended: false };
    case 'bury':
      return { buriedUntil: buryUntil };
    case 'unbury':
      return { buriedUntil: null };
    case 'forget':
      // Back to New with the leech flag cleared; the promotion goes too, or a forgotten card
      // (lastReview null) would count as promoted again. Suspension and burying are kept.
      return { ...cardColumnsOf(newCardState(now)), promotedAt: null, promotedBy: null, promotedQuiz: null };
    case 'review-now':
      // The latest wish wins: a card asked for now is no longer buried or suspended.
      return { promotedAt: now, promotedBy: 'cards', promotedQuiz: null, buriedUntil: null, suspended: false };
  }
}

const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

function changes(row: CardRow, patch: CardPatch): boolean {
  return (Object.keys(patch) as SnapshotKey[]).some((k) => !same(row[k], patch[k]));
}

/** Whether an item with no card yet gets a New card for this action (suspend, bury and review-now must hold on it). */
const CREATES_CARD: Record<CardActionKind, boolean> = { suspend: true, unsuspend: false, bury: true, unbury: false, forget: false, 'review-now': true };

export interface CardActionInput {
  db?: Db;
  userId: number;
  action: CardActionKind;
  /** The user's cards, by id. */
  cardIds?: number[];
  /** Items the user studies, by id (a card is made for one never studied, when the action needs one). */
  itemIds?: string[];
  now: Date;
}

export interface CardActionResult {
  action: CardActionKind;
  /** The batch undo takes back; null when no card changed (nothing was written). */
  batch: string | null;
  /** Items whose card the action changed (or made), and those it found already so. */
  changed: string[];
  unchanged: string[];
}

/**
 * Applies `action` to the user's cards `cardIds` and to their cards on `itemIds`, in one
 * transaction. A card or item that is not the user's (or an item they may not study) throws
 * CardNotFound and nothing is written.
 */
export async function applyCardAction({ db = getDb(), userId, action, cardIds = [], itemIds = [], now }: CardActionInput): Promise<CardActionResult> {
  if (!(cardActionKinds as readonly string[]).includes(action)) throw new RangeError(CARD_ACTION_ERRORS.action(action));
  const wantedCards = [...new Set(cardIds)];
  const wantedItems = [...new Set(itemIds)];
  if (wantedCards.length + wantedItems.length === 0) throw new RangeError(CARD_ACTION_ERRORS.nothing);
  if (wantedCards.length + wantedItems.length > MAX_CARDS_PER_ACTION) throw new RangeError(CARD_ACTION_ERRORS.tooMany(wantedCards.length + wantedItems.length));

  return db.transaction(async (tx) => {
    // submitReview's lock: a review reading "no card yet" cannot meet this insert half-way.
    await lockRows(tx, users, eq(users.id, userId));
    const [user] = await tx.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour }).from(users).where(eq(users.id, userId));
    if (!user) throw new Error(CARD_ACTION_ERRORS.noUser(userId));

    const rows = wantedCards.length > 0 ? await tx.select().from(cards).where(and(eq(cards.userId, userId), inArray(cards.id, wantedCards))) : [];
    if (rows.length < wantedCards.length) {
      const found = new Set(rows.map((r) => r.id));
      throw new CardNotFound(CARD_ACTION_ERRORS.noCard(wantedCards.filter((id) => !found.has(id))));
    }
    const created = new Set<number>();
    if (wantedItems.length > 0) {
      for (const itemId of wantedItems) {
        if (!(await getItemForUser({ db: tx, userId, itemId }))) throw new CardNotFound(CARD_ACTION_ERRORS.noItem(itemId));
      }
      const have = await tx.select().from(cards).where(and(eq(cards.userId, userId), inArray(cards.itemId, wantedItems)));
      const known = new Set(rows.map((r) => r.id));
      rows.push(...have.filter((r) => !known.has(r.id)));
      const haveItems = new Set(have.map((r) => r.itemId));
      const missing = wantedItems.filter((id) => !haveItems.has(id));
      if (missing.length > 0 && CREATES_CARD[action]) {
        const inserted = await tx
          .insert(cards)
          .values(missing.map((itemId) => ({ userId, itemId, ...cardColumnsOf(newCardState(now)) })))
          .returning();
        for (const r of inserted) created.add(r.id);
        rows.push(...inserted);
      }
    }

    const patch = patchFor(action, now, nextDayStart(now, user.timeZone, user.rolloverHour));
    const keys = Object.keys(patch) as SnapshotKey[];
    const batch = crypto.randomUUID();
    const changed: CardRow[] = [];
    const unchanged: string[] = [];
    for (const row of rows) {
      if (!created.has(row.id) && !changes(row, patch)) {
        unchanged.push(row.itemId);
        continue;
      }
      changed.push(row);
    }
    if (changed.length === 0) return { action, batch: null, changed: [], unchanged };
    await tx
      .update(cards)
      .set(patch)
      .where(
        and(
          eq(cards.userId, userId),
          inArray(
            cards.id,
            changed.map((r) => r.id),
          ),
        ),
      );
    await tx.insert(cardActions).values(
      changed.map((row) => ({
        userId,
        cardId: row.id,
        batch,
        action,
        before: JSON.stringify(created.has(row.id) ? null : snapshotOf(row, keys)),
        at: now,
      })),
    );
    return { action, batch, changed: changed.map((r) => r.itemId), unchanged };
  });
}

/** Each action's name and what it did, for the pages' status lines (one place for these strings). */
export const CARD_ACTION_WORDS: Record<CardActionKind, { name: string; done: string; already: string }> = {
  suspend: { name: 'Suspend', done: 'suspended', already: 'already suspended' },
  unsuspend: { name: 'Unsuspend', done: 'unsuspended: back in the queue', already: 'not suspended' },
  bury: { name: 'Bury', done: 'buried until tomorrow', already: 'already buried until tomorrow' },
  unbury: { name: 'Unbury', done: 'unburied', already: 'not buried' },
  forget: { name: 'Forget', done: 'forgotten: back to new, their history kept', already: 'new already' },
  'review-now': { name: 'Review now', done: 'put at the front of today’s review', already: 'at the front already' },
};

/** "3 cards suspended. 1 card was already suspended." */
export function cardActionMessage(r: CardActionResult): string {
  const words = CARD_ACTION_WORDS[r.action];
  const done = r.changed.length > 0 ? `${countOf(r.changed.length, 'card')} ${words.done}.` : 'Nothing changed.';
  const already = r.unchanged.length > 0 ? ` ${countOf(r.unchanged.length, 'card')} ${r.unchanged.length === 1 ? 'was' : 'were'} ${words.already}.` : '';
  return done + already;
}

/** For routes: a CardNotFound becomes a 404 response (as forbiddenOnDenial does for AccessDenied). */
export async function notFoundAsHttp<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CardNotFound) throw new Response(err.message, { status: 404, statusText: 'Not Found' });
    throw err;
  }
}
