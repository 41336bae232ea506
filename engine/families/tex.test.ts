/** Typeset explanations: every family's lines are Markdown with KaTeX-valid maths, no raw subscripts, this variant's numbers in. */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { families, variantOf } from './index';
import { dims, floor, frac, num, plainText, prod, step, sym, texFragments, texToPlain } from './tex';

const SEEDS = 500;

/** The givens each window or field answer depends on, read from the prompt. */
const NEEDED: Record<string, (prompt: string) => number[]> = {
  'conv-output-size': (p) => [/^A (\d+)/, /of (\d+)×/, /stride (\d+)/, /padding (\d+)/].map((r) => Number(r.exec(p)![1])),
  'pool-output-size': (p) => [/^A (\d+)/, /a (\d+)×\d+ window/, /stride (\d+)/, /padding (\d+)/].map((r) => Number(r.exec(p)![1])),
  'receptive-field-stack': (p) => [...p.matchAll(/(\d+)×\d+ (?:conv|max pool)/g)].map((m) => Number(m[1])),
};

/** Numbers written in a text, commas removed: "a 1,024×7 input" → [1024, 7]. */
function numbersIn(text: string): number[] {
  return (text.match(/\d[\d,]*(?:\.\d+)?/g) ?? []).map((x) => Number(x.replace(/,/g, '')));
}

describe('tex helpers', () => {
  it('write grouped numbers, real subscripts and floors, and read back as plain text', () => {
    expect(num(34944)).toBe('34{,}944');
    expect(step('Height', `${sym.Hout} = ${floor(frac('227 + 2 \\cdot 0 - 11', 4))} + 1 = 55`)).toBe('Height: $H_{\\text{out}} = \\left\\lfloor \\frac{227 + 2 \\cdot 0 - 11}{4} \\right\\rfloor + 1 = 55$');
    expect(plainText('Height: $H_{\\text{out}} = \\left\\lfloor \\frac{227 + 2 \\cdot 0 - 11}{4} \\right\\rfloor + 1 = 55$')).toBe('Height: H_out = ⌊(227 + 2·0 − 11)/(4)⌋ + 1 = 55');
    expect(texToPlain(dims([55, 55, 96]))).toBe('55×55×96');
    expect(texToPlain(prod([3, 3, 1024]))).toBe('3·3·1,024');
    expect(texFragments('a $x$ b $$y$$')).toEqual(['x', 'y']);
  });
});

describe.each(families.map((f) => [f.id, f] as const))('%s explanation', (_id, family) => {
  it(`is typeset over ${SEEDS} seeds`, () => {
    const failures: string[] = [];
    const fail = (seed: number, what: string) => failures.length < 8 && failures.push(`seed ${seed}: ${what}`);
    const cache = new Map<string, string | null>();
    for (let seed = 0; seed < SEEDS; seed++) {
      const v = variantOf(family, seed);
      for (const line of v.explanation) {
        const words = line.replace(/\$\$?[^$]+\$\$?/g, '');
        if (words.includes('_')) fail(seed, `raw _ outside TeX: ${line}`);
        if (/[=⌊⌋·²^]|\d\s*[+−]\s*\d/.test(words)) fail(seed, `maths outside TeX: ${line}`);
        for (const tex of texFragments(line)) {
          if (!cache.has(tex)) {
            try {
              katex.renderToString(tex, { throwOnError: true, output: 'mathml' });
              cache.set(tex, null);
            } catch (e) {
              cache.set(tex, (e as Error).message);
            }
          }
          const error = cache.get(tex);
          if (error) fail(seed, `KaTeX: ${error} in ${tex}`);
        }
      }
      // This variant's numbers are put in: some given of the prompt appears in the explanation, and
      // for the window and field families every given the answer depends on.
      const given = numbersIn(v.prompt).filter((x) => x > 1);
      const shown = new Set(numbersIn(v.explanation.map(plainText).join('\n')));
      if (given.length > 0 && !given.some((x) => shown.has(x))) fail(seed, `no number of the prompt (${given.join(', ')}) in the explanation`);
      const needed = NEEDED[family.id]?.(v.prompt) ?? [];
      const missing = needed.filter((x) => !shown.has(x));
      if (missing.length > 0) fail(seed, `${missing.join(', ')} of the prompt not in the explanation: ${v.explanation.map(plainText).join(' | ')}`);
    }
    expect(failures).toEqual([]);
  });
});
