/**
 * `stride db copy` and `stride db backup` (db/copy.ts, db/backup.ts, bin/commands/db.ts). Each
 * test holds both engines itself: a SQLite temp file and a database on the test PostgreSQL server
 * (TEST_DATABASE_URL; test/support/postgres.ts). Rows go in through drizzle with each engine's
 * tables, and come back out the same way, so the comparison is of what the app would read.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { eq, getTableColumns, getTableName, sql, type Column } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { connect, migrate, type Database } from '../db/client';
import { checksumRow, COPY_ERRORS, copyDatabase, digestTables, tablesInCopyOrder, type TableCopy, type TableKey } from '../db/copy';
import { tablesOf } from '../db/schema';
import { strideWith, stride } from './support/cli';
import { createEmptyDatabase, createTestDatabase } from './support/postgres';

type Row = Record<string, unknown>;

/** Tests that start the CLI several times (each start is a tsx compile, seconds on two busy cores). */
const CLI_TIMEOUT = 180_000;

let dir: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stride-copy-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A connected, migrated database, closed after the test. */
async function opened(target: string): Promise<Database> {
  const database = connect(target);
  cleanups.push(() => database.close());
  await migrate(database);
  return database;
}

async function postgresDatabase(kind: 'migrated' | 'empty' = 'migrated'): Promise<string> {
  const created = kind === 'migrated' ? await createTestDatabase() : await createEmptyDatabase();
  cleanups.push(() => created.drop());
  return created.url;
}

const at = (iso: string) => new Date(iso);

/** Text keys whose byte order differs from a locale's (case, accents, punctuation, CJK): both engines must list them alike. */
const ORDER_KEYS = ['Zebra', 'apple', 'Äpfel', 'éclair', '_under', 'a b', 'a-b', '学习', '𝔘nicode', 'z'];

/**
 * Rows in every table: instants with milliseconds, booleans both ways, nulls, unicode, JSON text,
 * reals with all their digits; more rows than a CLI batch in login_failures and items.
 */
