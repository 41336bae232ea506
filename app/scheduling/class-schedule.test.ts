import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/random';
import { addDays, classProgress, classQuota, daysBetween, isIsoDate } from './class-schedule';

describe('dates', () => {
  it('accepts real calendar dates written YYYY-MM-DD only', () => {
    for (const d of ['2026-12-15', '2024-02-29', '2000-01-01']) expect(isIsoDate(d), d).toBe(true);
    for (const d of ['2026-02-29', '2026-13-01', '2026-1-05', '15/12/2026', '2026-12-15T00:00', '', '2026-04-31']) expect(isIsoDate(d), d).toBe(false);
  });

  it('addDays and daysBetween are inverse, across month, year and leap-day ends (random dates)', () => {
    const rng = createRng(11);
    for (let i = 0; i < 2000; i++) {
      const day = addDays('2020-01-01', rng.int(0, 3000));
      const n = rng.int(-800, 800);
      expect(daysBetween(day, addDays(day, n))).toBe(n);
      expect(isIsoDate(addDays(day, n))).toBe(true);
    }
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('classQuota', () => {
  const dates = { startsOn: '2026-03-03', learnBy: '2026-03-09' };
  it('is 0 before the start, ceil(remaining / days left) inside, everything on and after the learn-by day', () => {
    expect(classQuota(dates, '2026-03-02', 40)).toBe(0);
    expect(classQuota(dates, '2026-03-03', 40)).toBe(6); // 7 days: ceil(40 / 7)
    expect(classQuota(dates, '2026-03-08', 7)).toBe(4); // 2 days
    expect(classQuota(dates, '2026-03-09', 7)).toBe(7);
    expect(classQuota(dates, '2026-03-20', 7)).toBe(7);
    expect(classQuota(dates, '2026-03-05', 0)).toBe(0);
    expect(classQuota({ startsOn: null, learnBy: null }, '2026-03-05', 12)).toBe(12);
    expect(classQuota({ startsOn: '2026-03-10', learnBy: null }, '2026-03-05', 12)).toBe(0);
  });

  it('studied every day, introduces everything by the learn-by day, evenly (quotas within one of each other, never rising), within any budget that makes it possible (random banks)', () => {
    const rng = createRng(5);
    for (let i = 0; i < 3000; i++) {
      const startsOn = addDays('2026-01-01', rng.int(0, 60));
      const learnBy = addDays(startsOn, rng.int(0, 40));
      const join = addDays(startsOn, rng.int(-5, daysBetween(startsOn, learnBy)));
      const total = rng.int(0, 300);
      const first = join < startsOn ? startsOn : join;
      const days = daysBetween(first, learnBy) + 1;
      const budget = Math.ceil(total / days) + rng.int(0, 5);
      let remaining = total;
      const quotas: number[] = [];
      for (let day = join; day <= learnBy; day = addDays(day, 1)) {
        const q = Math.min(classQuota({ startsOn, learnBy }, day, remaining), budget);
        if (day < startsOn) expect(q).toBe(0);
        else quotas.push(q);
        remaining -= q;
      }
      expect(remaining, `${total} items, ${join} → ${learnBy}`).toBe(0);
      for (let k = 1; k < quotas.length; k++) expect(quotas[k]!).toBeLessThanOrEqual(quotas[k - 1]!);
      if (quotas.length > 0) expect(Math.max(...quotas) - Math.min(...quotas)).toBeLessThanOrEqual(1);
    }
  });
});

describe('classProgress', () => {
  const dates = { startsOn: '2026-03-03', learnBy: '2026-03-09' };
  it('says on track when the budget suffices, and the day the last one comes otherwise', () => {
    expect(classProgress(dates, '2026-03-03', { total: 40, introduced: 0, introducedToday: 0 }, 20)).toEqual({ total: 40, introduced: 0, finishesOn: '2026-03-09', onTrack: true });
    // Budget 3 from the 4th with 34 left: 3 a day for 12 days (the quota is above 3 until the 9th, then all).
    expect(classProgress(dates, '2026-03-04', { total: 40, introduced: 6, introducedToday: 0 }, 3)).toEqual({ total: 40, introduced: 6, finishesOn: '2026-03-15', onTrack: false });
    expect(classProgress(dates, '2026-03-04', { total: 40, introduced: 40, introducedToday: 2 }, 3)).toEqual({ total: 40, introduced: 40, finishesOn: null, onTrack: true });
    expect(classProgress(dates, '2026-03-04', { total: 40, introduced: 6, introducedToday: 0 }, 0)).toEqual({ total: 40, introduced: 6, finishesOn: null, onTrack: false });
  });

  it('agrees with a day-by-day simulation of the quota and the budget (random)', () => {
    const rng = createRng(9);
    for (let i = 0; i < 2000; i++) {
      const startsOn = addDays('2026-01-01', rng.int(0, 30));
      const learnBy = rng.chance(0.2) ? null : addDays(startsOn, rng.int(0, 30));
      const d = { startsOn, learnBy };
      const today = addDays(startsOn, rng.int(-3, 35));
      const total = rng.int(1, 200);
      const budget = rng.int(1, 25);
      const introduced = rng.int(0, total - 1);
      const p = classProgress(d, today, { total, introduced, introducedToday: 0 }, budget);
      let remaining = total - introduced;
      let day = today;
      for (;;) {
        remaining -= Math.min(classQuota(d, day, remaining), budget);
        if (remaining <= 0) break;
        day = addDays(day, 1);
      }
      expect(p.finishesOn).toBe(day);
      expect(p.onTrack).toBe(learnBy === null || day <= learnBy);
    }
  });
});
