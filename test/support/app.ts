/** The usual browser-test set-up: the built app on a fresh database, and a headless Chromium, for one test file. */
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { startServer, type TestServer } from './server';

export interface AppInBrowser {
  readonly server: TestServer;
  readonly browser: Browser;
}

export function serveAppInBrowser(options: Parameters<typeof startServer>[0] = {}): AppInBrowser {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer(options);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('the server is not started yet: use it inside a test or hook');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not launched yet: use it inside a test or hook');
      return browser;
    },
  };
}
