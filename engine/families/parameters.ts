/** Counting parameters: conv k·k·C_in·F (+F), dense in·units (+units), a small network, and unshared weights. */
import { convOutput, convParams, denseParams, windowFitsExactly } from '../formulas';
import type { Family } from '../question';
import type { Layer } from '../spec';
import { Draw, domains, type Parameters } from './draw';
import { kernel, n, shape } from './prose';
import { dims, eq, math, num, plus, prod, step, sym } from './tex';
import { assemble, count, mistake, real } from './variant';

const CHANNELS = [3, 16, 32, 64, 96, 128, 192, 256, 384, 512];
const FILTERS = [16, 32, 64, 96, 128, 192, 256, 384, 512];

/** What the prompt says about biases, and the unit of the answer. */
function convention(bias: boolean) {
  return bias
    ? { ask: 'How many parameters does it have, counting weights and biases?', unit: 'params' as const }
    : { ask: 'How many weights does it have (not counting biases)?', unit: 'weights' as const };
}

const convParameters = {
  size: { range: { choices: [7, 14, 28, 56, 112] }, description: 'input height and width (does not change the count)', domain: domains.count },
  channels: { range: { choices: CHANNELS }, description: 'input depth C_in', domain: domains.count },
  filters: { range: { choices: FILTERS }, description: 'number of filters F', domain: domains.count },
  kernel: { range: { choices: [1, 3, 5, 7, 11] }, description: 'kernel size K (K×K; 1×K at difficulty 3)', levels: { 1: { choices: [1, 3, 5] }, 2: { choices: [1, 3, 5, 7, 11] }, 3: { choices: [3, 5, 7] } }, domain: domains.odd },
  bias: { range: { min: 0, max: 1 }, description: '1: count biases; 0: weights only', domain: domains.flag },
} satisfies Parameters;

export const convParamsFamily: Family = {
  id: 'conv-params',
  title: 'Parameters of a conv layer',
  topic: 'parameters',
  parameters: convParameters,
  generate(rng, options) {
    const draw = new Draw('conv-params', rng, convParameters, options);
    const k = draw.get('kernel');
    // Difficulty 3: a factorised 1×K or K×1 kernel (Inception v3's 1×7).
    const [kh, kw] = draw.difficulty === 3 ? draw.pick([[1, k], [k, 1]] as const) : [k, k];
    const c = draw.get('channels');
    const f = draw.get('filters');
    const size = draw.get('size');
    const bias = draw.get('bias') === 1;
    const { ask, unit } = convention(bias);
    const weights = convParams(kh, kw, c, f, 1, false);
    const answer = convParams(kh, kw, c, f, 1, bias);
    const explanation = [
      `Weights of each filter, which spans the whole input depth: ${math(eq(prod([sym.Kh, sym.Kw, sym.Cin]), prod([kh, kw, c]), kh * kw * c))}`,
      step('Weights, one filter each', eq(prod([kh * kw * c, f]), weights)),
      ...(bias ? [step('Biases, one per filter', num(f)), step('Total', eq(plus([weights, f]), answer))] : []),
    ];
    return assemble({
      prompt: `A conv layer takes a ${shape([size, size, c])} input and applies ${n(f)} filters of ${kernel(kh, kw)} (stride 1, 'same' padding). ${ask}`,
      answer: count(answer, unit),
      explanation,
      spec: { name: 'conv-params', input: [size, size, c], layers: [{ kind: 'conv', name: 'conv', filters: f, kernel: [kh, kw], padding: [(kh - 1) / 2, (kw - 1) / 2] }] },
      source: { quantity: 'params', bias },
      misconceptions: [
        mistake(bias, 'forgot-bias', 'forgot the biases', count(weights, unit), 'Each filter has one bias: add F.'),
        mistake(!bias, 'counted-bias', 'counted the biases', count(weights + f, unit), 'The question asks for weights only.'),
        mistake(c > 1, 'forgot-input-channels', 'forgot the input depth', count(convParams(kh, kw, 1, f, 1, bias), unit), 'A filter covers every input channel: multiply by C_in.'),
        mistake(kh * kw > 1, 'forgot-k-squared', 'left out the kernel area', count(convParams(1, 1, c, f, 1, bias), unit), 'Each filter has K_h·K_w weights per input channel.'),
      ],
      params: { size, channels: c, filters: f, kernelHeight: kh, kernelWidth: kw, bias: bias ? 1 : 0 },
      difficulty: draw.difficulty,
    });
  },
};