async function fill(database: Database): Promise<void> {
  const t = tablesOf(database.dialect);
  const db = database.db;
  await db.insert(t.users).values([
    { email: 'ada@example.org', displayName: 'Ada Lovelace — “AL” ✓', role: 'instructor', passwordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==', createdAt: at('2025-01-02T03:04:05.678Z'), desiredRetention: 0.1 + 0.2 },
    { email: 'li@example.org', displayName: '李小龍 🐉', passwordHash: 'x', timeZone: 'Asia/Shanghai', rolloverHour: 0, createdAt: at('2025-02-03T00:00:00.001Z'), desiredRetention: Math.PI / 4 },
    { email: 'o@example.org', displayName: "O'Brien \"quoted\" \\ back\nnewline", passwordHash: 'y', createdAt: at('1970-01-01T00:00:00.000Z'), desiredRetention: 5e-324, maxIntervalDays: 1 },
  ]);
  const [ada, li, o] = (await db.select().from(t.users).orderBy(t.users.id)).map((u) => u.id) as [number, number, number];
  await db.insert(t.sessions).values([
    { id: 'f'.repeat(64), userId: ada, expiresAt: at('2026-01-01T00:00:00.999Z'), createdAt: at('2025-12-01T00:00:00.000Z') },
    { id: 'A'.repeat(64), userId: li, expiresAt: at('2026-01-02T00:00:00.000Z'), createdAt: at('2025-12-02T00:00:00.000Z') },
  ]);
  const failures = Array.from({ length: 2345 }, (_, i) => ({ key: i % 2 ? `account:ada@example.org` : `address:10.0.0.${i % 256}`, at: new Date(1_750_000_000_000 + i * 37) }));
  for (let i = 0; i < failures.length; i += 500) await db.insert(t.loginFailures).values(failures.slice(i, i + 500));
  await db.insert(t.passwordTokens).values([
    { tokenHash: 'tok1', userId: li, createdAt: at('2025-03-01T00:00:00.000Z'), expiresAt: at('2025-03-02T00:00:00.000Z'), usedAt: null },
    { tokenHash: 'tok2', userId: o, createdAt: at('2025-03-01T00:00:00.000Z'), expiresAt: at('2025-03-02T00:00:00.000Z'), usedAt: at('2025-03-01T12:00:00.500Z') },
  ]);
  await db.insert(t.invitations).values([
    { tokenHash: 'inv1', role: 'instructor', invitedBy: ada, createdAt: at('2025-04-01T00:00:00.000Z'), expiresAt: at('2025-04-08T00:00:00.000Z'), usedAt: null, usedBy: null },
    { tokenHash: 'inv2', role: 'student', invitedBy: ada, createdAt: at('2025-04-01T00:00:00.000Z'), expiresAt: at('2025-04-08T00:00:00.000Z'), usedAt: at('2025-04-02T00:00:00.000Z'), usedBy: li },
  ]);
  await db.insert(t.banks).values([
    { id: 'cs231n', title: 'CS231n — CNN architectures', ownerId: null, source: 'content', status: 'published', version: 3, updatedAt: at('2025-05-01T00:00:00.000Z') },
    { id: 'ada-bank', title: 'Ada’s bank', ownerId: ada, source: 'instructor', status: 'draft', updatedAt: at('2025-05-02T00:00:00.000Z') },
  ]);
  const json = JSON.stringify({ id: 'ada-bank', title: 'Ada’s bank', items: [{ id: 'q1', prompt: 'Output of 227×227×3 * 96 11×11 /4?', answer: [55, 55, 96], note: 'tab\there "q" \u0000-free' }] });
  await db.insert(t.bankVersions).values([
    { bankId: 'ada-bank', version: 1, content: json, savedBy: ada, savedAt: at('2025-05-02T00:00:00.000Z') },
    { bankId: 'cs231n', version: 1, content: '{}', savedBy: null, savedAt: at('2025-05-01T00:00:00.000Z') },
  ]);
  const itemRows = [
    ...ORDER_KEYS.map((key, i) => ({ id: `cs231n/${key}`, bankId: 'cs231n', key, kind: 'basic', topic: 'ResNet', family: null, content: JSON.stringify({ id: key, front: `Q ${key}` }), position: i, retiredAt: i === 3 ? at('2025-06-01T00:00:00.000Z') : null })),
    ...Array.from({ length: 1100 }, (_, i) => ({ id: `ada-bank/g${i}`, bankId: 'ada-bank', key: `g${i}`, kind: 'generated', topic: 'conv', family: 'conv-output', content: `{"id":"g${i}","ranges":{"k":[1,${i}]}}`, position: i, retiredAt: null })),
  ];
  for (let i = 0; i < itemRows.length; i += 300) await db.insert(t.items).values(itemRows.slice(i, i + 300));
  await db.insert(t.classes).values([
    { name: 'CS231n spring', instructorId: ada, joinCode: 'JOIN-1', createdAt: at('2025-06-01T00:00:00.000Z') },
    { name: 'Ünïcödé class', instructorId: ada, joinCode: 'JOIN-2', createdAt: at('2025-06-02T00:00:00.000Z') },
  ]);
  const [c1, c2] = (await db.select().from(t.classes).orderBy(t.classes.id)).map((c) => c.id) as [number, number];
  await db.insert(t.memberships).values([
    { classId: c1, userId: li, joinedAt: at('2025-06-03T00:00:00.000Z') },
    { classId: c1, userId: o, joinedAt: at('2025-06-03T00:00:01.000Z') },
    { classId: c2, userId: li, joinedAt: at('2025-06-04T00:00:00.000Z') },
  ]);
  await db.insert(t.classBanks).values([
    { classId: c1, bankId: 'cs231n', publishedAt: at('2025-06-05T00:00:00.000Z') },
    { classId: c1, bankId: 'ada-bank', publishedAt: at('2025-06-05T00:00:00.000Z'), startsOn: '2025-06-06', learnBy: '2025-12-15' },
    { classId: c2, bankId: 'cs231n', publishedAt: at('2025-06-06T00:00:00.000Z') },
  ]);
  await db.insert(t.cards).values([
    { userId: li, itemId: 'cs231n/Zebra', due: at('2025-07-01T04:00:00.000Z'), stability: 2.3065, difficulty: 6.123456789012345, elapsedDays: 0, scheduledDays: 2, learningSteps: 1, reps: 1, lapses: 0, state: 1, lastReview: at('2025-06-29T10:11:12.131Z'), suspended: false, leech: false },
    { userId: li, itemId: 'ada-bank/g7', due: at('2025-07-02T04:00:00.000Z'), stability: 1 / 3, difficulty: 10, elapsedDays: 3, scheduledDays: 9, learningSteps: 0, reps: 8, lapses: 5, state: 3, lastReview: null, suspended: true, leech: true, buriedUntil: at('2025-07-03T04:00:00.000Z'), promotedAt: at('2025-07-01T00:00:00.000Z'), promotedBy: 'quiz', promotedQuiz: 1 },
    { userId: o, itemId: 'cs231n/学习', due: at('2025-07-03T04:00:00.000Z'), stability: 123456.789, difficulty: 1e-10, elapsedDays: 1, scheduledDays: 1, learningSteps: 0, reps: 2, lapses: 0, state: 2, lastReview: at('2025-07-02T04:00:00.000Z'), suspended: false, leech: true },
  ]);
  const [k1, k2] = (await db.select().from(t.cards).orderBy(t.cards.id)).map((c) => c.id) as [number, number];
  const state = JSON.stringify({ due: 1751342400000, stability: 2.3065, difficulty: 6.123456789012345, state: 1 });
  await db.insert(t.reviews).values([
    { userId: li, clientReviewId: 'c-1', itemId: 'cs231n/Zebra', cardId: k1, variantSeed: null, rawAnswer: 'ResNet — 152 layers', readAs: null, correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 4321, hinted: false, stateBefore: state, stateAfter: state, reviewedAt: at('2025-06-29T10:11:12.131Z') },
    { userId: li, clientReviewId: 'c-2', itemId: 'ada-bank/g7', cardId: k2, variantSeed: 2 ** 31 - 1, rawAnswer: '55×55×96', readAs: '{"kind":"shape","value":[55,55,96]}', correct: false, misconception: 'forgot-padding', rating: 1, suggestedRating: 1, durationMs: 0, hinted: true, stateBefore: state, stateAfter: '{}', reviewedAt: at('2025-06-30T00:00:00.000Z'), origin: 'quiz', regions: '{"padding":"same","stride":"needs-floor"}' },
  ]);
  await db.insert(t.cardActions).values([
    { userId: li, cardId: k2, batch: 'b-1', action: 'suspend', before: '{"suspended":false}', at: at('2025-06-30T00:00:01.000Z') },
    { userId: li, cardId: k1, batch: 'b-2', action: 'bury', before: '{"buriedUntil":null}', at: at('2025-06-30T00:00:02.000Z') },
  ]);
  const w = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1 + 0.0542];
  const [run] = await db.insert(t.optimizerRuns).values([
    { userId: li, trigger: 'manual', status: 'done', requestedAt: at('2025-07-01T00:00:00.000Z'), startedAt: at('2025-07-01T00:00:00.250Z'), finishedAt: at('2025-07-01T00:00:01.999Z'), progressDone: 120, progressTotal: 120, reviewsUsed: 412, trainItems: 240, testItems: 60, parameters: JSON.stringify(w), logLoss: 0.3703981637954712, rmseBins: 0.038708657026290894, baselineLogLoss: 0.37176674604415894, baselineRmseBins: 0.04097362235188484, defaultLogLoss: 0.37176674604415894, defaultRmseBins: 0.04097362235188484, kept: true, reason: 'kept: predicts the held-out reviews better (“quoted”)' },
    { classId: c1, trigger: 'auto', status: 'failed', requestedAt: at('2025-07-02T00:00:00.000Z'), membersUsed: 2, kept: false, reason: 'failed: the optimizer process died while fitting (signal SIGABRT)' },
  ]).returning();
  await db.update(t.users).set({ fsrsParameters: JSON.stringify(w), parameterChoice: 'run', parameterRunId: run!.id, parameterReason: 'Your own parameters ✓' }).where(eq(t.users.id, li));
  await db.update(t.reviews).set({ predictedRecall: 0.9 - 1e-15 }).where(eq(t.reviews.clientReviewId, 'c-1'));
  await db.insert(t.subscriptions).values([
    { userId: li, bankId: 'cs231n', state: 'paused', updatedAt: at('2025-06-07T00:00:00.000Z') },
    { userId: o, bankId: 'cs231n', state: 'off', updatedAt: at('2025-06-07T00:00:00.000Z') },
  ]);
  await db.insert(t.quizAttempts).values([
    { userId: li, config: '{"topics":["ResNet"],"count":2,"minutes":null}', seeds: '[["cs231n/Zebra",null],["ada-bank/g7",12345]]', startedAt: at('2025-08-01T00:00:00.000Z'), deadlineAt: null, submittedAt: at('2025-08-01T00:10:00.000Z') },
    { userId: o, config: '{}', seeds: '[]', startedAt: at('2025-08-02T00:00:00.000Z'), deadlineAt: at('2025-08-02T00:30:00.000Z'), submittedAt: null },
  ]);
  await db.insert(t.exams).values([
    { ownerId: ada, classId: c1, title: 'Midterm — “CNNs” ✓', at: at('2025-09-01T09:00:00.000Z'), timeZone: 'Europe/London', target: 0.9, scope: '{"banks":["cs231n"],"topics":[],"families":[]}', createdAt: at('2025-08-01T00:00:00.000Z') },
    { ownerId: li, classId: null, title: '自测', at: at('2025-09-02T01:00:00.000Z'), timeZone: 'Asia/Shanghai', target: 0.7 + 0.25, scope: '{"banks":[],"topics":["resnet"],"families":["conv-output"]}', createdAt: at('2025-08-02T00:00:00.000Z') },
  ]);
  const [exam] = (await db.select().from(t.exams).orderBy(t.exams.id)).map((e) => e.id) as [number];
  await db.update(t.cards).set({ plannedForExam: exam }).where(eq(t.cards.id, k1));
  const [assignment] = await db
    .insert(t.quizAssignments)
    .values([{ classId: c1, createdBy: ada, title: 'Quiz 1', scope: '{"banks":["ada-bank"],"topics":[],"families":[]}', questionCount: 10, timeLimitMinutes: 0.05, opensAt: at('2025-08-01T00:00:00.000Z'), closesAt: at('2025-08-08T00:00:00.000Z'), attemptsAllowed: 2, mode: 'exam', createdAt: at('2025-07-30T00:00:00.000Z') }])
    .returning();
  await db.insert(t.quizAccommodations).values([{ assignmentId: assignment!.id, userId: o, extraTimePercent: 50, opensAt: null, closesAt: at('2025-08-10T00:00:00.000Z'), extraAttempts: 1 }]);
  await db.update(t.quizAttempts).set({ assignmentId: assignment!.id }).where(eq(t.quizAttempts.userId, o));
  await db.insert(t.quizRegrades).values([{ assignmentId: assignment!.id, itemId: 'ada-bank/g7', action: 'credit', reason: 'the range allowed a 0×0 output', changed: 1, by: ada, at: at('2025-08-09T00:00:00.000Z') }]);
  const [attempt] = (await db.select().from(t.quizAttempts).orderBy(t.quizAttempts.id)).map((a) => a.id) as [number];
  await db.insert(t.quizAnswers).values([
    { attemptId: attempt, position: 0, itemId: 'cs231n/Zebra', seed: null, rawAnswer: 'ResNet', readAs: '"ResNet"', correct: true, flagged: false, timeMs: 1000 },
    { attemptId: attempt, position: 1, itemId: 'ada-bank/g7', seed: 12345, rawAnswer: '', readAs: null, correct: false, flagged: true, timeMs: 0, regradedCorrect: true, dropped: false, regions: '{"padding":"zero"}' },
  ]);
  await db.insert(t.variantChecks).values([
    { itemId: 'ada-bank/g7', seed: 12345, source: 'preview', engineOk: true, tfjsOk: null, detail: null, userId: ada, checkedAt: at('2025-08-01T00:00:00.000Z') },
    { itemId: 'ada-bank/g7', seed: 2 ** 31 - 1, source: 'review', engineOk: true, tfjsOk: false, detail: 'conv1: output 27×27×96, engine 26×26×96', userId: null, checkedAt: at('2025-08-02T00:00:00.000Z') },
  ]);
  await db.insert(t.appSecrets).values([{ name: 'session', value: 'c2VjcmV0IGtleSDinJM=', createdAt: at('2025-01-01T00:00:00.000Z') }]);
}

