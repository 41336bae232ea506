/** The titles of question families, by id, for the statistics tables (an id no family has stays as it is). */
import { getFamily, UnknownFamilyError } from '../../engine/families';

export function familyTitles(ids: readonly string[]): Record<string, string> {
  const titles: Record<string, string> = {};
  for (const id of ids) {
    try {
      titles[id] = getFamily(id).title;
    } catch (err) {
      if (!(err instanceof UnknownFamilyError)) throw err;
      titles[id] = id;
    }
  }
  return titles;
}
