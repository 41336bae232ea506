/** Activation memory: values a layer outputs (H·W·C), and bytes at 4 bytes per float32 value. */
import { convOutput, valueCount, windowFitsExactly } from '../formulas';
import type { Family } from '../question';
import type { Layer } from '../spec';
import { Draw, domains, type Parameters } from './draw';
import { n, shape } from './prose';
import { dims, eq, floor, frac, math, plus, prod, step } from './tex';
import { assemble, count, mistake } from './variant';

/** float32 */
const BYTES_PER_VALUE = 4;

const memoryParameters = {
  size: { range: { min: 28, max: 227 }, description: 'input height and width', levels: { 1: { choices: [28, 32, 56, 112, 224] }, 2: { min: 28, max: 227 }, 3: { choices: [32, 56, 64, 112, 224] } }, domain: domains.count },
  channels: { range: { choices: [3, 16, 32, 64, 128, 256] }, description: 'input depth', domain: domains.count },
  filters: { range: { choices: [16, 32, 64, 96, 128, 256, 512] }, description: 'filters of the (first) conv', domain: domains.count },
  kernel: { range: { choices: [1, 3, 5, 7, 11] }, description: 'kernel size (single-layer questions)', domain: domains.odd },
  stride: { range: { choices: [1, 2, 4] }, description: 'stride (single-layer questions)', levels: { 1: 1, 2: { choices: [1, 2, 4] }, 3: 1 }, domain: domains.count },
  padding: { range: { min: 0, max: 5 }, description: 'padding on each side (single-layer questions)', domain: domains.padding },
  bytes: { range: { min: 0, max: 1 }, description: '1: ask bytes (float32); 0: ask values', levels: { 1: 0, 2: 1, 3: { min: 0, max: 1 } }, domain: domains.flag },
} satisfies Parameters;

