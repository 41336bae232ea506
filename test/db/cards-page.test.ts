/**
 * The cards page's model on both engines: over random cards, every filter and sort against an
 * independent computation (plain conditions here, retrievability from ts-fsrs directly); the URL's
 * bad values reported at their field; search over titles and fronts; pages of 50.
 */
import { describe, expect, it } from 'vitest';
import { fsrs, State, type Card } from 'ts-fsrs';
import { CARDS_PAGE_SIZE, CARDS_QUERY_ERRORS, cardsPage, cardsQueryParams, DEFAULT_QUERY, parseCardsQuery, type CardsQuery } from '../../app/models/cards-page.server';
import { cards } from '../../db/schema';
import { createRng, type Rng } from '../../engine/random';
import { addContentBank, addUser, eachTestDb, factItem, generatedItem, type TempDb } from './fixture';

const each = eachTestDb();
const DAY = 86_400_000;
const HOUR = 3_600_000;
// 13:00 in Tokyo; the study day (rollover 04:00) began at 04:00 Tokyo = 19:00 UTC the day before.
const NOW = new Date('2024-06-15T04:00:00Z');
const DAY_START = Date.parse('2024-06-15T04:00:00+09:00');
const DAY_END = DAY_START + DAY;
/** The start of study day `d` in Tokyo with rollover 04:00 (no DST there). */
const tokyoDayStart = (d: string) => Date.parse(`${d}T04:00:00+09:00`);
const reference = fsrs({});

interface Seeded {
  itemId: string;
  bankId: string;
  topic: string;
  family: string | null;
  text: string;
  row: typeof cards.$inferInsert;
}

const TOPICS = ['alexnet', 'vgg', 'resnet'];
const FAMILIES = ['conv-output', 'conv-params'];

async function seed(t: TempDb, rng: Rng, count: number) {
  const userId = await addUser(t.db, { timeZone: 'Asia/Tokyo', rolloverHour: 4 });
  const other = await addUser(t.db);
  const seeded: Seeded[] = [];
  for (const bankId of ['alpha', 'beta']) {
    const defs = Array.from({ length: count / 2 }, (_, i) => {
      const topic = TOPICS[i % 3]!;
      if (i % 4 === 0) return { def: generatedItem(`g${String(i).padStart(3, '0')}`, topic, FAMILIES[i % 2]!), text: `${FAMILIES[i % 2]} question` };
      const f = factItem(`f${String(i).padStart(3, '0')}`, topic);
      return { def: { ...f, front: `Which Net ${bankId} ${i}?` }, text: `Which Net ${bankId} ${i}?` };
    });
    const ids = await addContentBank(
      t.db,
      bankId,
      defs.map((d) => d.def),
    );
    defs.forEach((d, i) => {
      const state = rng.pick([State.New, State.Learning, State.Review, State.Review, State.Relearning]);
      const fresh = state === State.New;
      const lastReview = fresh ? null : NOW.getTime() - rng.int(0, 40) * DAY - rng.int(0, DAY);
      const due = fresh ? NOW.getTime() - rng.int(0, 5) * DAY : NOW.getTime() + rng.int(-6, 12) * DAY + rng.int(-12, 12) * HOUR;
      seeded.push({
        itemId: ids[i]!,
        bankId,
        topic: d.def.topic,
        family: (d.def.family as string | undefined) ?? null,
        text: d.text,
        row: {
          userId,
          itemId: ids[i]!,
          due: new Date(due),
          stability: fresh ? 0 : Math.round((0.2 + rng.next() * 60) * 1000) / 1000,
          difficulty: fresh ? 0 : 1 + rng.next() * 9,
          elapsedDays: 0,
          scheduledDays: 0,
          learningSteps: 0,
          reps: fresh ? 0 : rng.int(1, 12),
          lapses: fresh ? 0 : rng.int(0, 6),
          state,
          lastReview: lastReview === null ? null : new Date(lastReview),
          suspended: rng.chance(0.15),
          leech: rng.chance(0.1),
          buriedUntil: rng.chance(0.1) ? new Date(NOW.getTime() + rng.pick([-1, 1]) * HOUR) : null,
        },
      });
    });
  }
  await t.db.insert(cards).values(seeded.map((s) => s.row));
  // Another user's card on the same item never shows.
  await t.db.insert(cards).values({ ...seeded[0]!.row, userId: other });
  return { userId, seeded };
}

/** Retrievability as ts-fsrs gives it, from the seeded columns. */
function recallOf(s: Seeded): number | null {
  const r = s.row;
  if (r.state === State.New) return null;
  const card: Card = {
    due: r.due,
    stability: r.stability,
    difficulty: r.difficulty,
    elapsed_days: 0,
    scheduled_days: 0,
    learning_steps: 0,
    reps: r.reps,
    lapses: r.lapses,
    state: r.state,
    last_review: r.lastReview!,
  };
  return reference.get_retrievability(card, NOW, false);
}

