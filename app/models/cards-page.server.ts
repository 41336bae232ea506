/**
 * The cards page (/cards): every card of the student (cards rows only: an item never studied has
 * no card and is not listed), searched, filtered, sorted and cut into pages of CARDS_PAGE_SIZE.
 * One query reads the user's cards (lean columns, no item content unless searching); filtering,
 * retrievability and sorting are plain code over them (filterCards, sortCards), which the tests
 * check against an independent computation. The filters come from the URL (a GET form).
 */
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db } from '../../db/client';
import { banks, cardActionKinds, cards, items, users } from '../../db/schema';
import type { FormResult } from '../forms';
import { clozeFront } from '../../engine/bank/cloze';
import { isIsoDate, addDays } from '../scheduling/class-schedule';
import { retrievability, State, type CardState, type SchedulerSettings } from '../scheduling/scheduler';
import { studyDayBounds } from '../scheduling/study-day';
import { MAX_CARDS_PER_ACTION } from './card-actions.server';
import { cardStateOf } from './card.server';
import { schedulerColumns, schedulerSettingsOf } from './review.server';

export const CARDS_PAGE_SIZE = 50;

/** The state filter: the four ts-fsrs states, and the flags (a suspended card keeps its ts-fsrs state too). */
export const cardStateFilters = ['new', 'learning', 'review', 'relearning', 'suspended', 'leech', 'buried'] as const;
export type CardStateFilter = (typeof cardStateFilters)[number];
export const cardSorts = ['due', 'retrievability', 'lapses', 'reps', 'lastReview', 'item'] as const;
export type CardSort = (typeof cardSorts)[number];
export const dueWindows = ['today', 'overdue'] as const;

export const STATE_NAMES: Record<State, string> = { [State.New]: 'new', [State.Learning]: 'learning', [State.Review]: 'review', [State.Relearning]: 'relearning' };

export interface CardsQuery {
  /** Searched in the item id, its title or front text, and its family; case-insensitive. */
  q: string;
  bank: string | null;
  topic: string | null;
  family: string | null;
  state: CardStateFilter | null;
  /** 'today': due by the end of this study day; 'overdue': due before it began. New cards have no due date. */
  due: (typeof dueWindows)[number] | null;
  /** Study days 'YYYY-MM-DD', both included, in the user's calendar. */
  dueFrom: string | null;
  dueTo: string | null;
  minLapses: number | null;
  /** Retrievability bounds in percent, both included; new cards have none and are left out. */
  minRecall: number | null;
  maxRecall: number | null;
  sort: CardSort;
  dir: 'asc' | 'desc';
  page: number;
}

export const DEFAULT_QUERY: CardsQuery = {
  q: '',
  bank: null,
  topic: null,
  family: null,
  state: null,
  due: null,
  dueFrom: null,
  dueTo: null,
  minLapses: null,
  minRecall: null,
  maxRecall: null,
  sort: 'due',
  dir: 'asc',
  page: 1,
};

export const CARDS_QUERY_ERRORS = {
  q: 'search text is at most 200 characters',
  name: (field: string) => `${field} is at most 300 characters`,
  state: `state must be one of ${cardStateFilters.join(', ')}`,
  due: `due must be ${dueWindows.join(' or ')}`,
  date: (field: string, v: string) => `${field} must be a date written YYYY-MM-DD, got “${v}”`,
  dateOrder: 'the "due to" date is before the "due from" date',
  minLapses: 'lapses must be a whole number from 0 to 1000',
  recall: (field: string) => `${field} must be a percentage from 0 to 100`,
  recallOrder: 'the lowest recall is above the highest',
  sort: `sort must be one of ${cardSorts.join(', ')}`,
  dir: 'order must be asc or desc',
  page: 'page must be a whole number from 1',
} as const;

const optionalText = (message: string, max = 300) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((v) => (v === '' ? null : v));
const optionalOf = <T extends string>(values: readonly T[], message: string) =>
  z.string().transform((v, ctx) => {
    if (v === '') return null;
    if (!(values as readonly string[]).includes(v)) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return v as T;
  });
