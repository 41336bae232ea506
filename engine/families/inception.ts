/** 1×1 projections and GoogLeNet's inception module: output depth, naive cost, bottleneck cost. */
import { convMacs, flopsFromMacs } from '../formulas';
import type { Family } from '../question';
import type { ConcatLayer, Layer, Spec } from '../spec';
import { Draw, domains, type Parameters } from './draw';
import { n, shape } from './prose';
import { dims as shapeTex, eq, frac, math, num, plus, prod, step, sym } from './tex';
import { assemble, count, dims, mistake } from './variant';

const projectionParameters = {
  size: { range: { choices: [7, 14, 28, 56, 112] }, description: 'input height and width', domain: domains.count },
  channels: { range: { choices: [64, 128, 192, 256, 480, 512, 832, 1024, 2048] }, description: 'input depth C', domain: domains.count },
  filters: { range: { choices: [16, 32, 48, 64, 96, 128, 192, 256] }, description: '1×1 filters F', domain: domains.count },
} satisfies Parameters;

export const oneByOneProjection: Family = {
  id: 'one-by-one-projection',
  title: '1×1 convolution as a depth projection',
  topic: 'nin',
  parameters: projectionParameters,
  generate(rng, options) {
    const draw = new Draw('one-by-one-projection', rng, projectionParameters, options);
    const h = draw.get('size');
    const { c, f } = draw.until(() => {
      const cc = draw.get('channels');
      const ff = draw.get('filters');
      return ff < cc ? { c: cc, f: ff } : undefined;
    }, 'fewer filters than input channels');
    const spec: Spec = { name: 'one-by-one-projection', input: [h, h, c], layers: [{ kind: 'conv', name: 'conv1x1', filters: f, kernel: 1 }] };
    const setting = `${n(f)} filters of 1×1 (stride 1) are applied to a ${shape([h, h, c])} volume.`;
    if (draw.difficulty === 1) {
      return assemble({
        prompt: `${setting} What is the output volume (H×W×C)?`,
        answer: dims([h, h, f]),
        explanation: [`A 1×1 window with stride 1 keeps the spatial size: ${math(eq(`${frac('H - 1', 1)} + 1`, 'H'))}`, `Each filter takes a dot product over all ${math(num(c))} channels at one position and gives one channel`, step('Output volume', shapeTex([h, h, f]))],
        spec,
        source: { quantity: 'output' },
        misconceptions: [mistake(true, 'kept-input-depth', 'kept the input depth', dims([h, h, c]), 'The output depth is the number of filters; the 1×1 conv projects the depth.')],
        params: { size: h, channels: c, filters: f },
        difficulty: draw.difficulty,
      });
    }
    const macs = convMacs(h, h, f, 1, 1, c);
    const flops = draw.difficulty === 3;
    const answer = flops ? flopsFromMacs(macs) : macs;
    const unit = flops ? ('flops' as const) : ('macs' as const);
    return assemble({
      prompt: `${setting} How many ${flops ? 'FLOPs (1 multiply-accumulate = 2 FLOPs)' : 'multiply-accumulates (MACs)'} does it take? Ignore the biases.`,
      answer: count(answer, unit),
      explanation: [
        `Output: ${math(shapeTex([h, h, f]))}; each output value is a dot product over ${math(num(c))} channels`,
        step('MACs', eq(prod(['H', 'W', 'F', 'C']), prod([h, h, f, c]), macs)),
        ...(flops ? [step('FLOPs', eq(prod([2, macs]), answer))] : []),
      ],
      spec,
      source: { quantity: flops ? 'flops' : 'macs' },
      misconceptions: [
        mistake(!flops, 'flops-for-macs', 'gave FLOPs, not MACs', count(flopsFromMacs(macs), unit), 'One multiply-accumulate is one MAC (and 2 FLOPs).'),
        mistake(flops, 'macs-for-flops', 'gave MACs, not FLOPs', count(macs, unit), 'A multiply-accumulate counts as 2 FLOPs.'),
        mistake(true, 'forgot-input-channels', 'forgot the input depth', count((flops ? 2 : 1) * h * h * f, unit), 'Each output value sums over all C input channels.'),
      ],
      params: { size: h, channels: c, filters: f },
      difficulty: draw.difficulty,
    });
  },
};

