/**
 * The order of the daily queue, pure: candidates in, ordered entries out.
 *  0. promoted cards (quiz misses, "review now"), oldest promotion first, beyond both limits;
 *  1. learning and relearning cards that are due, earliest first (their steps are minutes);
 *  2. due reviews: first those the plan of an exam still ahead brought forward (the exam's plan
 *     spreads them under its daily cap, so the review limit does not hold them back; each counts
 *     as a review done, so the ordinary reviews get what is left of the limit), soonest exam first;
 *     then the others, lowest retrievability first, at most `reviewsLeft` in all;
 *  3. new items, at most `newLeft`: class banks with dates first, each up to its quota left today
 *     (earliest learn-by first), in the bank's position order; then class banks without dates,
 *     one after another in position order; then the content banks, round-robin across banks and,
 *     within a bank, round-robin across its topics.
 * Within 2 topics are interleaved round-robin (the topic answered last goes last in the first
 * round). A generated family answered today is buried: its other items wait for tomorrow; and the
 * queue holds at most one item per family.
 *
 * New candidates may come as the head of each (bank, topic) list only (`truncated`): when the
 * order needs a row past such a head, it says `incomplete` and the caller reads them all.
 */

export type QueueSection = 'promoted' | 'learning' | 'review' | 'new';
export type QueueKind = 'learning' | 'review' | 'new' | 'quiz' | 'asked';

export interface QueueCandidate {
  itemId: string;
  bankId: string;
  topic: string;
  /** Generated items only; siblings share it. */
  family: string | null;
  leech: boolean;
  lapses: number;
}

export interface QueueEntry extends QueueCandidate {
  section: QueueSection;
  kind: QueueKind;
  /** Why it is where it is, one plain sentence. */
  reason: string;
  /** The quiz attempt whose misses promoted it, or null. */
  promotedQuiz: number | null;
}

export interface PromotedCandidate extends QueueCandidate {
  promotedBy: 'quiz' | 'cards';
  promotedQuiz: number | null;
}

export interface LearningCandidate extends QueueCandidate {
  due: number;
  relearning: boolean;
}

export interface ReviewCandidate extends QueueCandidate {
  /** ts-fsrs retrievability now, or how to compute it (only the reviews taken need it). */
  retrievability: number | (() => number);
}

/** A due review whose due an exam's plan brought forward (cards.plannedForExam, the exam still ahead). */
export interface PlannedCandidate extends ReviewCandidate {
  exam: { title: string; /** Its date as the student reads it. */ on: string; target: number };
}

export interface FreshCandidate extends QueueCandidate {
  position: number;
}

/** A class bank that has new items for today, in the order the banks take the budget. */
export interface ClassNewSource {
  bankId: string;
  className: string;
  /** Null for a bank without dates: it takes what the dated banks leave, in position order. */
  quota: {
    /** Today's quota (classQuota at the day's start), what is left of it, and what today's queue reviews used. */
    today: number;
    left: number;
    usedToday: number;
    learnBy: string | null;
    /** On or past the learn-by day: everything left is due. */
    late: boolean;
  } | null;
}

export interface QueueInput {
  promoted?: PromotedCandidate[];
  learning: LearningCandidate[];
  /** Due reviews an exam's plan brought forward, soonest exam first; not repeated in `reviews`. */
  planned?: PlannedCandidate[];
  /** Due review cards, lowest retrievability first. */
  reviews: ReviewCandidate[];
  /** New items, each bank's in position order. */
  fresh: FreshCandidate[];
  /** Class banks, in the order they take the new budget; banks not listed here are content banks. */
  classSources?: ClassNewSource[];
  /** `bankId\ntopic` of the fresh lists that are only a head (more rows exist in the database). */
  truncated?: ReadonlySet<string>;
  reviewsLeft: number;
  newLeft: number;
  /** Families answered today. */
  buriedFamilies: ReadonlySet<string>;
  /** Items answered today: never buried by their own family. */
  answeredToday: ReadonlySet<string>;
  /** Topic of the last review today, or null. */
  lastTopic: string | null;
  /** How many items of each topic were answered today (absent: none); orders the new items' topics. */
  topicsAnsweredToday?: ReadonlyMap<string, number>;
  /** New items of each content bank answered today; orders the banks' rotation. */
  banksAnsweredToday?: ReadonlyMap<string, number>;
  /** Bank of the last new item answered today, or null: it goes last in the first round. */
  lastBank?: string | null;
  /** The wall-clock time of an instant in the student's zone ('14:05'), for the reasons. */
  clock?: (ms: number) => string;
  /** A bank's title, for the reasons. */
  bankTitle?: (bankId: string) => string;
}

