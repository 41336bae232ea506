import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import { parseCardState } from '../../app/scheduling/scheduler';
import { addContentBank, addUser, factItem, openTempDb, type TempDb } from './fixture';

const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const KILL_AFTER_ACKS = 400;

let t: TempDb;
afterEach(async () => {
  await t.close();
});

/** Runs the writer until it has acknowledged `acks` reviews, then SIGKILLs it; returns every id it acknowledged. */
function runAndKill(target: string, userId: number, itemIds: string[], acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, target, String(userId), ...itemIds], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ack ')) acked.push(line.slice(4));
      }
      if (acked.length >= acks && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended by itself (code ${code}): ${stderr}`));
      else resolve(acked);
    });
  });
}

it('keeps every acknowledged review, once, and a consistent database when the writer is SIGKILLed mid-stream', async () => {
  t = await openTempDb();
  const userId = await addUser(t.db);
  const itemIds = await addContentBank(t.db, 'facts', Array.from({ length: 7 }, (_, i) => factItem(`f${i}`, 'nin')));

  const acked = await runAndKill(t.target, userId, itemIds, KILL_AFTER_ACKS);
  expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

  // Opened again as a restarted server would (SQLite replays its WAL; PostgreSQL rolled the open transaction back).
  const after = await openDatabase(t.target, { poolSize: 1 });
  try {
    if (after.dialect === 'sqlite') {
      expect(after.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(after.sqlite!.pragma('foreign_key_check')).toEqual([]);
    }
    const storedIds = (await after.rows<{ id: string }>(sql`select client_review_id as id from reviews where user_id = ${userId}`)).map((r) => r.id);
    const stored = new Set(storedIds);
    expect(storedIds.length, 'a review stored twice').toBe(stored.size);
    const missing = acked.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    // Reviews are whole transactions: a prefix of the stream, each card at its last review's after-state.
    expect([...stored].sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))).toEqual(Array.from({ length: stored.size }, (_, i) => `crash-${i}`));
    const lastOfEachCard = await after.rows<{ due: number | string; reps: number; state: number; lapses: number; state_after: string; reviews: number | string }>(
      sql`select c.due, c.reps, c.state, c.lapses, r.state_after, (select count(*) from reviews a where a.card_id = c.id) as reviews
          from cards c join reviews r on r.id = (select max(id) from reviews where card_id = c.id)`,
    );
    expect(lastOfEachCard).toHaveLength(itemIds.length);
    for (const row of lastOfEachCard) {
      const state = parseCardState(row.state_after);
      expect({ due: Number(row.due), reps: row.reps, state: row.state, lapses: row.lapses }).toEqual({ due: state.due, reps: state.reps, state: state.state, lapses: state.lapses });
      // Each stored review moved its card once: reps count them (every card began New).
      expect(row.reps).toBe(Number(row.reviews));
    }
  } finally {
    await after.close();
  }
});
