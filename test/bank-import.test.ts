/**
 * Issue 12: a legal bank of 5,000 generated items imports on the built server (its parsing and
 * saving run in the bank-jobs worker), and its editor is paged: each page ships and previews at
 * most EDITOR_PAGE_ITEMS items, and saving a page puts its items back in place. The timing
 * (/healthz during the import) is the benchmark http.healthz_during_import.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { EDITOR_PAGE_ITEMS } from '../app/bank-editor';
import { importBank, instructorCookie, largeBankYaml } from './bench/large-bank';
import { startServer, type TestServer } from './support/server';

const ITEMS = 5000;
let server: TestServer;
let cookie: string;

beforeAll(async () => {
  server = await startServer();
  cookie = await instructorCookie(server);
});
afterAll(async () => server?.stop());

function itemIdsIn(html: string, attribute: string): string[] {
  return [...html.matchAll(new RegExp(`${attribute}="(item-\\d+)"`, 'g'))].map((m) => m[1]!);
}

function storedItems(bankId: string): { id: string; title: string }[] {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return (db.prepare('select id, content from items where bank_id = ? and retired_at is null order by position').all(bankId) as { id: string; content: string }[]).map((r) => ({
      id: r.id,
      title: (JSON.parse(r.content) as { title: string }).title,
    }));
  } finally {
    db.close();
  }
}

test('a 5,000-item bank imports whole, and its editor shows one bounded page of items and previews', async () => {
  const res = await importBank(server, cookie, largeBankYaml({ id: 'large-bank', items: ITEMS }));
  expect(res.status, await res.clone().text()).toBe(302);
  expect(res.headers.get('location')).toBe('/banks/large-bank/edit');
  expect(storedItems('large-bank')).toHaveLength(ITEMS);

  const first = await fetch(server.url + '/banks/large-bank/edit', { headers: { Cookie: cookie } });
  expect(first.status).toBe(200);
  // React separates text runs with <!-- -->; the page reads without them.
  const html = (await first.text()).replace(/<!-- -->/g, '');
  // Before: the whole bank's YAML and 5,000 previews (37.5 MB). One page is well under 1 MB.
  expect(html.length).toBeLessThan(1_000_000);
  const P = EDITOR_PAGE_ITEMS;
  expect(html).toContain(`items 1–${P} of 5,000 (page 1 of ${ITEMS / P})`);
  const previewed = new Set(itemIdsIn(html, 'data-item'));
  expect([...previewed].sort()).toEqual(Array.from({ length: EDITOR_PAGE_ITEMS }, (_, i) => `item-${i}`).sort());
  expect(html).toContain(`- id: item-${P - 1}\n`);
  expect(html).not.toContain(`- id: item-${P}\n`);

  const last = (await (await fetch(server.url + `/banks/large-bank/edit?page=${ITEMS / P}`, { headers: { Cookie: cookie } })).text()).replace(/<!-- -->/g, '');
  expect(last).toContain(`items ${ITEMS - P + 1}–5000 of 5,000 (page ${ITEMS / P} of ${ITEMS / P})`);
  expect(new Set(itemIdsIn(last, 'data-item'))).toEqual(new Set(Array.from({ length: P }, (_, i) => `item-${ITEMS - P + i}`)));
});

test('saving a page of a large bank puts its items back in place and keeps the others', async () => {
  const page = await (await fetch(server.url + '/banks/large-bank/edit?page=2', { headers: { Cookie: cookie } })).text();
  const yaml = /<textarea id="bank-yaml"[^>]*>([\s\S]*?)<\/textarea>/.exec(page)![1]!.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const P = EDITOR_PAGE_ITEMS;
  expect(yaml).toContain(`title: Question ${P}\n`);
  expect(yaml).not.toContain(`title: Question ${2 * P}\n`);
  const edited = yaml.replace(`title: Question ${P}\n`, 'title: Question edited\n');
  const form = new URLSearchParams({ intent: 'save', yaml: edited, page: '2', version: '1' });
  const res = await fetch(server.url + '/banks/large-bank/edit', { method: 'POST', body: form, redirect: 'manual', headers: { Cookie: cookie, Origin: server.url } });
  expect(res.status).toBe(200);
  const items = storedItems('large-bank');
  expect(items).toHaveLength(ITEMS);
  expect(items.map((i) => i.title).slice(P - 2, P + 3)).toEqual([`Question ${P - 2}`, `Question ${P - 1}`, 'Question edited', `Question ${P + 1}`, `Question ${P + 2}`]);
  expect(items.map((i) => i.id.split('/')[1])).toEqual(Array.from({ length: ITEMS }, (_, i) => `item-${i}`));
});

test('a page whose items clash with another page is refused whole, naming the item', async () => {
  // Page 1's last item renamed to the id of page 2's first.
  const P = EDITOR_PAGE_ITEMS;
  const yaml = largeBankYaml({ id: 'large-bank', items: P }).replace(`- id: item-${P - 1}\n`, `- id: item-${P}\n`);
  const clash = new URLSearchParams({ intent: 'save', page: '1', version: '2', yaml });
  const res = await fetch(server.url + '/banks/large-bank/edit', { method: 'POST', body: clash, redirect: 'manual', headers: { Cookie: cookie, Origin: server.url } });
  expect(res.status).toBe(400);
  const html = (await res.text()).replace(/<!-- -->/g, '');
  // Paths are the whole bank's (the page's items put back in place): the clash is at index P.
  expect(html).toContain(`bank.yaml: items[${P}].id</code> — duplicate id &#x27;item-${P}&#x27; (first used at bank.yaml: items[${P - 1}])`);
  expect(storedItems('large-bank')).toHaveLength(ITEMS);
});

/** POSTs an Anki text export to /banks/import with the Anki format chosen, as the form does. */
async function importAnki(text: string, fields: Record<string, string>): Promise<Response> {
  const body = new FormData();
  body.set('file', new Blob([text], { type: 'text/plain' }), 'deck.txt');
  body.set('format', 'anki');
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return fetch(server.url + '/banks/import', { method: 'POST', body, redirect: 'manual', headers: { Cookie: cookie, Origin: server.url } });
}

