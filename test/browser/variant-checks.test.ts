/** POST /variant-checks on the built server (no browser): a student's engine panel reporting its tfjs check. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client';
import { items, users, variantChecks } from '../../db/schema';
import { submitReview } from '../../app/models/review.server';
import { addAccount, logIn } from '../support/accounts';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 90_000);
afterAll(async () => server?.stop());

describe('POST /variant-checks', () => {
  it('stores a shown variant’s report once, refuses others, and needs a same-origin signed-in post', async () => {
    const student = await addAccount(server, { email: 'vc@example.test', role: 'student' });
    const cookie = await logIn(server, student);
    const database = await openDatabase(server.databaseTarget);
    try {
      const { db } = database;
      const [item] = await db.select({ id: items.id }).from(items).where(eq(items.kind, 'generated')).limit(1);
      const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, student.email));
      const seed = 31337;
      await submitReview({ db, userId: user!.id, itemId: item!.id, clientReviewId: 'vc1', seed, rawAnswer: '1', readAs: null, correct: false, misconception: null, rating: 1, suggestedRating: 1, durationMs: 3000, hinted: false, now: new Date() });
      const post = (fields: Record<string, string>, headers: Record<string, string> = { cookie, origin: server.url }) => fetch(`${server.url}/variant-checks`, { method: 'POST', body: new URLSearchParams(fields), headers, redirect: 'manual' });
      const report = { itemId: item!.id, seed: String(seed), tfjsOk: 'false', detail: 'conv1 differs' };
      expect((await post(report, { origin: server.url })).status).toBe(302); // not signed in: to the login page
      expect((await post(report, { cookie, origin: 'https://elsewhere.example' })).status).toBe(403);
      expect((await post({ ...report, tfjsOk: 'maybe' })).status).toBe(400);
      expect((await post({ ...report, seed: '7' })).status).toBe(403); // never shown to this student
      expect((await post({ ...report, itemId: 'no/such' })).status).toBe(404);
      const first = await post(report);
      expect(first.status).toBe(200);
      expect((await post({ ...report, tfjsOk: 'true' })).status).toBe(200);
      const rows = await db.select().from(variantChecks).where(and(eq(variantChecks.itemId, item!.id), eq(variantChecks.seed, seed)));
      expect(rows.map((r) => [r.source, r.engineOk, r.tfjsOk, r.detail, r.userId])).toEqual([['review', true, false, 'tfjs: conv1 differs', user!.id]]);
    } finally {
      await database.close();
    }
  }, 120_000);
});
