/**
 * The workbench in Chromium on the built server: a stride changed at one layer moves every shape
 * below it (values computed here from engine/formulas.ts) and the diagram redraws; the link opens
 * the same network in a fresh browser; an invalid kernel is shown at its layer while the last
 * valid figures stay, marked stale. Needs `npm run build` first.
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { analyze } from '../../engine/analysis';
import { SpecError } from '../../engine/errors';
import { convOutput, samePadding, windowOutput } from '../../engine/formulas';
import type { Spec } from '../../engine/spec';
import { encodeSpec } from '../../app/workbench/url';
import { serveAppInBrowser } from '../support/app';
import { EXPECTED_CONSOLE_NOISE, launchBrowser, waitForHydration } from '../support/browser';

const app = serveAppInBrowser();

/** conv1 (same) → conv2 (pad 1) → pool1 → a residual with a projection → conv3 (valid). */
const SPEC: Spec = {
  input: [64, 64, 3],
  layers: [
    { kind: 'conv', filters: 8, kernel: 3, stride: 1, padding: 'same' },
    { kind: 'conv', filters: 16, kernel: 3, padding: 1 },
    { kind: 'maxpool', kernel: 2, stride: 2 },
    { kind: 'residual', body: [{ kind: 'conv', filters: 32, kernel: 3, stride: 2, padding: 1 }], shortcut: [{ kind: 'conv', filters: 32, kernel: 1, stride: 2 }] },
    { kind: 'conv', filters: 10, kernel: 5 },
  ],
};

/** The expected output sizes (height = width) of the rows, for a conv1 stride s, from the formulas alone. */
function expectedSizes(s: number): Record<string, string> {
  const pad = samePadding(64, 3, s);
  const c1 = windowOutput(64, 3, s, pad.before, pad.after);
  const c2 = convOutput(c1, 3, 1, 1);
  const p1 = convOutput(c2, 2, 2, 0);
  const r = convOutput(p1, 3, 2, 1);
  const sc = convOutput(p1, 1, 2, 0);
  expect(sc).toBe(r);
  const c3 = convOutput(r, 5, 1, 0);
  return { conv1: `${c1}×${c1}×8`, conv2: `${c2}×${c2}×16`, maxpool1: `${p1}×${p1}×16`, residual1: `${r}×${r}×32`, 'residual1/conv1': `${r}×${r}×32`, 'residual1/shortcut/conv1': `${r}×${r}×32`, conv3: `${c3}×${c3}×10` };
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_CONSOLE_NOISE.test(m.text()) && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text());
  });
  return errors;
}

/** The table's output cell of every row, by path. */
async function tableShapes(page: Page): Promise<Record<string, string>> {
  return page.locator('.wb-table tr[data-path]').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-path'), r.children[2]!.textContent!.trim().split(' ')[0]])));
}

const field = (page: Page, layer: string, name: string) => page.locator(`.wb-editor section[data-layer="${layer}"] > * input[name="${name}"], .wb-editor section[data-layer="${layer}"] > details > .wb-fields input[name="${name}"]`).first();

async function diagramText(page: Page, layer: string): Promise<string> {
  await page.locator('[data-testid=workbench-diagram][data-pending=false]').waitFor();
  return (await page.locator(`[data-testid=workbench-diagram] [data-layer="${layer}"]`).first().textContent()) ?? '';
}

test('changing a stride moves every shape below it, in the table and the diagram, and the link opens the same network in a fresh browser', async () => {
  const page = await app.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${app.server.url}/workbench?n=${encodeSpec(SPEC)}`);
  await waitForHydration(page, '.wb-editor input');
  const before = expectedSizes(1);
  const entries = await page.evaluate(() => history.length);
  expect(await tableShapes(page)).toMatchObject(before);
  expect(await diagramText(page, 'conv3')).toContain(before.conv3);

  await field(page, 'conv1', 'stride').fill('2');
  const after = expectedSizes(2);
  await expect.poll(() => tableShapes(page)).toMatchObject(after);
  for (const k of Object.keys(after)) expect(after[k], k).not.toBe(before[k]);
  await expect.poll(() => diagramText(page, 'conv3')).toContain(after.conv3);
  expect(await diagramText(page, 'conv2')).toContain(after.conv2);
  const edited = { ...SPEC, layers: [{ ...SPEC.layers[0]!, stride: 2 }, ...SPEC.layers.slice(1)] } as Spec;
  const totals = analyze(edited).totals;
  expect(await page.getByTestId('total-params').textContent()).toBe(totals.params.toLocaleString('en-US'));
  expect(await page.getByTestId('total-macs').textContent()).toBe(totals.macs.toLocaleString('en-US'));

  // The URL follows (replaceState: no history entry per keystroke).
  await expect.poll(() => page.url()).toContain(`n=${encodeSpec(edited)}`);
  expect(await page.evaluate(() => history.length)).toBe(entries);

  const fresh = await launchBrowser();
  try {
    const other = await fresh.context.newPage();
    await other.goto(page.url());
    await waitForHydration(other, '.wb-editor input');
    expect(await tableShapes(other)).toEqual(await tableShapes(page));
    expect(await field(other, 'conv1', 'stride').inputValue()).toBe('2');
    expect(await other.getByTestId('total-macs').textContent()).toBe(totals.macs.toLocaleString('en-US'));
  } finally {
    await fresh.close();
  }
  expect(errors).toEqual([]);
  await page.close();
});

test('an invalid kernel shows the engine error at its layer and keeps the last valid figures, marked stale; a tampered link is refused', async () => {
  const page = await app.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${app.server.url}/workbench?n=${encodeSpec(SPEC)}`);
  await waitForHydration(page, '.wb-editor input');
  const valid = await tableShapes(page);
  const params = await page.getByTestId('total-params').textContent();

  await field(page, 'conv3', 'kernel').fill('99');
  const broken = { ...SPEC, layers: [...SPEC.layers.slice(0, 4), { ...SPEC.layers[4]!, kernel: 99 }] } as Spec;
  let expected = '';
  try {
    analyze(broken);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    expected = (err as SpecError).message.slice('conv3: '.length);
  }
  expect(expected).toMatch(/^kernel 99×99 is larger than the padded input/);
  const layer = page.locator('.wb-editor section[data-layer="conv3"]');
  await expect.poll(() => layer.getAttribute('data-invalid')).toBe('true');
  expect(await layer.getByTestId('engine-error').textContent()).toBe(expected);
  expect(await field(page, 'conv3', 'kernel').getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('.wb-editor section[data-invalid]').count()).toBe(1);
  // The last valid figures stay, marked stale.
  expect(await page.locator('.wb-figures').getAttribute('data-stale')).toBe('true');
  expect(await page.locator('.wb-table').getAttribute('data-stale')).toBe('true');
  expect(await tableShapes(page)).toEqual(valid);
  expect(await page.getByTestId('total-params').textContent()).toBe(params);
  expect(await page.getByTestId('workbench-diagram').getAttribute('data-stale')).toBe('true');

  // Back to a valid kernel: fresh again.
  await field(page, 'conv3', 'kernel').fill('3');
  await expect.poll(() => page.locator('.wb-figures').getAttribute('data-stale')).toBe('false');
  expect(await page.locator('.wb-editor section[data-invalid]').count()).toBe(0);

  await page.goto(`${app.server.url}/workbench?n=${encodeSpec(SPEC).slice(0, -7)}%24`);
  expect(await page.getByTestId('link-error').textContent()).toMatch(/^This workbench link is damaged/);
  expect(await page.locator('.wb-table tr[data-path]').count()).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});
