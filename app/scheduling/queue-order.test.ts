import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/random';
import { freshKey, interleaveTopics, orderQueue, QUEUE_REASONS, type FreshCandidate, type QueueInput } from './queue-order';

/** A candidate that fits every section (learning, review, new). */
let position = 0;
const c = (itemId: string, topic: string, family: string | null = null, bankId = 'bank') => ({ itemId, bankId, topic, family, leech: false, lapses: 0, due: 0, relearning: false, retrievability: 0.5, position: position++ });
const order = (input: QueueInput) => orderQueue(input).entries;
const none = { buriedFamilies: new Set<string>(), answeredToday: new Set<string>(), lastTopic: null };

describe('interleaveTopics', () => {
  it('takes one item of each topic in turn, keeping each topic’s order', () => {
    const list = [c('a1', 'A'), c('a2', 'A'), c('a3', 'A'), c('b1', 'B'), c('c1', 'C'), c('b2', 'B')];
    expect(interleaveTopics(list, null).map((x) => x.itemId)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('puts the topic answered last at the end of the first round', () => {
    const list = [c('a1', 'A'), c('b1', 'B'), c('a2', 'A')];
    expect(interleaveTopics(list, 'A').map((x) => x.itemId)).toEqual(['b1', 'a1', 'a2']);
    expect(interleaveTopics([c('a1', 'A')], 'A').map((x) => x.itemId)).toEqual(['a1']);
  });

  it('is a permutation that keeps each topic’s order and never repeats a topic while another waits (random lists)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rng = createRng(seed);
      const list = Array.from({ length: rng.int(0, 40) }, (_, i) => c(`i${i}`, rng.pick(['A', 'B', 'C', 'D'])));
      const out = interleaveTopics(list, null);
      expect([...out].sort((x, y) => x.itemId.localeCompare(y.itemId))).toEqual([...list].sort((x, y) => x.itemId.localeCompare(y.itemId)));
      for (const t of ['A', 'B', 'C', 'D']) {
        expect(out.filter((x) => x.topic === t)).toEqual(list.filter((x) => x.topic === t));
      }
      // Two neighbours share a topic only once every other topic is used up.
      out.forEach((x, i) => {
        const next = out[i + 1];
        if (next && next.topic === x.topic) expect(new Set(out.slice(i + 1).map((y) => y.topic))).toEqual(new Set([x.topic]));
      });
    }
  });
});

describe('orderQueue', () => {
  it('puts learning before reviews before new, and caps reviews and new', () => {
    const q = order({
      ...none,
      learning: [c('l1', 'A')],
      reviews: [c('r1', 'A'), c('r2', 'A'), c('r3', 'A')],
      fresh: [c('n1', 'B'), c('n2', 'B'), c('n3', 'B')],
      reviewsLeft: 2,
      newLeft: 1,
    });
    expect(q.map((e) => [e.itemId, e.section])).toEqual([
      ['l1', 'learning'],
      ['r1', 'review'],
      ['r2', 'review'],
      ['n1', 'new'],
    ]);
  });

  it('buries the siblings of a family answered today but not the answered item itself', () => {
    const q = order({
      learning: [c('g1', 'A', 'conv-output')],
      reviews: [c('g2', 'A', 'conv-output'), c('f1', 'A')],
      fresh: [c('g3', 'B', 'conv-output'), c('h1', 'B', 'params')],
      reviewsLeft: 10,
      newLeft: 10,
      buriedFamilies: new Set(['conv-output']),
      answeredToday: new Set(['g1']),
      lastTopic: null,
    });
    expect(q.map((e) => e.itemId)).toEqual(['g1', 'f1', 'h1']);
  });

  it('holds one item per family, and the buried ones do not use up the limits', () => {
    const q = order({
      ...none,
      learning: [],
      reviews: [c('g1', 'A', 'rf'), c('g2', 'A', 'rf'), c('f1', 'A')],
      fresh: [c('g3', 'B', 'rf'), c('n1', 'B')],
      reviewsLeft: 2,
      newLeft: 1,
    });
    expect(q.map((e) => e.itemId)).toEqual(['g1', 'f1', 'n1']);
  });

  it('treats negative limits as zero', () => {
    const q = order({ ...none, learning: [], reviews: [c('r1', 'A')], fresh: [c('n1', 'A')], reviewsLeft: -3, newLeft: -1 });
    expect(q).toEqual([]);
  });
});

describe('topic rotation across the day', () => {
  // Regression: the queue is rebuilt after every answer; ordering topics only by their first item
  // made the day alternate between the first topic and the last one answered.
  it('answering the head of a rebuilt queue again and again visits every topic before repeating one', () => {
    const topics = ['A', 'B', 'C', 'D'];
    let fresh: FreshCandidate[] = [];
    for (const t of topics) for (let i = 1; i <= 3; i++) fresh.push(c(`${t}${i}`, t));
    const answered = new Map<string, number>();
    const seen: string[] = [];
    let lastTopic: string | null = null;
    for (let n = 0; n < 8; n++) {
      const [head] = order({ learning: [], reviews: [], fresh, reviewsLeft: 0, newLeft: 20, buriedFamilies: new Set(), answeredToday: new Set(), lastTopic, topicsAnsweredToday: answered });
      seen.push(head!.topic);
      answered.set(head!.topic, (answered.get(head!.topic) ?? 0) + 1);
      lastTopic = head!.topic;
      fresh = fresh.filter((c) => c.itemId !== head!.itemId);
    }
    expect(seen).toEqual(['A', 'B', 'C', 'D', 'A', 'B', 'C', 'D']);
  });
});

describe('new items across banks', () => {
  const base = { ...none, learning: [], reviews: [], reviewsLeft: 0 };
  it('gives dated class banks their quota first (in the given order), then undated class banks in position order, then content banks in turn', () => {
    const fresh = [
      c('x1', 'T', null, 'content1'),
      c('x2', 'T', null, 'content1'),
      c('y1', 'T', null, 'content2'),
      c('u1', 'A', null, 'undated'),
      c('u2', 'B', null, 'undated'),
      c('d1', 'A', null, 'dated'),
      c('d2', 'B', null, 'dated'),
      c('d3', 'A', null, 'dated'),
    ];
    const classSources = [
      { bankId: 'dated', className: 'CS231n', quota: { today: 3, left: 2, usedToday: 1, learnBy: '2026-12-15', late: false } },
      { bankId: 'undated', className: 'Extra', quota: null },
    ];
    const q = orderQueue({ ...base, fresh, classSources, newLeft: 6 });
    expect(q.incomplete).toBe(false);
    expect(q.entries.map((e) => [e.itemId, e.reason])).toEqual([
      ['d1', QUEUE_REASONS.classQuota('CS231n', 2, 3, '2026-12-15')],
      ['d2', QUEUE_REASONS.classQuota('CS231n', 3, 3, '2026-12-15')],
      ['u1', QUEUE_REASONS.classUndated('Extra')],
      ['u2', QUEUE_REASONS.classUndated('Extra')],
      ['x1', QUEUE_REASONS.content('content1', 'T')],
      ['y1', QUEUE_REASONS.content('content2', 'T')],
    ]);
    expect(Object.fromEntries(q.newByBank)).toEqual({ dated: 2, undated: 2, content1: 1, content2: 1 });
    // A small budget: the class quota takes it first.
    expect(orderQueue({ ...base, fresh, classSources, newLeft: 1 }).entries.map((e) => e.itemId)).toEqual(['d1']);
    // A class bank with no quota left today gives nothing, and its items are not taken as a content bank's.
    const met = [{ ...classSources[0]!, quota: { ...classSources[0]!.quota!, left: 0 } }, classSources[1]!];
    expect(orderQueue({ ...base, fresh, classSources: met, newLeft: 10 }).entries.map((e) => e.itemId)).toEqual(['u1', 'u2', 'x1', 'y1', 'x2']);
  });

  it('says incomplete when it needs a row past a truncated head, and not when the head sufficed', () => {
    const fresh = [c('g1', 'A', 'fam', 'b'), c('g2', 'A', 'fam', 'b'), c('f1', 'B', null, 'b')];
    const truncated = new Set([freshKey('b', 'A')]);
    expect(orderQueue({ ...base, fresh, truncated, newLeft: 2 }).incomplete).toBe(false); // g1, f1
    expect(orderQueue({ ...base, fresh, truncated, newLeft: 3 }).incomplete).toBe(true); // a third would come from past the head of A
  });

  it('puts promoted cards before everything, beyond the limits, and they take their family’s place', () => {
    const q = orderQueue({
      ...none,
      promoted: [{ ...c('p1', 'A', 'fam'), promotedBy: 'quiz', promotedQuiz: 7 }],
      learning: [],
      reviews: [c('r1', 'A', 'fam'), c('r2', 'A')],
      fresh: [c('n1', 'A')],
      reviewsLeft: 1,
      newLeft: 0,
    });
    expect(q.entries.map((e) => [e.itemId, e.kind, e.reason])).toEqual([
      ['p1', 'quiz', 'missed in quiz #7'],
      ['r2', 'review', 'due review, recall 50%'],
    ]);
  });
});

describe('orderQueue: reviews an exam plan brought forward', () => {
  const planned = (itemId: string, topic: string, family: string | null = null) => ({ ...c(itemId, topic, family), exam: { title: 'Midterm', on: '2026-12-14', target: 0.9 } });

  it('come first among the reviews, with their reason, beyond the limit; the ordinary reviews get what is left of it', () => {
    const o = orderQueue({
      ...none,
      learning: [c('l1', 'A')],
      planned: [planned('p1', 'A'), planned('p2', 'A'), planned('p3', 'B')],
      reviews: [c('r1', 'A'), c('r2', 'B'), c('r3', 'C')],
      fresh: [],
      reviewsLeft: 4,
      newLeft: 0,
    });
    expect(o.entries.map((e) => e.itemId)).toEqual(['l1', 'p3', 'p1', 'p2', 'r1']);
    expect(o.entries.filter((e) => e.itemId.startsWith('p')).map((e) => e.reason)).toEqual(Array(3).fill('brought forward for Midterm on 2026-12-14: recall there must reach 90%'));
    expect(o.entries[1]!.section).toBe('review');
    expect(o.reviewsBeyondLimit).toBe(2);
    // A limit smaller than the planned reviews holds none of them back, and no ordinary one comes.
    const tight = orderQueue({ ...none, learning: [], planned: [planned('p1', 'A'), planned('p2', 'B')], reviews: [c('r1', 'A')], fresh: [], reviewsLeft: 1, newLeft: 0 });
    expect(tight.entries.map((e) => e.itemId)).toEqual(['p1', 'p2']);
    expect(tight.reviewsBeyondLimit).toBe(1);
  });

  it('keep the one-per-family rule: a planned card takes its family’s place first', () => {
    const o = orderQueue({ ...none, learning: [], planned: [planned('p1', 'A', 'conv')], reviews: [c('r1', 'A', 'conv'), c('r2', 'B')], fresh: [], reviewsLeft: 5, newLeft: 0 });
    expect(o.entries.map((e) => e.itemId)).toEqual(['p1', 'r2']);
  });
});
