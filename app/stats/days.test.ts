import { describe, expect, it } from 'vitest';
import { addDays, dayEnds, dayRange, daysBetween, studyDayOf } from './days';

describe('study-day arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-10-25', -364)).toBe('2025-10-26');
    expect(daysBetween('2026-10-20', '2026-11-02')).toBe(13);
    expect(daysBetween('2026-11-02', '2026-10-20')).toBe(-13);
    expect(dayRange('2026-10-30', '2026-11-02')).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']);
    expect(dayRange('2026-11-02', '2026-11-01')).toEqual([]);
  });

  it('finds the study day of instants in order, across the London clock change of 25 Oct 2026', () => {
    const dayOf = studyDayOf('Europe/London', 4);
    // 24 Oct: 04:00 BST (03:00Z) to 25 Oct 04:00 GMT (04:00Z): 25 hours.
    expect(dayOf(Date.parse('2026-10-24T02:59:59Z'))).toBe('2026-10-23');
    expect(dayOf(Date.parse('2026-10-24T03:00:00Z'))).toBe('2026-10-24');
    expect(dayOf(Date.parse('2026-10-25T03:59:59Z'))).toBe('2026-10-24');
    expect(dayOf(Date.parse('2026-10-25T04:00:00Z'))).toBe('2026-10-25');
    // Out of order too: the cache is only a shortcut.
    expect(dayOf(Date.parse('2026-10-24T12:00:00Z'))).toBe('2026-10-24');
  });

  it('lists day ends oldest first, 25 hours apart across the change', () => {
    const ends = dayEnds(new Date('2026-10-26T12:00:00Z'), 3, 'Europe/London', 4);
    expect(ends).toEqual([
      { day: '2026-10-24', end: Date.parse('2026-10-25T04:00:00Z') },
      { day: '2026-10-25', end: Date.parse('2026-10-26T04:00:00Z') },
      { day: '2026-10-26', end: Date.parse('2026-10-27T04:00:00Z') },
    ]);
    const ny = dayEnds(new Date('2026-11-01T15:00:00Z'), 2, 'America/New_York', 0);
    expect(ny).toEqual([
      { day: '2026-10-31', end: Date.parse('2026-11-01T04:00:00Z') },
      { day: '2026-11-01', end: Date.parse('2026-11-02T05:00:00Z') },
    ]);
  });
});