const optionalNumber = (message: string, min: number, max: number, integer: boolean) =>
  z.string().transform((v, ctx) => {
    if (v.trim() === '') return null;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });
const optionalDate = (field: string) =>
  z.string().transform((v, ctx) => {
    if (v.trim() === '') return null;
    if (!isIsoDate(v.trim())) {
      ctx.addIssue({ code: 'custom', message: CARDS_QUERY_ERRORS.date(field, v) });
      return z.NEVER;
    }
    return v.trim();
  });

/** One schema per URL parameter, so that a bad one is reported at its field and the others still apply. */
const FIELD_SCHEMAS = {
  q: optionalText(CARDS_QUERY_ERRORS.q, 200).transform((v) => v ?? ''),
  bank: optionalText(CARDS_QUERY_ERRORS.name('bank')),
  topic: optionalText(CARDS_QUERY_ERRORS.name('topic')),
  family: optionalText(CARDS_QUERY_ERRORS.name('family')),
  state: optionalOf(cardStateFilters, CARDS_QUERY_ERRORS.state),
  due: optionalOf(dueWindows, CARDS_QUERY_ERRORS.due),
  dueFrom: optionalDate('due from'),
  dueTo: optionalDate('due to'),
  minLapses: optionalNumber(CARDS_QUERY_ERRORS.minLapses, 0, 1000, true),
  minRecall: optionalNumber(CARDS_QUERY_ERRORS.recall('lowest recall'), 0, 100, false),
  maxRecall: optionalNumber(CARDS_QUERY_ERRORS.recall('highest recall'), 0, 100, false),
  sort: optionalOf(cardSorts, CARDS_QUERY_ERRORS.sort).transform((v) => v ?? DEFAULT_QUERY.sort),
  dir: optionalOf(['asc', 'desc'] as const, CARDS_QUERY_ERRORS.dir).transform((v) => v ?? DEFAULT_QUERY.dir),
  page: optionalNumber(CARDS_QUERY_ERRORS.page, 1, Number.MAX_SAFE_INTEGER, true).transform((v) => v ?? 1),
} satisfies { [K in keyof CardsQuery]: z.ZodType<CardsQuery[K], string> };

/**
 * The query of a cards page URL. A bad value is reported at its field (errors keyed by the URL
 * parameter) and left out: the page shows the rest, filtered by the good ones.
 */
export function parseCardsQuery(params: URLSearchParams): { query: CardsQuery; errors: Record<string, string> } {
  const query: Record<string, unknown> = { ...DEFAULT_QUERY };
  const errors: Record<string, string> = {};
  for (const [key, schema] of Object.entries(FIELD_SCHEMAS)) {
    const parsed = (schema as z.ZodType).safeParse(params.get(key) ?? '');
    if (parsed.success) query[key] = parsed.data;
    else errors[key] = parsed.error.issues[0]?.message ?? `${key} is not valid`;
  }
  const q = query as unknown as CardsQuery;
  if (q.dueFrom !== null && q.dueTo !== null && q.dueTo < q.dueFrom) {
    errors.dueTo = CARDS_QUERY_ERRORS.dateOrder;
    q.dueTo = null;
  }
  if (q.minRecall !== null && q.maxRecall !== null && q.minRecall > q.maxRecall) {
    errors.maxRecall = CARDS_QUERY_ERRORS.recallOrder;
    q.maxRecall = null;
  }
  return { query: q, errors };
}

/** The URL parameters of a query, defaults left out (links to pages and sorts keep the filters). */
export function cardsQueryParams(query: CardsQuery, change: Partial<CardsQuery> = {}): URLSearchParams {
  const q = { ...query, ...change };
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_QUERY) as (keyof CardsQuery)[]) {
    const v = q[key];
    if (v === null || v === '' || v === DEFAULT_QUERY[key]) continue;
    params.set(key, String(v));
  }
  return params;
}

