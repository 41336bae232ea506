/** Explicit ranges in the bank format: the legacy list refused with its rewrite, domains checked at parse time, the pure upgrade. */
import { describe, expect, it } from 'vitest';
import { getFamily } from '../families';
import { parseBank, type BankError, type ParseResult } from './parse';
import { sampleGeneratedItem } from './gate';
import { upgradeBankYaml, upgradeItemRanges, upgradeLegacyRange } from './upgrade';

const bank = (ranges: string) => [
  {
    name: 'bank.yaml',
    text: `id: t\ntitle: T\ndescription: D\nversion: "1.0.0"\nitems:\n  - id: fact\n    kind: basic\n    topic: vgg\n    tags: []\n    front: F\n    back: B\n  - id: a\n    kind: basic\n    topic: vgg\n    tags: []\n    front: F\n    back: B\n  - id: b\n    kind: basic\n    topic: vgg\n    tags: []\n    front: F\n    back: B\n  - id: conv\n    kind: generated\n    topic: conv-arithmetic\n    tags: []\n    title: Conv\n    family: conv-output-size\n    ranges:\n${ranges}`,
  },
];

function errorsOf(result: ParseResult): BankError[] {
  if (result.ok) throw new Error('expected the bank to be refused');
  return result.errors.map(({ path, message }) => ({ path, message }));
}

describe('the range syntax', () => {
  it('takes a number, {min, max[, step]} and {choices}, and an item without a difficulty', () => {
    const result = parseBank({ files: bank('      size: 227\n      padding: {min: 0, max: 3}\n      kernel: {min: 3, max: 11, step: 2}\n      stride: {choices: [1, 2, 4]}\n') });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const item = result.bank.items[3]!;
    expect(item.kind === 'generated' && item.ranges).toEqual({ size: 227, padding: { min: 0, max: 3 }, kernel: { min: 3, max: 11, step: 2 }, stride: { choices: [1, 2, 4] } });
    expect(item.kind === 'generated' && item.difficulty).toBeUndefined();
  });

  it('refuses the legacy list syntax, saying how to write it now', () => {
    expect(errorsOf(parseBank({ files: bank('      size: [13, 227]\n      filters: [96]\n      kernel: [3, 5, 7]\n') }))).toEqual([
      { path: 'bank.yaml: items[3].ranges.size', message: '[13, 227] is the old list syntax, where two numbers meant every whole number from 13 to 227; write {min: 13, max: 227} for that range, or {choices: [13, 227]} for these two values only' },
      { path: 'bank.yaml: items[3].ranges.filters', message: '[96] is the old list syntax; write the value alone: 96' },
      { path: 'bank.yaml: items[3].ranges.kernel', message: '[3, 5, 7] is the old list syntax; write {choices: [3, 5, 7]} for these values, or {min: …, max: …} for a range' },
    ]);
  });

  it("refuses a range that admits a value outside the family's domain, with path and message (issue 12: kernel [3, 5] drew 4)", () => {
    expect(errorsOf(parseBank({ files: bank('      kernel: {min: 3, max: 5}\n      stride: {choices: [0, 1]}\n      square: 2\n') }))).toEqual([
      { path: 'bank.yaml: items[3].ranges.kernel', message: '{min: 3, max: 5} admits 4, but kernel must be odd and ≥ 1' },
      { path: 'bank.yaml: items[3].ranges.stride', message: '{choices: [0, 1]} admits 0, but stride must be ≥ 1' },
      { path: 'bank.yaml: items[3].ranges.square', message: '2 is outside the domain: square must be 0 or 1' },
    ]);
    expect(parseBank({ files: bank('      kernel: {choices: [3, 5]}\n') }).ok).toBe(true);
  });

  it('refuses a range that is wrong on its own', () => {
    expect(errorsOf(parseBank({ files: bank('      size: {min: 227, max: 13}\n') }))).toEqual([{ path: 'bank.yaml: items[3].ranges.size', message: '{min: 227, max: 13} has min > max' }]);
    expect(errorsOf(parseBank({ files: bank('      padding: {min: 0, max: 3, step: 0}\n      filters: {choices: []}\n      stride: {min: 1}\n') }))).toEqual([
      { path: 'bank.yaml: items[3].ranges.padding.step', message: 'step must be ≥ 1' },
      { path: 'bank.yaml: items[3].ranges.filters.choices', message: 'choices must list at least one value' },
      { path: 'bank.yaml: items[3].ranges.stride', message: 'a range is a number (fixed), {min: a, max: b} (every whole number from a to b) or {choices: [a, b, …]}' },
    ]);
  });
});

describe('the sampling gate', () => {
  it('reports an out-of-domain draw as a problem of the sample (a bank that reached a family unparsed)', () => {
    const item = { id: 'raw', kind: 'generated' as const, topic: 'conv-arithmetic' as const, tags: [], title: 'Raw', family: 'conv-output-size', ranges: { kernel: { min: 3, max: 5 } } };
    const problems = sampleGeneratedItem(item, 40).flatMap((c) => c.problems);
    expect(problems).toContain('the family could not generate a question: conv-output-size: ranges.kernel: drew 4 from {min: 3, max: 5}, but kernel must be odd and ≥ 1');
  });
});

describe('upgrading the legacy list syntax', () => {
  it('keeps the meaning: one value, an inclusive range, choices', () => {
    expect(upgradeLegacyRange([227])).toBe(227);
    expect(upgradeLegacyRange([13, 227])).toEqual({ min: 13, max: 227 });
    expect(upgradeLegacyRange([1, 3, 5])).toEqual({ choices: [1, 3, 5] });
    for (const explicit of [7, { min: 1, max: 2 }, { choices: [1] }, [], ['a']]) expect(upgradeLegacyRange(explicit)).toBeNull();
  });

  it('upgrades an item and is idempotent', () => {
    const legacy = { id: 'g', kind: 'generated', ranges: { size: [13, 227], kernel: [3], stride: { choices: [1, 2] } } };
    const once = upgradeItemRanges(legacy);
    expect(once).toEqual({ changed: true, item: { id: 'g', kind: 'generated', ranges: { size: { min: 13, max: 227 }, kernel: 3, stride: { choices: [1, 2] } } } });
    expect(upgradeItemRanges(once.item)).toEqual({ changed: false, item: once.item });
    expect(upgradeItemRanges({ id: 'f', kind: 'basic' }).changed).toBe(false);
  });

  it('rewrites YAML text in place, comments and other lists kept, and leaves broken text alone', () => {
    const text = 'id: t\n# a comment\nitems:\n  - id: g\n    tags: [vgg, alexnet]\n    ranges:\n      size: [13, 227] # the size\n      kernel: [3, 5, 7]\n';
    const up = upgradeBankYaml(text);
    expect(up.changed).toBe(true);
    expect(up.text).toBe('id: t\n# a comment\nitems:\n  - id: g\n    tags: [vgg, alexnet]\n    ranges:\n      size: {min: 13, max: 227} # the size\n      kernel: {choices: [3, 5, 7]}\n');
    expect(upgradeBankYaml(up.text)).toEqual({ text: up.text, changed: false });
    expect(upgradeBankYaml('items: [unclosed')).toEqual({ text: 'items: [unclosed', changed: false });
  });
});
