/**
 * The order of the daily queue, pure: candidates in, ordered entries out.
 *  1. learning and relearning cards that are due, earliest first (their steps are minutes);
 *  2. due reviews, lowest retrievability first, at most `reviewsLeft` of them;
 *  3. new items in bank order, at most `newLeft` of them.
 * Within 2 and 3 topics are interleaved round-robin (each topic keeps its own order; the topic
 * answered last goes last in the first round). A generated family answered today is buried:
 * its other items wait for tomorrow; and the queue holds at most one item per family.
 */

export type QueueSection = 'learning' | 'review' | 'new';

export interface QueueCandidate {
  itemId: string;
  topic: string;
  /** Generated items only; siblings share it. */
  family: string | null;
  leech: boolean;
  lapses: number;
}

export interface QueueEntry extends QueueCandidate {
  section: QueueSection;
}

export interface QueueInput {
  /** Due learning/relearning cards, earliest due first. */
  learning: QueueCandidate[];
  /** Due review cards, lowest retrievability first. */
  reviews: QueueCandidate[];
  /** Unseen items, in bank order. */
  fresh: QueueCandidate[];
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
}

/**
 * Round-robin over topics: topics ordered by how often they were answered today (fewest first,
 * so the rotation carries on across the day although the queue is rebuilt after every answer),
 * then by their first item, `lastTopic` moved last; then one item from each topic in turn, each
 * topic's items in their given order.
 */
export function interleaveTopics<T extends { topic: string }>(
  ordered: readonly T[],
  lastTopic: string | null,
  answeredToday: ReadonlyMap<string, number> = new Map(),
): T[] {
  const byTopic = new Map<string, T[]>();
  for (const c of ordered) {
    const list = byTopic.get(c.topic);
    if (list) list.push(c);
    else byTopic.set(c.topic, [c]);
  }
  const firstSeen = [...byTopic.keys()];
  const topics = [...firstSeen].sort((a, b) => (answeredToday.get(a) ?? 0) - (answeredToday.get(b) ?? 0) || firstSeen.indexOf(a) - firstSeen.indexOf(b));
  if (lastTopic !== null && topics.length > 1 && byTopic.has(lastTopic)) {
    topics.splice(topics.indexOf(lastTopic), 1);
    topics.push(lastTopic);
  }
  const out: T[] = [];
  for (let round = 0; out.length < ordered.length; round++) {
    for (const t of topics) {
      const c = byTopic.get(t)![round];
      if (c) out.push(c);
    }
  }
  return out;
}

export function orderQueue(input: QueueInput): QueueEntry[] {
  const familiesTaken = new Set<string>();
  // A family answered today, or already in the queue, keeps its other items out.
  const admit = (c: QueueCandidate): boolean => {
    if (c.family === null) return true;
    if (input.buriedFamilies.has(c.family) && !input.answeredToday.has(c.itemId)) return false;
    if (familiesTaken.has(c.family)) return false;
    return true;
  };
  /** The admitted candidates, in order, each taking its family's place, at most `limit`. */
  const take = (list: readonly QueueCandidate[], limit: number): QueueCandidate[] => {
    const out: QueueCandidate[] = [];
    for (const c of list) {
      if (out.length >= limit) break;
      if (!admit(c)) continue;
      if (c.family !== null) familiesTaken.add(c.family);
      out.push(c);
    }
    return out;
  };
  const inSection = (section: QueueSection) => (c: QueueCandidate): QueueEntry => ({ ...c, section });

  const learning = take(input.learning, Infinity).map(inSection('learning'));
  const reviews = interleaveTopics(take(input.reviews, Math.max(0, input.reviewsLeft)), learning.at(-1)?.topic ?? input.lastTopic).map(inSection('review'));
  // New items: admitted in bank order, interleaved, then capped, so the day's new items spread over
  // topics; the rotation counts today's answers, so it carries on as the queue is rebuilt. (Reviews
  // keep lowest-retrievability-first and only avoid repeating the last topic.)
  const lastBeforeNew = reviews.at(-1)?.topic ?? learning.at(-1)?.topic ?? input.lastTopic;
  const fresh = interleaveTopics(take(input.fresh, Infinity), lastBeforeNew, input.topicsAnsweredToday)
    .slice(0, Math.max(0, input.newLeft))
    .map(inSection('new'));
  return [...learning, ...reviews, ...fresh];
}
