/**
 * The bank editor's jobs, on either engine: saving one page of a large bank puts its items back
 * in place, and a page opened before another page was saved is refused whole instead of
 * rebuilding the bank from the older version (which would drop the other page's save), also when
 * the two saves come at once. The worker thread opens its own connection to the same database.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { BANK_JOB_ERRORS, bankJob, runBankJob, stopBankWorker } from '../../app/bank-jobs.server';
import { EDITOR_PAGE_ITEMS } from '../../app/bank-editor';
import { getEditableBank, saveBankText } from '../../app/models/authoring.server';
import { largeBankYaml } from '../bench/large-bank';
import { countRows, eachTestWithInstructor } from './fixture';

const each = eachTestWithInstructor();
const now = new Date('2025-03-03T12:00:00Z');
// Registered after the fixture's: runs first, so the worker's connection is closed before the database goes.
afterEach(() => stopBankWorker());

/** The page's text as the editor shows it: the manifest and the page's items, with one title changed. */
async function editedPage(page: number, title: string): Promise<string> {
  const bank = (await getEditableBank({ db: each.t.db, userId: each.instructor, bankId: 'large-bank' })).parsed;
  const start = (page - 1) * EDITOR_PAGE_ITEMS;
  const lines = ['id: large-bank', 'title: Large bank', `description: ${bank.description}`, `version: ${bank.version}`, 'items:'];
  for (const item of bank.items.slice(start, start + EDITOR_PAGE_ITEMS)) {
    if (item.kind !== 'generated') throw new Error('expected generated items');
    lines.push(`  - id: ${item.id}`, '    kind: generated', `    topic: ${item.topic}`, '    tags: []', `    title: ${item.id === `item-${start}` ? title : item.title}`, `    family: ${item.family}`);
  }
  return lines.join('\n') + '\n';
}

async function latest() {
  return getEditableBank({ db: each.t.db, userId: each.instructor, bankId: 'large-bank' });
}

const titleOf = (item: { kind: string; title?: string } | undefined) => (item?.kind === 'generated' ? item.title : null);

describe('saving a page of a large bank', () => {
  test('a page opened before another page was saved is refused, and nothing is written', async () => {
    expect((await saveBankText({ db: each.t.db, userId: each.instructor, text: largeBankYaml({ items: 3 * EDITOR_PAGE_ITEMS }), now })).ok).toBe(true);
    const opened = (await latest()).shown;
    // Two pages opened from the same version; page 1 is saved first.
    const first = await runBankJob({ kind: 'save-page', userId: each.instructor, bankId: 'large-bank', version: opened, page: 1, text: await editedPage(1, 'Edited on page one'), now }, each.t.db);
    expect(first.ok).toBe(true);
    const afterFirst = await latest();
    expect(titleOf(afterFirst.parsed.items[0])).toBe('Edited on page one');
    const second = await runBankJob({ kind: 'save-page', userId: each.instructor, bankId: 'large-bank', version: opened, page: 2, text: await editedPage(2, 'Edited on page two'), now }, each.t.db);
    expect(second).toEqual({ ok: false, errors: [{ path: 'bank', message: BANK_JOB_ERRORS.stalePage('large-bank', opened, afterFirst.shown) }] });
    const stayed = await latest();
    expect(stayed.shown).toBe(afterFirst.shown);
    expect(titleOf(stayed.parsed.items[0])).toBe('Edited on page one');
    // Opened again from the latest version, page 2 saves and page 1's edit stays.
    const again = await runBankJob({ kind: 'save-page', userId: each.instructor, bankId: 'large-bank', version: stayed.shown, page: 2, text: await editedPage(2, 'Edited on page two'), now }, each.t.db);
    expect(again.ok).toBe(true);
    const both = (await latest()).parsed.items;
    expect([both[0], both[EDITOR_PAGE_ITEMS]].map(titleOf)).toEqual(['Edited on page one', 'Edited on page two']);
    expect(both).toHaveLength(3 * EDITOR_PAGE_ITEMS);
  });

  test('two pages saved at once from the same version: one is saved, the other refused as stale', async () => {
    expect((await saveBankText({ db: each.t.db, userId: each.instructor, text: largeBankYaml({ items: 3 * EDITOR_PAGE_ITEMS }), now })).ok).toBe(true);
    const opened = (await latest()).shown;
    const pages = [await editedPage(1, 'Edited on page one'), await editedPage(2, 'Edited on page two')];
    const [one, two] = await Promise.all(pages.map((text, i) => runBankJob({ kind: 'save-page', userId: each.instructor, bankId: 'large-bank', version: opened, page: i + 1, text, now }, each.t.db)));
    expect([one!.ok, two!.ok].sort()).toEqual([false, true]);
    expect(one!.ok ? two : one).toEqual({ ok: false, errors: [{ path: 'bank', message: BANK_JOB_ERRORS.stalePage('large-bank', opened, opened + 1) }] });
    const items = (await latest()).parsed.items;
    // The winner's edit, and the other page as it was.
    expect([titleOf(items[0]), titleOf(items[EDITOR_PAGE_ITEMS])]).toEqual(one!.ok ? ['Edited on page one', `Question ${EDITOR_PAGE_ITEMS}`] : ['Question 0', 'Edited on page two']);
    expect(await countRows(each.t, 'bank_versions')).toBe(2);
  });
});

describe('the worker thread', () => {
  test('opens its own connection to the same database (SQLite file or PostgreSQL URL) and runs jobs in order', async () => {
    const text = largeBankYaml({ items: EDITOR_PAGE_ITEMS + 1 });
    const saved = await bankJob({ kind: 'save', userId: each.instructor, text, now }, each.t.target);
    expect(saved.ok && saved.bank.version).toBe(1);
    // Written by the worker, read here; and a page read by the worker after its own save.
    expect(await countRows(each.t, 'items')).toBe(EDITOR_PAGE_ITEMS + 1);
    const [again, page] = await Promise.all([
      bankJob({ kind: 'save', userId: each.instructor, text: text.replace('title: Question 0\n', 'title: Edited\n'), bankId: 'large-bank', baseVersion: 1, now }, each.t.target),
      bankJob({ kind: 'editor-page', userId: each.instructor, bankId: 'large-bank', page: 2 }, each.t.target),
    ]);
    expect(again.ok && again.bank.version).toBe(2);
    expect(page).toMatchObject({ shown: 2, page: { number: 2, count: 1, total: EDITOR_PAGE_ITEMS + 1 } });
    // A refusal crosses the thread as the Response the route throws.
    const refused = await bankJob({ kind: 'editor-page', userId: each.instructor + 99, bankId: 'large-bank', page: 1 }, each.t.target).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(403);
  });
});
