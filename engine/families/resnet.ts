/** Residual blocks (basic, bottleneck, widened) and grouped convolutions (ResNeXt): weights and MACs. */
import { convMacs, convParams, flopsFromMacs } from '../formulas';
import type { Family } from '../question';
import type { Layer, ResidualLayer } from '../spec';
import { Draw, domains, type Parameters } from './draw';
import { kernel, n, shape } from './prose';
import { eq, math, num, plus, prod, step, sym, window } from './tex';
import { assemble, count, mistake } from './variant';

interface BlockConv {
  name: string;
  k: number;
  cin: number;
  cout: number;
  stride: number;
}

/** A residual block as the list of its convs; the projection, when present, is last. */
interface Block {
  type: 'basic' | 'bottleneck';
  cin: number;
  out: number;
  stride: number;
  convs: BlockConv[];
  projection: BlockConv | null;
}

/** torchvision's blocks (v1.5: a bottleneck strides in its 3×3). A projection when depth or size changes. */
function block(type: 'basic' | 'bottleneck', cin: number, width: number, stride: number): Block {
  const out = type === 'basic' ? width : 4 * width;
  const convs: BlockConv[] =
    type === 'basic'
      ? [
          { name: 'conv1', k: 3, cin, cout: width, stride },
          { name: 'conv2', k: 3, cin: width, cout: width, stride: 1 },
        ]
      : [
          { name: 'conv1', k: 1, cin, cout: width, stride: 1 },
          { name: 'conv2', k: 3, cin: width, cout: width, stride },
          { name: 'conv3', k: 1, cin: width, cout: out, stride: 1 },
        ];
  const projection = cin !== out || stride > 1 ? { name: 'projection', k: 1, cin, cout: out, stride } : null;
  return { type, cin, out, stride, convs, projection };
}

function blockLayer(b: Block): ResidualLayer {
  const conv = (c: BlockConv): Layer => ({ kind: 'conv', name: c.name, filters: c.cout, kernel: c.k, stride: c.stride, padding: (c.k - 1) / 2, bias: false });
  const body: Layer[] = [];
  b.convs.forEach((c, i) => {
    if (i > 0) body.push({ kind: 'relu', name: `relu${i}` });
    body.push(conv(c));
  });
  return { kind: 'residual', name: 'block', body, ...(b.projection ? { shortcut: [conv(b.projection)] } : {}) };
}

function allConvs(b: Block): BlockConv[] {
  return b.projection ? [...b.convs, b.projection] : b.convs;
}

function weights(c: BlockConv, k = c.k): number {
  return convParams(k, k, c.cin, c.cout, 1, false);
}

/** Spatial size after a conv of the block, for an input of h (even h: stride 2 halves it). */
function outSize(h: number, c: BlockConv): number {
  return h / c.stride;
}

function describe(b: Block): string {
  const parts = b.convs.map((c) => `${kernel(c.k)} conv ${n(c.cin)}→${n(c.cout)}${c.stride > 1 ? ` stride ${c.stride}` : ''}`);
  const shortcut = b.projection ? `a 1×1 projection shortcut ${n(b.cin)}→${n(b.out)}${b.stride > 1 ? ` stride ${b.stride}` : ''}` : 'an identity shortcut';
  return `a ${b.type} residual block (${parts.join(', then ')}; ${shortcut})`;
}

const blockParameters = {
  stage: { range: { min: 0, max: 3 }, description: 'stage: width w·2^stage, map (image/4)/2^stage (stage ≥ 1 at difficulty 3)', levels: { 3: { min: 1, max: 3 } }, domain: { min: 0, max: 3 } },
  width: { range: { min: 16, max: 128, step: 16 }, description: 'width w of the first stage (64 in ResNet; 128 in wide_resnet50_2)', levels: { 1: { choices: [32, 64, 128] }, 2: { min: 16, max: 128, step: 16 }, 3: { min: 16, max: 128, step: 16 } }, domain: domains.count },
  image: { range: { choices: [128, 160, 192, 224, 256, 288, 320] }, description: 'input image size, a multiple of 32 (224 in ImageNet)', domain: { multipleOf: 32, min: 32 } },
  bottleneck: { range: { min: 0, max: 1 }, description: '1: bottleneck block (difficulty 2–3); 0: basic', levels: { 1: 0, 2: 1, 3: { min: 0, max: 1 } }, domain: domains.flag },
} satisfies Parameters;

