/**
 * Instructors on a real SQLite file: saving banks (whole or not at all, every version kept),
 * hostile banks refused with nothing written, the preview's engine checks and the publishing
 * gate, CSV and Anki files, classes feeding the daily queue, and analytics from real reviews.
 */
import { isDeepStrictEqual } from 'node:util';
import { eq } from 'drizzle-orm';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bankVersions, banks, classBanks } from '../../db/schema';
import { ANKI_HEADER, bankToAnkiTsv, bankToYaml, importFactCardsCsv, parseBankText, readCsvRecords } from '../../app/bank-files.server';
import { readBank } from '../../app/content.server';
import { classAnalytics, bankAnalytics, median } from '../../app/models/analytics.server';
import { AccessDenied } from '../../app/models/access.server';
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
import { addUser, countRows, openTempDb, type TempDb } from './fixture';

let t: TempDb;
let instructor: number;
let student: number;
const now = new Date('2025-03-03T12:00:00Z');

beforeEach(() => {
  t = openTempDb();
  instructor = addUser(t.db, { email: 'ines@example.test', displayName: 'Ines', role: 'instructor' });
  student = addUser(t.db, { email: 'sam@example.test', displayName: 'Sam', role: 'student' });
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

function tableCounts() {
  return { banks: (t.sqlite.prepare('select count(*) as n from banks').get() as { n: number }).n, versions: countRows(t, 'bank_versions'), items: countRows(t, 'items') };
}

describe('bank files', () => {
  test('content/banks/cs231n round-trips losslessly: export → import → the same bank, also through the database', () => {
    const original = readBank('content/banks/cs231n');
    const yaml = bankToYaml(original);
    const reparsed = parseBankText(yaml);
    expect(reparsed.ok).toBe(true);
    expect(reparsed.ok && isDeepStrictEqual(reparsed.bank, original)).toBe(true);
    // Saved as an instructor's bank and exported again: the same bank, and the same file.
    const saved = saveBankText({ db: t.db, userId: instructor, text: yaml, now });
    expect(saved.ok).toBe(true);
    const stored = latestStoredBank({ db: t.db, bankId: original.id });
    expect(isDeepStrictEqual(stored, original)).toBe(true);
    expect(bankToYaml(exportableBank({ db: t.db, userId: instructor, bankId: original.id }))).toBe(yaml);
  });

  test('CSV: basic, cloze and choice rows with quoted commas, quotes and line breaks become items', () => {
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

  test('CSV: every bad row is reported with its row number, and no items come out', () => {
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

  test('CSV: a wrong field count, an unterminated quote, an unknown column and generated rows are refused', () => {
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

  test('Anki: the header lines, HTML-escaped fields, tags in column 3, generated items left out', () => {
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
    expect(lines.slice(0, 3)).toEqual(['#separator:tab', '#html:true', '#tags column:3']);
    expect(lines.slice(0, 3)).toEqual([...ANKI_HEADER]);
    expect(lines[3]).toBe('Is 3 &lt; 5 &amp; &lt;b&gt;bold&lt;/b&gt;? Tabbed\tLine one<br>Line two\tvgg depth');
    expect(lines[4]).toBe('ResNet adds [1 …] shortcuts\tResNet adds identity shortcuts\tresnet');
    for (const line of lines.slice(3)) expect(line.split('\t')).toHaveLength(3);
  });
});

describe('saving banks', () => {
  test('each save keeps the previous version; an unchanged save writes nothing; any version can be reopened', () => {
    const v1 = bankYaml('my-bank', FACT_ITEM);
    const v2 = `${v1}  - id: vgg-depth\n    kind: basic\n    topic: vgg\n    tags: []\n    front: VGG16 depth?\n    back: "16"\n`;
    expect(saveBankText({ db: t.db, userId: instructor, text: v1, now }).ok).toBe(true);
    expect(saveBankText({ db: t.db, userId: instructor, text: v2, bankId: 'my-bank', now }).ok).toBe(true);
    expect(saveBankText({ db: t.db, userId: instructor, text: v2, bankId: 'my-bank', now }).ok).toBe(true);
    const versions = t.db.select().from(bankVersions).where(eq(bankVersions.bankId, 'my-bank')).all();
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
    const editable = getEditableBank({ db: t.db, userId: instructor, bankId: 'my-bank' });
    expect(editable.yaml).toBe(v2);
    expect(editable.parsed.items.map((i) => i.id)).toEqual(['alexnet-year', 'vgg-depth']);
    expect(getEditableBank({ db: t.db, userId: instructor, bankId: 'my-bank', version: 1 }).yaml).toBe(v1);
    expect(t.db.select().from(banks).where(eq(banks.id, 'my-bank')).get()).toMatchObject({ status: 'draft', version: 2, source: 'instructor', ownerId: instructor });
  });

  test('a student cannot author, and nobody edits another instructor’s bank', () => {
    const yaml = bankYaml('my-bank', FACT_ITEM);
    expect(() => saveBankText({ db: t.db, userId: student, text: yaml, now })).toThrow(AccessDenied);
    expect(tableCounts()).toEqual({ banks: 0, versions: 0, items: 0 });
    saveBankText({ db: t.db, userId: instructor, text: yaml, now });
    const other = addUser(t.db, { email: 'olga@example.test', role: 'instructor' });
    expect(() => saveBankText({ db: t.db, userId: other, text: yaml, now })).toThrow(/belongs to someone else/);
    expect(() => getEditableBank({ db: t.db, userId: other, bankId: 'my-bank' })).toThrow(AccessDenied);
  });

  test('the editor may not change the bank id', () => {
    saveBankText({ db: t.db, userId: instructor, text: bankYaml('my-bank', FACT_ITEM), now });
    const result = saveBankText({ db: t.db, userId: instructor, text: bankYaml('renamed', FACT_ITEM), bankId: 'my-bank', now });
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
  test.each(hostile)('%s is refused with a clear error and nothing is written', (_name, make, message) => {
    saveBankText({ db: t.db, userId: instructor, text: bankYaml('existing', FACT_ITEM), now });
    const before = tableCounts();
    const result = saveBankText({ db: t.db, userId: instructor, text: make(), now });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')).toMatch(message);
    for (const e of result.errors) expect(e.message.length).toBeLessThan(500);
    expect(tableCounts()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('preview and publishing', () => {
  test('AlexNet CONV1 previews as 55×55×96 in every sample, with seeds fixed per item and index, and the engine agrees', () => {
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

  test('items past the preview’s time budget are flagged unpreviewed, so the bank cannot be published', () => {
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

  test('every generated item of content/banks/cs231n passes the preview', () => {
    const preview = previewBank(readBank('content/banks/cs231n'));
    const generated = preview.filter((p): p is GeneratedPreview => p.kind === 'generated');
    expect(generated.length).toBeGreaterThan(10);
    expect(generated.filter((p) => p.flagged).map((p) => [p.itemId, p.samples.flatMap((s) => s.problems)])).toEqual([]);
  });

  test('ranges that make no valid network are flagged per sample, and publishing (to the bank or a class) is refused with the list', () => {
    saveBankText({ db: t.db, userId: instructor, text: bankYaml('flagged', ALEXNET_CONV1_ITEM + IMPOSSIBLE_ITEM), now });
    const { parsed } = getEditableBank({ db: t.db, userId: instructor, bankId: 'flagged' });
    const [ok, bad] = previewBank(parsed) as GeneratedPreview[];
    expect(ok?.flagged).toBe(false);
    expect(bad?.flagged).toBe(true);
    expect(bad?.samples.every((s) => !s.ok && s.problems.some((p) => /could not generate a question: .*no draw within the given ranges/.test(p)))).toBe(true);

    const refused = publishBank({ db: t.db, userId: instructor, bankId: 'flagged' });
    expect(refused).toMatchObject({ ok: false, message: '1 generated item failed the preview; fix their ranges before publishing' });
    expect(refused.ok === false && refused.errors.every((e) => e.path === 'items.kernel-too-big')).toBe(true);
    expect(t.db.select().from(banks).where(eq(banks.id, 'flagged')).get()?.status).toBe('draft');
    const cls = createClass({ db: t.db, userId: instructor, name: 'CNNs', now });
    expect(publishToClass({ db: t.db, userId: instructor, classId: cls.id, bankId: 'flagged', now }).ok).toBe(false);
    expect(t.db.select().from(classBanks).all()).toEqual([]);

    // Fixed, it publishes; a published bank then refuses a flagged save.
    const fixed = bankYaml('flagged', ALEXNET_CONV1_ITEM);
    expect(saveBankText({ db: t.db, userId: instructor, text: fixed, bankId: 'flagged', now }).ok).toBe(true);
    expect(publishBank({ db: t.db, userId: instructor, bankId: 'flagged' })).toEqual({ ok: true });
    const versions = countRows(t, 'bank_versions');
    expect(saveBankText({ db: t.db, userId: instructor, text: bankYaml('flagged', ALEXNET_CONV1_ITEM + IMPOSSIBLE_ITEM), bankId: 'flagged', now }).ok).toBe(false);
    expect(countRows(t, 'bank_versions')).toBe(versions);
  });
});

describe('classes and analytics', () => {
  function publishedClassBank() {
    saveBankText({ db: t.db, userId: instructor, text: bankYaml('class-bank', ALEXNET_CONV1_ITEM + FACT_ITEM), now });
    const cls = createClass({ db: t.db, userId: instructor, name: 'CNNs', now });
    expect(publishToClass({ db: t.db, userId: instructor, classId: cls.id, bankId: 'class-bank', now })).toEqual({ ok: true });
    return cls;
  }

  test('a bank published to a class enters its members’ daily queue, and only theirs', () => {
    const cls = publishedClassBank();
    const outsider = addUser(t.db, { email: 'out@example.test' });
    const queued = (userId: number) => dailyQueue({ db: t.db, userId, now }).entries.map((e) => e.itemId);
    expect(queued(student)).toEqual([]);
    joinClass({ db: t.db, userId: student, joinCode: cls.joinCode.toLowerCase(), now });
    expect(queued(student)).toEqual(expect.arrayContaining(['class-bank/alexnet-conv1', 'class-bank/alexnet-year']));
    expect(queued(outsider)).toEqual([]);
  });

  test('per item: attempts, accuracy, median time, lapses, misconceptions, too hard; restricted to members and to the instructor', () => {
    const cls = publishedClassBank();
    const students = [student, addUser(t.db, { email: 's2@example.test' }), addUser(t.db, { email: 's3@example.test' })];
    for (const s of students) joinClass({ db: t.db, userId: s, joinCode: cls.joinCode, now });
    const outsider = addUser(t.db, { email: 'out@example.test' });
    let n = 0;
    const review = (userId: number, itemId: string, correct: boolean, durationMs: number, rating: 1 | 2 | 3 | 4, misconception: string | null, at = now) =>
      submitReview({ db: t.db, userId, itemId, clientReviewId: `r${++n}`, seed: 1, rawAnswer: 'x', readAs: null, correct, misconception, rating, suggestedRating: rating, durationMs, hinted: false, now: at });
    const conv = 'class-bank/alexnet-conv1';
    const fact = 'class-bank/alexnet-year';
    // conv1: 6 attempts, 2 right → too hard; times 1,2,3,4,10,6 s → median 3.5 s.
    review(students[0]!, conv, false, 1000, 1, 'forgot-padding');
    review(students[0]!, conv, false, 2000, 1, 'forgot-padding');
    review(students[1]!, conv, true, 3000, 3, null);
    review(students[1]!, conv, false, 4000, 1, 'off-by-one');
    review(students[2]!, conv, true, 10000, 3, null);
    review(students[2]!, conv, false, 6000, 1, 'forgot-padding');
    // fact: Easy (new → review), then Again four days later: one lapse.
    review(students[0]!, fact, true, 1500, 4, null);
    review(students[0]!, fact, false, 2500, 1, null, new Date(now.getTime() + 4 * 86_400_000));
    // Someone who answered while a member and then left: their review stays out of the class's figures.
    joinClass({ db: t.db, userId: outsider, joinCode: cls.joinCode, now });
    review(outsider, conv, true, 99_000, 3, null);
    t.sqlite.prepare('delete from memberships where user_id = ?').run(outsider);

    const a = classAnalytics({ db: t.db, userId: instructor, classId: cls.id });
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
    expect(bankAnalytics({ db: t.db, userId: instructor, bankId: 'class-bank' }).attempts).toBe(9);
    const other = addUser(t.db, { email: 'olga@example.test', role: 'instructor' });
    expect(() => classAnalytics({ db: t.db, userId: other, classId: cls.id })).toThrow(AccessDenied);
    expect(() => bankAnalytics({ db: t.db, userId: other, bankId: 'class-bank' })).toThrow(AccessDenied);
  });
});

test('the exported YAML is plain data: no aliases, no tags', () => {
  const yaml = bankToYaml(readBank('content/banks/cs231n'));
  expect(yaml).not.toMatch(/(^|\s)[&*!][a-z]/m);
  expect(parseYaml(yaml).id).toBe('cs231n');
});
