/**
 * The statistics of the analytics by region (docs/decisions/0030-analytics-by-region.md), pure:
 * Wilson intervals, Fisher's exact test of a region against the rest of its item, Holm's
 * correction, the point-biserial discrimination and the score histogram.
 */

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;
/** Family-wise significance over one item's regions. */
export const ALPHA = 0.05;
/** A region is tested only with at least this many attempts in it and in the rest of the item. */
export const MIN_TEST_ATTEMPTS = 5;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for `successes` of `n` (null for n = 0). */
export function wilson(successes: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // The bounds at 0 and n are exactly 0 and 1 (the subtraction leaves rounding dust).
  return { low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === n ? 1 : Math.min(1, centre + half) };
}

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[n]!;
}

/**
 * Two-sided Fisher's exact test of the 2×2 table [[a, b], [c, d]] (rows: region, rest; columns:
 * correct, wrong): the probability, with the margins fixed, of a table at most as likely as this one.
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const n = row1 + row2;
  if (row1 === 0 || row2 === 0 || col1 === 0 || col1 === n) return 1;
  const base = logFactorial(row1) + logFactorial(row2) + logFactorial(col1) + logFactorial(n - col1) - logFactorial(n);
  const logP = (x: number) => base - logFactorial(x) - logFactorial(row1 - x) - logFactorial(col1 - x) - logFactorial(row2 - col1 + x);
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, col1 - row2); x <= Math.min(row1, col1); x++) {
    const lp = logP(x);
    // The relative slack keeps tables exactly as likely as the observed one (ties) in the sum.
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/** Holm's step-down adjusted p-values, in the input order. */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** Pearson's r of paired values (the point-biserial r when `xs` are 0/1); null for fewer than 3 pairs or no spread. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 3 || ys.length !== n) return null;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Bins of the score histogram: 0–10%, 10–20%, …, 90–100% (100% falls in the last). */
export const HISTOGRAM_BINS = 10;

/** How many scores (0…1) fall in each tenth. */
export function histogram(scores: readonly number[], bins = HISTOGRAM_BINS): number[] {
  const out = new Array<number>(bins).fill(0);
  for (const s of scores) out[Math.min(bins - 1, Math.max(0, Math.floor(s * bins + 1e-9)))]! += 1;
  return out;
}
