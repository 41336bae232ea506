/**
 * A database written before ranges were explicit: its legacy lists are upgraded at start-up,
 * in one transaction, once, and the bank reads back with the same meaning — the schema accepts
 * it and every seed rebuilds the very question the old engine drew (answers recorded from the
 * engine at f87835c, before the change).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { parseBank } from '../../engine/bank/parse';
import { generatedItemSchema } from '../../engine/bank/schema';
import { getFamily } from '../../engine/families';
import { createRng } from '../../engine/random';
import { upgradeStoredRanges } from '../../app/models/range-upgrade.server';
import { addUser, allRows, openTempDb, type TempDb } from './fixture';
import { isInjectedFailure, refuseWrites } from './failure';

const LEGACY_ITEMS = [
  { id: 'conv', kind: 'generated', topic: 'conv-arithmetic', tags: [], title: 'Conv', family: 'conv-output-size', difficulty: 2, ranges: { size: [13, 227], channels: [3, 64, 96], filters: [96], kernel: [3, 5, 7], stride: [1, 2], padding: [0, 3] } },
  { id: 'fc', kind: 'generated', topic: 'parameters', tags: [], title: 'FC', family: 'fc-params', difficulty: 2, ranges: { channels: [256, 512, 4096], units: [10, 1000], bias: [1] } },
  { id: 'fact', kind: 'basic', topic: 'vgg', tags: [], front: 'VGG?', back: '3×3' },
];

const LEGACY_YAML = `id: legacy
title: Legacy
description: Written with the list syntax.
version: "1.0.0"
items:
  # The conv item: two numbers were a range.
  - id: conv
    kind: generated
    topic: conv-arithmetic
    tags: []
    title: Conv
    family: conv-output-size
    difficulty: 2
    ranges:
      size: [13, 227]
      channels: [3, 64, 96]
      filters: [96]
      kernel: [3, 5, 7]
      stride: [1, 2]
      padding: [0, 3]
  - id: fc
    kind: generated
    topic: parameters
    tags: []
    title: FC
    family: fc-params
    difficulty: 2
    ranges: { channels: [256, 512, 4096], units: [10, 1000], bias: [1] }
  - id: fact
    kind: basic
    topic: vgg
    tags: []
    front: VGG?
    back: 3×3
`;

/** What the engine before the change answered for seeds 0…19 of each generated item. */
const LEGACY_ANSWERS: Record<string, string[]> = {
  conv: ['124×124×96', '122×122×96', '68×68×96', '171×171×96', '151×151×96', '189×189×96', '166×166×96', '183×183×96', '125×125×96', '78×78×96', '96×96×96', '210×210×96', '95×95×96', '109×109×96', '14×14×96', '53×53×96', '47×47×96', '166×166×96', '130×130×96', '133×133×96'],
  fc: ['58,605,860', '25,584,310', '1,124,413', '2,627,130', '3,031,780', '7,242,612', '2,941,646', '1,725,258', '1,698,621', '15,188,071', '1,643,298', '51,905,304', '55,148,918', '121,068', '1,214,735', '93,548', '151,589', '280,713', '100,487', '237,415'],
};

let t: TempDb;
beforeEach(async () => {
  t = await openTempDb();
  const owner = await addUser(t.db, { role: 'instructor' });
  // Rows as the app wrote them before the change (raw SQL: no model of today writes lists).
  await t.rows(sql`insert into banks (id, title, owner_id, source, status, version, updated_at) values ('legacy', 'Legacy', ${owner}, 'instructor', 'published', 1, 0)`);
  const stored = { id: 'legacy', title: 'Legacy', items: LEGACY_ITEMS, description: 'Written with the list syntax.', version: '1.0.0', yaml: LEGACY_YAML };
  await t.rows(sql`insert into bank_versions (bank_id, version, content, saved_by, saved_at) values ('legacy', 1, ${JSON.stringify(stored)}, ${owner}, 0)`);
  for (const [position, it] of LEGACY_ITEMS.entries()) {
    await t.rows(sql`insert into items (id, bank_id, key, kind, topic, family, content, position) values (${`legacy/${it.id}`}, 'legacy', ${it.id}, ${it.kind}, ${it.topic}, ${'family' in it ? it.family : null}, ${JSON.stringify(it)}, ${position})`);
  }
});
afterEach(() => t.close());