/** Every row of every table, read through drizzle and ordered by primary key in JS (no engine collation involved). */
async function everyRow(database: Database): Promise<Record<string, Row[]>> {
  const t = tablesOf(database.dialect);
  const out: Record<string, Row[]> = {};
  for (const key of tablesInCopyOrder()) {
    const rows = (await database.db.select().from(t[key])) as Row[];
    const pk = primaryKeyOf(key);
    out[key] = rows.sort((a, b) => compareKeys(pk.map((k) => a[k]), pk.map((k) => b[k])));
  }
  return out;
}

function primaryKeyOf(key: TableKey): string[] {
  if (key === 'memberships') return ['classId', 'userId'];
  if (key === 'classBanks') return ['classId', 'bankId'];
  if (key === 'subscriptions') return ['userId', 'bankId'];
  if (key === 'quizAccommodations') return ['assignmentId', 'userId'];
  return Object.entries(getTableColumns(tablesOf('sqlite')[key]) as Record<string, Column>)
    .filter(([, column]) => column.primary)
    .map(([k]) => k);
}

function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Rows per table of what `fill` writes. */
async function countsOf(database: Database): Promise<Record<string, number>> {
  const rows = await everyRow(database);
  return Object.fromEntries(Object.entries(rows).map(([k, v]) => [getTableName(tablesOf('sqlite')[k as TableKey]), v.length]));
}

