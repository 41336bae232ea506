/**
 * The names the statistics pages give card kinds and states, shared by the charts (server) and
 * the tables (page): a .server module's exports do not reach the browser, so they live here.
 */

/** The card kinds of a review, in the order Anki stacks them; a new card's first review counts as learning, as in Anki. */
export const reviewKinds = ['learning', 'young', 'mature', 'relearning'] as const;
export type ReviewKind = (typeof reviewKinds)[number];
export const reviewKindNames: Record<ReviewKind, string> = { learning: 'Learning', young: 'Young', mature: 'Mature', relearning: 'Relearning' };

/** Anki's card counts: each card once (suspended, then buried, then by state). */
export const cardStates = ['new', 'learning', 'relearning', 'young', 'mature', 'suspended', 'buried'] as const;
export type CardState = (typeof cardStates)[number];
export const cardStateNames: Record<CardState, string> = {
  new: 'New',
  learning: 'Learning',
  relearning: 'Relearning',
  young: 'Young',
  mature: 'Mature',
  suspended: 'Suspended',
  buried: 'Buried',
};
