/**
 * The questions the engine panel's benchmark checks (web.engine_check.*, test/bench/web.bench.ts):
 * variants of every family that has a network, round-robin over families and seeds, so 20 of
 * them span conv arithmetic, parameters, receptive fields, inception, ResNet, SquezeNet, DenseNet.
 * /engine-check?questions=N shows them one after another in one page.
 */
import { families, variantOf } from '../../engine/families';
import type { Variant } from '../../engine/question';

export function benchQuestions(count: number): Variant[] {
  const chosen: Variant[] = [];
  for (let seed = 1; chosen.length < count && seed <= 50; seed++) {
    for (const family of families) {
      if (chosen.length >= count) break;
      const v = variantOf(family, seed);
      if (v.spec) chosen.push(v);
    }
  }
  return chosen;
}
