/** `stride analytics <bank> [--class <id>]` through the real command line, on a database the test fills. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classBanks, classes, memberships } from '../db/schema';
import { simulateRegionStudents } from './support/region-students';
import { addContentBank, addUser, openTempDb, generatedItem, type TempDb } from './db/fixture';
import { strideWith } from './support/cli';

let t: TempDb;
beforeEach(async () => {
  t = await openTempDb();
});
afterEach(async () => {
  await t.close();
});

const env = () => (t.dialect === 'postgres' ? { DATABASE_URL: t.target } : { DATABASE_PATH: t.target, DATABASE_URL: undefined });
const analytics = (...args: string[]) => strideWith(env(), 'analytics', ...args);

async function fill() {
  const { db } = t;
  const [itemId] = await addContentBank(db, 'sim', [generatedItem('conv', 'parameters', 'conv-params')]);
  const students = [await addUser(db), await addUser(db)];
  const [cls] = await db.insert(classes).values({ name: 'CNNs', instructorId: students[0]!, joinCode: 'CNNS01', createdAt: new Date(0) }).returning();
  await db.insert(classBanks).values({ classId: cls!.id, bankId: 'sim', publishedAt: new Date(0) });
  await db.insert(memberships).values({ classId: cls!.id, userId: students[1]!, joinedAt: new Date(0) });
  await simulateRegionStudents({ db, itemId: itemId!, students, reviews: 30, failIn: { feature: 'bias', region: 'counted' }, misconception: 'forgot-bias', start: new Date('2026-09-01T09:00:00Z') });
  return { classId: cls!.id };
}

describe('stride analytics', () => {
  it('prints the analytics by region as one JSON document, and a table', async () => {
    const { classId } = await fill();
    const r = await analytics('sim', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ scope: { bankId: 'sim', classId: null }, students: 2, attempts: 30 });
    expect(Object.keys(doc).sort()).toEqual(['accuracy', 'attempts', 'distribution', 'families', 'interval', 'items', 'scope', 'students']);
    const item = doc.items[0];
    expect(Object.keys(item).sort()).toEqual(['accuracy', 'attempts', 'correct', 'discrimination', 'discriminationStudents', 'distribution', 'family', 'id', 'interval', 'key', 'lapseRate', 'lapses', 'medianMs', 'misconceptions', 'regions']);
    expect(item.regions.filter((x: { flagged: boolean }) => x.flagged).map((x: { region: string }) => x.region)).toEqual(['counted']);

    // One class: its one member's 15 reviews.
    const scoped = JSON.parse((await analytics('sim', '--class', String(classId), '--json')).stdout);
    expect(scoped).toMatchObject({ scope: { classId, className: 'CNNs' }, students: 1, attempts: 15 });

    const text = await analytics('sim');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Item sim\/conv \(conv-params\): 30 attempts/);
    expect(text.stdout).toMatch(/Biases\s+biases counted\s+\d+\s+0%\s+0%–\d+%.*FLAGGED: significantly harder than the rest/);
  });

  it('exits 2 with a clear message for an unknown bank or class', async () => {
    await fill();
    expect(await analytics('nope')).toMatchObject({ code: 2, stdout: '', stderr: "stride: no bank 'nope'\n" });
    expect(await analytics('sim', '--class', '999')).toMatchObject({ code: 2, stderr: 'stride: no class 999\n' });
    expect(await analytics('sim', '--class', 'x')).toMatchObject({ code: 2, stderr: "stride: --class must be an integer, got 'x'\n" });
    expect(await analytics()).toMatchObject({ code: 2, stderr: 'stride: missing <bank>; usage: stride analytics <bank> [--class <id>]\n' });
  });
});
