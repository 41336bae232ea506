/**
 * Learning and relearning steps as a student writes them on the settings page ("1m 10m",
 * Anki's notation: a number and m, h or d; a bare number is minutes), read into ts-fsrs's steps.
 * Pure; a step that does not parse is an error naming it.
 */
import type { StepUnit } from 'ts-fsrs';

export type Steps = readonly StepUnit[];

/** More steps than this is a typo, not a plan. */
export const MAX_STEPS = 10;
/** A step of more than this is an interval, not a step (ts-fsrs graduates a card past its steps). */
export const MAX_STEP_MINUTES = 30 * 24 * 60;

const UNIT_MINUTES = { m: 1, h: 60, d: 1440 } as const;

export const STEP_ERRORS = {
  bad: (token: string) => `"${token}" is not a step: write a number and m, h or d, such as 10m, 1h or 1d`,
  zero: (token: string) => `"${token}": a step must be longer than 0`,
  long: (token: string) => `"${token}" is longer than 30 days: steps are minutes to days; longer waits are FSRS's intervals`,
  many: (n: number) => `${n} steps: at most ${MAX_STEPS}`,
} as const;

export type StepsReading = { ok: true; steps: Steps } | { ok: false; error: string };

/** Reads "1m 10m" (spaces or commas between steps); the empty string is no steps. */
export function readSteps(text: string): StepsReading {
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  if (tokens.length > MAX_STEPS) return { ok: false, error: STEP_ERRORS.many(tokens.length) };
  const steps: StepUnit[] = [];
  for (const token of tokens) {
    const m = /^(\d+(?:\.\d+)?)([mhd]?)$/i.exec(token);
    if (!m) return { ok: false, error: STEP_ERRORS.bad(token) };
    const value = Number(m[1]);
    const unit = (m[2]?.toLowerCase() || 'm') as keyof typeof UNIT_MINUTES;
    if (value <= 0) return { ok: false, error: STEP_ERRORS.zero(token) };
    if (value * UNIT_MINUTES[unit] > MAX_STEP_MINUTES) return { ok: false, error: STEP_ERRORS.long(token) };
    steps.push(`${value}${unit}` as StepUnit);
  }
  return { ok: true, steps };
}

/** Steps stored by the settings page, read back; a stored value that no longer parses falls back to `fallback`. */
export function storedSteps(text: string, fallback: Steps): Steps {
  const r = readSteps(text);
  return r.ok ? r.steps : fallback;
}

/** The steps written back as text, one space apart ("1m 10m"). */
export function writeSteps(steps: Steps): string {
  return steps.join(' ');
}
