/** The "add an item" form writes ranges in the bank's explicit syntax: what it reads, the schema accepts. */
import { describe, expect, it } from 'vitest';
import { rangeSchema } from '../../../engine/bank/schema';
import { families } from '../../../engine/families';
import { formatRange } from '../../../engine/families/draw';
import { readRange } from './item-builder';

describe('readRange', () => {
  it('reads a value, a range and choices; two numbers are two choices, never a range', () => {
    expect(readRange('7')).toBe(7);
    expect(readRange('13-227')).toEqual({ min: 13, max: 227 });
    expect(readRange('13..227')).toEqual({ min: 13, max: 227 });
    expect(readRange('3, 5, 7')).toEqual({ choices: [3, 5, 7] });
    expect(readRange('3, 5')).toEqual({ choices: [3, 5] });
    expect(readRange('  ')).toBeNull();
    expect(readRange('3, x')).toBe('invalid');
    for (const text of ['7', '13-227', '3, 5, 7', '3 5']) expect(rangeSchema.safeParse(readRange(text)).success, text).toBe(true);
  });
});

describe('the placeholders', () => {
  // A placeholder shows the family's default in the bank syntax; typing it as shown must give that range back.
  it('read back as the very range each family parameter defaults to', () => {
    for (const family of families) {
      for (const [name, parameter] of Object.entries(family.parameters ?? {})) {
        expect(readRange(formatRange(parameter.range)), `${family.id}.${name}: ${formatRange(parameter.range)}`).toEqual(parameter.range);
      }
    }
    expect(readRange('{min: 1, max: 9, step: 2}')).toEqual({ min: 1, max: 9, step: 2 });
    expect(readRange('{choices: [3, x]}')).toBe('invalid');
  });
});
