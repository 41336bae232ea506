import { describe, expect, it } from 'vitest';
import { getFamily, variantOf } from '../families';
import { CLOZE_SEPARATOR } from './cloze';
import { gateBank, sampleGeneratedItem } from './gate';
import { gradeBankItem, itemAnswer, itemVariant, parseStoredItem, presentBankItem, reviewSeed, sampleSeed, STORED_ITEM_ERRORS, StoredItemError, variantSeed } from './item';
import type { BasicItem, ChoiceItem, ClozeItem, GeneratedItem } from './schema';

const generated: GeneratedItem = { id: 'gen-conv', kind: 'generated', topic: 'conv-arithmetic', tags: [], title: 'Conv output', family: 'conv-output-size', difficulty: 2, ranges: { size: { min: 28, max: 64 } } };
const depth: GeneratedItem = { id: 'depth', kind: 'generated', topic: 'stochastic-depth', tags: [], title: 'Expected depth', family: 'stochastic-depth-expected', difficulty: 1, tolerance: { absolute: 0.05 } };
const choice: ChoiceItem = { id: 'pick', kind: 'choice', topic: 'vgg', tags: [], question: 'Which are 3×3?', options: [{ key: 'a', text: 'VGG' }, { key: 'b', text: 'AlexNet CONV1' }, { key: 'c', text: 'ResNet basic block' }], answer: ['a', 'c'], explanation: 'VGG and ResNet use 3×3.' };
const cloze: ClozeItem = { id: 'blanks', kind: 'cloze', topic: 'vgg', tags: [], text: 'VGG uses {{c1::3×3}} convolutions at stride {{c1::1::a number}}.', extra: 'Two 3×3 see 5×5.' };
const basic: BasicItem = { id: 'year', kind: 'basic', topic: 'alexnet', tags: [], front: 'AlexNet won in?', back: '2012', erratum: 'Not 2013.' };

describe('seeds: one FNV-1a for reviews and samples', () => {
  /** FNV-1a computed with BigInt, independently of Math.imul. */
  function fnv1a(text: string): number {
    let h = 2166136261n;
    for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 16777619n) % 2n ** 32n;
    return Number(h % 2n ** 31n);
  }

  it('keeps the values the two former hashes gave, so stored reviews and sample seeds mean what they meant', () => {
    // Computed with app/study.server.ts reviewSeed and engine/bank/sample.ts sampleSeed before they were merged.
    expect(reviewSeed(1, 'cs231n/alexnet-conv1-output', 0, null)).toBe(694588704);
    expect(reviewSeed(42, 'cs231n/vgg-params', 7, 1740000000000)).toBe(2079163544);
    expect(reviewSeed(3, 'my-bank/gen-conv', 2, 1741003200000)).toBe(835604589);
    expect(sampleSeed('gen-conv', 0)).toBe(764343829);
    expect(sampleSeed('alexnet-conv1', 4)).toBe(1618916423);
  });

  it('both are variantSeed of their key, and variantSeed is FNV-1a kept to 31 bits', () => {
    expect(reviewSeed(7, 'b/i', 3, 99)).toBe(variantSeed('7|b/i|3|99'));
    expect(sampleSeed('i', 3)).toBe(variantSeed('i#3'));
    for (const key of ['', 'a', 'cs231n/alexnet-conv1-output#19', '12|x/y|0|0']) expect(variantSeed(key)).toBe(fnv1a(key));
    const seeds = new Set(Array.from({ length: 2000 }, (_, i) => reviewSeed(1, 'b/i', i, null)));
    expect(seeds.size).toBe(2000);
    for (const s of seeds) expect(s >= 0 && s <= 2 ** 31 - 1).toBe(true);
  });
});

describe('item → variant', () => {
  it('is the family variant under the item’s difficulty and ranges, for every seed', () => {
    for (let seed = 0; seed < 200; seed++) {
      expect(itemVariant(generated, seed)).toEqual(variantOf(getFamily('conv-output-size'), seed, { difficulty: 2, ranges: { size: { min: 28, max: 64 } } }));
    }
  });

  it('puts the item’s tolerance on the answer, in review and in the gate alike (the gate used to drop it)', () => {
    expect(itemVariant(depth, 3).answer.tolerance).toEqual({ absolute: 0.05 });
    for (const check of sampleGeneratedItem(depth, 5)) expect(check.variant?.answer.tolerance).toEqual({ absolute: 0.05 });
    const family = itemVariant({ ...depth, tolerance: undefined }, 3);
    expect(family.answer.tolerance).toEqual({ absolute: 0.005 });
    // A typed answer 0.04 off is right under the item's tolerance, wrong under the family's.
    const off = String((itemVariant(depth, 3).answer.value as number) + 0.04);
    expect(gradeBankItem(depth, 3, off).correct).toBe(true);
    expect(gradeBankItem({ ...depth, tolerance: undefined }, 3, off).correct).toBe(false);
  });

  it('the face a student sees is the variant’s prompt, and the seed rebuilds it', () => {
    const face = presentBankItem(generated, 11);
    expect(face).toMatchObject({ mode: 'typed', seed: 11, title: 'Conv output', prompt: itemVariant(generated, 11).prompt, readContext: { kind: 'shape' }, difficulty: 2 });
    expect(presentBankItem(generated, 11)).toEqual(face);
  });
});

