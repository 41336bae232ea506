/** How the explorer writes its numbers: shapes H×W×C, counts with thousands separators, GMACs. */
import type { ReceptiveField } from '../../../engine/analysis-types';

/** [55, 55, 96] → "55×55×96"; a flattened output [4096] → "4096". */
export function shapeText(shape: readonly number[]): string {
  return shape.join('×');
}

/** 34944 → "34,944" (fixed locale so server and browser render the same text). */
export function countText(n: number): string {
  return n.toLocaleString('en-US');
}

/** GMACs = MACs / 10⁹, two decimals as torchvision's table prints them. */
export function gmacsText(macs: number): string {
  return (macs / 1e9).toFixed(2);
}

/** One value per axis, or "h×w" when the axes differ (non-square kernels or inputs). */
export function fieldText(rf: ReceptiveField, rfW: ReceptiveField, key: keyof ReceptiveField): string {
  return rf[key] === rfW[key] ? String(rf[key]) : `${rf[key]}×${rfW[key]}`;
}
