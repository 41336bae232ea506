/**
 * The architecture explorer in Chromium on the built server: the zoo list, a network's table and
 * totals, the 404, tfjs loaded only on the Verify click, AlexNet verified on WebGL, the network
 * diagram (collapse, expand, highlight shared with the table) and no clipped table at 1280 or 375 px.
 * Needs `npx remix build` first (npm test does it).
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { zoo } from '../../engine/zoo';
import { serveAppInBrowser } from '../support/app';
import { expectAccessible } from '../support/axe';
import { waitForHydration } from '../support/browser';

const app = serveAppInBrowser();

/** A string any build of tfjs-core carries (a method name, which minifiers keep). */
const TFJS_MARK = 'registerBackend';

/** Every JavaScript file the page fetches, with its body, in order. */
function recordScripts(page: Page): { url: string; body: Promise<string> }[] {
  const scripts: { url: string; body: Promise<string> }[] = [];
  page.on('response', (res) => {
    if (/\.m?js(\?|$)/.test(new URL(res.url()).pathname)) scripts.push({ url: res.url(), body: res.text() });
  });
  return scripts;
}

async function scriptsWithTfjs(scripts: { url: string; body: Promise<string> }[]): Promise<string[]> {
  const bodies = await Promise.all(scripts.map(async (s) => ({ url: s.url, body: await s.body })));
  return bodies.filter((s) => s.body.includes(TFJS_MARK)).map((s) => s.url);
}

/** Errors the page logs or throws; a working page has none. */
function recordPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    // The browser asks for /favicon.ico on its own; the app has none.
    if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico')) errors.push(msg.text());
  });
  return errors;
}

/** The cells of the layer row with this path, as text. */
async function rowCells(page: Page, path: string): Promise<string[]> {
  return page.locator(`tr[data-path="${path}"] > *`).allTextContents();
}

test('/explore lists every zoo network with its params and GMACs, each linking to its page', async () => {
  const page = await app.browser.context.newPage();
  const response = await page.goto(`${app.server.url}/explore`);
  expect(response?.status()).toBe(200);
  const ids = await page.locator('tr[data-arch]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-arch')));
  expect(ids).toEqual(zoo.map((e) => e.id));
  expect(ids).toContain('alexnet_cs231n');
  expect(ids).toContain('vgg16');
  // VGG-16: torchvision's 138,357,544 params and 15.47 GFLOPS (= GMACs).
  const vgg = await page.locator('tr[data-arch="vgg16"] td').allTextContents();
  expect(vgg).toEqual(['vgg16', 'VGG-16', '2014', '138,357,544', '15.47']);
  expect(await page.locator('tr[data-arch="alexnet_cs231n"] a').getAttribute('href')).toBe('/explore/alexnet_cs231n');
  await page.locator('tr[data-arch="vgg16"] a').click();
  await page.waitForURL(`${app.server.url}/explore/vgg16`);
  await expect.poll(() => page.locator('h1').textContent()).toContain('VGG-16');
  await page.close();
});

test('/explore/alexnet_cs231n shows CONV1 as 55×55×96 with 34,944 params, and the totals under each convention', async () => {
  const page = await app.browser.context.newPage();
  const errors = recordPageErrors(page);
  const response = await page.goto(`${app.server.url}/explore/alexnet_cs231n`);
  expect(response?.status()).toBe(200);
  // Layer, type, output, params, MACs = 55·55·96 · 11·11·3, field size 11, jump 4, start 5, no check yet.
  expect(await rowCells(page, 'conv1')).toEqual(['conv1', 'conv', '55×55×96', '34,944', String((55 * 55 * 96 * 11 * 11 * 3).toLocaleString('en-US')), '11', '4', '5', '']);
  expect((await rowCells(page, 'pool1')).slice(0, 3)).toEqual(['pool1', 'maxpool', '27×27×96']);
  expect((await rowCells(page, 'fc6')).slice(2, 4)).toEqual(['4096', (6 * 6 * 256 * 4096 + 4096).toLocaleString('en-US')]);
  // 62,378,344 with biases (no batch norm, so Keras's count is the same); the biases of the eight layers are 10,568.
  const biases = 96 + 256 + 384 + 384 + 256 + 4096 + 4096 + 1000;
  const totals = async (key: string) => (await page.locator(`tr[data-convention="${key}"] > *`).allTextContents()).slice(1, 2);
  expect(await totals('torchvision')).toEqual(['62,378,344']);
  expect(await totals('keras')).toEqual(['62,378,344']);
  expect(await totals('lecture')).toEqual([(62_378_344 - biases).toLocaleString('en-US')]);
  expect(await page.locator('tr[data-convention="torchvision"] th').textContent()).toMatch(/torchvision/);
  expect(await page.locator('tr[data-convention="keras"] th').textContent()).toMatch(/running mean and variance/);
  expect(await page.locator('tr[data-convention="lecture"] th').textContent()).toMatch(/no biases/);
  // The zoo entry's source and convention.
  expect(await page.locator('.arch-facts').textContent()).toContain('CS231n lecture 9');
  expect(await page.locator('.arch-facts').textContent()).toContain('227×227×3 input');
  expect(errors).toEqual([]);
  await page.close();
});

