/** `stride optimize <email>` through the real command line, on a database the test fills with a simulated history. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../db/schema';
import { addContentBank, addUser, factItem, openTempDb, type TempDb } from './db/fixture';
import { strideWith } from './support/cli';
import { simulateHistory, TRUE_PARAMETERS } from './support/fsrs-history';
import { storeHistory } from './support/stored-history';

let t: TempDb;
beforeEach(async () => {
  t = await openTempDb();
});
afterEach(async () => {
  await t.close();
});

const env = () => (t.dialect === 'postgres' ? { DATABASE_URL: t.target } : { DATABASE_PATH: t.target, DATABASE_URL: undefined });

describe('stride optimize', () => {
  it('fits now and prints the run as one JSON document; the kept set schedules the student', async () => {
    const items = await addContentBank(t.db, 'sim', Array.from({ length: 300 }, (_, i) => factItem(`c${i}`, 'sim')));
    const userId = await addUser(t.db, { email: 'sam@example.test' });
    const { reviews } = simulateHistory({ parameters: TRUE_PARAMETERS, cards: 300, days: 120, seed: 1, skipDayChance: 0.1 });
    await storeHistory(t.db, userId, reviews, items);
    const r = await strideWith(env(), 'optimize', 'SAM@example.test', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.run).toMatchObject({ userId, status: 'done', trigger: 'manual', reviewsUsed: reviews.length, kept: true });
    expect(out.run.parameters).toHaveLength(21);
    expect(out.inUse).toMatchObject({ choice: 'auto', source: 'own', runId: out.run.id });
    const [user] = await t.db.select().from(users).where(eq(users.id, userId));
    expect(JSON.parse(user!.fsrsParameters!)).toEqual(out.run.parameters);

    const text = await strideWith(env(), 'optimize', 'sam@example.test');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^sam@example\.test: run \d+, done, \d+ reviews/);
    expect(text.stdout).toContain('not kept: ');
  });

  it('refuses an unknown email with exit 2', async () => {
    const r = await strideWith(env(), 'optimize', 'nobody@example.test', '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no account has the email nobody@example.test');
  });
});
