/** The geometry of the pictures against the families' answers, over many seeds. */
import { describe, expect, it } from 'vitest';
import { variantOf } from '../families';
import type { ConvLayer, Layer, PoolLayer } from '../spec';
import { fieldLayers } from './fields';
import { axisWindows, layerWindows } from './windows';

const SEEDS = 2000;

describe('window positions', () => {
  it.each(['conv-output-size', 'pool-output-size'])('%s: one position per output unit on each axis, the last inside the padding, the rest under floor', (family) => {
    const failures: string[] = [];
    for (let seed = 0; seed < SEEDS && failures.length < 8; seed++) {
      const v = variantOf(family, seed);
      const layer = v.spec!.layers[0] as ConvLayer | PoolLayer;
      const [h, w] = v.spec!.input;
      const windows = layerWindows(layer, h, w)!;
      const [oh, ow] = v.answer.value as number[];
      const { height, width } = windows;
      if (height.starts.length !== oh || width.starts.length !== ow) failures.push(`seed ${seed}: ${height.starts.length}×${width.starts.length} positions, answer ${oh}×${ow}`);
      for (const axis of [height, width]) {
        const lastEnd = axis.starts[axis.starts.length - 1]! + axis.kEff;
        if (!axis.ceilMode) {
          if (lastEnd > axis.padded) failures.push(`seed ${seed}: last window ends at ${lastEnd} past ${axis.padded}`);
          if (axis.remainder !== (axis.size + 2 * axis.padding - axis.kEff) % axis.stride) failures.push(`seed ${seed}: remainder ${axis.remainder}`);
        } else if (axis.starts[axis.starts.length - 1]! >= axis.size + axis.padding) failures.push(`seed ${seed}: a ceil-mode window starts past the input`);
        if (axis.starts.some((s, i) => i > 0 && s - axis.starts[i - 1]! !== axis.stride)) failures.push(`seed ${seed}: windows not a stride apart`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('counts a small case by hand: 7 wide, 3×3, stride 2, padding 1 → windows at 0, 2, 4, 6 of 9', () => {
    const a = axisWindows(7, 3, 2, 1);
    expect(a).toMatchObject({ padded: 9, kEff: 3, starts: [0, 2, 4, 6], remainder: 0 });
    expect(axisWindows(8, 3, 2, 0)).toMatchObject({ starts: [0, 2, 4], remainder: 1 });
    // Dilation 2 spans 5; ceil mode adds the window that hangs over.
    expect(axisWindows(9, 3, 1, 0, 2).starts).toEqual([0, 1, 2, 3, 4]);
    expect(axisWindows(8, 3, 2, 0, 1, true)).toMatchObject({ starts: [0, 2, 4, 6], remainder: -1 });
  });
});

describe('receptive field layers', () => {
  it('receptive-field-stack: the last layer\'s field is the answer, growing layer by layer', () => {
    const failures: string[] = [];
    for (let seed = 0; seed < SEEDS && failures.length < 8; seed++) {
      const v = variantOf('receptive-field-stack', seed);
      const layers = fieldLayers(v.spec!.layers)!;
      if (layers[layers.length - 1]!.size !== v.answer.value) failures.push(`seed ${seed}: ${layers[layers.length - 1]!.size} against ${String(v.answer.value)}`);
      if (layers.some((l, i) => l.size < (layers[i - 1]?.size ?? 1))) failures.push(`seed ${seed}: a field shrank`);
    }
    expect(failures).toEqual([]);
  });

  it('three 3×3 convs then a 2×2 pool and a 3×3 conv: 3, 5, 7, 8, 12', () => {
    const conv = (name: string): Layer => ({ kind: 'conv', name, filters: 8, kernel: 3, padding: 1 });
    const layers = fieldLayers([conv('a'), conv('b'), conv('c'), { kind: 'maxpool', name: 'p', kernel: 2, stride: 2 }, conv('d')])!;
    expect(layers.map((l) => l.size)).toEqual([3, 5, 7, 8, 12]);
    expect(layers.map((l) => l.jumpBefore)).toEqual([1, 1, 1, 1, 2]);
    expect(fieldLayers([{ kind: 'flatten', name: 'f' }])).toBeNull();
  });
});
