/** Depth without a network: stochastic depth's expected active blocks and FractalNet's path lengths. */
import type { Family } from '../question';
import { Draw, domains, type Parameters } from './draw';
import { eq, frac, math, num, prod, step } from './tex';
import { assemble, count, mistake, real } from './variant';

/**
 * Expected active blocks when block l survives with p_l = 1 − (l/L)·(1 − p_L), a line from
 * p_0 = 1 (the input, never dropped) to p_L at the last block (Huang et al.):
 * E = Σ_{l=1}^{L} (1 − (l/L)·(1 − p_L)) = L − (1 − p_L)·(L + 1)/2.
 * p_L in percent, so that the result is an exact decimal: (200·L − (100 − P)·(L + 1))/200.
 */
export function expectedActiveBlocks(blocks: number, survivalPercent: number): number {
  return (200 * blocks - (100 - survivalPercent) * (blocks + 1)) / 200;
}

/** Convs on the deepest path of a fractal block with C columns: 2^(C−1). */
export function fractalDeepestPath(columns: number): number {
  return 2 ** (columns - 1);
}

/** Distinct paths through a fractal block: P(1) = 1, P(C) = P(C−1)² + 1 (two copies in series, joined with one conv). */
export function fractalPathCount(columns: number): number {
  let paths = 1;
  for (let c = 2; c <= columns; c++) paths = paths * paths + 1;
  return paths;
}

const stochasticParameters = {
  blocks: { range: { min: 4, max: 100 }, description: 'residual blocks L (ResNet-110 has 54)', levels: { 1: { min: 4, max: 12 }, 2: { choices: [18, 27, 54] }, 3: { choices: [18, 27, 54, 100] } }, domain: domains.count },
  survival: { range: { choices: [50, 60, 70, 80, 90] }, description: 'survival probability of the last block p_L, in percent (the paper uses 50)', domain: { min: 1, max: 100 } },
} satisfies Parameters;

export const stochasticDepthExpected: Family = {
  id: 'stochastic-depth-expected',
  title: 'Stochastic depth: expected depth in training',
  topic: 'stochastic-depth',
  parameters: stochasticParameters,
  generate(rng, options) {
    const draw = new Draw('stochastic-depth-expected', rng, stochasticParameters, options);
    const L = draw.get('blocks');
    const P = draw.get('survival');
    const pL = P / 100;
    const active = expectedActiveBlocks(L, P);
    const first = 1 - (100 - P) / (100 * L);
    const setting = `A residual network with L = ${L} residual blocks (l = 1, …, L) is trained with stochastic depth: block l survives with probability p_l = 1 − (l/L)·(1 − p_L), with p_L = ${pL} for the last block. The line runs from 1 at the input (l = 0, never dropped) to p_L at the last block, so even block 1 may be dropped: p_1 = 1 − (1 − p_L)/L ≈ ${Math.round(first * 1000) / 1000}. A dropped block becomes the identity.`;
    const rule = 'Give it to two decimal places.';
    const common = [step('Expected active blocks', eq('\\sum_l p_l', `L - (1 - p_L) \\cdot ${frac('L + 1', 2)}`)), math(eq(`${L} - ${num((100 - P) / 100)} \\cdot ${frac(L + 1, 2)}`, active))];
    if (draw.difficulty === 3) {
      const skipped = ((100 - P) * (L + 1)) / 200;
      return assemble({
        prompt: `${setting} How many blocks are dropped in a training pass, on average? ${rule}`,
        answer: real(skipped),
        tolerance: { absolute: 0.005 },
        explanation: [...common, step('Dropped', eq('L - E', `${L} - ${num(active)}`, skipped))],
        spec: null,
        misconceptions: [
          mistake(true, 'gave-active', 'gave the active blocks', real(active), 'The question asks for the dropped blocks: L minus the active ones.'),
          mistake(true, 'uniform-survival', 'dropped every block with 1 − p_L', real(L * (1 - pL)), 'Survival falls linearly: early blocks are almost never dropped.'),
          mistake(true, 'averaged-endpoints', 'averaged 1 and p_L over L blocks', real((L * (1 - pL)) / 2), 'p_l starts below 1 at l = 1: the sum is (1 − p_L)(L + 1)/2.'),
        ],
        params: { blocks: L, survival: P },
        difficulty: draw.difficulty,
      });
    }
    return assemble({
      prompt: `${setting} How many blocks are active in a training pass, on average? ${rule}`,
      answer: real(active),
      tolerance: { absolute: 0.005 },
      explanation: common,
      spec: null,
      misconceptions: [
        mistake(true, 'all-blocks', 'counted every block', real(L), 'In training, blocks are dropped; at test time all are kept.'),
        mistake(true, 'uniform-survival', 'used p_L for every block', real(L * pL), 'Survival falls linearly from 1; only the last block has p_L.'),
        mistake(true, 'averaged-endpoints', 'averaged 1 and p_L over L blocks', real((L * (1 + pL)) / 2), 'p_l starts below 1 at l = 1: the sum is L − (1 − p_L)(L + 1)/2.'),
      ],
      params: { blocks: L, survival: P },
      difficulty: draw.difficulty,
    });
  },
};

