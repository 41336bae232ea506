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
  parameters: { name: string; range: number[]; description: string }[];
}