describe('grading the four kinds', () => {
  it('generated: the displayed answer is right, with the spec and source for the engine panel', () => {
    const v = itemVariant(generated, 5);
    const g = gradeBankItem(generated, 5, v.answer.display);
    expect(g).toMatchObject({ status: 'correct', correct: true, answer: v.answer.display, spec: v.spec, source: { quantity: 'output' }, expected: { kind: 'shape', value: v.answer.value } });
    expect(gradeBankItem(generated, 5, 'no idea').status).toBe('unread');
  });

  it('choice: every right key and no other, in any order and case', () => {
    expect(gradeBankItem(choice, null, 'c, A').correct).toBe(true);
    expect(gradeBankItem(choice, null, 'a').correct).toBe(false);
    expect(gradeBankItem(choice, null, 'a,b,c').correct).toBe(false);
    expect(gradeBankItem(choice, null, 'z')).toMatchObject({ status: 'unread', feedback: ['not read: no option z'] });
    expect(presentBankItem(choice, null)).toMatchObject({ mode: 'choice', multiple: true, options: choice.options });
    expect(itemAnswer(choice, null)).toEqual({ answer: '**a.** VGG\n\n**c.** ResNet basic block', explanation: 'VGG and ResNet use 3×3.' });
  });

  it('cloze: numbered blanks with hints on the front, the answers on the back, each blank graded', () => {
    expect(presentBankItem(cloze, null)).toMatchObject({ mode: 'cloze', blanks: 2, prompt: 'VGG uses **[1 …]** convolutions at stride **[2: a number …]**.' });
    expect(itemAnswer(cloze, null)).toEqual({ answer: 'VGG uses **3×3** convolutions at stride **1**.', explanation: 'Two 3×3 see 5×5.' });
    expect(gradeBankItem(cloze, null, ['3x3', '1'].join(CLOZE_SEPARATOR)).correct).toBe(true);
    expect(gradeBankItem(cloze, null, ['5x5', '1'].join(CLOZE_SEPARATOR))).toMatchObject({ correct: false, feedback: ['1: expected “3×3”', '2: right'] });
  });

  it('basic: the student says whether they knew it', () => {
    expect(gradeBankItem(basic, null, 'knew')).toMatchObject({ status: 'correct', correct: true, answer: '2012', explanation: 'Not 2013.' });
    expect(gradeBankItem(basic, null, 'forgot')).toMatchObject({ status: 'wrong', correct: false });
    expect(gradeBankItem(basic, null, '')).toMatchObject({ status: 'unread', feedback: ['not read: say whether you knew it'] });
    expect(presentBankItem(basic, null)).toMatchObject({ mode: 'reveal', prompt: 'AlexNet won in?', back: '2012' });
  });
});

describe('parseStoredItem', () => {
  it('gives back the item that was stored, for every kind', () => {
    for (const item of [generated, depth, choice, cloze, basic]) expect(parseStoredItem({ bankId: 'b', itemId: `b/${item.id}`, content: JSON.stringify(item) })).toEqual(item);
  });

  it('throws a StoredItemError naming the bank, the item and each problem', () => {
    const bad = () => parseStoredItem({ bankId: 'b', itemId: 'b/blanks', content: JSON.stringify({ ...cloze, text: undefined, extra: 3 }) });
    expect(bad).toThrow(StoredItemError);
    expect(bad).toThrow(STORED_ITEM_ERRORS.invalid('b', 'b/blanks', 'text: text must be a string (Markdown, $…$ for KaTeX); extra: extra must be a string (Markdown, $…$ for KaTeX)'));
    expect(() => parseStoredItem({ bankId: 'b', itemId: 'b/x', content: '{' })).toThrow(/^bank b, item b\/x: the stored item is not JSON \(/);
    expect(() => parseStoredItem({ bankId: 'b', itemId: 'b/x', content: JSON.stringify({ ...basic, kind: 'flashcard' }) })).toThrow('bank b, item b/x: the stored item no longer fits the bank format: kind: kind must be one of: basic, cloze, choice, generated');
  });
});

describe('the gate', () => {
  it('checks generated items only, in bank order, with the answer confirmed by the analysis', () => {
    const gates = gateBank({ items: [basic, generated, cloze, depth] });
    expect(gates.map((g) => [g.item.id, g.ok, g.checks.length])).toEqual([
      ['gen-conv', true, 5],
      ['depth', true, 5],
    ]);
    expect(gates[0]!.checks.every((c) => c.measured === (c.variant!.answer.value as number[]).join('×'))).toBe(true);
    // No spec: nothing to measure, nothing flagged.
    expect(gates[1]!.checks.every((c) => c.measured === null)).toBe(true);
  });
});
