/** Receptive fields: r = 1 + Σ (K_eff,l − 1)·Π_{i<l} S_i, and stacks of 3×3 convs against one large kernel. */
import { INPUT_FIELD, convParams, effectiveKernel, receptiveFieldStep, stackedReceptiveField } from '../formulas';
import type { Family } from '../question';
import type { Layer } from '../spec';
import { Draw, domains, type Parameters } from './draw';
import { kernel, n, shape } from './prose';
import { eq, math, num, plus, prod, step, sym, window } from './tex';
import { assemble, count, mistake } from './variant';

/** The input size that a window gives `out` from: in = (out − 1)·S + D·(K − 1) + 1 − 2P (the inverse of convOutput when it divides). */
export function windowInput(out: number, k: number, s: number, p: number, d = 1): number {
  return (out - 1) * s + effectiveKernel(k, d) - 2 * p;
}

interface StackLayer {
  name: string;
  kind: 'conv' | 'maxpool';
  k: number;
  s: number;
  p: number;
  d: number;
}

const stackParameters = {
  layers: { range: { min: 2, max: 6 }, description: 'number of layers in the stack', levels: { 1: { min: 2, max: 4 }, 2: { min: 3, max: 5 }, 3: { min: 4, max: 6 } }, domain: domains.count },
  kernel: { range: { choices: [3, 5, 7] }, description: 'conv kernel sizes', levels: { 1: { choices: [3, 5, 7] }, 2: { choices: [3, 5, 3] }, 3: { choices: [3, 5, 3] } }, domain: domains.odd },
  strided: { range: { min: 0, max: 3 }, description: 'how many layers have stride 2 (never the first; difficulty 2–3)', levels: { 1: 0, 2: { min: 1, max: 2 }, 3: { min: 1, max: 3 } }, domain: { min: 0 } },
  dilation: { range: { min: 1, max: 2 }, description: 'dilation of the convs after the first (difficulty 3)', levels: { 1: 1, 2: 1, 3: { min: 1, max: 2 } }, domain: domains.count },
  output: { range: { min: 4, max: 56 }, description: 'spatial size of the last output (the input size follows)', levels: { 1: { min: 14, max: 56 }, 2: { min: 7, max: 28 }, 3: { min: 4, max: 14 } }, domain: domains.count },
  channels: { range: { choices: [3, 32, 64, 128] }, description: 'input depth', domain: domains.count },
  filters: { range: { choices: [32, 64, 128, 256] }, description: 'filters of each conv', domain: domains.count },
} satisfies Parameters;

