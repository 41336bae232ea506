/**
 * The three counting conventions a summary or the explorer can select, per network.
 *
 * A convention carries a library's name only where it reproduces that library's published count
 * for that network (docs/decisions/0012-output-conventions-memory.md): `torchvision` for the
 * entries torchvision builds, `keras` for the entries Keras Applications has (with Keras's own
 * build: its v1 ResNets keep a bias on every conv). Elsewhere the same rule is applied to the
 * zoo's spec and described by what it counts, with no library's name on it.
 */
import type { AnalyzeOptions } from '../analysis';
import type { ZooEntry } from './entry';

export const CONVENTION_NAMES = ['torchvision', 'keras', 'lecture'] as const;
export type ConventionName = (typeof CONVENTION_NAMES)[number];

export interface NetworkConvention {
  name: ConventionName;
  /** The options to analyse this network with. */
  options: AnalyzeOptions;
  /** What the params count includes, in words. */
  counts: string;
  /** The published count this convention reproduces for this network, or null when none is recorded. */
  published: { by: string; params: number; source: string } | null;
  /** A label for a table: the library's name when `published`, else what it counts and that no such figure exists. */
  label: string;
}

const TORCHVISION_COUNTS = 'weights, biases, batch-norm γ and β';
const KERAS_RULE_COUNTS = 'weights, biases, batch-norm γ, β and running mean and variance';
const KERAS_BIAS_COUNTS = 'weights, a bias on every conv, batch-norm γ, β and running mean and variance';
const LECTURE_COUNTS = 'weights only, no biases';

/** The options and name a convention has for `entry`. */
export function networkConvention(entry: ZooEntry, name: ConventionName): NetworkConvention {
  switch (name) {
    case 'torchvision': {
      const built = entry.source.startsWith('torchvision.models.') && entry.published?.params !== undefined;
      const published = built ? { by: `torchvision.models.${entry.id}`, params: entry.published!.params!, source: entry.published!.source } : null;
      return {
        name,
        options: {},
        counts: TORCHVISION_COUNTS,
        published,
        label: published ? `torchvision (${published.by}): ${TORCHVISION_COUNTS}` : `${capital(TORCHVISION_COUNTS)} (torchvision's rule; torchvision publishes no count for this network)`,
      };
    }
    case 'keras': {
      const keras = entry.keras;
      if (!keras) {
        return {
          name,
          options: { bnStats: true },
          counts: KERAS_RULE_COUNTS,
          published: null,
          label: `${capital(KERAS_RULE_COUNTS)} (Keras's count_params rule; Keras Applications has no such network, so this is not a Keras figure)`,
        };
      }
      const counts = keras.convBias ? KERAS_BIAS_COUNTS : KERAS_RULE_COUNTS;
      const by = `keras.applications.${keras.model}`;
      return {
        name,
        options: { bnStats: true, ...(keras.convBias ? { convBias: true } : {}) },
        counts,
        published: { by, params: keras.params, source: keras.source },
        label: `Keras (${by}): ${counts}`,
      };
    }
    case 'lecture':
      return { name, options: { bias: false }, counts: LECTURE_COUNTS, published: null, label: `${capital(LECTURE_COUNTS)}, as the lecture's tables count (the '35K' of AlexNet's CONV1)` };
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
