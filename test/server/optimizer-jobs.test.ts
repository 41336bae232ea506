/**
 * The built server (server.js, `npm run build` first) fits off its request path: a SQLite file
 * with three students of ~16,000 reviews each and a queued run for each is served, the server's
 * optimizer worker executes the runs at start, and /healthz is asked over and over meanwhile.
 * Every answer during the fits is a 200 and there are many of them; the latencies, beside the
 * same probe once the runs are done, are printed for the report (tests assert no wall-clock figure).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase } from '../../db/client';
import { optimizerRuns } from '../../db/schema';
import { addContentBank, addUser, factItem } from '../db/fixture';
import { simulateHistory, TRUE_PARAMETERS } from '../support/fsrs-history';
import { startServer, type TestServer } from '../support/server';
import { storeHistory } from '../support/stored-history';

const STUDENTS = 3;
let dir: string;
let server: TestServer;
let reviewsEach = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'stride-optimizer-'));
  const file = path.join(dir, 'stride.db');
  const database = await openDatabase(file);
  const items = await addContentBank(database.db, 'sim', Array.from({ length: 1000 }, (_, i) => factItem(`c${i}`, 'sim')));
  const { reviews } = simulateHistory({ parameters: TRUE_PARAMETERS, cards: 1000, days: 365, seed: 1, skipDayChance: 0.1, start: new Date(Date.now() - 366 * 86_400_000) });
  reviewsEach = reviews.length;
  for (let i = 0; i < STUDENTS; i++) {
    const userId = await addUser(database.db);
    await storeHistory(database.db, userId, reviews, items);
    await database.db.insert(optimizerRuns).values({ userId, trigger: 'manual', status: 'queued', requestedAt: new Date() });
  }
  await database.close();
  server = await startServer({ databasePath: file });
}, 240_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function probe(): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/healthz`);
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

test('/healthz answers while the worker fits', async () => {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    const statuses = () => db.prepare('select status from optimizer_runs').all().map((r) => (r as { status: string }).status);
    const during: { ms: number; status: number }[] = [];
    const deadline = Date.now() + 120_000;
    let sawRunning = 0;
    for (;;) {
      const now = statuses();
      if (now.every((s) => s === 'done' || s === 'failed')) break;
      if (Date.now() > deadline) throw new Error(`runs still ${now.join(', ')} after 120 s:\n${server.output()}`);
      const running = now.includes('running');
      const p = await probe();
      if (running && statuses().includes('running')) {
        during.push(p);
        sawRunning++;
      }
    }
    expect(statuses()).toEqual(Array(STUDENTS).fill('done'));
    const after: number[] = [];
    for (let i = 0; i < 100; i++) after.push((await probe()).ms);

    expect(during.every((p) => p.status === 200)).toBe(true);
    expect(sawRunning).toBeGreaterThan(STUDENTS);
    const ms = during.map((p) => p.ms);
    const runs = db.prepare('select started_at as s, finished_at as f from optimizer_runs').all() as { s: number; f: number }[];
    process.stdout.write(
      `[optimizer on the built server] ${STUDENTS} runs of ${reviewsEach} reviews, ${runs.map((r) => ((r.f - r.s) / 1000).toFixed(2)).join(' s, ')} s each; ` +
        `/healthz during the fits: ${ms.length} answers, p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms; ` +
        `after: p50 ${quantile(after, 0.5).toFixed(1)} ms, p99 ${quantile(after, 0.99).toFixed(1)} ms, max ${Math.max(...after).toFixed(1)} ms\n`,
    );
  } finally {
    db.close();
  }
});
