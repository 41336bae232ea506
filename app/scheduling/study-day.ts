/**
 * The study day: a day in the user's time zone that turns over at the rollover hour (4:00 by
 * default), so a session past midnight still counts for the evening it started in. Pure: the
 * instant, the zone and the hour are arguments. Wall-clock arithmetic goes through
 * Intl.DateTimeFormat, so daylight-saving changes are the zone database's, not ours.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a zone name Intl knows ('Asia/Tokyo', 'UTC'); false for anything else. */
export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall clock at `instant` in `timeZone`, as milliseconds of a UTC date with the same
 * reading (so date arithmetic on it needs no zone).
 */
function wallClockMs(instant: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const ms = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'), ms);
}

/**
 * The instant at which the wall clock in `timeZone` first reads `wall` (ms of a UTC date with
 * that reading). When the reading is skipped (clocks spring forward over it) the answer is the
 * first instant after the gap; when it happens twice (clocks fall back) the earlier one.
 */
export function instantOfWallClock(wall: number, timeZone: string): number {
  // offset(t) = wallClock(t) − t; solve t + offset(t) = wall by two fixed-point steps.
  const t1 = wall - (wallClockMs(wall, timeZone) - wall);
  const t2 = wall - (wallClockMs(t1, timeZone) - t1);
  const exact = [t1, t2].filter((t) => wallClockMs(t, timeZone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  return Math.max(t1, t2);
}

function isoDate(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

function checkRolloverHour(rolloverHour: number): void {
  if (!Number.isInteger(rolloverHour) || rolloverHour < 0 || rolloverHour > 23) {
    throw new RangeError(`rollover hour must be an integer from 0 to 23, got ${rolloverHour}`);
  }
}

/**
 * The study day containing `now`, 'YYYY-MM-DD': the local date of (local wall time −
 * rolloverHour hours). At 03:59 with rollover 4 it is still yesterday.
 */
export function studyDay(now: Date, timeZone: string, rolloverHour: number): string {
  checkRolloverHour(rolloverHour);
  return isoDate(wallClockMs(now.getTime(), timeZone) - rolloverHour * HOUR_MS);
}

export interface StudyDayBounds {
  /** 'YYYY-MM-DD' */
  day: string;
  /** When it began: its date at rolloverHour:00, local time. */
  start: Date;
  /** When the next one begins: the day after at rolloverHour:00, local time. */
  end: Date;
}

/** The study day containing `now` and its bounds (23 or 25 hours long across a DST change). */
export function studyDayBounds(now: Date, timeZone: string, rolloverHour: number): StudyDayBounds {
  // Every instant in [start, end) has the same bounds: reuse the last ones of this zone and hour.
  const key = `${timeZone}|${rolloverHour}`;
  const t = now.getTime();
  const last = lastBounds.get(key);
  if (last && last.start.getTime() <= t && t < last.end.getTime()) return { day: last.day, start: new Date(last.start), end: new Date(last.end) };
  const day = studyDay(now, timeZone, rolloverHour);
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const bounds = {
    day,
    start: new Date(instantOfWallClock(midnight + rolloverHour * HOUR_MS, timeZone)),
    end: new Date(instantOfWallClock(midnight + DAY_MS + rolloverHour * HOUR_MS, timeZone)),
  };
  lastBounds.set(key, bounds);
  return { day, start: new Date(bounds.start), end: new Date(bounds.end) };
}

const lastBounds = new Map<string, StudyDayBounds>();

/** The instant the study day containing `now` began: its date at rolloverHour:00, local time. */
export function studyDayStart(now: Date, timeZone: string, rolloverHour: number): Date {
  return studyDayBounds(now, timeZone, rolloverHour).start;
}

/** The instant the next study day begins: the day after at rolloverHour:00, local time. */
export function nextDayStart(now: Date, timeZone: string, rolloverHour: number): Date {
  return studyDayBounds(now, timeZone, rolloverHour).end;
}

/**
 * The instant the wall clock in `timeZone` reads `date` ('YYYY-MM-DD') at `time` ('HH:MM'), epoch
 * ms; null when that reading never happens there (clocks spring forward over it). A reading that
 * happens twice (clocks fall back) is its earlier instant.
 */
export function instantOfLocalTime(date: string, time: string, timeZone: string): number | null {
  const wall = Date.parse(`${date}T${time}:00Z`);
  if (Number.isNaN(wall)) return null;
  const t = instantOfWallClock(wall, timeZone);
  return wallClockMs(t, timeZone) === wall ? t : null;
}

/** The wall clock's date ('YYYY-MM-DD') and time ('HH:MM') at `instant` in `timeZone`. */
export function localTimeOf(instant: number, timeZone: string): { date: string; time: string } {
  const iso = new Date(wallClockMs(instant, timeZone)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}