const fcParameters = {
  size: { range: { min: 1, max: 7 }, description: 'input height and width before flattening (1: a vector)', levels: { 1: 1, 2: { choices: [1, 2, 3, 4, 6, 7] }, 3: { choices: [2, 3, 4, 5, 6, 7] } }, domain: domains.count },
  channels: { range: { choices: [64, 128, 256, 384, 512, 1024, 2048, 4096] }, description: 'input depth (or vector length)', domain: domains.count },
  units: { range: { choices: [10, 100, 512, 1000, 1024, 2048, 4096] }, description: 'output units', domain: domains.count },
  bias: { range: { min: 0, max: 1 }, description: '1: count biases; 0: weights only', domain: domains.flag },
} satisfies Parameters;

export const fcParamsFamily: Family = {
  id: 'fc-params',
  title: 'Parameters of a fully connected layer',
  topic: 'parameters',
  parameters: fcParameters,
  generate(rng, options) {
    const draw = new Draw('fc-params', rng, fcParameters, options);
    const h = draw.get('size');
    const c = draw.get('channels');
    const units = draw.get('units');
    const bias = draw.get('bias') === 1;
    const { ask, unit } = convention(bias);
    const inputs = h * h * c;
    const weights = denseParams(inputs, units, false);
    const answer = denseParams(inputs, units, bias);
    const source = h === 1 ? `a vector of ${n(c)} values` : `a ${shape([h, h, c])} volume (flattened)`;
    const explanation = [
      ...(h > 1 ? [step('Inputs after flattening', eq(prod([h, h, c]), inputs))] : []),
      step('Weights, one per input per unit', eq(prod([inputs, units]), weights)),
      ...(bias ? [step('Biases, one per unit', num(units)), step('Total', eq(plus([weights, units]), answer))] : []),
    ];
    return assemble({
      prompt: `A fully connected layer maps ${source} to ${n(units)} units. ${ask}`,
      answer: count(answer, unit),
      explanation,
      spec: { name: 'fc-params', input: [h, h, c], layers: [{ kind: 'flatten', name: 'flatten' }, { kind: 'dense', name: 'fc', units }] },
      source: { quantity: 'params', bias },
      misconceptions: [
        mistake(bias, 'forgot-bias', 'forgot the biases', count(weights, unit), 'Each unit has one bias: add the number of units.'),
        mistake(!bias, 'counted-bias', 'counted the biases', count(weights + units, unit), 'The question asks for weights only.'),
        mistake(h > 1, 'forgot-input-channels', 'forgot the input depth', count(denseParams(h * h, units, bias), unit), 'Flattening keeps every channel: H·W·C inputs.'),
        mistake(h > 1, 'forgot-spatial', 'used the depth only', count(denseParams(c, units, bias), unit), 'Flattening keeps every position: H·W·C inputs, not C.'),
      ],
      params: { size: h, channels: c, units, bias: bias ? 1 : 0 },
      difficulty: draw.difficulty,
    });
  },
};

const networkParameters = {
  size: { range: { choices: [28, 32, 64] }, description: 'input height and width', domain: domains.count },
  depth: { range: { min: 1, max: 3 }, description: 'input channels (1: grey, 3: colour)', levels: { 1: 1, 2: 3, 3: 3 }, domain: domains.count },
  convs: { range: { min: 1, max: 3 }, description: 'conv layers (each 3×3 or 5×5, same padding; a 2×2 pool after the first two)', levels: { 1: 1, 2: 2, 3: 3 }, domain: domains.count },
  filters: { range: { choices: [8, 16, 32, 64, 128] }, description: 'filters of the first conv (doubling after each pool)', domain: domains.count },
  kernel: { range: { choices: [3, 5] }, description: 'conv kernel size of each conv', domain: domains.odd },
  hidden: { range: { choices: [64, 128, 256, 512] }, description: 'units of the hidden FC layer (difficulty 2–3)', domain: domains.count },
  classes: { range: { choices: [10, 100, 1000] }, description: 'output classes', domain: domains.count },
  bias: { range: { min: 0, max: 1 }, description: '1: count biases; 0: weights only', domain: domains.flag },
} satisfies Parameters;

