/** DenseNet: layer l of a block receives k₀ + (l − 1)·k channels; a transition keeps ⌊θ·m⌋ of the m channels the block outputs. */
import type { Family } from '../question';
import type { Layer } from '../spec';
import { Draw, domains, type Parameters } from './draw';
import { shape } from './prose';
import { eq, floor, math, num, prod, step, sym } from './tex';
import { assemble, count, mistake } from './variant';

/** Channels after l layers of growth rate k on k₀ input channels: k₀ + l·k. */
export function denseBlockChannels(k0: number, growth: number, layers: number): number {
  return k0 + layers * growth;
}

/** Channels out of a transition with compression θ, for the m channels entering it: ⌊θ·m⌋. */
export function transitionChannels(m: number, theta: number): number {
  return Math.floor(theta * m);
}

const denseParameters = {
  input: { range: { choices: [16, 24, 32, 64, 128, 256] }, description: 'channels k₀ entering the block', domain: domains.count },
  growth: { range: { choices: [12, 24, 32, 40, 48] }, description: 'growth rate k', domain: domains.count },
  layers: { range: { min: 2, max: 24 }, description: 'layers l in the block', levels: { 1: { min: 2, max: 8 }, 2: { min: 3, max: 12 }, 3: { min: 4, max: 24 } }, domain: domains.count },
  size: { range: { choices: [8, 14, 28, 32, 56] }, description: 'spatial size (even; does not change the answer)', domain: { even: true, min: 2 } },
} satisfies Parameters;

/** DenseNet-BC compression. */
const THETA = 0.5;

export const densenetChannels: Family = {
  id: 'densenet-channels',
  title: 'DenseNet channels through a block and a transition',
  topic: 'densenet',
  parameters: denseParameters,
  generate(rng, options) {
    const draw = new Draw('densenet-channels', rng, denseParameters, options);
    const k0 = draw.get('input');
    const k = draw.get('growth');
    const l = draw.get('layers');
    // Even (the domain): the transition's 2×2 pool halves it exactly.
    const h = draw.get('size');
    const bottleneck = draw.difficulty === 3;
    // Each dense layer: BN-ReLU omitted; (1×1 to 4k, difficulty 3) then 3×3 to k, concatenated with its input.
    const denseLayer = (i: number): Layer => ({
      kind: 'concat',
      name: `layer${i}`,
      branches: [
        [],
        [
          ...(bottleneck ? [{ kind: 'conv' as const, name: 'conv1x1', filters: 4 * k, kernel: 1 }] : []),
          { kind: 'conv' as const, name: 'conv3x3', filters: k, kernel: 3, padding: 1 },
        ],
      ],
    });
    const block = (count_: number): Layer => ({ kind: 'block', name: 'dense_block', block: 'dense_block', layers: Array.from({ length: count_ }, (_, i) => denseLayer(i + 1)) });
    const layerText = bottleneck ? 'a 1×1 conv to 4k channels then a 3×3 conv to k' : 'a 3×3 conv to k channels';
    const setting = `A DenseNet block with growth rate k = ${k} takes a ${shape([h, h, k0])} input; each layer applies ${layerText} and concatenates its output with its input.`;
    const channels = (v: number) => count(v, 'channels');
    const after = denseBlockChannels(k0, k, l);
    if (draw.difficulty === 2) {
      const into = denseBlockChannels(k0, k, l - 1);
      return assemble({
        prompt: `${setting} How many channels does layer ${l} of the block receive?`,
        answer: channels(into),
        explanation: [`Layer ${math('l')} receives the block input and the outputs of the ${math('l - 1')} layers before it: ${math(`${sym.k0} + (l - 1) \\cdot k`)}`, math(eq(`${num(k0)} + (${l} - 1) \\cdot ${k}`, into))],
        spec: { name: 'densenet-channels', input: [h, h, k0], layers: [block(l - 1)] },
        source: { quantity: 'channels' },
        misconceptions: [
          mistake(true, 'off-by-one', 'counted layer l itself', channels(after), `Layer ${l} receives what the ${l - 1} layers before it made, not its own output.`),
          mistake(true, 'forgot-input-channels', "left out the block's input", channels((l - 1) * k), 'The block input (k₀ channels) is concatenated too.'),
          mistake(true, 'growth-only', 'gave the growth rate', channels(k), 'The growth rate is what each layer adds; it receives everything before it.'),
        ],
        params: { input: k0, growth: k, layers: l, size: h },
        difficulty: draw.difficulty,
      });
    }
    if (draw.difficulty === 1) {
      return assemble({
        prompt: `${setting} How many channels leave the block after ${l} layers?`,
        answer: channels(after),
        explanation: [`Each layer adds ${math('k')} channels to the concatenation: ${math(`${sym.k0} + l \\cdot k`)}`, math(eq(`${num(k0)} + ${prod([l, k])}`, after))],
        spec: { name: 'densenet-channels', input: [h, h, k0], layers: [block(l)] },
        source: { quantity: 'channels' },
        misconceptions: [
          mistake(true, 'off-by-one', 'counted one layer too few', channels(denseBlockChannels(k0, k, l - 1)), `All ${l} layers add k channels.`),
          mistake(true, 'forgot-input-channels', "left out the block's input", channels(l * k), 'The block input (k₀ channels) is concatenated too.'),
        ],
        params: { input: k0, growth: k, layers: l, size: h },
        difficulty: draw.difficulty,
      });
    }
    const out = transitionChannels(after, THETA);
    const transition: Layer[] = [
      { kind: 'conv', name: 'transition_conv', filters: out, kernel: 1 },
      { kind: 'avgpool', name: 'transition_pool', kernel: 2, stride: 2 },
    ];
    return assemble({
      prompt: `${setting} The block has ${l} layers, and a transition layer with compression θ = ${THETA} follows it: a 1×1 conv to ⌊θ·m⌋ channels, where m is the number of channels the block outputs, then 2×2 average pooling. How many channels leave the transition?`,
      answer: channels(out),
      explanation: [step('Block output', eq('m', `${sym.k0} + l \\cdot k`, `${num(k0)} + ${prod([l, k])}`, after)), step('Transition', eq(floor('\\theta \\cdot m'), floor(prod([THETA, after])), out))],
      spec: { name: 'densenet-channels', input: [h, h, k0], layers: [block(l), ...transition] },
      source: { quantity: 'channels' },
      misconceptions: [
        mistake(true, 'forgot-compression', 'left out the compression', channels(after), 'The transition keeps only ⌊θ·m⌋ of the m channels the block outputs.'),
        mistake(true, 'forgot-input-channels', "left out the block's input", channels(transitionChannels(l * k, THETA)), 'The block input (k₀ channels) is concatenated too.'),
        mistake(true, 'counted-bottleneck-width', 'used the 1×1 bottleneck width', channels(transitionChannels(k0 + l * 4 * k, THETA)), 'The 1×1 bottleneck (4k) is internal to a layer; each layer adds k.'),
      ],
      params: { input: k0, growth: k, layers: l, size: h },
      difficulty: draw.difficulty,
    });
  },
};
