/**
 * Joins a cloze's blanks into one answer field (U+241F SYMBOL FOR UNIT SEPARATOR: nobody types it).
 * Shared by the pages and the grader; a module of its own so an answer box imports it without the grader.
 */
export const CLOZE_SEPARATOR = '\u241f';
