/**
 * The CS231n bank: it parses, covers docs/sources/cs231n-facts.md (errata included), its numbers are right
 * (recomputed here, independently of the cards), its math renders, and every family has an item
 * whose samples the engine accepts.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { readBankFiles } from '../engine/bank/files';
import { clozeDeletions } from '../engine/bank/cloze';
import { sampleGeneratedItem } from '../engine/bank/gate';
import { parseBank } from '../engine/bank/parse';
import type { Bank, BankItem } from '../engine/bank/schema';
import { families, getFamily } from '../engine/families';
import type { Variant } from '../engine/question';
import { createRng } from '../engine/random';

const BANK_DIR = new URL('./banks/cs231n', import.meta.url).pathname;

function loadBank(): Bank {
  const { files, errors } = readBankFiles(BANK_DIR, fs);
  expect(errors).toEqual([]);
  const result = parseBank({ files });
  if (!result.ok) throw new Error(`the CS231n bank does not parse:\n${result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return result.bank;
}

const bank = loadBank();
const byId = new Map(bank.items.map((i) => [i.id, i]));
const facts = bank.items.filter((i) => i.kind !== 'generated');

/** Everything a student reads on a card, in one string. */
function cardText(item: BankItem): string {
  switch (item.kind) {
    case 'basic':
      return `${item.front}\n${item.back}\n${item.erratum ?? ''}`;
    case 'cloze':
      return `${item.text}\n${item.extra ?? ''}\n${item.erratum ?? ''}`;
    case 'choice':
      return `${item.question}\n${item.options.map((o) => o.text).join('\n')}\n${item.explanation}\n${item.erratum ?? ''}`;
    case 'generated':
    case 'network':
      return item.title;
  }
}

function text(id: string): string {
  const item = byId.get(id);
  if (!item) throw new Error(`no item '${id}' in the bank`);
  return cardText(item);
}

/** 1234567 → "1,234,567", as the cards write numbers (KaTeX cards write 1{,}234{,}567). */
const grouped = (n: number) => n.toLocaleString('en-US');
const inCard = (id: string, n: number) => {
  const t = text(id).replace(/\{,\}/g, ',');
  expect(t, `${id} should say ${grouped(n)}`).toContain(grouped(n));
};

describe('the CS231n bank', () => {
  it('parses, with unique ids', () => {
    expect(bank.id).toBe('cs231n');
    expect(new Set(bank.items.map((i) => i.id)).size).toBe(bank.items.length);
  });

  it('holds at least 85 fact cards, mixing basic, cloze and multiple choice', () => {
    expect(facts.length).toBeGreaterThanOrEqual(85);
    const count = (kind: string) => facts.filter((i) => i.kind === kind).length;
    expect(count('basic')).toBeGreaterThanOrEqual(30);
    expect(count('cloze')).toBeGreaterThanOrEqual(20);
    expect(count('choice')).toBeGreaterThanOrEqual(20);
  });

  it('tags every fact card with an architecture and covers every topic of the chapter', () => {
    for (const item of facts) expect(item.tags.length, item.id).toBeGreaterThan(0);
    const architectures = ['alexnet', 'zfnet', 'vgg', 'googlenet', 'resnet', 'nin', 'wide-resnet', 'resnext', 'stochastic-depth', 'fractalnet', 'densenet', 'squeezenet'];
    for (const tag of architectures) expect(facts.some((i) => i.tags.includes(tag) || i.topic === tag), tag).toBe(true);
    const topics = new Set(bank.items.map((i) => i.topic));
    for (const topic of ['conv-arithmetic', 'parameters', 'compute', 'memory', 'receptive-field', 'history', ...architectures]) expect(topics.has(topic as never), topic).toBe(true);
  });

  it('has one generated item for every family, and only registered families', () => {
    const generated = bank.items.filter((i) => i.kind === 'generated');
    expect(generated.map((i) => i.family).sort()).toEqual(families.map((f) => f.id).sort());
    expect(families).toHaveLength(22);
  });

  it("samples every generated item without the engine finding a fault (5 seeds each)", () => {
    for (const item of bank.items) {
      if (item.kind !== 'generated') continue;
      for (const check of sampleGeneratedItem(item, 5)) {
        expect(check.problems, `${item.id} seed ${check.seed}`).toEqual([]);
      }
    }
  });

  it('renders every $…$ formula with KaTeX', () => {
    let formulas = 0;
    for (const item of facts) {
      const source = cardText(item).replace(/\\\$/g, '');
      for (const m of source.matchAll(/\$\$([\s\S]+?)\$\$|\$([^$]+?)\$/g)) {
        const tex = m[1] ?? m[2]!;
        expect(() => katex.renderToString(tex, { throwOnError: true }), `${item.id}: $${tex}$`).not.toThrow();
        formulas++;
      }
    }
    expect(formulas).toBeGreaterThan(40);
  });

  it('gives every cloze at least one non-empty deletion', () => {
    for (const item of facts) if (item.kind === 'cloze') expect(clozeDeletions(item.text).length, item.id).toBeGreaterThan(0);
  });
});

