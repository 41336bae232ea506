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