const itemContent = async (key: string) => JSON.parse((await t.rows<{ content: string }>(sql`select content from items where id = ${`legacy/${key}`}`))[0]!.content) as Record<string, unknown>;
const versionContent = async () => JSON.parse((await t.rows<{ content: string }>(sql`select content from bank_versions where bank_id = 'legacy'`))[0]!.content) as { items: unknown[]; yaml: string };

describe('upgrading stored legacy ranges at start-up', () => {
  it('rewrites items and versions to the explicit syntax, with the same meaning', async () => {
    expect(await upgradeStoredRanges({ db: t.db })).toEqual({ items: 2, versions: 1 });
    expect((await itemContent('conv')).ranges).toEqual({ size: { min: 13, max: 227 }, channels: { choices: [3, 64, 96] }, filters: 96, kernel: { choices: [3, 5, 7] }, stride: { min: 1, max: 2 }, padding: { min: 0, max: 3 } });
    expect((await itemContent('fc')).ranges).toEqual({ channels: { choices: [256, 512, 4096] }, units: { min: 10, max: 1000 }, bias: 1 });
    expect(await itemContent('fact')).toEqual(LEGACY_ITEMS[2]);
    for (const key of ['conv', 'fc']) {
      // Read back through the bank schema (not cast), then rebuilt seed by seed.
      const item = generatedItemSchema.parse(await itemContent(key));
      const answers = Array.from({ length: 20 }, (_, seed) => getFamily(item.family).generate(createRng(seed), { difficulty: item.difficulty, ranges: item.ranges }).answer.display);
      expect(answers, key).toEqual(LEGACY_ANSWERS[key]);
    }
    const version = await versionContent();
    const upgraded = [await itemContent('conv'), await itemContent('fc'), await itemContent('fact')];
    expect(version.items).toEqual(upgraded);
    // The editor's text: upgraded in place, its comment kept, and it parses as it is stored.
    expect(version.yaml).toContain('# The conv item: two numbers were a range.');
    expect(version.yaml).toContain('size: {min: 13, max: 227}');
    const parsed = parseBank({ files: [{ name: 'bank.yaml', text: version.yaml }] });
    expect(parsed.ok && parsed.bank.items).toEqual(upgraded);
  });

  it('is idempotent: a second start-up finds nothing to do and writes nothing', async () => {
    await upgradeStoredRanges({ db: t.db });
    const before = { items: await allRows(t, 'items'), versions: await allRows(t, 'bank_versions') };
    expect(await upgradeStoredRanges({ db: t.db })).toEqual({ items: 0, versions: 0 });
    expect({ items: await allRows(t, 'items'), versions: await allRows(t, 'bank_versions') }).toEqual(before);
  });

  it('writes all or nothing: a failure part-way leaves every legacy row as it was', async () => {
    const before = { items: await allRows(t, 'items'), versions: await allRows(t, 'bank_versions') };
    // A trigger that refuses the version row's update makes the transaction fail after the items were rewritten.
    await refuseWrites(t, 'bank_versions', 'update');
    expect(isInjectedFailure(await upgradeStoredRanges({ db: t.db }).catch((err: unknown) => err))).toBe(true);
    expect((await itemContent('conv')).ranges).toEqual(LEGACY_ITEMS[0]!.ranges);
    expect((await versionContent()).yaml).toBe(LEGACY_YAML);
    expect({ items: await allRows(t, 'items'), versions: await allRows(t, 'bank_versions') }).toEqual(before);
  });
});
