/** What a zoo entry is: a named spec with its source, its counting convention and the figures it must match. */
import type { Spec } from '../spec';

/** Figures published by the source the entry follows; the tests assert the analysis reproduces them. */
export interface PublishedFigures {
  /** Exact parameter count (torchvision's num_params, or the paper's when exact). */
  params?: number;
  /** Multiply-accumulates as published (torchvision's "GFLOPS" column is GMACs; ResNet's "FLOPs" are multiply-adds). */
  macs?: number;
  /** The rounding step of `macs` (0.01e9 for "4.09 G"); the analysis must round to the same figure. */
  macsStep?: number;
  /**
   * How `macs` was rounded: 'nearest' (torchvision), or 'nearest-or-truncate' for a source that did
   * both (ResNet's Table 1 prints 3.66 as 3.6 but 7.57 as 7.6).
   */
  macsRounding?: 'nearest' | 'nearest-or-truncate';
  /** Where the figures come from. */
  source: string;
}

/** The Keras Applications model an entry is, with the count Keras publishes for it. */
export interface KerasModel {
  /** Its name in `keras.applications` (`ResNet50`, `VGG16`). */
  model: string;
  /** Keras's `model.count_params()`: trainable and non-trainable weights (batch-norm running statistics included). */
  params: number;
  /** True when Keras builds every conv with a bias, also in front of a batch norm (its v1 ResNets), where the zoo's spec has none. */
  convBias: boolean;
  /** Where the count comes from. */
  source: string;
}

export interface ZooEntry {
  /** torchvision's name where torchvision has the network. */
  id: string;
  name: string;
  year: number;
  /** Which implementation or paper the spec follows. */
  source: string;
  /** Counting convention: biases? batch norm? input size? */
  convention: string;
  spec: Spec;
  published?: PublishedFigures;
  /** Set when Keras Applications has this network: only then may a count be called Keras's. */
  keras?: KerasModel;
  /** Known disagreements with other sources (a lecture's arithmetic, a paper's table). */
  notes?: string;
}
