import { describe, expect, it } from 'vitest';
import { families, variantOf } from '../families';
import { featuresOf, regionsOf, unreachableRegions } from '.';

const SEEDS = 2000;

describe('regions', () => {
  for (const family of families) {
    it(`${family.id}: every variant of ${SEEDS} seeds gets one declared region per feature, stably`, () => {
      const features = featuresOf(family.id);
      expect(features.length).toBeGreaterThan(0);
      const unreachable = unreachableRegions(family.id);
      const seen = new Map(features.map((f) => [f.id, new Set<string>()]));
      for (let seed = 0; seed < SEEDS; seed++) {
        const v = variantOf(family, seed);
        const regions = regionsOf(v);
        expect(Object.keys(regions).sort()).toEqual(features.map((f) => f.id).sort());
        for (const f of features) {
          const r = regions[f.id]!;
          if (!f.regions.some((d) => d.id === r)) throw new Error(`${family.id} seed ${seed}: ${f.id} = '${r}' is not declared`);
          seen.get(f.id)!.add(r);
        }
        // Stable: the same variant again, and the variant after a JSON round trip (as stored).
        expect(regionsOf(variantOf(family, seed))).toEqual(regions);
        expect(regionsOf(JSON.parse(JSON.stringify(v)))).toEqual(regions);
      }
      // Every declared region is drawn, or declared unreachable under this generator (and then never drawn).
      for (const f of features) {
        for (const r of f.regions) {
          const drawn = seen.get(f.id)!.has(r.id);
          const noted = unreachable[f.id]?.[r.id] !== undefined;
          if (drawn === noted) throw new Error(`${family.id}: ${f.id}/${r.id} ${drawn ? 'is drawn but declared unreachable' : 'is never drawn in 2,000 seeds and not declared unreachable'}`);
        }
      }
    });
  }

  it('reads the conv-output regions from the drawn values', () => {
    const at = (params: Record<string, number>) => regionsOf({ ...variantOf('conv-output-size', 0), params });
    expect(at({ size: 224, width: 224, channels: 3, filters: 64, kernel: 3, stride: 1, padding: 1, dilation: 1 })).toEqual({ padding: 'same', stride: 'one', kernel: 'three', dilation: 'none', input: 'square' });
    expect(at({ size: 227, width: 227, channels: 3, filters: 96, kernel: 11, stride: 4, padding: 0, dilation: 1 })).toEqual({ padding: 'zero', stride: 'divides', kernel: 'large', dilation: 'none', input: 'square' });
    // 224 + 2 − 3 = 223 is odd: a stride of 2 needs the floor (a bank range could draw it).
    expect(at({ size: 224, width: 112, channels: 3, filters: 64, kernel: 3, stride: 2, padding: 1, dilation: 2 })).toMatchObject({ padding: 'other', stride: 'floor', dilation: 'dilated', input: 'non-square' });
  });

  it('names the family of a variant without parameters', () => {
    const v = { ...variantOf('conv-params', 0), params: {} };
    expect(() => regionsOf(v)).toThrow(/conv-params: the variant has no drawn parameter 'bias'/);
    expect(() => featuresOf('no-such-family')).toThrow(/unknown question family/);
  });
});