function expectAllMatch(tables: TableCopy[], counts: Record<string, number>): void {
  expect(tables.map((t) => t.table).sort()).toEqual(Object.keys(counts).sort());
  for (const t of tables) {
    expect(t, t.table).toMatchObject({ sourceRows: counts[t.table], targetRows: counts[t.table], match: true });
    expect(t.sourceChecksum).toBe(t.targetChecksum);
    expect(t.sourceChecksum).toMatch(/^[0-9a-f]{64}$/);
  }
}

interface CopyJson {
  ok: boolean;
  from: string;
  to: string;
  tables: TableCopy[];
}

describe('db copy', () => {
  test('SQLite → PostgreSQL → SQLite through the CLI: every row equal, checksums equal, identity sequences past the copied ids', async () => {
    const original = join(dir, 'original.db');
    const source = await opened(original);
    await fill(source);
    const before = await everyRow(source);
    const counts = await countsOf(source);
    await source.close();

    // A database with no tables: the copy migrates it first.
    const url = await postgresDatabase('empty');
    const there = await stride('db', 'copy', '--from', original, '--to', url, '--json');
    expect(there.stderr).toBe('');
    expect(there.code).toBe(0);
    const first = JSON.parse(there.stdout) as CopyJson;
    expect(first.ok).toBe(true);
    expectAllMatch(first.tables, counts);

    const back = join(dir, 'back.db');
    const home = await stride('db', 'copy', '--from', url, '--to', back, '--json');
    expect(home.stderr).toBe('');
    expect(home.code).toBe(0);
    const second = JSON.parse(home.stdout) as CopyJson;
    expectAllMatch(second.tables, counts);
    // The same rows hash alike on either engine.
    for (const t of second.tables) expect(t.sourceChecksum, t.table).toBe(first.tables.find((f) => f.table === t.table)!.sourceChecksum);

    const pg = await opened(url);
    expect(await everyRow(pg)).toEqual(before);
    const sqlite = await opened(back);
    expect(await everyRow(sqlite)).toEqual(before);

    // Every identity sequence stands at its table's largest id; new rows take the next one.
    const identities = await pg.rows<{ table: string; seq: string }>(
      sql`select table_name as table, pg_get_serial_sequence(quote_ident(table_name), column_name) as seq from information_schema.columns where table_schema = 'public' and is_identity = 'YES'`,
    );
    expect(identities.map((i) => i.table).sort()).toEqual(['bank_versions', 'card_actions', 'cards', 'classes', 'exams', 'login_failures', 'optimizer_runs', 'quiz_answers', 'quiz_assignments', 'quiz_attempts', 'quiz_regrades', 'reviews', 'users', 'variant_checks']);
    for (const { table, seq } of identities) {
      const [{ last, max }] = (await pg.rows(sql`select (select last_value from ${sql.raw(seq)}) as last, (select max(id) from ${sql.raw(`"${table}"`)}) as max`)) as [{ last: string; max: number }];
      expect(Number(last), table).toBe(max);
    }
    const t = tablesOf('postgres');
    const maxUser = Math.max(...before.users!.map((u) => u.id as number));
    const [user] = await pg.db.insert(t.users).values({ email: 'new@example.org', displayName: 'New', passwordHash: 'z', createdAt: new Date() }).returning({ id: t.users.id });
    expect(user!.id).toBe(maxUser + 1);
    const maxFailure = Math.max(...before.loginFailures!.map((f) => f.id as number));
    const [failure] = await pg.db.insert(t.loginFailures).values({ key: 'account:new', at: new Date() }).returning({ id: t.loginFailures.id });
    expect(failure!.id).toBe(maxFailure + 1);
    // And on the SQLite copy (AUTOINCREMENT follows the ids inserted).
    const s = tablesOf('sqlite');
    const [again] = await sqlite.db.insert(s.users).values({ email: 'new@example.org', displayName: 'New', passwordHash: 'z', createdAt: new Date() }).returning({ id: s.users.id });
    expect(again!.id).toBe(maxUser + 1);

    // The human form says the same.
    const text = await stride('db', 'copy', '--from', back, '--to', join(dir, 'third.db'));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Copied .*back\.db \(SQLite\) to .*third\.db \(SQLite\): /);
    expect(text.stdout).toMatch(/^login_failures +2,345 +2,345 +[0-9a-f]{16} +[0-9a-f]{16} +yes$/m);
    expect(text.stdout).toMatch(/All 24 tables match\.$/m);
  }, CLI_TIMEOUT);

  test('small batches page through every table in primary-key order (composite and text keys), both ways', async () => {
    const source = await opened(join(dir, 'a.db'));
    await fill(source);
    const before = await everyRow(source);
    const counts = await countsOf(source);
    const pg = await opened(await postgresDatabase());
    expectAllMatch(await copyDatabase(source, pg, { batchRows: 3 }), counts);
    expect(await everyRow(pg)).toEqual(before);
    const back = await opened(join(dir, 'b.db'));
    expectAllMatch(await copyDatabase(pg, back, { batchRows: 4 }), counts);
    expect(await everyRow(back)).toEqual(before);
  });

  test('a checksum sees one changed value: the canonical form of a row', async () => {
    const source = await opened(join(dir, 'a.db'));
    await fill(source);
    const pg = await opened(await postgresDatabase());
    await copyDatabase(source, pg);
    const t = tablesOf('postgres');
    await pg.db.update(t.cards).set({ difficulty: 6.123456789012346 }).where(sql`${t.cards.difficulty} > 6 and ${t.cards.difficulty} < 7`);
    const [a, b] = [await digestTables(source), await digestTables(pg)];
    for (const key of tablesInCopyOrder()) {
      if (key === 'cards') expect(b.get(key)!.checksum).not.toBe(a.get(key)!.checksum);
      else expect(b.get(key), key).toEqual(a.get(key));
    }
    // Instants as ms, booleans as 0/1, numbers as JS numbers, null as null, in the schema's column order.
    expect(checksumRow('x', ['a', 'b', 'c', 'd', 'e', 'f'], { f: 'é', e: 0.1 + 0.2, d: null, c: false, b: true, a: new Date(1234) })).toBe('[1234,1,0,null,0.30000000000000004,"é"]');
    expect(() => checksumRow('x', ['a'], { a: { nested: 1 } })).toThrow('x.a: a value of type object has no canonical form');
  });

  test('a non-empty target is refused, naming its first non-empty table, and left as it was; --force replaces its rows', async () => {
    const original = join(dir, 'a.db');
    const source = await opened(original);
    await fill(source);
    const before = await everyRow(source);
    await source.close();
    const url = await postgresDatabase();
    expect((await stride('db', 'copy', '--from', original, '--to', url)).code).toBe(0);
    const pg = await opened(url);
    const t = tablesOf('postgres');
    await pg.db.insert(t.users).values({ email: 'extra@example.org', displayName: 'Extra', passwordHash: 'z', createdAt: new Date() });
    await pg.db.delete(t.appSecrets);

    const refused = await stride('db', 'copy', '--from', original, '--to', url, '--json');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    // In copy order, login_failures comes first of the tables that still have rows.
    expect(refused.stderr).toBe(`stride: ${COPY_ERRORS.notEmpty(pg.where, 'login_failures', 2345)}\n`);
    expect((await everyRow(pg)).users).toHaveLength(4);

    const forced = await stride('db', 'copy', '--from', original, '--to', url, '--force', '--json');
    expect(forced.code).toBe(0);
    expect((JSON.parse(forced.stdout) as CopyJson).ok).toBe(true);
    expect(await everyRow(pg)).toEqual(before);

    // A SQLite target, one row: the message counts it in the singular.
    const small = await opened(join(dir, 'small.db'));
    await small.db.insert(tablesOf('sqlite').appSecrets).values({ name: 'only', value: 'v', createdAt: new Date() });
    const one = await stride('db', 'copy', '--from', original, '--to', join(dir, 'small.db'));
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/small\.db is not empty: app_secrets has 1 row; give --force/);
  }, CLI_TIMEOUT);

  test('a copy that fails half-way leaves the target as it was, and names the table', async () => {
    const source = await opened(join(dir, 'a.db'));
    await fill(source);
    // PostgreSQL text cannot hold NUL, SQLite's can: the users rows fail after the tables before them were written.
    await source.db.update(tablesOf('sqlite').users).set({ displayName: 'nul\u0000here' }).where(sql`email = 'li@example.org'`);
    const pg = await opened(await postgresDatabase());
    await expect(copyDatabase(source, pg)).rejects.toThrow(/^copying users failed, the target is left as it was: invalid byte sequence/);
    for (const [key, rows] of Object.entries(await everyRow(pg))) expect(rows, key).toEqual([]);
  });

  test('an out-of-date source is refused with what to do, before anything is written', async () => {
    const old = join(dir, 'old.db');
    const source = await opened(old);
    await fill(source);
    source.sqlite!.exec('delete from __drizzle_migrations where created_at = (select max(created_at) from __drizzle_migrations)');
    await source.close();
    const target = join(dir, 'target.db');
    const refused = await stride('db', 'copy', '--from', old, '--to', target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^stride: \S+old\.db is at the migration of \S+, older than this code's latest \(\S+\): start Stride on it once \(npm start with DATABASE_PATH or DATABASE_URL set to it\) so it migrates, then copy it\n$/);
    expect(existsSync(target)).toBe(false);

    // A file with no Stride tables at all (an empty file is a valid, empty SQLite database).
    const blank = join(dir, 'blank.db');
    writeFileSync(blank, '');
    const none = await stride('db', 'copy', '--from', blank, '--to', target);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`stride: ${COPY_ERRORS.noMigrations(blank)}\n`);
    expect(existsSync(target)).toBe(false);
  }, CLI_TIMEOUT);

  test('bad input: one line naming the problem, exit 2 for usage and 1 for failure, and no source file is ever made', async () => {
    const source = join(dir, 'a.db');
    await (await opened(source)).close();
    const missing = join(dir, 'missing.db');
    const cases: { args: string[]; code: number; message: RegExp }[] = [
      { args: ['db', 'copy', '--from', source, '--to', join(dir, 'b.db'), '--frob'], code: 2, message: /^unknown option '--frob' for 'db'; usage: stride db copy --from/ },
      { args: ['db', 'copy', '--to', join(dir, 'b.db')], code: 2, message: /^missing --from <sqlite path\|postgres url>; usage: / },
      { args: ['db', 'copy', '--from', source], code: 2, message: /^missing --to <sqlite path\|postgres url>; usage: / },
      { args: ['db', 'copy', '--from', source, '--to', '--force'], code: 2, message: /^missing --to / },
      { args: ['db', 'copy', '--from', source, '--to', join(dir, '.', 'a.db')], code: 2, message: /^--from and --to are the same database \(.*a\.db\): a copy needs another target$/ },
      { args: ['db', 'copy', '--from', 'postgres://u:pw@localhost:5432/db', '--to', 'postgresql://other@localhost/db'], code: 2, message: /^--from and --to are the same database \(postgres:\/\/u:\*\*\*@localhost:5432\/db\)/ },
      { args: ['db', 'copy', '--from', missing, '--to', join(dir, 'b.db')], code: 2, message: /^--from: no SQLite database at \S+missing\.db \(db copy never creates its source; check the path\)$/ },
      { args: ['db', 'copy', '--from', 'postgres://u:pw@localhost', '--to', join(dir, 'b.db')], code: 2, message: /^--from is not a PostgreSQL URL naming a database \(postgres:\/\/user:password@host:port\/database\): postgres:\/\/u:\*\*\*@localhost$/ },
      { args: ['db', 'copy', '--from', source, '--to', 'postgres://u:pw@127.0.0.1:1/stride'], code: 1, message: /^cannot reach PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/stride: connect ECONNREFUSED/ },
      { args: ['db', 'copy', '--from', 'postgres://u:pw@127.0.0.1:1/stride', '--to', join(dir, 'b.db')], code: 1, message: /^cannot reach PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/stride: connect ECONNREFUSED/ },
      { args: ['db', 'copy', '--from', join(dir, 'not-a-db.txt'), '--to', join(dir, 'b.db')], code: 1, message: /^--from \S+not-a-db\.txt: file is not a database$/ },
      { args: ['db', 'copy', 'extra', '--from', source, '--to', join(dir, 'b.db')], code: 2, message: /^unexpected argument 'extra'/ },
      { args: ['db', 'move'], code: 2, message: /^unknown or missing subcommand 'move'; usage: / },
    ];
    writeFileSync(join(dir, 'not-a-db.txt'), 'hello, not SQLite\n');
    for (const { args, code, message } of cases) {
      const run = await stride(...args, '--json');
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code, stdout: '' });
      expect(run.stderr.split('\n')).toHaveLength(2);
      expect(run.stderr.replace(/^stride: /, '').trimEnd()).toMatch(message);
    }
    expect(existsSync(missing)).toBe(false);
    // Nor a target file, when the copy was refused.
    expect(existsSync(join(dir, 'b.db'))).toBe(false);
  }, CLI_TIMEOUT);
});

