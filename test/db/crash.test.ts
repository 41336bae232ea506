import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { parseCardState } from '../../app/scheduling/scheduler';
import { addContentBank, addUser, factItem, openTempDb, type TempDb } from './fixture';

const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const KILL_AFTER_ACKS = 400;

let t: TempDb;
afterEach(() => t.close());

/** Runs the writer until it has acknowledged `acks` reviews, then SIGKILLs it; returns every id it acknowledged. */
function runAndKill(path: string, userId: number, itemIds: string[], acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path, String(userId), ...itemIds], { stdio: ['ignore', 'pipe', 'pipe'] });
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

it('keeps every acknowledged review and an intact database when the writer is SIGKILLed mid-stream', async () => {
  t = openTempDb();
  const userId = addUser(t.db);
  const itemIds = addContentBank(t.db, 'facts', Array.from({ length: 7 }, (_, i) => factItem(`f${i}`, 'nin')));
  t.sqlite.close();

  const acked = await runAndKill(t.path, userId, itemIds, KILL_AFTER_ACKS);
  expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

  const { sqlite } = openDatabase(t.path);
  try {
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    const stored = new Set((sqlite.prepare('select client_review_id as id from reviews where user_id = ?').all(userId) as { id: string }[]).map((r) => r.id));
    const missing = acked.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    // Reviews are whole transactions: a prefix of the stream, each card at its last review's after-state.
    expect([...stored].sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))).toEqual(Array.from({ length: stored.size }, (_, i) => `crash-${i}`));
    const lastOfEachCard = sqlite
      .prepare('select c.due, c.reps, c.state, c.lapses, r.state_after from cards c join reviews r on r.id = (select max(id) from reviews where card_id = c.id)')
      .all() as { due: number; reps: number; state: number; lapses: number; state_after: string }[];
    expect(lastOfEachCard).toHaveLength(itemIds.length);
    for (const row of lastOfEachCard) {
      const after = parseCardState(row.state_after);
      expect({ due: row.due, reps: row.reps, state: row.state, lapses: row.lapses }).toEqual({ due: after.due, reps: after.reps, state: after.state, lapses: after.lapses });
    }
  } finally {
    sqlite.close();
  }
});
