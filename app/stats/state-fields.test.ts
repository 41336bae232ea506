import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/random';
import { lastReviewOf, stabilityOf, stateField, stateOf, intervalOf } from './state-fields';

describe('stateField', () => {
  it('reads what JSON.parse reads, over random card states as submitReview writes them', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = createRng(seed);
      for (let i = 0; i < 200; i++) {
        const state = {
          due: 1_700_000_000_000 + Math.floor(rng.next() * 2 ** 40),
          stability: rng.next() * 10 ** rng.int(-6, 5),
          difficulty: 1 + rng.next() * 9,
          elapsedDays: rng.int(0, 400),
          scheduledDays: rng.int(0, 36500),
          learningSteps: rng.int(0, 3),
          reps: rng.int(0, 100),
          lapses: rng.int(0, 10),
          state: rng.int(0, 3),
          lastReview: rng.next() < 0.2 ? null : 1_700_000_000_000 + Math.floor(rng.next() * 2 ** 40),
          leech: rng.next() < 0.5,
        };
        const json = JSON.stringify(state);
        expect(stateOf(json)).toBe(state.state);
        expect(intervalOf(json)).toBe(state.scheduledDays);
        expect(stabilityOf(json)).toBe(state.stability);
        expect(lastReviewOf(json)).toBe(state.lastReview);
        expect(stateField('due')(json)).toBe(state.due); // "due" is not mistaken for the end of another key
      }
    }
  });

  it('reads the last field of an object and exponents', () => {
    expect(stateField('stability')('{"state":2,"stability":1e-7}')).toBe(1e-7);
    expect(stateField('state')('{"stability":3,"state":2}')).toBe(2);
  });

  it('refuses a missing field, a field that is not a number, and a key that is not a plain word', () => {
    expect(() => stateOf('{"stability":3}')).toThrow(/no state/);
    expect(() => stateOf('{"state":true}')).toThrow(/state is not a number/);
    expect(() => stateOf('{"state":}')).toThrow(/state is not a number/);
    expect(() => stateField('a":1')).toThrow(/not a plain key/);
  });
});
