/** Output sizes of convolution and pooling windows: floor((W + 2P − D(K−1) − 1)/S) + 1. */
import { convOutput, effectiveKernel, windowFitsExactly, windowOutput } from '../formulas';
import type { Family } from '../question';
import type { ConvLayer, PoolLayer } from '../spec';
import { Draw, domains, type Parameters } from './draw';
import { n, shape } from './prose';
import { ceil as ceilOf, dims as shapeTex, eq, floor, frac, math, step, sym } from './tex';
import { assemble, dims, mistake } from './variant';

const convParameters = {
  size: { range: { min: 7, max: 227 }, description: 'input height (and width unless the variant is not square)', levels: { 1: { choices: [28, 32, 56, 64, 112, 224] }, 2: { min: 13, max: 227 }, 3: { min: 13, max: 227 } }, domain: domains.count },
  channels: { range: { choices: [3, 16, 32, 64, 96, 128, 192, 256, 384, 512] }, description: 'input depth', domain: domains.count },
  filters: { range: { choices: [16, 32, 64, 96, 128, 192, 256, 384, 512] }, description: 'number of filters', domain: domains.count },
  kernel: { range: { choices: [1, 3, 5, 7, 9, 11] }, description: 'kernel size (odd)', levels: { 1: { choices: [1, 3, 5] }, 2: { choices: [1, 3, 5, 7, 11] }, 3: { choices: [3, 5, 7] } }, domain: domains.odd },
  stride: { range: { min: 1, max: 4 }, description: 'stride', levels: { 1: { min: 1, max: 2 }, 2: { choices: [1, 2, 4] }, 3: { min: 1, max: 2 } }, domain: domains.count },
  padding: { range: { min: 0, max: 5 }, description: 'zero padding on each side', levels: { 1: { min: 0, max: 2 }, 2: { min: 0, max: 5 }, 3: { min: 0, max: 4 } }, domain: domains.padding },
  dilation: { range: { min: 1, max: 2 }, description: 'dilation (difficulty 3)', levels: { 1: 1, 2: 1, 3: { min: 1, max: 2 } }, domain: domains.count },
  square: { range: { min: 0, max: 1 }, description: '1: H = W; 0: H and W drawn apart (difficulty 3)', levels: { 1: 1, 2: 1, 3: { min: 0, max: 1 } }, domain: domains.flag },
} satisfies Parameters;

/** The line "H_out = ⌊(H + 2P − K_eff)/S⌋ + 1 = …" for one axis, this variant's numbers put in. */
function axisStep(axis: string, out: string, w: number, k: number, s: number, p: number, d: number): string {
  const kEff = effectiveKernel(k, d);
  return step(axis, eq(out, `${floor(frac(`${w} + 2 \\cdot ${p} - ${kEff}`, s))} + 1`, convOutput(w, k, s, p, d)));
}