export const networkParamsFamily: Family = {
  id: 'network-params',
  title: 'Parameters of a small network',
  topic: 'parameters',
  parameters: networkParameters,
  generate(rng, options) {
    const draw = new Draw('network-params', rng, networkParameters, options);
    const size = draw.get('size');
    const depth = draw.get('depth');
    const convs = draw.get('convs');
    const bias = draw.get('bias') === 1;
    const { ask, unit } = convention(bias);
    const layers: Layer[] = [];
    const lines: string[] = [];
    const counts: number[] = [];
    const other: number[] = [];
    const noDepth: number[] = [];
    const depthOnly: number[] = [];
    const describe: string[] = [];
    let h = size;
    let c = depth;
    let f = draw.get('filters');
    for (let i = 1; i <= convs; i++) {
      const k = draw.get('kernel');
      layers.push({ kind: 'conv', name: `conv${i}`, filters: f, kernel: k, padding: (k - 1) / 2 });
      const p = convParams(k, k, c, f, 1, bias);
      lines.push(step(`conv${i}`, eq(`${prod([k, k, c, f])}${bias ? ` + ${num(f)}` : ''}`, p)));
      counts.push(p);
      other.push(convParams(k, k, c, f, 1, !bias));
      noDepth.push(convParams(k, k, 1, f, 1, bias));
      depthOnly.push(p);
      describe.push(`conv${i}: ${n(f)} filters ${kernel(k)}, stride 1, 'same' padding`);
      c = f;
      if (i <= 2 && h % 2 === 0) {
        layers.push({ kind: 'maxpool', name: `pool${i}`, kernel: 2, stride: 2 });
        h /= 2;
        lines.push(`pool${i}: no parameters (output ${math(dims([h, h, c]))})`);
        describe.push(`pool${i}: 2×2 max pool, stride 2`);
        f *= 2;
      }
    }
    layers.push({ kind: 'flatten', name: 'flatten' });
    const flat = h * h * c;
    const dense = draw.difficulty === 1 ? [draw.get('classes')] : [draw.get('hidden'), draw.get('classes')];
    let inputs = flat;
    dense.forEach((units, j) => {
      const name = `fc${j + 1}`;
      layers.push({ kind: 'dense', name, units });
      const p = denseParams(inputs, units, bias);
      lines.push(step(name, eq(`${j === 0 ? prod([h, h, c, units]) : prod([inputs, units])}${bias ? ` + ${num(units)}` : ''}`, p)));
      counts.push(p);
      other.push(denseParams(inputs, units, !bias));
      noDepth.push(p);
      depthOnly.push(j === 0 ? denseParams(c, units, bias) : p);
      describe.push(`${name}: fully connected, ${n(units)} units`);
      inputs = units;
    });
    const answer = total(counts);
    lines.push(step('Total', eq(plus(counts), answer)));
    return assemble({
      prompt: `A network takes a ${shape([size, size, depth])} input through these layers: ${describe.join('; ')}. ${ask.replace('it have', 'the whole network have')}`,
      answer: count(answer, unit),
      explanation: lines,
      spec: { name: 'network-params', input: [size, size, depth], layers },
      source: { quantity: 'params', bias },
      misconceptions: [
        mistake(bias, 'forgot-bias', 'forgot the biases', count(total(other), unit), 'Every conv filter and FC unit has one bias.'),
        mistake(!bias, 'counted-bias', 'counted the biases', count(total(other), unit), 'The question asks for weights only.'),
        mistake(true, 'forgot-input-channels', 'forgot the input depth of the convs', count(total(noDepth), unit), 'A conv filter covers every input channel: K·K·C_in weights.'),
        mistake(h > 1, 'forgot-spatial', 'flattened to the depth only', count(total(depthOnly), unit), 'Flattening keeps every position: the first FC layer sees H·W·C inputs.'),
      ],
      params: { size, depth, convs, hidden: dense.length > 1 ? dense[0]! : 0, classes: dense[dense.length - 1]!, bias: bias ? 1 : 0 },
      difficulty: draw.difficulty,
    });
  },
};

function total(counts: readonly number[]): number {
  return counts.reduce((a, b) => a + b, 0);
}

const localParameters = {
  size: { range: { min: 13, max: 227 }, description: 'input height and width', levels: { 1: { choices: [227, 224, 55, 56, 32] }, 2: { min: 13, max: 227 }, 3: { min: 13, max: 227 } }, domain: domains.count },
  channels: { range: { choices: [1, 3, 16, 32, 64, 96] }, description: 'input depth', domain: domains.count },
  filters: { range: { choices: [16, 32, 48, 64, 96, 128] }, description: 'filters (maps) F', domain: domains.count },
  kernel: { range: { choices: [3, 5, 7, 11] }, description: 'kernel size', domain: domains.odd },
  stride: { range: { min: 1, max: 4 }, description: 'stride', domain: domains.count },
  padding: { range: { min: 0, max: 2 }, description: 'padding on each side', domain: domains.padding },
} satisfies Parameters;

