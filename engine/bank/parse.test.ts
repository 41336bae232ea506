import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { clozeDeletions } from './cloze';
import { sampleGeneratedItem } from './gate';
import { sampleSeed } from './item';
import { formatPath, parseBank, type BankError, type BankFile, type ParseResult } from './parse';
import { LIMITS } from './schema';

const MANIFEST = `id: demo
title: Demo bank
description: A bank for tests.
version: "1.0.0"
`;

const BASIC = `  - id: alexnet-conv1-output
    kind: basic
    topic: alexnet
    tags: [alexnet]
    front: What does CONV1 output?
    back: "55×55×96: $(227-11)/4+1 = 55$"
`;

const GENERATED = `  - id: gen-conv
    kind: generated
    topic: conv-arithmetic
    tags: [alexnet]
    title: Conv output
    family: conv-output-size
    difficulty: 2
    ranges:
      size: {min: 13, max: 227}
      channels: {choices: [3, 64, 96]}
`;

const oneFile = (items: string): BankFile[] => [{ name: 'bank.yaml', text: `${MANIFEST}items:\n${items}` }];
const folder = (files: Record<string, string>): BankFile[] => [
  { name: 'bank.yaml', text: MANIFEST },
  ...Object.entries(files).map(([name, items]) => ({ name, text: `items:\n${items}` })),
];

function errorsOf(result: ParseResult): BankError[] {
  if (result.ok) throw new Error('expected the bank to be refused');
  return result.errors;
}

/** The one error at `path`, with a message matching `message`. */
function expectError(result: ParseResult, path: string, message: RegExp): BankError {
  const errors = errorsOf(result);
  const hit = errors.find((e) => e.path === path && message.test(e.message));
  expect(hit, `no error at ${path} matching ${message}; got ${JSON.stringify(errors, null, 1)}`).toBeDefined();
  return hit!;
}

