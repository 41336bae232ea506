/**
 * The regions of a stored review or quiz answer: the variant rebuilt from item + seed (a pure
 * function), read by engine/regions. Written with each row; older rows (null) are regrouped
 * from the same function at read time (docs/decisions/0030-analytics-by-region.md).
 */
import { itemVariant, parseStoredItem } from '../../engine/bank/item';
import { regionsOf, type Regions } from '../../engine/regions';

export type { Regions };

export interface StoredItemRef {
  bankId: string;
  id: string;
  content: string;
}

/** The regions of item `row`'s variant for `seed`; null for a fact, a null seed, or an item that no longer parses. */
export function itemRegions(row: StoredItemRef, seed: number | null): Regions | null {
  if (seed === null) return null;
  try {
    const item = parsedItem(row);
    return item.kind === 'generated' ? regionsOf(itemVariant(item, seed)) : null;
  } catch {
    // Analytics metadata never blocks a review: an unreadable item stores no regions.
    return null;
  }
}

// Regrouping old rows rebuilds thousands of variants of the same few items: parse each item text once.
const parsed = new Map<string, ReturnType<typeof parseStoredItem>>();
function parsedItem(row: StoredItemRef): ReturnType<typeof parseStoredItem> {
  const key = `${row.bankId}\u0000${row.id}\u0000${row.content}`;
  let item = parsed.get(key);
  if (!item) {
    item = parseStoredItem({ bankId: row.bankId, itemId: row.id, content: row.content });
    if (parsed.size >= 512) parsed.clear();
    parsed.set(key, item);
  }
  return item;
}

/** The `regions` column for a row: JSON { feature: region }, or null. */
export function regionsColumn(row: StoredItemRef, seed: number | null): string | null {
  const r = itemRegions(row, seed);
  return r ? JSON.stringify(r) : null;
}

/** A stored `regions` column read back; null for null or a value that is not { string: string }. */
export function parseRegionsColumn(text: string | null): Regions | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.every(([, r]) => typeof r === 'string') ? (Object.fromEntries(entries) as Regions) : null;
  } catch {
    return null;
  }
}
