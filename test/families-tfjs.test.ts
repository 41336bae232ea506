/**
 * A sample of every family whose variants have a spec, built and run in TensorFlow.js and
 * compared layer by layer with the engine's analysis (apart from test/families.test.ts so
 * the two can run side by side: tfjs on the CPU is the slow part).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../engine/analysis';
import { families, variantOf } from '../engine/families';
import type { Variant } from '../engine/question';
import type { Spec } from '../engine/spec';

function specOf(v: Variant): Spec {
  if (!v.spec) throw new Error(`${v.family} seed ${v.seed} has no spec`);
  return v.spec;
}

describe('a sample of each family, built and run in tfjs', () => {
  // Start on the CPU backend, as `verify` does in Node, before the first verification.
  beforeAll(async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    await tf.ready();
  });

  /** The two cheapest specs (MACs + 50·activations) of the first 40 seeds: tfjs on the CPU is slow and the machine is shared. */
  function sample(familyId: string): Variant[] {
    const cost = (v: Variant) => {
      const a = analyze(specOf(v));
      return a.totals.macs + 50 * a.totals.activations;
    };
    return Array.from({ length: 40 }, (_, seed) => variantOf(familyId, seed))
      .filter((v) => v.spec !== null)
      .sort((a, b) => cost(a) - cost(b))
      .slice(0, 2);
  }

  it.each(families.filter((f) => variantOf(f, 0).spec !== null).map((f) => f.id))('%s', async (id) => {
    const { verifySpec } = await import('../engine/tfjs/verify');
    // Receptive fields are measured on every row where they are the question, at the end elsewhere.
    const fields = id === 'receptive-field-stack' || id === 'stacked-3x3-vs-large' ? 'all' : 'final';
    const variants = sample(id);
    expect(variants).toHaveLength(2);
    for (const v of variants) {
      // tfjs has no gradient for dilated conv2d, so a dilated spec gets its structure checked only.
      const dilated = JSON.stringify(v.spec).includes('"dilation"');
      const result = await verifySpec(specOf(v), { receptiveField: dilated ? 'none' : fields });
      expect(result.layers.flatMap((l) => l.mismatches), `${id} seed ${v.seed}`).toEqual([]);
      expect(result.ok).toBe(true);
      if (v.source?.quantity === 'output') expect(result.layers[result.layers.length - 1]!.tfjs.output).toEqual(v.answer.value);
    }
  });
});
