/**
 * What the bank editor's page and the authoring model agree on (no server code here: the browser
 * imports it): the preview's sample bounds, how many items a page of the editor shows, and the
 * shape of a family the "add an item" form offers.
 */

/** Samples drawn per generated item in the preview and before publishing. */
export const DEFAULT_SAMPLES = 5;
/** More would make one preview request slow for everyone on the server. */
export const MAX_SAMPLES = 20;

/** A family as the editor's item builder offers it. */
export interface FamilyChoice {
  id: string;
  title: string;
  topic: string;
  /** `range`: the family's default in the bank syntax, e.g. {min: 13, max: 227}. */
  parameters: { name: string; range: string; description: string }[];
}

/**
 * Items one page of the editor shows, edits and previews. A bank with more is edited a page at a
 * time (the page's items with the manifest), so no page ships or previews thousands of items.
 */
export const EDITOR_PAGE_ITEMS = 25;

/** Where a page of the editor sits in its bank. */
export interface EditorPage {
  /** 1-based. */
  number: number;
  pages: number;
  /** Index of the page's first item in the bank. */
  start: number;
  /** Items on the page. */
  count: number;
  /** Items in the bank. */
  total: number;
}

/** Page `asked` (clamped to the bank) of a bank of `total` items. */
export function editorPage(total: number, asked = 1): EditorPage {
  const pages = Math.max(1, Math.ceil(total / EDITOR_PAGE_ITEMS));
  const number = Math.min(pages, Math.max(1, Math.trunc(asked) || 1));
  const start = (number - 1) * EDITOR_PAGE_ITEMS;
  return { number, pages, start, count: Math.max(0, Math.min(EDITOR_PAGE_ITEMS, total - start)), total };
}
