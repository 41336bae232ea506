/**
 * The maths of worked explanations, as TeX inside Markdown `$…$` (rendered by KaTeX on the
 * server). A line is words, then maths: `step('Height', …)` → "Height: $…$". The words stay
 * outside the maths so a later translation replaces them without touching a number.
 */
import { groupThousands } from '../answers/format';

/** A number, thousands grouped without TeX's space after a comma: 34944 → "34{,}944". */
export function num(value: number): string {
  return groupThousands(value).replace(/,/g, '{,}');
}

type Term = number | string;
const term = (t: Term) => (typeof t === 'number' ? num(t) : t);

/** Factors joined by a centred dot: 3·3·64. */
export function prod(factors: readonly Term[]): string {
  return factors.map(term).join(' \\cdot ');
}

/** Terms joined by plus signs. */
export function plus(terms: readonly Term[]): string {
  return terms.map(term).join(' + ');
}

/** A shape H×W×C. */
export function dims(values: readonly number[]): string {
  return values.map(num).join(' \\times ');
}

/** A kernel "3×3", or "1×7" when not square. */
export function window(kh: number, kw: number = kh): string {
  return `${kh} \\times ${kw}`;
}

export function floor(x: Term): string {
  return `\\left\\lfloor ${term(x)} \\right\\rfloor`;
}

export function ceil(x: Term): string {
  return `\\left\\lceil ${term(x)} \\right\\rceil`;
}

export function frac(a: Term, b: Term): string {
  return `\\frac{${term(a)}}{${term(b)}}`;
}

/** A symbol with a word as its subscript: sub('H', 'out') → H_out typeset. */
export function sub(base: string, word: string): string {
  return `${base}_{\\text{${word}}}`;
}

/** The symbols the chapter writes with subscripts. */
export const sym = {
  Hout: sub('H', 'out'),
  Wout: sub('W', 'out'),
  Cin: sub('C', 'in'),
  Cout: sub('C', 'out'),
  Keff: sub('K', 'eff'),
  Kh: 'K_h',
  Kw: 'K_w',
  k0: 'k_0',
} as const;

/** Equals between every part: eq('a', 'b', 'c') → "a = b = c". */
export function eq(...parts: readonly Term[]): string {
  return parts.map(term).join(' = ');
}

/** One maths fragment for a Markdown line. */
export function math(tex: string): string {
  return `$${tex}$`;
}

/** An explanation line: the words, then the maths. */
export function step(words: string, tex: string): string {
  return `${words}: ${math(tex)}`;
}

const COMMANDS: Record<string, string> = {
  cdot: '·', times: '×', lfloor: '⌊', rfloor: '⌋', lceil: '⌈', rceil: '⌉', approx: '≈', to: '→', rightarrow: '→', Sigma: 'Σ', sum: 'Σ', prod: 'Π', theta: 'θ', ldots: '...', le: '≤', ge: '≥', quad: ' ', left: '', right: '', ',': '',
};

/** One TeX fragment as plain text (what the helpers above write, not TeX at large). */
export function texToPlain(tex: string): string {
  let s = tex;
  for (let i = 0; i < 4; i++) s = s.replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, '($1)/($2)');
  s = s
    .replace(/\\text\{([^{}]*)\}/g, '$1')
    .replace(/\{,\}/g, ',')
    .replace(/\\([A-Za-z]+|,)/g, (_, c: string) => COMMANDS[c] ?? c)
    .replace(/([_^])\{([^{}]*)\}/g, '$1$2')
    .replace(/[{}]/g, '')
    .replace(/ ?- /g, ' − ')
    .replace(/\s*([·×])\s*/g, '$1')
    .replace(/([⌊⌈(])\s+/g, '$1')
    .replace(/\s+([⌋⌉)])/g, '$1');
  return s.replace(/\s+/g, ' ').trim();
}

/** An explanation line (Markdown with `$…$` maths) as plain text, for the CLI's text output and the checks. */
export function plainText(line: string): string {
  return line.replace(/\$\$?([^$]+)\$\$?/g, (_, t: string) => texToPlain(t));
}

/** The TeX fragments of a line, for tests that render each one. */
export function texFragments(line: string): string[] {
  return [...line.matchAll(/\$\$?([^$]+)\$\$?/g)].map((m) => m[1]!);
}