describe('parseBank: valid banks', () => {
  it('reads a one-file bank', () => {
    const result = parseBank({ files: oneFile(BASIC + GENERATED) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.bank).toMatchObject({ id: 'demo', title: 'Demo bank', version: '1.0.0' });
    expect(result.bank.items.map((i) => i.id)).toEqual(['alexnet-conv1-output', 'gen-conv']);
    expect(result.locations['gen-conv']).toEqual({ file: 'bank.yaml', index: 1, path: 'bank.yaml: items[1]', line: 12 });
  });

  it('reads a folder in file-name order, whatever order the files come in', () => {
    const files = folder({ 'b.yaml': GENERATED, 'a.yaml': BASIC });
    const result = parseBank({ files: [files[2]!, files[0]!, files[1]!] });
    expect(result.ok && result.bank.items.map((i) => i.id)).toEqual(['alexnet-conv1-output', 'gen-conv']);
    expect(result.ok && result.locations['gen-conv']!.path).toBe('b.yaml: items[0]');
  });

  it('keeps Markdown block scalars exactly', () => {
    const text = `  - id: md
    kind: basic
    topic: vgg
    tags: [vgg]
    front: |
      Two lines,
      **bold** and $3 \\times 3$.
    back: ok
`;
    const result = parseBank({ files: oneFile(text) });
    expect(result.ok && result.bank.items[0]!.kind === 'basic' && result.bank.items[0]!.front).toBe('Two lines,\n**bold** and $3 \\times 3$.\n');
  });

  it('reads cloze deletions with hints', () => {
    expect(clozeDeletions('a {{c1::3×3}} b {{c1::7×7::a size}}')).toEqual([{ answer: '3×3' }, { answer: '7×7', hint: 'a size' }]);
  });
});

describe('parseBank: hostile and malformed input is refused with a path and a message', () => {
  it('refuses a __proto__ key, wherever it is', () => {
    const result = parseBank({ files: oneFile(BASIC.replace('    back:', '    __proto__: { polluted: true }\n    back:')) });
    const e = expectError(result, 'bank.yaml: items[0].__proto__', /not allowed/);
    expect(e.line).toBe(11);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses constructor and prototype keys inside ranges', () => {
    const result = parseBank({ files: oneFile(GENERATED.replace('      size: {min: 13, max: 227}', '      constructor: 1\n      prototype: 2')) });
    expectError(result, 'bank.yaml: items[0].ranges.constructor', /not allowed/);
    expectError(result, 'bank.yaml: items[0].ranges.prototype', /not allowed/);
  });

  it('refuses a 10 MB string before parsing it', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const result = parseBank({ files: oneFile(BASIC.replace('What does CONV1 output?', huge)) });
    expectError(result, 'bank.yaml', /bytes or more; the limit is 2,097,152 bytes/);
  });

  it('refuses a field over 10,000 characters at its path', () => {
    const result = parseBank({ files: oneFile(BASIC.replace('What does CONV1 output?', 'y'.repeat(LIMITS.markdownChars + 1))) });
    expectError(result, 'bank.yaml: items[0].front', /longer than 10,000 characters/);
  });

  it('refuses 10,000,000 items (by size, before parsing)', () => {
    const result = parseBank({ files: [{ name: 'bank.yaml', text: MANIFEST }, { name: 'many.yaml', text: `items: [${'0,'.repeat(10_000_000)}]` }] });
    expectError(result, 'many.yaml', /limit is 2,097,152 bytes/);
  });

  it('refuses more than 5,000 items that fit in 2 MB, with one error, not 5,001', () => {
    const result = parseBank({ files: [{ name: 'bank.yaml', text: MANIFEST }, { name: 'many.yaml', text: `items: [${'0,'.repeat(5_001)}]` }] });
    const errors = errorsOf(result);
    expect(errors).toEqual([{ path: 'many.yaml: items', message: '5,001 items; a bank holds at most 5,000' }]);
  });

  it('refuses 5,001 valid items spread over files (the cap is per bank)', () => {
    const items = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => `  - { id: card-${from + i}, kind: basic, topic: vgg, tags: [vgg], front: q, back: a }\n`).join('');
    const result = parseBank({ files: folder({ 'a.yaml': items(0, 2_500), 'b.yaml': items(2_500, 2_501) }) });
    expect(errorsOf(result)).toEqual([{ path: '(bank)', message: '5,001 items; a bank holds at most 5,000' }]);
  });

  it('refuses ranges that reach 10⁹ channels', () => {
    const result = parseBank({ files: oneFile(GENERATED.replace('[3, 64, 96]', '[3, 1000000000]')) });
    expectError(result, 'bank.yaml: items[0].ranges.channels.choices[1]', /must be ≤ 8192/);
  });

  it('refuses spatial sizes over 4096', () => {
    const result = parseBank({ files: oneFile(GENERATED.replace('max: 227', 'max: 8000')) });
    expectError(result, 'bank.yaml: items[0].ranges.size', /spatial sizes must be ≤ 4096/);
  });

  it('refuses a YAML alias bomb (billion laughs)', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
    const result = parseBank({ files: [{ name: 'bank.yaml', text: bomb }] });
    expectError(result, 'bank.yaml', /too many YAML aliases/);
  });

  it('refuses unknown keys, naming the keys allowed there', () => {
    const result = parseBank({ files: oneFile(BASIC.replace('    back:', '    answer: 55\n    back:')) });
    const e = expectError(result, 'bank.yaml: items[0].answer', /unknown key 'answer'; allowed here: id, topic, tags, source, erratum, kind, front, back/);
    expect([e.line, e.column]).toEqual([11, 5]);
    expectError(parseBank({ files: [{ name: 'bank.yaml', text: `${MANIFEST}author: me\n` }] }), 'bank.yaml: author', /allowed here: id, title, description, version, items/);
  });

  it('refuses duplicate keys with line and column', () => {
    const result = parseBank({ files: oneFile(BASIC.replace('    back:', '    front: again\n    back:')) });
    const e = expectError(result, 'bank.yaml:11:5', /duplicate key/);
    expect([e.line, e.column]).toEqual([11, 5]);
  });

  it('reports YAML syntax errors with line:column', () => {
    const result = parseBank({ files: [{ name: 'bank.yaml', text: 'id: x\ntags: [a, b\nfront: y\n' }] });
    expect(errorsOf(result)[0]!.path).toMatch(/^bank\.yaml:\d+:\d+$/);
  });

  // One typo used to give 11–15 errors: the parser's cascade over every line below it, two per line.
  it.each([
    ['an unclosed flow list', (t: string) => t.replace('tags: [alexnet]', 'tags: [alexnet'), 10, 5],
    ['a key indented one space short', (t: string) => t.replace('    topic: alexnet', '   topic: alexnet'), 8, 1],
    ['a colon inside a plain value', (t: string) => t.replace('front: What does CONV1 output?', 'front: What: CONV1?'), 10, 12],
  ])('reports one YAML typo (%s) as exactly one error at its line', (_, typo, line, column) => {
    const text = typo(`${MANIFEST}items:\n${BASIC}${BASIC.replace('alexnet-conv1-output', 'second')}`);
    const errors = errorsOf(parseBank({ files: [{ name: 'bank.yaml', text }] }));
    expect(errors).toHaveLength(1);
    expect([errors[0]!.line, errors[0]!.column]).toEqual([line, column]);
  });

  it('refuses wrong types, each at its path', () => {
    const text = GENERATED.replace('difficulty: 2', 'difficulty: "2"').replace('tags: [alexnet]', 'tags: alexnet').replace('title: Conv output', 'title: 42');
    const result = parseBank({ files: oneFile(text) });
    expectError(result, 'bank.yaml: items[0].difficulty', /difficulty must be 1, 2 or 3/);
    expectError(result, 'bank.yaml: items[0].tags', /tags must be a list/);
    expectError(result, 'bank.yaml: items[0].title', /title must be a string/);
    expectError(parseBank({ files: [{ name: 'bank.yaml', text: MANIFEST.replace('"1.0.0"', '1.0') }] }), 'bank.yaml: version', /quoted version string/);
    expectError(parseBank({ files: oneFile(BASIC.replace('kind: basic', 'kind: essay')) }), 'bank.yaml: items[0].kind', /kind must be one of: basic, cloze, choice, generated/);
  });

  it('names a missing required key', () => {
    expectError(parseBank({ files: oneFile(BASIC.replace(/    back:.*\n/, '')) }), 'bank.yaml: items[0].back', /missing required key 'back'/);
  });

  it('refuses custom tags (no code in banks)', () => {
    const result = parseBank({ files: oneFile(BASIC.replace('front: What does CONV1 output?', 'front: !!js/function "function () {}"')) });
    expect(errorsOf(result).some((e) => /custom tags are not allowed/.test(e.message))).toBe(true);
  });

  it('refuses collections nested 100,000 deep, quickly', () => {
    const started = performance.now();
    const result = parseBank({ files: [{ name: 'bank.yaml', text: `id: ${'['.repeat(100_000)}` }] });
    expectError(result, 'bank.yaml:1:37', /nest deeper than 32 levels/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses duplicate ids across files, pointing at the first', () => {
    const result = parseBank({ files: folder({ 'a.yaml': BASIC, 'b.yaml': BASIC }) });
    expectError(result, 'b.yaml: items[0].id', /duplicate id 'alexnet-conv1-output' \(first used at a\.yaml: items\[0\]\)/);
  });

  it('checks families and parameter names against the registry', () => {
    expectError(parseBank({ files: oneFile(GENERATED.replace('family: conv-output-size', 'family: conv-output-sise')) }), 'bank.yaml: items[0].family', /unknown family 'conv-output-sise'; known families: conv-output-size, pool-output-size/);
    expectError(parseBank({ files: oneFile(GENERATED.replace('channels:', 'chanels:')) }), 'bank.yaml: items[0].ranges.chanels', /family 'conv-output-size' has no parameter 'chanels'; its parameters: size, channels/);
    expectError(parseBank({ files: oneFile(GENERATED.replace('min: 13, max: 227', 'min: 227, max: 13')) }), 'bank.yaml: items[0].ranges.size', /\{min: 227, max: 13\} has min > max/);
    expectError(parseBank({ files: oneFile(GENERATED.replace('[3, 64, 96]', '[3, 64.5, 96]')) }), 'bank.yaml: items[0].ranges.channels', /whole numbers/);
  });

  it('takes the family list as a parameter (pure, testable without the registry)', () => {
    const families = [{ id: 'toy', parameters: { n: { range: { min: 1, max: 9 }, description: 'n' } } }];
    const text = GENERATED.replace('family: conv-output-size', 'family: toy').replace(/    ranges:[\s\S]*/, '    ranges:\n      n: {min: 2, max: 3}\n');
    expect(parseBank({ files: oneFile(text) }, { families }).ok).toBe(true);
    expectError(parseBank({ files: oneFile(GENERATED) }, { families }), 'bank.yaml: items[0].family', /known families: toy/);
  });

  it('checks cloze syntax: c1 only, no empty or broken deletions', () => {
    const cloze = (text: string) => `  - id: c\n    kind: cloze\n    topic: vgg\n    tags: [vgg]\n    text: "${text}"\n`;
    expectError(parseBank({ files: oneFile(cloze('VGG uses {{c2::3×3}} convs')) }), 'bank.yaml: items[0].text', /write c1 for every deletion/);
    expectError(parseBank({ files: oneFile(cloze('VGG uses {{c1::}} convs')) }), 'bank.yaml: items[0].text', /deletion is empty/);
    expectError(parseBank({ files: oneFile(cloze('VGG uses {{c1::3×3} convs')) }), 'bank.yaml: items[0].text', /at least one deletion/);
    expectError(parseBank({ files: oneFile(cloze('VGG uses {{c1::3×3}} and {{c1 convs')) }), 'bank.yaml: items[0].text', /malformed cloze/);
    expect(parseBank({ files: oneFile(cloze('VGG uses {{c1::3×3}} and {{c1::2×2::pool}}')) }).ok).toBe(true);
  });

  it('checks choice answers against the option keys', () => {
    const choice = (answer: string) =>
      `  - id: q\n    kind: choice\n    topic: vgg\n    tags: [vgg]\n    question: Q?\n    options: [{ key: a, text: x }, { key: b, text: y }]\n    answer: ${answer}\n    explanation: E.\n`;
    expect(parseBank({ files: oneFile(choice('a')) }).ok).toBe(true);
    expect(parseBank({ files: oneFile(choice('[a, b]')) }).ok).toBe(true);
    expectError(parseBank({ files: oneFile(choice('c')) }), 'bank.yaml: items[0].answer', /answer 'c' is not an option key; keys: a, b/);
    expectError(parseBank({ files: oneFile(choice('[a, a]')) }), 'bank.yaml: items[0].answer', /listed twice/);
  });

  it('checks that $ math delimiters close', () => {
    expectError(parseBank({ files: oneFile(BASIC.replace('= 55$', '= 55')) }), 'bank.yaml: items[0].back', /unbalanced \$/);
    expect(parseBank({ files: oneFile(BASIC.replace('= 55$', '= 55$ costs \\\\$5')) }).ok).toBe(true);
  });

  it('refuses input that is not a list of named texts', () => {
    expect(errorsOf(parseBank({ files: [] }))[0]!.message).toMatch(/no files were given/);
    expect(errorsOf(parseBank({ files: [{ name: 'x.yaml' } as BankFile] }))[0]!.message).toMatch(/name and a text/);
    expect(errorsOf(parseBank(null as unknown as { files: BankFile[] }))[0]!.message).toMatch(/no files were given/);
    expect(errorsOf(parseBank({ files: folder({ 'a.yaml': BASIC, 'b.yaml': GENERATED }).slice(1) }))[0]!.message).toBe('a bank folder needs a bank.yaml (id, title, description, version)');
    expect(errorsOf(parseBank({ files: [{ name: 'bank.yaml', text: '' }] }))[0]).toEqual({ path: 'bank.yaml', message: 'file is empty' });
  });
});

