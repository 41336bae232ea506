/**
 * Instructors on a real SQLite file: saving banks (whole or not at all, every version kept),
 * hostile banks refused with nothing written, the preview's engine checks and the publishing
 * gate, CSV and Anki files, classes feeding the daily queue, and analytics from real reviews.
 */
import { isDeepStrictEqual } from 'node:util';
import { desc, eq } from 'drizzle-orm';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bankVersions, banks, classBanks, memberships } from '../../db/schema';
import { ANKI_HEADER, bankToAnkiTsv, bankToYaml, importFactCardsCsv, parseBankText, readCsvRecords } from '../../app/bank-files.server';
import { readBank } from '../../app/content.server';
import { classAnalytics, bankAnalytics, median } from '../../app/models/analytics.server';
import { AccessDenied } from '../../app/models/access.server';
import { BANK_ERRORS, setBankStatus } from '../../app/models/bank.server';
import {
  exportableBank,
  getEditableBank,
  latestStoredBank,
  previewBank,
  previewGeneratedItem,
  publishBank,
  publishToClass,
  saveBankText,
  type GeneratedPreview,
} from '../../app/models/authoring.server';
import { createClass, joinClass } from '../../app/models/class.server';
import { dailyQueue } from '../../app/models/queue.server';
import { submitReview } from '../../app/models/review.server';
import { sampleSeed } from '../../engine/bank/item';
import type { BankItem, GeneratedItem } from '../../engine/bank/schema';
import { addUser, allRows, countRows, openTempDb, type TempDb } from './fixture';
import { isInjectedFailure, refuseWrites } from './failure';

let t: TempDb;
let instructor: number;
let student: number;
const now = new Date('2025-03-03T12:00:00Z');

beforeEach(async () => {
  t = await openTempDb();
  instructor = await addUser(t.db, { email: 'ines@example.test', displayName: 'Ines', role: 'instructor' });
  student = await addUser(t.db, { email: 'sam@example.test', displayName: 'Sam', role: 'student' });
});

afterEach(() => t.close());

/** A one-file bank with the given items (YAML written by hand, as an author would). */
function bankYaml(id: string, itemsYaml: string, title = 'Test bank'): string {
  return `id: ${id}\ntitle: ${title}\ndescription: A bank for tests.\nversion: "1.0.0"\nitems:\n${itemsYaml}`;
}

/** AlexNet CONV1 as the lecture gives it: 227×227×3, 96 filters 11×11, stride 4, pad 0. */
const ALEXNET_CONV1_ITEM = `  - id: alexnet-conv1
    kind: generated
    topic: alexnet
    tags: [alexnet]
    title: AlexNet CONV1 output
    family: conv-output-size
    difficulty: 1
    ranges: { size: 227, channels: 3, filters: 96, kernel: 11, stride: 4, padding: 0, dilation: 1, square: 1 }
`;

/** A window larger than the padded input: no network can be drawn. */
const IMPOSSIBLE_ITEM = `  - id: kernel-too-big
    kind: generated
    topic: conv-arithmetic
    tags: []
    title: Impossible
    family: conv-output-size
    difficulty: 1
    ranges: { size: 7, kernel: 11, padding: 0, dilation: 1, square: 1 }
`;

const FACT_ITEM = `  - id: alexnet-year
    kind: basic
    topic: alexnet
    tags: [alexnet]
    front: Which year did AlexNet win ILSVRC?
    back: "2012"
`;

async function tableCounts() {
  return { banks: await countRows(t, 'banks'), versions: await countRows(t, 'bank_versions'), items: await countRows(t, 'items') };
}