test("conventions carry a library's name only where they reproduce its count; memory is the lecture's count; vgg16 shows the lecture's memory erratum", async () => {
  const page = await app.browser.context.newPage();
  const errors = recordPageErrors(page);
  const cells = async (key: string) => page.locator(`tr[data-convention="${key}"] > *`).allTextContents();
  // Keras's ResNet50 is v1 with conv biases: 25,636,712 as Keras Applications publishes it.
  await page.goto(`${app.server.url}/explore/resnet50_v1`, { waitUntil: 'networkidle' });
  const keras = await cells('keras');
  expect(keras[0]).toMatch(/^Keras \(keras\.applications\.ResNet50\)/);
  expect(keras[1]).toBe('25,636,712');
  expect(await page.locator('tr[data-convention="keras"]').getAttribute('data-published-by')).toBe('keras.applications.ResNet50');
  // torchvision's v1.5 has no Keras model: the running-statistics count is shown, not called Keras's.
  await page.goto(`${app.server.url}/explore/resnet50`, { waitUntil: 'networkidle' });
  const v15 = await cells('keras');
  expect(v15[1]).toBe('25,610,152');
  expect(v15[0]).not.toMatch(/^Keras/);
  expect(v15[0]).toContain('not a Keras figure');
  expect((await cells('torchvision'))[0]).toMatch(/^torchvision \(torchvision\.models\.resnet50\)/);
  // VGG-16: activations 28,701,160 (every leaf), memory 15,237,608 (the lecture's rows), and the erratum about its 24M.
  await page.goto(`${app.server.url}/explore/vgg16`, { waitUntil: 'networkidle' });
  const vgg = await cells('torchvision');
  expect(vgg.slice(4, 6)).toEqual(['28,701,160', '15,237,608']);
  const facts = await page.locator('.arch-facts').textContent();
  expect(facts).toMatch(/Lecture erratum: the slide totals VGG-16's forward memory as 24M values.*15,237,608/);
  // A network that ends in a concat: its output is the concat's.
  await page.goto(`${app.server.url}/explore/inception_naive_cs231n`, { waitUntil: 'networkidle' });
  expect(await page.locator('.arch-facts').textContent()).toContain('28×28×256 → 28×28×672');
  expect(errors).toEqual([]);
  await page.close();
});

test('an unknown network is a 404 that says which id was not found', async () => {
  const page = await app.browser.context.newPage();
  const response = await page.goto(`${app.server.url}/explore/nope`);
  expect(response?.status()).toBe(404);
  expect(await page.locator('[role="alert"]').textContent()).toContain("No network called 'nope'");
  const odd = await fetch(`${app.server.url}/explore/${encodeURIComponent('../../etc')}`);
  expect(odd.status).toBe(404);
  await page.close();
});

test('/explore/vgg16 loads no tfjs: no script it fetches contains tfjs', async () => {
  const page = await app.browser.context.newPage();
  const scripts = recordScripts(page);
  await page.goto(`${app.server.url}/explore/vgg16`, { waitUntil: 'networkidle' });
  await expect.poll(() => page.locator('.verify-panel button').isEnabled()).toBe(true);
  expect(scripts.length).toBeGreaterThan(0);
  expect(await scriptsWithTfjs(scripts)).toEqual([]);
  await page.close();
});

test('Verify on /explore/alexnet_cs231n fetches tfjs only on the click, shows progress, and all 23 layers agree on webgl', async () => {
  const page = await app.browser.context.newPage();
  const errors = recordPageErrors(page);
  const scripts = recordScripts(page);
  await page.goto(`${app.server.url}/explore/alexnet_cs231n`, { waitUntil: 'networkidle' });
  expect(await scriptsWithTfjs(scripts)).toEqual([]);
  const before = scripts.length;

  const panel = page.locator('.verify-panel');
  await page.getByRole('button', { name: 'Verify in this browser' }).click();
  await page.locator('.verify-panel progress').waitFor({ timeout: 60_000 });
  await expect.poll(() => panel.getAttribute('data-state'), { timeout: 110_000, interval: 250 }).toBe('done');

  const tfjsChunks = await scriptsWithTfjs(scripts.slice(before));
  expect(tfjsChunks.length).toBeGreaterThan(0);
  expect(await panel.getAttribute('data-backend')).toBe('webgl');
  expect(await panel.getAttribute('data-ok')).toBe('true');
  expect(await panel.getAttribute('data-layers')).toBe('23');
  expect(await panel.getAttribute('data-tensors-leaked')).toBe('0');
  expect(await panel.locator('[role="status"]').textContent()).toMatch(/All 23 layers and the final output \(1000\) agree on webgl in [\d,]+ ms/);
  expect(await panel.getAttribute('data-output')).toBe('1000');
  // A mark on every row of the table.
  const marks = await page.locator('tr[data-path]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-check')));
  expect(marks).toHaveLength(23);
  expect(new Set(marks)).toEqual(new Set(['ok']));
  console.info(`explorer: alexnet_cs231n verified on webgl in ${await panel.getAttribute('data-ms')} ms`);
  expect(errors).toEqual([]);
  await page.close();
}, 180_000);

