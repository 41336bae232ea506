/**
 * "Make a question of this network": a `network` bank item appended to one of the instructor's
 * banks through the editor's own save path (the bank's text + appendItems + saveBankText), so the
 * item is parsed, checked (parse.ts, and the gate when the bank is published) and versioned as
 * any item the editor adds.
 */
import { appendItems } from '../bank-text';
import { getEditableBank, saveBankText } from '../models/authoring.server';
import { getDb, type Db } from '../../db/client';
import { networkItemProblems } from '../../engine/bank/item';
import type { NetworkItem } from '../../engine/bank/schema';

export type AddQuestionResult = { ok: true; bankId: string; version: number } | { ok: false; errors: Record<string, string> };

export async function addNetworkQuestion({ db = getDb(), userId, bankId, item, now }: { db?: Db; userId: number; bankId: string; item: NetworkItem; now: Date }): Promise<AddQuestionResult> {
  const problems = networkItemProblems(item);
  if (problems.length) return { ok: false, errors: Object.fromEntries(problems.map((p) => [p.path[0] === 'spec' ? 'form' : p.path[0]!, p.message])) };
  const editable = await getEditableBank({ db, userId, bankId });
  if (editable.parsed.items.some((i) => i.id === item.id)) return { ok: false, errors: { id: `the bank already has an item '${item.id}'; choose another id` } };
  const appended = appendItems(editable.yaml, [item as unknown as Record<string, unknown>]);
  if ('error' in appended) return { ok: false, errors: { bankId: appended.error } };
  const saved = await saveBankText({ db, userId, text: appended.text, bankId, now, baseVersion: editable.shown });
  if (!saved.ok) return { ok: false, errors: { form: saved.errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ') } };
  return { ok: true, bankId, version: saved.bank.version };
}