export const receptiveFieldStack: Family = {
  id: 'receptive-field-stack',
  title: 'Receptive field of a stack of layers',
  topic: 'receptive-field',
  parameters: stackParameters,
  generate(rng, options) {
    const draw = new Draw('receptive-field-stack', rng, stackParameters, options);
    const layerCount = draw.get('layers');
    const stridedCount = Math.min(draw.get('strided'), layerCount - 1);
    const strided = new Set<number>();
    const positions = Array.from({ length: layerCount - 1 }, (_, i) => i + 1);
    while (strided.size < stridedCount) strided.add(draw.pick(positions));
    const stack: StackLayer[] = [];
    let convs = 0;
    let pools = 0;
    for (let i = 0; i < layerCount; i++) {
      const s = strided.has(i) ? 2 : 1;
      // A strided layer is a 2×2 max pool half the time (VGG), else a strided conv.
      if (s === 2 && draw.chance(0.5)) {
        stack.push({ name: `pool${++pools}`, kind: 'maxpool', k: 2, s: 2, p: 0, d: 1 });
        continue;
      }
      const k = draw.get('kernel');
      const d = i > 0 && k > 1 ? draw.get('dilation') : 1;
      stack.push({ name: `conv${++convs}`, kind: 'conv', k, s, p: (effectiveKernel(k, d) - 1) / 2, d });
    }
    // Sizes from the output back to the input, so every window divides exactly.
    let size = draw.get('output');
    for (const l of [...stack].reverse()) size = windowInput(size, l.k, l.s, l.p, l.d);
    const c = draw.get('channels');
    const f = draw.get('filters');
    const layers: Layer[] = stack.map((l) =>
      l.kind === 'maxpool'
        ? { kind: 'maxpool', name: l.name, kernel: l.k, stride: l.s }
        : { kind: 'conv', name: l.name, filters: f, kernel: l.k, stride: l.s, padding: l.p, ...(l.d > 1 ? { dilation: l.d } : {}) },
    );
    // The answer from the recurrence; each layer adds (K_eff − 1)·J.
    let field = INPUT_FIELD;
    const steps: string[] = [];
    const terms: number[] = [];
    for (const l of stack) {
      const kEff = effectiveKernel(l.k, l.d);
      const added = (kEff - 1) * field.jump;
      const next = receptiveFieldStep(field, l.k, l.s, l.p, l.d);
      const what = `${l.name} (${math(window(l.k))}${l.d > 1 ? `, dilation ${math(String(l.d))}, so ${math(eq(sym.Keff, kEff))}` : ''}, stride ${math(String(l.s))})`;
      steps.push(`${what}: ${math(eq('J', field.jump))}, adds ${math(eq(`(${kEff} - 1) \\cdot ${field.jump}`, added))}, so ${math(eq('r', next.size))}`);
      terms.push(added);
      field = next;
    }
    const answer = field.size;
    const sumOf = (f2: (l: StackLayer, jump: number) => number) => {
      let jump = 1;
      let total = 0;
      for (const l of stack) {
        total += f2(l, jump);
        jump *= l.s;
      }
      return total;
    };
    const noStride = 1 + sumOf((l) => effectiveKernel(l.k, l.d) - 1);
    const noDilation = 1 + sumOf((l, j) => (l.k - 1) * j);
    const inclusive = 1 + sumOf((l, j) => (effectiveKernel(l.k, l.d) - 1) * j * l.s);
    const describe = stack.map((l) => (l.kind === 'maxpool' ? `${l.name}: 2×2 max pool, stride 2` : `${l.name}: ${kernel(l.k)} conv, stride ${l.s}, padding ${l.p}${l.d > 1 ? `, dilation ${l.d}` : ''}`));
    return assemble({
      prompt: `A ${shape([size, size, c])} input goes through ${describe.join('; ')}. What is the receptive field of one unit of the last layer, in input pixels along one axis?`,
      answer: count(answer, 'pixels'),
      explanation: [
        `${math(`r = 1 + \\sum_l (${sym.Keff} - 1) \\cdot J_l`)}, where ${math('J_l')} is the product of the strides of the layers before`,
        ...steps,
        step('Receptive field', eq(plus([1, ...terms]), answer)),
      ],
      spec: { name: 'receptive-field-stack', input: [size, size, c], layers },
      source: { quantity: 'rf' },
      misconceptions: [
        mistake(true, 'rf-without-stride-product', 'added kernels without the stride products', count(noStride, 'pixels'), 'After a stride-2 layer each step of the next window covers 2 input pixels: multiply by the strides before.'),
        mistake(true, 'forgot-dilation', 'forgot the dilation', count(noDilation, 'pixels'), 'A dilated kernel spans D·(K − 1) + 1 pixels.'),
        mistake(true, 'stride-product-inclusive', "multiplied by the layer's own stride too", count(inclusive, 'pixels'), "A layer's own stride spaces its outputs, not its window: use the strides before it."),
        mistake(true, 'off-by-one', 'left out the +1', count(answer - 1, 'pixels'), 'A single pixel sees itself: the field starts at 1.'),
      ],
      params: { layers: layerCount, strided: stridedCount, convs, pools, size, channels: c, filters: f },
      difficulty: draw.difficulty,
    });
  },
};

const stackedParameters = {
  convs: { range: { min: 2, max: 5 }, description: 'number of stacked 3×3 convs (the single layer is (2·convs + 1)×(2·convs + 1))', domain: domains.count },
  channels: { range: { choices: [16, 32, 48, 64, 96, 128, 192, 256, 384, 512] }, description: 'channels C in and out of every conv', domain: domains.count },
  size: { range: { choices: [14, 28, 56, 112] }, description: 'spatial size (does not change the answer)', domain: domains.count },
} satisfies Parameters;