export interface QueueOrder {
  entries: QueueEntry[];
  /** True when a truncated fresh list ran out before the new budget did: read them all and order again. */
  incomplete: boolean;
  /** New items taken per bank. */
  newByBank: Map<string, number>;
  /** Candidates left out because their family was answered today, per family. */
  buried: Map<string, number>;
  /** Due reviews beyond the limit (of those given). */
  reviewsBeyondLimit: number;
}

/** The reasons the queue gives, in one place. */
export const QUEUE_REASONS = {
  quiz: (quiz: number | null) => (quiz === null ? 'missed in a quiz' : `missed in quiz #${quiz}`),
  asked: 'asked for on the cards page',
  learning: (time: string) => `learning step due ${time}`,
  relearning: (time: string) => `relearning step due ${time}`,
  review: (r: number) => `due review, recall ${Math.round(r * 100)}%`,
  planned: (exam: string, on: string, target: number) => `brought forward for ${exam} on ${on}: recall there must reach ${Math.round(target * 100)}%`,
  leech: ' (a leech)',
  classQuota: (cls: string, nth: number, today: number, learnBy: string) => `new, class ${cls}: ${nth} of today's ${today} to stay on track for ${learnBy}`,
  classLate: (cls: string, learnBy: string) => `new, class ${cls}: to be learned by ${learnBy}, catching up`,
  classStarted: (cls: string) => `new, class ${cls}`,
  classUndated: (cls: string) => `new, class ${cls}, in the bank's order`,
  content: (bank: string, topic: string) => `new, from ${bank} (topic ${topic}), taking turns with your other banks`,
} as const;

/** `bankId\ntopic`: the key of one fresh list. */
export function freshKey(bankId: string, topic: string): string {
  return `${bankId}\n${topic}`;
}

/**
 * Round-robin by a key: keys ordered by how often they were answered today (fewest first, so the
 * rotation carries on across the day although the queue is rebuilt after every answer), then by
 * their first item, `last` moved last; then one item from each key in turn, each key's items in
 * their given order.
 */
export function interleaveBy<T>(ordered: readonly T[], keyOf: (x: T) => string, last: string | null, answeredToday: ReadonlyMap<string, number> = new Map()): T[] {
  const groups = new Map<string, T[]>();
  for (const c of ordered) {
    const k = keyOf(c);
    const list = groups.get(k);
    if (list) list.push(c);
    else groups.set(k, [c]);
  }
  const out: T[] = [];
  const lists = rotationOrder([...groups.keys()], last, answeredToday).map((k) => groups.get(k)!);
  for (let round = 0; out.length < ordered.length; round++) {
    for (const list of lists) {
      const c = list[round];
      if (c) out.push(c);
    }
  }
  return out;
}

/** interleaveBy on topics. */
export function interleaveTopics<T extends { topic: string }>(ordered: readonly T[], lastTopic: string | null, answeredToday: ReadonlyMap<string, number> = new Map()): T[] {
  return interleaveBy(ordered, (c) => c.topic, lastTopic, answeredToday);
}

/** Keys in first-seen order, fewest answered today first, `last` moved to the end. */
function rotationOrder(firstSeen: string[], last: string | null, answeredToday: ReadonlyMap<string, number>): string[] {
  const keys = [...firstSeen].sort((a, b) => (answeredToday.get(a) ?? 0) - (answeredToday.get(b) ?? 0) || firstSeen.indexOf(a) - firstSeen.indexOf(b));
  if (last !== null && keys.length > 1 && keys.includes(last)) {
    keys.splice(keys.indexOf(last), 1);
    keys.push(last);
  }
  return keys;
}

