/** Edits of a bank's YAML text that keep the rest of it as written, comments included (browser and server alike). */
import { isSeq, parseDocument } from 'yaml';

/**
 * Appends items to the bank's YAML text, keeping the rest of the text (comments included).
 * Returns an error message instead when the text is not YAML with an items list.
 */
export function appendItems(text: string, items: readonly Record<string, unknown>[]): { text: string } | { error: string } {
  const doc = parseDocument(text);
  if (doc.errors.length) return { error: `fix the YAML first: ${doc.errors[0]!.message.split('\n')[0]}` };
  const list = doc.get('items');
  if (list === undefined || list === null) doc.set('items', doc.createNode([...items]));
  else if (isSeq(list)) for (const item of items) list.add(doc.createNode(item));
  else return { error: "the bank's items is not a list" };
  return { text: doc.toString({ lineWidth: 0 }) };
}