const inceptionParameters = {
  size: { range: { choices: [7, 14, 28] }, description: 'input height and width', levels: { 1: 28, 2: { choices: [7, 14, 28] }, 3: { choices: [7, 14, 28] } }, domain: domains.count },
  channels: { range: { choices: [192, 256, 480, 512, 528, 832] }, description: 'input depth C', levels: { 1: 256, 2: { choices: [192, 256, 480, 512, 528, 832] }, 3: { choices: [192, 256, 480, 512, 528, 832] } }, domain: domains.count },
  f1: { range: { choices: [64, 96, 112, 128, 160, 192, 256, 384] }, description: '1×1 branch filters', domain: domains.count },
  f3: { range: { choices: [96, 128, 192, 208, 224, 256, 288, 320, 384] }, description: '3×3 branch filters', domain: domains.count },
  f5: { range: { choices: [16, 24, 32, 48, 64, 96, 128] }, description: '5×5 branch filters', domain: domains.count },
  r3: { range: { choices: [64, 96, 112, 128, 144, 160, 192] }, description: '1×1 reduction before the 3×3', domain: domains.count },
  r5: { range: { choices: [16, 24, 32, 48, 64] }, description: '1×1 reduction before the 5×5', domain: domains.count },
  pool: { range: { choices: [32, 64, 128] }, description: '1×1 projection after the pool', domain: domains.count },
} satisfies Parameters;

interface Module {
  h: number;
  c: number;
  f1: number;
  f3: number;
  f5: number;
  r3: number;
  r5: number;
  pp: number;
}

/** GoogLeNet's input depths at each map size (inception 3a–3b, 4a–4e, 5a–5b). */
const DEPTHS_AT: Record<number, readonly number[]> = { 28: [192, 256], 14: [480, 512, 528, 832], 7: [832] };

function drawModule(draw: Draw<typeof inceptionParameters>): Module {
  const free = draw.setByBank('size') || draw.setByBank('channels');
  const { h, c } = draw.until(() => {
    const hh = draw.get('size');
    const cc = draw.get('channels');
    return free || DEPTHS_AT[hh]?.includes(cc) ? { h: hh, c: cc } : undefined;
  }, "a map size and depth that occur together in GoogLeNet (or set 'size' or 'channels')");
  return {
    h,
    c,
    f1: draw.get('f1'),
    f3: draw.get('f3'),
    f5: draw.get('f5'),
    r3: draw.get('r3'),
    r5: draw.get('r5'),
    pp: draw.get('pool'),
  };
}

/** The naive module: 1×1, 3×3 and 5×5 convs (same padding) and a 3×3 max pool, concatenated. */
function naiveModule(m: Module, name = 'inception'): ConcatLayer {
  return {
    kind: 'concat',
    name,
    branches: [
      [{ kind: 'conv', name: '1x1', filters: m.f1, kernel: 1 }],
      [{ kind: 'conv', name: '3x3', filters: m.f3, kernel: 3, padding: 1 }],
      [{ kind: 'conv', name: '5x5', filters: m.f5, kernel: 5, padding: 2 }],
      [{ kind: 'maxpool', name: 'pool', kernel: 3, stride: 1, padding: 1 }],
    ],
  };
}

/** The module with 1×1 bottlenecks before the 3×3 and 5×5 and after the pool. */
function bottleneckModule(m: Module): ConcatLayer {
  const layers: Layer[][] = [
    [{ kind: 'conv', name: '1x1', filters: m.f1, kernel: 1 }],
    [
      { kind: 'conv', name: '3x3_reduce', filters: m.r3, kernel: 1 },
      { kind: 'conv', name: '3x3', filters: m.f3, kernel: 3, padding: 1 },
    ],
    [
      { kind: 'conv', name: '5x5_reduce', filters: m.r5, kernel: 1 },
      { kind: 'conv', name: '5x5', filters: m.f5, kernel: 5, padding: 2 },
    ],
    [
      { kind: 'maxpool', name: 'pool', kernel: 3, stride: 1, padding: 1 },
      { kind: 'conv', name: 'pool_proj', filters: m.pp, kernel: 1 },
    ],
  ];
  return { kind: 'concat', name: 'inception', branches: layers };
}

