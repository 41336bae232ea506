/**
 * A bank item as a student meets it, on a real SQLite file with the CS231n bank loaded: the
 * instructor's preview shows a cloze exactly as the review presents it, and a stored item that no
 * longer parses is a clear error naming its bank and item (a 500 from the routes), not a crash.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bankVersions, items } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { loadContentBanks, readBank } from '../../app/content.server';
import { getEditableBank, latestStoredBank, previewBank, saveBankText, type FactPreview } from '../../app/models/authoring.server';
import { getItemForUser } from '../../app/models/bank.server';
import { quizPage, startQuiz } from '../../app/models/quiz.server';
import { gradeItem, parseStoredItem, presentItem, storedItemFailureAsHttp, StoredItemError } from '../../app/study.server';
import { CLOZE_SEPARATOR, clozeDeletions } from '../../engine/bank/cloze';
import { addUser, openTempDb, type TempDb } from './fixture';

let t: TempDb;
let student: number;
const now = new Date('2025-03-03T12:00:00Z');

beforeEach(async () => {
  t = await openTempDb();
  await loadContentBanks({ db: t.db, now });
  student = await addUser(t.db, { email: 'sam@example.test', role: 'student' });
});
afterEach(() => t.close());

/** What the review loader sends for an item: the stored row, parsed, presented. */
async function reviewCard(itemId: string) {
  const row = await getItemForUser({ db: t.db, userId: student, itemId });
  if (!row) throw new Error(`no item ${itemId}`);
  const item = parseStoredItem({ bankId: row.bankId, itemId: row.id, content: row.content });
  return { item, card: presentItem(row.id, item, null) };
}

describe('the preview shows a cloze as the review does', () => {
  test('every cloze of content/banks/cs231n: the preview’s front is the review’s prompt, its back what the review shows after the answer', async () => {
    const previews = previewBank(readBank('content/banks/cs231n')).filter((p): p is FactPreview => p.kind === 'cloze');
    expect(previews.length).toBeGreaterThan(5);
    for (const preview of previews) {
      const { item, card } = await reviewCard(`cs231n/${preview.itemId}`);
      expect(preview.frontHtml, preview.itemId).toBe(card.promptHtml);
      if (item.kind !== 'cloze') throw new Error(`${preview.itemId} is not a cloze`);
      const deletions = clozeDeletions(item.text);
      // The blanks are numbered like the answer fields, hints shown; no answer leaks.
      deletions.forEach((d, i) => expect(card.promptHtml).toContain(`<strong>[${i + 1}${d.hint ? `: ${d.hint}` : ''} …]</strong>`));
      expect(card.blanks).toBe(deletions.length);
      const graded = gradeItem(item, null, deletions.map((d) => d.answer).join(CLOZE_SEPARATOR));
      expect(graded.correct, preview.itemId).toBe(true);
      expect(preview.backHtml).toBe(graded.answerHtml + graded.explanationHtml);
    }
  });
});

describe('a stored item that no longer parses', () => {
  async function corrupt(id: string, content: string) {
    await t.db.update(items).set({ content }).where(eq(items.id, id));
  }

  test('names the bank, the item and what failed; the routes answer 500 with that message', async () => {
    const row = (await t.db.select().from(items).where(eq(items.bankId, 'cs231n'))).find((r) => r.kind === 'cloze')!;
    const stored = JSON.parse(row.content) as Record<string, unknown>;
    await corrupt(row.id, JSON.stringify({ ...stored, text: 42, tags: 'alexnet' }));
    const message = `bank cs231n, item ${row.id}: the stored item no longer fits the bank format: tags: tags must be a list of kebab-case names, e.g. [alexnet]; text: text must be a string (Markdown, $…$ for KaTeX)`;
    const read = () => reviewCard(row.id);
    await expect(read()).rejects.toThrow(StoredItemError);
    await expect(read()).rejects.toThrow(message);

    let response: unknown;
    try {
      await storedItemFailureAsHttp(read);
    } catch (err) {
      response = err;
    }
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(500);
    return expect((response as Response).text()).resolves.toBe(message);
  });

  test('text that is not JSON is named too, and a quiz over the bank says which item broke', async () => {
    const row = (await t.db.select().from(items).where(eq(items.bankId, 'cs231n'))).find((r) => r.kind === 'choice')!;
    const attempt = await startQuiz({ db: t.db, userId: student, build: { banks: ['cs231n'], topics: [row.topic], tags: [], families: [], count: 50, timeLimitMinutes: null, mode: 'practice' }, now });
    await corrupt(row.id, '{"id": "truncated');
    await expect(quizPage({ db: t.db, userId: student, attemptId: attempt.id, now })).rejects.toThrow(
      new RegExp(`^bank cs231n, item ${row.id.replace('/', '\\/')}: the stored item is not JSON \\(`),
    );
  });
});

describe('a stored bank version that no longer parses', () => {
  const YAML = 'id: my-bank\ntitle: My bank\ndescription: Mine\nversion: 1.0.0\nitems:\n  - id: one\n    kind: basic\n    topic: vgg\n    front: Depth of VGG-16?\n    back: 16 weight layers\n    tags: []\n';

  test('the editor and the latest-version reader name the bank and what failed, not a TypeError', async () => {
    const instructor = await addUser(t.db, { email: 'ines@example.test', role: 'instructor' });
    expect((await saveBankText({ db: t.db, userId: instructor, text: YAML, now })).ok).toBe(true);
    expect((await getEditableBank({ db: t.db, userId: instructor, bankId: 'my-bank' })).parsed.items.map((i) => i.id)).toEqual(['one']);
    // A version row whose items are gone (a format change, a hand edit): before, `stored.items.map` crashed.
    await t.db.update(bankVersions).set({ content: JSON.stringify({ id: 'my-bank', title: 'My bank' }) }).where(eq(bankVersions.bankId, 'my-bank'));
    const failure = await getEditableBank({ db: t.db, userId: instructor, bankId: 'my-bank' }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(StoredItemError);
    expect((failure as Error).message).toMatch(/^bank my-bank: the stored version no longer fits: items: /);
    await expect(latestStoredBank({ db: t.db, bankId: 'my-bank' })).rejects.toThrow(/^bank my-bank: the stored version no longer fits: items: /);
    await t.db.update(bankVersions).set({ content: '{"id": "my-bank", ' }).where(eq(bankVersions.bankId, 'my-bank'));
    await expect(latestStoredBank({ db: t.db, bankId: 'my-bank' })).rejects.toThrow(/^bank my-bank: the stored version no longer fits: not JSON \(/);
  });
});