describe('bank files', () => {
  test('content/banks/cs231n round-trips losslessly: export → import → the same bank, also through the database', async () => {
    const original = readBank('content/banks/cs231n');
    const yaml = bankToYaml(original);
    const reparsed = parseBankText(yaml);
    expect(reparsed.ok).toBe(true);
    expect(reparsed.ok && isDeepStrictEqual(reparsed.bank, original)).toBe(true);
    // Saved as an instructor's bank and exported again: the same bank, and the same file.
    const saved = await saveBankText({ db: t.db, userId: instructor, text: yaml, now });
    expect(saved.ok).toBe(true);
    const stored = await latestStoredBank({ db: t.db, bankId: original.id });
    expect(isDeepStrictEqual(stored, original)).toBe(true);
    expect(bankToYaml(await exportableBank({ db: t.db, userId: instructor, bankId: original.id }))).toBe(yaml);
  });

  test('CSV: basic, cloze and choice rows with quoted commas, quotes and line breaks become items', async () => {
    const csv = [
      'kind,id,topic,tags,front,back,text,question,options,answer,explanation',
      'basic,vgg-depth,vgg,vgg,"How many weight layers does VGG16 have?","16: 13 conv, 3 FC",,,,,',
      'cloze,vgg-kernel,vgg,vgg,,,"VGG uses only {{c1::3×3}} convolutions",,,,',
      'choice,resnet-year,resnet,"resnet history",,,,"Which year, exactly, did ResNet win?",2014|2015|"2016",b,"ResNet won ILSVRC ""2015""."',
      '',
    ].join('\r\n');
    const result = importFactCardsCsv(csv);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.items).toEqual([
      { id: 'vgg-depth', kind: 'basic', topic: 'vgg', tags: ['vgg'], front: 'How many weight layers does VGG16 have?', back: '16: 13 conv, 3 FC' },
      { id: 'vgg-kernel', kind: 'cloze', topic: 'vgg', tags: ['vgg'], text: 'VGG uses only {{c1::3×3}} convolutions' },
      {
        id: 'resnet-year',
        kind: 'choice',
        topic: 'resnet',
        tags: ['resnet', 'history'],
        question: 'Which year, exactly, did ResNet win?',
        options: [
          { key: 'a', text: '2014' },
          { key: 'b', text: '2015' },
          { key: 'c', text: '"2016"' },
        ],
        answer: 'b',
        explanation: 'ResNet won ILSVRC "2015".',
      },
    ]);
  });

  test('CSV: every bad row is reported with its row number, and no items come out', async () => {
    const existing: BankItem[] = [{ id: 'taken', kind: 'basic', topic: 'vgg', tags: [], front: 'f', back: 'b' }];
    const csv = [
      'kind,id,topic,front,back,text,question,options,answer,explanation',
      'basic,fine-card,vgg,Front,Back,,,,,', // row 2: good
      'flashcard,odd-kind,vgg,Front,Back,,,,,', // row 3: unknown kind
      'cloze,no-deletion,vgg,,,No blanks here,,,,', // row 4: cloze without {{c1::…}}
      'choice,bad-answer,vgg,,,,Which?,x|y,z,Because.', // row 5: answer is not an option
      'basic,taken,vgg,Front,Back,,,,,', // row 6: id already in the bank
      'basic,Bad Id,vgg,Front,Back,,,,,', // row 7: id not kebab-case
      'basic,no-topic,,Front,Back,,,,,', // row 8: topic missing
    ].join('\n');
    const result = importFactCardsCsv(csv, existing);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...new Set(result.errors.map((e) => e.row))]).toEqual([3, 4, 5, 6, 7, 8]);
    expect(result.errors.find((e) => e.row === 3)?.message).toMatch(/kind must be one of: basic, cloze, choice, generated/);
    expect(result.errors.find((e) => e.row === 4)?.message).toMatch(/at least one deletion/);
    expect(result.errors.find((e) => e.row === 5)?.message).toMatch(/answer 'z' is not an option key/);
    expect(result.errors.find((e) => e.row === 6)?.message).toMatch(/taken/);
    expect(result.errors.find((e) => e.row === 7)?.column).toBe('id');
  });

  test('CSV: a wrong field count, an unterminated quote, an unknown column and generated rows are refused', async () => {
    expect(importFactCardsCsv('kind,id,topic,front,back\nbasic,a,vgg,F\n')).toEqual({ ok: false, errors: [expect.objectContaining({ row: 2, message: expect.stringMatching(/4 fields, the header has 5/) })] });
    const open = importFactCardsCsv('kind,id,topic,front,back\nbasic,a,vgg,"never closed,B\n');
    expect(open.ok === false && open.errors[0]?.message).toMatch(/never closed/);
    expect(importFactCardsCsv('kind,id,topic,colour\n')).toEqual({ ok: false, errors: [expect.objectContaining({ row: 1, column: 'colour' })] });
    const generated = importFactCardsCsv('kind,id,topic\ngenerated,g,vgg\n');
    expect(generated.ok === false && generated.errors[0]).toMatchObject({ row: 2, column: 'kind' });
    expect(readCsvRecords('a,"b\nc",d\ne,f,g').records.map((r) => [r.fields, r.line])).toEqual([
      [['a', 'b\nc', 'd'], 1],
      [['e', 'f', 'g'], 3],
    ]);
  });

  test('Anki: the header lines, HTML-escaped fields, Basic and Cloze notes, tags in column 5, generated items left out', async () => {
    const parsed = parseBankText(
      bankYaml(
        'anki-test',
        `  - id: tricky
    kind: basic
    topic: vgg
    tags: [vgg, depth]
    front: "Is 3 < 5 & <b>bold</b>?\\tTabbed"
    back: "Line one\\nLine two"
${ALEXNET_CONV1_ITEM}  - id: blanks
    kind: cloze
    topic: resnet
    tags: []
    text: "ResNet adds {{c1::identity}} shortcuts"
`,
      ),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { text, notes, skipped } = bankToAnkiTsv(parsed.bank);
    expect({ notes, skipped }).toEqual({ notes: 2, skipped: 1 });
    const lines = text.trimEnd().split('\n');
    // Decision 0032: guid and note type columns, so that clozes import as Cloze notes.
    expect(lines.slice(0, 5)).toEqual(['#separator:tab', '#html:true', '#guid column:1', '#notetype column:2', '#tags column:5']);
    expect(lines.slice(0, 5)).toEqual([...ANKI_HEADER]);
    expect(lines[6]).toBe('stride:anki-test/tricky\tBasic\tIs 3 &lt; 5 &amp; &lt;b&gt;bold&lt;/b&gt;? Tabbed\tLine one<br>Line two\tvgg depth');
    expect(lines[7]).toBe('stride:anki-test/blanks\tCloze\tResNet adds {{c1::identity}} shortcuts\t\tresnet');
    for (const line of lines.slice(6)) expect(line.split('\t')).toHaveLength(5);
  });
});