export const convOutputSize: Family = {
  id: 'conv-output-size',
  title: 'Conv layer output volume',
  topic: 'conv-arithmetic',
  parameters: convParameters,
  generate(rng, options) {
    const draw = new Draw('conv-output-size', rng, convParameters, options);
    const v = draw.until(() => {
      const k = draw.get('kernel');
      const s = draw.get('stride');
      const p = draw.get('padding');
      const d = k === 1 ? 1 : draw.get('dilation');
      const h = draw.get('size');
      const w = draw.get('square') === 1 ? h : draw.get('size');
      const kEff = effectiveKernel(k, d);
      if (2 * p > kEff - 1 || h + 2 * p < kEff || w + 2 * p < kEff) return undefined;
      if (!windowFitsExactly(h, k, s, 2 * p, d) || !windowFitsExactly(w, k, s, 2 * p, d)) return undefined;
      return { k, s, p, d, h, w, c: draw.get('channels'), f: draw.get('filters') };
    }, 'the window must tile the padded input exactly');
    const { k, s, p, d, h, w, c, f } = v;
    const out = [convOutput(h, k, s, p, d), convOutput(w, k, s, p, d), f];
    const conv: ConvLayer = { kind: 'conv', name: 'conv', filters: f, kernel: k, stride: s, padding: p, ...(d > 1 ? { dilation: d } : {}) };
    const dilated = d > 1 ? `, dilation ${d}` : '';
    const sizeFor = (pp: number, ss: number, dd: number) => {
      const hh = h + 2 * pp >= effectiveKernel(k, dd) ? convOutput(h, k, ss, pp, dd) : 0;
      const ww = w + 2 * pp >= effectiveKernel(k, dd) ? convOutput(w, k, ss, pp, dd) : 0;
      return [hh, ww, f];
    };
    const explanation = [
      `Each spatial axis: ${math(`${sym.Hout} = ${floor(frac(`H + 2P - ${sym.Keff}`, 'S'))} + 1`)}, with ${math(`${sym.Keff} = D \\cdot (K - 1) + 1`)}`,
      ...(d > 1 ? [math(eq(sym.Keff, `${d} \\cdot (${k} - 1) + 1`, effectiveKernel(k, d)))] : []),
      axisStep('Height', sym.Hout, h, k, s, p, d),
      h === w ? `Width: the same, ${math(String(out[1]))}` : axisStep('Width', sym.Wout, w, k, s, p, d),
      `Depth: one channel per filter, ${math(String(f))}`,
      step('Output volume', shapeTex(out)),
    ];
    return assemble({
      prompt: `A ${shape([h, w, c])} input goes through a convolution with ${n(f)} filters of ${k}×${k}, stride ${s}, zero padding ${p} on each side${dilated}. What is the output volume (H×W×C)?`,
      answer: dims(out),
      explanation,
      spec: { name: 'conv-output-size', input: [h, w, c], layers: [conv] },
      source: { quantity: 'output' },
      misconceptions: [
        mistake(p > 0, 'forgot-padding', 'forgot the padding', dims(sizeFor(0, s, d)), 'The padding adds 2·P to the input size before the window slides.'),
        mistake(s > 1, 'forgot-stride', 'forgot the stride', dims(sizeFor(p, 1, d)), 'With stride S the window moves S pixels a step, so divide by S.'),
        mistake(d > 1, 'forgot-dilation', 'forgot the dilation', dims(sizeFor(p, s, 1)), 'A dilated kernel spans D·(K − 1) + 1 pixels.'),
        mistake(true, 'off-by-one', 'left out the +1', dims([(h + 2 * p - effectiveKernel(k, d)) / s, (w + 2 * p - effectiveKernel(k, d)) / s, f]), 'The formula counts the steps between windows; add 1 for the first window.'),
        mistake(c !== f, 'kept-input-depth', 'kept the input depth', dims([out[0]!, out[1]!, c]), 'The output depth is the number of filters, not the input depth.'),
      ],
      params: { size: h, width: w, channels: c, filters: f, kernel: k, stride: s, padding: p, dilation: d },
      difficulty: draw.difficulty,
    });
  },
};

const poolParameters = {
  size: { range: { min: 12, max: 227 }, description: 'input height and width', levels: { 1: { choices: [14, 28, 56, 112, 224] }, 2: { min: 13, max: 227 }, 3: { min: 13, max: 227 } }, domain: domains.count },
  channels: { range: { choices: [16, 32, 64, 96, 128, 192, 256, 384, 512] }, description: 'input depth', domain: domains.count },
  kernel: { range: { min: 2, max: 3 }, description: 'window size', levels: { 1: 2, 2: { min: 2, max: 3 }, 3: { min: 2, max: 3 } }, domain: domains.count },
  stride: { range: { min: 1, max: 2 }, description: 'stride', levels: { 1: 2, 2: { min: 1, max: 2 }, 3: 2 }, domain: domains.count },
  padding: { range: { min: 0, max: 1 }, description: 'padding on each side (difficulty 2–3, 3×3 windows only)', levels: { 1: 0, 2: { min: 0, max: 1 }, 3: { min: 0, max: 1 } }, domain: domains.padding },
  ceil: { range: { min: 0, max: 1 }, description: '1: round up (ceil_mode); 0: round down. Difficulty 3 asks about sizes that do not divide', levels: { 1: 0, 2: 0, 3: { min: 0, max: 1 } }, domain: domains.flag },
} satisfies Parameters;