type Drawn = Omit<Variant, 'family' | 'seed'>;
const unit = (v: Drawn) => (v.answer.kind === 'count' ? v.answer.unit : v.answer.kind);

/**
 * The templates each generated item's title names, told apart by what the student sees (prompt
 * and unit). Issue 12: pinned difficulties collapsed `gen-stacked-3x3-vs-large` to K = 5 or 7,
 * the strided stack to always strided, the residual block to always bottleneck, memory to bytes.
 */
const TEMPLATES: Record<string, Record<string, (v: Drawn) => boolean>> = {
  'gen-conv-params': { 'with biases': (v) => unit(v) === 'params', 'without biases': (v) => unit(v) === 'weights' },
  'gen-activation-memory': { values: (v) => unit(v) === 'values', bytes: (v) => unit(v) === 'bytes', 'one layer': (v) => v.prompt.startsWith('A conv layer'), 'a stack': (v) => v.prompt.includes('all five layers') },
  'gen-receptive-field-stack': { 'with strides': (v) => v.prompt.includes('stride 2'), 'without strides': (v) => !v.prompt.includes('stride 2') },
  'gen-stacked-3x3-vs-large': { 'the large kernel K': (v) => unit(v) === 'pixels', "the stack's weights": (v) => unit(v) === 'weights' && !v.prompt.includes('fewer'), 'weights saved': (v) => v.prompt.includes('fewer') },
  'gen-one-by-one-projection': { 'output volume': (v) => v.answer.kind === 'shape', MACs: (v) => unit(v) === 'macs', FLOPs: (v) => unit(v) === 'flops' },
  'gen-inception-output-depth': { naive: (v) => v.prompt.startsWith('A naive'), 'with bottlenecks': (v) => v.prompt.includes('with bottlenecks'), 'two stacked': (v) => v.prompt.startsWith('Two naive') },
  'gen-inception-naive-macs': { MACs: (v) => unit(v) === 'macs', FLOPs: (v) => unit(v) === 'flops' },
  'gen-inception-bottleneck-macs': { MACs: (v) => unit(v) === 'macs', FLOPs: (v) => unit(v) === 'flops' },
  'gen-resnet-block-params': { basic: (v) => v.prompt.includes('a basic residual block'), bottleneck: (v) => v.prompt.includes('a bottleneck residual block'), 'with a projection': (v) => v.prompt.includes('projection shortcut') },
  'gen-resnet-block-macs': { basic: (v) => v.prompt.includes('a basic residual block'), bottleneck: (v) => v.prompt.includes('a bottleneck residual block'), strided: (v) => v.prompt.includes('stride 2') },
  'gen-grouped-conv-params': { weights: (v) => unit(v) === 'weights', 'weights and biases': (v) => unit(v) === 'params', 'multiply-accumulates': (v) => unit(v) === 'macs' },
  'gen-wide-resnet-widening': { 'identity shortcut': (v) => v.prompt.includes('an identity shortcut'), 'first block of a group': (v) => v.prompt.includes('projection shortcut') },
  'gen-densenet-channels': { 'out of the block': (v) => v.prompt.includes('leave the block'), 'into a layer': (v) => v.prompt.includes('does layer'), 'a transition': (v) => v.prompt.includes('leave the transition') },
  'gen-fire-module-params': { depth: (v) => unit(v) === 'channels', parameters: (v) => unit(v) === 'params' || unit(v) === 'weights' },
  'gen-squeezenet-compression': { weights: (v) => v.prompt.includes('weights (no biases)'), 'weights and biases': (v) => v.prompt.includes('weights and biases') },
  'gen-stochastic-depth-expected': { 'active blocks': (v) => v.prompt.includes('are active'), 'dropped blocks': (v) => v.prompt.includes('are dropped') },
  'gen-fractalnet-paths': { "a block's deepest path": (v) => unit(v) === 'convs' && !v.prompt.includes('B = '), "a network's deepest path": (v) => v.prompt.includes('B = '), 'path counts': (v) => unit(v) === 'paths' },
};