describe('db backup', () => {
  test('a backup taken while another connection keeps writing is one committed prefix, integrity ok', async () => {
    const path = join(dir, 'live.db');
    const live = await opened(path);
    const t = tablesOf('sqlite');
    // About 4 MB, so the copy is a thousand pages while the writer goes on.
    const padding = 'x'.repeat(1000);
    for (let i = 0; i < 4000; i += 500) await live.db.insert(t.loginFailures).values(Array.from({ length: 500 }, (_, j) => ({ key: `pad-${i + j}-${padding}`, at: new Date() })));

    // Each transaction writes one row to two tables: a consistent copy has both or neither.
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const n = written;
        await live.db.transaction(async (tx) => {
          await tx.insert(t.loginFailures).values({ key: `w-${n}`, at: new Date() });
          await tx.insert(t.appSecrets).values({ name: `w-${n}`, value: String(n), createdAt: new Date() });
        });
        written++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    while (written < 20) await new Promise((resolve) => setTimeout(resolve, 5));

    const file = join(dir, 'backup.db');
    const run = await strideWith({ DATABASE_PATH: path, DATABASE_URL: undefined }, 'db', 'backup', file, '--json');
    writing = false;
    await writer;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { file: string; pages: number; pageSize: number; bytes: number; integrity: string; tables: { table: string; rows: number }[] };
    expect(report.integrity).toBe('ok');
    expect(report.bytes).toBe(report.pages * report.pageSize);
    expect(report.pages).toBeGreaterThan(900);

    const copy = new BetterSqlite3(file, { readonly: true });
    cleanups.push(() => void copy.close());
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    const failures = copy.prepare(`select key from login_failures where key like 'w-%'`).pluck().all() as string[];
    const secrets = copy.prepare(`select name from app_secrets`).pluck().all() as string[];
    const k = secrets.length;
    expect(k).toBeGreaterThanOrEqual(20);
    expect(new Set(failures)).toEqual(new Set(secrets));
    expect(new Set(secrets)).toEqual(new Set(Array.from({ length: k }, (_, i) => `w-${i}`)));
    // The writer went on after the snapshot: the copy is a prefix, not the end.
    expect(written).toBeGreaterThan(k);
    const counted = Object.fromEntries(report.tables.map((r) => [r.table, r.rows]));
    expect(counted).toMatchObject({ login_failures: 4000 + k, app_secrets: k, users: 0 });
    expect(Object.keys(counted)).toEqual(expect.arrayContaining(tablesInCopyOrder().map((key) => getTableName(t[key]))));
  });

  test('refuses to overwrite a file unless --force, refuses PostgreSQL (pointing at pg_dump) and a missing database; the text form', async () => {
    const path = join(dir, 'stride.db');
    const live = await opened(path);
    await live.db.insert(tablesOf('sqlite').appSecrets).values({ name: 's', value: 'v', createdAt: new Date() });
    const file = join(dir, 'backup.db');
    writeFileSync(file, 'precious');

    const refused = await stride('db', 'backup', file, '--from', path);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`stride: ${file} already exists: give --force to replace it, or name another file\n`);

    const forced = await stride('db', 'backup', file, '--from', path, '--force');
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(new RegExp(`^Backed up ${path} to ${file}: \\d+ pages of 4,096 bytes \\([\\d,]+ bytes\\), integrity ok\\n`));
    expect(forced.stdout).toMatch(/^app_secrets +1$/m);
    expect(existsSync(`${file}-wal`)).toBe(false);

    const pg = await strideWith({ DATABASE_URL: 'postgres://u:secret@db.example/stride' }, 'db', 'backup', join(dir, 'x.dump'));
    expect(pg.code).toBe(2);
    expect(pg.stderr).toBe(
      `stride: db backup copies the SQLite file; this database is on PostgreSQL: back it up with pg_dump --format=custom --file=${join(dir, 'x.dump')} "$DATABASE_URL" (restore with pg_restore --dbname=<url> ${join(dir, 'x.dump')})\n`,
    );
    const pgFrom = await stride('db', 'backup', join(dir, 'x.dump'), '--from', 'postgres://u:secret@db.example/stride');
    expect(pgFrom.code).toBe(2);
    expect(pgFrom.stderr).toMatch(/pg_dump --format=custom --file=\S+x\.dump 'postgres:\/\/u:\*\*\*@db\.example\/stride'/);

    const none = await strideWith({ DATABASE_PATH: join(dir, 'nowhere.db'), DATABASE_URL: undefined }, 'db', 'backup', join(dir, 'y.db'));
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`stride: no SQLite database at ${join(dir, 'nowhere.db')} (DATABASE_PATH): nothing to back up\n`);
    expect(existsSync(join(dir, 'nowhere.db'))).toBe(false);
    expect(existsSync(join(dir, 'y.db'))).toBe(false);

    const itself = await stride('db', 'backup', path, '--from', path, '--force');
    expect(itself.code).toBe(2);
    expect(itself.stderr).toMatch(/the backup file is the database itself/);
  }, CLI_TIMEOUT);
});
