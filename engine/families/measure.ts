/** Recomputing a variant's answer from the analysis of its spec, as its `source` says. */
import { analyze } from '../analysis';
import type { AnswerSource } from '../question';
import type { Spec } from '../spec';

/** The quantity `source` names, from analyze(spec): a shape for 'output', else a number. */
export function measureSource(spec: Spec, source: AnswerSource): number | number[] {
  const analysis = analyze(spec, { bias: source.bias ?? true });
  const row = source.row === undefined ? undefined : analysis.layers.find((r) => r.name === source.row);
  if (source.row !== undefined && !row) throw new RangeError(`no row '${source.row}' in the analysis of ${spec.name ?? 'the spec'}; rows: ${analysis.layers.map((r) => r.name).join(', ')}`);
  const factor = source.factor ?? 1;
  const output = row ? row.output : analysis.output;
  switch (source.quantity) {
    case 'output':
      return output;
    case 'channels':
      return output[output.length - 1]!;
    case 'params':
      return factor * (row ? row.params : analysis.totals.params);
    case 'macs':
      return factor * (row ? row.macs : analysis.totals.macs);
    case 'flops':
      return factor * (row ? 2 * row.macs : analysis.totals.flops);
    case 'activations':
      return factor * (row ? row.activations : analysis.totals.activations);
    case 'rf': {
      const last = row ?? [...analysis.layers].reverse().find((r) => r.depth === 0);
      if (!last) throw new RangeError(`${spec.name ?? 'the spec'} has no layers`);
      return factor * last.rf.size;
    }
  }
}
