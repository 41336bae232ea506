import { describe, expect, it } from 'vitest';
import { State } from '../scheduling/scheduler';
import { studyDayOf } from './days';
import { forecast, type ForecastCard } from './forecast';

const H = 3_600_000;
const now = Date.parse('2026-03-10T12:00:00Z');
const card = (due: number, state = State.Review, extra: Partial<ForecastCard> = {}): ForecastCard => ({ due, state, suspended: false, buriedUntil: null, ...extra });

describe('forecast', () => {
  it('counts each card once, on its due day; overdue in the backlog; new and suspended left out; buried on the day its burial ends', () => {
    const dayOf = studyDayOf('UTC', 4);
    const cards = [
      card(now - 48 * H), // overdue
      card(now), // due now: overdue
      card(now + 1 * H, State.Learning), // later today
      card(now + 20 * H), // 11 Mar 08:00: tomorrow's study day
      card(now + 24 * H, State.Review, { suspended: true }),
      card(now + 24 * H, State.New),
      card(now - 1 * H, State.Review, { buriedUntil: Date.parse('2026-03-11T04:00:00Z') }), // buried: tomorrow
      card(now + 29 * 24 * H), // 8 Apr 12:00: the 30th day
      card(now + 30 * 24 * H), // beyond
    ];
    const f = forecast(cards, now, '2026-03-10', dayOf);
    expect(f.backlog).toBe(2);
    expect(f.days).toHaveLength(30);
    expect(f.days[0]).toEqual({ day: '2026-03-10', due: 1 });
    expect(f.days[1]).toEqual({ day: '2026-03-11', due: 2 });
    expect(f.days[29]).toEqual({ day: '2026-04-08', due: 1 });
    expect(f.days.reduce((a, d) => a + d.due, 0)).toBe(4);
  });
});