/** A run of fresh candidates read in order; `truncated` when the database holds more after them. */
class FreshList {
  private i = 0;
  constructor(
    readonly items: FreshCandidate[],
    readonly truncated: boolean,
  ) {}
  /** The next admissible candidate (skipping the others), 'empty', or 'unknown' past a truncated head. */
  peek(admit: (c: QueueCandidate) => boolean): FreshCandidate | 'empty' | 'unknown' {
    while (this.i < this.items.length && !admit(this.items[this.i]!)) this.i++;
    if (this.i < this.items.length) return this.items[this.i]!;
    return this.truncated ? 'unknown' : 'empty';
  }
  take(): void {
    this.i++;
  }
}

class Incomplete extends Error {}

export function orderQueue(input: QueueInput): QueueOrder {
  const familiesTaken = new Set<string>();
  const buried = new Map<string, number>();
  const clock = input.clock ?? ((ms: number) => new Date(ms).toISOString().slice(11, 16));
  const titleOf = input.bankTitle ?? ((id: string) => id);
  // A family answered today, or already in the queue, keeps its other items out.
  const admit = (c: QueueCandidate): boolean => {
    if (c.family === null) return true;
    if (input.buriedFamilies.has(c.family) && !input.answeredToday.has(c.itemId)) {
      buried.set(c.family, (buried.get(c.family) ?? 0) + 1);
      return false;
    }
    return !familiesTaken.has(c.family);
  };
  const claim = (c: QueueCandidate) => {
    if (c.family !== null) familiesTaken.add(c.family);
  };
  /** The admitted candidates, in order, each taking its family's place, at most `limit`. */
  const take = <T extends QueueCandidate>(list: readonly T[], limit: number): T[] => {
    const out: T[] = [];
    for (const c of list) {
      if (out.length >= limit) break;
      if (!admit(c)) continue;
      claim(c);
      out.push(c);
    }
    return out;
  };
  const entry = (c: QueueCandidate, section: QueueSection, kind: QueueKind, reason: string, promotedQuiz: number | null = null): QueueEntry => ({
    itemId: c.itemId,
    bankId: c.bankId,
    topic: c.topic,
    family: c.family,
    leech: c.leech,
    lapses: c.lapses,
    section,
    kind,
    reason: c.leech ? reason + QUEUE_REASONS.leech : reason,
    promotedQuiz,
  });

  // Promoted: asked for, so neither the limits nor the burying hold them back; they do take their family's place.
  const promoted = (input.promoted ?? []).map((c) => {
    claim(c);
    return c.promotedBy === 'quiz' ? entry(c, 'promoted', 'quiz', QUEUE_REASONS.quiz(c.promotedQuiz), c.promotedQuiz) : entry(c, 'promoted', 'asked', QUEUE_REASONS.asked);
  });
  const learning = take(input.learning, Infinity).map((c) => entry(c, 'learning', 'learning', (c.relearning ? QUEUE_REASONS.relearning : QUEUE_REASONS.learning)(clock(c.due))));
  const plannedTaken = take(input.planned ?? [], Infinity);
  const planned = interleaveTopics(plannedTaken, learning.at(-1)?.topic ?? promoted.at(-1)?.topic ?? input.lastTopic).map((c) =>
    entry(c, 'review', 'review', QUEUE_REASONS.planned(c.exam.title, c.exam.on, c.exam.target)),
  );
  const ordinaryLeft = Math.max(0, input.reviewsLeft - plannedTaken.length);
  const reviewsTaken = take(input.reviews, ordinaryLeft);
  const reviews = [
    ...planned,
    ...interleaveTopics(reviewsTaken, planned.at(-1)?.topic ?? learning.at(-1)?.topic ?? promoted.at(-1)?.topic ?? input.lastTopic).map((c) =>
      entry(c, 'review', 'review', QUEUE_REASONS.review(typeof c.retrievability === 'number' ? c.retrievability : c.retrievability())),
    ),
  ];
  let reviewsBeyondLimit = 0;
  if (reviewsTaken.length >= ordinaryLeft) {
    const taken = new Set(reviewsTaken.map((c) => c.itemId));
    reviewsBeyondLimit = input.reviews.filter((c) => !taken.has(c.itemId)).length;
  }

  const newByBank = new Map<string, number>();
  const fresh: QueueEntry[] = [];
  let incomplete = false;
  try {
    chooseNew();
  } catch (err) {
    if (!(err instanceof Incomplete)) throw err;
    incomplete = true;
  }
  return { entries: [...promoted, ...learning, ...reviews, ...fresh], incomplete, newByBank, buried, reviewsBeyondLimit };

  function chooseNew() {
    let budget = Math.max(0, input.newLeft);
    if (budget === 0) return;
    const truncated = input.truncated ?? new Set<string>();
    // Each bank's fresh lists, one per topic, in position order.
    const lists = new Map<string, Map<string, FreshCandidate[]>>();
    for (const c of input.fresh) {
      let byTopic = lists.get(c.bankId);
      if (!byTopic) lists.set(c.bankId, (byTopic = new Map()));
      const list = byTopic.get(c.topic);
      if (list) list.push(c);
      else byTopic.set(c.topic, [c]);
    }
    const listsOf = (bankId: string) =>
      [...(lists.get(bankId) ?? new Map<string, FreshCandidate[]>()).entries()]
        .map(([topic, items]) => ({ topic, list: new FreshList([...items].sort((a, b) => a.position - b.position), truncated.has(freshKey(bankId, topic))) }))
        .sort((a, b) => a.list.items[0]!.position - b.list.items[0]!.position);
    const add = (c: FreshCandidate, reason: string) => {
      claim(c);
      fresh.push(entry(c, 'new', 'new', reason));
      newByBank.set(c.bankId, (newByBank.get(c.bankId) ?? 0) + 1);
      budget--;
    };
    /** The bank's next candidate in position order across its topics. */
    const nextByPosition = (topics: { list: FreshList }[]): { c: FreshCandidate; list: FreshList } | null => {
      let best: { c: FreshCandidate; list: FreshList } | null = null;
      for (const { list } of topics) {
        const head = list.peek(admit);
        if (head === 'unknown') throw new Incomplete();
        if (head !== 'empty' && (!best || head.position < best.c.position)) best = { c: head, list };
      }
      return best;
    };

    const classIds = new Set<string>();
    for (const source of input.classSources ?? []) {
      classIds.add(source.bankId);
      const topics = listsOf(source.bankId);
      let allowed = source.quota ? Math.max(0, source.quota.left) : Infinity;
      while (budget > 0 && allowed > 0) {
        const next = nextByPosition(topics);
        if (!next) break;
        next.list.take();
        const q = source.quota;
        const reason =
          q === null
            ? QUEUE_REASONS.classUndated(source.className)
            : q.learnBy === null
              ? QUEUE_REASONS.classStarted(source.className)
              : q.late
                ? QUEUE_REASONS.classLate(source.className, q.learnBy)
                : QUEUE_REASONS.classQuota(source.className, q.usedToday + (q.left - allowed) + 1, q.today, q.learnBy);
        add(next.c, reason);
        allowed--;
      }
    }

    // Content banks: round-robin across banks, each bank round-robin across its topics.
    const contentBanks = [...lists.keys()].filter((b) => !classIds.has(b));
    const bankOrder = rotationOrder(contentBanks, input.lastBank ?? null, input.banksAnsweredToday ?? new Map());
    const lastTopic = reviews.at(-1)?.topic ?? learning.at(-1)?.topic ?? promoted.at(-1)?.topic ?? input.lastTopic;
    const banks = bankOrder.map((bankId) => {
      const topics = listsOf(bankId);
      const order = rotationOrder(
        topics.map((t) => t.topic),
        lastTopic,
        input.topicsAnsweredToday ?? new Map(),
      );
      return { bankId, topics: order.map((t) => topics.find((x) => x.topic === t)!.list), turn: 0 };
    });
    let active = banks;
    while (budget > 0 && active.length > 0) {
      const still: typeof banks = [];
      for (const bank of active) {
        if (budget === 0) break;
        const c = nextInRotation(bank);
        if (!c) continue;
        add(c, QUEUE_REASONS.content(titleOf(bank.bankId), c.topic));
        still.push(bank);
      }
      active = budget === 0 ? [] : still;
    }
  }

  /** One candidate from a bank's topic rotation: the next topic in turn that has one. */
  function nextInRotation(bank: { topics: FreshList[]; turn: number }): FreshCandidate | null {
    for (let tries = 0; tries < bank.topics.length; tries++) {
      const list = bank.topics[bank.turn % bank.topics.length]!;
      bank.turn++;
      const head = list.peek(admit);
      if (head === 'unknown') throw new Incomplete();
      if (head === 'empty') continue;
      list.take();
      return head;
    }
    return null;
  }
}
