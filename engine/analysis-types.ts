import type { Layer, Shape } from './spec';

/** Receptive field along one axis: size, jump (effective stride) and start (centre of the first output unit's field, in input pixels). */
export interface ReceptiveField {
  size: number;
  jump: number;
  start: number;
}

/** One row of the analysis: a layer, or a block (whose parts follow it with depth + 1). */
export interface LayerAnalysis {
  /** Unique, path-like name: `conv1`, `inception3a/branch2/conv1`... */
  name: string;
  /** The layer's kind, or the block's kind for block rows (`inception`, `fire`...). */
  type: string;
  /** 0 for top-level rows; parts of a block or branch are deeper. */
  depth: number;
  /** H×W×C; a flattened or dense output is [units]. */
  output: number[];
  params: number;
  macs: number;
  /** Number of values this layer outputs (H·W·C). */
  activations: number;
  /** Height axis. */
  rf: ReceptiveField;
  /** Width axis (equal to rf for square kernels and inputs). */
  rfW: ReceptiveField;
  /** The spec layer this row describes. */
  layer: Layer;
  /** True for rows whose numbers are sums of the rows below them (blocks); totals skip them. */
  aggregate: boolean;
  /**
   * Conv and pool rows only: false when the windows do not tile the padded input exactly, so the
   * output size was rounded (floor, or ceil in ceil mode) and some input pixels are never read.
   */
  exact?: boolean;
}

export interface AnalysisTotals {
  params: number;
  macs: number;
  /** 2 × MACs */
  flops: number;
  /** Sum of every leaf layer's output values (the input not included). */
  activations: number;
}

export interface Analysis {
  input: Shape;
  output: number[];
  layers: LayerAnalysis[];
  totals: AnalysisTotals;
  /** The conventions used, stated in words for the summary's footer. */
  convention: { bias: boolean; bnStats: boolean; text: string };
}
