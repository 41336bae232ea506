/**
 * The optimizer's child process (app/optimizer-jobs.server.ts) on a real database, both engines:
 * a requested run is executed off this thread, a run another process queued is found by
 * polling, a run a dead process left running is queued again at start, and the automatic runs
 * that are due are queued and executed at start. While a fit of ~18,000 reviews runs in the
 * worker, this thread keeps its timers (counted, not timed: tests assert no wall-clock figure;
 * the latency is printed for the report).
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { optimizerRuns, users, type OptimizerRunRow } from '../../db/schema';
import type { Db } from '../../db/client';
import { PARAMETER_TEXT, requestRun, STALE_RUN_MS } from '../../app/models/parameters.server';
import { optimizerWorkerProcess, startOptimizerWorker, stopOptimizerWorker } from '../../app/optimizer-jobs.server';
import { simulateHistory, TRUE_PARAMETERS } from '../support/fsrs-history';
import { storeHistory } from '../support/stored-history';
import { addContentBank, addUser, eachTestDb, factItem } from './fixture';

const each = eachTestDb();
// Registered after eachTestDb's hooks, so it runs before the database is closed (after-hooks run last-registered first).
afterEach(async () => {
  await stopOptimizerWorker();
});

const NOW = new Date();
const HOUR = 3_600_000;

async function studentWithHistory(db: Db, cards: number, days: number, seed = 1): Promise<{ userId: number; reviews: number }> {
  const items = await addContentBank(db, `sim${seed}`, Array.from({ length: cards }, (_, i) => factItem(`c${i}`, 'sim')));
  const userId = await addUser(db);
  const { reviews } = simulateHistory({ parameters: TRUE_PARAMETERS, cards, days, seed, skipDayChance: 0.1, start: new Date(NOW.getTime() - (days + 1) * 24 * HOUR) });
  await storeHistory(db, userId, reviews, items);
  return { userId, reviews: reviews.length };
}

async function runOf(db: Db, runId: number): Promise<OptimizerRunRow> {
  const [row] = await db.select().from(optimizerRuns).where(eq(optimizerRuns.id, runId));
  return row!;
}

/** Waits until the run's status is one of `statuses`, calling `tick` between looks; fails after `ms`. */
async function until(db: Db, runId: number, statuses: OptimizerRunRow['status'][], ms = 60_000): Promise<OptimizerRunRow> {
  const deadline = Date.now() + ms;
  for (;;) {
    const run = await runOf(db, runId);
    if (statuses.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the optimizer worker', () => {
  test('executes a requested run off this thread, which keeps its timers during the fit', async () => {
    const { db, target } = each.t;
    const { userId, reviews } = await studentWithHistory(db, 1000, 365);
    expect(reviews).toBeGreaterThan(15_000);
    startOptimizerWorker(target, { pollMs: 3_600_000, sweepMs: 3_600_000 });

    // This thread's timers while the worker fits: a 10 ms interval, counted, and the event loop's delay.
    let ticks = 0;
    let ticksWhileRunning = 0;
    let running = false;
    const timer = setInterval(() => {
      ticks++;
      if (running) ticksWhileRunning++;
    }, 10);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    try {
      const { runId } = await requestRun({ db, userId }, { trigger: 'manual', now: new Date() });
      const started = await until(db, runId, ['running', 'done', 'failed']);
      running = started.status === 'running';
      const run = await until(db, runId, ['done', 'failed']);
      running = false;
      expect(run.status).toBe('done');
      expect(run.reviewsUsed).toBe(reviews);
      expect(run.kept).toBe(true);
      // A fit shorter than the binding's progress poll may report nothing; a finished one is never left part done.
      expect(run.progressDone).toBe(run.progressTotal);
      const [user] = await db.select().from(users).where(eq(users.id, userId));
      expect(user!.parameterRunId).toBe(runId);
      expect(user!.fsrsParameters).toBe(run.parameters);
      // The main thread was not blocked: its interval kept firing while the run was running.
      if (started.status === 'running') expect(ticksWhileRunning).toBeGreaterThan(0);
      process.stdout.write(
        `[optimizer worker, ${each.t.dialect}] ${reviews} reviews: run ${(run.finishedAt!.getTime() - run.startedAt!.getTime()) / 1000} s in the worker; ` +
          `this thread's event-loop delay meanwhile p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms; ${ticks} ticks of 10 ms\n`,
      );
    } finally {
      clearInterval(timer);
      delay.disable();
    }
  });

  test('finds a run another process queued by polling, and requeues a run a dead process left running', async () => {
    const { db, target } = each.t;
    const { userId } = await studentWithHistory(db, 60, 60, 2);
    const other = await addUser(db);
    // Left `running` 11 minutes ago by a process that died; another started 5 minutes ago is still someone's.
    const [stale] = await db.insert(optimizerRuns).values({ userId, trigger: 'manual', status: 'running', requestedAt: new Date(NOW.getTime() - STALE_RUN_MS - 60_000), startedAt: new Date(Date.now() - STALE_RUN_MS - 60_000) }).returning();
    const [fresh] = await db.insert(optimizerRuns).values({ userId: other, trigger: 'manual', status: 'running', requestedAt: new Date(NOW.getTime() - 300_000), startedAt: new Date(Date.now() - 300_000) }).returning();
    startOptimizerWorker(target, { pollMs: 200, sweepMs: 3_600_000 });
    const done = await until(db, stale!.id, ['done', 'failed']);
    expect(done.status).toBe('done');
    expect((await runOf(db, fresh!.id)).status).toBe('running');

    // Queued as another process would (no wake-up message to this worker): found by the 200 ms poll.
    const third = await addUser(db);
    const [queued] = await db.insert(optimizerRuns).values({ userId: third, trigger: 'manual', status: 'queued', requestedAt: new Date() }).returning();
    const found = await until(db, queued!.id, ['done', 'failed'], 20_000);
    expect(found).toMatchObject({ status: 'done', kept: false, reviewsUsed: 0 });
  });

  test('queues and executes the automatic runs that are due when it starts', async () => {
    const { db, target } = each.t;
    const { userId } = await studentWithHistory(db, 60, 60, 3);
    const idle = await addUser(db);
    startOptimizerWorker(target, { pollMs: 200, sweepMs: 3_600_000 });
    const deadline = Date.now() + 30_000;
    let runs: OptimizerRunRow[] = [];
    while (Date.now() < deadline) {
      runs = await db.select().from(optimizerRuns);
      if (runs.some((r) => r.status === 'done')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ userId, trigger: 'auto', status: 'done' });
    expect(runs.some((r) => r.userId === idle)).toBe(false);
  });

  test('a process that dies while fitting takes only itself: the run is recorded failed with how, and a new process works on', async () => {
    const { db, target } = each.t;
    const { userId } = await studentWithHistory(db, 1000, 365, 4);
    startOptimizerWorker(target, { pollMs: 3_600_000, sweepMs: 3_600_000 });
    const { runId } = await requestRun({ db, userId }, { trigger: 'manual', now: new Date() });
    // Killed once it has said which run it is fitting, as a panic inside the binding would end it.
    const deadline = Date.now() + 60_000;
    while (optimizerWorkerProcess()?.fitting !== runId) {
      if (Date.now() > deadline) throw new Error('the optimizer process never said it was fitting the run');
      await new Promise((r) => setTimeout(r, 10));
    }
    const first = optimizerWorkerProcess()!.child;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    first.kill('SIGKILL');
    const failed = await until(db, runId, ['failed', 'done'], 30_000);
    expect(failed).toMatchObject({ status: 'failed', kept: false, reason: PARAMETER_TEXT.died('signal SIGKILL') });
    expect(optimizerWorkerProcess()!.child.pid).not.toBe(first.pid);
    expect(logged.mock.calls.map((c) => String(c[0]))).toEqual([`[stride] the optimizer process died (signal SIGKILL) while fitting run ${runId}; starting another`]);
    logged.mockRestore();
    const [user] = await db.select().from(users).where(eq(users.id, userId));
    expect(user!.fsrsParameters).toBeNull();
    // The next request is served by the new process.
    const { runId: next } = await requestRun({ db, userId }, { trigger: 'manual', now: new Date() });
    expect(await until(db, next, ['done', 'failed'])).toMatchObject({ status: 'done' });
  });
});