export const activationMemory: Family = {
  id: 'activation-memory',
  title: 'Activation memory of a layer or a network',
  topic: 'memory',
  parameters: memoryParameters,
  generate(rng, options) {
    const draw = new Draw('activation-memory', rng, memoryParameters, options);
    const bytes = draw.get('bytes') === 1;
    const factor = bytes ? BYTES_PER_VALUE : 1;
    const unit = bytes ? ('bytes' as const) : ('values' as const);
    const ask = bytes ? 'in bytes, at 4 bytes per float32 value' : 'in values (numbers), not bytes';
    const c = draw.get('channels');
    if (draw.difficulty < 3) {
      const v = draw.until(() => {
        const k = draw.get('kernel');
        const s = draw.get('stride');
        const p = draw.get('padding');
        const w = draw.get('size');
        if (2 * p > k - 1 || w + 2 * p < k || !windowFitsExactly(w, k, s, 2 * p)) return undefined;
        return { k, s, p, w };
      }, 'the window must tile the padded input exactly');
      const { k, s, p, w } = v;
      const f = draw.get('filters');
      const o = convOutput(w, k, s, p);
      const values = valueCount([o, o, f]);
      const answer = values * factor;
      const valuesAt = (pp: number, ss: number) => (w + 2 * pp >= k ? valueCount([convOutput(w, k, ss, pp), convOutput(w, k, ss, pp), f]) * factor : 0);
      return assemble({
        prompt: `A conv layer with ${n(f)} filters of ${k}×${k}, stride ${s}, padding ${p} takes a ${shape([w, w, c])} input. How much memory does its output take for one image, ${ask}?`,
        answer: count(answer, unit),
        explanation: [
          `Output size: ${math(eq(`${floor(frac(`${w} + 2 \\cdot ${p} - ${k}`, s))} + 1`, o))}, so the output is ${math(dims([o, o, f]))}`,
          step('Values', eq(prod([o, o, f]), values)),
          ...(bytes ? [step('Bytes', eq(prod([values, 4]), answer))] : []),
        ],
        spec: { name: 'activation-memory', input: [w, w, c], layers: [{ kind: 'conv', name: 'conv', filters: f, kernel: k, stride: s, padding: p }] },
        source: { quantity: 'activations', factor },
        misconceptions: [
          mistake(bytes, 'values-vs-bytes', 'gave values, not bytes', count(values, unit), 'Each float32 value takes 4 bytes.'),
          mistake(!bytes, 'bytes-vs-values', 'gave bytes, not values', count(values * BYTES_PER_VALUE, unit), 'The question asks for values; bytes are 4 per value.'),
          mistake(c !== f, 'kept-input-depth', 'used the input depth', count(valueCount([o, o, c]) * factor, unit), 'The output has one channel per filter.'),
          mistake(p > 0, 'forgot-padding', 'forgot the padding', count(valuesAt(0, s), unit), 'The padding adds 2·P to the input size before the window slides.'),
          mistake(s > 1, 'forgot-stride', 'forgot the stride', count(valuesAt(p, 1), unit), 'With stride S the output is about S times smaller per axis.'),
        ],
        params: { size: w, channels: c, filters: f, kernel: k, stride: s, padding: p, bytes: bytes ? 1 : 0, layers: 1 },
        difficulty: draw.difficulty,
      });
    }
    // A VGG-like stack: conv, conv, pool, conv, pool (3×3 convs with padding 1, 2×2 pools).
    const w = draw.until(() => {
      const s = draw.get('size');
      return s % 4 === 0 ? s : undefined;
    }, 'input size divisible by 4');
    const f = draw.get('filters');
    const layers: Layer[] = [
      { kind: 'conv', name: 'conv1', filters: f, kernel: 3, padding: 1 },
      { kind: 'conv', name: 'conv2', filters: f, kernel: 3, padding: 1 },
      { kind: 'maxpool', name: 'pool1', kernel: 2, stride: 2 },
      { kind: 'conv', name: 'conv3', filters: 2 * f, kernel: 3, padding: 1 },
      { kind: 'maxpool', name: 'pool2', kernel: 2, stride: 2 },
    ];
    const shapes: [string, number[]][] = [
      ['conv1', [w, w, f]],
      ['conv2', [w, w, f]],
      ['pool1', [w / 2, w / 2, f]],
      ['conv3', [w / 2, w / 2, 2 * f]],
      ['pool2', [w / 4, w / 4, 2 * f]],
    ];
    const perLayer = shapes.map(([, d]) => valueCount(d));
    const values = perLayer.reduce((a, b) => a + b, 0);
    const answer = values * factor;
    const inputValues = valueCount([w, w, c]);
    return assemble({
      prompt: `A ${shape([w, w, c])} image goes through conv1 (${n(f)} filters 3×3, padding 1), conv2 (${n(f)} filters 3×3, padding 1), pool1 (2×2 max, stride 2), conv3 (${n(2 * f)} filters 3×3, padding 1) and pool2 (2×2 max, stride 2). How much memory do the outputs of all five layers take for one forward pass of one image (not counting the input), ${ask}?`,
      answer: count(answer, unit),
      explanation: [
        ...shapes.map(([name, d]) => `${name}: ${math(eq(dims(d), valueCount(d)))} values`),
        step('Values', eq(plus(perLayer), values)),
        ...(bytes ? [step('Bytes', eq(prod([values, 4]), answer))] : []),
      ],
      spec: { name: 'activation-memory', input: [w, w, c], layers },
      source: { quantity: 'activations', factor },
      misconceptions: [
        mistake(bytes, 'values-vs-bytes', 'gave values, not bytes', count(values, unit), 'Each float32 value takes 4 bytes.'),
        mistake(!bytes, 'bytes-vs-values', 'gave bytes, not values', count(values * BYTES_PER_VALUE, unit), 'The question asks for values; bytes are 4 per value.'),
        mistake(true, 'included-input', 'counted the input too', count((values + inputValues) * factor, unit), 'The question leaves the input image out.'),
        mistake(true, 'last-layer-only', 'counted the last layer only', count(perLayer[perLayer.length - 1]! * factor, unit), 'Every layer keeps its output for the backward pass: sum them all.'),
      ],
      params: { size: w, channels: c, filters: f, bytes: bytes ? 1 : 0, layers: 5 },
      difficulty: draw.difficulty,
    });
  },
};