/** One card as the page filters it (the state, with what the page shows beside it). */
export interface CardListing {
  cardId: number;
  itemId: string;
  bankId: string;
  bankTitle: string;
  topic: string;
  family: string | null;
  kind: string;
  state: CardState;
  suspended: boolean;
  buriedUntil: number | null;
  /** Asked for ("review now") or sent by a quiz, and not reviewed since. */
  promoted: boolean;
  /** Item text searched (title, front, question or cloze front); null unless searching. */
  text: string | null;
}

/** The bounds the filters compare with, fixed for one page view. */
export interface FilterContext {
  now: number;
  dayStart: number;
  dayEnd: number;
  /** Start of dueFrom's study day; start of the day after dueTo's. */
  dueFromAt: number | null;
  dueToAt: number | null;
  settings: SchedulerSettings;
  /** Retrievability of a listing, memoised per view. */
  recall(c: CardListing): number | null;
}

function matchesState(c: CardListing, state: CardStateFilter, now: number): boolean {
  switch (state) {
    case 'suspended':
      return c.suspended;
    case 'leech':
      return c.state.leech;
    case 'buried':
      return c.buriedUntil !== null && c.buriedUntil > now;
    default:
      return STATE_NAMES[c.state.state] === state;
  }
}

/** The cards the query's filters keep, in their order. */
export function filterCards(list: CardListing[], q: CardsQuery, ctx: FilterContext): CardListing[] {
  const needle = q.q.toLowerCase();
  return list.filter((c) => {
    if (q.bank !== null && c.bankId !== q.bank) return false;
    if (q.topic !== null && c.topic !== q.topic) return false;
    if (q.family !== null && c.family !== q.family) return false;
    if (q.state !== null && !matchesState(c, q.state, ctx.now)) return false;
    if (q.minLapses !== null && c.state.lapses < q.minLapses) return false;
    const hasDue = c.state.state !== State.New;
    if (q.due === 'today' && !(hasDue && c.state.due < ctx.dayEnd)) return false;
    if (q.due === 'overdue' && !(hasDue && c.state.due < ctx.dayStart)) return false;
    if (ctx.dueFromAt !== null && !(hasDue && c.state.due >= ctx.dueFromAt)) return false;
    if (ctx.dueToAt !== null && !(hasDue && c.state.due < ctx.dueToAt)) return false;
    if (q.minRecall !== null || q.maxRecall !== null) {
      const r = ctx.recall(c);
      if (r === null) return false;
      if (q.minRecall !== null && r * 100 < q.minRecall) return false;
      if (q.maxRecall !== null && r * 100 > q.maxRecall) return false;
    }
    if (needle !== '' && !`${c.itemId}\n${c.family ?? ''}\n${c.text ?? ''}`.toLowerCase().includes(needle)) return false;
    return true;
  });
}

/** The sort key of a card; null sorts last whatever the direction (a new card has no due date, recall or last review). */
function sortKey(c: CardListing, sort: CardSort, ctx: FilterContext): number | string | null {
  switch (sort) {
    case 'due':
      return c.state.state === State.New ? null : c.state.due;
    case 'retrievability':
      return ctx.recall(c);
    case 'lapses':
      return c.state.lapses;
    case 'reps':
      return c.state.reps;
    case 'lastReview':
      return c.state.lastReview;
    case 'item':
      return c.itemId;
  }
}

/** The cards in the query's order; ties by item id. */
export function sortCards(list: CardListing[], q: CardsQuery, ctx: FilterContext): CardListing[] {
  const sign = q.dir === 'asc' ? 1 : -1;
  const keyed = list.map((c) => ({ c, k: sortKey(c, q.sort, ctx) }));
  keyed.sort((a, b) => {
    if (a.k !== b.k) {
      if (a.k === null) return 1;
      if (b.k === null) return -1;
      if (a.k < b.k) return -sign;
      if (a.k > b.k) return sign;
    }
    return a.c.itemId < b.c.itemId ? -1 : a.c.itemId > b.c.itemId ? 1 : 0;
  });
  return keyed.map((x) => x.c);
}

