/** Headless Chromium for browser tests, driven by playwright-core (which downloads no browser). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to drive: $CHROMIUM_PATH, else the usual system paths. Throws how to install one: browser tests are never skipped. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but no file is there.`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `Browser tests need Chromium and none was found (looked in ${CANDIDATES.join(', ')}). ` +
        'Install it with `apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return found;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh headless profile in a temp dir; flags keep Chromium off this machine's closed network. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'stride-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
      '--ignore-gpu-blocklist',
    ],
  });
  // The whole suite on 2 cores (tfjs on SwiftShader in other files' Chromium) once starved a page
  // load past Playwright's 30 s: a load is slow there, not wrong. Timing is measured by benchmarks, not here.
  context.setDefaultNavigationTimeout(90_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until React has hydrated `selector` (its element carries React's props). Keys pressed
 * before that reach the server-rendered HTML: a form then posts natively and the page reloads,
 * which is not what a person meets a moment later (and leaves the focus on <body>).
 */
export async function waitForHydration(page: Page, selector = 'main form, main button'): Promise<void> {
  await page.waitForFunction((s) => {
    const el = document.querySelector(s);
    return el !== null && Object.keys(el).some((k) => k.startsWith('__reactProps'));
  }, selector);
}

/**
 * Console errors a browser test expects and ignores: the favicon's 404; route discovery failing
 * while a test has cut the network; and a request the page's own next navigation or submission
 * cuts off under load (Chromium's "TypeError: network error": seen in CI on the quiz's autosave
 * and on the class page's second submission). Every other console error fails the test.
 */
export const EXPECTED_CONSOLE_NOISE = /^Failed to load resource|^Failed to fetch manifest patches|^TypeError: network error$/;
