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
  /**
   * Output values of every leaf layer (the input not included), ReLU, dropout and batch norm
   * included even where a framework runs them in place: VGG-16 28,701,160.
   */
  activations: number;
  /**
   * Values held in the forward pass as the lecture's VGG-16 table counts its "memory": the input
   * plus the output of every conv, pool and dense layer (a pool that returns its input unchanged,
   * such as torchvision's 7×7 adaptive pool on a 7×7 map, adds nothing; ReLU, dropout, batch norm,
   * LRN, flatten, concat and add add nothing). VGG-16 15,237,608 (the lecture's slide says 24M).
   * A count of values, not bytes (×4 for float32).
   */
  memory: number;
}

export interface Analysis {
  input: Shape;
  /** The network's final output (H×W×C, or [units]): a concat's or an add's result when the network ends in one. */
  output: number[];
  layers: LayerAnalysis[];
  totals: AnalysisTotals;
  /** The conventions used, stated in words for the summary's footer. */
  convention: { bias: boolean; bnStats: boolean; convBias: boolean; text: string };
}