export const poolOutputSize: Family = {
  id: 'pool-output-size',
  title: 'Pooling layer output volume',
  topic: 'conv-arithmetic',
  parameters: poolParameters,
  generate(rng, options) {
    const draw = new Draw('pool-output-size', rng, poolParameters, options);
    // Difficulty 3 asks about a size that does not divide, with the rounding rule stated.
    const rounding = draw.difficulty === 3;
    const v = draw.until(() => {
      const k = draw.get('kernel');
      const s = draw.get('stride');
      const p = k === 3 ? draw.get('padding') : 0;
      const w = draw.get('size');
      if (w + 2 * p < k || s > k) return undefined;
      if (windowFitsExactly(w, k, s, 2 * p) === rounding) return undefined;
      const ceil = rounding && draw.get('ceil') === 1;
      // Keep to sizes where ceil mode is plain rounding up (PyTorch's last-window rule not in play).
      if (ceil && windowOutput(w, k, s, p, p, 1, true) !== Math.ceil((w + 2 * p - k) / s) + 1) return undefined;
      return { k, s, p, w, c: draw.get('channels'), ceil };
    }, rounding ? 'the window must not tile the input exactly' : 'the window must tile the input exactly');
    const { k, s, p, w, c, ceil } = v;
    const kind = draw.pick(['maxpool', 'avgpool'] as const);
    const size = (pp: number, ss: number, up: boolean) => windowOutput(w, k, ss, pp, pp, 1, up);
    const o = size(p, s, ceil);
    const pool: PoolLayer = { kind, name: 'pool', kernel: k, stride: s, padding: p, ...(ceil ? { ceilMode: true } : {}) };
    const rule = !rounding ? '' : ceil ? ' Round up (ceil mode, as Caffe and `ceil_mode=True` do; a window may not start past the input).' : ' Round down (floor, the default).';
    const exactValue = (w + 2 * p - k) / s + 1;
    const explanation = [
      `Each spatial axis: ${math(`${sym.Hout} = ${(ceil ? ceilOf : floor)(frac('H + 2P - K', 'S'))} + 1`)}`,
      rounding
        ? `${math(eq(`${frac(`${w} + 2 \\cdot ${p} - ${k}`, s)} + 1`, n(Math.round(exactValue * 100) / 100).replace(/,/g, '{,}')))}, ${ceil ? 'rounded up' : 'rounded down'} to ${math(String(o))}`
        : math(eq(`${frac(`${w} + 2 \\cdot ${p} - ${k}`, s)} + 1`, o)),
      `Depth: pooling works on each channel alone, so it stays ${math(String(c))}`,
      step('Output volume', shapeTex([o, o, c])),
    ];
    return assemble({
      prompt: `A ${shape([w, w, c])} input goes through ${kind === 'maxpool' ? 'max' : 'average'} pooling with a ${k}×${k} window, stride ${s}, padding ${p}.${rule} What is the output volume (H×W×C)?`,
      answer: dims([o, o, c]),
      explanation,
      spec: { name: 'pool-output-size', input: [w, w, c], layers: [pool] },
      source: { quantity: 'output' },
      misconceptions: [
        mistake(rounding, 'floor-vs-ceil', ceil ? 'rounded down instead of up' : 'rounded up instead of down', dims([size(p, s, !ceil), size(p, s, !ceil), c]), 'The question states the rounding rule: ceil mode rounds up, the default rounds down.'),
        mistake(p > 0, 'forgot-padding', 'forgot the padding', dims([size(0, s, ceil), size(0, s, ceil), c]), 'The padding adds 2·P to the input size before the window slides.'),
        mistake(s > 1, 'forgot-stride', 'forgot the stride', dims([size(p, 1, ceil), size(p, 1, ceil), c]), 'With stride S the window moves S pixels a step, so divide by S.'),
        mistake(!rounding, 'off-by-one', 'left out the +1', dims([o - 1, o - 1, c]), 'The formula counts the steps between windows; add 1 for the first window.'),
      ],
      params: { size: w, channels: c, kernel: k, stride: s, padding: p, ceil: ceil ? 1 : 0 },
      difficulty: draw.difficulty,
    });
  },
};