/** Items whose family's doc comment says why they cannot draw 50 distinct answers, with what they do reach. */
const FEW_ANSWERS: Record<string, number> = { 'gen-fractalnet-paths': 25 };
const ITEM_SEEDS = 1000;

describe('every generated item varies as its title promises (1,000 seeds each)', () => {
  const generated = bank.items.filter((i) => i.kind === 'generated');

  it('pins no difficulty, so each question draws its template', () => {
    expect(generated.filter((i) => i.difficulty !== undefined).map((i) => i.id)).toEqual([]);
  });

  it.each(generated.map((i) => [i.id, i] as const))('%s', (id, item) => {
    const family = getFamily(item.family);
    const answers = new Set<string>();
    const difficulties = new Set<number>();
    const seen = new Set<string>();
    const templates = TEMPLATES[id] ?? {};
    for (let seed = 0; seed < ITEM_SEEDS; seed++) {
      const v = family.generate(createRng(seed), { difficulty: item.difficulty, ranges: item.ranges });
      answers.add(JSON.stringify(v.answer.value));
      difficulties.add(v.difficulty);
      for (const [name, matches] of Object.entries(templates)) if (matches(v)) seen.add(name);
    }
    expect([...difficulties].sort(), 'every difficulty (template level) of the family').toEqual([1, 2, 3]);
    expect([...seen].sort(), 'every template the title names').toEqual(Object.keys(templates).sort());
    expect(answers.size, 'distinct answers').toBeGreaterThanOrEqual(FEW_ANSWERS[id] ?? 50);
  });
});

describe('errata: the cards teach the right number and say why the lecture differs', () => {
  it('VGG16 activations: ≈ 15.2M values ≈ 61 MB, not 24M / 96 MB', () => {
    // The lecture table's rows: the input, then every conv, pool and FC output of VGG16 at 224×224.
    const stages: [number, number, number][] = [[224, 64, 2], [112, 128, 2], [56, 256, 3], [28, 512, 3], [14, 512, 3]];
    let values = 224 * 224 * 3;
    for (const [size, channels, convs] of stages) values += convs * size * size * channels + (size / 2) * (size / 2) * channels;
    values += 4096 + 4096 + 1000;
    expect(values).toBe(15_237_608);
    expect(Math.round((values * 4) / 1e6)).toBe(61);
    inCard('vgg16-activation-total', values);
    const item = byId.get('vgg16-activation-total')!;
    expect(item.erratum).toMatch(/24M/);
    expect(item.erratum).toMatch(/96 MB/);
    expect(text('vgg16-activation-total')).toMatch(/≈ 61 MB/);
    expect(byId.get('vgg16-activation-erratum-choice')!.erratum).toMatch(/15\.2M/);
  });

  it('bottleneck inception: 271,351,808 ≈ 271M, not 358M', () => {
    const hw = 28 * 28;
    const terms = [hw * 64 * 256, hw * 64 * 256, hw * 128 * 256, hw * 192 * 9 * 64, hw * 96 * 25 * 64, hw * 64 * 256];
    const total = terms.reduce((a, b) => a + b, 0);
    expect(total).toBe(271_351_808);
    inCard('inception-bottleneck-macs', total);
    const item = byId.get('inception-bottleneck-macs')!;
    expect(item.erratum).toMatch(/358M/);
    // The lecture's 358M is this sum with the 3×3 term counted twice.
    inCard('inception-bottleneck-macs', total + terms[3]!);
    expect(Math.round((total + terms[3]!) / 1e6)).toBe(358);
    expect(byId.get('inception-bottleneck-erratum-choice')!.erratum).toMatch(/271M/);
  });

  it('AlexNet learning rate: divided by 10, not reduced by 10%', () => {
    const item = byId.get('alexnet-learning-rate')!;
    expect(text('alexnet-learning-rate')).toMatch(/divided by 10/);
    expect(item.erratum).toMatch(/reduced by 10%/);
    const choice = byId.get('alexnet-lr-choice')!;
    expect(choice.kind === 'choice' && choice.options.find((o) => o.key === choice.answer)!.text).toMatch(/0\.001/);
  });
});

