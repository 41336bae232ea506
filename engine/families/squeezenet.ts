/** SqueezeNet's fire module: a 1×1 squeeze to s channels, then 1×1 (e₁) and 3×3 (e₃) expands, concatenated. */
import { convParams } from '../formulas';
import type { Family } from '../question';
import type { Layer, Spec } from '../spec';
import { Draw, domains, type Parameters } from './draw';
import { n, shape } from './prose';
import { eq, frac, num, plus, prod, step } from './tex';
import { assemble, count, mistake, real } from './variant';

const fireParameters = {
  input: { range: { choices: [96, 128, 256, 384, 512] }, description: 'input channels', domain: domains.count },
  squeeze: { range: { choices: [16, 32, 48, 64] }, description: 'squeeze filters s (1×1)', domain: domains.count },
  expand1: { range: { choices: [64, 128, 192, 256] }, description: 'expand 1×1 filters e₁ (4·s in SqueezeNet; drawn apart at difficulty 3)', domain: domains.count },
  expand3: { range: { choices: [64, 128, 192, 256] }, description: 'expand 3×3 filters e₃ (4·s in SqueezeNet; drawn apart at difficulty 3)', domain: domains.count },
  size: { range: { choices: [13, 27, 55] }, description: 'spatial size (does not change the count)', domain: domains.count },
  bias: { range: { min: 0, max: 1 }, description: '1: count biases; 0: weights only', domain: domains.flag },
} satisfies Parameters;

interface Fire {
  h: number;
  cin: number;
  s: number;
  e1: number;
  e3: number;
}

function drawFire(draw: Draw<typeof fireParameters>): Fire {
  const s = draw.get('squeeze');
  // SqueezeNet's modules expand to 4·s in each branch; difficulty 3 draws the expands apart.
  const apart = draw.difficulty === 3;
  return { h: draw.get('size'), cin: draw.get('input'), s, e1: apart ? draw.get('expand1') : 4 * s, e3: apart ? draw.get('expand3') : 4 * s };
}

function fireLayers(f: Fire): Layer[] {
  return [
    { kind: 'conv', name: 'squeeze1x1', filters: f.s, kernel: 1 },
    {
      kind: 'concat',
      name: 'expand',
      branches: [[{ kind: 'conv', name: 'expand1x1', filters: f.e1, kernel: 1 }], [{ kind: 'conv', name: 'expand3x3', filters: f.e3, kernel: 3, padding: 1 }]],
    },
  ];
}

function fireText(f: Fire): string {
  return `a fire module on a ${shape([f.h, f.h, f.cin])} input: a 1×1 squeeze conv with ${n(f.s)} filters, then a 1×1 expand conv with ${n(f.e1)} filters and a 3×3 expand conv with ${n(f.e3)} filters (padding 1) side by side, concatenated`;
}

/** The three convs' counts: squeeze, expand 1×1, expand 3×3. */
function fireCounts(f: Fire, bias: boolean, options: { expandOn?: number; k3?: number } = {}): number[] {
  const on = options.expandOn ?? f.s;
  const k3 = options.k3 ?? 3;
  return [convParams(1, 1, f.cin, f.s, 1, bias), convParams(1, 1, on, f.e1, 1, bias), convParams(k3, k3, on, f.e3, 1, bias)];
}

