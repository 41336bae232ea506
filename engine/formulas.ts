/**
 * The arithmetic of convolutional networks, one small pure function per formula.
 *
 * One source of truth: the analysis, the question families and the tests all call these.
 * Sizes are along one axis unless a name says otherwise.
 */
import type { ReceptiveField } from './analysis-types';

/** Effective (dilated) kernel extent: k_eff = d·(k − 1) + 1. */
export function effectiveKernel(k: number, d = 1): number {
  return d * (k - 1) + 1;
}

/**
 * Output size of a convolution or pooling window with `p` padding on EACH side:
 * out = floor((w + 2p − d(k−1) − 1) / s) + 1.
 * (The lecture's (W − F + 2P)/S + 1 when d = 1.) For asymmetric padding use {@link windowOutput}.
 */
export function convOutput(w: number, k: number, s = 1, p = 0, d = 1): number {
  return windowOutput(w, k, s, p, p, d);
}

/**
 * Output size with padding `pBefore` (top/left) and `pAfter` (bottom/right):
 * floor mode: out = floor((w + pTotal − d(k−1) − 1) / s) + 1, pTotal = pBefore + pAfter;
 * ceil mode (Caffe, PyTorch `ceil_mode=True`): out = ceil((w + pTotal − d(k−1) − 1) / s) + 1,
 * then minus 1 if that last window would start at or past w + pBefore (PyTorch's rule: the last
 * window must start inside the input or the left padding).
 */
export function windowOutput(w: number, k: number, s: number, pBefore: number, pAfter: number, d = 1, ceilMode = false): number {
  const span = w + pBefore + pAfter - effectiveKernel(k, d);
  if (!ceilMode) return Math.floor(span / s) + 1;
  let out = Math.ceil(span / s) + 1;
  if ((out - 1) * s >= w + pBefore) out -= 1;
  return out;
}

/**
 * True when the windows tile the padded input exactly: (w + pTotal − d(k−1) − 1) mod s = 0.
 * When false, floor mode drops the last rows/columns and ceil mode adds a partial window.
 */
export function windowFitsExactly(w: number, k: number, s: number, pTotal: number, d = 1): boolean {
  return (w + pTotal - effectiveKernel(k, d)) % s === 0;
}

/** TF/Keras 'same' padding along one axis. */
export interface SamePadding {
  /** out = ceil(w / s) */
  out: number;
  /** total = max((out − 1)·s + d(k−1) + 1 − w, 0) */
  total: number;
  /** floor(total / 2) */
  before: number;
  /** total − before: the odd pixel goes at the bottom/right, as TF does */
  after: number;
}

/** 'same' padding (TF rule): out = ceil(w/s), total = max((out − 1)·s + k_eff − w, 0), extra at bottom/right. */
export function samePadding(w: number, k: number, s = 1, d = 1): SamePadding {
  const out = Math.ceil(w / s);
  const total = Math.max((out - 1) * s + effectiveKernel(k, d) - w, 0);
  const before = Math.floor(total / 2);
  return { out, total, before, after: total - before };
}

/** Conv parameters: kh·kw·(cin/groups)·cout weights, + cout biases when `bias`. */
export function convParams(kh: number, kw: number, cin: number, cout: number, groups = 1, bias = true): number {
  return kh * kw * (cin / groups) * cout + (bias ? cout : 0);
}

/** Conv multiply-accumulates: Hout·Wout·Cout·(kh·kw·Cin/groups). Biases add no MACs. */
export function convMacs(hout: number, wout: number, cout: number, kh: number, kw: number, cin: number, groups = 1): number {
  return hout * wout * cout * ((kh * kw * cin) / groups);
}

/** Dense parameters: in·units weights, + units biases when `bias`. */
export function denseParams(inUnits: number, units: number, bias = true): number {
  return inUnits * units + (bias ? units : 0);
}

/** Dense multiply-accumulates: in·units. */
export function denseMacs(inUnits: number, units: number): number {
  return inUnits * units;
}

/** Batch-norm parameters: 2C (γ, β), or 4C with the running mean and variance (Keras's count). */
export function bnParams(channels: number, bnStats = false): number {
  return (bnStats ? 4 : 2) * channels;
}

/** FLOPs counted as one multiply and one add per MAC: FLOPs = 2·MACs. */
export function flopsFromMacs(macs: number): number {
  return 2 * macs;
}

/** Number of values in a tensor: the product of its dimensions (H·W·C). */
export function valueCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The receptive field of a single input pixel: size 1, jump 1, centred on pixel 0. */
export const INPUT_FIELD: ReceptiveField = { size: 1, jump: 1, start: 0 };

/**
 * One step of the receptive-field recurrence through a window of size k, stride s, dilation d,
 * padding pBefore (top/left), with k_eff = d(k−1)+1:
 * size_out = size_in + (k_eff − 1)·jump_in;
 * jump_out = jump_in·s;
 * start_out = start_in + ((k_eff − 1)/2 − pBefore)·jump_in.
 * `start` is the centre of the first output unit's field in input-pixel coordinates (pixel 0 at 0).
 */
export function receptiveFieldStep(rf: ReceptiveField, k: number, s = 1, pBefore = 0, d = 1): ReceptiveField {
  const kEff = effectiveKernel(k, d);
  return {
    size: rf.size + (kEff - 1) * rf.jump,
    jump: rf.jump * s,
    start: rf.start + ((kEff - 1) / 2 - pBefore) * rf.jump,
  };
}

/** Receptive field of n stacked k×k stride-1 convs: n(k − 1) + 1. */
export function stackedReceptiveField(n: number, k: number): number {
  return n * (k - 1) + 1;
}
