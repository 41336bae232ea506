import type { Layer } from './spec';

/**
 * The path-like names of a spec's layers (`conv1`, `inception3a/branch2/conv1`): the analysis
 * and the tfjs builder both name rows with this, so their rows match one for one.
 */
export class LayerPaths {
  private readonly used = new Set<string>();

  /**
   * Names for the layers of one sequence under `scope`: a layer's own name, else its kind and
   * its count in the sequence (`relu3`); a path already taken gets `_2`, `_3`…
   */
  namer(scope: string): (layer: Layer) => string {
    const counts = new Map<string, number>();
    return (layer) => {
      const n = (counts.get(layer.kind) ?? 0) + 1;
      counts.set(layer.kind, n);
      const local = layer.name ?? `${layer.kind}${n}`;
      const path = scope ? `${scope}/${local}` : local;
      let candidate = path;
      for (let i = 2; this.used.has(candidate); i++) candidate = `${path}_${i}`;
      this.used.add(candidate);
      return candidate;
    };
  }
}
