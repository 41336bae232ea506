/**
 * The bank editor in Chromium: CodeMirror over the form's textarea, with the bank JSON Schema
 * behind completion and diagnostics and the server's check of the text shown at its lines, one
 * error per cause; and the page without JavaScript (the textarea posts).
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { addAccount, logIn } from '../support/accounts';
import { serveAppInBrowser } from '../support/app';
import { expectAccessible } from '../support/axe';
import { EXPECTED_CONSOLE_NOISE, waitForHydration } from '../support/browser';

const app = serveAppInBrowser();
let cookie = '';

const BANK_ID = 'editor-drills';
const bankYaml = (items: string) => `id: ${BANK_ID}\ntitle: Editor drills\ndescription: A bank.\nversion: "1.0.0"\nitems:\n${items}`;
const FACT = `  - id: fact\n    kind: basic\n    topic: vgg\n    tags: [vgg]\n    front: VGG16 depth?\n    back: "16"\n`;
const GENERATED = (family: string) => `  - id: drill\n    kind: generated\n    topic: conv-arithmetic\n    tags: []\n    title: Conv output\n    family: ${family}\n`;

function send(path: string, form?: Record<string, string>): Promise<Response> {
  return fetch(`${app.server.url}${path}`, { method: form ? 'POST' : 'GET', headers: { Cookie: cookie }, redirect: 'manual', ...(form && { body: new URLSearchParams(form) }) });
}

beforeAll(async () => {
  cookie = await logIn(app.server, await addAccount(app.server, { email: 'edna@example.test', role: 'instructor' }));
  expect((await send('/banks', { id: BANK_ID, title: 'Editor drills' })).status).toBe(302);
  expect((await send(`/banks/${BANK_ID}/edit`, { intent: 'save', yaml: bankYaml(FACT) })).status).toBe(200);
  const [name, value] = cookie.split('=') as [string, string];
  await app.browser.context.addCookies([{ name, value, url: app.server.url }]);
});

async function openEditor(): Promise<{ page: Page; problems: string[] }> {
  const page = await app.browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && !EXPECTED_CONSOLE_NOISE.test(m.text()) && problems.push(m.text())));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${app.server.url}/banks/${BANK_ID}/edit`);
  await waitForHydration(page);
  await page.locator('.cm-content').waitFor();
  return { page, problems };
}

/** Replaces the editor's whole text as typing would (one input event through CodeMirror), the cursor left at its end. */
async function setText(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').focus();
  await page.keyboard.press('Control+a');
  await page.evaluate((t) => document.execCommand('insertText', false, t), text);
}

/** The 1-based line of each underlined range, with its text. */
function underlined(page: Page): Promise<[number, string][]> {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('.cm-content > .cm-line')];
    return [...document.querySelectorAll('.cm-lintRange-error')].map((el) => [lines.indexOf(el.closest('.cm-line')!) + 1, el.textContent ?? ''] as [number, string]);
  });
}

const lineOf = (text: string, marker: string) => text.slice(0, text.indexOf(marker)).split('\n').length;

test('without JavaScript the page is a textarea that posts, and a refused save comes back with its text', async () => {
  const html = await (await send(`/banks/${BANK_ID}/edit`)).text();
  expect(html).toMatch(/<textarea id="bank-yaml" name="yaml"[^>]*>/);
  expect(html).not.toMatch(/<textarea id="bank-yaml"[^>]*hidden/);
  // CodeMirror is not in the page's own scripts: it comes with a dynamic import.
  expect(html).not.toMatch(/code-editor-view/);
  const broken = bankYaml(FACT).replace('tags: [vgg]', 'tags: [vgg');
  const refused = await send(`/banks/${BANK_ID}/edit`, { intent: 'save', yaml: broken });
  expect(refused.status).toBe(400);
  const page = await refused.text();
  expect(page).toContain('tags: [vgg\n');
  expect(page.match(/data-testid="bank-errors"/g)).toHaveLength(1);
});

test('the editor offers family ids from the schema at a family: key, and underlines an unknown one (one error for it)', async () => {
  const { page, problems } = await openEditor();
  // The cursor ends the text, after `family: conv`.
  await setText(page, bankYaml(FACT + GENERATED('conv')).trimEnd());
  await page.keyboard.press('Control+Space');
  const options = page.locator('.cm-tooltip-autocomplete li');
  await options.first().waitFor();
  expect(await options.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('conv-output-size')]));
  await page.keyboard.press('Escape');

  const text = bankYaml(FACT + GENERATED('conv-outptu-size'));
  await setText(page, text);
  await expect.poll(() => underlined(page)).toEqual([[lineOf(text, 'family:'), 'conv-outptu-size']]);
  // The page with the code editor in it (and a diagnostic showing) passes axe.
  await expectAccessible(page, { name: 'bank editor with CodeMirror' });
  // The server's check says the same once (the preview's list), and the editor keeps one diagnostic for it.
  const listed = page.getByTestId('bank-errors').locator('li');
  await expect.poll(() => listed.allTextContents(), { timeout: 30_000 }).toEqual([expect.stringMatching(/unknown family 'conv-outptu-size'/)]);
  expect(await listed.first().getAttribute('data-line')).toBe(String(lineOf(text, 'family:')));
  expect(await underlined(page)).toHaveLength(1);
  expect(problems).toEqual([]);
  await page.close();
});

test('one YAML typo shows one error, once, at its line; fixing it clears it; Escape then Tab leaves the editor; saving saves the text', async () => {
  const { page, problems } = await openEditor();
  const good = bankYaml(FACT);
  const typo = good.replace('tags: [vgg]', 'tags: [vgg');
  await setText(page, typo);
  const listed = page.getByTestId('bank-errors').locator('li');
  await expect.poll(() => listed.count(), { timeout: 30_000 }).toBe(1);
  // The parser notices the open list on the line after it (the server's check says the same line).
  const line = lineOf(typo, 'front:');
  expect(await listed.first().getAttribute('data-line')).toBe(String(line));
  const message = (await listed.first().textContent())!.split(' — ')[1]!;
  expect(await page.getByText(message).count()).toBe(1);
  expect((await listed.first().textContent())!.match(new RegExp(`${line}:`, 'g'))).toHaveLength(1);
  await expect.poll(async () => (await underlined(page)).map(([l]) => l)).toEqual([line]);

  await setText(page, good);
  await expect.poll(() => page.getByTestId('bank-errors').count()).toBe(0);
  await expect.poll(() => underlined(page)).toEqual([]);

  // Keyboard: Tab indents inside; Escape then Tab moves on to the next control.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.classList.contains('cm-content'))).toBe(true);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('.cm-editor') === null && document.activeElement !== document.body)).toBe(true);

  const edited = good.replace('VGG16 depth?', 'How many weight layers has VGG16?');
  await setText(page, edited);
  // CodeMirror reads the input on its next DOM flush and mirrors it into the textarea a render later.
  await expect.poll(() => page.locator('#bank-yaml').inputValue()).toBe(edited);
  await page.click('button:has-text("Save draft")');
  await expect.poll(() => page.getByTestId('save-result').textContent(), { timeout: 30_000 }).toBe('Saved as version 3.');
  const exported = await (await send(`/banks/${BANK_ID}/export`)).text();
  expect(exported).toContain('How many weight layers has VGG16?');
  expect(problems).toEqual([]);
  await page.close();
});
