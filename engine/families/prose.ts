/** How numbers are written in prompts and explanations: thousands grouped, shapes H×W×C. */
import { groupThousands } from '../answers/format';

/** 34944 → "34,944". */
export function n(value: number): string {
  return groupThousands(value);
}

/** [55, 55, 96] → "55×55×96". */
export function shape(dims: readonly number[]): string {
  return dims.join('×');
}

/** A kernel "3×3", or "1×7" when not square. */
export function kernel(kh: number, kw: number = kh): string {
  return `${kh}×${kw}`;
}

/** "a + b + c" with grouped numbers. */
export function sum(terms: readonly number[]): string {
  return terms.map(n).join(' + ');
}

/** A product written with middle dots, each factor grouped: 28·28·128. */
export function product(factors: readonly number[]): string {
  return factors.map(n).join('·');
}