function naiveText(m: Module): string {
  return `1×1 conv with ${n(m.f1)} filters, 3×3 conv with ${n(m.f3)} filters, 5×5 conv with ${n(m.f5)} filters (all stride 1, 'same' padding) and a 3×3 max pool (stride 1, padding 1), concatenated in depth`;
}

function bottleneckText(m: Module): string {
  return `1×1 conv with ${n(m.f1)} filters; 1×1 conv with ${n(m.r3)} filters then 3×3 conv with ${n(m.f3)}; 1×1 conv with ${n(m.r5)} filters then 5×5 conv with ${n(m.f5)}; 3×3 max pool (stride 1, padding 1) then 1×1 conv with ${n(m.pp)} filters; all 'same' padding, concatenated in depth`;
}

export const inceptionOutputDepth: Family = {
  id: 'inception-output-depth',
  title: 'Output depth of an inception module',
  topic: 'googlenet',
  parameters: inceptionParameters,
  generate(rng, options) {
    const draw = new Draw('inception-output-depth', rng, inceptionParameters, options);
    const m = drawModule(draw);
    const channels = (d: number) => count(d, 'channels');
    if (draw.difficulty === 2) {
      const depth = m.f1 + m.f3 + m.f5 + m.pp;
      return assemble({
        prompt: `An inception module with bottlenecks takes a ${shape([m.h, m.h, m.c])} input: ${bottleneckText(m)}. What is the depth of its output?`,
        answer: channels(depth),
        explanation: ['The reductions are internal: only the last conv of each branch reaches the concatenation', step('Depth', eq(plus([m.f1, m.f3, m.f5, m.pp]), depth))],
        spec: { name: 'inception-output-depth', input: [m.h, m.h, m.c], layers: [bottleneckModule(m)] },
        source: { quantity: 'channels' },
        misconceptions: [
          mistake(true, 'inception-without-pool', 'left out the pool branch', channels(m.f1 + m.f3 + m.f5), 'The pool branch (through its 1×1 projection) is concatenated too.'),
          mistake(true, 'pool-keeps-depth', 'let the pool branch keep the input depth', channels(m.f1 + m.f3 + m.f5 + m.c), 'Here the pool is followed by a 1×1 projection: it adds its filters, not the input depth.'),
          mistake(true, 'counted-reductions', 'counted the reductions too', channels(depth + m.r3 + m.r5), 'The 1×1 reductions feed the 3×3 and 5×5; they are not in the output.'),
        ],
        params: { size: m.h, channels: m.c, f1: m.f1, f3: m.f3, f5: m.f5, r3: m.r3, r5: m.r5, pool: m.pp },
        difficulty: draw.difficulty,
      });
    }
    const first = m.f1 + m.f3 + m.f5 + m.c;
    if (draw.difficulty === 1) {
      return assemble({
        prompt: `A naive inception module takes a ${shape([m.h, m.h, m.c])} input: ${naiveText(m)}. What is the depth of its output?`,
        answer: channels(first),
        explanation: ['The pool keeps the input depth; every branch is concatenated', step('Depth', eq(plus([m.f1, m.f3, m.f5, m.c]), first))],
        spec: { name: 'inception-output-depth', input: [m.h, m.h, m.c], layers: [naiveModule(m)] },
        source: { quantity: 'channels' },
        misconceptions: [mistake(true, 'inception-without-pool', 'left out the pool branch', channels(m.f1 + m.f3 + m.f5), 'The pool branch keeps all input channels and is concatenated too.')],
        params: { size: m.h, channels: m.c, f1: m.f1, f3: m.f3, f5: m.f5, r3: m.r3, r5: m.r5, pool: m.pp },
        difficulty: draw.difficulty,
      });
    }
    // Two naive modules in a row: the pool branch carries the whole input depth forward.
    const m2 = { ...drawModule(draw), h: m.h, c: first };
    const second = m2.f1 + m2.f3 + m2.f5 + first;
    return assemble({
      prompt: `Two naive inception modules are stacked on a ${shape([m.h, m.h, m.c])} input. The first has ${n(m.f1)}, ${n(m.f3)} and ${n(m.f5)} filters in its 1×1, 3×3 and 5×5 branches; the second has ${n(m2.f1)}, ${n(m2.f3)} and ${n(m2.f5)}. Each also has a 3×3 max pool branch (stride 1, padding 1); all 'same' padding, concatenated in depth. What is the depth of the second module's output?`,
      answer: channels(second),
      explanation: [step('First module', eq(plus([m.f1, m.f3, m.f5, m.c]), first)), `Second module: the pool passes its ${math(num(first))} input channels on, ${math(eq(plus([m2.f1, m2.f3, m2.f5, first]), second))}`],
      spec: { name: 'inception-output-depth', input: [m.h, m.h, m.c], layers: [naiveModule(m, 'inception1'), naiveModule(m2, 'inception2')] },
      source: { quantity: 'channels' },
      misconceptions: [
        mistake(true, 'inception-without-pool', 'left out the pool branch', channels(m2.f1 + m2.f3 + m2.f5), "The pool branch keeps all of the second module's input channels."),
        mistake(true, 'pool-keeps-original-depth', 'carried the original input depth', channels(m2.f1 + m2.f3 + m2.f5 + m.c), "The second module's pool sees the first module's output depth."),
        mistake(true, 'first-module-only', 'stopped after the first module', channels(first), 'The question asks for the second module.'),
      ],
      params: { size: m.h, channels: m.c, f1: m.f1, f3: m.f3, f5: m.f5, r3: m.r3, r5: m.r5, pool: m.pp, modules: 2, f1b: m2.f1, f3b: m2.f3, f5b: m2.f5 },
      difficulty: draw.difficulty,
    });
  },
};