export const stacked3x3VsLarge: Family = {
  id: 'stacked-3x3-vs-large',
  title: 'Stacked 3×3 convs against one large kernel',
  topic: 'vgg',
  parameters: stackedParameters,
  generate(rng, options) {
    const draw = new Draw('stacked-3x3-vs-large', rng, stackedParameters, options);
    const m = draw.get('convs');
    const c = draw.get('channels');
    const size = draw.get('size');
    const big = stackedReceptiveField(m, 3);
    const layers: Layer[] = Array.from({ length: m }, (_, i) => ({ kind: 'conv' as const, name: `conv${i + 1}`, filters: c, kernel: 3, padding: 1 }));
    const spec = { name: 'stacked-3x3-vs-large', input: [size, size, c] as const, layers };
    const stackLine = `${m} stacked 3×3 conv layers (stride 1, padding 1, ${n(c)} channels in and out of each)`;
    const stackWeights = m * convParams(3, 3, c, c, 1, false);
    const bigWeights = convParams(big, big, c, c, 1, false);
    if (draw.difficulty === 1) {
      return assemble({
        prompt: `${stackLine} on a ${shape([size, size, c])} input. A single conv layer of K×K would see the same receptive field. What is K?`,
        answer: count(big, 'pixels'),
        explanation: [`Each stride-1 3×3 layer adds ${math('3 - 1 = 2')} pixels to the field`, math(eq('K', `1 + ${prod([m, 2])}`, big))],
        spec,
        source: { quantity: 'rf' },
        misconceptions: [
          mistake(true, 'summed-kernels', 'added the kernel sizes', count(3 * m, 'pixels'), 'Neighbouring windows overlap: each layer adds K − 1, not K.'),
          mistake(true, 'multiplied-kernels', 'multiplied the kernel sizes', count(3 ** m, 'pixels'), 'With stride 1 the fields grow by addition, not multiplication.'),
          mistake(true, 'off-by-one', 'left out the +1', count(big - 1, 'pixels'), 'A single pixel sees itself: the field starts at 1.'),
        ],
        params: { convs: m, channels: c, size },
        difficulty: draw.difficulty,
      });
    }
    const misconceptions = [
      mistake(true, 'forgot-input-channels', 'forgot the input depth', count(m * 9 * c, 'weights'), 'Each filter covers all C input channels: 3·3·C weights per filter.'),
      mistake(true, 'forgot-k-squared', 'left out the kernel area', count(m * c * c, 'weights'), 'Each filter has 3·3 weights per input channel.'),
    ];
    if (draw.difficulty === 2) {
      return assemble({
        prompt: `${stackLine} see the same receptive field as one ${kernel(big)} conv layer. How many weights does the stack of ${m} have (no biases)?`,
        answer: count(stackWeights, 'weights'),
        explanation: [step('One 3×3 layer', eq(prod([3, 3, 'C', 'C']), prod([3, 3, c, c]), 9 * c * c)), `${math(String(m))} layers: ${math(eq(prod([m, 9 * c * c]), stackWeights))}`],
        spec,
        source: { quantity: 'params', bias: false },
        misconceptions: [
          mistake(true, 'large-kernel-count', `counted the single ${kernel(big)} layer`, count(bigWeights, 'weights'), `That is the ${kernel(big)} layer's count, ${big}²·C²; the stack has ${m}·9·C².`),
          ...misconceptions,
        ],
        params: { convs: m, channels: c, size },
        difficulty: draw.difficulty,
      });
    }
    const saved = bigWeights - stackWeights;
    return assemble({
      prompt: `${stackLine} see the same receptive field as one ${kernel(big)} conv layer with ${n(c)} channels in and out. How many fewer weights (no biases) does the stack have than the single layer?`,
      answer: count(saved, 'weights'),
      explanation: [
        `Single ${math(window(big))} layer: ${math(eq(`${prod([big, big])} \\cdot C^2`, prod([big, big, c, c]), bigWeights))}`,
        step('Stack', eq(`${prod([m, 3, 3])} \\cdot C^2`, prod([m, 9, c, c]), stackWeights)),
        step('Difference', eq(`${num(bigWeights)} - ${num(stackWeights)}`, saved)),
      ],
      spec,
      misconceptions: [
        mistake(true, 'large-kernel-count', `gave the single layer's count`, count(bigWeights, 'weights'), 'The question asks for the difference.'),
        mistake(true, 'stack-count', "gave the stack's count", count(stackWeights, 'weights'), 'The question asks for the difference.'),
        mistake(true, 'forgot-input-channels', 'forgot the input depth', count((big * big - 9 * m) * c, 'weights'), 'Each filter covers all C input channels: K·K·C weights per filter.'),
      ],
      params: { convs: m, channels: c, size },
      difficulty: draw.difficulty,
    });
  },
};
