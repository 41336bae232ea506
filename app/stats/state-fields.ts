/**
 * Number fields of a stored card state (reviews.stateBefore/stateAfter, written by submitReview
 * with JSON.stringify: `"key":value`, numbers, null and one boolean, no strings), read without
 * parsing the rest. The statistics read two or three fields of each of 100,000s of states:
 * JSON.parse of each (and the garbage it leaves) or the engines' JSON functions (PostgreSQL's
 * parse the text again for each field) cost most of a figure.
 */

/** A reader of the number field `key`: null for a JSON null; throws when the field is missing or not a number. */
export function stateField(key: string): (json: string) => number | null {
  if (!/^\w+$/.test(key)) throw new Error(`stateField: not a plain key: ${key}`);
  const marker = `"${key}":`;
  return (json) => {
    const at = json.indexOf(marker);
    if (at < 0) throw new Error(`stored card state: no ${key} in ${json}`);
    const start = at + marker.length;
    let end = start;
    while (end < json.length && json.charCodeAt(end) !== 44 /* , */ && json.charCodeAt(end) !== 125 /* } */) end++;
    const text = json.slice(start, end);
    if (text === 'null') return null;
    const value = Number(text);
    if (text.trim() === '' || Number.isNaN(value)) throw new Error(`stored card state: ${key} is not a number in ${json}`);
    return value;
  };
}

export const stateOf = stateField('state');
export const intervalOf = stateField('scheduledDays');
export const stabilityOf = stateField('stability');
export const lastReviewOf = stateField('lastReview');