test('densenet201 (714 rows) starts with its 16 top-level rows; blocks open on demand; the table scrolls inside its box on a phone', async () => {
  const page = await app.browser.context.newPage();
  await page.setViewportSize({ width: 375, height: 800 });
  const response = await page.goto(`${app.server.url}/explore/densenet201`, { waitUntil: 'networkidle' });
  expect(response?.status()).toBe(200);
  const rows = page.locator('.layer-table tr[data-path]');
  expect(await rows.count()).toBe(16);
  const toggle = page.locator('tr[data-path="denseblock1"] button.toggle');
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  await toggle.click();
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  expect(await page.locator('tr[data-path^="denseblock1/"]').count()).toBeGreaterThan(6 * 6);
  await page.getByRole('button', { name: /Expand all/ }).click();
  await expect.poll(() => rows.count()).toBe(714);
  // The page itself does not scroll sideways; the table's box does.
  const widths = await page.evaluate(() => {
    const box = document.querySelector('.layer-table')!.parentElement!;
    return { page: document.documentElement.scrollWidth, viewport: window.innerWidth, box: box.clientWidth, table: box.scrollWidth };
  });
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);
  expect(widths.table).toBeGreaterThan(widths.box);
  await page.close();
});

/** Each toggle lays the diagram out again on the server: give it time on a loaded machine. */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });

/** The diagram's boxes (layers, adds, joins, collapsed blocks; not the input) by path. */
async function boxIds(page: Page): Promise<string[]> {
  return page.locator('svg.network-diagram [data-layer][data-kind]:not([data-kind="input"])').evaluateAll((els) => els.map((e) => e.getAttribute('data-layer')!));
}