const fractalParameters = {
  columns: { range: { min: 2, max: 6 }, description: 'columns C of a fractal block (at most 6: a 7-column block has 2.1·10¹¹ paths)', domain: { min: 1, max: 6 } },
  blocks: { range: { min: 2, max: 8 }, description: 'fractal blocks B in the network (the paper: 5)', domain: domains.count },
} satisfies Parameters;

/**
 * FractalNet's numbers are powers of two and a fast-growing recurrence: a block's deepest path is
 * 2^(C−1), a network's B·2^(C−1), a block's path count P(C) = P(C−1)² + 1. With C ≤ 6 (P(7) is
 * 2.1·10¹¹) and B ≤ 8 there are only about 35 distinct answers in all, so this family (and a bank
 * item on it) cannot reach the 50 distinct answers in 1,000 seeds asked of the others.
 */
export const fractalnetPaths: Family = {
  id: 'fractalnet-paths',
  title: 'FractalNet: path lengths and counts',
  topic: 'fractalnet',
  parameters: fractalParameters,
  generate(rng, options) {
    const draw = new Draw('fractalnet-paths', rng, fractalParameters, options);
    const C = draw.get('columns');
    const deepest = fractalDeepestPath(C);
    const rule = 'A fractal block with one column is a single conv. A block with C + 1 columns has two branches side by side whose outputs are joined (averaged): one branch is a single conv, the other is two C-column blocks one after the other.';
    const convs = (v: number) => count(v, 'convs');
    if (draw.difficulty === 2) {
      const B = draw.get('blocks');
      const depth = B * deepest;
      return assemble({
        prompt: `${rule} A FractalNet stacks B = ${B} blocks of C = ${C} columns (with pooling between them). How many conv layers lie on its deepest path?`,
        answer: convs(depth),
        explanation: [step('Deepest path of one block', eq('2^{C - 1}', `2^{${C} - 1}`, deepest)), step('B blocks in series', eq(prod([B, deepest]), depth))],
        spec: null,
        misconceptions: [
          mistake(true, 'one-block', 'counted one block', convs(deepest), 'The deepest path goes through every block.'),
          mistake(true, 'linear-depth', 'took C convs per block', convs(B * C), 'Each extra column doubles the deepest path: 2^(C − 1).'),
          mistake(true, 'off-by-one', 'took 2^C convs per block', convs(B * 2 * deepest), 'One column is one conv: 2^(C − 1), not 2^C.'),
        ],
        params: { columns: C, blocks: B },
        difficulty: draw.difficulty,
      });
    }
    if (draw.difficulty === 3) {
      const paths = fractalPathCount(C);
      return assemble({
        prompt: `${rule} How many distinct paths from input to output run through one block with C = ${C} columns?`,
        answer: count(paths, 'paths'),
        explanation: [`${math('P(1) = 1')}; ${math('P(C + 1) = P(C)^2 + 1')} (a path through each of the two blocks in series, or the single conv)`, ...Array.from({ length: C - 1 }, (_, i) => math(eq(`P(${i + 2})`, `${num(fractalPathCount(i + 1))}^2 + 1`, fractalPathCount(i + 2))))],
        spec: null,
        misconceptions: [
          mistake(true, 'paths-as-columns', 'one path per column', count(C, 'paths'), 'Paths branch at every join, inside the deep columns too.'),
          mistake(true, 'paths-as-depth', 'gave the deepest path length', count(deepest, 'paths'), 'That is the length of the longest path, not the number of paths.'),
          mistake(true, 'paths-doubling', 'added the paths of the blocks in series', count(2 * fractalPathCount(C - 1) + 1, 'paths'), 'Two blocks in series multiply their paths: P(C)², plus the single conv.'),
        ],
        params: { columns: C },
        difficulty: draw.difficulty,
      });
    }
    return assemble({
      prompt: `${rule} How many conv layers lie on the deepest path of a fractal block with C = ${C} columns?`,
      answer: convs(deepest),
      explanation: [`Each extra column doubles the deepest path: ${math('1, 2, 4, \\ldots')}`, math(eq('2^{C - 1}', `2^{${C} - 1}`, deepest))],
      spec: null,
      misconceptions: [
        mistake(true, 'linear-depth', 'one conv per column', convs(C), 'The deepest column is two copies of the previous block in series: its depth doubles.'),
        mistake(true, 'off-by-one', 'took 2^C', convs(2 * deepest), 'One column is one conv: 2^(C − 1).'),
      ],
      params: { columns: C },
      difficulty: draw.difficulty,
    });
  },
};
