/**
 * Upgrading banks written in the first range syntax, where a list's meaning hung on its length
 * (docs/decisions/0011-explicit-ranges-and-domains.md): one element was that value, two were an
 * inclusive [min, max], three or more were choices. Each upgrade rewrites to the explicit form
 * with the same meaning, leaves everything else as it was, and is idempotent (an upgraded bank
 * has no lists left to rewrite). Pure: callers read and write the stored texts.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { RangeSpec } from '../question';

/** A legacy list → the explicit range meaning the same values; anything else → null (nothing to upgrade). */
export function upgradeLegacyRange(value: unknown): RangeSpec | null {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number')) return null;
  const list = value as number[];
  if (list.length === 1) return list[0]!;
  if (list.length === 2) return { min: list[0]!, max: list[1]! };
  return { choices: [...list] };
}

/** The ranges of one stored item (a plain object from JSON), upgraded; `changed` false when there was nothing to do. */
export function upgradeItemRanges<T>(item: T): { item: T; changed: boolean } {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { item, changed: false };
  const ranges = (item as { ranges?: unknown }).ranges;
  if (ranges === null || typeof ranges !== 'object' || Array.isArray(ranges)) return { item, changed: false };
  let changed = false;
  const upgraded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ranges)) {
    const range = upgradeLegacyRange(value);
    upgraded[name] = range ?? value;
    if (range !== null) changed = true;
  }
  return changed ? { item: { ...item, ranges: upgraded }, changed } : { item, changed };
}

/** Every item of a stored bank (`{ items: [...] }`, as the database keeps versions), upgraded. */
export function upgradeStoredBank<T extends { items?: unknown }>(bank: T): { bank: T; changed: boolean } {
  if (!Array.isArray(bank.items)) return { bank, changed: false };
  let changed = false;
  const items = bank.items.map((it: unknown) => {
    const up = upgradeItemRanges(it);
    changed ||= up.changed;
    return up.item;
  });
  return changed ? { bank: { ...bank, items }, changed } : { bank, changed };
}

/**
 * A bank file's YAML text with every legacy list under `items[*].ranges` rewritten in flow
 * style (`size: [13, 227]` → `size: {min: 13, max: 227}`), comments and layout kept. A text
 * that does not parse is returned as it is: the bank parser reports it where it is read.
 */
export function upgradeBankYaml(text: string): { text: string; changed: boolean } {
  let doc: Document;
  try {
    doc = parseDocument(text, { uniqueKeys: false, merge: false });
  } catch {
    return { text, changed: false };
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return { text, changed: false };
  const list = doc.contents.get('items', true);
  if (!isSeq(list)) return { text, changed: false };
  let changed = false;
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const ranges = item.get('ranges', true);
    if (!isMap(ranges)) continue;
    for (const pair of ranges.items) {
      const value = pair.value;
      if (!isSeq(value) || !value.items.every((v) => isScalar(v) && typeof v.value === 'number')) continue;
      const range = upgradeLegacyRange(value.items.map((v) => (v as { value: number }).value));
      if (range === null) continue;
      const node = doc.createNode(range, { flow: true });
      // Keep what the author wrote around the list: `size: [13, 227] # the size`.
      node.comment = value.comment;
      node.commentBefore = value.commentBefore;
      pair.value = node;
      changed = true;
    }
  }
  return changed ? { text: doc.toString({ flowCollectionPadding: false }), changed } : { text, changed };
}