describe('the numbers on the cards, recomputed', () => {
  const convOut = (w: number, k: number, s: number, p: number) => (w - k + 2 * p) / s + 1;

  it('AlexNet', () => {
    expect(convOut(227, 11, 4, 0)).toBe(55);
    expect(convOut(55, 3, 2, 0)).toBe(27);
    expect(convOut(27, 3, 2, 0)).toBe(13);
    expect(convOut(13, 3, 2, 0)).toBe(6);
    inCard('alexnet-conv1-params', 11 * 11 * 3 * 96);
    inCard('alexnet-conv1-params', 11 * 11 * 3 * 96 + 96);
    inCard('alexnet-conv1-activations', 55 * 55 * 96);
    inCard('alexnet-conv1-unshared', 55 * 55 * 96 * (11 * 11 * 3 + 1));
    inCard('alexnet-pool3-flatten', 6 * 6 * 256);
    inCard('activation-memory-bytes', 55 * 55 * 96 * 4);
    expect(text('receptive-field-strided')).toContain(`= ${1 + (11 - 1) + (3 - 1) * 4}`);
  });

  it('VGG', () => {
    inCard('vgg-conv1-weights', 3 * 3 * 3 * 64);
    inCard('vgg-fc6-weights', 7 * 7 * 512 * 4096);
    inCard('vgg-early-layer-memory', 224 * 224 * 64);
    inCard('vgg-stack-weights', 27 * 256 * 256);
    inCard('vgg-stack-weights', 49 * 256 * 256);
    const convs = [[3, 64], [64, 64], [64, 128], [128, 128], [128, 256], [256, 256], [256, 256], [256, 512], [512, 512], [512, 512], [512, 512], [512, 512], [512, 512]] as const;
    const convWeights = convs.reduce((a, [cin, cout]) => a + 9 * cin * cout, 0);
    const fc = 7 * 7 * 512 * 4096 + 4096 * 4096 + 4096 * 1000;
    const biases = convs.reduce((a, [, cout]) => a + cout, 0) + 4096 + 4096 + 1000;
    inCard('vgg-fc-share', fc);
    inCard('vgg-fc-share', convWeights + fc);
    expect(Math.round((100 * fc) / (convWeights + fc))).toBe(89);
    inCard('vgg16-total-params', convWeights + fc);
    inCard('vgg16-total-params', convWeights + fc + biases);
    expect(convWeights + fc + biases).toBe(138_357_544); // torchvision's published count
    inCard('fc-params-formula', 4096 * 4096 + 4096);
  });

  it('GoogLeNet', () => {
    const hw = 28 * 28;
    const naive = [hw * 128 * 256, hw * 192 * 9 * 256, hw * 96 * 25 * 256];
    for (const term of naive) inCard('inception-naive-macs', term);
    inCard('inception-naive-macs', naive.reduce((a, b) => a + b, 0));
    expect(128 + 192 + 96 + 256).toBe(672);
    expect(128 + 192 + 96 + 64).toBe(480);
    expect(text('inception-naive-output')).toContain('672');
    expect(text('inception-bottleneck-output')).toContain('480');
    const ratio = 854_196_224 / 271_351_808;
    expect(text('inception-saving')).toContain(ratio.toFixed(1));
  });

  it('ResNet and after', () => {
    inCard('resnet-bottleneck-weights', 256 * 64 + 9 * 64 * 64 + 64 * 256);
    inCard('resnet-bottleneck-weights', 2 * 9 * 256 * 256);
    inCard('wide-resnet-k-squared', 9 * 16 * 16);
    inCard('wide-resnet-k-squared', 9 * 160 * 160);
    const L = 54;
    const pL = 0.5;
    let expected = 0;
    for (let l = 1; l <= L; l++) expected += 1 - (l / L) * (1 - pL);
    expect(text('stochastic-depth-expected')).toContain(`= ${expected.toFixed(2)}`);
    expect(text('densenet-channels')).toContain(`= ${64 + 5 * 32}`);
    expect(text('densenet-channels')).toContain(`= ${64 + 6 * 32}`);
    expect(text('fractalnet-deepest-path')).toContain(`= ${2 ** 3}`);
    inCard('squeezenet-fire-params', 96 * 16 + 16 + (16 * 64 + 64) + (9 * 16 * 64 + 64));
  });
});