/** The ids the page should list for `q`, in order, computed without the model's code. */
function expected(all: Seeded[], q: CardsQuery): string[] {
  const stateName = ['new', 'learning', 'review', 'relearning'];
  const kept = all.filter((s) => {
    const r = s.row;
    const dated = r.state !== State.New;
    const recall = recallOf(s);
    if (q.bank && s.bankId !== q.bank) return false;
    if (q.topic && s.topic !== q.topic) return false;
    if (q.family && s.family !== q.family) return false;
    if (q.state === 'suspended' && !r.suspended) return false;
    if (q.state === 'leech' && !r.leech) return false;
    if (q.state === 'buried' && !(r.buriedUntil && r.buriedUntil.getTime() > NOW.getTime())) return false;
    if (q.state && stateName.includes(q.state) && stateName[r.state!] !== q.state) return false;
    if (q.minLapses !== null && r.lapses! < q.minLapses) return false;
    if (q.due === 'today' && !(dated && r.due.getTime() < DAY_END)) return false;
    if (q.due === 'overdue' && !(dated && r.due.getTime() < DAY_START)) return false;
    if (q.dueFrom && !(dated && r.due.getTime() >= tokyoDayStart(q.dueFrom))) return false;
    if (q.dueTo && !(dated && r.due.getTime() < tokyoDayStart(q.dueTo) + DAY)) return false;
    if (q.minRecall !== null && !(recall !== null && recall * 100 >= q.minRecall)) return false;
    if (q.maxRecall !== null && !(recall !== null && recall * 100 <= q.maxRecall)) return false;
    if (q.q && ![s.itemId, s.family ?? '', s.text].some((x) => x.toLowerCase().includes(q.q.toLowerCase()))) return false;
    return true;
  });
  const key = (s: Seeded): number | string | null =>
    q.sort === 'due'
      ? s.row.state === State.New
        ? null
        : s.row.due.getTime()
      : q.sort === 'retrievability'
        ? recallOf(s)
        : q.sort === 'lapses'
          ? s.row.lapses!
          : q.sort === 'reps'
            ? s.row.reps!
            : q.sort === 'lastReview'
              ? (s.row.lastReview?.getTime() ?? null)
              : s.itemId;
  const withKey = kept.map((s) => [key(s), s.itemId] as const);
  const present = withKey.filter(([k]) => k !== null).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1] < b[1] ? -1 : 1) * 1);
  if (q.dir === 'desc') {
    // Descending by key; equal keys still by item id ascending.
    present.sort((a, b) => (a[0]! > b[0]! ? -1 : a[0]! < b[0]! ? 1 : a[1] < b[1] ? -1 : 1));
  }
  const missing = withKey.filter(([k]) => k === null).sort((a, b) => (a[1] < b[1] ? -1 : 1));
  return [...present, ...missing].map(([, id]) => id);
}

function randomQuery(rng: Rng): CardsQuery {
  const maybe = <T,>(p: number, v: () => T): T | null => (rng.chance(p) ? v() : null);
  const minRecall = maybe(0.15, () => rng.int(0, 90));
  const dueFrom = maybe(0.15, () => `2024-06-${String(rng.int(9, 20)).padStart(2, '0')}`);
  return {
    ...DEFAULT_QUERY,
    q: rng.chance(0.15) ? rng.pick(['net alpha', 'CONV-OUTPUT', 'g00', '1?', 'beta/f']) : '',
    bank: maybe(0.3, () => rng.pick(['alpha', 'beta'])),
    topic: maybe(0.25, () => rng.pick(TOPICS)),
    family: maybe(0.15, () => rng.pick(FAMILIES)),
    state: maybe(0.35, () => rng.pick(['new', 'learning', 'review', 'relearning', 'suspended', 'leech', 'buried'] as const)),
    due: maybe(0.2, () => rng.pick(['today', 'overdue'] as const)),
    dueFrom,
    dueTo: maybe(0.15, () => `2024-06-${String(Math.max(rng.int(9, 27), dueFrom ? Number(dueFrom.slice(8)) : 0)).padStart(2, '0')}`),
    minLapses: maybe(0.2, () => rng.int(0, 4)),
    minRecall,
    maxRecall: maybe(0.15, () => rng.int(minRecall ?? 0, 100)),
    sort: rng.pick(['due', 'retrievability', 'lapses', 'reps', 'lastReview', 'item'] as const),
    dir: rng.pick(['asc', 'desc'] as const),
    page: 1,
  };
}