/** A short plain-text label of an item from its stored content: the title, front, question or cloze front. */
export function itemText(kind: string, content: string): string {
  let v: unknown;
  try {
    v = JSON.parse(content);
  } catch {
    return '';
  }
  if (typeof v !== 'object' || v === null) return '';
  const field = (k: string) => {
    const x = (v as Record<string, unknown>)[k];
    return typeof x === 'string' ? x : '';
  };
  switch (kind) {
    case 'generated':
      return field('title');
    case 'basic':
      return field('front');
    case 'choice':
      return field('question');
    case 'cloze':
      return field('text') ? clozeFront(field('text')) : '';
    default:
      return '';
  }
}

export interface CardsPageRow {
  cardId: number;
  itemId: string;
  bankTitle: string;
  topic: string;
  family: string | null;
  kind: string;
  label: string;
  state: string;
  due: Date | null;
  retrievability: number | null;
  reps: number;
  lapses: number;
  lastReview: Date | null;
  suspended: boolean;
  leech: boolean;
  buried: boolean;
  buriedUntil: Date | null;
  promoted: boolean;
}

export interface CardsPage {
  query: CardsQuery;
  rows: CardsPageRow[];
  /** Cards matching the filters; all the user's cards. */
  total: number;
  allCards: number;
  page: number;
  pageCount: number;
  pageSize: number;
  /** What the bank, topic and family selects offer: what the user's cards have. */
  facets: { banks: { id: string; title: string }[]; topics: string[]; families: string[] };
  studyDay: string;
}

/** The start of study day `day` in the user's calendar. */
function startOfStudyDay(day: string, timeZone: string, rolloverHour: number): number {
  // Noon UTC of that date is within a day of it anywhere; step by whole study days to it.
  let b = studyDayBounds(new Date(Date.parse(`${day}T12:00:00Z`)), timeZone, rolloverHour);
  for (let i = 0; i < 3 && b.day !== day; i++) b = studyDayBounds(b.day < day ? b.end : new Date(b.start.getTime() - 1), timeZone, rolloverHour);
  return b.start.getTime();
}