describe('saving banks', () => {
  test('each save keeps the previous version; an unchanged save writes nothing; any version can be reopened', async () => {
    const v1 = bankYaml('my-bank', FACT_ITEM);
    const v2 = `${v1}  - id: vgg-depth\n    kind: basic\n    topic: vgg\n    tags: []\n    front: VGG16 depth?\n    back: "16"\n`;
    expect((await saveBankText({ db: t.db, userId: instructor, text: v1, now })).ok).toBe(true);
    expect((await saveBankText({ db: t.db, userId: instructor, text: v2, bankId: 'my-bank', now })).ok).toBe(true);
    expect((await saveBankText({ db: t.db, userId: instructor, text: v2, bankId: 'my-bank', now })).ok).toBe(true);
    const versions = (await t.db.select().from(bankVersions).where(eq(bankVersions.bankId, 'my-bank')));
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
    const editable = await getEditableBank({ db: t.db, userId: instructor, bankId: 'my-bank' });
    expect(editable.yaml).toBe(v2);
    expect(editable.parsed.items.map((i) => i.id)).toEqual(['alexnet-year', 'vgg-depth']);
    expect((await getEditableBank({ db: t.db, userId: instructor, bankId: 'my-bank', version: 1 })).yaml).toBe(v1);
    expect((await t.db.select().from(banks).where(eq(banks.id, 'my-bank')))[0]).toMatchObject({ status: 'draft', version: 2, source: 'instructor', ownerId: instructor });
  });

  test('a student cannot author, and nobody edits another instructor’s bank', async () => {
    const yaml = bankYaml('my-bank', FACT_ITEM);
    await expect(saveBankText({ db: t.db, userId: student, text: yaml, now })).rejects.toThrow(AccessDenied);
    expect(await tableCounts()).toEqual({ banks: 0, versions: 0, items: 0 });
    await saveBankText({ db: t.db, userId: instructor, text: yaml, now });
    const other = await addUser(t.db, { email: 'olga@example.test', role: 'instructor' });
    await expect(saveBankText({ db: t.db, userId: other, text: yaml, now })).rejects.toThrow(/belongs to someone else/);
    await expect(getEditableBank({ db: t.db, userId: other, bankId: 'my-bank' })).rejects.toThrow(AccessDenied);
  });

  test('the editor may not change the bank id', async () => {
    await saveBankText({ db: t.db, userId: instructor, text: bankYaml('my-bank', FACT_ITEM), now });
    const result = await saveBankText({ db: t.db, userId: instructor, text: bankYaml('renamed', FACT_ITEM), bankId: 'my-bank', now });
    expect(result).toMatchObject({ ok: false, errors: [{ path: 'bank.yaml: id', message: expect.stringMatching(/editor edits 'my-bank'/) }] });
  });

  const hostile: [string, () => string, RegExp][] = [
    ['malformed YAML', () => 'id: broken\ntitle: [unclosed\nitems:\n  - id: x', /bank\.yaml:3:1: .*end with a \]/],
    ['a 10 MB string', () => bankYaml('huge', FACT_ITEM).replace('A bank for tests.', 'x'.repeat(10 * 1024 * 1024)), /limit is 2,097,152 bytes/],
    ['a __proto__ key', () => bankYaml('proto', FACT_ITEM.replace('front:', '__proto__: { polluted: true }\n    front:')), /'__proto__' is not allowed/],
    ['a constructor key', () => bankYaml('ctor', FACT_ITEM.replace('front:', 'constructor: { prototype: { polluted: true } }\n    front:')), /'constructor' is not allowed/],
    ['ranges that explode to 10⁹ channels', () => bankYaml('explode', ALEXNET_CONV1_ITEM.replace('filters: 96', 'filters: 1000000000')), /≤ 8192/],
    ['an alias bomb', () => `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 30 }, (_, i) => `k${i}: [*a, *a, *a, *a]`).join('\n')}\n`, /alias/],
  ];
  test.each(hostile)('%s is refused with a clear error and nothing is written', async (_name, make, message) => {
    await saveBankText({ db: t.db, userId: instructor, text: bankYaml('existing', FACT_ITEM), now });
    const before = await tableCounts();
    const result = await saveBankText({ db: t.db, userId: instructor, text: make(), now });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')).toMatch(message);
    for (const e of result.errors) expect(e.message.length).toBeLessThan(500);
    expect(await tableCounts()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('saves and publishing are atomic', () => {
  const V1 = bankYaml('my-bank', ALEXNET_CONV1_ITEM);
  const edited = (title: string) => bankYaml('my-bank', ALEXNET_CONV1_ITEM.replace('AlexNet CONV1 output', title));
  const versionsOf = async () => (await t.db.select().from(bankVersions).where(eq(bankVersions.bankId, 'my-bank'))).map((v) => v.version).sort();
  const latestTitle = async () => {
    const item = (await latestStoredBank({ db: t.db, bankId: 'my-bank' }))!.items[0]!;
    return item.kind === 'generated' ? item.title : null;
  };

  test('two saves at once on the same base version: one is saved, the other refused as stale, and no version number is written twice', async () => {
    expect((await saveBankText({ db: t.db, userId: instructor, text: V1, now })).ok).toBe(true);
    const [a, b] = await Promise.all(['Edited by A', 'Edited by B'].map((title) => saveBankText({ db: t.db, userId: instructor, text: edited(title), bankId: 'my-bank', baseVersion: 1, now })));
    expect([a!.ok, b!.ok].sort()).toEqual([false, true]);
    const refused = a!.ok ? b! : a!;
    expect(refused).toEqual({ ok: false, errors: [{ path: 'bank', message: BANK_ERRORS.staleVersion('my-bank', 1, 2) }] });
    expect(await versionsOf()).toEqual([1, 2]);
    expect(await latestTitle()).toBe(a!.ok ? 'Edited by A' : 'Edited by B');
    expect((await t.db.select().from(banks).where(eq(banks.id, 'my-bank')))[0]!.version).toBe(2);
  });

  test('saves at once without a base version each get their own version number, the bank row naming the newest', async () => {
    await Promise.all(['One', 'Two', 'Three'].map((title) => saveBankText({ db: t.db, userId: instructor, text: bankYaml('my-bank', ALEXNET_CONV1_ITEM.replace('AlexNet CONV1 output', title)), now })));
    expect(await versionsOf()).toEqual([1, 2, 3]);
    const [row] = await t.db.select().from(banks).where(eq(banks.id, 'my-bank'));
    expect(row!.version).toBe(3);
    const [newest] = await t.db.select().from(bankVersions).where(eq(bankVersions.bankId, 'my-bank')).orderBy(desc(bankVersions.version)).limit(1);
    expect(JSON.parse(newest!.content).items[0].title).toBe(await latestTitle());
    expect(await countRows(t, 'items')).toBe(1);
  });

  test('a failure mid-save leaves the bank, its versions and its items as they were', async () => {
    await saveBankText({ db: t.db, userId: instructor, text: bankYaml('my-bank', ALEXNET_CONV1_ITEM), now });
    const before = { banks: await allRows(t, 'banks'), versions: await allRows(t, 'bank_versions'), items: await allRows(t, 'items') };
    // The bank row and the version are written before the items: the failure comes after them.
    await refuseWrites(t, 'items', 'insert');
    const failed = await saveBankText({ db: t.db, userId: instructor, text: bankYaml('my-bank', ALEXNET_CONV1_ITEM + FACT_ITEM), bankId: 'my-bank', now }).catch((err: unknown) => err);
    expect(isInjectedFailure(failed)).toBe(true);
    expect({ banks: await allRows(t, 'banks'), versions: await allRows(t, 'bank_versions'), items: await allRows(t, 'items') }).toEqual(before);
  });

  test('publishing writes only the version its gate checked: a save in between refuses it, and a published bank never holds a flagged version', async () => {
    await saveBankText({ db: t.db, userId: instructor, text: V1, now });
    await saveBankText({ db: t.db, userId: instructor, text: edited('Second'), bankId: 'my-bank', now });
    await expect(setBankStatus({ db: t.db, userId: instructor, bankId: 'my-bank', status: 'published', version: 1 })).rejects.toThrow(BANK_ERRORS.staleVersion('my-bank', 1, 2));
    expect((await t.db.select().from(banks).where(eq(banks.id, 'my-bank')))[0]!.status).toBe('draft');
    // A publish and a flagged save at once, whichever goes first: the bank ends published with a version that passes, or a draft.
    const flagged = bankYaml('my-bank', ALEXNET_CONV1_ITEM + IMPOSSIBLE_ITEM);
    const [published, saved] = await Promise.all([
      publishBank({ db: t.db, userId: instructor, bankId: 'my-bank' }),
      saveBankText({ db: t.db, userId: instructor, text: flagged, bankId: 'my-bank', now }),
    ]);
    const [row] = await t.db.select().from(banks).where(eq(banks.id, 'my-bank'));
    const latest = (await getEditableBank({ db: t.db, userId: instructor, bankId: 'my-bank' })).yaml;
    if (row!.status === 'published') expect(latest).toBe(edited('Second'));
    expect(published.ok).toBe(row!.status === 'published');
    expect(saved.ok).toBe(latest === flagged);
  });

  test('publishing to a class is one transaction: a failure after the class row leaves neither the row nor the status', async () => {
    await saveBankText({ db: t.db, userId: instructor, text: V1, now });
    const cls = await createClass({ db: t.db, userId: instructor, name: 'CNNs', now });
    // The class's row is written before the bank's status: the failure comes after it.
    await refuseWrites(t, 'banks', 'update');
    expect(isInjectedFailure(await publishToClass({ db: t.db, userId: instructor, classId: cls.id, bankId: 'my-bank', now }).catch((err: unknown) => err))).toBe(true);
    expect(await t.db.select().from(classBanks)).toEqual([]);
    expect((await t.db.select().from(banks).where(eq(banks.id, 'my-bank')))[0]!.status).toBe('draft');
  });

  test('publishing to a class, twice at once, stores the class once', async () => {
    await saveBankText({ db: t.db, userId: instructor, text: V1, now });
    const cls = await createClass({ db: t.db, userId: instructor, name: 'CNNs', now });
    const results = await Promise.all([1, 2].map(() => publishToClass({ db: t.db, userId: instructor, classId: cls.id, bankId: 'my-bank', now })));
    expect(results).toEqual([{ ok: true }, { ok: true }]);
    expect(await t.db.select({ classId: classBanks.classId, bankId: classBanks.bankId }).from(classBanks)).toEqual([{ classId: cls.id, bankId: 'my-bank' }]);
    expect((await t.db.select().from(banks).where(eq(banks.id, 'my-bank')))[0]!.status).toBe('published');
  });
});

describe('preview and publishing', () => {
  test('AlexNet CONV1 previews as 55×55×96 in every sample, with seeds fixed per item and index, and the engine agrees', async () => {
    const parsed = parseBankText(bankYaml('preview', ALEXNET_CONV1_ITEM));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const item = parsed.bank.items[0] as GeneratedItem;
    const preview = previewGeneratedItem(item, 5);
    const side = (227 - 11 + 2 * 0) / 4 + 1; // (W − F + 2P)/S + 1
    expect(side).toBe(55);
    expect(preview.flagged).toBe(false);
    expect(preview.samples.map((s) => s.seed)).toEqual([0, 1, 2, 3, 4].map((i) => sampleSeed('alexnet-conv1', i)));
    for (const s of preview.samples) {
      expect(s.answer).toMatchObject({ kind: 'shape', value: [side, side, 96] });
      expect(s.measured).toBe('55×55×96');
      expect(s.promptHtml).toContain('227');
      expect(s.spec?.layers[0]).toMatchObject({ kind: 'conv', filters: 96, kernel: 11, stride: 4 });
    }
    expect(previewGeneratedItem(item, 5)).toEqual(preview);
  });

  test('items past the preview’s time budget are flagged unpreviewed, so the bank cannot be published', async () => {
    const parsed = parseBankText(bankYaml('budget', ALEXNET_CONV1_ITEM + ALEXNET_CONV1_ITEM.replace('id: alexnet-conv1', 'id: second') + FACT_ITEM));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    let ms = 0;
    const clock = () => (ms += 600); // each read advances 600 ms: the second item starts past a 1 s budget
    const [first, second, fact] = previewBank(parsed.bank, 5, { budgetMs: 1000, clock });
    expect(first).toMatchObject({ itemId: 'alexnet-conv1', flagged: false });
    expect(second).toMatchObject({ itemId: 'second', flagged: true, samples: [{ problems: [expect.stringMatching(/^not previewed: the preview's 1 s budget ran out/)] }] });
    expect(fact?.kind).toBe('basic');
  });

  test('every generated item of content/banks/cs231n passes the preview', async () => {
    const preview = previewBank(readBank('content/banks/cs231n'));
    const generated = preview.filter((p): p is GeneratedPreview => p.kind === 'generated');
    expect(generated.length).toBeGreaterThan(10);
    expect(generated.filter((p) => p.flagged).map((p) => [p.itemId, p.samples.flatMap((s) => s.problems)])).toEqual([]);
  });

  test('ranges that make no valid network are flagged per sample, and publishing (to the bank or a class) is refused with the list', async () => {
    await saveBankText({ db: t.db, userId: instructor, text: bankYaml('flagged', ALEXNET_CONV1_ITEM + IMPOSSIBLE_ITEM), now });
    const { parsed } = await getEditableBank({ db: t.db, userId: instructor, bankId: 'flagged' });
    const [ok, bad] = previewBank(parsed) as GeneratedPreview[];
    expect(ok?.flagged).toBe(false);
    expect(bad?.flagged).toBe(true);
    expect(bad?.samples.every((s) => !s.ok && s.problems.some((p) => /could not generate a question: .*no draw within the given ranges/.test(p)))).toBe(true);

    const refused = await publishBank({ db: t.db, userId: instructor, bankId: 'flagged' });
    expect(refused).toMatchObject({ ok: false, message: '1 generated item failed the preview; fix their ranges before publishing' });
    expect(refused.ok === false && refused.errors.every((e) => e.path === 'items.kernel-too-big')).toBe(true);
    expect((await t.db.select().from(banks).where(eq(banks.id, 'flagged')))[0]?.status).toBe('draft');
    const cls = await createClass({ db: t.db, userId: instructor, name: 'CNNs', now });
    expect((await publishToClass({ db: t.db, userId: instructor, classId: cls.id, bankId: 'flagged', now })).ok).toBe(false);
    expect((await t.db.select().from(classBanks))).toEqual([]);

    // Fixed, it publishes; a published bank then refuses a flagged save.
    const fixed = bankYaml('flagged', ALEXNET_CONV1_ITEM);
    expect((await saveBankText({ db: t.db, userId: instructor, text: fixed, bankId: 'flagged', now })).ok).toBe(true);
    expect(await publishBank({ db: t.db, userId: instructor, bankId: 'flagged' })).toEqual({ ok: true });
    const versions = await countRows(t, 'bank_versions');
    expect((await saveBankText({ db: t.db, userId: instructor, text: bankYaml('flagged', ALEXNET_CONV1_ITEM + IMPOSSIBLE_ITEM), bankId: 'flagged', now })).ok).toBe(false);
    expect(await countRows(t, 'bank_versions')).toBe(versions);
  });
});

describe('classes and analytics', () => {
  async function publishedClassBank() {
    await saveBankText({ db: t.db, userId: instructor, text: bankYaml('class-bank', ALEXNET_CONV1_ITEM + FACT_ITEM), now });
    const cls = await createClass({ db: t.db, userId: instructor, name: 'CNNs', now });
    expect(await publishToClass({ db: t.db, userId: instructor, classId: cls.id, bankId: 'class-bank', now })).toEqual({ ok: true });
    return cls;
  }

  test('a bank published to a class enters its members’ daily queue, and only theirs', async () => {
    const cls = await publishedClassBank();
    const outsider = await addUser(t.db, { email: 'out@example.test' });
    const queued = async (userId: number) => (await dailyQueue({ db: t.db, userId, now })).entries.map((e) => e.itemId);
    expect(await queued(student)).toEqual([]);
    await joinClass({ db: t.db, userId: student, joinCode: cls.joinCode.toLowerCase(), now });
    expect(await queued(student)).toEqual(expect.arrayContaining(['class-bank/alexnet-conv1', 'class-bank/alexnet-year']));
    expect(await queued(outsider)).toEqual([]);
  });

  test('per item: attempts, accuracy, median time, lapses, misconceptions, too hard; restricted to members and to the instructor', async () => {
    const cls = await publishedClassBank();
    const students = [student, await addUser(t.db, { email: 's2@example.test' }), await addUser(t.db, { email: 's3@example.test' })];
    for (const s of students) await joinClass({ db: t.db, userId: s, joinCode: cls.joinCode, now });
    const outsider = await addUser(t.db, { email: 'out@example.test' });
    let n = 0;
    const review = async (userId: number, itemId: string, correct: boolean, durationMs: number, rating: 1 | 2 | 3 | 4, misconception: string | null, at = now) =>
      await submitReview({ db: t.db, userId, itemId, clientReviewId: `r${++n}`, seed: 1, rawAnswer: 'x', readAs: null, correct, misconception, rating, suggestedRating: rating, durationMs, hinted: false, now: at });
    const conv = 'class-bank/alexnet-conv1';
    const fact = 'class-bank/alexnet-year';
    // conv1: 6 attempts, 2 right → too hard; times 1,2,3,4,10,6 s → median 3.5 s.
    await review(students[0]!, conv, false, 1000, 1, 'forgot-padding');
    await review(students[0]!, conv, false, 2000, 1, 'forgot-padding');
    await review(students[1]!, conv, true, 3000, 3, null);
    await review(students[1]!, conv, false, 4000, 1, 'off-by-one');
    await review(students[2]!, conv, true, 10000, 3, null);
    await review(students[2]!, conv, false, 6000, 1, 'forgot-padding');
    // fact: Easy (new → review), then Again four days later: one lapse.
    await review(students[0]!, fact, true, 1500, 4, null);
    await review(students[0]!, fact, false, 2500, 1, null, new Date(now.getTime() + 4 * 86_400_000));
    // Someone who answered while a member and then left: their review stays out of the class's figures.
    await joinClass({ db: t.db, userId: outsider, joinCode: cls.joinCode, now });
    await review(outsider, conv, true, 99_000, 3, null);
    await t.db.delete(memberships).where(eq(memberships.userId, outsider));

    const a = await classAnalytics({ db: t.db, userId: instructor, classId: cls.id });
    const c = a.items.find((i) => i.itemId === conv)!;
    expect(c).toMatchObject({ attempts: 6, correct: 2, medianMs: 3500, lapses: 0, tooHard: true });
    expect(c.accuracy).toBeCloseTo(2 / 6, 12);
    expect(c.misconceptions).toEqual([
      { id: 'forgot-padding', count: 3 },
      { id: 'off-by-one', count: 1 },
    ]);
    const f = a.items.find((i) => i.itemId === fact)!;
    expect(f).toMatchObject({ attempts: 2, correct: 1, accuracy: 0.5, medianMs: 2000, lapses: 1, tooHard: false });
    expect(a).toMatchObject({ attempts: 8, lapses: 1, students: 3 });
    expect(a.medianMs).toBe(median([1000, 2000, 3000, 4000, 10000, 6000, 1500, 2500]));
    expect(a.medianMs).toBe(2750);
    expect(a.tooHard.map((i) => i.itemId)).toEqual([conv]);

    // The bank's own analytics count every student, the outsider included.
    expect((await bankAnalytics({ db: t.db, userId: instructor, bankId: 'class-bank' })).attempts).toBe(9);
    const other = await addUser(t.db, { email: 'olga@example.test', role: 'instructor' });
    await expect(classAnalytics({ db: t.db, userId: other, classId: cls.id })).rejects.toThrow(AccessDenied);
    await expect(bankAnalytics({ db: t.db, userId: other, bankId: 'class-bank' })).rejects.toThrow(AccessDenied);
  });
});

test('the exported YAML is plain data: no aliases, no tags', async () => {
  const yaml = bankToYaml(readBank('content/banks/cs231n'));
  expect(yaml).not.toMatch(/(^|\s)[&*!][a-z]/m);
  expect(parseYaml(yaml).id).toBe('cs231n');
});