describe('parseBank never throws', () => {
  const valid = oneFile(BASIC + GENERATED)[0]!.text;
  const junk = ['{', '}', '[', ']', '&a', '*a', '!!', '- ', ': ', '\n', '  ', '"', "'", '#', '|', '>', '__proto__', '? ', '%YAML 1.2\n', '---\n', '\t', '\u0000', '\ud800'];

  it("on 600 random mutations of a valid bank", () => {
    let refused = 0;
    for (let seed = 0; seed < 600; seed++) {
      const rng = createRng(seed);
      let text = valid;
      for (let edits = rng.int(1, 6); edits > 0; edits--) {
        const at = rng.int(0, text.length);
        const cut = rng.int(0, 4);
        text = text.slice(0, at) + (rng.chance(0.7) ? rng.pick(junk) : '') + text.slice(at + cut);
      }
      const result = parseBank({ files: [{ name: 'bank.yaml', text }] });
      expect(typeof result.ok).toBe('boolean');
      if (!result.ok) {
        refused++;
        for (const e of result.errors) expect(e.path.length > 0 && e.message.length > 0).toBe(true);
      }
    }
    expect(refused).toBeGreaterThan(200);
  });

  it('on random junk', () => {
    for (let seed = 0; seed < 300; seed++) {
      const rng = createRng(10_000 + seed);
      const text = Array.from({ length: rng.int(0, 60) }, () => rng.pick(junk)).join('');
      expect(() => parseBank({ files: [{ name: 'bank.yaml', text }] })).not.toThrow();
    }
  });
});

