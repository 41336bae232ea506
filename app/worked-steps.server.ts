/**
 * The pictures of a generated item's worked steps, for the page beside its graded answer: the
 * window sliding over the padded input for a conv or pool output question, the receptive field
 * grown layer by layer for a field question. Computed here from the variant's spec (numbers
 * only) so the browser receives finished SVG and no drawing code.
 */
import { itemVariant } from '../engine/bank/item';
import type { BankItem } from '../engine/bank/schema';
import type { Variant } from '../engine/question';
import type { ConvLayer, PoolLayer } from '../engine/spec';
import { fieldLayers } from '../engine/steps/fields';
import { layerWindows } from '../engine/steps/windows';
import { fieldFigure, windowsFigure } from '../engine/steps/svg';
import type { StepFigure } from '../engine/steps/figure';

export type { StepFigure } from '../engine/steps/figure';

/** The figures of one variant: a single-window output question or a receptive-field question; [] otherwise. */
export function stepsOfVariant(v: Pick<Variant, 'spec' | 'source'>): StepFigure[] {
  const spec = v.spec;
  if (!spec || !v.source) return [];
  if (v.source.quantity === 'output' && spec.layers.length === 1) {
    const layer = spec.layers[0]!;
    if (layer.kind !== 'conv' && layer.kind !== 'maxpool' && layer.kind !== 'avgpool') return [];
    const [h, w] = spec.input;
    // A 1×1 stride-1 window (a projection) has nothing to step through.
    const windows = layerWindows(layer as ConvLayer | PoolLayer, h, w);
    if (!windows || (windows.height.kEff === 1 && windows.height.stride === 1 && windows.height.padding === 0)) return [];
    return [windowsFigure(windows)];
  }
  if (v.source.quantity === 'rf') {
    const layers = fieldLayers(spec.layers);
    return layers && layers.length > 0 ? [fieldFigure(layers)] : [];
  }
  return [];
}

/** The figures of a bank item for a seed (0 when null, as the item's face takes it): generated items only. */
export function stepsOf(item: BankItem, seed: number | null): StepFigure[] {
  if (item.kind !== 'generated') return [];
  return stepsOfVariant(itemVariant(item, seed ?? 0));
}
