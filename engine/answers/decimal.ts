/**
 * Exact decimals for answer reading: a number as written is coefficient × 10^exponent × 2^twos,
 * with an integer coefficient, so `3.4944e4` is exactly 34944 and `0.85G` exactly 850,000,000;
 * no binary fraction is formed before the final conversion to a JS number.
 */

export interface ExactDecimal {
  /** The digits as written, without separators or point. */
  coefficient: bigint;
  /** Power of ten: −(digits after the point) + exponent + decimal multiplier (K = 3). */
  exponent: number;
  /** Power of two from binary byte units (KiB = 10). */
  twos: number;
  negative: boolean;
}

/** Digits before and after the point → coefficient = int‖frac, exponent = −len(frac). */
export function decimalFromDigits(integerDigits: string, fractionDigits: string, negative: boolean): ExactDecimal {
  const digits = `${integerDigits}${fractionDigits}` || '0';
  return { coefficient: BigInt(digits), exponent: -fractionDigits.length, twos: 0, negative };
}

/** d × 10^k × 2^j */
export function scaleDecimal(d: ExactDecimal, powerOfTen: number, powerOfTwo = 0): ExactDecimal {
  return { ...d, exponent: d.exponent + powerOfTen, twos: d.twos + powerOfTwo };
}

/**
 * The nearest JS number to the exact value. Integers up to 2^53 come out exact; a fraction goes
 * through Number("<digits>e<exp>"), which rounds correctly once.
 */
export function decimalToNumber(d: ExactDecimal): number {
  const binary = d.coefficient * 2n ** BigInt(d.twos);
  const magnitude = d.exponent >= 0 ? Number(binary * 10n ** BigInt(d.exponent)) : Number(`${binary}e${d.exponent}`);
  return d.negative ? -magnitude : magnitude;
}

/** Value of one step in the last written digit: ulp = 10^exponent × 2^twos ("854M" → 10⁶). */
export function decimalPrecision(d: ExactDecimal): number {
  return 10 ** d.exponent * 2 ** d.twos;
}