/** The user's cards page for `query` at `now`. */
export async function cardsPage({ db = getDb(), userId, query, now }: { db?: Db; userId: number; query: CardsQuery; now: Date }): Promise<CardsPage> {
  const [user] = await db.select({ timeZone: users.timeZone, rolloverHour: users.rolloverHour, ...schedulerColumns() }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`no user ${userId}`);
  const searching = query.q !== '';
  const rows = await db
    .select({
      card: cards,
      bankId: items.bankId,
      bankTitle: banks.title,
      topic: items.topic,
      family: items.family,
      kind: items.kind,
      ...(searching ? { content: items.content } : {}),
    })
    .from(cards)
    .innerJoin(items, eq(items.id, cards.itemId))
    .innerJoin(banks, eq(banks.id, items.bankId))
    .where(eq(cards.userId, userId));
  const t = now.getTime();
  const list: CardListing[] = rows.map((r) => ({
    cardId: r.card.id,
    itemId: r.card.itemId,
    bankId: r.bankId,
    bankTitle: r.bankTitle,
    topic: r.topic,
    family: r.family,
    kind: r.kind,
    state: cardStateOf(r.card),
    suspended: r.card.suspended,
    buriedUntil: r.card.buriedUntil?.getTime() ?? null,
    promoted: r.card.promotedAt !== null && (r.card.lastReview === null || r.card.promotedAt > r.card.lastReview),
    text: 'content' in r && typeof r.content === 'string' ? itemText(r.kind, r.content) : null,
  }));

  const bounds = studyDayBounds(now, user.timeZone, user.rolloverHour);
  const settings = schedulerSettingsOf(user);
  const recalls = new Map<number, number | null>();
  const ctx: FilterContext = {
    now: t,
    dayStart: bounds.start.getTime(),
    dayEnd: bounds.end.getTime(),
    dueFromAt: query.dueFrom === null ? null : startOfStudyDay(query.dueFrom, user.timeZone, user.rolloverHour),
    dueToAt: query.dueTo === null ? null : startOfStudyDay(addDays(query.dueTo, 1), user.timeZone, user.rolloverHour),
    settings,
    recall(c) {
      let r = recalls.get(c.cardId);
      if (r === undefined) {
        r = c.state.state === State.New ? null : retrievability(c.state, now, settings);
        recalls.set(c.cardId, r);
      }
      return r;
    },
  };
  const matching = sortCards(filterCards(list, query, ctx), query, ctx);
  const pageCount = Math.max(1, Math.ceil(matching.length / CARDS_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const shown = matching.slice((page - 1) * CARDS_PAGE_SIZE, page * CARDS_PAGE_SIZE);
  const texts = new Map<string, string>();
  if (searching) for (const c of shown) texts.set(c.itemId, c.text ?? '');
  else if (shown.length > 0) {
    const contents = await db
      .select({ id: items.id, kind: items.kind, content: items.content })
      .from(items)
      .where(
        inArray(
          items.id,
          shown.map((c) => c.itemId),
        ),
      );
    for (const it of contents) texts.set(it.id, itemText(it.kind, it.content));
  }

  const bankTitles = new Map<string, string>();
  const topics = new Set<string>();
  const families = new Set<string>();
  for (const c of list) {
    bankTitles.set(c.bankId, c.bankTitle);
    topics.add(c.topic);
    if (c.family !== null) families.add(c.family);
  }
  return {
    query: { ...query, page },
    rows: shown.map((c) => ({
      cardId: c.cardId,
      itemId: c.itemId,
      bankTitle: c.bankTitle,
      topic: c.topic,
      family: c.family,
      kind: c.kind,
      label: texts.get(c.itemId) ?? '',
      state: STATE_NAMES[c.state.state],
      due: c.state.state === State.New ? null : new Date(c.state.due),
      retrievability: ctx.recall(c),
      reps: c.state.reps,
      lapses: c.state.lapses,
      lastReview: c.state.lastReview === null ? null : new Date(c.state.lastReview),
      suspended: c.suspended,
      leech: c.state.leech,
      buried: c.buriedUntil !== null && c.buriedUntil > t,
      buriedUntil: c.buriedUntil === null ? null : new Date(c.buriedUntil),
      promoted: c.promoted,
    })),
    total: matching.length,
    allCards: list.length,
    page,
    pageCount,
    pageSize: CARDS_PAGE_SIZE,
    facets: {
      banks: [...bankTitles].map(([id, title]) => ({ id, title })).sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id)),
      topics: [...topics].sort(),
      families: [...families].sort(),
    },
    studyDay: bounds.day,
  };
}

/** The cards page's posts: an action on one card (its row's buttons) or on the ticked ones (the bulk buttons), or undo. */
const CardsActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('act'),
    action: z.enum(cardActionKinds, { message: `action must be one of ${cardActionKinds.join(', ')}` }),
    cardIds: z
      .array(z.coerce.number().int().positive({ message: 'a card id is a positive whole number' }))
      .min(1, { message: 'Choose at least one card: tick its box.' })
      .max(MAX_CARDS_PER_ACTION, { message: `At most ${MAX_CARDS_PER_ACTION} cards at once.` }),
  }),
  z.object({ intent: z.literal('undo') }),
]);
export type CardsAction = z.infer<typeof CardsActionSchema>;

/** Parses a cards page post (the ticked boxes are repeated `cardId` fields). */
export function parseCardsAction(form: FormData): FormResult<CardsAction> {
  const parsed = CardsActionSchema.safeParse({ intent: form.get('intent'), action: form.get('action'), cardIds: form.getAll('cardId') });
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return { ok: false, errors };
}