test('resnet34: a box per layer or per collapsed stage, its skips and projections drawn; stages collapse and expand; box and row highlight each other', async () => {
  const page = await app.browser.context.newPage();
  const errors = recordPageErrors(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${app.server.url}/explore/resnet34`);
  await waitForHydration(page, '[data-toggle="layer1"]');
  // 145 rows: it starts with the four stages collapsed, one box each beside the stem and the head.
  const stem = ['conv1', 'bn1', 'relu', 'maxpool'];
  const head = ['avgpool', 'flatten', 'fc'];
  expect(await boxIds(page)).toEqual([...stem, 'layer1', 'layer2', 'layer3', 'layer4', ...head]);
  expect(await page.locator('svg.network-diagram title').textContent()).toMatch(/^Diagram of resnet34: input 224×224×3 to output 1000/);
  const toggle = (id: string) => page.locator(`[data-toggle="${id}"]`);
  expect(await toggle('layer1').getAttribute('aria-expanded')).toBe('false');
  expect(await toggle('layer1').getAttribute('role')).toBe('button');

  // Expanding layer1 from the keyboard: 3 basic units of conv, bn, relu, conv, bn, the add and the relu after it.
  const unit = (u: string) => ['conv1', 'bn1', 'relu1', 'conv2', 'bn2'].map((l) => `${u}/residual/${l}`).concat([`${u}/residual`, `${u}/relu`]);
  const layer1 = ['layer1/0', 'layer1/1', 'layer1/2'].flatMap(unit);
  await toggle('layer1').focus();
  await page.keyboard.press('Enter');
  await poll(() => boxIds(page)).toEqual([...stem, ...layer1, 'layer2', 'layer3', 'layer4', ...head]);
  expect(await toggle('layer1').getAttribute('aria-expanded')).toBe('true');
  // Three identity skips, each from a unit's input to its add.
  const skips = () => page.locator('[data-edge="skip"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')} → ${e.getAttribute('data-to')}`));
  expect(await skips()).toEqual(['maxpool → layer1/0/residual', 'layer1/0/relu → layer1/1/residual', 'layer1/1/relu → layer1/2/residual']);
  await expectAccessible(page, { name: 'explorer, resnet34 with layer1 of its diagram open' });

  // layer2 opens with its projection shortcut (1×1 conv + bn) beside the first unit's body.
  await toggle('layer2').click();
  await poll(() => page.locator('[data-edge="projection"]').count()).toBe(3);
  expect(await page.locator('[data-layer="layer2/0/residual/shortcut/conv"]').count()).toBe(1);
  expect(await skips()).toHaveLength(3 + 3);
  // Collapsing a unit hides its boxes; expanding it restores them.
  await toggle('layer1/1').click();
  await poll(async () => (await boxIds(page)).filter((id) => id.startsWith('layer1/1'))).toEqual(['layer1/1']);
  await toggle('layer1/1').click();
  await poll(async () => (await boxIds(page)).filter((id) => id.startsWith('layer1/'))).toEqual(layer1);
  // The state is in the URL: a fresh load draws the same boxes.
  const drawn = await boxIds(page);
  await page.goto(page.url());
  expect(await boxIds(page)).toEqual(drawn);
  await waitForHydration(page, '[data-toggle="layer1"]');

  // Hovering a box marks its row; inside a closed group of the table, the group's row.
  const activeRows = () => page.locator('.layer-table tr[data-active="true"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-layer')));
  const activeBoxes = () => page.locator('svg [data-layer][data-active="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-layer')));
  await page.locator('[data-layer="layer2/0/residual/conv1"] > g').hover();
  await poll(activeRows).toEqual(['layer2']);
  await page.locator('tr[data-layer="layer2"] button.toggle').click();
  await page.locator('[data-layer="layer2/0/residual/conv1"] > g').hover();
  await poll(activeRows).toEqual(['layer2/0/residual/conv1']);
  expect(await page.locator('.diagram-readout').textContent()).toContain('layer2/0/residual/conv1 (conv): output 28×28×128');
  // Focusing a box does the same.
  await page.mouse.move(1, 1);
  await page.locator('[data-layer="maxpool"] > g').focus();
  await poll(activeRows).toEqual(['maxpool']);
  // And the reverse: hovering or focusing a row marks its box (a collapsed stage's box for a row inside it).
  await page.locator('tr[data-layer="conv1"]').hover();
  await poll(activeBoxes).toEqual(['conv1']);
  // The pointer goes to the site header first, so a row scrolled under it does not take the highlight.
  await page.mouse.move(1, 1);
  await page.locator('tr[data-layer="layer3"] > th').focus();
  await poll(activeBoxes).toEqual(['layer3']);
  await page.locator('tr[data-layer="layer2/0/residual/shortcut/conv"]').hover();
  await poll(activeBoxes).toEqual(['layer2/0/residual/shortcut/conv']);
  expect(errors).toEqual([]);
  await page.close();
}, 120_000);

test('no table is clipped at 1280 px or at 375 px; at 1280 the totals table shows its last column without scrolling', async () => {
  const page = await app.browser.context.newPage();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    for (const arch of ['resnet50', 'googlenet', 'alexnet_cs231n']) {
      await page.goto(`${app.server.url}/explore/${arch}`);
      const fit = await page.evaluate(() => {
        const tables = [...document.querySelectorAll('main table')].map((table) => {
          const box = table.parentElement!;
          const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
          return {
            table: table.className,
            fits: table.scrollWidth <= box.clientWidth,
            scrolls,
            boxInView: box.getBoundingClientRect().right <= window.innerWidth,
          };
        });
        const totals = document.querySelector('.totals-table')!;
        const last = totals.querySelector('thead th:last-child')!.getBoundingClientRect();
        const box = totals.parentElement!.getBoundingClientRect();
        const diagram = document.querySelector('.diagram-scroll')!.getBoundingClientRect();
        return { tables, page: document.documentElement.scrollWidth, viewport: window.innerWidth, lastRight: last.right, boxRight: box.right, diagramRight: diagram.right };
      });
      const where = `${arch} at ${width} px`;
      expect(fit.tables.length, where).toBeGreaterThanOrEqual(2);
      for (const t of fit.tables) {
        expect(t.fits || t.scrolls, `${where}: ${t.table}`).toBe(true);
        expect(t.boxInView, `${where}: ${t.table}`).toBe(true);
      }
      // The page never scrolls sideways; the diagram scrolls in its own box.
      expect(fit.page, where).toBeLessThanOrEqual(fit.viewport);
      expect(fit.diagramRight, where).toBeLessThanOrEqual(fit.viewport);
      if (width === 1280) {
        expect(fit.tables.every((t) => t.fits), where).toBe(true);
        expect(fit.lastRight, where).toBeLessThanOrEqual(fit.boxRight);
      }
    }
  }
  await page.close();
}, 120_000);
