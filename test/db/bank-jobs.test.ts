/**
 * The bank editor's jobs on a real SQLite file: saving one page of a large bank puts its items
 * back in place, and a page opened before another page was saved is refused whole instead of
 * rebuilding the bank from the older version (which would drop the other page's save).
 */
import { describe, expect, test } from 'vitest';
import { BANK_JOB_ERRORS, runBankJob } from '../../app/bank-jobs.server';
import { EDITOR_PAGE_ITEMS } from '../../app/bank-editor';
import { getEditableBank, saveBankText } from '../../app/models/authoring.server';
import { largeBankYaml } from '../bench/large-bank';
import { eachTestWithInstructor } from './fixture';

const each = eachTestWithInstructor();
const now = new Date('2025-03-03T12:00:00Z');

/** The page's text as the editor shows it: the manifest and the page's items, with one title changed. */
function editedPage(page: number, title: string): string {
  const bank = getEditableBank({ db: each.t.db, userId: each.instructor, bankId: 'large-bank' }).parsed;
  const start = (page - 1) * EDITOR_PAGE_ITEMS;
  const lines = ['id: large-bank', 'title: Large bank', `description: ${bank.description}`, `version: ${bank.version}`, 'items:'];
  for (const item of bank.items.slice(start, start + EDITOR_PAGE_ITEMS)) {
    if (item.kind !== 'generated') throw new Error('expected generated items');
    lines.push(`  - id: ${item.id}`, '    kind: generated', `    topic: ${item.topic}`, '    tags: []', `    title: ${item.id === `item-${start}` ? title : item.title}`, `    family: ${item.family}`);
  }
  return lines.join('\n') + '\n';
}

describe('saving a page of a large bank', () => {
  test('a page opened before another page was saved is refused, and nothing is written', () => {
    expect(saveBankText({ db: each.t.db, userId: each.instructor, text: largeBankYaml({ items: 3 * EDITOR_PAGE_ITEMS }), now }).ok).toBe(true);
    const opened = getEditableBank({ db: each.t.db, userId: each.instructor, bankId: 'large-bank' }).shown;
    // Two pages opened from the same version; page 1 is saved first.
    const first = runBankJob({ kind: 'save-page', userId: each.instructor, bankId: 'large-bank', version: opened, page: 1, text: editedPage(1, 'Edited on page one'), now }, each.t.db);
    expect(first.ok).toBe(true);
    const afterFirst = getEditableBank({ db: each.t.db, userId: each.instructor, bankId: 'large-bank' });
    expect(afterFirst.parsed.items[0]!.kind === 'generated' && afterFirst.parsed.items[0]!.title).toBe('Edited on page one');
    const second = runBankJob({ kind: 'save-page', userId: each.instructor, bankId: 'large-bank', version: opened, page: 2, text: editedPage(2, 'Edited on page two'), now }, each.t.db);
    expect(second).toEqual({ ok: false, errors: [{ path: 'bank', message: BANK_JOB_ERRORS.stalePage('large-bank', opened, afterFirst.shown) }] });
    const latest = getEditableBank({ db: each.t.db, userId: each.instructor, bankId: 'large-bank' });
    expect(latest.shown).toBe(afterFirst.shown);
    expect(latest.parsed.items[0]!.kind === 'generated' && latest.parsed.items[0]!.title).toBe('Edited on page one');
    // Opened again from the latest version, page 2 saves and page 1's edit stays.
    const again = runBankJob({ kind: 'save-page', userId: each.instructor, bankId: 'large-bank', version: latest.shown, page: 2, text: editedPage(2, 'Edited on page two'), now }, each.t.db);
    expect(again.ok).toBe(true);
    const both = getEditableBank({ db: each.t.db, userId: each.instructor, bankId: 'large-bank' }).parsed.items;
    expect([both[0], both[EDITOR_PAGE_ITEMS]].map((i) => i!.kind === 'generated' && i!.title)).toEqual(['Edited on page one', 'Edited on page two']);
    expect(both).toHaveLength(3 * EDITOR_PAGE_ITEMS);
  });
});
