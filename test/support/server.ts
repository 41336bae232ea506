/**
 * Start the built app (`remix build` first) as a real server on a free loopback port with its own
 * SQLite file, or on the PostgreSQL database `env.DATABASE_URL` names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface TestServer {
  url: string;
  databasePath: string;
  /** What the server opened: DATABASE_URL when given, else the SQLite file. */
  databaseTarget: string;
  process: ChildProcess;
  /** What the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer(options: { databasePath?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const buildEntry = path.join(repoRoot, 'build/index.js');
  if (!existsSync(buildEntry)) throw new Error(`No server build at ${buildEntry}: run \`npx remix build\` (npm test does) before the browser tests.`);
  const dir = options.databasePath ? null : mkdtempSync(path.join(tmpdir(), 'stride-db-'));
  const databasePath = options.databasePath ?? path.join(dir!, 'stride.db');
  const port = await freePort();
  // server.js, as `npm start` runs it: the app's own HTTP server (body caps, origin check, headers).
  const child = spawn(process.execPath, [path.join(repoRoot, 'server.js')], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer /healthz within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    databasePath,
    databaseTarget: options.env?.DATABASE_URL ?? databasePath,
    process: child,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
