/** The architecture zoo: named specs of the chapter's networks, each matching its source's published figures. */
import { UnknownArchError } from '../errors';
import { alexnet, alexnetCs231n, zfnet } from './alexnet';
import { densenets } from './densenet';
import type { ZooEntry } from './entry';
import { googlenet } from './googlenet';
import { inceptionBottleneck, inceptionNaive } from './inception';
import { ninCifar10 } from './nin';
import { resnets } from './resnet';
import { squeezenets } from './squeezenet';
import { vggs } from './vgg';

export type { KerasModel, PublishedFigures, ZooEntry } from './entry';
export { CONVENTION_NAMES, networkConvention, type ConventionName, type NetworkConvention } from './conventions';
export { INCEPTION_WIDTHS, paperInceptionModule, type InceptionWidths } from './googlenet';

/** Every entry, roughly in the lecture's order. */
export const zoo: ZooEntry[] = [
  alexnetCs231n,
  alexnet,
  zfnet,
  ...vggs,
  googlenet,
  inceptionNaive,
  inceptionBottleneck,
  ...resnets,
  ninCifar10,
  ...densenets,
  ...squeezenets,
];

const byId = new Map(zoo.map((e) => [e.id, e]));

/** The entry with this id; throws UnknownArchError listing the known ids. */
export function getArch(id: string): ZooEntry {
  const entry = byId.get(id);
  if (!entry) throw new UnknownArchError(id, zoo.map((e) => e.id));
  return entry;
}

/** The ids of the zoo, in order. */
export function archIds(): string[] {
  return zoo.map((e) => e.id);
}