const MACS_OF_CONV = prod([sym.Hout, sym.Wout, 'F', 'K', 'K', sym.Cin]);

/** One conv's term "H·W·F·K·K·C = MACs" for the explanation. */
function term(label: string, h: number, f: number, k: number, c: number): { line: string; macs: number } {
  const macs = convMacs(h, h, f, k, k, c);
  return { line: step(label, eq(prod([h, h, f, k, k, c]), macs)), macs };
}

function costQuestion(flops: boolean) {
  return flops
    ? { ask: 'How many FLOPs do its convolutions take (1 multiply-accumulate = 2 FLOPs; biases and the pool not counted)?', unit: 'flops' as const, quantity: 'flops' as const }
    : { ask: 'How many multiply-accumulates (MACs) do its convolutions take (biases and the pool not counted)?', unit: 'macs' as const, quantity: 'macs' as const };
}

export const inceptionNaiveMacs: Family = {
  id: 'inception-naive-macs',
  title: 'Cost of a naive inception module',
  topic: 'googlenet',
  parameters: inceptionParameters,
  generate(rng, options) {
    const draw = new Draw('inception-naive-macs', rng, inceptionParameters, options);
    const m = drawModule(draw);
    const flops = draw.difficulty === 3;
    const { ask, unit, quantity } = costQuestion(flops);
    const scale = flops ? 2 : 1;
    const terms = [term('1×1 conv', m.h, m.f1, 1, m.c), term('3×3 conv', m.h, m.f3, 3, m.c), term('5×5 conv', m.h, m.f5, 5, m.c)];
    const macs = terms.reduce((a, t) => a + t.macs, 0);
    const answer = scale * macs;
    const perPosition = m.c * (m.f1 + 9 * m.f3 + 25 * m.f5);
    return assemble({
      prompt: `A naive inception module takes a ${shape([m.h, m.h, m.c])} input: ${naiveText(m)}. ${ask}`,
      answer: count(answer, unit),
      explanation: [
        step('Each conv', MACS_OF_CONV),
        ...terms.map((t) => t.line),
        'Pool: no multiplies',
        step('MACs', eq(plus(terms.map((t) => t.macs)), macs)),
        ...(flops ? [step('FLOPs', eq(prod([2, macs]), answer))] : []),
      ],
      spec: { name: 'inception-naive-macs', input: [m.h, m.h, m.c], layers: [naiveModule(m)] },
      source: { quantity },
      misconceptions: [
        mistake(!flops, 'flops-for-macs', 'gave FLOPs, not MACs', count(2 * macs, unit), 'One multiply-accumulate is one MAC (and 2 FLOPs).'),
        mistake(flops, 'macs-for-flops', 'gave MACs, not FLOPs', count(macs, unit), 'A multiply-accumulate counts as 2 FLOPs.'),
        mistake(true, 'forgot-input-channels', 'forgot the input depth', count((scale * macs) / m.c, unit), 'Each output value sums over all C_in input channels.'),
        mistake(true, 'forgot-output-positions', 'counted one output position', count(scale * perPosition, unit), 'Every one of the H·W output positions repeats the work.'),
      ],
      params: { size: m.h, channels: m.c, f1: m.f1, f3: m.f3, f5: m.f5, r3: m.r3, r5: m.r5, pool: m.pp },
      difficulty: draw.difficulty,
    });
  },
};