test("Anki's text export imports as a new bank; a taken id and a bad note are refused at their place, nothing saved", async () => {
  const deck = ['#separator:tab', '#html:true', '#notetype column:1', '#tags column:4', 'Basic\tWhat does \\(1 \\times 1\\) mix?\tChannels<br>only\tvgg', 'Cloze\tVGG uses {{c1::3×3}} and {{c2::2×2}} windows\t\tvgg'].join('\n');
  const res = await importAnki(deck, { id: 'from-anki', title: 'From Anki', topic: 'history' });
  expect(res.status, await res.clone().text()).toBe(302);
  expect(res.headers.get('location')).toBe('/banks/from-anki/edit');
  const db = new Database(server.databasePath, { readonly: true });
  try {
    const rows = db.prepare("select id, kind, content from items where bank_id = 'from-anki' order by position").all() as { id: string; kind: string; content: string }[];
    expect(rows.map((r) => [r.id, r.kind])).toEqual([
      ['from-anki/what-does-mix', 'basic'],
      ['from-anki/vgg-uses-3-3-and-2-2-windows-c1', 'cloze'],
      ['from-anki/vgg-uses-3-3-and-2-2-windows-c2', 'cloze'],
    ]);
    expect(JSON.parse(rows[0]!.content)).toMatchObject({ front: 'What does $1 \\times 1$ mix?', back: 'Channels\nonly', topic: 'vgg' });
  } finally {
    db.close();
  }
  const taken = await importAnki(deck, { id: 'from-anki', title: 'Again', topic: 'history' });
  expect(taken.status).toBe(400);
  expect(await taken.text()).toContain('a bank with this id exists');
  const bad = await importAnki('#separator:tab\n#notetype:Cloze\nno deletion here\t\n', { id: 'bad-anki', title: 'Bad', topic: 'history' });
  expect(bad.status).toBe(400);
  expect((await bad.text()).replace(/<!-- -->/g, '')).toMatch(/line 3: text<\/code>.*at least one deletion/s);
});
