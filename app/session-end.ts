/**
 * What the review page says when nothing is left to study right now: the truth about when the
 * next card comes. A learning step due later today is the next card (minutes away); otherwise the
 * next study day, with what it brings and when it starts, in the student's own zone. Pure.
 */
import { countOf } from '../engine/answers/format';

export interface SessionEnd {
  /** A heading: "Back at 14:05" or "All done for today". */
  title: string;
  text: string;
}

export interface SessionEndInput {
  now: Date;
  /** The earliest learning or relearning card due later in this study day. */
  nextLearningAt: Date | null;
  /** Cards due by the end of the next study day (the queue's tomorrowDue). */
  tomorrowDue: number;
  nextDayStart: Date;
  timeZone: string;
}

const MINUTE_MS = 60_000;

function clock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

function dayAndClock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** "in 9 minutes", "in 1 h 5 min": how long until `at`, rounded up to the minute. */
export function waitOf(now: Date, at: Date): string {
  const minutes = Math.max(1, Math.ceil((at.getTime() - now.getTime()) / MINUTE_MS));
  if (minutes < 60) return `in ${countOf(minutes, 'minute')}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `in ${h} h` : `in ${h} h ${m} min`;
}

export function sessionEnd(input: SessionEndInput): SessionEnd {
  const { now, nextLearningAt, tomorrowDue, nextDayStart, timeZone } = input;
  if (nextLearningAt !== null && nextLearningAt < nextDayStart) {
    return {
      title: `Next card at ${clock(nextLearningAt, timeZone)}`,
      text: `A card you are learning comes back at ${clock(nextLearningAt, timeZone)} (${waitOf(now, nextLearningAt)}, ${timeZone}); this page shows it then. Nothing else is due today.`,
    };
  }
  const tomorrow = tomorrowDue === 0 ? 'no reviews are due yet' : `${countOf(tomorrowDue, 'card')} ${tomorrowDue === 1 ? 'is' : 'are'} due`;
  return {
    title: 'All done for today',
    text: `Nothing more today. The next study day starts ${dayAndClock(nextDayStart, timeZone)} (${timeZone}): ${tomorrow}, and new cards come up to your daily limit.`,
  };
}
