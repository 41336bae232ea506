/** Verified on N (app/models/verification.server.ts): checks recorded from previews, bank check and students' panels; counts and disagreements. */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { engineCheckOf, recordBankChecks, recordPreviewChecks, recordReviewCheck, verificationOf, verifiedItemsOf, VERIFICATION_ERRORS } from '../../app/models/verification.server';
import { previewBank } from '../../app/models/authoring.server';
import { submitReview } from '../../app/models/review.server';
import { checkVariantSeed } from '../../engine/bank/gate';
import { parseStoredItem, sampleSeed } from '../../engine/bank/item';
import type { GeneratedItem } from '../../engine/bank/schema';
import { items } from '../../db/schema';
import fs, { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bank as bankCommand } from '../../bin/commands/bank';
import { parseArgs } from '../../bin/cli';
import { readBankFiles } from '../../engine/bank/files';
import { parseBank } from '../../engine/bank/parse';
import { loadContentBank } from '../../app/models/bank.server';
import { addContentBank, addUser, eachTestDb, factItem, generatedItem, type TempDb } from './fixture';

const each = eachTestDb();
const NOW = new Date('2026-12-01T10:00:00Z');

async function setUp(t: TempDb) {
  const userId = await addUser(t.db);
  const [genId, factId] = await addContentBank(t.db, 'vb', [generatedItem('conv', 'conv-arithmetic', 'conv-output-size'), factItem('f', 'conv-arithmetic')]);
  const [row] = await t.db.select().from(items).where(sql`${items.id} = ${genId}`);
  const item = parseStoredItem({ bankId: 'vb', itemId: genId!, content: row!.content }) as GeneratedItem;
  return { userId, genId: genId!, factId: factId!, item };
}

let n = 0;
async function review(t: TempDb, userId: number, itemId: string, seed: number | null) {
  await submitReview({ db: t.db, userId, itemId, clientReviewId: `v${++n}`, seed, rawAnswer: '1', readAs: null, correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 3000, hinted: false, now: NOW });
}

const checksOf = (t: TempDb) => t.rows<{ item_id: string; seed: number; source: string; engine_ok: number; tfjs_ok: number | null; detail: string | null; user_id: number | null }>(sql`select item_id, seed, source, engine_ok, tfjs_ok, detail, user_id from variant_checks order by id`);