export const locallyConnectedParams: Family = {
  id: 'locally-connected-params',
  title: 'Locally connected against shared weights',
  topic: 'parameters',
  parameters: localParameters,
  generate(rng, options) {
    const draw = new Draw('locally-connected-params', rng, localParameters, options);
    const v = draw.until(() => {
      const k = draw.get('kernel');
      const s = draw.get('stride');
      const p = draw.get('padding');
      const w = draw.get('size');
      if (2 * p > k - 1 || w + 2 * p < k || !windowFitsExactly(w, k, s, 2 * p)) return undefined;
      const o = convOutput(w, k, s, p);
      // Keep the unshared count within the size of real layers (≤ 10¹⁰).
      if (o * o > 20000) return undefined;
      return { k, s, p, w, o };
    }, 'the window must tile the padded input exactly');
    const { k, s, p, w, o } = v;
    const c = draw.get('channels');
    const f = draw.get('filters');
    const perUnit = k * k * c + 1;
    const shared = convParams(k, k, c, f);
    const unshared = o * o * f * perUnit;
    const spec = { name: 'locally-connected-params', input: [w, w, c] as const, layers: [{ kind: 'conv' as const, name: 'conv', filters: f, kernel: k, stride: s, padding: p }] };
    const setting = `A layer takes a ${shape([w, w, c])} input with ${k}×${k} windows, stride ${s}, padding ${p}, and ${n(f)} output maps (output ${shape([o, o, f])}).`;
    const askRatio = draw.difficulty === 3;
    if (askRatio) {
      return assemble({
        prompt: `${setting} If every output position had its own weights and bias (locally connected, no sharing), how many times more parameters would it have than the convolution that shares them?`,
        answer: real(o * o),
        explanation: [
          step('Shared (conv)', eq('F \\cdot (K \\cdot K \\cdot C + 1)', prod([f, perUnit]), shared)),
          `Unshared, one set per output position: ${math(eq(`${prod([sym.Hout, sym.Wout, 'F'])} \\cdot (K \\cdot K \\cdot C + 1)`, prod([o, o, f, perUnit]), unshared))}`,
          step('Ratio', eq(prod([sym.Hout, sym.Wout]), prod([o, o]), o * o)),
        ],
        spec,
        misconceptions: [
          mistake(true, 'one-axis', 'counted positions along one axis', real(o), 'Every (row, column) position has its own weights: H_out·W_out.'),
          mistake(true, 'ratio-with-maps', 'counted the maps as positions', real(o * o * f), 'Sharing happens within each map: the F filters exist either way.'),
        ],
        params: { size: w, channels: c, filters: f, kernel: k, stride: s, padding: p, output: o },
        difficulty: draw.difficulty,
      });
    }
    return assemble({
      prompt: `${setting} If every output unit had its own weights and bias (locally connected: no weight sharing), how many parameters would the layer have, counting weights and biases?`,
      answer: count(unshared, 'params'),
      explanation: [
        `Parameters of each output unit: ${math(eq('K \\cdot K \\cdot C + 1', `${prod([k, k, c])} + 1`, perUnit))}`,
        step('Output units', eq(prod([o, o, f]), o * o * f)),
        step('Total', eq(prod([o * o * f, perUnit]), unshared)),
      ],
      spec,
      source: { quantity: 'params', factor: o * o },
      misconceptions: [
        mistake(true, 'shared-weights', 'counted shared weights', count(shared, 'params'), 'That is the convolution: one filter per map, shared across positions.'),
        mistake(true, 'forgot-bias', 'forgot the biases', count(o * o * f * (perUnit - 1), 'params'), 'Each output unit has its own bias: K·K·C + 1.'),
        mistake(c > 1, 'forgot-input-channels', 'forgot the input depth', count(o * o * f * (k * k + 1), 'params'), 'Each window covers every input channel: K·K·C.'),
      ],
      params: { size: w, channels: c, filters: f, kernel: k, stride: s, padding: p, output: o },
      difficulty: draw.difficulty,
    });
  },
};
