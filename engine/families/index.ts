/**
 * Every question family, by id. A variant is a pure function of (family, seed, options):
 * `variantOf` is the one place that joins them, for the CLI, the app and the tests alike.
 */
import type { Family, FamilyOptions, Variant } from '../question';
import { createRng } from '../random';
import { convOutputSize, poolOutputSize } from './conv-arithmetic';
import { densenetChannels } from './densenet';
import { fractalnetPaths, stochasticDepthExpected } from './depth';
import { inceptionBottleneckMacs, inceptionNaiveMacs, inceptionOutputDepth, oneByOneProjection } from './inception';
import { activationMemory } from './memory';
import { convParamsFamily, fcParamsFamily, locallyConnectedParams, networkParamsFamily } from './parameters';
import { receptiveFieldStack, stacked3x3VsLarge } from './receptive-field';
import { groupedConvParams, resnetBlockMacs, resnetBlockParams, wideResnetWidening } from './resnet';
import { fireModuleParams, squeezenetCompression } from './squeezenet';

export const families: Family[] = [
  convOutputSize,
  poolOutputSize,
  convParamsFamily,
  fcParamsFamily,
  networkParamsFamily,
  activationMemory,
  receptiveFieldStack,
  stacked3x3VsLarge,
  oneByOneProjection,
  inceptionOutputDepth,
  inceptionNaiveMacs,
  inceptionBottleneckMacs,
  resnetBlockParams,
  resnetBlockMacs,
  groupedConvParams,
  wideResnetWidening,
  densenetChannels,
  fireModuleParams,
  squeezenetCompression,
  stochasticDepthExpected,
  fractalnetPaths,
  locallyConnectedParams,
];

const byId = new Map(families.map((f) => [f.id, f]));

/** Thrown for an id that names no family; the message lists the ids. */
export class UnknownFamilyError extends Error {
  override name = 'UnknownFamilyError';
  constructor(readonly id: string) {
    super(`unknown question family '${id}'; families: ${families.map((f) => f.id).join(', ')}`);
  }
}

export function getFamily(id: string): Family {
  const family = byId.get(id);
  if (!family) throw new UnknownFamilyError(id);
  return family;
}

/** The variant of `family` for `seed`: the same on every machine, server or browser. */
export function variantOf(family: Family | string, seed: number, options?: FamilyOptions): Variant {
  const f = typeof family === 'string' ? getFamily(family) : family;
  return { family: f.id, seed, ...f.generate(createRng(seed), options) };
}

export { measureSource } from './measure';