describe('verification', () => {
  it('the engine check of a seed is the publishing gate’s', async () => {
    const { item } = await setUp(each.t);
    for (let i = 0; i < 20; i++) {
      const seed = sampleSeed(item.id, i) ^ 12345;
      expect(engineCheckOf(item, seed)).toEqual({ engineOk: checkVariantSeed(item, seed).ok, detail: null });
    }
  });

  it('records a preview once per seed and verdict, and counts distinct seeds per item', async () => {
    const t = each.t;
    const { userId, genId, item } = await setUp(t);
    const bankItems = [item];
    const preview = previewBank({ id: 'vb', title: 'vb', items: bankItems } as never, 3);
    expect(await recordPreviewChecks({ db: t.db, bankId: 'vb', bankItems, preview, userId, now: NOW })).toBe(3);
    // The same preview again (every editor load) stores nothing new.
    expect(await recordPreviewChecks({ db: t.db, bankId: 'vb', bankItems, preview, userId, now: NOW })).toBe(0);
    const rows = await checksOf(t);
    expect(rows.map((r) => r.seed)).toEqual([0, 1, 2].map((i) => sampleSeed(item.id, i)));
    expect(rows.every((r) => r.item_id === genId && r.source === 'preview' && r.engine_ok === 1 && r.tfjs_ok === null && r.user_id === userId)).toBe(true);
    // bank check of the same seeds, with tfjs on one of them: seeds are counted once.
    const checked = [{ item, checks: [{ seed: rows[0]!.seed, engineOk: true, tfjsOk: true, detail: null }, { seed: 99, engineOk: true, tfjsOk: null, detail: null }] }];
    expect(await recordBankChecks({ db: t.db, bankId: 'vb', checked, source: 'bank-check', now: NOW })).toBe(2);
    const v = (await verificationOf({ db: t.db, itemIds: [genId, 'vb/none'] })).get(genId)!;
    expect(v).toEqual({ engineChecked: 4, tfjsChecked: 1, disagreements: [], disagreementCount: 0 });
    expect((await verificationOf({ db: t.db, itemIds: ['vb/none'] })).get('vb/none')).toEqual({ engineChecked: 0, tfjsChecked: 0, disagreements: [], disagreementCount: 0 });
  });

  it('records nothing for an item whose content differs from the stored one, or a bank not in the database', async () => {
    const t = each.t;
    const { item } = await setUp(t);
    const edited: GeneratedItem = { ...item, difficulty: 3 };
    const checks = [{ seed: 1, engineOk: true, tfjsOk: true, detail: null }];
    expect(await recordBankChecks({ db: t.db, bankId: 'vb', checked: [{ item: edited, checks }], source: 'bank-check', now: NOW })).toBe(0);
    expect(await recordBankChecks({ db: t.db, bankId: 'elsewhere', checked: [{ item, checks }], source: 'bank-check', now: NOW })).toBe(0);
    expect(await checksOf(t)).toEqual([]);
  });

  it('a student’s panel: only for a variant they answered, engine recomputed, one row per user, item and seed', async () => {
    const t = each.t;
    const { userId, genId, factId, item } = await setUp(t);
    const seed = 4242;
    const report = (fields: Partial<Parameters<typeof recordReviewCheck>[0]>) => recordReviewCheck({ db: t.db, userId, itemId: genId, seed, tfjsOk: false, detail: 'conv1: output 15×15, engine 16×16', now: NOW, ...fields });
    expect(await report({})).toEqual({ ok: false, status: 403, message: VERIFICATION_ERRORS.notShown(genId, seed) });
    await review(t, userId, genId, seed);
    expect(await report({ itemId: 'vb/missing' })).toMatchObject({ ok: false, status: 404 });
    expect(await report({ itemId: factId })).toEqual({ ok: false, status: 400, message: VERIFICATION_ERRORS.notGenerated(factId) });
    const other = await addUser(t.db);
    expect(await report({ userId: other })).toMatchObject({ ok: false, status: 403 });
    expect(await report({})).toEqual({ ok: true, recorded: true, engineOk: engineCheckOf(item, seed).engineOk });
    expect(await report({ tfjsOk: true })).toEqual({ ok: true, recorded: false, engineOk: true });
    expect(await checksOf(t)).toEqual([{ item_id: genId, seed, source: 'review', engine_ok: 1, tfjs_ok: 0, detail: 'tfjs: conv1: output 15×15, engine 16×16', user_id: userId }]);
    const [v] = await verifiedItemsOf({ db: t.db, bankId: 'vb', bankItems: [item] });
    expect(v).toEqual({
      itemId: genId,
      key: 'conv',
      title: item.title,
      engineChecked: 1,
      tfjsChecked: 1,
      disagreementCount: 1,
      disagreements: [{ seed, source: 'review', engineOk: true, tfjsOk: false, detail: 'tfjs: conv1: output 15×15, engine 16×16', at: NOW.toISOString() }],
    });
  });

  it('an engine disagreement is listed with its seed, newest first', async () => {
    const t = each.t;
    const { genId, item } = await setUp(t);
    const later = new Date(NOW.getTime() + 60_000);
    await recordBankChecks({ db: t.db, bankId: 'vb', checked: [{ item, checks: [{ seed: 7, engineOk: false, tfjsOk: null, detail: 'the engine’s analysis gives 10, the answer says 11' }] }], source: 'bank-check', now: NOW });
    await recordBankChecks({ db: t.db, bankId: 'vb', checked: [{ item, checks: [{ seed: 8, engineOk: true, tfjsOk: false, detail: 'tfjs disagrees' }, { seed: 9, engineOk: true, tfjsOk: true, detail: null }] }], source: 'bank-check', now: later });
    const v = (await verificationOf({ db: t.db, itemIds: [genId] })).get(genId)!;
    expect(v.engineChecked).toBe(3);
    expect(v.tfjsChecked).toBe(2);
    expect(v.disagreementCount).toBe(2);
    expect(v.disagreements.map((d) => [d.seed, d.engineOk, d.tfjsOk, d.source])).toEqual([
      [8, true, false, 'bank-check'],
      [7, false, null, 'bank-check'],
    ]);
  });

  it('`bank check --record` stores the samples of a bank the database holds, and only then', async () => {
    const t = each.t;
    const dir = mkdtempSync(join(tmpdir(), 'stride-verify-'));
    const saved = { url: process.env.DATABASE_URL, path: process.env.DATABASE_PATH };
    try {
      writeFileSync(join(dir, 'bank.yaml'), 'id: cli\ntitle: CLI\ndescription: A bank.\nversion: "0.1.0"\n');
      writeFileSync(join(dir, 'items.yaml'), 'items:\n  - id: g\n    kind: generated\n    topic: conv-arithmetic\n    tags: [alexnet]\n    title: Conv\n    family: conv-output-size\n    difficulty: 1\n    ranges:\n      size: {min: 28, max: 32}\n      channels: {choices: [3]}\n      filters: 16\n');
      if (t.dialect === 'postgres') process.env.DATABASE_URL = t.target;
      else {
        delete process.env.DATABASE_URL;
        process.env.DATABASE_PATH = t.target;
      }
      const run = async () => (await bankCommand.run(parseArgs(['check', dir, '--samples', '2', '--record'], bankCommand))).json as { ok: boolean; recorded: number };
      // Not in the database: nothing to record.
      expect(await run()).toMatchObject({ ok: true, recorded: 0 });
      const parsed = parseBank({ files: readBankFiles(dir, fs).files });
      if (!parsed.ok) throw new Error('the test bank does not parse');
      await loadContentBank({ db: t.db, bank: parsed.bank, now: NOW });
      expect(await run()).toMatchObject({ ok: true, recorded: 2 });
      const rows = await checksOf(t);
      expect(rows.map((r) => [r.item_id, r.seed, r.source, r.engine_ok, r.user_id])).toEqual([0, 1].map((i) => ['cli/g', sampleSeed('g', i), 'bank-check', 1, null]));
      // tfjs ran on each sample (or was unavailable: then null, never a made-up verdict).
      expect(rows.every((r) => r.tfjs_ok === 1 || r.tfjs_ok === null)).toBe(true);
      expect(await run()).toMatchObject({ recorded: 0 });
    } finally {
      for (const [key, value] of [['DATABASE_URL', saved.url], ['DATABASE_PATH', saved.path]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