describe('formatPath', () => {
  it('writes indices in brackets and odd keys quoted', () => {
    expect(formatPath('a.yaml', ['items', 3, 'ranges', 'filters'])).toBe('a.yaml: items[3].ranges.filters');
    expect(formatPath('a.yaml', ['items', 0, 'a key'])).toBe('a.yaml: items[0]["a key"]');
    expect(formatPath('a.yaml', [])).toBe('a.yaml');
  });
});

describe('sampling generated items', () => {
  /** FNV-1a computed with BigInt, independently of sampleSeed's Math.imul. */
  function fnv1a(text: string): number {
    let h = 2166136261n;
    for (const ch of text) {
      h ^= BigInt(ch.charCodeAt(0));
      h = (h * 16777619n) % 2n ** 32n;
    }
    return Number(h % 2n ** 31n);
  }

  it('seeds are FNV-1a of "<id>#<i>" kept to 31 bits: deterministic, distinct, valid --seed values', () => {
    expect(sampleSeed('gen-conv', 0)).toBe(fnv1a('gen-conv#0'));
    expect(sampleSeed('gen-conv', 7)).toBe(fnv1a('gen-conv#7'));
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => sampleSeed('gen-conv', i)));
    expect(seeds.size).toBe(1000);
    for (const seed of seeds) expect(seed).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('draws variants inside the item ranges, and reports a family that cannot meet them', () => {
    const parsed = parseBank({ files: oneFile(GENERATED) });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const item = parsed.bank.items[0]!;
    if (item.kind !== 'generated') throw new Error('expected a generated item');
    const checks = sampleGeneratedItem(item, 5);
    expect(checks.map((c) => c.seed)).toEqual([0, 1, 2, 3, 4].map((i) => sampleSeed('gen-conv', i)));
    for (const c of checks) {
      expect(c.problems).toEqual([]);
      expect([3, 64, 96]).toContain(c.variant!.spec!.input[2]);
    }
    // A 1-pixel input without padding cannot hold a 3×3 kernel: the family says so, the sample reports it.
    const impossible = sampleGeneratedItem({ ...item, ranges: { size: 1, kernel: 3, padding: 0 } }, 1);
    expect(impossible[0]!.ok).toBe(false);
    expect(impossible[0]!.problems[0]).toMatch(/could not generate a question/);
  });
});