function total(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

export const fireModuleParams: Family = {
  id: 'fire-module-params',
  title: 'SqueezeNet fire module: depth and parameters',
  topic: 'squeezenet',
  parameters: fireParameters,
  generate(rng, options) {
    const draw = new Draw('fire-module-params', rng, fireParameters, options);
    const f = drawFire(draw);
    const spec: Spec = { name: 'fire-module-params', input: [f.h, f.h, f.cin], layers: fireLayers(f) };
    if (draw.difficulty === 1) {
      const depth = f.e1 + f.e3;
      return assemble({
        prompt: `Take ${fireText(f)}. What is the depth of its output?`,
        answer: count(depth, 'channels'),
        explanation: ['The squeeze feeds both expands; only the expands are concatenated', step('Depth', eq('e_1 + e_3', plus([f.e1, f.e3]), depth))],
        spec,
        source: { quantity: 'channels' },
        misconceptions: [
          mistake(true, 'counted-squeeze', 'counted the squeeze channels too', count(depth + f.s, 'channels'), 'The squeeze output goes into the expands; it is not concatenated.'),
          mistake(true, 'kept-input-depth', 'kept the input depth', count(f.cin, 'channels'), 'The output depth is the sum of the expand filters.'),
        ],
        params: { input: f.cin, squeeze: f.s, expand1: f.e1, expand3: f.e3, size: f.h },
        difficulty: draw.difficulty,
      });
    }
    const bias = draw.get('bias') === 1;
    const unit = bias ? ('params' as const) : ('weights' as const);
    const counts = fireCounts(f, bias);
    const answer = total(counts);
    const b = (filters: number) => (bias ? ` + ${num(filters)}` : '');
    return assemble({
      prompt: `Take ${fireText(f)}. ${bias ? 'How many parameters does it have, counting weights and biases?' : 'How many weights does it have (not counting biases)?'}`,
      answer: count(answer, unit),
      explanation: [
        step('squeeze 1×1', eq(`${prod([f.cin, f.s])}${b(f.s)}`, counts[0]!)),
        step('expand 1×1', eq(`${prod([f.s, f.e1])}${b(f.e1)}`, counts[1]!)),
        step('expand 3×3', eq(`${prod([3, 3, f.s, f.e3])}${b(f.e3)}`, counts[2]!)),
        step('Total', eq(plus(counts), answer)),
      ],
      spec,
      source: { quantity: 'params', bias },
      misconceptions: [
        mistake(bias, 'forgot-bias', 'forgot the biases', count(total(fireCounts(f, false)), unit), 'Each of the three convs has one bias per filter.'),
        mistake(!bias, 'counted-bias', 'counted the biases', count(total(fireCounts(f, true)), unit), 'The question asks for weights only.'),
        mistake(true, 'expand-on-input', 'ran the expands on the input depth', count(total(fireCounts(f, bias, { expandOn: f.cin })), unit), 'The expands see the squeezed depth s, which is the point of the squeeze.'),
        mistake(true, 'forgot-k-squared', 'counted the 3×3 expand as 1×1', count(total(fireCounts(f, bias, { k3: 1 })), unit), 'The 3×3 expand has 9 weights per input channel per filter.'),
      ],
      params: { input: f.cin, squeeze: f.s, expand1: f.e1, expand3: f.e3, size: f.h, bias: bias ? 1 : 0 },
      difficulty: draw.difficulty,
    });
  },
};

/** Ratio rounded to two decimals: round(100·a/b)/100. */
function ratio2(a: number, b: number): number {
  return Math.round((100 * a) / b) / 100;
}

export const squeezenetCompression: Family = {
  id: 'squeezenet-compression',
  title: 'SqueezeNet: how much a fire module saves',
  topic: 'squeezenet',
  parameters: fireParameters,
  generate(rng, options) {
    const draw = new Draw('squeezenet-compression', rng, fireParameters, options);
    const f = drawFire(draw);
    const bias = draw.difficulty === 3 && draw.get('bias') === 1;
    const out = f.e1 + f.e3;
    const plain = convParams(3, 3, f.cin, out, 1, bias);
    const counts = fireCounts(f, bias);
    const fire = total(counts);
    const answer = ratio2(plain, fire);
    const what = bias ? 'parameters (weights and biases)' : 'weights (no biases)';
    return assemble({
      prompt: `Take ${fireText(f)}. A plain 3×3 conv layer (padding 1) from ${n(f.cin)} to ${n(out)} channels would give the same output shape. How many times more ${what} does the plain layer have than the fire module? Give the ratio to two decimal places.`,
      answer: real(answer),
      tolerance: { absolute: 0.01 },
      explanation: [
        step('Plain 3×3 conv', eq(`${prod([3, 3, f.cin, out])}${bias ? ` + ${num(out)}` : ''}`, plain)),
        step('Fire module', eq(plus(counts), fire)),
        step('Ratio', `${frac(plain, fire)} \\approx ${answer}`),
      ],
      spec: { name: 'squeezenet-compression', input: [f.h, f.h, f.cin], layers: fireLayers(f) },
      misconceptions: [
        mistake(true, 'inverted-ratio', 'divided the other way', real(ratio2(fire, plain)), 'Plain over fire: how many times larger the plain layer is.'),
        mistake(true, 'forgot-k-squared', 'counted the 3×3 expand as 1×1', real(ratio2(plain, total(fireCounts(f, bias, { k3: 1 })))), 'The 3×3 expand has 9 weights per input channel per filter.'),
        mistake(true, 'expand-on-input', 'ran the expands on the input depth', real(ratio2(plain, total(fireCounts(f, bias, { expandOn: f.cin })))), 'The expands see the squeezed depth s, which is the point of the squeeze.'),
      ],
      params: { input: f.cin, squeeze: f.s, expand1: f.e1, expand3: f.e3, size: f.h, bias: bias ? 1 : 0 },
      difficulty: draw.difficulty,
    });
  },
};
