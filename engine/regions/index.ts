/**
 * Each family's regions, by family id. `regionsOf(variant)` gives { feature: region } for a
 * variant (stored with each review, regrouped by the analytics); `featuresOf(familyId)` the
 * declared features and regions with their labels (what the analytics and the aiming rule list).
 */
import { getFamily } from '../families';
import type { Variant } from '../question';
import { convOutputSizeRegions, poolOutputSizeRegions } from './conv-arithmetic';
import { densenetRegions } from './densenet';
import { fractalnetRegions, stochasticDepthRegions } from './depth';
import { inceptionBottleneckMacsRegions, inceptionNaiveMacsRegions, inceptionOutputDepthRegions, oneByOneRegions } from './inception';
import type { FeatureInfo, FeatureRule } from './kit';
import { activationMemoryRegions } from './memory';
import { convParamsRegions, fcParamsRegions, locallyConnectedRegions, networkParamsRegions } from './parameters';
import { receptiveFieldStackRegions, stacked3x3Regions } from './receptive-field';
import { groupedConvRegions, resnetBlockMacsRegions, resnetBlockParamsRegions, wideResnetRegions } from './resnet';
import { fireModuleRegions, squeezenetCompressionRegions } from './squeezenet';

export type { FeatureInfo, RegionInfo } from './kit';

/** { feature id: region id } of one variant. */
export type Regions = Record<string, string>;

const rules: Readonly<Record<string, readonly FeatureRule[]>> = {
  'conv-output-size': convOutputSizeRegions,
  'pool-output-size': poolOutputSizeRegions,
  'conv-params': convParamsRegions,
  'fc-params': fcParamsRegions,
  'network-params': networkParamsRegions,
  'activation-memory': activationMemoryRegions,
  'receptive-field-stack': receptiveFieldStackRegions,
  'stacked-3x3-vs-large': stacked3x3Regions,
  'one-by-one-projection': oneByOneRegions,
  'inception-output-depth': inceptionOutputDepthRegions,
  'inception-naive-macs': inceptionNaiveMacsRegions,
  'inception-bottleneck-macs': inceptionBottleneckMacsRegions,
  'resnet-block-params': resnetBlockParamsRegions,
  'resnet-block-macs': resnetBlockMacsRegions,
  'grouped-conv-params': groupedConvRegions,
  'wide-resnet-widening': wideResnetRegions,
  'densenet-channels': densenetRegions,
  'fire-module-params': fireModuleRegions,
  'squeezenet-compression': squeezenetCompressionRegions,
  'stochastic-depth-expected': stochasticDepthRegions,
  'fractalnet-paths': fractalnetRegions,
  'locally-connected-params': locallyConnectedRegions,
};

function rulesOf(familyId: string): readonly FeatureRule[] {
  const found = rules[familyId];
  if (!found) {
    getFamily(familyId); // throws UnknownFamilyError for an id that names no family
    throw new RangeError(`family '${familyId}' declares no regions`);
  }
  return found;
}

/** The region of each feature of `variant`: total (one declared region per feature) and pure. */
export function regionsOf(variant: Variant): Regions {
  const out: Regions = {};
  for (const rule of rulesOf(variant.family)) out[rule.id] = rule.regionOf(variant);
  return out;
}

/** True when `familyId` names a family with declared regions. */
export function hasRegions(familyId: string): boolean {
  return rules[familyId] !== undefined;
}

/** The features a family declares, each with its regions, labels in plain English. */
export function featuresOf(familyId: string): FeatureInfo[] {
  return rulesOf(familyId).map(({ id, label, regions }) => ({ id, label, regions: regions.map((r) => ({ ...r })) }));
}

/** Regions the family's own generator never draws (a bank's ranges may), by feature, with the reason. */
export function unreachableRegions(familyId: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const rule of rulesOf(familyId)) if (Object.keys(rule.unreachable).length > 0) out[rule.id] = { ...rule.unreachable };
  return out;
}

/** The label of a feature and of one of its regions, for display; ids stand in for unknown ones (an older stored row). */
export function regionLabel(familyId: string, featureId: string, regionId: string): { feature: string; region: string } {
  const feature = rules[familyId]?.find((f) => f.id === featureId);
  return { feature: feature?.label ?? featureId, region: feature?.regions.find((r) => r.id === regionId)?.label ?? regionId };
}
