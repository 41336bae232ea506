/**
 * A class bank's start and learn-by dates (both engines): refused at the field when malformed,
 * in the past of the instructor's own study day, or out of order, with nothing saved; what the
 * publish message and the students' notices promise, checked against classQuota day by day.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { banks, classBanks, subscriptions, users } from '../../db/schema';
import { AccessDenied } from '../../app/models/access.server';
import { publishToClass } from '../../app/models/authoring.server';
import {
  CLASS_DATE_ERRORS,
  ClassActionSchema,
  classBankDateErrors,
  classBankPlan,
  ClassDatesRefused,
  createClass,
  getTaughtClass,
  joinClass,
  joinedClassBanks,
  memberNotice,
  memberProgress,
  publishBankToClass,
  publishedMessage,
  setClassBankDates,
} from '../../app/models/class.server';
import { submitReview } from '../../app/models/review.server';
import { parseForm } from '../../app/forms';
import { addDays, classQuota, daysBetween } from '../../app/scheduling/class-schedule';
import { addContentBank, addUser, eachTestWithInstructor, factItem } from './fixture';

const each = eachTestWithInstructor();
const NOON = new Date('2026-12-06T12:00:00Z'); // study day 2026-12-06 in UTC (rollover 4)
const NONE = { startsOn: null, learnBy: null };

async function classWithBank(items = 40, bankId = 'drills') {
  const { t, instructor } = each;
  await addContentBank(t.db, bankId, Array.from({ length: items }, (_, i) => factItem(`f${i}`, 'vgg')));
  const cls = await createClass({ db: t.db, userId: instructor, name: 'CNNs', now: NOON });
  return { cls, bankId, itemIds: Array.from({ length: items }, (_, i) => `${bankId}/f${i}`) };
}

async function storedDates(classId: number, bankId: string) {
  return (await each.t.db.select({ startsOn: classBanks.startsOn, learnBy: classBanks.learnBy }).from(classBanks).where(and(eq(classBanks.classId, classId), eq(classBanks.bankId, bankId))))[0];
}

describe('the dates, checked', () => {
  test('malformed, past and out-of-order dates are refused at their field; empty, today and the same day are allowed', () => {
    const today = '2026-12-06';
    expect(classBankDateErrors(NONE, today)).toEqual({});
    expect(classBankDateErrors({ startsOn: today, learnBy: today }, today)).toEqual({});
    expect(classBankDateErrors({ startsOn: '2026-12-10', learnBy: '2026-12-10' }, today)).toEqual({});
    expect(classBankDateErrors({ startsOn: null, learnBy: '2027-01-15' }, today)).toEqual({});
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-5', '06/12/2026', 'tomorrow']) {
      expect(classBankDateErrors({ startsOn: bad, learnBy: null }, today)).toEqual({ startsOn: CLASS_DATE_ERRORS.malformed });
      expect(classBankDateErrors({ startsOn: null, learnBy: bad }, today)).toEqual({ learnBy: CLASS_DATE_ERRORS.malformed });
    }
    expect(classBankDateErrors({ startsOn: '2026-12-05', learnBy: null }, today)).toEqual({ startsOn: 'the start date is in the past: today is 2026-12-06; choose today or later, or leave it empty' });
    expect(classBankDateErrors({ startsOn: null, learnBy: '2026-12-05' }, today)).toEqual({ learnBy: 'the learn-by date is in the past: today is 2026-12-06; choose today or later, or leave it empty' });
    expect(classBankDateErrors({ startsOn: '2026-12-10', learnBy: '2026-12-09' }, today)).toEqual({ learnBy: 'the learn-by date is before the start date 2026-12-10: choose 2026-12-10 or later' });
    // Both wrong: both said.
    expect(classBankDateErrors({ startsOn: '2026-12-01', learnBy: 'x' }, today)).toEqual({ startsOn: CLASS_DATE_ERRORS.startInPast(today), learnBy: CLASS_DATE_ERRORS.malformed });
    // A date the bank already has may have passed (changing the other re-sends it); a new past date may not.
    const kept = { startsOn: '2026-12-01', learnBy: '2026-12-20' };
    expect(classBankDateErrors({ startsOn: '2026-12-01', learnBy: '2026-12-24' }, today, kept)).toEqual({});
    expect(classBankDateErrors({ startsOn: '2026-12-02', learnBy: '2026-12-24' }, today, kept)).toEqual({ startsOn: CLASS_DATE_ERRORS.startInPast(today) });
  });

  test('the form reads empty as "no date" and refuses a malformed one at its field', () => {
    const form = (fields: Record<string, string>) => parseForm(ClassActionSchema(), new URLSearchParams(fields));
    expect(form({ intent: 'publish', bankId: 'b', startsOn: '', learnBy: '2026-12-15' })).toEqual({ ok: true, data: { intent: 'publish', bankId: 'b', startsOn: null, learnBy: '2026-12-15' } });
    expect(form({ intent: 'publish', bankId: 'b' })).toEqual({ ok: true, data: { intent: 'publish', bankId: 'b', startsOn: null, learnBy: null } });
    expect(form({ intent: 'dates', bankId: 'b', startsOn: '2026-12-32', learnBy: '' })).toEqual({ ok: false, errors: { startsOn: CLASS_DATE_ERRORS.malformed } });
  });

  test("'past' is the instructor's own study day: their zone and rollover hour", async () => {
    const { t, instructor } = each;
    const { cls, bankId } = await classWithBank(4);
    // 12:00 UTC on 1 Dec is 02:00 on 2 Dec at UTC+14: for an instructor there, 1 Dec has passed.
    const now = new Date('2026-12-01T12:00:00Z');
    await t.db.update(users).set({ timeZone: 'Pacific/Kiritimati', rolloverHour: 0 }).where(eq(users.id, instructor));
    await expect(publishBankToClass({ db: t.db, userId: instructor, classId: cls.id, bankId, now, dates: { startsOn: '2026-12-01', learnBy: null } })).rejects.toThrow(CLASS_DATE_ERRORS.startInPast('2026-12-02'));
    expect(await t.db.select().from(classBanks)).toEqual([]);
    // In UTC with the 4:00 rollover, 03:00 on 1 Dec is still the study day of 30 Nov.
    await t.db.update(users).set({ timeZone: 'UTC', rolloverHour: 4 }).where(eq(users.id, instructor));
    await publishBankToClass({ db: t.db, userId: instructor, classId: cls.id, bankId, now: new Date('2026-12-01T03:00:00Z'), dates: { startsOn: '2026-11-30', learnBy: '2026-11-30' } });
    expect(await storedDates(cls.id, bankId)).toEqual({ startsOn: '2026-11-30', learnBy: '2026-11-30' });
  });
});

describe('publishing and changing dates', () => {
  test('publishing stores the dates; refused dates save nothing: no class row, the bank still a draft status as it was', async () => {
    const { t, instructor } = each;
    const { cls, bankId } = await classWithBank(4);
    const [before] = await t.db.select().from(banks).where(eq(banks.id, bankId));
    const refused = await publishToClass({ db: t.db, userId: instructor, classId: cls.id, bankId, now: NOON, dates: { startsOn: '2026-12-10', learnBy: '2026-12-08' } });
    expect(refused).toEqual({ ok: false, message: CLASS_DATE_ERRORS.learnByBeforeStart('2026-12-10'), errors: [{ path: 'learnBy', message: CLASS_DATE_ERRORS.learnByBeforeStart('2026-12-10') }] });
    expect(await t.db.select().from(classBanks)).toEqual([]);
    expect((await t.db.select().from(banks).where(eq(banks.id, bankId)))[0]).toEqual(before);
    expect(await publishToClass({ db: t.db, userId: instructor, classId: cls.id, bankId, now: NOON, dates: { startsOn: '2026-12-08', learnBy: '2026-12-15' } })).toEqual({ ok: true });
    expect(await storedDates(cls.id, bankId)).toEqual({ startsOn: '2026-12-08', learnBy: '2026-12-15' });
    const taught = await getTaughtClass({ db: t.db, userId: instructor, classId: cls.id });
    expect(taught.banks.map((b) => ({ id: b.id, items: b.items, startsOn: b.startsOn, learnBy: b.learnBy }))).toEqual([{ id: bankId, items: 4, startsOn: '2026-12-08', learnBy: '2026-12-15' }]);
  });

  test('change dates: set, keep a passed start, clear; bad ones leave the row as it was; only the class’s instructor; 404 for a bank not published to it', async () => {
    const { t, instructor } = each;
    const { cls, bankId } = await classWithBank(4);
    await publishBankToClass({ db: t.db, userId: instructor, classId: cls.id, bankId, now: NOON, dates: { startsOn: '2026-12-07', learnBy: null } });
    const later = new Date('2026-12-09T12:00:00Z');
    // The start (7 Dec) has passed; a learn-by added beside it is fine.
    await setClassBankDates({ db: t.db, userId: instructor, classId: cls.id, bankId, dates: { startsOn: '2026-12-07', learnBy: '2026-12-20' }, now: later });
    expect(await storedDates(cls.id, bankId)).toEqual({ startsOn: '2026-12-07', learnBy: '2026-12-20' });
    let refused: unknown;
    try {
      await setClassBankDates({ db: t.db, userId: instructor, classId: cls.id, bankId, dates: { startsOn: '2026-12-08', learnBy: '2026-12-01' }, now: later });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ClassDatesRefused);
    expect((refused as ClassDatesRefused).errors).toEqual({ startsOn: CLASS_DATE_ERRORS.startInPast('2026-12-09'), learnBy: CLASS_DATE_ERRORS.learnByInPast('2026-12-09') });
    expect(await storedDates(cls.id, bankId)).toEqual({ startsOn: '2026-12-07', learnBy: '2026-12-20' });
    await setClassBankDates({ db: t.db, userId: instructor, classId: cls.id, bankId, dates: NONE, now: later });
    expect(await storedDates(cls.id, bankId)).toEqual(NONE);

    const rival = await addUser(t.db, { email: 'rival@example.test', role: 'instructor' });
    await expect(setClassBankDates({ db: t.db, userId: rival, classId: cls.id, bankId, dates: { startsOn: null, learnBy: '2026-12-20' }, now: later })).rejects.toThrow(AccessDenied);
    await addContentBank(t.db, 'other', [factItem('x', 'vgg')]);
    const missing = await setClassBankDates({ db: t.db, userId: instructor, classId: cls.id, bankId: 'other', dates: NONE, now: later }).catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(Response);
    expect((missing as Response).status).toBe(404);
    expect(await storedDates(cls.id, bankId)).toEqual(NONE);
  });
});

describe('what members are told', () => {
  test('the plan follows classQuota day by day, for every start day and item count', () => {
    const today = '2026-12-06';
    for (let items = 1; items <= 120; items += 7) {
      for (let offset = 0; offset <= 3; offset++) {
        for (let span = 0; span <= 20; span += 3) {
          const startsOn = offset === 0 ? null : addDays(today, offset);
          const learnBy = addDays(startsOn ?? today, span);
          const dates = { startsOn, learnBy };
          const plan = classBankPlan(dates, today, items);
          // Independently: walk the days, introducing the quota of each.
          let remaining = items;
          const quotas: number[] = [];
          let last = '';
          for (let d = today; remaining > 0; d = addDays(d, 1)) {
            const q = classQuota(dates, d, remaining);
            if (q > 0) {
              quotas.push(q);
              last = d;
            }
            remaining -= q;
          }
          expect(plan.from).toBe(startsOn ?? today);
          expect(plan.lastDay).toBe(last);
          expect(plan.lastDay! <= learnBy).toBe(true);
          expect(plan.perDay).toEqual({ fewest: Math.min(...quotas), most: Math.max(...quotas) });
          // The first day has the most: a member with that many new cards a day keeps up.
          expect(quotas[0]).toBe(Math.ceil(items / (daysBetween(plan.from, learnBy) + 1)));
        }
      }
    }
  });

  test('the publish message, as the issue asks for it', () => {
    const today = '2026-12-06';
    const message = (dates: { startsOn: string | null; learnBy: string | null }, items: number) => publishedMessage({ bankTitle: 'Drills', className: 'CNNs', plan: classBankPlan(dates, today, items), today });
    expect(message({ startsOn: null, learnBy: '2026-12-15' }, 40)).toBe(
      'Published Drills to CNNs: 40 items. Members see them in their daily review from today (class banks come before their other new cards): 4 new a day, all introduced by 15 Dec. A member whose new-cards-per-day limit is below 4 falls behind; their dashboard says so.',
    );
    expect(message(NONE, 40)).toBe(
      "Published Drills to CNNs: 40 items. Members see them in their daily review from today, first among their new cards, up to each member's new-card limit (20 a day by default): all 40 within 2 days at that limit.",
    );
    expect(message({ startsOn: '2026-12-08', learnBy: null }, 12)).toBe(
      "Published Drills to CNNs: 12 items. Members see them in their daily review from 8 Dec, first among their new cards, up to each member's new-card limit (20 a day by default): all 12 on 8 Dec at that limit.",
    );
    // 41 over 10 days: 5 on the first, then 4; 150 over 5 days needs more than the default limit.
    expect(message({ startsOn: null, learnBy: '2026-12-15' }, 41)).toContain(': 4 to 5 new a day, all introduced by 15 Dec. A member whose new-cards-per-day limit is below 5 falls behind');
    expect(message({ startsOn: null, learnBy: '2026-12-10' }, 150)).toContain('30 new a day, all introduced by 10 Dec. A member whose new-cards-per-day limit is below 30 (the default is 20) falls behind');
    expect(message({ startsOn: '2027-01-04', learnBy: '2027-01-04' }, 3)).toContain('from 4 Jan 2027 (class banks come before their other new cards): all 3 on 4 Jan 2027.');
    expect(message(NONE, 0)).toBe('Published Drills to CNNs. It has no items yet: members get them in their daily review once you add some.');
  });

  test("a member's notice: progress, pace, and whether their own limit keeps up; paused said; the class page's progress", async () => {
    const { t, instructor } = each;
    const { cls, bankId, itemIds } = await classWithBank(40);
    await publishBankToClass({ db: t.db, userId: instructor, classId: cls.id, bankId, now: NOON, dates: { startsOn: null, learnBy: '2026-12-15' } });
    const sam = await addUser(t.db, { email: 'sam@example.test', displayName: 'Sam' });
    const slow = await addUser(t.db, { email: 'slow@example.test', displayName: 'Slow', newPerDay: 3 });
    for (const s of [sam, slow]) await joinClass({ db: t.db, userId: s, joinCode: cls.joinCode, now: NOON });
    // Sam answers 4 new cards today.
    for (const [i, itemId] of itemIds.slice(0, 4).entries()) {
      await submitReview({ db: t.db, userId: sam, itemId, clientReviewId: `r${i}`, seed: null, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 1000, hinted: false, now: new Date(NOON.getTime() + i * 1000) });
    }
    const [samBank] = await joinedClassBanks({ db: t.db, userId: sam, now: new Date(NOON.getTime() + 60_000) });
    expect(samBank!.progress).toEqual({ total: 40, introduced: 4, finishesOn: '2026-12-15', onTrack: true });
    expect(memberNotice(samBank!)).toBe('drills (CNNs): 4 of 40 introduced. They come first among your new cards: 4 new a day, all by 15 Dec. At your limit of 20 new cards a day you are on track.');
    const [slowBank] = await joinedClassBanks({ db: t.db, userId: slow, now: NOON });
    // 3 a day from 6 Dec: 40 items take 14 days, the last on 19 Dec.
    expect(memberNotice(slowBank!)).toBe('drills (CNNs): 0 of 40 introduced. They come first among your new cards: 4 new a day, all by 15 Dec. At your limit of 3 new cards a day you would finish on 19 Dec, after the learn-by date: raise it in your study settings.');
    await t.db.insert(subscriptions).values({ userId: slow, bankId, state: 'paused', updatedAt: NOON });
    expect(memberNotice((await joinedClassBanks({ db: t.db, userId: slow, now: NOON }))[0]!)).toBe('drills (CNNs): 0 of 40 introduced. You paused it: no new cards come from it until you turn it back on.');
    const progress = await memberProgress({ db: t.db, taught: await getTaughtClass({ db: t.db, userId: instructor, classId: cls.id }) });
    expect(progress).toEqual([
      { userId: sam, banks: [{ bankId, introduced: 4, total: 40 }] },
      { userId: slow, banks: [{ bankId, introduced: 0, total: 40 }] },
    ]);
  });
});
