import { describe, expect, it } from 'vitest';
import { isTimeZone, nextDayStart, studyDay, studyDayStart } from './study-day';

const at = (iso: string) => new Date(iso);

describe('studyDay', () => {
  // Tokyo is UTC+9 all year: 04:00 JST = 19:00Z the day before.
  it('turns over at 04:00 in Asia/Tokyo, not at UTC midnight', () => {
    expect(studyDay(at('2024-06-14T18:59:59Z'), 'Asia/Tokyo', 4)).toBe('2024-06-14'); // 03:59:59 JST on the 15th
    expect(studyDay(at('2024-06-14T19:00:00Z'), 'Asia/Tokyo', 4)).toBe('2024-06-15'); // 04:00 JST
    expect(studyDay(at('2024-06-15T00:00:00Z'), 'Asia/Tokyo', 4)).toBe('2024-06-15');
  });

  // Los Angeles in June is UTC−7: 04:00 PDT = 11:00Z.
  it('turns over at 04:00 in America/Los_Angeles', () => {
    expect(studyDay(at('2024-06-15T10:59:00Z'), 'America/Los_Angeles', 4)).toBe('2024-06-14');
    expect(studyDay(at('2024-06-15T11:00:00Z'), 'America/Los_Angeles', 4)).toBe('2024-06-15');
  });

  it('follows the rollover hour', () => {
    expect(studyDay(at('2024-06-15T00:30:00Z'), 'UTC', 0)).toBe('2024-06-15');
    expect(studyDay(at('2024-06-15T00:30:00Z'), 'UTC', 1)).toBe('2024-06-14');
    expect(studyDay(at('2024-06-15T23:30:00Z'), 'UTC', 23)).toBe('2024-06-15');
    expect(() => studyDay(at('2024-06-15T00:00:00Z'), 'UTC', 24)).toThrow('rollover hour must be an integer from 0 to 23, got 24');
  });

  // 2024-03-10: Los Angeles springs forward at 02:00 PST (10:00Z) to 03:00 PDT.
  it('is 04:00 local on the spring-forward day (PDT, 11:00Z) and the day before (PST, 12:00Z)', () => {
    expect(studyDay(at('2024-03-10T11:59:00Z'), 'America/Los_Angeles', 4)).toBe('2024-03-10'); // 04:59 PDT
    expect(studyDay(at('2024-03-10T10:59:00Z'), 'America/Los_Angeles', 4)).toBe('2024-03-09'); // 03:59 PDT
    expect(studyDayStart(at('2024-03-10T15:00:00Z'), 'America/Los_Angeles', 4).toISOString()).toBe('2024-03-10T11:00:00.000Z');
    expect(studyDayStart(at('2024-03-09T15:00:00Z'), 'America/Los_Angeles', 4).toISOString()).toBe('2024-03-09T12:00:00.000Z');
    // That study day (03-09 04:00 PST → 03-10 04:00 PDT) is 23 hours long.
    const start = studyDayStart(at('2024-03-09T15:00:00Z'), 'America/Los_Angeles', 4);
    const end = nextDayStart(at('2024-03-09T15:00:00Z'), 'America/Los_Angeles', 4);
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(23);
  });

  // 2024-11-03: Los Angeles falls back at 02:00 PDT (09:00Z) to 01:00 PST: a 25-hour study day.
  it('makes the fall-back study day 25 hours long', () => {
    const now = at('2024-11-02T20:00:00Z');
    expect(studyDayStart(now, 'America/Los_Angeles', 4).toISOString()).toBe('2024-11-02T11:00:00.000Z');
    expect(nextDayStart(now, 'America/Los_Angeles', 4).toISOString()).toBe('2024-11-03T12:00:00.000Z');
  });

  // With the rollover inside the gap, the day starts at the first instant after it.
  it('starts a day whose rollover hour is skipped at the end of the gap', () => {
    expect(nextDayStart(at('2024-03-09T20:00:00Z'), 'America/Los_Angeles', 2).toISOString()).toBe('2024-03-10T10:00:00.000Z');
    // …and at the first of two 01:00s when the clocks fall back.
    expect(nextDayStart(at('2024-11-02T20:00:00Z'), 'America/Los_Angeles', 1).toISOString()).toBe('2024-11-03T08:00:00.000Z');
  });

  it('has consecutive days that tile time, over a year of hours in several zones', () => {
    for (const zone of ['Asia/Tokyo', 'America/Los_Angeles', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      for (let h = 0; h < 366 * 24; h += 29) {
        const now = new Date(Date.UTC(2024, 0, 1) + h * 3_600_000);
        const start = studyDayStart(now, zone, 4);
        const end = nextDayStart(now, zone, 4);
        expect(start.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(end.getTime()).toBeGreaterThan(now.getTime());
        expect(studyDayStart(end, zone, 4).getTime()).toBe(end.getTime());
        expect(studyDay(new Date(end.getTime() - 1), zone, 4)).toBe(studyDay(now, zone, 4));
      }
    }
  });

  it('knows zone names', () => {
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
