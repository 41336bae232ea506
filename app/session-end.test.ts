import { describe, expect, it } from 'vitest';
import { sessionEnd, waitOf } from './session-end';

const now = new Date('2026-12-01T13:56:00Z');
const nextDayStart = new Date('2026-12-02T03:00:00Z'); // 04:00 in Paris

describe('sessionEnd', () => {
  it('names the next learning step today, in the student zone, with the wait', () => {
    const end = sessionEnd({ now, nextLearningAt: new Date('2026-12-01T14:05:00Z'), tomorrowDue: 12, nextDayStart, timeZone: 'Europe/Paris' });
    expect(end.title).toBe('Next card at 15:05');
    expect(end.text).toBe('A card you are learning comes back at 15:05 (in 9 minutes, Europe/Paris); this page shows it then. Nothing else is due today.');
  });

  it('otherwise gives the next study day, its start in the zone and its due count', () => {
    const end = sessionEnd({ now, nextLearningAt: null, tomorrowDue: 12, nextDayStart, timeZone: 'Europe/Paris' });
    expect(end.title).toBe('All done for today');
    expect(end.text).toBe('Nothing more today. The next study day starts Wed 2 Dec, 04:00 (Europe/Paris): 12 cards are due, and new cards come up to your daily limit.');
    expect(sessionEnd({ now, nextLearningAt: null, tomorrowDue: 1, nextDayStart, timeZone: 'Asia/Tokyo' }).text).toBe(
      'Nothing more today. The next study day starts Wed 2 Dec, 12:00 (Asia/Tokyo): 1 card is due, and new cards come up to your daily limit.',
    );
    expect(sessionEnd({ now, nextLearningAt: null, tomorrowDue: 0, nextDayStart, timeZone: 'UTC' }).text).toContain('no reviews are due yet');
  });

  it('a learning step past the day turning over is not "today"', () => {
    expect(sessionEnd({ now, nextLearningAt: new Date('2026-12-02T03:10:00Z'), tomorrowDue: 3, nextDayStart, timeZone: 'UTC' }).title).toBe('All done for today');
  });

  it('rounds the wait up to the minute, in hours past an hour', () => {
    expect(waitOf(now, new Date(now.getTime() + 1_000))).toBe('in 1 minute');
    expect(waitOf(now, new Date(now.getTime() + 60 * 60_000))).toBe('in 1 h');
    expect(waitOf(now, new Date(now.getTime() + 65 * 60_000 + 1))).toBe('in 1 h 6 min');
  });
});
