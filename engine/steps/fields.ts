/**
 * A receptive field grown layer by layer: each window layer adds (K_eff − 1)·J input pixels,
 * J the product of the strides before it. The numbers behind the field drawing.
 */
import { effectiveKernel } from '../formulas';
import { pair, type Layer } from '../spec';

export interface FieldLayer {
  name: string;
  kernel: number;
  stride: number;
  dilation: number;
  kEff: number;
  /** The jump (input pixels between neighbouring units) this layer's window steps over. */
  jumpBefore: number;
  /** Pixels this layer adds: (K_eff − 1)·J. */
  added: number;
  /** The field of one of this layer's units, in input pixels along one axis. */
  size: number;
}

/** The field through a chain of conv and pool layers (one axis, the height); null when a layer is not a window. */
export function fieldLayers(layers: readonly Layer[]): FieldLayer[] | null {
  const out: FieldLayer[] = [];
  let size = 1;
  let jump = 1;
  for (const l of layers) {
    if (l.kind !== 'conv' && l.kind !== 'maxpool' && l.kind !== 'avgpool') return null;
    const [k] = pair(l.kernel, 1);
    const [s] = pair(l.stride, l.kind === 'conv' ? 1 : k);
    const [d] = l.kind === 'conv' ? pair(l.dilation, 1) : [1];
    const kEff = effectiveKernel(k, d);
    const added = (kEff - 1) * jump;
    size += added;
    out.push({ name: l.name ?? l.kind, kernel: k, stride: s, dilation: d, kEff, jumpBefore: jump, added, size });
    jump *= s;
  }
  return out;
}