describe('cardsPage', () => {
  it('filters and sorts like an independent computation, over 150 random queries of 160 random cards; pages of 50 cover the list once', async () => {
    const { t } = each;
    const rng = createRng(14);
    const { userId, seeded } = await seed(t, rng, 160);
    for (let i = 0; i < 150; i++) {
      const query = randomQuery(rng);
      const want = expected(seeded, query);
      const first = await cardsPage({ db: t.db, userId, query, now: NOW });
      expect(first.total, JSON.stringify(query)).toBe(want.length);
      expect(first.allCards).toBe(160);
      expect(first.pageCount).toBe(Math.max(1, Math.ceil(want.length / CARDS_PAGE_SIZE)));
      const listed = [...first.rows];
      for (let page = 2; page <= first.pageCount; page++) listed.push(...(await cardsPage({ db: t.db, userId, query: { ...query, page }, now: NOW })).rows);
      expect(
        listed.map((r) => r.itemId),
        JSON.stringify(query),
      ).toEqual(want);
    }
  });

  it('shows each card’s columns: label from the item, state, due (none for new), recall, flags; the facets are the user’s banks, topics, families', async () => {
    const { t } = each;
    const { userId, seeded } = await seed(t, createRng(3), 8);
    const page = await cardsPage({ db: t.db, userId, query: { ...DEFAULT_QUERY, sort: 'item' }, now: NOW });
    const byId = new Map(seeded.map((s) => [s.itemId, s]));
    for (const row of page.rows) {
      const s = byId.get(row.itemId)!;
      expect(row).toMatchObject({
        label: s.text,
        bankTitle: s.bankId,
        topic: s.topic,
        family: s.family,
        state: ['new', 'learning', 'review', 'relearning'][s.row.state!],
        due: s.row.state === State.New ? null : s.row.due,
        retrievability: recallOf(s),
        reps: s.row.reps,
        lapses: s.row.lapses,
        suspended: s.row.suspended,
        leech: s.row.leech,
        buried: !!s.row.buriedUntil && s.row.buriedUntil > NOW,
      });
    }
    expect(page.facets).toEqual({ banks: [{ id: 'alpha', title: 'alpha' }, { id: 'beta', title: 'beta' }], topics: ['alexnet', 'resnet', 'vgg'], families: ['conv-output'] });
    // A page past the last shows the last.
    expect((await cardsPage({ db: t.db, userId, query: { ...DEFAULT_QUERY, page: 9 }, now: NOW })).page).toBe(1);
  });
});

describe('parseCardsQuery', () => {
  it('reads a URL the form wrote, and writes it back with the defaults left out', () => {
    const url = 'q=Net&bank=alpha&state=review&due=today&dueFrom=2024-06-10&dueTo=2024-06-20&minLapses=2&minRecall=50&maxRecall=90.5&sort=retrievability&dir=desc&page=3';
    const { query, errors } = parseCardsQuery(new URLSearchParams(url));
    expect(errors).toEqual({});
    expect(query).toEqual({ ...DEFAULT_QUERY, q: 'Net', bank: 'alpha', state: 'review', due: 'today', dueFrom: '2024-06-10', dueTo: '2024-06-20', minLapses: 2, minRecall: 50, maxRecall: 90.5, sort: 'retrievability', dir: 'desc', page: 3 });
    expect(cardsQueryParams(query).toString()).toBe(url);
    expect(cardsQueryParams(parseCardsQuery(new URLSearchParams('topic=&state=')).query).toString()).toBe('');
  });

  it('a bad value is reported at its field and left out; the good ones still apply', () => {
    const { query, errors } = parseCardsQuery(new URLSearchParams('state=frozen&due=tomorrow&dueFrom=2024-02-30&minLapses=-1&minRecall=120&sort=colour&dir=up&page=0&bank=alpha'));
    expect(errors).toEqual({
      state: CARDS_QUERY_ERRORS.state,
      due: CARDS_QUERY_ERRORS.due,
      dueFrom: CARDS_QUERY_ERRORS.date('due from', '2024-02-30'),
      minLapses: CARDS_QUERY_ERRORS.minLapses,
      minRecall: CARDS_QUERY_ERRORS.recall('lowest recall'),
      sort: CARDS_QUERY_ERRORS.sort,
      dir: CARDS_QUERY_ERRORS.dir,
      page: CARDS_QUERY_ERRORS.page,
    });
    expect(query).toEqual({ ...DEFAULT_QUERY, bank: 'alpha' });
    expect(parseCardsQuery(new URLSearchParams('dueFrom=2024-06-10&dueTo=2024-06-01&minRecall=80&maxRecall=20')).errors).toEqual({
      dueTo: CARDS_QUERY_ERRORS.dateOrder,
      maxRecall: CARDS_QUERY_ERRORS.recallOrder,
    });
  });
});
