/**
 * Where a window lands as it slides along one axis of a padded input: the geometry behind a
 * step-through picture, from numbers only (no drawing here). Positions are found by stepping the
 * window, not from the output formula, so a test can hold one against the other.
 */
import { effectiveKernel } from '../formulas';
import { pair, type ConvLayer, type PoolLayer } from '../spec';

export interface AxisWindows {
  /** Input size along the axis, before padding. */
  size: number;
  padding: number;
  /** size + 2·padding. */
  padded: number;
  kernel: number;
  stride: number;
  dilation: number;
  /** The span of one window: D·(K − 1) + 1. */
  kEff: number;
  /** Start of each window in padded coordinates (0 = the first padding pixel). */
  starts: number[];
  /** Padded pixels after the last window's right edge that no window reaches (negative: it hangs over, ceil mode). */
  remainder: number;
  ceilMode: boolean;
}

/** The windows along one axis: floor mode stops at the last window that fits; ceil mode adds one that may hang over but starts inside the input. */
export function axisWindows(size: number, kernel: number, stride: number, padding: number, dilation = 1, ceilMode = false): AxisWindows {
  const kEff = effectiveKernel(kernel, dilation);
  const padded = size + 2 * padding;
  const starts: number[] = [];
  for (let at = 0; at + kEff <= padded; at += stride) starts.push(at);
  if (ceilMode && starts.length > 0) {
    const next = starts[starts.length - 1]! + stride;
    if (next + kEff > padded && next < padded - kEff + stride && next < size + padding) starts.push(next);
  }
  const last = starts.length ? starts[starts.length - 1]! + kEff : 0;
  return { size, padding, padded, kernel, stride, dilation, kEff, starts, remainder: padded - last, ceilMode };
}

export interface LayerWindows {
  height: AxisWindows;
  width: AxisWindows;
}

/** Both axes of a conv or pool layer on an H×W input; null for padding the picture does not draw ('same', 'valid', uneven sides). */
export function layerWindows(layer: ConvLayer | PoolLayer, height: number, width: number): LayerWindows | null {
  const [kh, kw] = pair(layer.kernel, 1);
  const [sh, sw] = pair(layer.stride, layer.kind === 'conv' ? 1 : kh);
  const [dh, dw] = layer.kind === 'conv' ? pair(layer.dilation, 1) : [1, 1];
  const p = layer.padding ?? 0;
  if (typeof p === 'string' || (Array.isArray(p) && p.length !== 2)) return null;
  const [ph, pw] = pair(p as number | readonly [number, number], 0);
  const ceil = layer.kind !== 'conv' && layer.ceilMode === true;
  return { height: axisWindows(height, kh, sh, ph, dh, ceil), width: axisWindows(width, kw, sw, pw, dw, ceil) };
}