export const inceptionBottleneckMacs: Family = {
  id: 'inception-bottleneck-macs',
  title: 'Cost of an inception module with 1×1 bottlenecks',
  topic: 'googlenet',
  parameters: inceptionParameters,
  generate(rng, options) {
    const draw = new Draw('inception-bottleneck-macs', rng, inceptionParameters, options);
    const m = drawModule(draw);
    const flops = draw.difficulty === 3;
    const { ask, unit, quantity } = costQuestion(flops);
    const scale = flops ? 2 : 1;
    const reductions = [term('1×1 reduce before 3×3', m.h, m.r3, 1, m.c), term('1×1 reduce before 5×5', m.h, m.r5, 1, m.c), term('1×1 after the pool', m.h, m.pp, 1, m.c)];
    const main = [term('1×1 conv', m.h, m.f1, 1, m.c), term('3×3 conv', m.h, m.f3, 3, m.r3), term('5×5 conv', m.h, m.f5, 5, m.r5)];
    const all = [...reductions, ...main];
    const macs = all.reduce((a, t) => a + t.macs, 0);
    const answer = scale * macs;
    const onFullDepth = macs - main[1]!.macs - main[2]!.macs + convMacs(m.h, m.h, m.f3, 3, 3, m.c) + convMacs(m.h, m.h, m.f5, 5, 5, m.c);
    const withoutReductions = main.reduce((a, t) => a + t.macs, 0);
    return assemble({
      prompt: `An inception module with bottlenecks takes a ${shape([m.h, m.h, m.c])} input: ${bottleneckText(m)}. ${ask}`,
      answer: count(answer, unit),
      explanation: [
        `Each conv: ${math(MACS_OF_CONV)}, where ${math(sym.Cin)} is the depth that conv sees`,
        ...all.map((t) => t.line),
        step('MACs', eq(plus(all.map((t) => t.macs)), macs)),
        ...(flops ? [step('FLOPs', eq(prod([2, macs]), answer))] : []),
      ],
      spec: { name: 'inception-bottleneck-macs', input: [m.h, m.h, m.c], layers: [bottleneckModule(m)] },
      source: { quantity },
      misconceptions: [
        mistake(!flops, 'flops-for-macs', 'gave FLOPs, not MACs', count(2 * macs, unit), 'One multiply-accumulate is one MAC (and 2 FLOPs).'),
        mistake(flops, 'macs-for-flops', 'gave MACs, not FLOPs', count(macs, unit), 'A multiply-accumulate counts as 2 FLOPs.'),
        mistake(true, 'forgot-bottleneck', 'ran the 3×3 and 5×5 on the full input depth', count(scale * onFullDepth, unit), 'After the 1×1 reductions the 3×3 and 5×5 see only the reduced depth.'),
        mistake(true, 'forgot-reductions', 'left out the 1×1 reductions', count(scale * withoutReductions, unit), 'The 1×1 reductions and the pool projection cost multiplies too.'),
      ],
      params: { size: m.h, channels: m.c, f1: m.f1, f3: m.f3, f5: m.f5, r3: m.r3, r5: m.r5, pool: m.pp },
      difficulty: draw.difficulty,
    });
  },
};