function drawBlock(draw: Draw<typeof blockParameters>): { b: Block; h: number } {
  const stage = draw.get('stage');
  const width = draw.get('width') * 2 ** stage;
  const type = draw.get('bottleneck') === 1 ? 'bottleneck' : 'basic';
  // A multiple of 32 (the domain) halves evenly through the stem's /4 and up to three stages.
  const map = draw.get('image') / 4 / 2 ** stage;
  if (draw.difficulty < 3 || stage === 0) return { b: block(type, type === 'basic' ? width : 4 * width, width, 1), h: map };
  // The first block of a stage: half the map, double the width, a projection.
  const cin = type === 'basic' ? width / 2 : 2 * width;
  return { b: block(type, cin, width, 2), h: 2 * map };
}

const noBias = 'The convs have no biases (batch norm follows them; leave it and the ReLUs out).';

export const resnetBlockParams: Family = {
  id: 'resnet-block-params',
  title: 'Weights of a ResNet block: basic against bottleneck',
  topic: 'resnet',
  parameters: blockParameters,
  generate(rng, options) {
    const draw = new Draw('resnet-block-params', rng, blockParameters, options);
    const { b, h } = drawBlock(draw);
    const convs = allConvs(b);
    const counts = convs.map((c) => weights(c));
    const answer = sum_(counts);
    const flat = sum_(convs.map((c) => weights(c, 1)));
    const explanation = [
      ...convs.map((c, i) => `${c.name} (${math(`${window(c.k)}, ${num(c.cin)} \\to ${num(c.cout)}`)}): ${math(eq(prod([c.k, c.k, c.cin, c.cout]), counts[i]!))}`),
      step('Total', eq(plus(counts), answer)),
    ];
    const basicAtOut = 2 * convParams(3, 3, b.out, b.out, 1, false);
    return assemble({
      prompt: `A ${shape([h, h, b.cin])} input enters ${describe(b)}. ${noBias} How many weights does the block have?`,
      answer: count(answer, 'weights'),
      explanation,
      spec: { name: 'resnet-block-params', input: [h, h, b.cin], layers: [blockLayer(b)] },
      source: { quantity: 'params' },
      misconceptions: [
        mistake(true, 'forgot-k-squared', 'counted the 3×3 convs as 1×1', count(flat, 'weights'), 'A 3×3 conv has 9 weights per input channel per filter.'),
        mistake(b.projection !== null, 'forgot-projection', 'left out the projection shortcut', count(answer - (b.projection ? weights(b.projection) : 0), 'weights'), 'The 1×1 projection on the shortcut has weights too.'),
        mistake(b.type === 'bottleneck', 'bottleneck-as-basic', 'counted two 3×3 convs at the full depth', count(basicAtOut, 'weights'), 'A bottleneck runs its 3×3 at the reduced width, between two 1×1 convs.'),
      ],
      params: { inputChannels: b.cin, width: b.convs[0]!.cout, output: b.out, stride: b.stride, bottleneck: b.type === 'bottleneck' ? 1 : 0, projection: b.projection ? 1 : 0, size: h },
      difficulty: draw.difficulty,
    });
  },
};

export const resnetBlockMacs: Family = {
  id: 'resnet-block-macs',
  title: 'Multiply-accumulates of a ResNet block',
  topic: 'resnet',
  parameters: blockParameters,
  generate(rng, options) {
    const draw = new Draw('resnet-block-macs', rng, blockParameters, options);
    const { b, h } = drawBlock(draw);
    const convs = allConvs(b);
    // Sizes through the body: each conv sees the previous conv's output; the projection sees the input.
    const sizes: number[] = [];
    let current = h;
    for (const c of b.convs) {
      current = outSize(current, c);
      sizes.push(current);
    }
    if (b.projection) sizes.push(outSize(h, b.projection));
    const macsOf = (c: BlockConv, size: number, k = c.k) => convMacs(size, size, c.cout, k, k, c.cin);
    const terms = convs.map((c, i) => macsOf(c, sizes[i]!));
    const answer = sum_(terms);
    const atInput = sum_(convs.map((c) => macsOf(c, h)));
    const out = h / b.stride;
    return assemble({
      prompt: `A ${shape([h, h, b.cin])} input enters ${describe(b)}; its output is ${shape([out, out, b.out])}. ${noBias} How many multiply-accumulates (MACs) do its convolutions take for one image?`,
      answer: count(answer, 'macs'),
      explanation: [
        step('Each conv', prod([sym.Hout, sym.Wout, sym.Cout, 'K', 'K', sym.Cin])),
        ...convs.map((c, i) => step(c.name, eq(prod([sizes[i]!, sizes[i]!, c.cout, c.k, c.k, c.cin]), terms[i]!))),
        step('MACs', eq(plus(terms), answer)),
      ],
      spec: { name: 'resnet-block-macs', input: [h, h, b.cin], layers: [blockLayer(b)] },
      source: { quantity: 'macs' },
      misconceptions: [
        mistake(true, 'flops-for-macs', 'gave FLOPs, not MACs', count(flopsFromMacs(answer), 'macs'), 'One multiply-accumulate is one MAC (and 2 FLOPs).'),
        mistake(b.stride > 1, 'forgot-stride', 'computed every conv at the input size', count(atInput, 'macs'), 'After the stride-2 conv the map is half as tall and wide: a quarter of the positions.'),
        mistake(b.projection !== null, 'forgot-projection', 'left out the projection shortcut', count(answer - terms[terms.length - 1]!, 'macs'), 'The 1×1 projection on the shortcut costs multiplies too.'),
        mistake(true, 'forgot-k-squared', 'counted the 3×3 convs as 1×1', count(sum_(convs.map((c, i) => macsOf(c, sizes[i]!, 1))), 'macs'), 'A 3×3 conv does 9 multiplies per input channel per output value.'),
      ],
      params: { inputChannels: b.cin, width: b.convs[0]!.cout, output: b.out, stride: b.stride, bottleneck: b.type === 'bottleneck' ? 1 : 0, projection: b.projection ? 1 : 0, size: h },
      difficulty: draw.difficulty,
    });
  },
};

function sum_(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

const groupedParameters = {
  cardinality: { range: { choices: [2, 4, 8, 16, 32, 64] }, description: 'groups (ResNeXt cardinality) G', domain: domains.count },
  width: { range: { choices: [4, 8, 16, 32, 64] }, description: 'channels per group d (input and output)', domain: domains.count },
  size: { range: { choices: [7, 14, 28, 56] }, description: 'spatial size (MACs questions)', domain: domains.count },
  bias: { range: { min: 0, max: 1 }, description: '1: count biases; 0: weights only (difficulty 2)', levels: { 1: 0, 2: { min: 0, max: 1 }, 3: 0 }, domain: domains.flag },
} satisfies Parameters;

export const groupedConvParams: Family = {
  id: 'grouped-conv-params',
  title: 'Grouped convolution and ResNeXt cardinality',
  topic: 'resnext',
  parameters: groupedParameters,
  generate(rng, options) {
    const draw = new Draw('grouped-conv-params', rng, groupedParameters, options);
    const g = draw.get('cardinality');
    const d = draw.get('width');
    const c = g * d;
    const h = draw.get('size');
    const bias = draw.get('bias') === 1;
    const spec = { name: 'grouped-conv-params', input: [h, h, c] as const, layers: [{ kind: 'conv' as const, name: 'grouped', filters: c, kernel: 3, padding: 1, groups: g }] };
    const setting = `A 3×3 grouped convolution (stride 1, padding 1) with ${g} groups (cardinality ${g}, as in ResNeXt) maps a ${shape([h, h, c])} input to ${n(c)} channels: each group sees ${d} input channels and makes ${d} outputs.`;
    if (draw.difficulty === 3) {
      const macs = convMacs(h, h, c, 3, 3, c, g);
      return assemble({
        prompt: `${setting} How many multiply-accumulates (MACs) does it take for one image (biases not counted)?`,
        answer: count(macs, 'macs'),
        explanation: [step('MACs', `${prod(['H', 'W', sym.Cout, 'K', 'K'])} \\cdot (${sym.Cin}/G)`), math(eq(`${prod([h, h, c, 3, 3])} \\cdot (${num(c)}/${g})`, macs))],
        spec,
        source: { quantity: 'macs' },
        misconceptions: [
          mistake(true, 'flops-for-macs', 'gave FLOPs, not MACs', count(flopsFromMacs(macs), 'macs'), 'One multiply-accumulate is one MAC (and 2 FLOPs).'),
          mistake(true, 'forgot-groups', 'ignored the groups', count(convMacs(h, h, c, 3, 3, c), 'macs'), 'Each output channel sums over its group only: C_in/G channels.'),
        ],
        params: { cardinality: g, width: d, size: h, bias: bias ? 1 : 0 },
        difficulty: draw.difficulty,
      });
    }
    const w = convParams(3, 3, c, c, g, false);
    const answer = convParams(3, 3, c, c, g, bias);
    const unit = bias ? ('params' as const) : ('weights' as const);
    return assemble({
      prompt: `${setting} ${bias ? 'How many parameters does it have, counting weights and biases?' : 'How many weights does it have (not counting biases)?'}`,
      answer: count(answer, unit),
      explanation: [
        `Weights of each filter, which covers only its group: ${math(eq(`K \\cdot K \\cdot (${sym.Cin}/G)`, prod([3, 3, d]), 9 * d))}`,
        step('Weights, one filter each', eq(prod([9 * d, c]), w)),
        ...(bias ? [step('Biases, one per filter', num(c)), step('Total', eq(plus([w, c]), answer))] : []),
      ],
      spec,
      source: { quantity: 'params', bias },
      misconceptions: [
        mistake(true, 'forgot-groups', 'ignored the groups', count(convParams(3, 3, c, c, 1, bias), unit), 'Each filter sees only the C_in/G channels of its group.'),
        mistake(true, 'divided-groups-twice', 'divided by the groups twice', count(convParams(3, 3, c, c, g * g, bias), unit), 'The output channels are split among the groups, but every one of them has a filter: divide once.'),
        mistake(bias, 'forgot-bias', 'forgot the biases', count(w, unit), 'Each filter has one bias.'),
        mistake(!bias, 'counted-bias', 'counted the biases', count(w + c, unit), 'The question asks for weights only.'),
      ],
      params: { cardinality: g, width: d, size: h, bias: bias ? 1 : 0 },
      difficulty: draw.difficulty,
    });
  },
};

const wideParameters = {
  base: { range: { choices: [16, 32, 64, 128] }, description: "base width C of the block (WRN's groups: 16, 32, 64; 128 the widest ResNet stage)", levels: { 1: { choices: [16, 32] } }, domain: { even: true, min: 2 } },
  widening: { range: { min: 2, max: 12 }, description: 'widening factor k (≥ 2: k = 1 is the plain ResNet)', levels: { 1: { min: 2, max: 4 } }, domain: { min: 2 } },
  size: { range: { choices: [4, 8, 16, 32] }, description: "spatial size of the block's output (does not change the count); unset, WRN's map for the base width: 32 for 16, 16 for 32, 8 for 64, 4 for 128", domain: domains.count },
} satisfies Parameters;

export const wideResnetWidening: Family = {
  id: 'wide-resnet-widening',
  title: 'Wide ResNet: weights grow with k²',
  topic: 'wide-resnet',
  parameters: wideParameters,
  generate(rng, options) {
    const draw = new Draw('wide-resnet-widening', rng, wideParameters, options);
    const base = draw.get('base');
    // Both domains keep the first block's k·C/2 input channels whole: C is even, k ≥ 2.
    const k = draw.get('widening');
    // WRN on 32×32 images: each group halves the map as it doubles the base width (so the widest blocks stay cheap to verify).
    const h = draw.setByBank('size') ? draw.get('size') : Math.max(1, (32 * 16) / base);
    const wide = k * base;
    const first = draw.difficulty === 3;
    // Difficulty 3: the first block of a group, from the previous group's width with stride 2.
    const b = first ? block('basic', wide / 2, wide, 2) : block('basic', wide, wide, 1);
    const unwidened = first ? block('basic', base / 2, base, 2) : block('basic', base, base, 1);
    const convs = allConvs(b);
    const counts = convs.map((c) => weights(c));
    const answer = sum_(counts);
    const baseCount = sum_(allConvs(unwidened).map((c) => weights(c)));
    const inH = first ? 2 * h : h;
    return assemble({
      prompt: `A Wide ResNet widens every conv of a basic block from ${n(base)} to k·${n(base)} filters with k = ${k}. The widened block takes a ${shape([inH, inH, b.cin])} input: ${describe(b)}. ${noBias} How many weights does the widened block have?`,
      answer: count(answer, 'weights'),
      explanation: [
        `Widened width: ${math(eq('k \\cdot C', prod([k, base]), wide))}; every conv's weights grow by ${math(eq('k^2', k * k))}`,
        ...convs.map((c, i) => `${c.name} (${math(`${window(c.k)}, ${num(c.cin)} \\to ${num(c.cout)}`)}): ${math(eq(prod([c.k, c.k, c.cin, c.cout]), counts[i]!))}`),
        step('Total', eq(plus(counts), answer)),
      ],
      spec: { name: 'wide-resnet-widening', input: [inH, inH, b.cin], layers: [blockLayer(b)] },
      source: { quantity: 'params' },
      misconceptions: [
        mistake(true, 'widening-linear', 'multiplied by k, not k²', count(k * baseCount, 'weights'), 'Both the input and the output channels of each conv grow by k: the weights grow by k².'),
        mistake(true, 'forgot-widening', 'counted the unwidened block', count(baseCount, 'weights'), `Every conv has k = ${k} times more filters and input channels.`),
        mistake(first, 'forgot-projection', 'left out the projection shortcut', count(answer - (b.projection ? weights(b.projection) : 0), 'weights'), 'The 1×1 projection on the shortcut has weights too.'),
      ],
      params: { base, widening: k, size: h, first: first ? 1 : 0 },
      difficulty: draw.difficulty,
    });
  },
};
